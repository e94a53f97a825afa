"""Translate a validated scenario into ground facts (the extensional database).

Dates never enter the rules: positions are resolved here against each event's date, so that a rule sees
`held(P, U, ROLE, E)` — "P held ROLE in U when event E happened" — whoever holds the post today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kb.schema import Accountability, Case, Circumstances, Finding, Scenario, circumstances_of
from kb.unit_kinds import roles

# The role each position's role is read as by the rules (分管领导 → 班子其他成员; kb/unit_kinds.yaml `roles`).
ROLE_AS = {name: r.reads_as for name, r in roles().items()}

Facts = dict[str, set[tuple[str, ...]]]

# The fact predicates a scenario provides, and what each argument names (None: free text, not checked by
# reasoning/fact_check.py); their arities follow.
SCENARIO_ARGS: dict[str, tuple[str | None, ...]] = {
    "unit": ("unit",),
    "unit_kind": ("unit", "unit_kind"),
    "parent": ("unit", "unit"),
    "answers_for": ("unit", "unit"),
    "person": ("person",),
    "held": ("person", "unit", "role", "matter"),
    "portfolio_at": ("person", "unit", None, "matter"),
    "event": ("event",),
    "finding": ("event",),
    "case": ("event",),
    "event_subject": ("event", "party"),
    "case_party": ("event", "party"),
    "established": ("event", "element"),
    "severity": ("matter", "severity"),
    "circumstance": ("matter", None),  # 群众反映强烈 / 造成恶劣影响, about an event or a record
    "event_portfolio": ("event", None),
    "event_flag": ("event", "flag"),
    "pursued": ("party", "event"),
    "declined": ("party", "event"),
    "interp": ("interpretation", "reading"),
    "finding_party": ("event", "party"),
    "share": ("event", "person", "share"),
    "shares_stated": ("event",),
    "finding_case": ("event", "event"),
    "group": ("group",),
    "group_unit": ("group", "unit"),
    "declined_record": ("party", "event", "record"),
    "record": ("record",),
    "in_force": ("event",),
    "rank_at": ("person", "rank", "matter"),
    "repeat_within_year": ("person", "matter", "one_year"),
    "decided_method": ("party", "event", "method"),
    "event_source": ("event", "source"),
    "previous_established": ("event", "event", "element"),
    "party_relations_local": ("unit",),
}
SCENARIO_PREDICATES: dict[str, int] = {pred: len(kinds) for pred, kinds in SCENARIO_ARGS.items()}

ENTRY_INTO_FORCE = dt.date(2015, 2, 4)  # D16-16, A1-29, A2-11: 自发布之日起施行 (issued 2015-02-04)
# A1-16.1.2 一年内 (interpretation one_year): counted back from the matter, within its calendar year, or counted
# back from the new decision on the matter (its accountability record; the date of assessment when none is recorded)
ONE_YEAR_READINGS = ("rolling_12_months", "calendar_year", "before_decision")


# The sanction facts a Circumstances records, as the rules read them (A1-14p1, D16-9).
CIRCUMSTANCE_FACTS = (("public_outcry", "群众反映强烈"), ("bad_influence", "造成恶劣影响"))


def add_circumstances(f: Facts, c: Circumstances | None, key: str) -> None:
    """Add the sanction facts found about a matter, or about a level's own decision not to pursue it (keyed by
    the record): `severity(K, S)` for the degree and `circumstance(K, C)` for 群众反映强烈 / 造成恶劣影响."""
    if c is None:
        return
    if c.degree:
        f.setdefault("severity", set()).add((key, c.degree))
    for attr, fact in CIRCUMSTANCE_FACTS:
        if getattr(c, attr):
            f.setdefault("circumstance", set()).add((key, fact))


def _within_year(prior: dt.date, current: dt.date, reading: str) -> bool:
    """Whether an earlier accountability falls "within one year" of the current matter."""
    if prior > current:
        return False
    if reading == "calendar_year":
        return prior.year == current.year
    try:
        start = current.replace(year=current.year - 1)
    except ValueError:  # 29 February
        start = current.replace(year=current.year - 1, day=28)
    return prior > start


def decision_date(s: Scenario, person: str, event: str) -> dt.date:
    """The date of the new decision on a matter for the `before_decision` reading of A1-16.1.2: the earliest
    accountability carried out on the person for it, or the date of assessment when none is recorded yet."""
    dates = [
        r.date
        for r in s.events
        if isinstance(r, Accountability) and r.target == person and r.concerning == event and r.outcome == "追究"
    ]
    return min(dates) if dates else s.scenario.as_of


def earlier_accountability(
    records: list[Accountability], event: Finding | Case, reading: str, decided: dt.date
) -> list[Accountability]:
    """The accountability a person received "within one year" (A1-16.1.2) under a reading of `one_year`:
    `records` are the person's records carried out; `decided` the date of the new decision on `event`."""
    if reading == "before_decision":
        return [r for r in records if r.concerning != event.id and _within_year(r.date, decided, "rolling_12_months")]
    return [r for r in records if _within_year(r.date, event.date, reading)]


