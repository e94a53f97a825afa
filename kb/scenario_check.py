"""Cross-field checks of a schema-valid scenario: references, hierarchy, positions over time, elements."""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
from collections import defaultdict

from kb.dates import precision, show
from kb.interpretations import load_interpretations
from kb.scenario_io import DATE_RANGE, MAX_ISSUES, WARNING_CODES, Issue, more_issues
from kb.schema import BODY_KINDS, DISCIPLINE_KINDS, Accountability, Case, Finding, Scenario
from kb.subjects import PERSON, derived_situations, readable_about, unit_sort
from kb.vocabulary import Vocabulary, load_vocabulary

ROLE_UNIT = {"纪委书记": ("纪委",), "纪检组长": ("纪检组",)}


# "Did you mean" hints compare the unknown id with every known one (difflib): past this many comparisons in
# one scenario the remaining unknown ids get no hint, so that thousands of bad references stay fast.
HINT_BUDGET = 20_000


def nearest(word: str, choices: list[str], n: int = 3) -> str:
    """The closest existing ids, for a 'did you mean' hint."""
    found = difflib.get_close_matches(word, sorted(choices), n=n, cutoff=0.5)
    return "、".join(found) if found else "—"


# Past MAX_ISSUES the issues are only counted (to say how many more there are), up to this many.
MAX_COUNTED = 10_000


class _Enough(Exception):
    """MAX_COUNTED issues found: stop looking."""


class _Issues(list):
    """The issues found so far: the first MAX_ISSUES - 1 errors kept (and every warning, up to the cap), the rest
    counted; raises _Enough at MAX_COUNTED, so that no check runs on over a hopeless file."""

    hints = HINT_BUDGET

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    def append(self, issue: Issue) -> None:
        if len(self) < MAX_ISSUES - 1:
            super().append(issue)
        elif issue.code not in WARNING_CODES:
            self.more += 1
            if self.more >= MAX_COUNTED:
                raise _Enough

    def __iadd__(self, other):
        for issue in other:
            self.append(issue)
        return self


def check_scenario(s: Scenario) -> list[Issue]:
    """Return every cross-field problem of the scenario (empty when it can be evaluated); at most
    MAX_ISSUES of them, the first found."""
    issues = _Issues()
    complete = True
    try:
        _check(s, issues)
    except _Enough:
        complete = False
    out = list(issues)
    if issues.more:
        out.append(more_issues(issues.more, exact=complete))
    return out


