"""The engine on small hand-made programs: results as sets, checked against clingo and by hand."""

from __future__ import annotations

from reasoning.clingo_eval import evaluate_clingo
from reasoning.datalog import Rule, check_arities, parse_atom, parse_literal, strata
from reasoning.engine import evaluate
from reasoning.rulebook import Rulebook


def book(rules: list[tuple[str, list[str]]], edb: dict[str, int]) -> Rulebook:
    made = [
        Rule(f"r{i}", ("D16-5",), parse_atom(h), tuple(parse_literal(b) for b in body), "", "")
        for i, (h, body) in enumerate(rules)
    ]
    arity = check_arities(made, edb)
    return Rulebook(tuple(made), {}, {}, {}, {}, arity, tuple(tuple(s) for s in strata(made)), {}, ("T",))


# A chain through three predicates (liable → level → decides → liable): pyDatalog 0.22.4 never returns on
# such a cycle when handed it directly; the engine iterates the stratum itself (regression).
CHAIN = [
    ('liable(T, "8", E)', ["case(E, T)"]),
    ('liable(T, "59", E)', ["decides(T, X, E)", "not pursued(X, E)"]),
    ("decides(UT, X, E)", ["level(X, A, E)", "parent(A, P)", "committee(P, UT)"]),
    ("level(T, A, E)", ["liable(T, R, E)", "committee(A, T)"]),
]
FACTS = {
    "case": {("c1", "t0")},
    "committee": {("a0", "t0"), ("a1", "t1"), ("a2", "t2"), ("a3", "t3")},
    "parent": {("a0", "a1"), ("a1", "a2"), ("a2", "a3")},
    "pursued": {("t1", "c1")},
}
EDB = {"case": 2, "committee": 2, "parent": 2, "pursued": 2}


def test_three_predicate_cycle_terminates_and_stops_where_pursued():
    rb = book(CHAIN, EDB)
    model = evaluate(rb, FACTS)
    # t1 failed to pursue t0; t1 itself was pursued, so t2 (and t3) are not liable
    assert model["liable"] == {("t0", "8", "c1"), ("t1", "59", "c1")}
    assert model == evaluate_clingo(rb, FACTS)


def test_neq_builtin():
    rb = book([("two(P)", ["s(P, I1)", "s(P, I2)", "neq(I1, I2)"])], {"s": 2})
    facts = {"s": {("a", "x"), ("a", "y"), ("b", "x")}}
    model = evaluate(rb, facts)
    assert model["two"] == {("a",)}
    assert model == evaluate_clingo(rb, facts)


def test_fresh_logic_per_evaluation_forgets_earlier_facts():
    rb = book([("q(X)", ["p(X)"])], {"p": 1})
    assert evaluate(rb, {"p": {("1",)}})["q"] == {("1",)}
    assert evaluate(rb, {"p": {("2",)}})["q"] == {("2",)}
