"""Which subjects each item can be read about, derived from the rule data (kb/rules/*.yaml), not from a hand list.

A rule reads an item's situation as `situation(E, S, "ITEM")` and constrains S in the same body (`party_team(S)`,
`discipline_body(S)`, `person(S)`, `team_member(S, …)`, …). An abstract evaluation of the rules over *sorts* — a
person, or a unit of each kind of the schema — finds, for every argument of every predicate, the sorts it can
hold; an item can be read about a subject only if some rule that reads its situation accepts the subject's sort.
The result is an over-approximation (it never calls a readable fact unreadable): a finding's element about a
subject of a sort no rule reads is reported as misplaced (kb/scenario_check.py)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import get_args

from ruamel.yaml import YAML

from kb.scenario_fast import fast_yaml
from kb.schema import BODY_KINDS, UnitKind
from kb.unit_kinds import scope_facts

RULES_DIR = Path(__file__).parent / "rules"
PERSON = "person"

# The scenario's facts (reasoning/facts.py) that name persons (P) or units (U) by argument position; other
# positions, and predicates not listed here, may hold anything. unit_kind is read relationally (below).
_SCENARIO = {
    "person": "P",
    "unit": "U",
    "parent": "UU",
    "answers_for": "BU",
    "held": "PU..",
    "portfolio_at": "PU..",
    "event_subject": ".*",
    "case_party": ".P",
    "finding_party": ".P",
    "rank_at": "P..",
    "repeat_within_year": "P..",
    "pursued": "*.",
    "declined": "*.",
    "decided_method": "*..",
}
# Facts that hold for EVERY subject of a sort (the scenario checks see to it): every unit is a unit, every
# person a person, and every 党委/党组/纪委/纪检组 — and only they — answers for a unit. A rule that requires the
# absence of such a fact (`not body_unit(U)`) therefore cannot read a subject of that sort.
_EXACT = {"person": {0: "P"}, "unit": {0: "U"}, "answers_for": {0: "B"}}

# Situations are generated from the vocabulary (one rule per branch, about the event's subject, a unit or a
# person); the rule files only add chains that derive more of them, so their own rules do not bound them.
_GENERATED = {"situation": ".*.", "group_met": "...."}
_ATOM = re.compile(r"\s*(not\s+)?([a-z][a-z0-9_]*)\s*\((.*)\)\s*$", re.S)


def unit_sort(kind: str) -> str:
    """The sort of a unit of this kind."""
    return f"unit:{kind}"


def _sorts() -> tuple[frozenset[str], frozenset[str]]:
    units = frozenset(unit_sort(k) for k in get_args(UnitKind))
    return units | {PERSON}, units


def _args(inner: str) -> list[tuple[str, str]]:
    """('v', name) for a variable, ('c', value) for a constant."""
    out, cur, quoted = [], [], False
    for ch in inner + ",":
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            raw = "".join(cur).strip()
            cur = []
            if raw.startswith('"'):
                out.append(("c", raw[1:-1]))
            elif re.fullmatch(r"[A-Z_]\w*", raw):
                out.append(("v", raw))
            elif raw:
                out.append(("c", raw))
        else:
            cur.append(ch)
    return out


def _atom(text: str) -> tuple[bool, str, list[tuple[str, str]]] | None:
    m = _ATOM.match(text)
    return (bool(m.group(1)), m.group(2), _args(m.group(3))) if m else None


@cache
def _rule_data() -> tuple[list[tuple], dict[str, list[tuple[str, ...]]]]:
    """(rules as (head, [body literal]), static fact tables) from kb/rules, with pattern rules expanded."""
    rules, tables = [], {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = fast_yaml(text, 100, 10_000_000, frozenset(), normalise=False)  # libyaml: ~20 times faster
        data = fast[0] if fast is not None else YAML(typ="safe").load(text)
        for fact in data.get("facts", []):
            tables.setdefault(fact["pred"], []).extend(tuple(str(v) for v in row) for row in fact["rows"])
        for raw in data.get("rules", []):
            for item in raw.get("for_items") or [None]:
                sub = (lambda s, item=item: s.replace("{item}", item)) if item else (lambda s: s)
                head = _atom(sub(raw["head"]))
                body = [_atom(sub(b)) for b in raw["body"]]
                if head and all(body):
                    rules.append((head, body))
    # the scope facts generated from the one table of unit kinds (kb/unit_kinds.yaml), as the rule book adds them
    for pred, (_clauses, _gloss, rows) in scope_facts().items():
        tables.setdefault(pred, []).extend(tuple(str(v) for v in row) for row in rows)
    return rules, tables


@cache
def _bodies() -> frozenset[str]:
    return frozenset(unit_sort(k) for k in BODY_KINDS)


def _sig(code: str, everything: frozenset, units: frozenset) -> list:
    return [{"P": frozenset({PERSON}), "U": units, "B": _bodies(), "*": everything}.get(c) for c in code]


def _must(rules, everything: frozenset, units: frozenset) -> dict[str, frozenset]:
    """Unary predicates that hold for every subject of some sorts: p(X) <- q(X, …) where q holds for every
    subject of those sorts at that position (_EXACT), e.g. body_unit(B) <- answers_for(B, A)."""
    out: dict[str, frozenset] = {}
    for head, body in rules:
        negated, pred, args = head
        if len(args) != 1 or args[0][0] != "v" or len(body) != 1 or body[0][0]:
            continue
        _, q, qargs = body[0]
        for i, (t, a) in enumerate(qargs):
            if t == "v" and a == args[0][1] and i in _EXACT.get(q, {}):
                code = _EXACT[q][i]
                out[pred] = out.get(pred, frozenset()) | _sig(code, everything, units)[0]
    return out


def _body(rule, idb, tables, everything, units) -> dict | None:
    """The sorts (or constants "c:…") each variable of a rule body can hold; None when the body cannot hold."""
    dom: dict[str, frozenset | None] = {}

    def meet(var: str, allowed: frozenset | None) -> None:
        if allowed is None:
            dom.setdefault(var, None)
            return
        cur = dom.get(var)
        dom[var] = allowed if cur is None else cur & allowed

    for _ in range(4):  # a few passes let constraints flow between literals
        before = dict(dom)
        for negated, pred, args in rule[1]:
            if negated:
                if pred in _MUST and len(args) == 1 and args[0][0] == "v":
                    var = args[0][1]
                    meet(var, (dom.get(var) if dom.get(var) is not None else everything) - _MUST[pred])
                continue
            if pred == "unit_kind" and len(args) == 2:
                (tu, u), (tk, k) = args
                kinds = {k} if tk == "c" else {c[2:] for c in dom[k]} if dom.get(k) is not None else None
                if tu == "v":
                    meet(u, units if kinds is None else frozenset(unit_sort(x) for x in kinds) & units)
                    if tk == "v" and dom.get(u) is not None:
                        meet(k, frozenset("c:" + s[5:] for s in dom[u]))
                continue
            if pred in tables:
                rows = [
                    row
                    for row in tables[pred]
                    if len(row) == len(args)
                    and all(
                        (t == "c" and row[i] == a) or (t == "v" and (dom.get(a) is None or "c:" + row[i] in dom[a]))
                        for i, (t, a) in enumerate(args)
                    )
                ]
                if not rows:
                    return None
                for i, (t, a) in enumerate(args):
                    if t == "v":
                        meet(a, frozenset("c:" + row[i] for row in rows))
                continue
            if pred in _GENERATED or pred in _SCENARIO:
                sig = _sig((_GENERATED.get(pred) or _SCENARIO[pred]).replace(".", "-"), everything, units)
            elif pred in idb:
                sig = idb[pred]
            elif pred in _DERIVED:  # a derived predicate with nothing derived yet
                return None
            else:  # a scenario or vocabulary fact this module does not describe: anything
                continue
            for i, (t, a) in enumerate(args):
                allowed = sig[i] if i < len(sig) else None
                if t == "c":
                    if allowed is not None and "c:" + a not in allowed:
                        return None
                else:
                    meet(a, allowed)
        if any(v is not None and not v for v in dom.values()):
            return None
        if dom == before:
            break
    return dom


_DERIVED: set[str] = set()
_MUST: dict[str, frozenset] = {}


@cache
def situation_sorts() -> dict[str, frozenset[str] | None]:
    """For every item whose situation some rule reads: the sorts of subject that rule can read it about
    ("person", "unit:党委", …); None where any subject may be read."""
    rules, tables = _rule_data()
    everything, units = _sorts()
    _DERIVED.clear()
    _DERIVED.update(h[1] for h, _ in rules if h[1] not in _GENERATED)
    _MUST.clear()
    _MUST.update(_must(rules, everything, units))
    idb: dict[str, list] = {}
    for _ in range(30):
        changed = False
        for head, body in rules:
            if head[1] in _GENERATED:
                continue
            dom = _body((head, body), idb, tables, everything, units)
            if dom is None:
                continue
            args = [frozenset({"c:" + a}) if t == "c" else dom.get(a) for t, a in head[2]]
            old = idb.get(head[1])
            new = (
                args
                if old is None
                else [None if x is None or y is None else x | y for x, y in zip(old, args, strict=False)]
            )
            if new != old:
                idb[head[1]] = new
                changed = True
        if not changed:
            break
    out: dict[str, frozenset[str] | None] = {}
    for head, body in rules:
        for negated, pred, args in body:
            if negated or pred != "situation" or len(args) != 3 or args[2][0] != "c" or args[1][0] != "v":
                continue
            item, var = args[2][1], args[1][1]
            dom = _body((head, body), idb, tables, everything, units)
            if dom is None:
                out.setdefault(item, frozenset())
                continue
            sorts = dom.get(var)
            sorts = None if sorts is None else frozenset(s for s in sorts if not s.startswith("c:"))
            old = out.get(item, frozenset())
            out[item] = None if sorts is None or old is None else old | sorts
    return out


def placement(sort: str) -> str:
    """The kind of subject a misplaced fact is judged by: a person, each party or discipline body, or any other
    unit. Kinds of unit outside a measure's scope (A1-2, A2-2, D16-14) are a matter of scope, which the rules
    read and report, not of placement."""
    return sort if sort == PERSON or sort in _bodies() else "unit:*"


def readable_about(item: str, sort: str) -> bool:
    """Whether some rule reads `item`'s situation about a subject of this kind (True when unknown)."""
    places = _placements().get(item)
    return places is None or not sort or placement(sort) in places


@cache
def _placements() -> dict[str, frozenset[str] | None]:
    """`situation_sorts` by placement: what `readable_about` compares with, worked out once."""
    return {
        item: None if sorts is None else frozenset(placement(x) for x in sorts)
        for item, sorts in situation_sorts().items()
    }


@cache
def derived_situations() -> frozenset[str]:
    """Items whose situation some rule derives from other facts (the chains of D16-5.9, D16-7.7): elements
    are not the only way to complete them."""
    rules, _ = _rule_data()
    return frozenset(h[2][2][1] for h, _ in rules if h[1] == "situation" and len(h[2]) == 3 and h[2][2][0] == "c")