def _check(s: Scenario, issues: _Issues) -> None:
    units = {u.id: u for u in s.units}
    persons = {p.id: p for p in s.persons}
    events = {e.id: e for e in s.events}

    seen: dict[str, tuple] = {}
    groups = {g.id: g for g in s.groups}
    for section, items in (("units", s.units), ("persons", s.persons), ("groups", s.groups), ("events", s.events)):
        for i, obj in enumerate(items):
            if obj.id in seen:
                issues.append(Issue("duplicate_id", (section, i, "id"), None, {"id": obj.id}))
            seen.setdefault(obj.id, (section, i))

    for path, value in _dates(s):
        if not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
            lo, hi = (d.isoformat() for d in DATE_RANGE)
            detail = f"日期 {value.isoformat()} 不在 {lo} 至 {hi} 之间 / date outside {lo} – {hi}"
            issues.append(Issue("invalid_value", path, None, {"value": value.isoformat(), "detail": detail}))

    interps = load_interpretations()
    for name, reading in s.scenario.interpretations.items():
        path = ("scenario", "interpretations", name)
        if name not in interps:
            issues.append(
                Issue("unknown_interpretation", path, None, {"id": name, "near": nearest(name, list(interps))})
            )
        elif reading not in interps[name].readings:
            allowed = "、".join(interps[name].readings)
            issues.append(Issue("unknown_reading", path, None, {"id": reading, "name": name, "allowed": allowed}))

    # units and the hierarchy
    answered: dict[tuple[str, str], str] = {}
    for i, u in enumerate(s.units):
        is_body = u.kind in BODY_KINDS
        if u.kind == "其他" and not u.note.strip():
            issues.append(Issue("other_needs_note", ("units", i, "kind"), None, {"id": u.id}))
        if u.parent is not None:
            if is_body:
                issues.append(Issue("body_with_parent", ("units", i, "parent"), None, {"id": u.id, "kind": u.kind}))
            elif u.parent not in units:
                issues.append(_unknown(issues, "unknown_unit", ("units", i, "parent"), u.parent, units))
            elif units[u.parent].kind in BODY_KINDS:
                issues.append(Issue("parent_is_body", ("units", i, "parent"), None, {"id": u.parent}))
        if is_body:
            if u.answers_for is None:
                issues.append(Issue("body_needs_answers_for", ("units", i), None, {"id": u.id, "kind": u.kind}))
            elif u.answers_for not in units:
                issues.append(_unknown(issues, "unknown_unit", ("units", i, "answers_for"), u.answers_for, units))
            elif units[u.answers_for].kind in BODY_KINDS:
                issues.append(Issue("parent_is_body", ("units", i, "answers_for"), None, {"id": u.answers_for}))
            else:
                role = "discipline" if u.kind in DISCIPLINE_KINDS else "team"
                other = answered.setdefault((u.answers_for, role), u.id)
                if other != u.id:
                    issues.append(
                        Issue(
                            "two_bodies",
                            ("units", i, "answers_for"),
                            None,
                            {"id": u.answers_for, "a": other, "b": u.id},
                        )
                    )
        elif u.answers_for is not None:
            issues.append(Issue("answers_for_not_body", ("units", i, "answers_for"), None, {"id": u.id}))
    issues += _cycles(s)

    # persons and their positions over time
    principals: dict[str, list[tuple]] = defaultdict(list)
    for pi, p in enumerate(s.persons):
        for qi, pos in enumerate(p.positions):
            path = ("persons", pi, "positions", qi)
            if pos.unit not in units:
                issues.append(_unknown(issues, "unknown_unit", path + ("unit",), pos.unit, units))
            elif pos.role in ROLE_UNIT and units[pos.unit].kind not in ROLE_UNIT[pos.role]:
                issues.append(
                    Issue(
                        "role_unit_mismatch",
                        path + ("role",),
                        None,
                        {"role": pos.role, "kind": units[pos.unit].kind},
                    )
                )
            if pos.to is not None and pos.to < pos.from_:
                issues.append(Issue("dates_reversed", path + ("to",), None, {"from": pos.from_, "to": pos.to}))
            if pos.role == "主要负责人":
                principals[pos.unit].append((pos.from_, pos.to, p.id, path))
        for a in range(len(p.positions)):
            for b in range(a + 1, len(p.positions)):
                pa, pb = p.positions[a], p.positions[b]
                if pa.concurrent or pb.concurrent:
                    continue
                if _overlap(pa.from_, pa.to, pb.from_, pb.to):
                    issues.append(
                        Issue(
                            "two_places",
                            ("persons", pi, "positions", b),
                            None,
                            {"id": p.id, "a": pa.unit, "b": pb.unit, "from": max(pa.from_, pb.from_)},
                        )
                    )
    for unit, spans in principals.items():
        for a, b in _overlapping(spans):
            (_, _, ida, _), (_, _, idb, path) = spans[a], spans[b]
            issues.append(Issue("two_principals", path, None, {"id": unit, "a": ida, "b": idb}))

    _check_groups(s, units, persons, issues)

    # events
    vocab = load_vocabulary()
    for ei, ev in enumerate(s.events):
        base = ("events", ei)
        if ev.date > s.scenario.as_of:
            issues.append(
                Issue("event_after_as_of", base + ("date",), None, {"date": ev.date, "as_of": s.scenario.as_of})
            )
        if isinstance(ev, Finding):
            if ev.subject not in units and ev.subject not in persons:
                issues.append(
                    _unknown(issues, "unknown_subject", base + ("subject",), ev.subject, {**units, **persons})
                )
            for k, share in enumerate(ev.shares):
                if share.person not in persons:
                    path = base + ("shares", k, "person")
                    issues.append(_unknown(issues, "unknown_person", path, share.person, persons))
            if ev.case is not None and not isinstance(events.get(ev.case), Case):
                cases = {e.id: e for e in s.events if isinstance(e, Case)}
                issues.append(_unknown(issues, "unknown_event", base + ("case",), ev.case, cases))
        if isinstance(ev, (Finding, Case)):
            named = [("parties", k, p) for k, p in enumerate(ev.parties)]
            if isinstance(ev, Case) and ev.party is not None:
                named.insert(0, ("party", None, ev.party))
            for field, k, party in named:
                if party not in persons and party not in groups:
                    path = base + ((field, k) if k is not None else (field,))
                    issues.append(_unknown(issues, "unknown_person", path, party, {**persons, **groups}))
        if isinstance(ev, Case):
            if not ev.all_parties():
                issues.append(Issue("case_without_party", base, None, {"id": ev.id}))
            if ev.unit not in units:
                issues.append(_unknown(issues, "unknown_unit", base + ("unit",), ev.unit, units))
        # the old one-word severity: 较轻/较重 read as circumstances.degree; 严重 cannot say which criterion
        if ev.severity == "严重":
            issues.append(Issue("severity_grave", base + ("severity",), None, {"id": ev.id}))
        elif ev.severity is not None and ev.circumstances is not None:
            issues.append(Issue("severity_and_circumstances", base + ("severity",), None, {"id": ev.id}))
        if isinstance(ev, (Finding, Case)):
            for k, el in enumerate(ev.elements):
                path = base + ("elements", k)
                if el not in vocab.elements:
                    if el in vocab.items:  # an item id where an element id belongs: offer the item's own elements
                        own = "、".join(e.id for e in vocab.items[el].elements()[:12])
                        issues.append(Issue("item_not_element", path, None, {"id": el, "near": own}))
                    else:
                        issues.append(_unknown(issues, "unknown_element", path, el, vocab.elements))
                    continue
                is_case_item = vocab.items[vocab.elements[el].item].subject == "case"
                if isinstance(ev, Case) and not is_case_item:
                    issues.append(Issue("element_not_for_case", path, None, {"id": el}))
                if isinstance(ev, Finding) and is_case_item:
                    issues.append(Issue("element_needs_case", path, None, {"id": el}))
            if isinstance(ev, Finding):
                issues += _element_checks(ev, base, units, persons, vocab)
        if isinstance(ev, Accountability):
            target = events.get(ev.concerning)
            if target is None or isinstance(target, Accountability):
                issues.append(_unknown(issues, "unknown_event", base + ("concerning",), ev.concerning, _matters(s)))
            else:
                issues += _date_order(ev, target, base)
            if ev.target not in units and ev.target not in persons:
                issues.append(_unknown(issues, "unknown_subject", base + ("target",), ev.target, {**units, **persons}))
            if ev.by is not None and ev.by not in units:
                issues.append(_unknown(issues, "unknown_unit", base + ("by",), ev.by, units))