class _People:
    """Persons by id, the persons with a position in each unit, and who answers for each unit: built once per
    scenario, so that each event looks up its units instead of walking every person (10,000 persons and 400
    events: 4 million steps)."""

    def __init__(self, s: Scenario):
        self.by_id = {p.id: p for p in s.persons}
        self.at_unit: dict[str, list] = defaultdict(list)
        for p in s.persons:
            for unit in dict.fromkeys(pos.unit for pos in p.positions):
                self.at_unit[unit].append(p)
        self.answers_for = {u.id: u.answers_for for u in s.units if u.answers_for}
        self.group_unit = {g.id: g.unit for g in s.groups if g.unit}

    def in_units(self, units: set[str], persons: set[str] = frozenset()) -> list:
        """The persons with a position in one of `units`, or named in `persons`, each once."""
        out = {p.id: p for u in units for p in self.at_unit.get(u, ())}
        out.update((pid, self.by_id[pid]) for pid in persons if pid in self.by_id)
        return list(out.values())


def _relevant(ev: Finding | Case, parent: dict, bodies: dict, people: _People) -> tuple[set[str], set[str]]:
    """The units and persons whose positions at the time of `ev` a rule can read: the persons the event
    names, the units they or the event's subject sit in, every unit up the hierarchy from there, and the
    bodies answering for each. Positions elsewhere are left out, so the facts grow with the depth of the
    hierarchy rather than with persons × events."""
    persons = {ev.subject} | set(ev.parties) | {sh.person for sh in ev.shares} if isinstance(ev, Finding) else set()
    persons |= set(ev.all_parties()) if isinstance(ev, Case) else set()
    start = {ev.subject} if isinstance(ev, Finding) else {ev.unit}
    start |= {people.group_unit[g] for g in persons if g in people.group_unit}
    for pid in persons:
        p = people.by_id.get(pid)
        if p is not None:
            start |= {pos.unit for pos in p.positions if pos.from_ <= ev.date and (pos.to is None or ev.date <= pos.to)}
    units: set[str] = set()
    todo = [people.answers_for.get(u, u) for u in start] + list(start)
    while todo:
        u = todo.pop()
        if u in units:
            continue
        units.add(u)
        if u in parent:
            todo.append(parent[u])
        todo += bodies.get(u, [])
    return units, persons


