"""Step-through on the samples: events in time order; what became true, what fired, what was withdrawn, what
almost fired."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from akb.cli import main
from explain.steps import near_misses, render, step_through, timeline
from kb.scenario_io import load_scenario
from reasoning.queries import run

SCENARIOS = Path(__file__).resolve().parent.parent / "kb" / "scenarios"


def sample(name: str):
    return load_scenario(SCENARIOS / name)


def rows(items: list[dict]) -> set[tuple]:
    return {(x["party"], x["responsibility"], x["clause"], x["event"]) for x in items}


# the "if nobody acts" reading with the bodies alone traced back: every unpursued party makes the level above
# liable at once, and each record 追究 withdraws what it stops (the default needs a record 未追究: see below)
OLD_READINGS = {"pursuit_record": "closed_world", "heads_answer": "bodies_only"}


@pytest.fixture(scope="module")
def chain():
    return step_through(sample("d16-chain-stopped.yaml"), OLD_READINGS, almost="simple")


def test_timeline_puts_records_after_the_findings_of_their_day():
    ids = [e.id for e in timeline(sample("d16-chain-stopped.yaml"))]
    assert ids == ["案1", "案2", "追1", "追2", "不追1", "不追2", "追3", "追4", "追5"]


def test_first_case_fires_the_dual_investigation(chain):
    step = chain["steps"][0]
    assert step["event"]["id"] == "案1"
    added = {(f["pred"], tuple(f["args"])) for f in step["new_facts"]["added"]}
    assert ("established", ("案1", "D16-8.3/s2")) in added
    assert step["new_facts"]["positions"] > 0  # everyone's posts at the time, counted
    fired = rows(step["fired"])
    assert {
        ("汤沟镇党委", "主体责任", "D16-8.3", "案1"),
        ("汤沟镇纪委", "监督责任", "D16-8.3", "案1"),
        ("灌南县委", "主体责任", "D16-5.9", "案1"),  # nobody has pursued the township yet: the chain climbs
    } <= fired
    assert not any(x["party"] == "孔德明" for x in step["fired"])  # D16-8 does not make the 当事人 liable
    team = next(x for x in step["fired"] if x["party"] == "汤沟镇党委")
    why = {(b["change"], b["pred"], tuple(b["args"])) for b in team["because"]}
    assert ("added", "established", ("案1", "D16-8.3/s2")) in why
    assert step["withdrawn"] == []


def test_by_default_the_chain_climbs_at_the_recorded_decision_not_to_pursue():
    data = step_through(sample("d16-chain-stopped.yaml"), almost="simple")
    by_id = {s["event"]["id"]: s for s in data["steps"]}
    assert not any(x["clause"] == "D16-5.9" for x in by_id["案2"]["fired"])  # no record yet: nothing climbs
    fired = rows(by_id["不追1"]["fired"])
    assert ("灌南县委", "主体责任", "D16-5.9", "案2") in fired
    assert ("陆海峰", "主要领导责任", "D16-5.9", "案2") in fired


def test_records_withdraw_the_chain_above_them(chain):
    by_id = {s["event"]["id"]: s for s in chain["steps"]}
    # 追1: the county committee pursued the township committee → the county and city are no longer liable for 案1
    withdrawn = rows(by_id["追1"]["withdrawn"])
    assert ("灌南县委", "主体责任", "D16-5.9", "案1") in withdrawn
    assert ("市委", "主体责任", "D16-5.9", "案1") in withdrawn
    assert by_id["追1"]["fired"] == []
    for x in by_id["追1"]["withdrawn"]:
        assert {(b["change"], b["pred"], tuple(b["args"])) for b in x["because"]} == {
            ("added", "pursued", ("汤沟镇党委", "案1"))
        }
    # 追4: the 市委 pursued the county secretary too → the 市委 and its secretary are no longer liable for 案2
    assert rows(by_id["追4"]["withdrawn"]) == {
        ("市委", "主体责任", "D16-5.9", "案2"),
        ("陈志远", "主要领导责任", "D16-5.9", "案2"),
    }
    # the record's own duties become true
    gained = {(c["pred"], tuple(c["args"])) for c in by_id["追3"]["conclusions"]["gained"]}
    assert ("report_due", ("灌南县委", "案2")) in gained


def test_last_step_is_the_whole_evaluation(chain):
    ev = run(sample("d16-chain-stopped.yaml"), OLD_READINGS)
    assert chain["summary"]["liable"] == len(ev.liabilities())
    fired = sum(len(s["fired"]) for s in chain["steps"])
    withdrawn = sum(len(s["withdrawn"]) for s in chain["steps"])
    assert fired - withdrawn == len(ev.liabilities())


def test_simple_near_miss_names_the_missing_group():
    """d16-city-large 事13: D16-5.1 without the effect 群众反映强烈 — the near miss names that element."""
    ev = run(sample("d16-city-large.yaml"))
    near = {x["item"]: x for x in near_misses(ev, "事13")}
    assert "D16-5.1" in near
    missing = near["D16-5.1"]["missing"]
    assert [g["group"] for g in missing] == ["effect"]
    assert missing[0]["elements"][0]["id"] == "D16-5.1/e1" and missing[0]["elements"][0]["zh"] == "群众反映强烈"


@pytest.mark.skipif(importlib.util.find_spec("reasoning.whynot") is None, reason="reasoning/whynot.py not present")
def test_almost_by_why_not_search():
    """After 追1 the county committee is one fact away from D16-5.9 for 案1: the record 追1 itself."""
    data = step_through(sample("d16-chain-stopped.yaml"), OLD_READINGS, almost="whynot")
    step = next(s for s in data["steps"] if s["event"]["id"] == "追1")
    assert step["almost_method"] == "whynot"
    near = {(x["party"], x["clause"], x["event"]) for x in step["almost"]}
    assert ("灌南县委", "D16-5.9", "案1") in near


def test_strategies_agree_and_output_is_stable(chain):
    again = step_through(sample("d16-chain-stopped.yaml"), OLD_READINGS, almost="simple", strategy="strata")
    assert again["steps"] == chain["steps"]
    assert json.dumps(chain, ensure_ascii=False, sort_keys=True) == json.dumps(
        step_through(sample("d16-chain-stopped.yaml"), OLD_READINGS, almost="simple"),
        ensure_ascii=False,
        sort_keys=True,
    )


def test_render_chinese_first(chain):
    out = render(chain)
    assert out.index("第1步") < out.index("step 1")
    assert "新适用的条款" in out and "不再成立的责任认定" in out
    assert "第八条第（三）项" in out


def test_cli_json_with_timing(capsys):
    assert (
        main(["steps", str(SCENARIOS / "a1-deadline-national-day.yaml"), "--json", "--timing", "--almost", "off"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [s["event"]["id"] for s in data["steps"]] == ["事1", "决1"]
    assert rows(data["steps"][0]["fired"]) == {("陈静", "直接责任", "A1-7.2", "事1")}
    assert all("engine_ms" in s["timing"] for s in data["steps"])
    assert main(["steps", str(SCENARIOS / "a1-deadline-national-day.yaml")]) == 0
    assert "逐步推演" in capsys.readouterr().out