# A cycle in the hierarchy is shown by its first units (and its length), not unit by unit.
CYCLE_SHOWN = 6

# The dates of an accountability record, each with the one it cannot precede (catalogue words date_…).
_DATE_ORDER = (
    ("date", "decision", None, "event"),
    ("handled_on", "handled", None, "event"),
    ("served_on", "served", "date", "decision"),
    ("received_on", "received", "served_on", "served"),
    ("appeal_filed_on", "appeal_filed", "received_on", "received"),
    ("appeal_filed_on", "appeal_filed", "date", "decision"),
    ("appeal_decided_on", "appeal_decided", "appeal_filed_on", "appeal_filed"),
)


def _last_day(value: dt.date) -> dt.date:
    """The last day a date given to the day, the month or the year can stand for."""
    if precision(value) == "year":
        return dt.date(value.year, 12, 31)
    if precision(value) == "month":
        following = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return value


def _date_order(ev: Accountability, matter, base: tuple) -> list[Issue]:
    """Impossible orders of an accountability record's dates: a decision before the matter it concerns,
    service before the decision, receipt before service, an appeal decided before it was filed."""
    out = []
    for field, word, before, before_word in _DATE_ORDER:
        later = getattr(ev, field, None)
        earlier = getattr(matter, "date", None) if before is None else getattr(ev, before, None)
        if not (isinstance(later, dt.date) and isinstance(earlier, dt.date)) or _last_day(later) >= earlier:
            continue  # a month or a year may be any of its days: only a certain inversion is refused
        if field == "appeal_filed_on" and before == "date" and isinstance(getattr(ev, "received_on", None), dt.date):
            continue  # already compared with the receipt, which follows the decision
        params = {
            "w_later": f"date_{word}",
            "later": show(later),
            "w_earlier": f"date_{before_word}",
            "earlier": show(earlier),
        }
        out.append(Issue("date_order", base + (field,), None, params))
    return out


