"""Evaluate the rule set with pyDatalog, stratum by stratum, inside a fresh Logic() per evaluation.

Strategy (ENGINE-NOTES.md): plain top-down queries for "every conclusion" re-derive shared sub-goals and were
~10x slower than materialising each stratum and asserting its results as facts for the next. So each stratum's
rules are compiled when the stratum is reached, each rule's head under a private name (`p__r<n>`) and its body
over plain facts; each rule is queried for all answers and the new answers asserted as facts of `p`. A
recursive stratum (the chains up the hierarchy: liable → level → decides → situation → liable) is iterated
semi-naively until nothing new is derived: after the first round, a rule is asked again only through the rows
of its own stratum that the round before derived (a variant of the rule reading them from a small delta
predicate, put first). pyDatalog 0.22.4 itself never returned on recursive cycles through three or more
predicates (measured: 2-predicate cycles answer, 3-predicate ones hang), so pyDatalog is never handed a cycle.

What pyDatalog is handed is cut to what can matter, from the rule data and the rows of the strata below
(`_simplify`): a rule with a positive literal that no row below can match derives nothing and is not
compiled at all; a ground literal whose truth is already known is dropped (or kills the rule); a negated
literal over a predicate with no row matching it is dropped. The body is ordered by the sizes of the rows
below (`_order`): the literal with the fewest expected rows first, then each literal sharing bound
variables, negations and tests as soon as their variables are bound. Rows of a predicate no rule reads are
kept in the model but never asserted; the others are filed a predicate at a time (reasoning/pydatalog_facts.py).
What `_simplify` checks of each rule is worked out once from the rule data (`_Plan`). None of this changes
the model (the differential tests against clingo).

Python's cyclic garbage collector is paused while pyDatalog runs (`gc_paused`): the engine allocates many
long-lived objects and no garbage cycles of its own, and the collector's repeated passes over them cost
as much as the evaluation itself (measured: 36 s against 12 s at 10,000 persons, the same peak memory).

A fresh `Logic()` per evaluation, rules compiled into it from the rule data, is the pattern that measured
0 leaks across threads; parsed rule objects are never shared between evaluations. No string is ever handed
to pyDatalog's parser: clauses are built directly as pyDatalog engine objects (pyEngine.Clause/Literal).
"""

from __future__ import annotations

import dataclasses
import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from kb.gc_pause import gc_paused
from reasoning.datalog import BUILTINS, Atom, Const, Literal, Rule, Var
from reasoning.facts import Facts
from reasoning.rulebook import Rulebook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyDatalog import pyEngine
    from pyDatalog.Logic import Logic

from reasoning import pydatalog_index
from reasoning.pydatalog_facts import Constants, put

