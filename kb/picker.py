"""Which vocabulary items (and so which elements) a finding or case may establish about a given subject.

The scenario editor offers only these, so that a misplaced element cannot be entered. What a subject can be is
read from the rules' own fact tables (team_kind, discipline_kind, team_role, a2_leader_role, the unit-kind scope) and
the subject kind each item declares in kb/vocabulary: a 党委/党组 team gets D16-5 (and the A2 team items), a 纪委/
纪检组 D16-7, a person on a party team the D16-6 items of his or her role, any person A1, a case only D16-8.
Positions count as held on the event's date (the rules judge positions then held)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from kb.dates import parse_date
from kb.unit_kinds import roles
from kb.vocabulary import Item, load_vocabulary

# the measures in the order the product presents them (16号 first, then 15号 附件1 and 附件2)
DOC_ORDER = ("D16", "A1", "A2")


@cache
def _tables() -> dict[str, frozenset[str]]:
    from reasoning.rulebook import load_rulebook

    static = load_rulebook().static_facts

    def col(pred: str, i: int = 0) -> frozenset[str]:
        return frozenset(r[i] for r in static.get(pred, ()))

    leader_as = {r[0]: r[1] for r in static.get("a2_leader_role", ())}
    return {
        "team_kind": col("team_kind"),
        "discipline_kind": col("discipline_kind"),
        "team_role": col("team_role"),
        # kinds A2-2 may cover (the one table of unit kinds, kb/unit_kinds.yaml): any status but 不适用, under
        # the default reading or another one (the picker offers what some reading can read)
        "a2_scope_kind": frozenset(
            r[1]
            for pred in ("unit_kind_scope", "unit_kind_scope_under")
            for r in static.get(pred, ())
            if r[0] == "A2-2" and r[2] != "不适用"
        ),
        "a2_leader": frozenset(leader_as),
        "a2_principal": frozenset(r for r, a in leader_as.items() if a == "主要负责人"),
    }


def _date(value: Any) -> dt.date | None:
    """A day, month or year (a month or year stands for its first day, as in the rules); None if unreadable."""
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except ValueError:  # pydantic's error is a ValueError
        return None


def _held(person: dict, on: dt.date | None) -> list[dict]:
    """The positions a person (plain scenario data) held on a day (all of them when the day is unknown)."""
    out = []
    for pos in person.get("positions") or []:
        start, end = _date(pos.get("from")), _date(pos.get("to"))
        if on is None or ((start is None or start <= on) and (end is None or on <= end)):
            out.append(pos)
    return out


def positions_on(person: dict, on: Any = None) -> list[dict]:
    """The positions a person (plain scenario data) held on a day given as text or date (all when unknown)."""
    return _held(person, _date(on))


def subject_kinds(scenario: dict, subject: str, on: Any = None) -> set[str]:
    """The vocabulary subject kinds (party_team, member, person, …) that `subject` is on a day, for findings."""
    t = _tables()
    units = {u.get("id"): u for u in scenario.get("units") or []}
    persons = {p.get("id"): p for p in scenario.get("persons") or []}
    kinds: set[str] = set()
    if subject in units:
        kind = units[subject].get("kind")
        target = units.get(units[subject].get("answers_for")) or {}
        if kind in t["team_kind"]:
            kinds.add("party_team")
        if kind in t["discipline_kind"]:
            kinds.add("discipline_body")
        if kind in t["a2_scope_kind"] or target.get("kind") in t["a2_scope_kind"]:
            kinds.add("team_or_leader")
    if subject in persons:
        kinds |= {"person", "investigator", "interceder"}
        for pos in _held(persons[subject], _date(on)):
            unit = units.get(pos.get("unit")) or {}
            role = pos.get("role")
            role = roles()[role].reads_as if role in roles() else role  # as the rules read it (分管领导: a member)
            on_party_team = unit.get("kind") in t["team_kind"] and role in t["team_role"]
            if on_party_team:
                kinds.add("member")
                kinds.add("principal" if role == "主要负责人" else "other_member")
            if role in t["a2_leader"]:
                kinds.add("team_or_leader")
                kinds.add("a2_member")
                if role in t["a2_principal"]:
                    kinds.add("a2_principal")
    return kinds


def _fits(item: Item, kinds: set[str]) -> bool:
    if item.subject in ("principal", "member") and item.document == "A2":
        return f"a2_{item.subject}" in kinds  # A2-6.2 / A2-6.3: a leader of any body, not only a party team
    return item.subject in kinds


def items_for_finding(scenario: dict, subject: str, on: Any = None) -> list[Item]:
    """The items a finding about `subject` may establish, in vocabulary order (none for an unknown subject), 16号 first."""
    kinds = subject_kinds(scenario, subject, on)
    found = [i for i in load_vocabulary().items.values() if i.subject != "case" and _fits(i, kinds)]
    return sorted(found, key=lambda i: DOC_ORDER.index(i.document) if i.document in DOC_ORDER else 9)


def items_for_case() -> list[Item]:
    """The items a case may establish: D16-8 (一案双查) only."""
    return [i for i in load_vocabulary().items.values() if i.subject == "case"]


def misplaced(scenario: dict, event: dict) -> list[str]:
    """The elements of an event (plain data) that its subject cannot have: to refuse them before saving."""
    vocab = load_vocabulary()
    if event.get("type") == "case":
        allowed = {i.id for i in items_for_case()}
    else:
        allowed = {i.id for i in items_for_finding(scenario, event.get("subject", ""), event.get("date"))}
    return [e for e in event.get("elements") or [] if e in vocab.elements and vocab.elements[e].item not in allowed]
