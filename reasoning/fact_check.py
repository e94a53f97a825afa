"""Checks on the facts a user names at the command line (`akb diff --add/--remove`, `akb why-not --event`):
every id must be one the scenario has and every value one the schema allows, or the answer would be about
something that does not exist. Returns problems as codes and parameters (explain words them), each with the
nearest ids the scenario does have.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass

from kb import schema
from kb.interpretations import load_interpretations
from kb.vocabulary import load_vocabulary
from reasoning.facts import ONE_YEAR_READINGS
from reasoning.facts import SCENARIO_ARGS as ARG_KINDS  # what each argument of a scenario fact names
from reasoning.queries import Evaluation

# Kinds whose values the schema enumerates (all of them are listed when one is wrong).
ENUMS = {
    "unit_kind": "UnitKind",
    "role": "Role",
    "rank": "Rank",
    "severity": "Severity",
    "flag": "Flag",
    "method": "Method",
    "source": "Source",
    "share": "Share",
}
NEAREST = 3


@dataclass(frozen=True)
class FactProblem:
    """Why a named fact or id cannot be used: the code, the fact as written, and what the nearest are."""

    code: str  # unknown_in_fact | unknown_name_in_fact | unknown_value_in_fact | remove_absent | unknown_event
    fact: str
    kind: str | None = None
    value: str | None = None
    near: tuple[str, ...] = ()


def nearest(value: str, candidates: typing.Iterable[str], n: int = NEAREST) -> tuple[str, ...]:
    """The candidates closest to `value` (difflib's ratio), best first; ties in sorted order."""
    pool = sorted(set(candidates))
    return tuple(difflib.get_close_matches(value, pool, n=n, cutoff=0.0))


def fact_text(pred: str, args: tuple[str, ...]) -> str:
    return f"{pred}({', '.join(args)})"


def _rows(ev: Evaluation, pred: str) -> set[str]:
    return {r[0] for r in ev.model.get(pred, ())}


def known(ev: Evaluation, kind: str, args: tuple[str, ...] = ()) -> set[str] | None:
    """The values an argument of this kind may take in this scenario (None: not checked)."""
    if kind in ("unit", "person", "event", "group", "record"):
        return _rows(ev, kind)
    if kind == "matter":  # an event, or a recorded decision not to pursue (positions are taken at its date)
        return _rows(ev, "event") | _rows(ev, "record")
    if kind == "party":
        return _rows(ev, "unit") | _rows(ev, "person") | _rows(ev, "group")
    if kind == "element":
        return set(load_vocabulary().elements)
    if kind == "interpretation":
        return set(load_interpretations())
    if kind == "reading":
        interp = load_interpretations().get(args[0]) if args else None
        return set(interp.readings) if interp else None
    if kind == "one_year":
        return set(ONE_YEAR_READINGS)
    if kind in ENUMS and hasattr(schema, ENUMS[kind]):
        return set(typing.get_args(getattr(schema, ENUMS[kind])))
    return None


def check_fact(ev: Evaluation, pred: str, args: tuple[str, ...]) -> list[FactProblem]:
    """The problems of one fact to add: ids the scenario lacks, values the schema does not allow."""
    out = []
    for kind, value in zip(ARG_KINDS.get(pred, ()), args, strict=False):
        if kind is None:
            continue
        values = known(ev, kind, args)
        if values is None or value in values:
            continue
        enumerated = kind in ENUMS or kind in ("reading", "one_year")
        near = tuple(sorted(values)) if enumerated else nearest(value, values)
        code = "unknown_value_in_fact" if enumerated else "unknown_in_fact"
        if kind in ("element", "interpretation"):  # the knowledge base's ids, not the scenario's
            code = "unknown_name_in_fact"
        out.append(FactProblem(code, fact_text(pred, args), kind, value, near))
    return out


def check_changes(
    ev: Evaluation,
    scenario_rows: dict[str, set[tuple[str, ...]]],
    added: list[tuple[str, tuple[str, ...]]],
    removed: list[tuple[str, tuple[str, ...]]],
) -> list[FactProblem]:
    """Every problem of a what-if's changes: added facts must name what exists, removed facts must be there."""
    out = []
    for pred, args in added:
        out += check_fact(ev, pred, args)
    for pred, args in removed:
        if args in scenario_rows.get(pred, set()) or (pred == "interp" and args in ev.model.get("interp", ())):
            continue
        problems = check_fact(ev, pred, args)
        if problems:
            out += problems
            continue
        have = [fact_text(pred, r) for r in scenario_rows.get(pred, set())]
        out.append(FactProblem("remove_absent", fact_text(pred, args), near=nearest(fact_text(pred, args), have)))
    return out


def check_event(ev: Evaluation, event: str) -> FactProblem | None:
    """None if the scenario has this event (a finding or a case), else the problem with the nearest ids."""
    events = _rows(ev, "event")
    if event in events:
        return None
    return FactProblem("unknown_event", event, "event", event, nearest(event, events))
