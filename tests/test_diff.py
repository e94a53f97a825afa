"""What-if comparisons on the samples: the conclusions gained and lost, and the facts that made the difference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from akb.cli import main
from kb.scenario_io import load_scenario, load_scenario_text
from reasoning.diff import FactSyntaxError, compare, parse_fact, with_changes
from reasoning.queries import run

SCENARIOS = Path(__file__).resolve().parent.parent / "kb" / "scenarios"
# the "if nobody acts" reading, the bodies alone traced back, and only a record about a body itself stopping the
# chain at that body: removing a record 追究 lets the chain climb
OLD_READINGS = {"pursuit_record": "closed_world", "heads_answer": "bodies_only", "principal_pursuit": "body_only"}
OLD_FLAGS = [x for name, value in OLD_READINGS.items() for x in ("--interpretation", f"{name}={value}")]


def sample(name: str):
    return load_scenario(SCENARIOS / name)


def without(scenario, event_id: str):
    return scenario.model_copy(update={"events": [e for e in scenario.events if e.id != event_id]})


def liabilities(items: list[dict]) -> set[tuple]:
    return {(x["party"], x["responsibility"], x["clause"], x["event"]) for x in items}


def because(item: dict) -> set[tuple]:
    return {(b["change"], b["pred"], tuple(b["args"])) for b in item["because"]}


def test_removing_a_record_lets_the_chain_climb_again():
    """d16-chain-stopped without 追3 (the 市委 pursued the 灌南县委): the 市委, its secretary and the 市纪委 become
    liable for 案2, each because that record is gone."""
    s = sample("d16-chain-stopped.yaml")
    d = compare(run(s, OLD_READINGS), run(without(s, "追3"), OLD_READINGS))
    assert liabilities(d["liabilities"]["gained"]) == {
        ("市委", "主体责任", "D16-5.9", "案2"),
        ("陈志远", "主要领导责任", "D16-5.9", "案2"),
        ("市纪委", "监督责任", "D16-7.7", "案2"),
    }
    assert d["liabilities"]["lost"] == []
    for item in d["liabilities"]["gained"]:
        assert because(item) == {("removed", "pursued", ("灌南县委", "案2"))}
    # the report duty that followed the record is lost with it, with its dated deadline
    lost = {(x["duty"], tuple(x["args"])) for x in d["duties"]["lost"]}
    assert ("report_due", ("灌南县委", "案2")) in lost
    report = next(x for x in d["duties"]["lost"] if x["duty"] == "report_due")
    assert report["deadlines"][0]["date"] == "2016-05-23"
    # the 市委 secretary is now held accountable individually: band 2 (案2 is 较重) appears
    sanction = next(x for x in d["sanctions"] if x["party"] == "陈志远")
    assert sanction["before"] is None and sanction["after"]["allowed_bands"] == ["2"]


def test_the_other_way_round_the_record_withdraws_them():
    s = sample("d16-chain-stopped.yaml")
    d = compare(run(without(s, "追3"), OLD_READINGS), run(s, OLD_READINGS))
    assert len(d["liabilities"]["lost"]) == 3 and d["liabilities"]["gained"] == []
    for item in d["liabilities"]["lost"]:
        assert because(item) == {("added", "pursued", ("灌南县委", "案2"))}


def test_by_default_a_decision_not_to_pursue_lets_the_chain_climb():
    """By default removing the records 追3 and 追4 is not enough: the 市委 becomes liable for 案2 only once decisions
    not to pursue the 灌南县委 and its secretary are recorded in their place (pursuing the secretary alone would
    count as pursuing the committee), and the city secretary answers as the one in post on that date."""
    s = sample("d16-chain-stopped.yaml")
    assert compare(run(s), run(without(without(s, "追3"), "追4")))["liabilities"]["gained"] == []
    declined = [
        e.model_copy(update={"outcome": "未追究", "methods": [], "handled_on": None}) if e.id in ("追3", "追4") else e
        for e in s.events
    ]
    d = compare(run(s), run(s.model_copy(update={"events": declined})))
    gained = liabilities(d["liabilities"]["gained"])
    assert {("市委", "主体责任", "D16-5.9", "案2"), ("陈志远", "主要领导责任", "D16-5.9", "案2")} <= gained


def test_a_new_element_explains_a_new_liability():
    """d16-city-large 事13 lacks 群众反映强烈 (D16-5.1 effect): adding it makes the 宿城街道党工委 liable."""
    ev = run(sample("d16-city-large.yaml"))
    d = compare(ev, with_changes(ev, [parse_fact("established(事13, D16-5.1/e1)")], []))
    gained = liabilities(d["liabilities"]["gained"])
    assert ("宿城街道党工委", "主体责任", "D16-5.1", "事13") in gained
    item = next(x for x in d["liabilities"]["gained"] if x["party"] == "宿城街道党工委")
    assert because(item) == {("added", "established", ("事13", "D16-5.1/e1"))}


def test_severity_moves_the_band_and_the_methods():
    ev = run(sample("a1-deadline-national-day.yaml"))
    d = compare(ev, with_changes(ev, [parse_fact("severity(事1, 较重)")], [parse_fact("severity(事1, 较轻)")]))
    assert d["liabilities"] == {"gained": [], "lost": []}
    (x,) = d["sanctions"]
    assert (x["party"], x["clause"], x["event"]) == ("陈静", "A1-7.2", "事1")
    assert x["before"]["allowed_bands"] == ["1"] and x["after"]["allowed_bands"] == ["2"]
    assert x["before"]["methods"] == ["诫勉谈话", "书面检查", "责令公开道歉", "通报批评"]
    assert x["after"]["methods"] == ["停职检查", "调离岗位", "引咎辞职"]
    gained_band = next(c for c in x["changes"] if c["pred"] == "allowed_band" and c["change"] == "gained")
    assert because(gained_band) == {("added", "severity", ("事1", "较重"))}
    lost_band = next(c for c in x["changes"] if c["pred"] == "allowed_band" and c["change"] == "lost")
    assert because(lost_band) == {("removed", "severity", ("事1", "较轻"))}


def test_a_reading_of_one_year_closes_the_heavier_band():
    """a1-repeat-offender 事4: within the 12 months before it he was held accountable three times; within 2016
    only once. Under calendar_year, band 2 (opened by A1-16.1.2) is lost, because of the reading."""
    s = sample("a1-repeat-offender.yaml")
    d = compare(run(s), run(s, {"one_year": "calendar_year"}))
    assert d["interpretations"] == [{"name": "one_year", "a": "rolling_12_months", "b": "calendar_year"}]
    (x,) = d["sanctions"]
    assert x["event"] == "事4" and x["before"]["allowed_bands"] == ["1", "2"] and x["after"]["allowed_bands"] == ["1"]
    assert x["before"]["aggravating"] == ["A1-16.1.2"] and x["after"]["aggravating"] == []
    lost = next(c for c in x["changes"] if c["pred"] == "allowed_band" and c["change"] == "lost")
    assert because(lost) == {("removed", "interp", ("one_year", "rolling_12_months"))}


def test_deadlines_that_move():
    """Serving the decision on 2015-10-20 instead of 10-12 misses the A1-24 deadline (10-14); plain counting
    of periods moves the appeal deadlines."""
    text = (SCENARIOS / "a1-deadline-national-day.yaml").read_text(encoding="utf-8")
    a = run(load_scenario_text(text)[0])
    b = run(load_scenario_text(text.replace("served_on: 2015-10-12", "served_on: 2015-10-20"))[0])
    d = compare(a, b)
    (x,) = d["deadlines"]
    assert x["duty"] == "serve_decision"
    assert x["before"][0]["status"] == "met" and x["after"][0]["status"] == "missed"
    assert x["because"] == [{"kind": "performance", "a": ["('A1-24', 'met')"], "b": ["('A1-24', 'missed')"]}]

    plain = compare(a, run(a.scenario, {"period_counting": "plain"}))
    appeal = next(x for x in plain["deadlines"] if x["duty"] == "appeal_window")
    assert {"kind": "interpretation", "name": "period_counting", "a": "procedural", "b": "plain"} in appeal["because"]


def test_same_scenario_no_difference():
    ev = run(sample("d16-5-team-failure.yaml"))
    d = compare(ev, ev)
    assert not any(d["summary"].values())


def test_parse_fact():
    assert parse_fact("established(事1, A1-15.2/c1)") == ("established", ("事1", "A1-15.2/c1"))
    assert parse_fact('pursued("陆海峰", "案2")') == ("pursued", ("陆海峰", "案2"))
    for bad, code in [
        ("liable(a, b, c, d)", "fact_predicate"),
        ("severity(事1)", "fact_arity"),
        ("oops", "fact_syntax"),
    ]:
        with pytest.raises(FactSyntaxError) as err:
            parse_fact(bad)
        assert err.value.code == code


def test_cli_two_files_json(tmp_path, capsys):
    b = tmp_path / "b.yaml"
    text = (SCENARIOS / "d16-chain-stopped.yaml").read_text(encoding="utf-8")
    lines = [
        line for line in text.splitlines() if "id: 追3," not in line and "市委责令灌南县委作出书面检查" not in line
    ]
    b.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["diff", str(SCENARIOS / "d16-chain-stopped.yaml"), str(b), "--json", *OLD_FLAGS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert ("市委", "主体责任", "D16-5.9", "案2") in liabilities(data["liabilities"]["gained"])


def test_cli_text_with_changes(capsys):
    args = ["diff", str(SCENARIOS / "d16-chain-stopped.yaml"), "--remove", "pursued(灌南县委, 案2)", *OLD_FLAGS]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "新增的责任认定" in out and "Liabilities gained" in out
    assert out.index("新增的责任认定") < out.index("Liabilities gained")  # Chinese first
    assert "第五条第（九）项" in out
    assert "－不再有 已对灌南县委就事件案2追究责任" in out


def test_cli_bad_fact(capsys):
    assert main(["diff", str(SCENARIOS / "d16-chain-stopped.yaml"), "--add", "nonsense(x)"]) == 2
    assert "不是情景事实的谓词" in capsys.readouterr().err
    assert main(["diff", str(SCENARIOS / "d16-chain-stopped.yaml")]) == 2
