"""Datalog rules as plain data: terms, atoms, rules, a parser for the project's own rule syntax, and the
static checks (safety, arity, stratification) that pyDatalog does not make itself.

The syntax is only ever applied to the project's rule files, never to user text:
``liable(T, "主体责任", "D16-5.1", E)``; variables start with an upper-case ASCII letter or ``_``;
constants are double-quoted strings or bare lower-case words; ``not p(...)`` is a negated literal.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

# Built-in tests, evaluated once their arguments are bound: neq(X, Y) holds when X and Y differ.
BUILTINS = {"neq": 2}


class RuleError(ValueError):
    """A rule file is malformed or a rule set fails a static check."""


@dataclass(frozen=True, order=True)
class Var:
    """A logic variable (``_`` is anonymous: each occurrence is a fresh variable)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, order=True)
class Const:
    """A constant; every constant is a string."""

    value: str

    def __str__(self) -> str:
        return f'"{self.value}"'


Term = Var | Const


@dataclass(frozen=True)
class Atom:
    """``pred(args…)``."""

    pred: str
    args: tuple[Term, ...]

    @property
    def arity(self) -> int:
        return len(self.args)

    def variables(self) -> set[str]:
        return {a.name for a in self.args if isinstance(a, Var) and a.name != "_"}

    def __str__(self) -> str:
        return f"{self.pred}({', '.join(str(a) for a in self.args)})"


@dataclass(frozen=True)
class Literal:
    """A body literal: an atom, possibly negated (negation as failure, closed world)."""

    atom: Atom
    negated: bool = False

    def __str__(self) -> str:
        return ("not " if self.negated else "") + str(self.atom)


@dataclass(frozen=True)
class Rule:
    """One rule with the clause it encodes and its Chinese/English gloss."""

    id: str
    clauses: tuple[str, ...]  # the clause ids it encodes, the principal one first
    head: Atom
    body: tuple[Literal, ...]
    gloss_zh: str
    gloss_en: str
    source: str = ""  # file the rule came from, for messages
    clause_var: str | None = None  # for generic rules: the variable whose value is an instance's clause

    @property
    def clause(self) -> str:
        """The principal clause the rule encodes."""
        return self.clauses[0]

    def interpretations(self) -> list[tuple[str, str]]:
        """The (name, reading) pairs this rule depends on, read from its ``interp`` literals
        ("*" where the reading is a variable, i.e. the rule holds under each reading in its own way)."""
        out = []
        for lit in self.body:
            if lit.atom.pred == "interp" and not lit.negated:
                name, reading = lit.atom.args
                out.append((str(getattr(name, "value", name)), reading.value if isinstance(reading, Const) else "*"))
        return out

    def __str__(self) -> str:
        return f"{self.head} :- {', '.join(str(b) for b in self.body)}."


def parse_atom(text: str) -> Atom:
    """Parse ``pred(arg, …)`` from a rule file."""
    m = re.fullmatch(r"\s*([a-z][a-z0-9_]*)\s*\((.*)\)\s*", text, re.S)
    if not m:
        raise RuleError(f"not an atom: {text!r}")
    pred, inner = m.group(1), m.group(2)
    args: list[Term] = []
    for raw in _split_args(inner):
        raw = raw.strip()
        if not raw:
            raise RuleError(f"empty argument in {text!r}")
        if raw.startswith('"'):
            if not (raw.endswith('"') and len(raw) >= 2):
                raise RuleError(f"unterminated string in {text!r}")
            args.append(Const(raw[1:-1]))
        elif re.fullmatch(r"[A-Z_][A-Za-z0-9_]*", raw):
            args.append(Var(raw))
        elif re.fullmatch(r"[a-z0-9][\w\-.]*", raw):
            args.append(Const(raw))
        else:
            raise RuleError(f"bad argument {raw!r} in {text!r}")
    return Atom(pred, tuple(args))


def _split_args(inner: str) -> list[str]:
    """Split on commas outside double quotes."""
    parts, cur, quoted = [], [], False
    for ch in inner:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if quoted:
        raise RuleError(f"unterminated string in {inner!r}")
    if "".join(cur).strip() or parts:
        parts.append("".join(cur))
    return parts


def parse_literal(text: str) -> Literal:
    """Parse ``p(…)`` or ``not p(…)``."""
    text = text.strip()
    if text.startswith("not "):
        return Literal(parse_atom(text[4:]), negated=True)
    return Literal(parse_atom(text))


