"""Evaluate the rule set with pyDatalog, stratum by stratum, inside a fresh Logic() per evaluation.

Strategy (ENGINE-NOTES.md): plain top-down queries for "every conclusion" re-derive shared sub-goals and were
~10x slower than materialising each stratum and asserting its results as facts for the next. So each stratum's
rules are compiled once with the head under a private name (`p__r`) and the body over plain facts; the heads
are queried for all answers and the new answers asserted as facts of `p`. A recursive stratum (the chain up
the hierarchy: liable → level → decides → situation → liable) is iterated the same way until nothing new is
derived: pyDatalog 0.22.4 itself never returned on recursive cycles through three or more predicates
(measured: 2-predicate cycles answer, 3-predicate ones hang), so pyDatalog is never handed a cycle.

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
    for stratum in rulebook.strata:
        rules = [rule for pred in stratum for rule in by_head.get(pred, [])]
        for rule in rules:
            _ensure_defined(rule, model, rulebook)
            pyEngine.assert_(_clause(rule))
        recursive = any(lit.atom.pred in stratum for rule in rules for lit in rule.body)
        while True:
            new_rows = 0
            for pred in stratum:
                query = pyEngine.Literal(f"{pred}__r", [pyEngine.Var(f"V{i}") for i in range(rulebook.arity[pred])])
                known = model.setdefault(pred, set())
                for row in {tuple(str(v) for v in row) for row in (query.ask() or [])} - known:
                    known.add(row)
                    pyEngine.assert_(_fact(pred, row))
                    new_rows += 1
            if not recursive or not new_rows:
                break
    return {p: frozenset(rows) for p, rows in model.items()}


def _ensure_defined(rule: Rule, model: dict, rulebook: Rulebook) -> None:
    """pyDatalog rejects a predicate that has neither facts nor rules: give empty ones a definition."""
    for lit in rule.body:
        pred = lit.atom.pred
        if pred not in BUILTINS and not model.get(pred):
            dummy = ("__none__",) * rulebook.arity[pred]
            pyEngine.assert_(_fact(pred, dummy))
            pyEngine.retract(_fact(pred, dummy))
            model.setdefault(pred, set())


def _clause(rule: Rule) -> object:
    """The pyDatalog clause of one rule: the head under its rule name `p__r`, the body over facts,
    negated literals last (they are tests once the positive literals have bound their variables)."""
    anonymous = iter(range(10**6))

    def term(arg):
        if isinstance(arg, Const):
            return pyEngine.Const(arg.value)
        return pyEngine.Var(f"_{next(anonymous)}" if arg.name == "_" else arg.name)

    def literal(lit: Literal, name: str):
        name = {"neq": "!="}.get(name, name)
        return pyEngine.Literal(("~" if lit.negated else "") + name, [term(a) for a in lit.atom.args])

    head = literal(Literal(rule.head), f"{rule.head.pred}__r")
    order = sorted(rule.body, key=lambda lit: (lit.atom.pred in BUILTINS, lit.negated))
    body = [literal(lit, lit.atom.pred) for lit in order]
    return pyEngine.Clause(head, body)
