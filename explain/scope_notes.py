"""Scope notes for a report: the kinds of unit in a scenario that a scope clause leaves out or covers only on a
condition (kb/unit_kinds.yaml), with the clause's words — so that a user sees why no finding reaches them."""

from __future__ import annotations

from explain.catalogue import text
from kb.schema import Scenario
from kb.unit_kinds import Scope, kinds

NOTED = ("不适用", "须党的关系属地方管理", "驻连部省属或垂直管理")


def status_under(scope: Scope, readings: dict[str, str]) -> str:
    """The status of a kind under a clause, under the readings in force."""
    if scope.reading:
        return dict(scope.by_reading).get(readings.get(scope.reading, ""), scope.status)
    return scope.status


def scope_notes(s: Scenario, readings: dict[str, str]) -> list[dict]:
    """One note per (kind, clause) that is out of scope or conditional, naming the scenario's units of that kind."""
    table = kinds()
    by_kind: dict[str, list[str]] = {}
    local: set[str] = set()  # units whose party relations are locally managed (D16-14)
    for u in s.units:
        by_kind.setdefault(u.kind, []).append(u.name or u.id)
        if u.party_relations_local:
            local.add(u.name or u.id)
    notes = []
    for kind in sorted(by_kind, key=list(table).index):
        info = table[kind]
        if info.body:  # a party or discipline body follows the unit it answers for
            continue
        for clause, scope in info.scope.items():
            status = status_under(scope, readings)
            if status not in NOTED:
                continue
            units = sorted(by_kind[kind])
            if status == "须党的关系属地方管理":  # only the units not stated to be locally managed are left out
                units = [u for u in units if u not in local]
                if not units:
                    continue
            clause_t, status_t = text("scope_note", f"clause_{clause}"), text("scope_note", f"status_{status}")
            line = text(
                "scope_note",
                "line",
                kind=kind,
                units="、".join(units),
                words=scope.words,
                clause_zh=clause_t["zh"],
                clause_en=clause_t["en"],
                status_zh=status_t["zh"],
                status_en=status_t["en"],
            )
            notes.append(
                {
                    "kind": kind,
                    "units": units,
                    "clause": clause,
                    "status": status,
                    "words": scope.words,
                    "reading": scope.reading,
                    "zh": line["zh"],
                    "en": line["en"],
                }
            )
    return notes
