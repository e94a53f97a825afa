"""Assemble the rule set from the knowledge base: rule files (kb/rules), generated situation rules
(kb/vocabulary), static facts, interpretations — then check it (safety, arity, stratification)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ruamel.yaml import YAML

from kb.interpretations import Interpretation, load_interpretations
from kb.registry import load_registry
from kb.unit_kinds import scope_facts
from kb.vocabulary import Item, load_vocabulary
from reasoning.datalog import (
    BUILTINS,
    Atom,
    Const,
    Literal,
    Rule,
    RuleError,
    Var,
    check_arities,
    check_safety,
    parse_atom,
    parse_literal,
    strata,
)
from reasoning.facts import SCENARIO_PREDICATES

KB_DIR = Path(__file__).resolve().parent.parent / "kb"
RULES_DIR = KB_DIR / "rules"

# Static predicates built from the vocabulary (element structure); shared by every document.
VOCAB_PREDICATES = {"element_in": 4, "group_join": 4, "group_waived": 5}

# The articles whose items are situations made of elements ("有下列情形之一的"), by document: the situation
# machinery (how established elements make a group) encodes their common reading.
SITUATION_CLAUSES = {
    "D16": ["D16-5", "D16-6", "D16-7", "D16-8"],
    "A1": ["A1-5", "A1-6", "A1-7", "A1-8", "A1-9", "A1-10", "A1-11", "A1-12", "A1-15", "A1-16"],
    "A2": ["A2-4", "A2-5", "A2-6"],
}


@dataclass(frozen=True)
class Rulebook:
    """The checked rule set, the static facts, and indexes for explanation and coverage."""

    rules: tuple[Rule, ...]
    static_facts: dict[str, frozenset[tuple[str, ...]]]
    static_clauses: dict[str, tuple[str, ...]]
    static_gloss: dict[str, dict[str, str]]
    static_row_clause: dict[str, int]  # predicate → the column naming each row's own clause, where rows have one
    arity: dict[str, int]
    strata: tuple[tuple[str, ...], ...]
    interpretations: dict[str, Interpretation]
    documents: tuple[str, ...]

    def rules_for(self, pred: str) -> list[Rule]:
        return list(self.by_head.get(pred, ()))

    @cached_property
    def by_head(self) -> dict[str, tuple[Rule, ...]]:
        """The rules of each head predicate, in the rule book's order (built once, shared by every reader)."""
        out: dict[str, list[Rule]] = {}
        for r in self.rules:
            out.setdefault(r.head.pred, []).append(r)
        return {p: tuple(rs) for p, rs in out.items()}

    @cached_property
    def head_index(self) -> dict[str, list[tuple[tuple[int, ...], dict[tuple[str, ...], list[int]]]]]:
        """Per head predicate, its rules (by position in `rules_for`) grouped by the positions of their head
        constants and the constants there: the rules whose head can match an atom are found without trying all."""
        out: dict[str, list[tuple[tuple[int, ...], dict[tuple[str, ...], list[int]]]]] = {}
        for pred, rules in self.by_head.items():
            patterns: dict[tuple[int, ...], dict[tuple[str, ...], list[int]]] = {}
            for n, r in enumerate(rules):
                consts = tuple(k for k, a in enumerate(r.head.args) if isinstance(a, Const))
                values = tuple(r.head.args[k].value for k in consts)  # type: ignore[union-attr]
                patterns.setdefault(consts, {}).setdefault(values, []).append(n)
            out[pred] = list(patterns.items())
        return out

    @cached_property
    def heads(self) -> frozenset[str]:
        """The derived predicates (heads of rules)."""
        return frozenset(self.by_head)

    @cached_property
    def reads(self) -> frozenset[str]:
        """The predicates some rule body reads (built-in tests excepted): only their rows go into the engine."""
        return frozenset(lit.atom.pred for r in self.rules for lit in r.body if lit.atom.pred not in BUILTINS)

    def rules_citing(self, clause: str) -> list[Rule]:
        return [r for r in self.rules if clause in r.clauses]

    @cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        return self._by_id[rule_id]

    @property
    def edb(self) -> set[str]:
        return set(self.arity) - {r.head.pred for r in self.rules}


