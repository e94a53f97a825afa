"""Why not, and almost: which facts a user could supply (or remove) to make a liability hold.

For a target liability `liable(P, R, C, E)` every rule whose head unifies with it is one *way* the clause
could apply. Its body is solved top-down against the evaluated model, abducing only facts a user can enter in
a scenario (ENGINE-NOTES.md, "Near miss": restricted to the chosen party and to user facts, or it is noise):

- added: `established(E, ELEMENT)` in an existing finding or case, positions (`held`), a field in charge
  (`portfolio_at`) or of a finding (`event_portfolio`), a finding's 当事人 (`finding_party`), flags, severity,
  a record that accountability was *not* carried out (`declined`);
- removed: a record of accountability (`pursued`), where a negated condition (“没有追究记录”) blocks the rule.

Derived conditions are walked down to those leaves, so a missing situation is answered with the missing
elements of its vocabulary groups. Everything else — units, the hierarchy, events, interpretation readings —
is the scenario's structure and is never abduced (a failing reading is named, with the option that switches it).

The liabilities a rule builds on (the level below in a chain, the team's liability for D16-3) are taken as the
scenario has them: their records may be removed, but they are not themselves abduced (ask why-not about that
party); abducing every party's liabilities inside one question multiplied the search by the hierarchy.

Soundness rests on a property of the rule set checked in tests: the conditions of a liability are monotone in
the user facts that are added (more elements, posts, fields never make a liability false) and anti-monotone
only in `pursued`, which is only ever removed. So a condition true in the model stays true under a repair, and
repairs of the separate conditions of a body combine by union.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.registry import covers
from reasoning.datalog import BUILTINS, Atom, Const, Literal, Rule, Var
from reasoning.facts import SCENARIO_PREDICATES
from reasoning.match import Binding, Index, candidates, ground, unify
from reasoning.rulebook import Rulebook

# Facts a user can supply in a scenario file (kb/vocabulary.py, kb/schema.py).
ABDUCIBLE = frozenset(
    {
        "established",
        "held",
        "portfolio_at",
        "event_portfolio",
        "finding_party",
        "event_flag",
        "severity",
        "pursued",
        "declined",
    }
)
# Records that may be removed where a negated condition ("no record of …") blocks a rule.
REMOVABLE = frozenset({"pursued", "declined"})
# "Almost" keeps to facts that complete what a finding already says: elements of an item the event already
# partly establishes, the field in charge, and accountability records (not new posts or new parties: "X would be
# liable if X had been the principal" is a different scenario, not a near miss).
ALMOST_ABDUCIBLE = frozenset({"established", "event_portfolio", "portfolio_at", "pursued", "declined"})


@dataclass(frozen=True, order=True)
class Change:
    """One fact to add to the scenario, or to remove from it."""

    op: str  # "add" | "remove"
    pred: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """Any one of several changes (the alternatives of an "or" group, or several records each blocking)."""

    options: tuple[Change, ...]


Item = Change | Choice
Repair = frozenset[Item]
EMPTY: Repair = frozenset()


def item_key(item: Item) -> tuple:
    """A sort key for changes and choices together."""
    if isinstance(item, Change):
        return (0, item.op, item.pred, item.args)
    return (1, tuple(item_key(o) for o in item.options))


def changes(rep: Repair) -> list[Item]:
    """The items of a repair in a fixed order."""
    return sorted(rep, key=item_key)


Pattern = tuple[str | None, ...]


def dynamic_predicates(rulebook: Rulebook, abducible: Iterable[str]) -> set[str]:
    """Predicates whose truth can change with the abducible facts (their dependency cone meets them)."""
    dyn = set(abducible)
    changed = True
    while changed:
        changed = False
        for r in rulebook.rules:
            if r.head.pred not in dyn and any(lit.atom.pred in dyn for lit in r.body):
                dyn.add(r.head.pred)
                changed = True
    return dyn


def unify_pattern(atom: Atom, pattern: Pattern) -> Binding | None:
    """A binding of the atom's variables that agrees with the pattern's constants (None = unconstrained)."""
    b: Binding = {}
    for a, v in zip(atom.args, pattern, strict=True):
        if v is None:
            continue
        if isinstance(a, Const):
            if a.value != v:
                return None
        elif a.name == "_":
            continue
        elif a.name in b:
            if b[a.name] != v:
                return None
        else:
            b[a.name] = v
    return b


def _pattern(atom: Atom, b: Binding) -> Pattern:
    return tuple(a.value if isinstance(a, Const) else (b.get(a.name) if a.name != "_" else None) for a in atom.args)


def minimal(repairs: Iterable[Repair]) -> list[Repair]:
    """The subset-minimal repairs, smallest first, in a fixed order."""
    out: list[Repair] = []
    for rep in sorted(set(repairs), key=lambda r: (len(r), [item_key(i) for i in changes(r)])):
        if not any(o <= rep for o in out):
            out.append(rep)
    return out


def compact(repairs: Iterable[Repair]) -> list[Repair]:
    """The smallest repairs; where they differ in one item only, a single repair with a choice there."""
    reps = minimal(repairs)
    if not reps or not reps[0]:
        return reps[:1]
    size = len(reps[0])
    smallest = [r for r in reps if len(r) == size]
    if len(smallest) > 1:
        common = frozenset.intersection(*smallest)
        rests = [r - common for r in smallest]
        if all(len(x) == 1 for x in rests):
            options: set[Change] = set()
            for x in rests:
                (item,) = x
                options.update(item.options if isinstance(item, Choice) else (item,))
            return [common | {Choice(tuple(sorted(options)))}]
    return smallest


def _consistent(rep: Repair) -> bool:
    adds = {(c.pred, c.args) for c in rep if isinstance(c, Change) and c.op == "add"}
    return not any((c.pred, c.args) in adds for c in rep if isinstance(c, Change) and c.op == "remove")


class Abducer:
    """Top-down search for the smallest sets of user facts under which a goal holds, over one model."""

    def __init__(
        self,
        rulebook: Rulebook,
        model: dict[str, frozenset[tuple[str, ...]]],
        abducible: frozenset[str] = ABDUCIBLE,
        admissible: Callable[[Change], bool] | None = None,
        max_depth: int = 40,
        max_expansions: int = 50_000,
        as_is: Iterable[str] = ("liable",),
    ):
        self.rulebook = rulebook
        self.model = model
        self.index = Index(model)
        self.abducible = abducible
        self.admissible = admissible or (lambda change: True)
        self.max_depth = max_depth
        self.rules_by_head = rulebook.by_head
        # rules by predicate, argument position and constant there (rules with a variable there under None)
        self._by_const: dict[tuple[str, int], dict[str | None, list[int]]] = {}
        for pred, rules in self.rules_by_head.items():
            for pos in range(len(rules[0].head.args)):
                table: dict[str | None, list[int]] = {}
                for i, r in enumerate(rules):
                    a = r.head.args[pos]
                    table.setdefault(a.value if isinstance(a, Const) else None, []).append(i)
                self._by_const[(pred, pos)] = table
        self.dynamic = dynamic_predicates(rulebook, abducible)
        self._infos: dict[int, tuple[int, tuple[str, ...]]] = {}
        self._keep: list[Literal] = []
        self.height = {p: i for i, stratum in enumerate(rulebook.strata) for p in stratum}  # lower: cheaper
        self.memo: dict[tuple[str, Pattern], tuple[int, list[tuple[tuple[str, ...], Repair]]]] = {}
        # Liabilities a rule builds on (the level below in a chain, the team for D16-3) are taken as they are:
        # abducing every other party's liabilities inside one question multiplies the search by the hierarchy
        # (measured: seconds instead of milliseconds); ask why-not about that party instead. Records that block
        # them (not_pursued) are still removed.
        self.as_is = frozenset(as_is)
        self.skip_rule = getattr(self.admissible, "skip_rule", lambda rule, b: False)
        self.max_expansions = max_expansions
        self.expansions = 0
        self.truncated = False  # the search hit max_expansions: answers may be missing, never wrong

    # -- facts of the model -------------------------------------------------------------------------------
    def rows(self, atom: Atom, b: Binding) -> list[tuple[str, ...]]:
        """Rows of the model matching the atom under a binding."""
        return [row for row in candidates(atom, b, self.index) if unify(atom, row, b) is not None]

    def holds(self, pred: str, row: tuple[str, ...]) -> bool:
        return self.index.holds(pred, row)

    def _present_rows(self, pred: str, pattern: Pattern) -> list[tuple[str, ...]]:
        """Rows of the model agreeing with the pattern's constants."""
        if None not in pattern:
            return [pattern] if self.index.holds(pred, pattern) else []  # type: ignore[list-item]
        bound = [(i, v) for i, v in enumerate(pattern) if v is not None]
        if not bound:
            return self.index.rows(pred)
        i0, v0 = bound[0]
        return [row for row in self.index.rows_with(pred, i0, v0) if all(row[i] == v for i, v in bound[1:])]

    def rules_for(self, pred: str, pattern: Pattern) -> list[Rule]:
        """The rules whose head may match the pattern, in rule-book order (narrowed by one bound argument)."""
        rules = self.rules_by_head.get(pred, [])
        best: list[int] | None = None
        for pos, v in enumerate(pattern):
            if v is None:
                continue
            table = self._by_const[(pred, pos)]
            if len(table) == 1 and None in table:
                continue
            picked = table.get(v, []) + table.get(None, [])
            if best is None or len(picked) < len(best):
                best = picked
        return rules if best is None else [rules[i] for i in sorted(best)]

    # -- goals ----------------------------------------------------------------------------------------------
    def goal(
        self, pred: str, pattern: Pattern, budget: int, path: frozenset = frozenset()
    ) -> list[tuple[tuple[str, ...], Repair]]:
        """(row, repair) pairs: rows of `pred` matching the pattern that hold once the repair is applied."""
        key = (pred, pattern)
        if key in self.memo and self.memo[key][0] >= budget:
            return [(row, rep) for row, rep in self.memo[key][1] if len(rep) <= budget]
        present = [(row, EMPTY) for row in self._present_rows(pred, pattern)]
        if pred not in self.dynamic or budget <= 0 or pred in self.as_is:
            return present
        if pred in SCENARIO_PREDICATES:
            if pred in self.abducible and None not in pattern and not self.holds(pred, pattern):  # type: ignore[arg-type]
                change = Change("add", pred, pattern)  # type: ignore[arg-type]
                if self.admissible(change):
                    return [(pattern, frozenset({change}))]  # type: ignore[list-item]
            return present
        if None not in pattern and self.holds(pred, pattern):  # type: ignore[arg-type]
            return present
        if key in path or len(path) >= self.max_depth or all(v is None for v in pattern):
            # a goal about nobody in particular is not abduced: that would be a search of every near miss
            # of the scenario inside one question (its existing rows are still used)
            return present
        if self.expansions >= self.max_expansions:
            self.truncated = True
            return present
        self.expansions += 1
        found: dict[tuple[str, ...], list[Repair]] = {row: [EMPTY] for row, _ in present}
        for rule in self.rules_for(pred, pattern):
            b = unify_pattern(rule.head, pattern)
            if b is None or self.skip_rule(rule, b):
                continue
            for b2, rep in self.body(rule.body, b, budget, path | {key}):
                if not rep:
                    continue
                row = ground(rule.head, b2)
                if row is None or self.holds(pred, row):
                    continue
                found.setdefault(row, []).append(rep)
        out = [(row, rep) for row in sorted(found) for rep in compact(found[row])]
        self.memo[key] = (budget, out)
        return out

    def body(self, lits: tuple[Literal, ...], b: Binding, budget: int, path: frozenset) -> list[tuple[Binding, Repair]]:
        """Every (binding, repair) under which the conjunction holds, with at most `budget` changes."""
        out: list[tuple[Binding, Repair]] = []

        def rec(remaining: list[Literal], b: Binding, rep: Repair) -> None:
            if not remaining:
                out.append((b, rep))
                return
            lit = self._choose(remaining, b)
            if lit is None:
                return
            rest = [x for x in remaining if x is not lit]
            if lit.atom.pred in BUILTINS:
                left, right = ground(lit.atom, b) or ("", "")
                if left != right:
                    rec(rest, b, rep)
                return
            if lit.negated:
                for extra in self.negation(lit, b, rep, budget - len(rep)):
                    rec(rest, b, rep | extra)
                return
            pattern = _pattern(lit.atom, b)
            for row, r in self.goal(lit.atom.pred, pattern, budget - len(rep), path):
                nb = unify(lit.atom, row, b)
                if nb is None:
                    continue
                new = rep | r
                if len(new) > budget or not _consistent(new):
                    continue
                rec(rest, nb, new)

        rec(list(lits), dict(b), EMPTY)
        return out

    def _info(self, lit: Literal) -> tuple[int, tuple[str, ...]]:
        """(kind, variable names) of a literal: 0 builtin, 1 static negation, 2 user-dependent negation,
        3 static, 4 user fact, 5 derived from user facts."""
        info = self._infos.get(id(lit))
        if info is None:
            pred = lit.atom.pred
            names = tuple(a.name for a in lit.atom.args if isinstance(a, Var) and a.name != "_")
            if pred in BUILTINS:
                kind = 0
            elif lit.negated:
                kind = 1 if pred not in self.dynamic else 2
            elif pred not in self.dynamic:
                kind = 3
            elif pred in SCENARIO_PREDICATES:
                kind = 4
            else:
                kind = 5
            info = (kind, names)
            self._infos[id(lit)] = info
            self._keep.append(lit)  # ids stay valid while the literal lives
        return info

    def _choose(self, remaining: list[Literal], b: Binding) -> Literal | None:
        """The literal to solve next: cheap structural tests first, user facts last, negations at the end."""
        best, best_key = None, None
        infos = [(lit, self._info(lit)) for lit in remaining]
        has_positive = any(kind >= 3 for _, (kind, _) in infos)
        for lit, (kind, names) in infos:
            unbound = sum(1 for n in names if n not in b)
            if kind <= 2:
                if unbound:
                    continue
                if kind < 2:
                    return lit
                if has_positive:
                    continue  # a negation of a user-dependent condition waits for every addition of the body
                key: tuple = (5, 0)
            elif kind == 3:
                n = len(candidates(lit.atom, b, self.index))
                if not unbound or n == 0:
                    return lit
                key = (0, n) if n <= 8 else (2, n)
            elif kind == 4:
                if not unbound:
                    return lit
                key = (3, unbound) if self.rows(lit.atom, b) else (4, unbound)
            else:
                key = (1, unbound, unbound - len(lit.atom.args), self.height.get(lit.atom.pred, 0))
            if best_key is None or key < best_key:
                best, best_key = lit, key
        return best

    def negation(self, lit: Literal, b: Binding, rep: Repair, budget: int) -> list[Repair]:
        """Ways for `not p(args)` to hold given the changes already made: [] if it cannot."""
        pred = lit.atom.pred
        row = ground(lit.atom, b)
        assert row is not None
        if pred not in self.dynamic:
            return [] if self.holds(pred, row) else [EMPTY]
        if pred in SCENARIO_PREDICATES:
            if not self._present(pred, row, rep):
                return [EMPTY]
            if Change("add", pred, row) in rep or pred not in REMOVABLE or budget < 1:
                return []
            return [frozenset({Change("remove", pred, row)})]
        # a derived exception (e.g. group_gap): every derivation under the changes so far must be broken
        killers = self._derivations(pred, row, rep)
        return _hitting_sets(killers, budget)

    def _present(self, pred: str, row: tuple[str, ...], rep: Repair) -> bool:
        if Change("remove", pred, row) in rep:
            return False
        return self.holds(pred, row) or Change("add", pred, row) in rep

    def _derivations(self, pred: str, row: tuple[str, ...], rep: Repair) -> list[set[Change]]:
        """For each derivation of pred(row) under the changes, the changes that would break it.

        Derived positive premises are read from the model (the exceptions of this rule set, group_gap,
        rest on user facts directly)."""
        out: list[set[Change]] = []
        for rule in self.rules_by_head.get(pred, []):
            b0 = unify(rule.head, row, {})
            if b0 is None:
                continue
            positives = [lit for lit in rule.body if not lit.negated and lit.atom.pred not in BUILTINS]
            others = [lit for lit in rule.body if lit.negated or lit.atom.pred in BUILTINS]
            # static literals first, so that user facts are looked up with their arguments bound
            positives.sort(key=lambda lit: lit.atom.pred in SCENARIO_PREDICATES)

            def rec(
                i: int,
                b: Binding,
                used: list[tuple[str, tuple[str, ...]]],
                rule=rule,
                positives=positives,
                others=others,
            ) -> None:
                if i == len(positives):
                    killers: set[Change] = set()
                    for lit in others:
                        g = ground(lit.atom, b)
                        if g is None:
                            return
                        if lit.atom.pred in BUILTINS:
                            if g[0] == g[1]:
                                return
                            continue
                        if lit.atom.pred in SCENARIO_PREDICATES:
                            if self._present(lit.atom.pred, g, rep):
                                return
                            if lit.atom.pred in self.abducible:
                                killers.add(Change("add", lit.atom.pred, g))
                        elif self.holds(lit.atom.pred, g):
                            return
                    for p, g in used:
                        if p in REMOVABLE:
                            killers.add(Change("remove", p, g))
                    out.append(killers)
                    return
                atom = positives[i].atom
                rows = {r for r in candidates(atom, b, self.index) if unify(atom, r, b) is not None}
                if atom.pred in SCENARIO_PREDICATES:
                    rows |= {c.args for c in rep if c.op == "add" and c.pred == atom.pred}
                    rows = {r for r in rows if unify(atom, r, b) is not None and self._present(atom.pred, r, rep)}
                for r in sorted(rows):
                    nb = unify(atom, r, b)
                    if nb is not None:
                        rec(i + 1, nb, used + [(atom.pred, r)])

            rec(0, b0, [])
        return out


