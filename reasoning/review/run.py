"""Run every check of a decision, then again under each alternative reading of the named interpretations:
each verdict lists the readings it depends on and how it changes under another one."""

from __future__ import annotations

from collections.abc import Callable

from kb.decision_schema import LoadedDecision
from kb.interpretations import load_interpretations
from reasoning.queries import Evaluation, run
from reasoning.review.contents import check_contents
from reasoning.review.context import Context
from reasoning.review.findings import check_clauses, check_responsibility
from reasoning.review.organs import check_organs
from reasoning.review.parties import check_missing
from reasoning.review.sanctions import check_bands, check_channels, check_circumstances, check_found
from reasoning.review.timing import check_dates
from reasoning.review.verdict import PROBLEM, Verdict

CHECKS: tuple[Callable[[Context], list[Verdict]], ...] = (
    check_clauses,
    check_responsibility,
    check_found,
    check_bands,
    check_circumstances,
    check_channels,
    check_organs,
    check_dates,
    check_contents,
    check_missing,
)


# Evaluations are pure data (the model's rows, the rule data): kept per scenario content and readings, so that
# the decisions of a folder that share a scenario evaluate it once per reading. Never an engine object.
_EVALUATIONS: dict[tuple[str, tuple[tuple[str, str], ...]], Evaluation] = {}
_KEEP = 64


def _evaluate(loaded: LoadedDecision, chosen: dict[str, str], base: Evaluation | None = None) -> Evaluation:
    """The scenario evaluated under `chosen` (over its own readings), from the cache when seen before; with
    `base` (the same scenario under other readings) only what the change of readings reaches is evaluated
    again (reasoning/queries.run), to the same model."""
    key = (loaded.scenario_sha256, tuple(sorted(chosen.items())))
    ev = _EVALUATIONS.get(key)
    if ev is None:
        ev = run(loaded.scenario, chosen, base=None if base is None else (base.readings, base.model))
        if len(_EVALUATIONS) >= _KEEP:
            _EVALUATIONS.pop(next(iter(_EVALUATIONS)))
        _EVALUATIONS[key] = ev
    return ev


def checks(ctx: Context) -> list[Verdict]:
    """Every verdict for one decision under the readings in force, in check order."""
    out: list[Verdict] = []
    for check in CHECKS:
        out += check(ctx)
    return out


def review(loaded: LoadedDecision, chosen: dict[str, str] | None = None, alternatives: bool = True) -> dict:
    """The review as data: the readings in force, every verdict (with its changes under other readings), and
    verdicts that only appear under another reading."""
    base_choice = {**loaded.decision.decision.interpretations, **(chosen or {})}
    ev = _evaluate(loaded, base_choice)
    verdicts = checks(Context(loaded.decision, ev))
    by_key = {v.key: v for v in verdicts}
    appear: list[dict] = []
    if alternatives:
        for name, interp in load_interpretations().items():
            for reading in interp.readings:
                if reading == ev.readings[name]:
                    continue
                alt_ev = _evaluate(loaded, {**base_choice, name: reading}, base=ev)
                alt = {v.key: v for v in checks(Context(loaded.decision, alt_ev))}
                for key, v in by_key.items():
                    w = alt.get(key)
                    if w is None or (w.verdict, w.reason) != (v.verdict, v.reason):
                        v.changes.append(
                            {
                                "interpretation": name,
                                "reading": reading,
                                "verdict": w.verdict if w else "absent",
                                "reason": w.reason if w else None,
                            }
                        )
                        v.interpretations.append(name)
                for key, w in alt.items():
                    if key not in by_key and w.verdict == PROBLEM:
                        appear.append({"interpretation": name, "reading": reading, **w.to_json()})
    for v in verdicts:
        v.interpretations = sorted(set(v.interpretations))
    problems = sum(v.verdict == PROBLEM for v in verdicts)
    return {
        "readings": dict(ev.readings),
        "verdicts": verdicts,
        "appear_under_other_readings": appear,
        "evaluation": ev,
        "summary": {
            "checks": len(verdicts),
            "problems": problems,
            "cannot_tell": sum(v.verdict == "cannot_tell" for v in verdicts),
            "passes": sum(v.verdict == "pass" for v in verdicts),
        },
    }