def _cite(item: str) -> tuple[str, str]:
    """Chinese short citation and English citation of a unit id."""
    unit = load_registry().get(item)
    parts = item.split("-", 1)[1]
    art, _, rest = parts.partition(".")
    en = f"Art. {art.replace('p', ' para ')}" + "".join(f"({x})" for x in rest.split(".") if x)
    return unit.citation_short, en


def _subst(text: str, item: str) -> str:
    zh, en = _cite(item)
    return text.replace("{item}", item).replace("{cite}", zh).replace("{cite_en}", en)


def _make_rule(raw: dict, source: str, item: str | None = None) -> Rule:
    sub = (lambda s: _subst(s, item)) if item else (lambda s: s)
    rule = Rule(
        id=sub(raw["id"]),
        clauses=tuple(sub(c) for c in raw["clauses"]),
        head=parse_atom(sub(raw["head"])),
        body=tuple(parse_literal(sub(b)) for b in raw["body"]),
        gloss_zh=sub(raw["gloss"]["zh"]),
        gloss_en=sub(raw["gloss"]["en"]),
        source=source,
    )
    check_safety(rule)
    return rule


def situation_rules(item: Item) -> list[Rule]:
    """One rule per branch: situation(E, S, ITEM) holds when every group of the branch is met."""
    out = []
    for branch in item.branches:
        body = [Literal(Atom("event_subject", (Var("E"), Var("S")))), Literal(Atom("applies", (Var("E"),)))]
        body += [
            Literal(Atom("group_met", (Var("E"), Const(item.id), Const(branch.id), Const(g.id)))) for g in branch.groups
        ]
        zh = " 且 ".join(" / ".join(e.zh for e in g.elements) for g in branch.groups)
        en = " AND ".join(" / ".join(e.en for e in g.elements) for g in branch.groups)
        cite_zh, cite_en = _cite(item.id)
        rule = Rule(
            id=f"{item.id}/situation/{branch.id}",
            clauses=(item.id,),
            head=Atom("situation", (Var("E"), Var("S"), Const(item.id))),
            body=tuple(body),
            gloss_zh=f"{cite_zh}情形：{zh}",
            gloss_en=f"{cite_en}: {en}",
            source=f"kb/vocabulary ({item.document})",
        )
        check_safety(rule)
        out.append(rule)
    return out


def machinery_rules(clauses: list[str]) -> list[Rule]:
    """How established elements make a group: "or" groups by any element; "list" groups by reading."""
    specs = [
        (
            "situation/group/or",
            "group_met(E, I, B, G)",
            ["established(E, El)", "element_in(El, I, B, G)", 'group_join(I, B, G, "or")'],
            "条文以“或者”等连接的要素，具备其一即可。",
            "Alternatives joined by 或/或者: any one suffices.",
        ),
        (
            "situation/group/list_any",
            "group_met(E, I, B, G)",
            [
                "established(E, El)",
                "element_in(El, I, B, G)",
                'group_join(I, B, G, "list")',
                'interp("listed_elements", "any")',
            ],
            "并列列举的行为，具备其一即可。",
            "An enumeration of failings: any one suffices.",
        ),
        (
            "situation/group/list_all",
            "group_met(E, I, B, G)",
            [
                "established(E, El)",
                "element_in(El, I, B, G)",
                'group_join(I, B, G, "list")',
                "not group_gap(E, I, B, G)",
                'interp("listed_elements", "all")',
            ],
            "并列列举的行为，须全部具备。",
            "An enumeration of failings: all must be established.",
        ),
        (
            "situation/group/gap",
            "group_gap(E, I, B, G)",
            [
                "established(E, El0)",
                "element_in(El0, I, B, G)",
                "element_in(El, I, B, G)",
                "not established(E, El)",
            ],
            "并列列举的行为中有未认定的。",
            "Some listed failing of the group is not established.",
        ),
    ]
    out = []
    for rid, head, body, zh, en in specs:
        rule = Rule(
            rid,
            tuple(clauses),
            parse_atom(head),
            tuple(parse_literal(b) for b in body),
            zh,
            en,
            "reasoning/rulebook",
            clause_var="I",
        )
        check_safety(rule)
        out.append(rule)
    return out


