"""One verdict of the reviewer: data and ids only (the wording is explain/review.py's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PASS, PROBLEM, CANNOT_TELL = "pass", "problem", "cannot_tell"


@dataclass
class Verdict:
    """pass / problem / cannot_tell on one point, with the clause, the reason and the fix (ids + parameters)."""

    check: str
    party: str | None
    clause: str
    verdict: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None
    fix_params: dict[str, Any] = field(default_factory=dict)
    interpretations: list[str] = field(default_factory=list)  # names of the readings it depends on
    evidence: dict[str, Any] = field(default_factory=dict)  # e.g. liable rows (proved by explain), a why-not
    subject: str = ""  # what distinguishes two verdicts of one check, party and clause
    note: bool = False  # a pass worth reading (e.g. a method below the band)
    changes: list[dict[str, Any]] = field(default_factory=list)  # under other readings

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity across readings: the same point checked under another interpretation."""
        return (self.check, self.party or "", self.clause, self.subject)

    def to_json(self) -> dict[str, Any]:
        """Plain, sorted-ready data."""
        return {
            "check": self.check,
            "party": self.party,
            "clause": self.clause,
            "verdict": self.verdict,
            "reason": self.reason,
            "params": self.params,
            "fix": self.fix,
            "fix_params": self.fix_params,
            "interpretations": sorted(set(self.interpretations)),
            "evidence": self.evidence,
            "subject": self.subject,
            "note": self.note,
            "changes": self.changes,
        }


def judged(
    check: str,
    party: str | None,
    clause: str,
    ok: bool,
    reasons: tuple[str, str],
    params: dict[str, Any],
    fix: str,
    **extra: Any,
) -> Verdict:
    """A pass or a problem on one point: `reasons` is (the pass's, the problem's); the fix is only a problem's."""
    return Verdict(
        check,
        party,
        clause,
        PASS if ok else PROBLEM,
        reasons[0] if ok else reasons[1],
        params,
        fix=None if ok else fix,
        **extra,
    )