def _hitting_sets(killers: list[set[Change]], budget: int) -> list[Repair]:
    """The minimal sets of changes, at most `budget`, meeting every derivation's killers."""
    if any(not k for k in killers):
        return []
    out: list[Repair] = []

    def rec(i: int, chosen: frozenset[Change]) -> None:
        if len(chosen) > budget:
            return
        while i < len(killers) and killers[i] & chosen:
            i += 1
        if i == len(killers):
            out.append(chosen)
            return
        for c in sorted(killers[i]):
            rec(i + 1, chosen | {c})

    rec(0, frozenset())
    return minimal(out)


# ----------------------------------------------------------------------------------------------------------
# What a user could enter: admissibility of a change against the scenario
# ----------------------------------------------------------------------------------------------------------

ROLES = ("主要负责人", "班子其他成员", "纪委书记", "纪检组长", "一般工作人员")
FLAGS = ("需要追究纪律责任", "涉嫌犯罪", "重大")


class Admissible:
    """Whether a change is something a user could enter in this scenario (kb/schema.py, kb/scenario_check.py).

    With `almost`, an element may only be added to an event that already establishes an element of the same
    item: an item the event says nothing about is not a near miss but a different case."""

    def __init__(self, model: dict[str, frozenset[tuple[str, ...]]], almost: bool = False):
        from kb.vocabulary import load_vocabulary

        self.vocab = load_vocabulary()
        self.model = model
        self.almost = almost
        self.findings = {r[0] for r in model.get("finding", ())}
        self.cases = {r[0] for r in model.get("case", ())}
        self.events = self.findings | self.cases
        self.persons = {r[0] for r in model.get("person", ())}
        self.units = {r[0] for r in model.get("unit", ())}
        self.items_of: dict[str, set[str]] = {}
        for e, el in model.get("established", ()):
            if el in self.vocab.elements:
                self.items_of.setdefault(e, set()).add(self.vocab.elements[el].item)
        self.posts = {(p, u, e) for p, u, _r, e in model.get("held", ())}
        self.with_portfolio = {r[0] for r in model.get("event_portfolio", ())}
        self.with_severity = {r[0] for r in model.get("severity", ())}

    def skip_rule(self, rule: Rule, b: Binding) -> bool:
        """With `almost`, a situation of the vocabulary is only completed in an event that already
        establishes part of it (the generated rule `ITEM/situation/BRANCH`)."""
        if not self.almost or not rule.source.startswith("kb/vocabulary"):
            return False
        event = b.get("E")
        return event is not None and rule.clause not in self.items_of.get(event, ())

    def __call__(self, change: Change) -> bool:
        if change.op != "add":
            return change.pred in REMOVABLE
        a = change.args
        match change.pred:
            case "established":
                el = self.vocab.elements.get(a[1])
                if el is None or a[0] not in self.events:
                    return False
                if (a[0] in self.cases) != el.item.startswith("D16-8."):
                    return False
                return not self.almost or el.item in self.items_of.get(a[0], ())
            case "held":
                return a[0] in self.persons and a[1] in self.units and a[2] in ROLES and a[3] in self.events
            case "portfolio_at":
                return (a[0], a[1], a[3]) in self.posts
            case "event_portfolio":
                return a[0] in self.findings and a[0] not in self.with_portfolio
            case "finding_party":
                return a[0] in self.findings and a[1] in self.persons
            case "event_flag":
                return a[1] in FLAGS
            case "severity":
                return a[0] not in self.with_severity
            case "declined":
                return (a[0], a[1]) not in self.model.get("pursued", ())
        return False