def waiver_rules(names: list[str]) -> list[Rule]:
    """A group the vocabulary marks `waived_under` an interpretation is met without its elements under that
    reading (one rule per interpretation, so that each rule names the reading it depends on)."""
    out = []
    for name in names:
        rule = Rule(
            f"situation/group/waived/{name}",
            tuple(c for c in load_interpretations()[name].clauses),
            parse_atom("group_met(E, I, B, G)"),
            tuple(
                parse_literal(b) for b in ("event(E)", f'group_waived(I, B, G, "{name}", R)', f'interp("{name}", R)')
            ),
            "按所选解释，该组要件不是必需的。",
            "Under the chosen reading this group of elements is not required.",
            "reasoning/rulebook",
            clause_var="I",
        )
        check_safety(rule)
        out.append(rule)
    return out


@cache
def load_rulebook() -> Rulebook:
    """Load, expand, generate and check every rule (cached: the rule set is immutable data)."""
    yaml = YAML(typ="safe")
    vocab = load_vocabulary()
    rules: list[Rule] = []
    static: dict[str, set[tuple[str, ...]]] = {}
    static_clauses: dict[str, tuple[str, ...]] = {}
    static_gloss: dict[str, dict[str, str]] = {}
    static_row_clause: dict[str, int] = {}
    documents: list[str] = []
    for path in sorted(RULES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        doc = data["document"]
        if doc not in documents:
            documents.append(doc)
        source = f"kb/rules/{path.name}"
        for fact in data.get("facts", []):
            rows = {tuple(str(v) for v in row) for row in fact["rows"]}
            static.setdefault(fact["pred"], set()).update(rows)
            static_clauses[fact["pred"]] = tuple(fact["clauses"])
            static_gloss[fact["pred"]] = fact["gloss"]
            if "row_clause" in fact:
                static_row_clause[fact["pred"]] = int(fact["row_clause"])
        for raw in data["rules"]:
            if "for_items" in raw:
                if "{item}" not in raw["id"]:
                    raise RuleError(f"{source}: pattern rule {raw['id']} must have {{item}} in its id")
                rules += [_make_rule(raw, source, item) for item in raw["for_items"]]
            else:
                rules.append(_make_rule(raw, source))
    for pred, (clauses, gloss, rows) in scope_facts().items():  # the one table of unit kinds (kb/unit_kinds.yaml)
        static.setdefault(pred, set()).update(rows)
        static_clauses[pred] = tuple(clauses)
        static_gloss[pred] = gloss
    for doc in documents:  # a measure's situations are generated once, whichever files encode it
        for item in vocab.for_document(doc):
            rules += situation_rules(item)
            for b in item.branches:
                for g in b.groups:
                    static.setdefault("group_join", set()).add((item.id, b.id, g.id, g.join))
                    if g.waived_under:
                        static.setdefault("group_waived", set()).add((item.id, b.id, g.id, *g.waived_under))
                    for e in g.elements:
                        static.setdefault("element_in", set()).add((e.id, item.id, b.id, g.id))
    rules += machinery_rules([c for doc in documents for c in SITUATION_CLAUSES.get(doc, [])])
    rules += waiver_rules(sorted({row[3] for row in static.get("group_waived", ())}))
    # which measure each clause belongs to (from the registry), for rules that concern one measure's liabilities
    static["clause_doc"] = {(u.id, u.doc) for u in load_registry().units}
    static_clauses.setdefault("clause_doc", ())
    static_clauses.setdefault("element_in", ())
    static_clauses.setdefault("group_join", ())
    static_clauses.setdefault("group_waived", ())
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleError(f"duplicate rule id {r.id}")
        seen.add(r.id)
    unique = rules
    edb = dict(SCENARIO_PREDICATES)
    edb.update(VOCAB_PREDICATES)
    for pred, rows in static.items():
        edb[pred] = len(next(iter(rows)))
    arity = check_arities(unique, edb)
    order = strata(unique)
    return Rulebook(
        rules=tuple(unique),
        static_facts={p: frozenset(rows) for p, rows in static.items()},
        static_clauses=static_clauses,
        static_gloss=static_gloss,
        static_row_clause=static_row_clause,
        arity=arity,
        strata=tuple(tuple(s) for s in order),
        interpretations=load_interpretations(),
        documents=tuple(documents),
    )