def _element_checks(ev: Finding, base: tuple, units: dict, persons: dict, vocab: Vocabulary) -> list[Issue]:
    """Elements where no rule can read them (an item about a team on a person, …), and a consequence
    established without the conduct its item needs when nothing else could complete the item (a warning)."""
    out = []
    subject = getattr(ev, "subject", None)
    sort = PERSON if subject in persons else unit_sort(units[subject].kind) if subject in units else ""
    by_item: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for k, el in enumerate(ev.elements):
        element = vocab.elements.get(el)
        if element is None or vocab.items[element.item].subject == "case":
            continue
        by_item[element.item].append((k, el))
        if sort and not readable_about(element.item, sort):
            item = vocab.items[element.item]
            params = {"id": el, "item": item.id, "w_applies": f"subject_{item.subject}", "subject": subject}
            if sort == PERSON:
                out.append(Issue("element_on_person", base + ("elements", k), None, params))
            else:
                out.append(
                    Issue("element_on_unit", base + ("elements", k), None, {**params, "kind": units[subject].kind})
                )
    for item_id, found in by_item.items():
        item = vocab.items[item_id]
        if item_id in derived_situations() or item.catch_all:
            continue
        have = {el for _, el in found}
        if any(all(any(e.id in have for e in g.elements) for g in b.groups) for b in item.branches):
            continue
        effects = [(k, el) for k, el in found if vocab.elements[el].kind in ("consequence", "effect")]
        if not effects:
            continue
        branches = [b for b in item.branches if any(e.id in have for g in b.groups for e in g.elements)]
        if all(
            not any(e.id in have for g in b.groups if g.kind == "conduct" for e in g.elements)
            and any(g.kind == "conduct" for g in b.groups)
            for b in branches
        ):
            k, el = effects[0]
            out.append(Issue("consequence_without_conduct", base + ("elements", k), None, {"id": el, "item": item_id}))
    return out


def _check_groups(s: Scenario, units: dict, persons: dict, issues: _Issues) -> None:
    """A group's unit and its named members exist."""
    for gi, g in enumerate(s.groups):
        if g.unit is not None and g.unit not in units:
            issues.append(_unknown(issues, "unknown_unit", ("groups", gi, "unit"), g.unit, units))
        for k, m in enumerate(g.members):
            if m not in persons:
                issues.append(_unknown(issues, "unknown_person", ("groups", gi, "members", k), m, persons))


def _dates(s: Scenario):
    """(path, date) for every date in the scenario."""
    yield ("scenario", "as_of"), s.scenario.as_of
    for pi, p in enumerate(s.persons):
        for qi, pos in enumerate(p.positions):
            yield ("persons", pi, "positions", qi, "from"), pos.from_
            if pos.to is not None:
                yield ("persons", pi, "positions", qi, "to"), pos.to
    for ei, ev in enumerate(s.events):
        for name in (
            "date",
            "handled_on",
            "served_on",
            "received_on",
            "appeal_filed_on",
            "appeal_received_on",
            "appeal_decided_on",
        ):
            value = getattr(ev, name, None)
            if value is not None:
                yield ("events", ei, name), value


def _matters(s: Scenario) -> dict:
    return {e.id: e for e in s.events if not isinstance(e, Accountability)}


def _unknown(issues: _Issues, code: str, path: tuple, value: str, choices: dict) -> Issue:
    near = "—"
    if issues.hints >= len(choices):
        issues.hints -= len(choices)
        near = nearest(value, list(choices))
    return Issue(code, path, None, {"id": value, "near": near})


def _overlapping(spans: list[tuple]) -> list[tuple[int, int]]:
    """Pairs (a, b), a < b, of spans (from, to, person, path) of different persons that share a day, in the
    order of a double loop over the list, found by a sweep over the starting dates (not every pair compared)."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
    active: list[tuple[dt.date, int]] = []  # heap of (last day, index) of spans begun so far
    pairs = []
    for i in order:
        start, end, person, _ = spans[i]
        while active and active[0][0] < start:
            heapq.heappop(active)
        for _, j in active:
            if spans[j][2] != person:
                pairs.append((min(i, j), max(i, j)))
                if len(pairs) >= MAX_COUNTED:
                    return sorted(pairs)
        heapq.heappush(active, (end or dt.date.max, i))
    return sorted(pairs)


def _overlap(f1, t1, f2, t2) -> bool:
    """Whether two closed date ranges (None = open end) share a day."""
    end1 = t1 or f2.max
    end2 = t2 or f1.max
    return f1 <= end2 and f2 <= end1


def _cycles(s: Scenario) -> list[Issue]:
    parent = {u.id: u.parent for u in s.units if u.parent}
    index = {u.id: i for i, u in enumerate(s.units)}
    issues = []
    done: set[str] = set()  # units whose way up is already known to end (or to have been reported)
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()
        node = start
        while node in parent and node not in on_path and node not in done:
            path.append(node)
            on_path.add(node)
            node = parent[node]
        if node in on_path:
            cycle = path[path.index(node) :]
            first = min(cycle, key=index.get)
            at = cycle.index(first)
            cycle = cycle[at:] + cycle[:at]  # from the unit written first
            shown = " → ".join(cycle[:CYCLE_SHOWN] + [cycle[0] if len(cycle) <= CYCLE_SHOWN else "…"])
            issues.append(
                Issue("hierarchy_cycle", ("units", index[first], "parent"), None, {"cycle": shown, "n": len(cycle)})
            )
        done.update(path)
    return issues
