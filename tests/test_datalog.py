"""Static checks of the rule language: parsing, safety, arity, stratification."""

import pytest

from reasoning.datalog import (
    Const,
    Rule,
    RuleError,
    Var,
    check_arities,
    check_safety,
    parse_atom,
    parse_literal,
    strata,
)


def rule(rid: str, head: str, *body: str) -> Rule:
    return Rule(rid, ("D16-5",), parse_atom(head), tuple(parse_literal(b) for b in body), "", "")


def test_parse_atom_with_chinese_constants_and_variables():
    atom = parse_atom('liable(T, "主体责任", "D16-5.1", E)')
    assert atom.pred == "liable"
    assert atom.args == (Var("T"), Const("主体责任"), Const("D16-5.1"), Var("E"))


def test_parse_negated_literal():
    lit = parse_literal("not pursued(X, E)")
    assert lit.negated and lit.atom.pred == "pursued"


@pytest.mark.parametrize("bad", ["Liable(X)", "p(X", 'p("open)', "p(X,,Y)", "p(内)"])
def test_malformed_atoms_are_rejected(bad):
    with pytest.raises(RuleError):
        parse_atom(bad)


def test_unsafe_head_variable_is_rejected():
    with pytest.raises(RuleError, match="unsafe"):
        check_safety(rule("r", "p(X, Y)", "q(X)"))


def test_unsafe_negation_is_rejected():
    with pytest.raises(RuleError, match="unsafe"):
        check_safety(rule("r", "p(X)", "q(X)", "not r(X, Y)"))


def test_safe_rule_passes():
    check_safety(rule("r", "p(X)", "q(X, Y)", "not r(Y)"))


def test_arity_conflict_is_rejected():
    rules = [rule("a", "p(X)", "q(X)"), rule("b", "s(X)", "p(X, X)")]
    with pytest.raises(RuleError, match="arity"):
        check_arities(rules, {"q": 1})


def test_undefined_body_predicate_is_rejected():
    with pytest.raises(RuleError, match="neither a fact nor defined"):
        check_arities([rule("a", "p(X)", "nowhere(X)")], {})


def test_negation_through_recursion_is_not_stratifiable():
    rules = [rule("a", "p(X)", "q(X)", "not r(X)"), rule("b", "r(X)", "q(X)", "p(X)")]
    with pytest.raises(RuleError, match="stratifiable"):
        strata(rules)


def test_strata_put_dependencies_first():
    rules = [
        rule("a", "top(X)", "mid(X)", "not low(X)"),
        rule("b", "mid(X)", "q(X)"),
        rule("c", "low(X)", "q(X)"),
    ]
    order = [p for comp in strata(rules) for p in comp]
    assert order.index("low") < order.index("top") and order.index("mid") < order.index("top")