# ----------------------------------------------------------------------------------------------------------
# Why not: each way a clause could apply to a party, what holds, what fails, the smallest repairs
# ----------------------------------------------------------------------------------------------------------


def liability_ways(rulebook: Rulebook, clause: str) -> list[tuple[Rule, str]]:
    """(rule, clause id) for every rule that can conclude a liability under the clause (or within it)."""
    heads = [r for r in rulebook.rules if r.head.pred == "liable"]
    consts = sorted({r.head.args[2].value for r in heads if isinstance(r.head.args[2], Const)})
    targets = [c for c in consts if covers(clause, c)]
    out: list[tuple[Rule, str]] = []
    for c in targets:
        for r in heads:
            arg = r.head.args[2]
            if isinstance(arg, Const):
                if arg.value == c:
                    out.append((r, c))
            elif _generic_fits(r, c, heads):
                out.append((r, c))
    return out


def _generic_fits(rule: Rule, clause: str, heads: list[Rule]) -> bool:
    """A rule whose clause is a variable fits a clause if the liabilities it builds on can be under it."""
    var = rule.head.args[2]
    for lit in rule.body:
        if lit.atom.pred == "liable" and not lit.negated and lit.atom.args[2] == var:
            resp = lit.atom.args[1]
            if not any(
                isinstance(h.head.args[2], Const)
                and h.head.args[2].value == clause
                and (not isinstance(resp, Const) or not isinstance(h.head.args[1], Const) or h.head.args[1] == resp)
                for h in heads
            ):
                return False
    return True


