"""The incremental evaluator gives exactly the model of a fresh evaluation, at every step of a step-through."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kb.interpretations import resolve
from kb.scenario_io import load_scenario
from kb.schema import Accountability
from reasoning.datalog import Rule, check_arities, parse_atom, parse_literal, strata
from reasoning.engine import evaluate
from reasoning.facts import scenario_facts
from reasoning.incremental import IncrementalEvaluator
from reasoning.rulebook import Rulebook, load_rulebook

SCENARIOS = Path(__file__).resolve().parent.parent / "kb" / "scenarios"
SAMPLES = [
    "d16-chain-stopped.yaml",
    "d16-5-team-failure.yaml",
    "d16-8-chain-three-levels.yaml",
    "d16-departed-leader.yaml",
    "a1-deadline-national-day.yaml",
]


def prefixes(name: str, **chosen: str):
    """Facts of the scenario with its first k events (in time order), k = 0 … all."""
    s = load_scenario(SCENARIOS / name)
    readings = resolve({**s.scenario.interpretations, **chosen})
    events = sorted(s.events, key=lambda e: (e.date, isinstance(e, Accountability)))
    return [scenario_facts(s.model_copy(update={"events": events[:k]}), readings) for k in range(len(events) + 1)]


@pytest.mark.parametrize("strategy", ["dred", "strata"])
@pytest.mark.parametrize("name", SAMPLES)
def test_every_step_equals_a_fresh_evaluation(name, strategy):
    rb = load_rulebook()
    steps = prefixes(name)
    session = IncrementalEvaluator(rb, steps[0], strategy=strategy)
    assert session.current() == evaluate(rb, steps[0])
    for k, facts in enumerate(steps[1:], 1):
        model = session.set_facts(facts)
        assert model == evaluate(rb, facts), f"{name}: step {k}"


def test_removing_events_again_step_by_step():
    """Backwards: every event withdrawn in turn (EDB facts retracted) still gives the fresh model."""
    rb = load_rulebook()
    steps = prefixes("d16-chain-stopped.yaml")
    session = IncrementalEvaluator(rb, steps[-1])
    for facts in reversed(steps[:-1]):
        assert session.set_facts(facts) == evaluate(rb, facts)


def test_an_accountability_record_withdraws_conclusions():
    """Negation: once the 市委 records accountability of the county, the chain above the county stops, and
    the conclusions drawn before the record are retracted (not merely left alone). Under the "if nobody acts"
    reading, the bodies alone traced back and only a record about a body stopping the chain there."""
    rb = load_rulebook()
    old = {"pursuit_record": "closed_world", "principal_pursuit": "body_only", "heads_answer": "bodies_only"}
    steps = prefixes("d16-chain-stopped.yaml", **old)
    session = IncrementalEvaluator(rb, steps[0])
    lost: set = set()
    for facts in steps[1:]:
        before = session.current()["liable"]
        after = session.set_facts(facts)["liable"]
        lost |= before - after
    assert any(party == "市委" for party, *_ in lost)
    assert not any(party in ("市委", "市纪委") for party, *_ in session.current()["liable"])


def test_a_step_touches_only_what_its_facts_can_reach():
    rb = load_rulebook()
    steps = prefixes("d16-chain-stopped.yaml")
    session = IncrementalEvaluator(rb, steps[-2])
    session.set_facts(steps[-1])  # one accountability record
    assert 0 < session.last.strata_touched < len(rb.strata)
    assert session.last.added == 1


def test_an_evaluation_in_between_does_not_disturb_the_session():
    rb = load_rulebook()
    steps = prefixes("d16-5-team-failure.yaml")
    session = IncrementalEvaluator(rb, steps[0])
    for facts in steps[1:]:
        evaluate(rb, steps[0])  # installs its own fresh Logic on this thread
        assert session.set_facts(facts) == evaluate(rb, facts)


def test_a_session_belongs_to_its_thread():
    rb = load_rulebook()
    steps = prefixes("a1-deadline-national-day.yaml")
    session = IncrementalEvaluator(rb, steps[0])
    errors = []

    def other():
        try:
            session.set_facts(steps[1])
        except RuntimeError as err:
            errors.append(err)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert errors


def test_derived_predicates_cannot_be_set():
    session = IncrementalEvaluator(load_rulebook(), {})
    with pytest.raises(ValueError):
        session.update(added={"liable": {("x", "直接责任", "A1-7.2", "e")}})


# A small program with a recursive chain stopped by negation, as in tests/test_engine.py
CHAIN = [
    ('liable(T, "8", E)', ["case(E, T)"]),
    ('liable(T, "59", E)', ["decides(T, X, E)", "not pursued(X, E)"]),
    ("decides(UT, X, E)", ["level(X, A, E)", "parent(A, P)", "committee(P, UT)"]),
    ("level(T, A, E)", ["liable(T, R, E)", "committee(A, T)"]),
    ("two(T)", ["liable(T, R1, E)", "liable(T, R2, E)", "neq(R1, R2)"]),
]
EDB = {"case": 2, "committee": 2, "parent": 2, "pursued": 2}


def book() -> Rulebook:
    made = [
        Rule(f"r{i}", ("D16-5",), parse_atom(h), tuple(parse_literal(b) for b in body), "", "")
        for i, (h, body) in enumerate(CHAIN)
    ]
    arity = check_arities(made, EDB)
    return Rulebook(tuple(made), {}, {}, {}, {}, arity, tuple(tuple(s) for s in strata(made)), {}, ("T",))


@pytest.mark.parametrize("strategy", ["dred", "strata"])
def test_small_chain_toggled_by_records(strategy):
    rb = book()
    base = {
        "case": {("c1", "t0")},
        "committee": {("a0", "t0"), ("a1", "t1"), ("a2", "t2"), ("a3", "t3")},
        "parent": {("a0", "a1"), ("a1", "a2"), ("a2", "a3")},
    }
    session = IncrementalEvaluator(rb, base, strategy=strategy)
    assert session.current() == evaluate(rb, base)
    script = [
        ({"pursued": {("t1", "c1")}}, {}),  # stops the chain above t1
        ({}, {"pursued": {("t1", "c1")}}),  # climbs again
        ({"pursued": {("t2", "c1")}, "case": {("c2", "t2")}}, {}),
        ({}, {"parent": {("a1", "a2")}}),  # cuts the hierarchy: a positive premise removed
        ({"parent": {("a1", "a2")}}, {"pursued": {("t2", "c1")}}),
    ]
    facts = {p: set(r) for p, r in base.items()}
    for added, removed in script:
        for p, rows in removed.items():
            facts[p] = facts.get(p, set()) - rows
        for p, rows in added.items():
            facts[p] = facts.get(p, set()) | rows
        assert session.update(added, removed) == evaluate(rb, facts)


@pytest.mark.parametrize("name", ["d16-chain-stopped.yaml", "a1-repeat-offender.yaml"])
def test_random_toggles_of_user_facts(name):
    """Facts a user edits (elements, records, severities, positions) switched off and on at random, several at
    a time: every state equals a fresh evaluation."""
    import random

    rb = load_rulebook()
    full = prefixes(name)[-1]
    pool = sorted(
        (pred, row)
        for pred in ("established", "pursued", "severity", "held", "finding_party", "case_party")
        for row in full.get(pred, ())
    )
    rnd = random.Random(20260601)
    session = IncrementalEvaluator(rb, full)
    current = {p: set(r) for p, r in full.items()}
    for _ in range(8):
        flips = rnd.sample(pool, k=min(len(pool), rnd.randint(1, 4)))
        added: dict = {}
        removed: dict = {}
        for pred, row in flips:
            if row in current.get(pred, set()):
                removed.setdefault(pred, set()).add(row)
                current[pred].discard(row)
            else:
                added.setdefault(pred, set()).add(row)
                current.setdefault(pred, set()).add(row)
        assert session.update(added, removed) == evaluate(rb, {p: r for p, r in current.items() if r})
