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
to pyDatalog's parser: literals are built with `pyParser.Literal.make`.
"""

from __future__ import annotations

import warnings

from reasoning.datalog import Const, Literal, Rule
from reasoning.facts import Facts
from reasoning.rulebook import Rulebook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyDatalog import pyDatalog, pyParser
    from pyDatalog.Logic import Logic

Model = dict[str, frozenset[tuple[str, ...]]]


def all_facts(rulebook: Rulebook, facts: Facts) -> dict[str, set[tuple[str, ...]]]:
    """Scenario facts together with the rule book's static facts."""
    out: dict[str, set[tuple[str, ...]]] = {p: set(rows) for p, rows in rulebook.static_facts.items()}
    for pred, rows in facts.items():
        out.setdefault(pred, set()).update(rows)
    return out


def evaluate(rulebook: Rulebook, facts: Facts) -> Model:
    """Every fact and every derived conclusion, as sets of tuples by predicate (pyDatalog)."""
    Logic()  # a fresh, empty logic for this thread: nothing of an earlier evaluation survives
    model: dict[str, set[tuple[str, ...]]] = all_facts(rulebook, facts)
    for pred, rows in model.items():
        for row in rows:
            pyDatalog.assert_fact(pred, *row)
    by_head: dict[str, list[Rule]] = {}
    for rule in rulebook.rules:
        by_head.setdefault(rule.head.pred, []).append(rule)
    for stratum in rulebook.strata:
        rules = [rule for pred in stratum for rule in by_head.get(pred, [])]
        for rule in rules:
            _ensure_defined(rule, model, rulebook)
            _compile(rule)
        recursive = any(lit.atom.pred in stratum for rule in rules for lit in rule.body)
        while True:
            new_rows = 0
            for pred in stratum:
                variables = [pyDatalog.Variable() for _ in range(rulebook.arity[pred])]
                answer = pyParser.Literal.make(f"{pred}__r", variables).ask()
                known = model.setdefault(pred, set())
                for row in {tuple(str(v) for v in row) for row in (answer or [])} - known:
                    known.add(row)
                    pyDatalog.assert_fact(pred, *row)
                    new_rows += 1
            if not recursive or not new_rows:
                break
    return {p: frozenset(rows) for p, rows in model.items()}


def _ensure_defined(rule: Rule, model: dict, rulebook: Rulebook) -> None:
    """pyDatalog rejects a predicate that has neither facts nor rules: give empty ones a definition."""
    for lit in rule.body:
        pred = lit.atom.pred
        if not model.get(pred):
            dummy = ["__none__"] * rulebook.arity[pred]
            pyDatalog.assert_fact(pred, *dummy)
            pyDatalog.retract_fact(pred, *dummy)
            model.setdefault(pred, set())


def _compile(rule: Rule) -> None:
    """Build the pyDatalog clause for one rule: the head under its rule name `p__r`, the body over facts."""
    variables: dict[str, object] = {}

    def term(arg):
        if isinstance(arg, Const):
            return arg.value
        if arg.name == "_":
            return pyDatalog.Variable()
        return variables.setdefault(arg.name, pyDatalog.Variable())

    def literal(lit: Literal, is_head: bool = False):
        name = lit.atom.pred + ("__r" if is_head else "")
        made = pyParser.Literal.make(name, [term(a) for a in lit.atom.args])
        return ~made if lit.negated else made

    body = [literal(lit) for lit in sorted(rule.body, key=lambda lit: lit.negated)]
    conj = body[0]
    for part in body[1:]:
        conj = conj & part
    _ = literal(Literal(rule.head), is_head=True) <= conj  # `<=` adds the clause to the current logic