def _head_event(rule: Rule, b: Binding) -> str | None:
    arg = rule.head.args[3]
    return arg.value if isinstance(arg, Const) else b.get(arg.name)


def _partial(ab: Abducer, lits: tuple[Literal, ...], b: Binding) -> Binding:
    """A binding that satisfies as many conditions as the model allows, in solving order (for showing what
    holds and what fails when no repair is within reach)."""
    b = dict(b)
    remaining = list(lits)
    while remaining:
        lit = ab._choose(remaining, b) or remaining[0]
        remaining.remove(lit)
        if lit.negated or lit.atom.pred in BUILTINS:
            continue
        rows = sorted(ab.rows(lit.atom, b))
        if rows:
            b = unify(lit.atom, rows[0], b) or b
    return b


def _conditions(ab: Abducer, rule: Rule, b: Binding) -> list[dict]:
    """Each condition of the rule under a binding: holds or fails, and whether a user supplies it."""
    from explain.proof import UNBOUND, describe

    out = []
    for lit in rule.body:
        if lit.atom.pred in BUILTINS:
            continue
        row = ground(lit.atom, b)
        args = row or tuple(a.value if isinstance(a, Const) else b.get(a.name, UNBOUND) for a in lit.atom.args)
        if row is None:
            holds = False
        elif lit.negated:
            holds = not ab.holds(lit.atom.pred, row)
        else:
            holds = ab.holds(lit.atom.pred, row)
        out.append(
            {
                "literal": str(lit),
                "pred": lit.atom.pred,
                "args": [None if a == UNBOUND else a for a in args],
                "negated": lit.negated,
                "holds": holds,
                "user": lit.atom.pred in ABDUCIBLE,
                "structure": lit.atom.pred not in ab.dynamic and lit.atom.pred != "interp",
                "reads": _absent(describe(lit.atom.pred, args)) if lit.negated else describe(lit.atom.pred, args),
            }
        )
    return out


