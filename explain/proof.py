"""Proofs rebuilt by re-derivation: for a derived atom, the first rule instance (in a fixed order) whose
body holds in the model, with the scenario facts it used, the negative conditions that held under the
closed-world assumption, the interpretations it relied on, and sub-proofs of its derived premises.

pyDatalog keeps no provenance, so this is done over the computed model (ENGINE-NOTES.md, "Explanations that
were prototyped"). Recursive rules are guarded: an atom is never used to prove itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from explain.catalogue import fill, has
from kb.registry import load_registry
from kb.vocabulary import load_vocabulary
from reasoning.datalog import BUILTINS
from reasoning.facts import SCENARIO_PREDICATES
from reasoning.match import Index, ground, match_body, unify
from reasoning.rulebook import Rulebook

Atom = tuple[str, tuple[str, ...]]


@dataclass
class Proof:
    """One step: a fact, or a rule instance with its premises."""

    pred: str
    args: tuple[str, ...]
    kind: str  # "fact" | "law" | "interpretation" | "rule"
    rule: str | None = None
    clauses: tuple[str, ...] = ()
    clause: str | None = None  # the clause of this rule instance
    premises: list[Proof] = field(default_factory=list)
    absent: list[Atom] = field(default_factory=list)

    def walk(self) -> Iterator[Proof]:
        """Every distinct step of the proof once, depth first: a sub-proof shared by several premises (the
        prover shares them) is visited once, so the walk is linear in the proof's size, not in its paths."""
        seen: set[int] = set()
        stack = [self]
        while stack:
            proof = stack.pop()
            if id(proof) in seen:
                continue
            seen.add(id(proof))
            yield proof
            stack.extend(reversed(proof.premises))

    def atoms(self) -> set[Atom]:
        """Every atom in the proof tree (for tests and graph building)."""
        return {(p.pred, p.args) for p in self.walk()}

    def interpretations(self) -> set[tuple[str, str]]:
        """The interpretation readings the conclusion depends on."""
        return {p.args for p in self.walk() if p.kind == "interpretation"}  # type: ignore[misc]

    def rules(self) -> set[str]:
        """Rule ids used anywhere in the proof."""
        return {p.rule for p in self.walk() if p.rule}


class Prover:
    """Builds proofs over one evaluated model; successful sub-proofs are shared."""

    def __init__(self, rulebook: Rulebook, model: dict[str, frozenset[tuple[str, ...]]]):
        self.rulebook = rulebook
        self.index = Index(model)
        self.idb = rulebook.heads
        self.rules_by_head = rulebook.by_head
        self.memo: dict[Atom, Proof] = {}
        self._head_index = rulebook.head_index  # only the rules whose head constants match an atom are tried

    def _rules_matching(self, pred: str, args: tuple[str, ...]) -> list:
        """The rules for pred whose head constants agree with args, in the rule book's order."""
        rules = self.rules_by_head[pred]
        found: list[int] = []
        for consts, table in self._head_index[pred]:
            found += table.get(tuple(args[k] for k in consts), ())
        return [rules[n] for n in sorted(found)]

    def prove(self, pred: str, args: tuple[str, ...]) -> Proof | None:
        """A proof of pred(args), or None if it does not hold."""
        return self._prove(pred, args, frozenset())

    def _prove(self, pred: str, args: tuple[str, ...], path: frozenset[Atom]) -> Proof | None:
        key = (pred, args)
        if key in self.memo:
            return self.memo[key]
        if pred not in self.idb:
            if not self.index.holds(pred, args):
                return None
            kind = "interpretation" if pred == "interp" else ("fact" if pred in SCENARIO_PREDICATES else "law")
            clauses = self.rulebook.static_clauses.get(pred, ())
            if pred in self.rulebook.static_row_clause:
                clauses = (args[self.rulebook.static_row_clause[pred]],) + clauses
            proof = Proof(pred, args, kind, clauses=clauses)
            self.memo[key] = proof
            return proof
        if not self.index.holds(pred, args):
            return None
        path = path | {key}
        for rule in self._rules_matching(pred, args):
            binding = unify(rule.head, args, {})
            if binding is None:
                continue
            for b in match_body(rule.body, self.index, binding):
                premises: list[Proof] = []
                ok = True
                for lit in rule.body:
                    if lit.negated or lit.atom.pred in BUILTINS:
                        continue
                    row = ground(lit.atom, b)
                    assert row is not None
                    if (lit.atom.pred, row) in path:
                        ok = False
                        break
                    sub = self._prove(lit.atom.pred, row, path)
                    if sub is None:
                        ok = False
                        break
                    premises.append(sub)
                if not ok:
                    continue
                absent = [(lit.atom.pred, ground(lit.atom, b)) for lit in rule.body if lit.negated]
                clause = b[rule.clause_var] if rule.clause_var else rule.clause
                proof = Proof(pred, args, "rule", rule.id, rule.clauses, clause, premises, absent)  # type: ignore[arg-type]
                self.memo[key] = proof
                return proof
        return None


