"""Evaluating from a base model (reasoning/engine.py `evaluate(..., base=)`): the strata a change of facts cannot
reach keep the base's rows, and the model is the same as a full evaluation — on every sample under every other
reading of every interpretation (the app's switch), and on a hand-made program where a change travels through
a negation and stops where a stratum's rows come out the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_engine import CHAIN, EDB, FACTS, book

from kb.interpretations import load_interpretations, resolve
from kb.scenario_io import load_scenario
from reasoning.engine import evaluate
from reasoning.facts import scenario_facts
from reasoning.queries import run
from reasoning.rulebook import load_rulebook

SAMPLES = sorted((Path(__file__).parent.parent / "kb" / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_other_reading_from_the_scenarios_own_model_is_the_full_model(path):
    rb = load_rulebook()
    scenario = load_scenario(path)
    own = resolve(dict(scenario.scenario.interpretations))
    base = (scenario_facts(scenario, own), evaluate(rb, scenario_facts(scenario, own)))
    for name, interp in load_interpretations().items():
        for reading in interp.readings:
            if reading == own[name]:
                continue
            facts = scenario_facts(scenario, {**own, name: reading})
            assert evaluate(rb, facts, base) == evaluate(rb, facts), (name, reading)


def test_run_with_a_base_gives_the_same_evaluation():
    scenario = load_scenario(SAMPLES[0].parent / "d16-city-large.yaml")
    own = run(scenario)
    switched = run(scenario, {"pursuit_record": "closed_world"}, base=(own.readings, own.model))
    full = run(scenario, {"pursuit_record": "closed_world"})
    assert switched.readings == full.readings and switched.model == full.model
    assert switched.liabilities() != own.liabilities()


def test_a_change_travels_through_a_negation_and_back():
    rb = book(CHAIN, EDB)
    base = (FACTS, evaluate(rb, FACTS))
    for facts in (
        {**FACTS, "pursued": set()},  # nobody pursued: the chain goes all the way up
        {**FACTS, "pursued": {("t2", "c1")}},  # pursued one level higher
        {**FACTS, "parent": {("a0", "a1")}},  # a shorter hierarchy
        {**FACTS, "case": set()},  # no case: nothing follows
        FACTS,  # nothing changed
    ):
        assert evaluate(rb, facts, base) == evaluate(rb, facts)