def _absent(reads: dict[str, str]) -> dict[str, str]:
    from explain.catalogue import text

    return text("graph", "absent", what_zh=reads["zh"], what_en=reads["en"])


def word_change(change: Change, scenario=None) -> dict:
    """A change as users read it, and where in the scenario file it is entered."""
    from explain.catalogue import text
    from explain.proof import describe

    a = change.args
    reads = describe(change.pred, a)
    op = text("whynot", change.op)
    entry: dict = {"op": change.op, "pred": change.pred, "args": list(a), "reads": reads, "op_label": op}
    key, params = None, {}
    match (change.op, change.pred):
        case ("add", "established"):
            key, params = "enter_established", {"event": a[0], "element": a[1]}
        case ("add", "held"):
            key, params = "enter_held", {"person": a[0], "unit": a[1], "role": a[2], "event": a[3]}
        case ("add", "portfolio_at"):
            key, params = "enter_portfolio_at", {"person": a[0], "unit": a[1], "field": a[2], "event": a[3]}
        case ("add", "event_portfolio"):
            key, params = "enter_event_portfolio", {"event": a[0], "field": a[1]}
        case ("add", "finding_party"):
            key, params = "enter_finding_party", {"event": a[0], "person": a[1]}
        case ("add", "event_flag"):
            key, params = "enter_event_flag", {"event": a[0], "flag": a[1]}
        case ("add", "severity"):
            key, params = "enter_severity", {"event": a[0], "severity": a[1]}
        case ("add", "declined"):
            key, params = "enter_declined", {"target": a[0], "event": a[1]}
        case ("remove", "pursued" | "declined"):
            outcome = "追究" if change.pred == "pursued" else "未追究"
            records = []
            if scenario is not None:
                records = [
                    e
                    for e in scenario.events
                    if getattr(e, "target", None) == a[0]
                    and getattr(e, "concerning", None) == a[1]
                    and getattr(e, "outcome", None) == outcome
                ]
            entry["records"] = [r.id for r in records]
            key = "remove_record"
            params = {
                "record": "、".join(r.id for r in records) or "—",
                "by": "、".join(r.by or "—" for r in records) or "—",
                "target": a[0],
                "event": a[1],
                "outcome": outcome,
            }
    if key:
        entry["enter"] = text("whynot", key, **params)
    return entry


