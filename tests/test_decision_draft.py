"""The reviewer form's plain data (kb/decision_draft.py): every bundled decision survives the form's round trip
(draft → YAML → the same loader) unchanged, the form offers each one's parties and clauses, what it cannot offer is
named with its path, and a bad date stays as typed for the loader to name beside its field."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from explain.errors import error_rows
from kb.decision_draft import (
    blank,
    clause_options,
    from_decision,
    gaps,
    matter_ids,
    party_ids,
    scenario_name,
    to_yaml,
)
from kb.decision_schema import load_decision, load_decision_text, load_decision_texts
from kb.scenario_draft import from_scenario
from kb.scenario_io import ScenarioError, load_scenario
from reasoning.queries import run

ROOT = Path(__file__).parent.parent
DECISIONS = sorted(p for p in (ROOT / "kb" / "decisions").iterdir() if p.suffix in (".yaml", ".json"))
SCENARIOS = ROOT / "kb" / "scenarios"


@cache
def _scenario(name: str) -> tuple[dict, list[tuple]]:
    s = load_scenario(SCENARIOS / name)
    return from_scenario(s), list(run(s).liabilities())


@pytest.mark.parametrize("path", DECISIONS, ids=lambda p: p.name)
def test_every_bundled_decision_round_trips_through_the_form_and_fits_it(path):
    loaded = load_decision(path)
    draft = from_decision(loaded.decision)
    again, _ = load_decision_text(to_yaml(draft), "form")
    assert again == loaded.decision
    name = scenario_name(loaded.decision.decision.scenario)
    assert name is not None
    scenario, liable = _scenario(name)
    assert gaps(draft, scenario, liable) == []
    for p in loaded.decision.parties:
        assert p.party in party_ids(scenario) and p.event in matter_ids(scenario)
        assert set(p.clauses) <= set(clause_options(scenario, p.party, p.event, liable))


def test_clauses_offered_are_those_valid_for_the_party():
    scenario, liable = _scenario("a1-deadline-national-day.yaml")
    staff = clause_options(scenario, "陈静", "事1", liable)
    assert "A1-7.2" in staff and not any(c.startswith("D16-5") for c in staff)  # a clerk is no party team
    case, case_liable = _scenario("d16-8-department-case.yaml")
    assert set(clause_options(case, "市住建局党组", "案1", case_liable)) >= {"D16-8.1", "D16-8.6"}
    assert all(c.startswith("D16-8") for c in clause_options(case, "市住建局党组", "案1", []))
    chain, chain_liable = _scenario("a2-chain.yaml")
    assert "A2-9" in clause_options(chain, "沈涛", "事1", chain_liable)  # the engine's own liability is offered
    assert clause_options(scenario, None, "事1", liable) == []


def test_what_the_form_cannot_offer_is_named_with_its_path():
    loaded = load_decision(ROOT / "kb" / "decisions" / "01-correct-staff-written-check.yaml")
    scenario, liable = _scenario("a1-deadline-national-day.yaml")
    draft = from_decision(loaded.decision)
    draft["parties"][0]["clauses"] = ["D16-5.4"]
    draft["organs"]["decide"] = "无此单位"
    draft["decision"]["interpretations"] = {"heads_answer": "nobody"}
    found = {(path, key) for path, key, _ in gaps(draft, scenario, liable)}
    assert found == {
        (("parties", 0, "clauses", 0), "gap_clause"),
        (("organs", "decide"), "gap_organ"),
        (("decision", "interpretations", "heads_answer"), "gap_reading"),
    }
    draft["decision"]["scenario"] = "elsewhere/own.yaml"
    assert scenario_name(draft["decision"]["scenario"]) is None
    assert [g[1] for g in gaps(draft, None, [])] == ["gap_scenario"]


def test_a_blank_decision_and_a_bad_date_are_named_field_by_field():
    draft = blank("a1-articles-5-to-8.yaml")
    draft["dates"]["service"] = "2015-13-45"
    text = to_yaml(draft)
    assert "'2015-13-45'" in text  # kept as typed, not dropped or turned into another date
    with pytest.raises(ScenarioError) as err:
        load_decision_text(text, "form")
    paths = {tuple(i.path): i.code for i in err.value.issues}
    for missing in (("parties", 0, "party"), ("parties", 0, "event"), ("organs", "decide"), ("dates", "decision")):
        assert missing in paths
    assert ("dates", "service") in paths
    rows = error_rows(err.value)
    assert all(r["fix"]["zh"] and r["fix"]["en"] for r in rows)


def test_a_decision_error_is_worded_with_its_fix():
    """error_rows words a decision's own errors (decision_errors), not only a scenario's."""
    loaded = load_decision(ROOT / "kb" / "decisions" / "01-correct-staff-written-check.yaml")
    draft = from_decision(loaded.decision)
    draft["parties"][0]["party"] = "无名氏"
    scenario_text = (SCENARIOS / "a1-deadline-national-day.yaml").read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_decision_texts(to_yaml(draft), scenario_text, "form")
    (row,) = error_rows(err.value)
    assert row["code"] == "decision_unknown_party" and "无名氏" in row["what"]["zh"]
    assert row["fix"] == {"zh": "使用情景中单位或人员的编号", "en": "use the id of a unit or person of the scenario"}
