"""Every operative clause: scenarios where it fires and near misses where it must not (tests/cases/*.yaml).

Each case states exactly which liabilities under its clauses are derived (compared as sets), plus rows of
other conclusions that must or must not be derived. Each case is also run through clingo on the same rule
data: the independent evaluator must agree with pyDatalog on every conclusion.
"""

from __future__ import annotations

import pytest

from caselib import load_cases, scenario_of
from reasoning.clingo_eval import evaluate_clingo
from reasoning.facts import scenario_facts
from reasoning.queries import run

CASES = load_cases()


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}::{c['name']}" for f, c in CASES])
def test_case(case):
    ev = run(scenario_of(case))
    clauses = set(case["clauses"])
    got = {row for row in ev.liabilities() if row[2] in clauses}
    want = {tuple(r) for r in case.get("liable", [])}
    assert got == want, f"liable under {sorted(clauses)}: expected {sorted(want)}, got {sorted(got)}"
    for pred, rows in (case.get("rows") or {}).items():
        for row in rows:
            assert tuple(row) in ev.model.get(pred, ()), f"missing {pred}{tuple(row)}"
    for pred, rows in (case.get("no_rows") or {}).items():
        for row in rows:
            assert tuple(row) not in ev.model.get(pred, ()), f"unexpected {pred}{tuple(row)}"
    # the independent evaluator agrees with pyDatalog on every conclusion of the case
    reference = evaluate_clingo(ev.rulebook, scenario_facts(ev.scenario, ev.readings))
    for pred in sorted({r.head.pred for r in ev.rulebook.rules}):
        assert ev.model.get(pred, frozenset()) == reference.get(pred, frozenset()), f"clingo disagrees on {pred}"


def test_every_case_names_existing_clauses():
    from kb.registry import load_registry

    reg = load_registry()
    for _, case in CASES:
        for clause in case["clauses"]:
            assert clause in reg, (case["name"], clause)