def word_item(item: Item, scenario=None) -> dict:
    """A change, or a choice of changes, as users read it."""
    from explain.catalogue import text

    if isinstance(item, Change):
        return word_change(item, scenario)
    return {
        "op": "choose",
        "op_label": text("whynot", "choose"),
        "options": [word_change(o, scenario) for o in item.options],
    }


def why_not(ev, party: str, clause: str, event: str | None = None, max_facts: int = 3, max_repairs: int = 12) -> dict:
    """Why `party` is not liable under `clause`: each way, its conditions, the smallest repairs (plain data)."""
    from explain.catalogue import text
    from kb.registry import load_registry

    reg = load_registry()
    rb = ev.rulebook
    ab = Abducer(rb, ev.model, ABDUCIBLE, Admissible(ev.model))
    names = ev.scenario.names()
    unit = reg.get(clause) if clause in reg else None
    liable_now = [
        {"responsibility": r, "clause": c, "citation": reg.get(c).citation, "event": e}
        for p, r, c, e in ev.liabilities()
        if p == party and covers(clause, c) and (event is None or e == event)
    ]
    events = [event] if event else party_events_first(ev.model, party)
    ways = []
    for rule, c in liability_ways(rb, clause):
        # one event at a time: every condition then concerns that event, which keeps the search small
        starts = [(b0, (party, None, c, e)) for e in events if (b0 := unify_pattern(rule.head, (party, None, c, e)))]
        if not starts:
            continue
        found: list[tuple[Binding, Repair]] = []
        for budget in range(max_facts + 1):  # the smallest sets first: stop at the first size that works
            found = [
                x for b0, pattern in starts for x in ab.body(rule.body, b0, budget, frozenset({("liable", pattern)}))
            ]
            if found:
                break
        b0 = starts[0][0]
        holds = [b for b, rep in found if not rep]
        by_event: dict[tuple, Binding] = {}
        reps: list[tuple[str | None, Repair]] = []
        for b, rep in found:
            if rep:
                key = (_head_event(rule, b), rep)
                if key not in by_event:
                    by_event[key] = b
                    reps.append(key)
        best: list[tuple[str | None, Repair]] = []
        for e_id in sorted({e for e, _ in reps}, key=str):
            for rep in compact(r for e, r in reps if e == e_id):
                best.append((e_id, rep))
        best.sort(key=lambda x: (len(x[1]), str(x[0]), [item_key(i) for i in changes(x[1])]))
        if holds:
            status, binding = "holds", holds[0]
        elif best:
            # a compacted repair (alternatives merged into a choice) has no binding of its own: any of the event's will do
            binding = by_event.get(best[0]) or next(b for (e_id, _r), b in by_event.items() if e_id == best[0][0])
            status = "repairable"
        else:
            status, binding = "out_of_reach", _partial(ab, rule.body, b0)
        cu = reg.get(c)
        resp = rule.head.args[1]
        conditions = _conditions(ab, rule, binding)
        ways.append(
            {
                "rule": rule.id,
                "clause": c,
                "citation": cu.citation,
                "citation_short": cu.citation_short,
                "clause_text": cu.text,
                "gloss": {"zh": rule.gloss_zh, "en": rule.gloss_en},
                "responsibility": resp.value if isinstance(resp, Const) else binding.get(resp.name),
                "status": status,
                "event": _head_event(rule, binding),
                "conditions": conditions,
                "needs_reading": _readings(rule, binding, ev),
                "repairs": [
                    {
                        "size": len(rep),
                        "event": e_id,
                        "changes": [word_item(ch, ev.scenario) for ch in changes(rep)],
                    }
                    for e_id, rep in best[:max_repairs]
                ],
                "more_repairs": max(0, len(best) - max_repairs),
            }
        )
    order = {"holds": 0, "repairable": 1, "out_of_reach": 2}
    ways.sort(
        key=lambda w: (order[w["status"]], w["repairs"][0]["size"] if w["repairs"] else 99, w["clause"], w["rule"])
    )
    return {
        "party": party,
        "party_name": names.get(party, party),
        "known_party": party in names,
        "clause": clause,
        "citation": unit.citation if unit else clause,
        "known_clause": unit is not None,
        "event": event,
        "max_facts": max_facts,
        "liable_now": liable_now,
        "ways": ways,
        "truncated": ab.truncated,
        "title": text("whynot", "title", party=names.get(party, party), citation=unit.citation if unit else clause),
    }