def scenario_facts(s: Scenario, readings: dict[str, str]) -> Facts:
    """All ground facts of a scenario under the given interpretation readings."""
    f: Facts = defaultdict(set)
    for u in s.units:
        f["unit"].add((u.id,))
        f["unit_kind"].add((u.id, u.kind))
        if u.parent:
            f["parent"].add((u.id, u.parent))
        if u.answers_for:
            f["answers_for"].add((u.id, u.answers_for))
        if u.party_relations_local:
            f["party_relations_local"].add((u.id,))
    for p in s.persons:
        f["person"].add((p.id,))
    for g in s.groups:
        f["group"].add((g.id,))
        if g.unit:
            f["group_unit"].add((g.id, g.unit))
    records = [e for e in s.events if isinstance(e, Accountability)]
    carried_out: dict[str, list[Accountability]] = defaultdict(list)
    decided_on: dict[tuple[str, str], dt.date] = {}
    for r in records:
        if r.outcome == "追究":
            carried_out[r.target].append(r)
            key = (r.target, r.concerning)
            decided_on[key] = min(r.date, decided_on.get(key, r.date))
    parent = {u.id: u.parent for u in s.units if u.parent}
    bodies: dict[str, list[str]] = defaultdict(list)
    for u in s.units:
        if u.answers_for:
            bodies[u.answers_for].append(u.id)
    matters = {e.id: e for e in s.events if not isinstance(e, Accountability)}
    people = _People(s)
    for ev in records:
        f["pursued" if ev.outcome == "追究" else "declined"].add((ev.target, ev.concerning))
        for method in ev.methods:
            f["decided_method"].add((ev.target, ev.concerning, method))
        if ev.outcome == "未追究" and ev.concerning in matters:
            # A decision not to pursue is an event of its own: the principal who answers for it is the one in
            # post on its date (D16-5.9, D16-7.7, A2-9), and its severity is its own, never the matter's.
            f["record"].add((ev.id,))
            f["declined_record"].add((ev.target, ev.concerning, ev.id))
            add_circumstances(f, circumstances_of(ev), ev.id)
            units, _ = _relevant(matters[ev.concerning], parent, bodies, people)
            for p in people.in_units(units):
                for pos in p.positions:
                    if pos.unit in units and pos.from_ <= ev.date and (pos.to is None or ev.date <= pos.to):
                        f["held"].add((p.id, pos.unit, ROLE_AS[pos.role], ev.id))
    for ev in s.events:
        if isinstance(ev, Accountability):
            continue
        f["event"].add((ev.id,))
        if ev.date >= ENTRY_INTO_FORCE:
            f["in_force"].add((ev.id,))
        if ev.source:
            f["event_source"].add((ev.id, ev.source))
        if isinstance(ev, Finding):
            f["finding"].add((ev.id,))
            f["event_subject"].add((ev.id, ev.subject))
            if ev.portfolio:
                f["event_portfolio"].add((ev.id, ev.portfolio))
            for party in ev.parties:
                f["finding_party"].add((ev.id, party))
            for sh in ev.shares:
                f["share"].add((ev.id, sh.person, sh.responsibility))
                f["shares_stated"].add((ev.id,))
            if ev.case:
                f["finding_case"].add((ev.id, ev.case))
        elif isinstance(ev, Case):
            f["case"].add((ev.id,))
            f["event_subject"].add((ev.id, ev.unit))
            for party in ev.all_parties():
                f["case_party"].add((ev.id, party))
        for el in ev.elements:
            f["established"].add((ev.id, el))
        add_circumstances(f, circumstances_of(ev), ev.id)
        for flag in ev.flags:
            f["event_flag"].add((ev.id, flag))
        units, persons = _relevant(ev, parent, bodies, people)
        for p in people.in_units(units, persons):
            held_here = False
            for pos in p.positions:
                if pos.from_ <= ev.date and (pos.to is None or ev.date <= pos.to):
                    if pos.unit not in units and p.id not in persons:
                        continue
                    held_here = True
                    f["held"].add((p.id, pos.unit, ROLE_AS[pos.role], ev.id))
                    for field in pos.portfolio:
                        f["portfolio_at"].add((p.id, pos.unit, field, ev.id))
                    if pos.rank:
                        f["rank_at"].add((p.id, pos.rank, ev.id))
            if not (held_here or p.id in persons):
                continue
            mine = carried_out.get(p.id, [])
            decided = decided_on.get((p.id, ev.id), s.scenario.as_of)
            for reading in ONE_YEAR_READINGS:
                earlier = earlier_accountability(mine, ev, reading, decided)
                if len(earlier) >= 2:
                    f["repeat_within_year"].add((p.id, ev.id, reading))
    # finding E1 is the last finding about the same subject before E2 (by date; on one date, in the order of the
    # file) that establishes element El, and E2 establishes it too: counts occasions where the text makes the
    # count decide the consequence (A1-16.3 一次记录在案，两次以上从重或者加重). Only the previous occasion is
    # linked, so the facts grow with the findings, not with their pairs (5,000 findings on one subject made 12.5
    # million pairs).
    by_element: dict[tuple[str, str], list[tuple[dt.date, int, str]]] = defaultdict(list)
    for i, ev in enumerate(s.events):
        if isinstance(ev, Finding):
            for el in set(ev.elements):
                by_element[(ev.subject, el)].append((ev.date, i, ev.id))
    for (_, el), found in by_element.items():
        found.sort()
        for (_, _, before), (_, _, after) in zip(found, found[1:], strict=False):
            f["previous_established"].add((before, after, el))
    for name, reading in readings.items():
        f["interp"].add((name, reading))
    return dict(f)
