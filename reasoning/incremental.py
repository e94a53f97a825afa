"""Incremental evaluation for the step-through: one pyDatalog Logic per session, facts added and removed in
steps, and only what the change can affect derived again.

The session compiles the rule book once into its own fresh `Logic()` (the pattern of reasoning/engine.py:
clauses built directly as pyEngine objects, each rule's head under a private name `p__r<i>`, derived rows
asserted as facts of `p`, strata in order). A step then changes some scenario facts, and each stratum whose
rules read a changed predicate is brought up to date in one of two ways (strata that read nothing that
changed keep their rows):

- ``dred`` (default): delete-and-rederive, stratum by stratum. For a stratum S, with the strata below already
  up to date and their changes known (Δ+ added, Δ- removed):
  1. over-delete: with the predicates below temporarily put back in their old state, every row of S that had a
     derivation through a literal that is now false (a positive literal over Δ-, a negated one over Δ+),
     propagated through S's own recursion;
  2. rederive: of those rows, the ones still derivable in the new state;
  3. insert, semi-naively: the rows derivable through a literal that became true (a positive literal over Δ+,
     a negated one over Δ-, or a row of S new in the previous round).
  Each of these is a pyDatalog clause compiled (once per session, when first needed) from the rule: the
  changed literal is replaced by a small delta predicate and put first, so pyDatalog starts from the change
  instead of the whole model; a variant no delta row can feed is not asked at all (`_possible`). Negation is
  why step 1 exists: an accountability record (`pursued`) stops a chain, so conclusions drawn before it are
  withdrawn.
- ``strata``: each affected stratum's derived rows are retracted and the stratum is evaluated again, as the
  engine does.

Either way the model equals `reasoning.engine.evaluate` on the same facts (tests/test_incremental.py checks it
at every step of several samples). A session belongs to the thread that created it; its Logic is re-installed
at the start of every call (another evaluation on the same thread may have installed its own meanwhile) and
is never shared with another thread.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from reasoning.datalog import BUILTINS, Const, Literal, Rule
from reasoning.engine import Model, _fact, _fits, all_facts, gc_paused
from reasoning.facts import Facts
from reasoning.pydatalog_facts import Constants, put
from reasoning.rulebook import Rulebook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyDatalog import pyEngine
    from pyDatalog.Logic import Logic

Row = tuple[str, ...]
STRATEGIES = ("dred", "strata")


def _compile(rule: Rule, head_name: str, first: tuple[str, Literal | None] | None = None) -> object:
    """A rule as a pyDatalog clause, as reasoning/engine.py compiles it: the head under a private name, the body
    over facts, positive literals first, negated ones and built-in tests once their variables are bound.

    With `first=(delta, literal)` the literal is read from the predicate `delta` instead (as a positive
    literal) and put first; with `first=(delta, None)` the head's own arguments are first read from `delta`."""
    anonymous = iter(range(10**6))

    def term(arg):
        if isinstance(arg, Const):
            return pyEngine.Const(arg.value)
        return pyEngine.Var(f"_{next(anonymous)}" if arg.name == "_" else arg.name)

    def literal(lit: Literal, name: str, negated: bool):
        name = {"neq": "!="}.get(name, name)
        return pyEngine.Literal(("~" if negated else "") + name, [term(a) for a in lit.atom.args])

    head = literal(Literal(rule.head), head_name, False)
    rest = list(rule.body)
    body = []
    if first is not None:
        delta, target = first
        if target is None:
            body.append(literal(Literal(rule.head), delta, False))
        else:
            rest = [lit for lit in rest if lit is not target]
            body.append(literal(target, delta, False))
    for lit in sorted(rest, key=lambda lit: (lit.atom.pred in BUILTINS, lit.negated)):
        body.append(literal(lit, lit.atom.pred, lit.negated))
    return pyEngine.Clause(head, body)