def party_events_first(model, party: str) -> list[str]:
    """The findings and cases, those about the party first (its own finding, a case against it, a finding
    naming it as 当事人), then those about a unit it held a post in: a way that cannot hold is shown against
    the party's own event, not against whichever event sorts first."""
    own = {r[0] for r in model.get("event_subject", ()) if r[1] == party}
    own |= {r[0] for r in model.get("case_party", ()) if r[0] and r[1] == party}
    own |= {r[0] for r in model.get("finding_party", ()) if r[1] == party}
    posts = {(r[1], r[3]) for r in model.get("held", ()) if r[0] == party}
    near = {r[0] for r in model.get("event_subject", ()) if (r[1], r[0]) in posts}
    return sorted(_events(model), key=lambda e: (e not in own, e not in near, e))


def _events(model) -> list[str]:
    """The findings and cases of a scenario (the events a liability can be about)."""
    return sorted({r[0] for r in model.get("finding", ())} | {r[0] for r in model.get("case", ())})


def _readings(rule: Rule, b: Binding, ev) -> list[dict]:
    """Interpretation readings a way needs that are not in force."""
    out = []
    for lit in rule.body:
        if lit.atom.pred == "interp" and not lit.negated:
            row = ground(lit.atom, b)
            if row and row not in ev.model.get("interp", ()):
                out.append({"name": row[0], "reading": row[1], "in_force": ev.readings.get(row[0])})
    return out


# ----------------------------------------------------------------------------------------------------------
# Almost fired: liabilities one or two user facts away
# ----------------------------------------------------------------------------------------------------------


def _is_removal(item: Item) -> bool:
    if isinstance(item, Change):
        return item.op == "remove"
    return all(o.op == "remove" for o in item.options)


def almost(
    ev, party: str | None = None, max_facts: int = 2, limit: int | None = None, event: str | None = None
) -> dict:
    """Liabilities (of one party, or of anyone; about one event, or any) that one or two facts a user could
    supply would bring about, ranked: fewest facts first, additions before removals of records, then in the
    order of the measures."""
    from kb.registry import load_registry

    reg = load_registry()
    order = {u.id: i for i, u in enumerate(reg.units)}
    rb = ev.rulebook
    ab = Abducer(rb, ev.model, ALMOST_ABDUCIBLE, Admissible(ev.model, almost=True))
    found: dict[tuple[str, ...], dict[Repair, set[str]]] = {}  # row → repair → rules
    events = [e for e in _events(ev.model) if event is None or e == event]
    for rule, about in [(r, e) for e in events for r in ab.rules_by_head.get("liable", [])]:
        pattern = (party, None, None, about)
        b0 = unify_pattern(rule.head, pattern)
        if b0 is None:
            continue
        for b, rep in ab.body(rule.body, b0, max_facts, frozenset({("liable", pattern)})):
            if not rep:
                continue
            row = ground(rule.head, b)
            if row is None or ab.holds("liable", row):
                continue
            found.setdefault(row, {}).setdefault(rep, set()).add(rule.id)
    names = ev.scenario.names()
    entries = []
    for row, reps in found.items():
        smallest = compact(reps)
        size = len(smallest[0])
        removals = min(sum(1 for c in r if _is_removal(c)) for r in smallest)
        rules = {rid for r, ids in reps.items() if len(r) == size for rid in ids}
        p, resp, c, e = row
        entries.append(
            {
                "party": p,
                "party_name": names.get(p, p),
                "responsibility": resp,
                "clause": c,
                "citation": reg.get(c).citation if c in reg else c,
                "event": e,
                "size": size,
                "removals": removals,
                "rules": sorted(rules),
                "repairs": [
                    {"size": len(r), "changes": [word_item(ch, ev.scenario) for ch in changes(r)]} for r in smallest
                ],
                "_rank": (size, removals, order.get(c, 10**6), c, p, resp, e),
            }
        )
    entries.sort(key=lambda x: x["_rank"])
    for n, x in enumerate(entries, 1):
        del x["_rank"]
        x["rank"] = n
    shown = entries if limit is None else entries[:limit]
    return {
        "party": party,
        "party_name": names.get(party, party) if party else None,
        "max_facts": max_facts,
        "entries": shown,
        "more": len(entries) - len(shown),
        "truncated": ab.truncated,
    }


# ----------------------------------------------------------------------------------------------------------
# Text: Chinese first, English second, every sentence from the message catalogue
# ----------------------------------------------------------------------------------------------------------


def _change_lines(item: dict, pad: str) -> list[str]:
    if item["op"] == "choose":
        out = [f"{pad}{item['op_label']['zh']} / {item['op_label']['en']}:"]
        for o in item["options"]:
            out += _change_lines(o, pad + "  - ")
        return out
    out = [
        f"{pad}{item['op_label']['zh']}：{item['reads']['zh']}",
        f"{' ' * len(pad)}{item['op_label']['en']}: {item['reads']['en']}",
    ]
    if "enter" in item:
        out.append(f"{' ' * len(pad)}→ {item['enter']['zh']}")
        out.append(f"{' ' * len(pad)}  {item['enter']['en']}")
    return out


