"""The linear fact lookup (reasoning/pydatalog_index.py) gives pyDatalog's own answers, and its work grows with
the findings on one party, not with their square (issue 13: 5,000 findings on one person never finished)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyDatalog import pyEngine

from kb.scenario_io import load_scenario, load_scenario_text
from reasoning import pydatalog_index
from reasoning.queries import run
from tests.test_hostile import many_findings

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "kb" / "scenarios").glob("*.yaml"))


@pytest.fixture
def original_lookup():
    pydatalog_index.uninstall()
    try:
        yield
    finally:
        pydatalog_index.install()


def test_the_engine_uses_the_linear_lookup():
    assert pyEngine.relevant_clauses is pydatalog_index.relevant_clauses


@pytest.mark.parametrize("path", SAMPLES[::3], ids=lambda p: p.stem)
def test_same_model_as_pydatalogs_own_lookup(path, original_lookup):
    scenario = load_scenario(path)
    theirs = run(scenario).model
    pydatalog_index.install()
    assert run(scenario).model == theirs


def test_same_model_with_many_findings_on_one_party(original_lookup):
    scenario, _ = load_scenario_text(json.dumps(many_findings(40), ensure_ascii=False), "m.json")
    theirs = run(scenario).model
    pydatalog_index.install()
    assert run(scenario).model == theirs


def _facts_walked(n: int, monkeypatch) -> int:
    """Facts in the smallest candidate set, summed over every lookup of one evaluation (the work of the lookup)."""
    walked = [0]
    original = pydatalog_index.relevant_clauses

    def counted(literal):
        index = literal.pred.index
        sizes = [len(index[i].get(t.id, ())) for i, t in enumerate(literal.terms) if t.is_const()]
        walked[0] += min(sizes, default=0)
        return original(literal)

    scenario, _ = load_scenario_text(json.dumps(many_findings(n), ensure_ascii=False), "m.json")
    with monkeypatch.context() as m:
        m.setattr(pyEngine, "relevant_clauses", counted)
        run(scenario)
    return walked[0]


def test_lookup_work_grows_linearly_with_findings_on_one_party(monkeypatch):
    small, large = _facts_walked(25, monkeypatch), _facts_walked(100, monkeypatch)
    assert large <= 5 * small, (small, large)  # four times the findings; pyDatalog's own order: about 16 times