pydatalog_index.install()  # facts found from the most selective index: linear in facts sharing a constant
Model = dict[str, frozenset[tuple[str, ...]]]
Row = tuple[str, ...]


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Exempt every object alive now (a session's compiled logic and model) from the collector's passes while
    the block runs, and give them back afterwards: a long step-through then pays no full collections over the
    session at every step (gc.freeze / gc.unfreeze; nothing is kept frozen after the block)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def release_logic() -> None:
    """Drop this thread's logic, freeing its facts and clauses at once: each predicate's tables are emptied
    first, since a predicate and the clauses it holds refer to each other, and that cycle would otherwise
    leave ~30,000 objects per 50 persons to the cyclic collector (measured: 25-35 ms of collection, against
    2 ms to empty the tables). A fresh empty logic is installed in its place."""
    logic = Logic.tl.logic if hasattr(Logic.tl, "logic") else None
    for pred in list(getattr(logic, "Db", {}).values()):
        for table in (pred.db, pred.clauses, pred.index):
            if hasattr(table, "clear"):
                table.clear()
    Logic()


def all_facts(rulebook: Rulebook, facts: Facts) -> dict[str, set[tuple[str, ...]]]:
    """Scenario facts together with the rule book's static facts."""
    out: dict[str, set[tuple[str, ...]]] = {p: set(rows) for p, rows in rulebook.static_facts.items()}
    for pred, rows in facts.items():
        out.setdefault(pred, set()).update(rows)
    return out


def model_keys(rulebook: Rulebook) -> set[str]:
    """The predicates a model always names, even when empty: every rule head and every predicate a rule reads."""
    return set(rulebook.heads) | set(rulebook.reads)


def _fact(pred: str, row: tuple[str, ...]) -> object:
    return pyEngine.Clause(pyEngine.Literal(pred, [pyEngine.Const(v) for v in row]), [])


def _columns(rows: set[Row] | frozenset[Row]) -> list[dict[str, int]]:
    """Per column, how many of the rows hold each value."""
    arity = len(next(iter(rows))) if rows else 0
    cols: list[dict[str, int]] = [{} for _ in range(arity)]
    for row in rows:
        for col, value in zip(cols, row, strict=True):
            col[value] = col.get(value, 0) + 1
    return cols


_STATIC_COLUMNS: dict[int, tuple[Rulebook, dict[str, list[dict[str, int]]]]] = {}


def _static_columns(rulebook: Rulebook) -> dict[str, list[dict[str, int]]]:
    """`_columns` of each static table no rule derives, worked out once per rule book (memoised by identity,
    the rule book kept with its entry); never changed afterwards."""
    hit = _STATIC_COLUMNS.get(id(rulebook))
    if hit is None or hit[0] is not rulebook:
        cols = {p: _columns(rows) for p, rows in rulebook.static_facts.items() if p not in rulebook.heads}
        _STATIC_COLUMNS.clear()
        hit = _STATIC_COLUMNS[id(rulebook)] = (rulebook, cols)
    return hit[1]


class _Stats:
    """Sizes of the rows known so far, per predicate and column, for ordering rule bodies (one evaluation).
    `fixed` holds the columns of predicates whose rows are known not to change (static tables)."""

    def __init__(self, model: dict[str, set[Row]], fixed: dict[str, list[dict[str, int]]]):
        self.model = model
        self.columns: dict[str, list[dict[str, int]]] = dict(fixed)
        self.matches: dict[str, dict[tuple, int]] = {}

    def forget(self, pred: str) -> None:
        self.columns.pop(pred, None)
        self.matches.pop(pred, None)

    def columns_of(self, pred: str) -> list[dict[str, int]]:
        """Per column, how many known rows hold each value."""
        cols = self.columns.get(pred)
        if cols is None:
            cols = self.columns[pred] = _columns(self.model.get(pred, ()))
        return cols

    def matching(self, atom: Atom) -> int:
        """How many known rows can match the literal (exact for a ground literal or one constant, else an
        estimate from the most selective constant)."""
        rows = self.model.get(atom.pred, ())
        if not rows:
            return 0
        consts = _consts(atom)
        if not consts:
            return len(rows)
        if len(consts) == len(atom.args):
            return 1 if tuple(v for _, v in consts) in rows else 0
        known = self.matches.setdefault(atom.pred, {})
        n = known.get(consts)
        if n is None:
            if len(consts) > 1 and len(rows) <= 64:
                n = sum(1 for row in rows if all(row[k] == v for k, v in consts))
            else:
                cols = self.columns_of(atom.pred)
                n = min(cols[k].get(v, 0) for k, v in consts)
            known[consts] = n
        return n

    def estimate(self, atom: Atom, bound: set[str]) -> float:
        """Expected rows per binding of the bound variables (the rows matching divided by the distinct values
        of each bound column)."""
        n = float(self.matching(atom))
        if n == 0:
            return 0.0
        cols = self.columns_of(atom.pred) if self.model.get(atom.pred) else []
        for k, a in enumerate(atom.args):
            if isinstance(a, Var) and a.name in bound and cols:
                n /= max(1, len(cols[k]))
        return n


_CONSTS: dict[int, tuple[Atom, tuple[tuple[int, str], ...]]] = {}


def _consts(atom: Atom) -> tuple[tuple[int, str], ...]:
    """The (position, value) of each constant of an atom (memoised by identity: rule atoms live as long as
    their rule book, and the atom is kept with its entry so that its identity is never reused)."""
    hit = _CONSTS.get(id(atom))
    if hit is not None and hit[0] is atom:
        return hit[1]
    consts = tuple((k, a.value) for k, a in enumerate(atom.args) if isinstance(a, Const))
    if len(_CONSTS) > 100_000:
        _CONSTS.clear()
    _CONSTS[id(atom)] = (atom, consts)
    return consts


def _fits(args: tuple, row: Row) -> bool:
    """Whether a row can match a literal's arguments (its constants, and repeated variables)."""
    seen: dict[str, str] = {}
    for a, v in zip(args, row, strict=True):
        if isinstance(a, Const):
            if a.value != v:
                return False
        elif a.name != "_":
            if seen.setdefault(a.name, v) != v:
                return False
    return True


_KEEP, _NEQ, _GROUND, _NEGATED, _MATCHED = range(5)  # what `_simplify` does with a body literal


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What `_simplify` checks of one rule, worked out once from the rule data: per body literal, how it is
    decided (with a ground literal's values); the predicates below whose emptiness alone kills the rule;
    per variable shared by positive literals over the strata below, the (predicate, column)s holding it."""

    rule: Rule
    steps: tuple[tuple[int, Literal, tuple[str, ...]], ...]
    required: tuple[str, ...]
    shared: tuple[tuple[tuple[str, int], ...], ...]


_PLANS: dict[int, _Plan] = {}


def _plan(rule: Rule, members: set[str]) -> _Plan:
    """The rule's plan (memoised by identity, the rule kept with it, as `_consts`; a rule's stratum is fixed)."""
    hit = _PLANS.get(id(rule))
    if hit is not None and hit.rule is rule:
        return hit
    steps, required, columns = [], [], {}
    for lit in rule.body:
        pred, args = lit.atom.pred, lit.atom.args
        consts = _consts(lit.atom)
        values = tuple(v for _, v in consts)
        ground = len(consts) == len(args)
        if pred in BUILTINS:
            steps.append((_NEQ if ground else _KEEP, lit, values))
        elif pred in members:
            steps.append((_KEEP, lit, values))
        elif ground:
            steps.append((_GROUND, lit, values))
        elif lit.negated:
            steps.append((_NEGATED, lit, values))
        else:
            required.append(pred)
            steps.append((_MATCHED if consts else _KEEP, lit, values))
            for k, a in enumerate(args):
                if isinstance(a, Var) and a.name != "_":
                    columns.setdefault(a.name, []).append((pred, k))
    plan = _Plan(
        rule, tuple(steps), tuple(dict.fromkeys(required)), tuple(tuple(c) for c in columns.values() if len(c) > 1)
    )
    if len(_PLANS) > 100_000:
        _PLANS.clear()
    _PLANS[id(rule)] = plan
    return plan


def _simplify(rule: Rule, members: set[str], model: dict[str, set[Row]], stats: _Stats) -> Rule | None:
    """The rule with the literals already decided by the strata below removed; None if it cannot fire."""
    plan = _plan(rule, members)
    for pred in plan.required:
        if not model.get(pred):
            return None  # a positive literal over an empty predicate below
    body = []
    for kind, lit, values in plan.steps:
        if kind == _KEEP:
            body.append(lit)
        elif kind == _NEQ:
            if values[0] == values[1]:  # neq of two equal constants
                return None
        elif kind == _GROUND:
            if (values in model.get(lit.atom.pred, ())) == lit.negated:
                return None  # known true: nothing left to test; known false: the rule cannot fire
        elif kind == _NEGATED:
            if model.get(lit.atom.pred) and stats.matching(lit.atom):
                body.append(lit)  # else no row can match: the negation holds for every binding
        else:
            if stats.matching(lit.atom) == 0:
                return None
            body.append(lit)
    if not _joinable(plan, stats):
        return None
    if len(body) == len(rule.body):
        return rule
    return dataclasses.replace(rule, body=tuple(body))


def _joinable(plan: _Plan, stats: _Stats) -> bool:
    """A necessary condition for the body to have a solution over the strata below: every variable shared by
    positive literals over them has a value that each of their columns holds."""
    for places in plan.shared:
        cols = sorted((stats.columns_of(pred)[k] for pred, k in places), key=len)
        if not any(all(v in c for c in cols[1:]) for v in cols[0]):
            return False
    return True


def _order(body: tuple[Literal, ...] | list[Literal], stats: _Stats, first: Literal | None = None) -> list[Literal]:
    """A join order for pyDatalog's nested loops: `first` (a delta literal) or else the literal with the fewest
    expected rows, then greedily the cheapest literal given the variables bound so far (preferring those that
    share one), each negation and built-in test as soon as its variables are bound."""
    positives = [lit for lit in body if not lit.negated and lit.atom.pred not in BUILTINS and lit is not first]
    tests = [lit for lit in body if lit.negated or lit.atom.pred in BUILTINS]
    bound: set[str] = set()
    out: list[Literal] = []

    def take(lit: Literal) -> None:
        out.append(lit)
        bound.update(lit.atom.variables())
        for test in list(tests):
            if test.atom.variables() <= bound:
                out.append(test)
                tests.remove(test)

    if first is not None:
        take(first)
    while positives:
        best = min(
            positives,
            key=lambda lit: (
                bool(bound) and not (lit.atom.variables() & bound),
                stats.estimate(lit.atom, bound),
            ),
        )
        positives.remove(best)
        take(best)
    return out + tests


def _clause(rule: Rule, head_name: str, order: list[Literal], delta: tuple[Literal, str] | None = None) -> object:
    """The pyDatalog clause of one rule: the head under a private rule name (`p__r…`), the body over facts in
    the given order; with `delta=(literal, name)` that literal is read from the predicate `name` instead."""
    anonymous = iter(range(10**6))

    def term(arg):
        if isinstance(arg, Const):
            return pyEngine.Const(arg.value)
        return pyEngine.Var(f"_{next(anonymous)}" if arg.name == "_" else arg.name)

    def literal(lit: Literal, name: str):
        name = {"neq": "!="}.get(name, name)
        return pyEngine.Literal(("~" if lit.negated else "") + name, [term(a) for a in lit.atom.args])

    head = literal(Literal(rule.head), head_name)
    body = [literal(lit, delta[1] if delta and lit is delta[0] else lit.atom.pred) for lit in order]
    return pyEngine.Clause(head, body)


class _Run:
    """One evaluation inside the current thread's fresh Logic."""

    def __init__(self, rulebook: Rulebook, model: dict[str, set[Row]], facts: Facts):
        self.rulebook = rulebook
        self.model = model
        self.stats = _Stats(model, {p: c for p, c in _static_columns(rulebook).items() if p not in facts})
        self.defined: set[str] = set()
        self.consts = Constants()
        self.names = iter(range(10**9))

    def define(self, pred: str, arity: int) -> None:
        """pyDatalog rejects a predicate that has neither facts nor rules: give an empty one a definition."""
        if pred in self.defined:
            return
        dummy = _fact(pred, ("__none__",) * arity)
        pyEngine.assert_(dummy)
        pyEngine.retract(dummy)
        self.defined.add(pred)

    def ask(self, name: str, arity: int) -> set[Row]:
        query = pyEngine.Literal(name, [pyEngine.Var(f"V{k}") for k in range(arity)])
        return set(query.ask() or ())  # rows of the constants' values: strings, as every constant is

    def add(self, pred: str, rows: set[Row]) -> set[Row]:
        """Add derived rows to the model (and to the logic, if a compiled clause reads the predicate already);
        the new ones."""
        known = self.model.setdefault(pred, set())
        new = rows - known
        if new:
            known |= new
            self.stats.forget(pred)
            if pred in self.defined:
                put(pred, self.rulebook.arity[pred], new, self.consts)
        return new

    def load(self, pred: str, arity: int) -> None:
        """Put a predicate's rows into the logic when a clause first reads it (rows no compiled clause reads,
        static facts included, are never asserted)."""
        if pred in self.defined:
            return
        rows = self.model.get(pred)
        if not rows:
            self.define(pred, arity)
            return
        self.defined.add(pred)
        put(pred, arity, rows, self.consts)

    def compile(self, rule: Rule, order: list[Literal], delta: tuple[Literal, str] | None = None) -> str:
        for lit in order:
            if lit.atom.pred not in BUILTINS and not (delta and lit is delta[0]):
                self.load(lit.atom.pred, lit.atom.arity)
        name = f"{rule.head.pred}__r{next(self.names)}"
        pyEngine.assert_(_clause(rule, name, order, delta))
        return name

    def stratum(self, stratum: tuple[str, ...]) -> None:
        members = set(stratum)
        rules = []
        for pred in stratum:
            self.model.setdefault(pred, set())
            for rule in self.rulebook.rules_for(pred):
                simple = _simplify(rule, members, self.model, self.stats)
                if simple is not None:
                    rules.append(simple)
        recursive = any(lit.atom.pred in members and not lit.negated for r in rules for lit in r.body)
        delta: dict[str, set[Row]] = {}
        for rule in rules:
            if any(
                not lit.negated and lit.atom.pred in members and not self.stats.matching(lit.atom) for lit in rule.body
            ):
                continue  # a literal of this stratum has no row yet: the semi-naive rounds reach the rule when it has
            if not any(not lit.negated and lit.atom.pred not in BUILTINS for lit in rule.body):
                got = {tuple(a.value for a in rule.head.args)}  # every body literal already known true
            else:
                got = self.ask(self.compile(rule, _order(rule.body, self.stats)), rule.head.arity)
            new = self.add(rule.head.pred, got)
            if new and recursive:
                delta.setdefault(rule.head.pred, set()).update(new)
        variants: dict[tuple[int, int], str] = {}
        while delta:
            # semi-naive: each rule again, through each literal of this stratum, from last round's new rows only
            for pred, rows in delta.items():
                self.define(f"{pred}__delta", self.rulebook.arity[pred])
                for row in rows:
                    pyEngine.assert_(_fact(f"{pred}__delta", row))
            nxt: dict[str, set[Row]] = {}
            values = {p: [set(col) for col in zip(*rows, strict=True)] for p, rows in delta.items()}
            for r, rule in enumerate(rules):
                for pos, lit in enumerate(rule.body):
                    if lit.negated or lit.atom.pred not in delta:
                        continue
                    consts = _consts(lit.atom)
                    if any(v not in values[lit.atom.pred][k] for k, v in consts):
                        continue  # no new row has one of the literal's constants
                    if len(consts) > 1 and not any(_fits(lit.atom.args, row) for row in delta[lit.atom.pred]):
                        continue
                    name = variants.get((r, pos))
                    if name is None:
                        order = _order(rule.body, self.stats, first=lit)
                        name = variants[(r, pos)] = self.compile(rule, order, (lit, f"{lit.atom.pred}__delta"))
                    new = self.add(rule.head.pred, self.ask(name, rule.head.arity))
                    if new:
                        nxt.setdefault(rule.head.pred, set()).update(new)
            for pred, rows in delta.items():
                for row in rows:
                    pyEngine.retract(_fact(f"{pred}__delta", row))
            delta = nxt


def evaluate(rulebook: Rulebook, facts: Facts, base: tuple[Facts, Model] | None = None) -> Model:
    """Every fact and every derived conclusion, as sets of tuples by predicate (pyDatalog).

    `base` is another evaluation of (mostly) the same facts, as pure data: its facts and its model (e.g. the same
    scenario under other interpretation readings). A stratum whose rules can read none of the rows that differ
    keeps that model's rows instead of being evaluated again; the result is the same model either way
    (tests/test_engine_base.py compares them on every sample and every reading)."""
    with gc_paused():
        Logic()  # a fresh, empty logic for this thread: nothing of an earlier evaluation survives
        try:
            return _evaluate(rulebook, facts, base)
        finally:
            release_logic()


def _reads_change(rulebook: Rulebook, stratum: tuple[str, ...], changed: dict[str, set[Row]]) -> bool:
    """Whether a stratum's rows can differ: one of its predicates has changed facts, or one of its rules has a
    literal (positive or negated) that a changed row fits (its constants and repeated variables)."""
    for pred in stratum:
        if pred in changed:
            return True
        for rule in rulebook.rules_for(pred):
            for lit in rule.body:
                rows = changed.get(lit.atom.pred)
                if rows and any(_fits(lit.atom.args, row) for row in rows):
                    return True
    return False


def _evaluate(rulebook: Rulebook, facts: Facts, base: tuple[Facts, Model] | None = None) -> Model:
    """The body of `evaluate`, in the fresh logic."""
    model: dict[str, set[Row]] = all_facts(rulebook, facts)
    run = _Run(rulebook, model, facts)
    changed: dict[str, set[Row]] = {}
    if base is not None:
        before, old = all_facts(rulebook, base[0]), base[1]
        for pred in set(model) | set(before):
            diff = model.get(pred, set()) ^ before.get(pred, set())
            if diff:
                changed[pred] = diff
    for stratum in rulebook.strata:
        if base is None:
            run.stratum(stratum)
            continue
        if not _reads_change(rulebook, stratum, changed):
            for pred in stratum:  # nothing this stratum reads differs: its rows are the base model's
                model[pred] = set(old.get(pred, ()))
                run.stats.forget(pred)
            continue
        run.stratum(stratum)
        for pred in stratum:
            diff = model.get(pred, set()) ^ old.get(pred, frozenset())
            if diff:
                changed[pred] = diff
            else:
                changed.pop(pred, None)  # evaluated again to the same rows: what reads it need not be
    for pred in model_keys(rulebook):
        model.setdefault(pred, set())
    return {p: frozenset(rows) for p, rows in model.items()}