def _en_cite(clause: str) -> str:
    from kb.registry import load_registry

    reg = load_registry()
    return reg.get(clause).label_en.split(" — ")[0] if clause in reg else clause


def render_why_not(result: dict) -> str:
    """A why-not answer as text."""
    from explain.catalogue import text

    out = [result["title"]["zh"], result["title"]["en"]]
    budget = text("whynot", "budget", k=result["max_facts"])
    out.append(f"{budget['zh']} {budget['en']}")
    for x in result["liable_now"]:
        resp = text("responsibility", x["responsibility"])
        t = text("whynot", "already", party=result["party_name"], citation=x["citation"], event=x["event"])
        out.append(f"✓ {t['zh'].replace('{responsibility}', resp['zh'])}")
        out.append(f"  {t['en'].replace('{responsibility}', resp['en'])}")
    if not result["ways"]:
        t = text("whynot", "no_rules", clause=result["clause"])
        out += [t["zh"], t["en"]]
    for n, w in enumerate(result["ways"], 1):
        resp = (
            text("responsibility", w["responsibility"]) if w["responsibility"] else text("lang", "responsibility_open")
        )
        head_zh = text("whynot", "way", n=n, rule=w["rule"], citation=w["citation_short"], responsibility=resp["zh"])[
            "zh"
        ]
        head_en = text("whynot", "way", n=n, rule=w["rule"], citation=_en_cite(w["clause"]), responsibility=resp["en"])[
            "en"
        ]
        out += ["", f"{head_zh} / {head_en}", f"  {w['gloss']['zh']}", f"  {w['gloss']['en']}"]
        if w["event"]:
            e = text("whynot", "event", event=w["event"])
            out.append(f"  {e['zh']} / {e['en']}")
        for c in w["conditions"]:
            mark = "✓" if c["holds"] else "✗"
            t = text("whynot", "holds" if c["holds"] else "fails")
            extra = ""
            if not c["holds"] and c["structure"]:
                s = text("whynot", "structure")
                extra = f"（{s['zh']}）", f" ({s['en']})"
            out.append(f"  {mark} {t['zh']}：{c['reads']['zh']}{extra[0] if extra else ''}")
            out.append(f"    {t['en']}: {c['reads']['en']}{extra[1] if extra else ''}")
        for r in w["needs_reading"]:
            t = text("whynot", "needs_reading", **r)
            out += [f"  ◇ {t['zh']}", f"    {t['en']}"]
        if w["status"] == "holds":
            t = text("whynot", "holds_now")
            out.append(f"  → {t['zh']} / {t['en']}")
        elif w["status"] == "out_of_reach":
            t = text("whynot", "out_of_reach", k=result["max_facts"])
            out.append(f"  → {t['zh']}")
            out.append(f"    {t['en']}")
        else:
            t = text("whynot", "smallest")
            out.append(f"  {t['zh']} / {t['en']}:")
            for i, rep in enumerate(w["repairs"], 1):
                e = text("whynot", "event", event=rep["event"]) if rep["event"] else {"zh": "", "en": ""}
                out.append(f"   ({i}) [{e['zh']} / {e['en']}]")
                for item in rep["changes"]:
                    out += _change_lines(item, "       ")
            if w["more_repairs"]:
                t = text("whynot", "more", n=w["more_repairs"], shown=len(w["repairs"]))
                out.append(f"   {t['zh']} / {t['en']}")
    return "\n".join(out) + "\n"


def render_almost(result: dict) -> str:
    """The near misses as text."""
    from explain.catalogue import text

    scope = (
        text("whynot", "almost_scope_party", party=result["party_name"])
        if result["party"]
        else text("whynot", "almost_scope_all")
    )
    title_zh = text("whynot", "almost_title", scope=scope["zh"])["zh"]
    title_en = text("whynot", "almost_title", scope=scope["en"])["en"]
    note = text("whynot", "almost_note")
    out = [title_zh, title_en, f"（{note['zh']}）", f"({note['en']})"]
    if not result["entries"]:
        t = text("whynot", "almost_none")
        out += [t["zh"], t["en"]]
    for x in result["entries"]:
        resp = text("responsibility", x["responsibility"])
        zh = text(
            "whynot",
            "almost_entry",
            party=x["party_name"],
            citation=x["citation"],
            responsibility=resp["zh"],
            event=x["event"],
            n=x["size"],
        )["zh"]
        en = text(
            "whynot",
            "almost_entry",
            party=x["party_name"],
            citation=_en_cite(x["clause"]),
            responsibility=resp["en"],
            event=x["event"],
            n=x["size"],
        )["en"]
        out += ["", f"{x['rank']}. {zh}", f"   {en}", f"   [{', '.join(x['rules'])}]"]
        for i, rep in enumerate(x["repairs"], 1):
            out.append(f"   ({i})")
            for item in rep["changes"]:
                out += _change_lines(item, "       ")
    if result["more"]:
        t = text("whynot", "almost_more", n=result["more"])
        out += ["", f"{t['zh']} / {t['en']}"]
    return "\n".join(out) + "\n"