@dataclass
class StepStats:
    """What one update did: how many strata it touched, how many pyDatalog queries it asked, how many
    clauses it compiled, and how long it took."""

    added: int = 0
    removed: int = 0
    strata_touched: int = 0
    strata_recomputed: int = 0
    queries: int = 0
    compiled: int = 0
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)


class IncrementalEvaluator:
    """A step-through session over one rule book: `update(added, removed)` returns the new model."""

    def __init__(
        self,
        rulebook: Rulebook,
        facts: Facts | None = None,
        strategy: str = "dred",
        clock: Callable[[], float] = time.perf_counter,
    ):
        """`clock` times each step (StepStats.seconds): wall time by default; the benchmark passes the CPU clock."""
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}; known: {', '.join(STRATEGIES)}")
        self.rulebook = rulebook
        self.strategy = strategy
        self.clock = clock
        self.owner = threading.get_ident()
        self.by_head: dict[str, list[tuple[int, Rule]]] = {}
        for i, rule in enumerate(rulebook.rules):
            self.by_head.setdefault(rule.head.pred, []).append((i, rule))
        self.idb = set(self.by_head)
        # which predicates the rules of each stratum read, positively and under negation
        self.reads: list[tuple[set[str], set[str]]] = []
        for stratum in rulebook.strata:
            pos, neg = set(), set()
            for pred in stratum:
                for _, rule in self.by_head.get(pred, []):
                    for lit in rule.body:
                        if lit.atom.pred not in BUILTINS:
                            (neg if lit.negated else pos).add(lit.atom.pred)
            self.reads.append((pos, neg))
        # the predicates the engine's model always names, even when empty
        self.keys = (
            self.idb
            | set(rulebook.static_facts)
            | {lit.atom.pred for rule in rulebook.rules for lit in rule.body if lit.atom.pred not in BUILTINS}
        )
        self.recursive = [bool(self.reads[n][0] & set(s)) for n, s in enumerate(rulebook.strata)]
        self.variants: dict[tuple, str] = {}
        self.defined: set[str] = set()
        self.model: dict[str, set[Row]] = {}
        self.counts: dict[str, list[dict[str, int]]] = {}
        self._older: dict[str, set[Row]] = {}  # during over-deletion: rows removed below, still "there" then
        self._frozen: dict[str, frozenset[Row]] = {}
        self.last = StepStats()

        with gc_paused():
            self._build(facts)

    def _build(self, facts: Facts | None) -> None:
        """Compile every rule into a fresh logic for this session alone and evaluate the first facts."""
        rulebook = self.rulebook
        self._logic = Logic()
        for pred in rulebook.arity:
            if pred not in BUILTINS:
                self._define(pred)
        for i, rule in enumerate(rulebook.rules):
            pyEngine.assert_(_compile(rule, self._rule_name(i)))
        start = self.clock()
        self.model = all_facts(rulebook, facts or {})
        for pred in self.keys:
            self.model.setdefault(pred, set())
        consts = Constants()
        for pred, rows in self.model.items():
            if rows:
                put(pred, len(next(iter(rows))), rows, consts)
            self._count(pred, rows, 1)
        for n in range(len(rulebook.strata)):
            self._recompute(n)
        self.last = StepStats(added=sum(len(r) for r in self.model.values()), seconds=self.clock() - start)
        self._logic = Logic(True)

    # ------------------------------------------------------------------------------------------------
    # public
    # ------------------------------------------------------------------------------------------------

    def current(self) -> Model:
        """The model now, exactly as `reasoning.engine.evaluate` returns it for the same facts."""
        for pred, rows in self.model.items():
            if pred not in self._frozen:
                self._frozen[pred] = frozenset(rows)
        return {p: rows for p, rows in self._frozen.items() if rows or p in self.keys}

    def facts(self) -> Facts:
        """The scenario facts the session holds now (without the rule book's static facts)."""
        static = self.rulebook.static_facts
        return {
            p: set(rows) - static.get(p, frozenset())
            for p, rows in self.model.items()
            if p not in self.idb and set(rows) - static.get(p, frozenset())
        }

    def set_facts(self, facts: Facts) -> Model:
        """Bring the session to exactly these scenario facts (static facts stay): adds and removes the difference."""
        target = all_facts(self.rulebook, facts)
        added: Facts = {}
        removed: Facts = {}
        for pred in set(target) | {p for p in self.model if p not in self.idb}:
            new, old = target.get(pred, set()), self.model.get(pred, set())
            if new - old:
                added[pred] = new - old
            if old - new:
                removed[pred] = old - new
        return self.update(added, removed)

    def update(self, added: Facts | None = None, removed: Facts | None = None) -> Model:
        """Add and remove scenario facts, bring every derived predicate up to date, return the model."""
        if threading.get_ident() != self.owner:
            raise RuntimeError("an incremental session belongs to the thread that created it")
        start = self.clock()
        Logic(self._logic)  # re-install this session's logic on the thread
        try:
            with gc_paused():
                return self._update(added, removed, start)
        finally:
            self._logic = Logic(True)

    def _update(self, added: Facts | None, removed: Facts | None, start: float) -> Model:
        """The body of `update`, with this session's logic installed."""
        stats = StepStats()
        self.last = stats
        plus: dict[str, set[Row]] = {}
        minus: dict[str, set[Row]] = {}
        for pred, rows in (removed or {}).items():
            if pred in self.idb:
                raise ValueError(f"{pred} is derived, not a fact")
            gone = (set(rows) & self.model.get(pred, set())) - set((added or {}).get(pred, ()))
            if gone:
                minus[pred] = gone
        for pred, rows in (added or {}).items():
            if pred in self.idb:
                raise ValueError(f"{pred} is derived, not a fact")
            if pred not in self.rulebook.arity:
                raise ValueError(f"unknown predicate {pred}")
            new = set(rows) - self.model.get(pred, set())
            if new:
                plus[pred] = new
        for pred, rows in minus.items():
            self._retract(pred, rows)
        for pred, rows in plus.items():
            self._assert(pred, rows)
        stats.added = sum(len(r) for r in plus.values())
        stats.removed = sum(len(r) for r in minus.values())
        changed = set(plus) | set(minus)
        self._set_deltas(plus, minus, changed)
        for n, stratum in enumerate(self.rulebook.strata):
            pos, neg = self.reads[n]
            if not (pos | neg) & changed:
                continue
            stats.strata_touched += 1
            before = {p: set(self.model.get(p, set())) for p in stratum}
            if self.strategy == "strata":
                self._recompute(n)
                stats.strata_recomputed += 1
            else:
                self._dred(n, plus, minus)
            for pred in stratum:
                now = self.model.get(pred, set())
                p_new, p_gone = now - before[pred], before[pred] - now
                if p_new:
                    plus[pred] = p_new
                if p_gone:
                    minus[pred] = p_gone
                if p_new or p_gone:
                    changed.add(pred)
                    self._set_deltas({pred: p_new}, {pred: p_gone}, {pred})
        self._clear_deltas(plus, minus)
        stats.changed = sorted(changed)
        for pred in changed:
            self._frozen.pop(pred, None)
        stats.seconds = self.clock() - start
        return self.current()

    # ------------------------------------------------------------------------------------------------
    # facts and delta predicates
    # ------------------------------------------------------------------------------------------------

    def _define(self, name: str, arity: int | None = None) -> None:
        """Give a predicate a definition in the logic (pyDatalog rejects one with neither facts nor rules)."""
        if name in self.defined:
            return
        dummy = _fact(name, ("__none__",) * (arity if arity is not None else self.rulebook.arity[name]))
        pyEngine.assert_(dummy)
        pyEngine.retract(dummy)
        self.defined.add(name)

    def _assert(self, pred: str, rows, into: str | None = None) -> None:
        name = into or pred
        if into is None:
            known = self.model.setdefault(pred, set())
            rows = set(rows) - known
            known.update(rows)
            self._count(pred, rows, 1)
        for row in rows:
            pyEngine.assert_(_fact(name, row))

    def _retract(self, pred: str, rows, into: str | None = None) -> None:
        name = into or pred
        if into is None:
            known = self.model.get(pred, set())
            rows = set(rows) & known
            known.difference_update(rows)
            self._count(pred, rows, -1)
        for row in rows:
            pyEngine.retract(_fact(name, row))

    def _count(self, pred: str, rows, sign: int) -> None:
        """Keep, per predicate and argument position, how many rows have each value (for `_possible`)."""
        if not rows:
            return
        columns = self.counts.setdefault(pred, [{} for _ in range(self.rulebook.arity[pred])])
        for row in rows:
            for col, value in zip(columns, row, strict=True):
                n = col.get(value, 0) + sign
                if n:
                    col[value] = n
                else:
                    del col[value]

    def _set_deltas(self, plus: dict, minus: dict, preds: set[str]) -> None:
        for pred in preds:
            for suffix, rows in (("plus", plus.get(pred, ())), ("minus", minus.get(pred, ()))):
                self._define(f"{pred}__{suffix}", self.rulebook.arity[pred])
                self._assert(pred, rows, into=f"{pred}__{suffix}")

    def _clear_deltas(self, plus: dict, minus: dict) -> None:
        for pred, rows in plus.items():
            self._retract(pred, rows, into=f"{pred}__plus")
        for pred, rows in minus.items():
            self._retract(pred, rows, into=f"{pred}__minus")

    # ------------------------------------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------------------------------------

    def _ask(self, name: str, arity: int) -> set[Row]:
        self.last.queries += 1
        query = pyEngine.Literal(name, [pyEngine.Var(f"V{i}") for i in range(arity)])
        return {tuple(str(v) for v in row) for row in (query.ask() or [])}

    def _rule_name(self, index: int) -> str:
        return f"{self.rulebook.rules[index].head.pred}__r{index}"

    def _recompute(self, n: int) -> None:
        """Evaluate stratum n from its rules alone (after retracting its rows), as reasoning/engine.py does:
        every rule asked once, then again only the rules that a newly derived row of the stratum can feed."""
        stratum = set(self.rulebook.strata[n])
        rules = [i for p in self.rulebook.strata[n] for i, _ in self.by_head.get(p, [])]
        for pred in stratum:
            self._retract(pred, set(self.model.get(pred, set())))
            self.model.setdefault(pred, set())
        pending = rules
        while pending:
            delta: dict[str, set[Row]] = {}
            for i in pending:
                rule = self.rulebook.rules[i]
                rows = self._ask(self._rule_name(i), rule.head.arity) - self.model[rule.head.pred]
                self._assert(rule.head.pred, rows)
                delta.setdefault(rule.head.pred, set()).update(rows)
            if not self.recursive[n]:
                break
            pending = [i for i in rules if self._fed(self.rulebook.rules[i], stratum, delta)]

    @staticmethod
    def _fed(rule: Rule, stratum: set[str], delta: dict[str, set[Row]]) -> bool:
        """Whether a new row of the stratum fits a positive body literal of the rule."""
        return any(
            not lit.negated
            and lit.atom.pred in stratum
            and any(_fits(lit.atom.args, r) for r in delta.get(lit.atom.pred, ()))
            for lit in rule.body
        )

    def _variant(self, kind: str, index: int, pos: int | None, delta: str | None) -> str:
        """The head name of a rule compiled with one body literal replaced by a delta predicate (put first):
        kind "ins"/"del" with the literal at `pos` read from `delta` (as a positive literal); kind "red" with
        the head itself required to be among the over-deleted rows `delta`."""
        key = (kind, index, pos, delta)
        if key in self.variants:
            return self.variants[key]
        rule = self.rulebook.rules[index]
        name = f"{rule.head.pred}__{kind}{index}_{pos if pos is not None else 'h'}_{len(self.variants)}"
        target = None if pos is None else rule.body[pos]
        self._define(delta, rule.head.arity if target is None else target.atom.arity)
        pyEngine.assert_(_compile(rule, name, (delta, target)))
        self.last.compiled += 1
        self.variants[key] = name
        return name

    def _run(self, kind: str, index: int, pos: int | None, delta: str, rows: set[Row]) -> set[Row]:
        """Rows of a rule's head derived through the delta rows (skipped when no delta row fits the literal)."""
        rule = self.rulebook.rules[index]
        atom = rule.head if pos is None else rule.body[pos].atom
        fitting = [row for row in rows if _fits(atom.args, row)] if _selective(atom.args) else list(rows)
        if not fitting or not self._possible(rule, pos, atom, fitting):
            return set()
        return self._ask(self._variant(kind, index, pos, delta), rule.head.arity)

    def _possible(self, rule: Rule, pos: int | None, atom, rows: list[Row]) -> bool:
        """A cheap necessary condition for a variant to derive anything, checked before asking pyDatalog
        (an empty answer still costs a query): every other positive literal has rows with its constants,
        and, where it shares a variable with the delta literal, with one of the delta rows' values for it."""
        values: dict[str, set[str]] = {}
        for i, a in enumerate(atom.args):
            if not isinstance(a, Const) and a.name != "_":
                values.setdefault(a.name, set()).update(row[i] for row in rows)
        for at, lit in enumerate(rule.body):
            if at == pos or lit.negated or lit.atom.pred in BUILTINS:
                continue
            pred = lit.atom.pred
            columns = self.counts.get(pred)
            older = self._older.get(pred, ())
            if not columns and not older:
                return False
            for i, a in enumerate(lit.atom.args):
                if isinstance(a, Const):
                    wanted = {a.value}
                elif a.name in values:
                    wanted = values[a.name]
                else:
                    continue
                column = columns[i] if columns else {}
                if not any(v in column for v in wanted) and not any(row[i] in wanted for row in older):
                    return False
        return True

    def _dred(self, n: int, plus: dict[str, set[Row]], minus: dict[str, set[Row]]) -> None:
        stratum = set(self.rulebook.strata[n])
        rules = [(i, r) for p in sorted(stratum) for i, r in self.by_head.get(p, [])]
        for pred in stratum:
            self.model.setdefault(pred, set())

        # 1. over-delete, with the lower predicates in their old state
        losing = [
            (i, pos, lit)
            for i, r in rules
            for pos, lit in enumerate(r.body)
            if lit.atom.pred not in stratum
            and lit.atom.pred not in BUILTINS
            and (minus if not lit.negated else plus).get(lit.atom.pred)
        ]
        deleted: dict[str, set[Row]] = {p: set() for p in stratum}
        if losing:
            lower = {lit.atom.pred for _, r in rules for lit in r.body} - stratum - set(BUILTINS)
            lower = {p for p in lower if plus.get(p) or minus.get(p)}
            self._revert(lower, plus, minus)
            self._older = {p: minus[p] for p in lower if minus.get(p)}
            try:
                wave: dict[str, set[Row]] = {p: set() for p in stratum}
                for i, pos, lit in losing:
                    q = lit.atom.pred
                    src = f"{q}__minus" if not lit.negated else f"{q}__plus"
                    rows = (minus if not lit.negated else plus)[q]
                    head = self.rulebook.rules[i].head.pred
                    wave[head] |= self._run("del", i, pos, src, rows) & self.model[head]
                while any(wave.values()):
                    for p, rows in wave.items():
                        deleted[p] |= rows
                        self._define(f"{p}__gone", self.rulebook.arity[p])
                        self._assert(p, rows, into=f"{p}__gone")
                    nxt: dict[str, set[Row]] = {p: set() for p in stratum}
                    for i, r in rules:
                        for pos, lit in enumerate(r.body):
                            if lit.atom.pred in stratum and not lit.negated and wave[lit.atom.pred]:
                                got = self._run("del", i, pos, f"{lit.atom.pred}__gone", wave[lit.atom.pred])
                                nxt[r.head.pred] |= (got & self.model[r.head.pred]) - deleted[r.head.pred]
                    for p, rows in wave.items():
                        self._retract(p, rows, into=f"{p}__gone")
                    wave = nxt
            finally:
                self._older = {}
                self._restore(lower, plus, minus)
            for p, rows in deleted.items():
                self._retract(p, rows)

        # 2. rederive the over-deleted rows still derivable in the new state
        rnd: dict[str, set[Row]] = {p: set() for p in stratum}
        for p, rows in deleted.items():
            if not rows:
                continue
            self._define(f"{p}__del", self.rulebook.arity[p])
            self._assert(p, rows, into=f"{p}__del")
            for i, _ in self.by_head[p]:
                rnd[p] |= self._run("red", i, None, f"{p}__del", rows) & rows
            self._retract(p, rows, into=f"{p}__del")
        for p, rows in rnd.items():
            self._assert(p, rows)
        if not self.recursive[n]:
            rnd = {p: set() for p in stratum}  # nothing in a non-recursive stratum reads its own rows

        # 3. insert semi-naively: through lower changes first, then through this stratum's own new rows
        gaining = [
            (i, pos, lit)
            for i, r in rules
            for pos, lit in enumerate(r.body)
            if lit.atom.pred not in stratum
            and lit.atom.pred not in BUILTINS
            and (plus if not lit.negated else minus).get(lit.atom.pred)
        ]
        found: dict[str, set[Row]] = {p: set() for p in stratum}
        for i, pos, lit in gaining:
            q = lit.atom.pred
            src = f"{q}__plus" if not lit.negated else f"{q}__minus"
            rows = (plus if not lit.negated else minus)[q]
            head = self.rulebook.rules[i].head.pred
            found[head] |= self._run("ins", i, pos, src, rows) - self.model[head]
        for p, rows in found.items():
            self._assert(p, rows)
            rnd[p] |= rows
        while self.recursive[n] and any(rnd.values()):
            for p, rows in rnd.items():
                self._define(f"{p}__round", self.rulebook.arity[p])
                self._assert(p, rows, into=f"{p}__round")
            nxt = {p: set() for p in stratum}
            for i, r in rules:
                for pos, lit in enumerate(r.body):
                    if lit.atom.pred in stratum and rnd[lit.atom.pred]:
                        got = self._run("ins", i, pos, f"{lit.atom.pred}__round", rnd[lit.atom.pred])
                        nxt[r.head.pred] |= got - self.model[r.head.pred]
            for p, rows in rnd.items():
                self._retract(p, rows, into=f"{p}__round")
            for p, rows in nxt.items():
                self._assert(p, rows)
            rnd = nxt

    def _revert(self, preds: set[str], plus: dict, minus: dict) -> None:
        """Put predicates back in their state before the step (in the logic only, not in self.model)."""
        for p in preds:
            self._retract(p, plus.get(p, ()), into=p)
            self._assert(p, minus.get(p, ()), into=p)

    def _restore(self, preds: set[str], plus: dict, minus: dict) -> None:
        for p in preds:
            self._retract(p, minus.get(p, ()), into=p)
            self._assert(p, plus.get(p, ()), into=p)


@cache
def _selective(args: tuple) -> bool:
    """Whether some row could fail to fit these arguments (a constant, or a variable repeated)."""
    names = [a.name for a in args if not isinstance(a, Const) and a.name != "_"]
    return any(isinstance(a, Const) for a in args) or len(set(names)) < len(names)