# ----------------------------------------------------------------------------------------------------
# Static checks
# ----------------------------------------------------------------------------------------------------


def check_safety(rule: Rule) -> None:
    """Every head variable and every variable of a negated literal occurs in a positive body literal."""
    positive: set[str] = set()
    for lit in rule.body:
        if not lit.negated and lit.atom.pred not in BUILTINS:
            positive |= lit.atom.variables()
    missing = rule.head.variables() - positive
    if any(isinstance(a, Var) and a.name == "_" for a in rule.head.args):
        raise RuleError(f"rule {rule.id}: anonymous variable in the head")
    if missing:
        raise RuleError(f"rule {rule.id} is unsafe: head variables {sorted(missing)} not bound by the body")
    for lit in rule.body:
        if lit.atom.pred in BUILTINS:
            if lit.negated or lit.atom.arity != BUILTINS[lit.atom.pred]:
                raise RuleError(f"rule {rule.id}: built-in {lit.atom.pred} takes {BUILTINS[lit.atom.pred]} arguments")
            if lit.atom.variables() - positive or any(isinstance(a, Var) and a.name == "_" for a in lit.atom.args):
                raise RuleError(f"rule {rule.id} is unsafe: {lit} needs bound variables")
        if lit.negated:
            if any(isinstance(a, Var) and a.name == "_" for a in lit.atom.args):
                raise RuleError(f"rule {rule.id}: anonymous variable in 'not {lit.atom.pred}'")
            loose = lit.atom.variables() - positive
            if loose:
                raise RuleError(f"rule {rule.id} is unsafe: {sorted(loose)} in 'not {lit.atom.pred}' unbound")
    if not any(not lit.negated and lit.atom.pred not in BUILTINS for lit in rule.body):
        raise RuleError(f"rule {rule.id} has no positive body literal")


def check_arities(rules: list[Rule], edb: dict[str, int]) -> dict[str, int]:
    """Each predicate is used with one arity; every body predicate is a fact predicate or defined by a rule."""
    arity: dict[str, int] = dict(edb)
    where: dict[str, str] = {p: "fact schema" for p in edb}
    for r in rules:
        if r.head.pred in BUILTINS:
            raise RuleError(f"rule {r.id}: {r.head.pred} is built in and cannot be defined")
        for atom in [r.head] + [lit.atom for lit in r.body if lit.atom.pred not in BUILTINS]:
            known = arity.setdefault(atom.pred, atom.arity)
            where.setdefault(atom.pred, r.id)
            if known != atom.arity:
                raise RuleError(
                    f"rule {r.id}: {atom.pred} used with arity {atom.arity}, but {where[atom.pred]} uses {known}"
                )
    heads = {r.head.pred for r in rules}
    for pred in heads & set(edb):
        raise RuleError(f"{pred} is a fact predicate and may not be the head of a rule")
    for r in rules:
        for lit in r.body:
            if lit.atom.pred not in heads and lit.atom.pred not in edb and lit.atom.pred not in BUILTINS:
                raise RuleError(f"rule {r.id}: predicate {lit.atom.pred} is neither a fact nor defined")
    return arity


def strata(rules: list[Rule]) -> list[list[str]]:
    """Order the derived predicates into strongly connected components, lowest first.

    Raises RuleError if a negation occurs inside a cycle (the rules are then not stratifiable).
    """
    heads = sorted({r.head.pred for r in rules})
    deps: dict[str, set[str]] = defaultdict(set)
    neg_edges: set[tuple[str, str]] = set()
    for r in rules:
        for lit in r.body:
            if lit.atom.pred in heads:
                deps[r.head.pred].add(lit.atom.pred)
                if lit.negated:
                    neg_edges.add((r.head.pred, lit.atom.pred))
    comps = _tarjan(heads, deps)  # reverse topological order: dependencies first
    comp_of = {p: i for i, comp in enumerate(comps) for p in comp}
    for head, dep in sorted(neg_edges):
        if comp_of[head] == comp_of[dep]:
            raise RuleError(f"not stratifiable: {head} depends negatively on {dep} within a cycle")
    return [sorted(c) for c in comps]


def _tarjan(nodes: list[str], deps: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's SCC algorithm (iterative); components come out dependencies-first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(deps.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(deps.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)
    return out
