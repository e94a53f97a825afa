"""Evaluate the rule set with pyDatalog, stratum by stratum, inside a fresh Logic() per evaluation.

Strategy (ENGINE-NOTES.md): plain top-down queries for "every conclusion" re-derive shared sub-goals and were
~10x slower than materialising each stratum and asserting its results as facts for the next, so each stratum's
rules are compiled under a private name (`p__r`), queried once for all answers, and the answers asserted as
facts of `p`. A fresh `Logic()` per evaluation, rules compiled into it from the rule data, is the pattern that
measured 0 leaks across threads; parsed rule objects are never shared between evaluations. No string is ever
handed to pyDatalog's parser: literals are built with `pyParser.Literal.make`.
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
        members = set(stratum)
        for pred in stratum:
            for rule in by_head.get(pred, []):
                _ensure_defined(rule, members, model, rulebook)
                _compile(rule, members)
        for pred in stratum:
            variables = [pyDatalog.Variable() for _ in range(rulebook.arity[pred])]
            answer = pyParser.Literal.make(f"{pred}__r", variables).ask()
            rows = {tuple(str(v) for v in row) for row in (answer or [])}
            model[pred] = rows
            for row in rows:
                pyDatalog.assert_fact(pred, *row)
    return {p: frozenset(rows) for p, rows in model.items()}


def _ensure_defined(rule: Rule, members: set[str], model: dict, rulebook: Rulebook) -> None:
    """pyDatalog rejects a predicate that has neither facts nor rules: give empty ones a definition."""
    for lit in rule.body:
        pred = lit.atom.pred
        if pred not in members and not model.get(pred):
            dummy = ["__none__"] * rulebook.arity[pred]
            pyDatalog.assert_fact(pred, *dummy)
            pyDatalog.retract_fact(pred, *dummy)
            model.setdefault(pred, set())


def _compile(rule: Rule, members: set[str]) -> None:
    """Build the pyDatalog clause for one rule; predicates of the current stratum use their rule names."""
    variables: dict[str, object] = {}

    def term(arg):
        if isinstance(arg, Const):
            return arg.value
        if arg.name == "_":
            return pyDatalog.Variable()
        return variables.setdefault(arg.name, pyDatalog.Variable())

    def literal(lit: Literal, is_head: bool = False):
        name = lit.atom.pred + ("__r" if is_head or lit.atom.pred in members else "")
        made = pyParser.Literal.make(name, [term(a) for a in lit.atom.args])
        return ~made if lit.negated else made

    body = [literal(lit) for lit in sorted(rule.body, key=lambda lit: lit.negated)]
    conj = body[0]
    for part in body[1:]:
        conj = conj & part
    literal(Literal(rule.head), is_head=True) <= conj