# An argument a condition leaves open (a variable no fact binds): read as "any", never as a placeholder.
UNBOUND = "\x00unbound"


def _word(arg: str, lang: str) -> str:
    """An argument as users read it: elements by their verbatim words, clauses by their citation."""
    if arg == UNBOUND:
        return fill("lang", "unbound", lang)
    vocab = load_vocabulary()
    if arg in vocab.elements:
        el = vocab.elements[arg]
        return f"“{el.zh}”（{arg}）" if lang == "zh" else f"'{el.en}' ({arg})"
    reg = load_registry()
    if "-" in arg and arg in reg:
        unit = reg.get(arg)
        return unit.citation_short if lang == "zh" else unit.label_en.split(" — ")[0]
    return arg


@cache
def describe(pred: str, args: tuple[str, ...]) -> dict[str, str]:
    """How a fact or conclusion reads, Chinese and English (cached: wording depends only on the atom)."""
    if not has("predicates", pred):
        return {"zh": f"{pred}({', '.join(args)})", "en": f"{pred}({', '.join(args)})"}
    return {lang: fill("predicates", pred, lang, *[_word(a, lang) for a in args]) for lang in ("zh", "en")}


def to_json(proof: Proof, rulebook: Rulebook, seen: set[Atom] | None = None) -> dict:
    """A proof as plain data: rule instance with verbatim clause text, facts, absent facts, sub-proofs.

    A derived premise already shown earlier in the same proof is referred to, not repeated.
    """
    seen = seen if seen is not None else set()
    reg = load_registry()
    node: dict = {
        "atom": {"pred": proof.pred, "args": list(proof.args)},
        "reads": describe(proof.pred, proof.args),
    }
    key = (proof.pred, proof.args)
    if proof.kind != "rule":
        node["kind"] = proof.kind
        if proof.kind == "law":
            node["clauses"] = list(proof.clauses)
        return node
    if key in seen:
        node["kind"] = "see_above"
        return node
    seen.add(key)
    rule = rulebook.rule(proof.rule)  # type: ignore[arg-type]
    unit = reg.get(proof.clause or rule.clause)
    node["kind"] = "rule"
    node["rule"] = {
        "id": rule.id,
        "clause": unit.id,
        "clauses": list(rule.clauses),
        "citation": unit.citation,
        "clause_text": unit.text,
        "gloss": {"zh": rule.gloss_zh, "en": rule.gloss_en},
    }
    node["facts"] = [to_json(p, rulebook, seen) for p in proof.premises if p.kind != "rule"]
    node["absent"] = [
        {
            "atom": {"pred": pred, "args": list(args)},
            "reads": describe(pred, args),
            "assumption": "closed_world",
        }
        for pred, args in proof.absent
    ]
    node["because"] = [to_json(p, rulebook, seen) for p in proof.premises if p.kind == "rule"]
    return node
