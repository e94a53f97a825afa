"""The reviewer: check a proposed accountability decision against the measures, clause by clause (data and
ids only; explain/review.py words it)."""

from reasoning.review.run import checks, review
from reasoning.review.verdict import CANNOT_TELL, PASS, PROBLEM, Verdict

__all__ = ["CANNOT_TELL", "PASS", "PROBLEM", "Verdict", "checks", "review"]
