"""Evaluate the rule set with pyDatalog, stratum by stratum, inside a fresh Logic() per evaluation.

Strategy (ENGINE-NOTES.md): plain top-down queries for "every conclusion" re-derive shared sub-goals and were
~10x slower than materialising each stratum and asserting its results as facts for the next. So each stratum's
rules are compiled once, each rule's head under a private name (`p__r<n>`) and its body over plain facts;
each rule is queried for all answers and the new answers asserted as facts of `p`. A recursive stratum (the
chains up the hierarchy: liable → level → decides → situation → liable) is iterated until nothing new is
derived, asking again only the rules that a newly derived fact could feed: pyDatalog 0.22.4 itself never
returned on recursive cycles through three or more predicates (measured: 2-predicate cycles answer,
3-predicate ones hang), so pyDatalog is never handed a cycle.

A fresh `Logic()` per evaluation, rules compiled into it from the rule data, is the pattern that measured
0 leaks across threads; parsed rule objects are never shared between evaluations. No string is ever handed
to pyDatalog's parser: clauses are built directly as pyDatalog engine objects (pyEngine.Clause/Literal).
"""

from __future__ import annotations

import warnings

from reasoning.datalog import BUILTINS, Const, Literal, Rule
from reasoning.facts import Facts
from reasoning.rulebook import Rulebook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyDatalog import pyEngine
    from pyDatalog.Logic import Logic

Model = dict[str, frozenset[tuple[str, ...]]]


def all_facts(rulebook: Rulebook, facts: Facts) -> dict[str, set[tuple[str, ...]]]:
    """Scenario facts together with the rule book's static facts."""
    out: dict[str, set[tuple[str, ...]]] = {p: set(rows) for p, rows in rulebook.static_facts.items()}
    for pred, rows in facts.items():
        out.setdefault(pred, set()).update(rows)
    return out


def _fact(pred: str, row: tuple[str, ...]) -> object:
    return pyEngine.Clause(pyEngine.Literal(pred, [pyEngine.Const(v) for v in row]), [])


def evaluate(rulebook: Rulebook, facts: Facts) -> Model:
    """Every fact and every derived conclusion, as sets of tuples by predicate (pyDatalog)."""
    Logic()  # a fresh, empty logic for this thread: nothing of an earlier evaluation survives
    model: dict[str, set[tuple[str, ...]]] = all_facts(rulebook, facts)
    for pred, rows in model.items():
        for row in rows:
            pyEngine.assert_(_fact(pred, row))
    by_head: dict[str, list[Rule]] = {}
    for rule in rulebook.rules:
        by_head.setdefault(rule.head.pred, []).append(rule)
    index = 0
    for stratum in rulebook.strata:
        members = set(stratum)
        rules = [rule for pred in stratum for rule in by_head.get(pred, [])]
        names = []
        for rule in rules:
            _ensure_defined(rule, model, rulebook)
            names.append(f"{rule.head.pred}__r{index}")
            pyEngine.assert_(_clause(rule, names[-1]))
            index += 1
        pending = list(range(len(rules)))  # every rule is asked once
        while pending:
            delta: dict[str, set[tuple[str, ...]]] = {}
            for i in pending:
                rule = rules[i]
                query = pyEngine.Literal(names[i], [pyEngine.Var(f"V{k}") for k in range(rule.head.arity)])
                known = model.setdefault(rule.head.pred, set())
                for row in {tuple(str(v) for v in row) for row in (query.ask() or [])} - known:
                    known.add(row)
                    delta.setdefault(rule.head.pred, set()).add(row)
                    pyEngine.assert_(_fact(rule.head.pred, row))
            # semi-naive in spirit: ask again only the rules a new fact of this stratum could feed
            pending = [i for i, rule in enumerate(rules) if _fed_by(rule, members, delta)]
    return {p: frozenset(rows) for p, rows in model.items()}


def _fed_by(rule: Rule, members: set[str], delta: dict[str, set[tuple[str, ...]]]) -> bool:
    """Whether a positive body literal over this stratum matches one of the newly derived facts."""
    for lit in rule.body:
        if lit.negated or lit.atom.pred not in members:
            continue
        consts = [(k, a.value) for k, a in enumerate(lit.atom.args) if isinstance(a, Const)]
        if any(all(row[k] == v for k, v in consts) for row in delta.get(lit.atom.pred, ())):
            return True
    return False


def _ensure_defined(rule: Rule, model: dict, rulebook: Rulebook) -> None:
    """pyDatalog rejects a predicate that has neither facts nor rules: give empty ones a definition."""
    for lit in rule.body:
        pred = lit.atom.pred
        if pred not in BUILTINS and not model.get(pred):
            dummy = ("__none__",) * rulebook.arity[pred]
            pyEngine.assert_(_fact(pred, dummy))
            pyEngine.retract(_fact(pred, dummy))
            model.setdefault(pred, set())


def _clause(rule: Rule, head_name: str | None = None) -> object:
    """The pyDatalog clause of one rule: the head under a private rule name (`p__r…`), the body over
    facts, negated literals last (they are tests once the positive literals have bound their variables)."""
    anonymous = iter(range(10**6))

    def term(arg):
        if isinstance(arg, Const):
            return pyEngine.Const(arg.value)
        return pyEngine.Var(f"_{next(anonymous)}" if arg.name == "_" else arg.name)

    def literal(lit: Literal, name: str):
        name = {"neq": "!="}.get(name, name)
        return pyEngine.Literal(("~" if lit.negated else "") + name, [term(a) for a in lit.atom.args])

    head = literal(Literal(rule.head), head_name or f"{rule.head.pred}__r")
    order = sorted(rule.body, key=lambda lit: (lit.atom.pred in BUILTINS, lit.negated))
    body = [literal(lit, lit.atom.pred) for lit in order]
    return pyEngine.Clause(head, body)
