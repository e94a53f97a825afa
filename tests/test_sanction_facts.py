"""Sanction facts (issue 10 point 6; issue 9 points 13-14): recorded one by one, bands derived from them, the old
one-word severity refused where it cannot say which criterion is met, and a chain level's facts its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caselib import scenario_of
from kb.interpretations import resolve
from kb.scenario_io import ScenarioError, load_scenario_text
from kb.schema import Circumstances
from reasoning.clingo_eval import evaluate_clingo
from reasoning.engine import evaluate
from reasoning.facts import add_circumstances, scenario_facts
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).parent.parent
HEAD = "scenario: {id: t, title: 测试, as_of: 2016-06-30}\n"
WORLD = """units:
  - {id: 连云港市, kind: 地区}
  - {id: 市委, kind: 党委, answers_for: 连云港市}
persons:
  - id: 赵刚
    positions: [{unit: 市委, role: 主要负责人, from: 2014-01-01}]
events:
"""


def issues(text: str) -> list:
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text, "s.yaml")
    return exc.value.issues


def test_old_severity_grave_is_refused_naming_field_line_and_fix():
    text = HEAD + WORLD + "  - {type: finding, id: f, date: 2015-06-01, subject: 市委, elements: [D16-5.7/c1], severity: 严重}\n"
    found = [i for i in issues(text) if i.code == "severity_grave"]
    assert len(found) == 1
    assert found[0].path == ("events", 0, "severity") and found[0].line == 9


def test_severity_and_circumstances_together_are_refused():
    text = (
        HEAD
        + WORLD
        + "  - {type: finding, id: f, date: 2015-06-01, subject: 市委, elements: [D16-5.7/c1], severity: 较轻,"
        + " circumstances: {degree: 较重}}\n"
    )
    assert [i.code for i in issues(text)] == ["severity_and_circumstances"]


def test_old_severity_minor_and_serious_still_read_as_the_degree():
    for word in ("较轻", "较重"):
        text = HEAD + WORLD + f"  - {{type: finding, id: f, date: 2015-06-01, subject: 市委, elements: [D16-5.7/c1], severity: {word}}}\n"
        scenario, _ = load_scenario_text(text, "s.yaml")
        facts = scenario_facts(scenario, resolve({}))
        assert facts["severity"] == {("f", word)}


def test_cli_refuses_grave_severity_with_exit_2_and_nothing_on_stdout(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        HEAD + WORLD + "  - {type: finding, id: f, date: 2015-06-01, subject: 市委, elements: [D16-5.7/c1], severity: 严重}\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "akb.cli", "evaluate", str(path)], capture_output=True, text=True, cwd=ROOT, encoding="utf-8"
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "events[0].severity" in out.stderr and "s.yaml:9" in out.stderr
    zh, en = out.stderr.index("circumstances: {degree: 严重"), out.stderr.index("write circumstances instead")
    assert zh < en


def test_circumstances_give_separate_facts():
    f: dict = {}
    add_circumstances(f, Circumstances(degree="严重", bad_influence=True), "e")
    add_circumstances(f, Circumstances(degree="较重", public_outcry=True), "n1")
    assert f["severity"] == {("e", "严重"), ("n1", "较重")}
    assert f["circumstance"] == {("e", "造成恶劣影响"), ("n1", "群众反映强烈")}


def test_a_chain_level_takes_the_facts_recorded_for_its_own_failure():
    """D16-5.9: the district committee decided not to pursue the township's failing (n1). The township's 情节严重、
    造成恶劣影响 does not reach the district; the facts recorded on n1 give its D16-9 methods and its secretary's
    band. The old one-word severity 严重 is refused on such a record too. clingo agrees."""
    record = {"type": "accountability", "id": "n1", "date": "2015-12-01", "concerning": "f", "target": "浦西镇党委",
              "by": "海州区委", "outcome": "未追究"}
    finding = {"type": "finding", "id": "f", "date": "2015-10-01", "subject": "浦西镇党委", "elements": ["D16-5.6/c2"],
               "circumstances": {"degree": "严重", "bad_influence": True}}
    with pytest.raises(ScenarioError) as exc:
        scenario_of({"name": "grave record", "events": [finding, {**record, "severity": "严重"}]})
    assert [i.code for i in exc.value.issues] == ["severity_grave"]
    scenario = scenario_of(
        {"name": "chain level facts", "events": [finding, {**record, "circumstances": {"degree": "较重", "public_outcry": True}}]}
    )
    rb = load_rulebook()
    facts = scenario_facts(scenario, resolve(scenario.scenario.interpretations))
    model = evaluate(rb, facts)
    assert ("浦西镇党委", "D16-5.6", "f", "对该领导班子进行调整处理") in model["team_sanction"]
    assert ("海州区委", "D16-5.9", "f", "通报批评") in model["team_sanction"]
    assert ("海州区委", "D16-5.9", "f", "对该领导班子进行调整处理") not in model["team_sanction"]
    assert ("王华", "D16-5.9", "f", "2") in model["base_band"]
    assert ("海州区委", "D16-5.9", "f", "群众反映强烈") in model["liability_circumstance"]
    assert ("海州区委", "D16-5.9", "f", "造成恶劣影响") not in model["liability_circumstance"]
    reference = evaluate_clingo(rb, facts)
    for pred in ("team_sanction", "base_band", "liability_severity", "liability_circumstance"):
        assert model.get(pred, frozenset()) == reference.get(pred, frozenset()), pred


def test_team_methods_cite_the_clause_they_come_from():
    """Issue 9 point 15: an A2 team's methods come from 附件1第十四条第二款 (via A2-8), a party committee's from
    D16-9; the report and the narrative cite that clause, never "第九条" for the A2 team."""
    from explain.narrative import render
    from explain.report import build_report
    from kb.scenario_io import load_scenario
    from reasoning.queries import run

    report = build_report(run(load_scenario(ROOT / "kb" / "scenarios" / "a2-chain.yaml")))
    teams = [f for f in report["findings"] if f["responsibility"] == "集体责任"]
    assert teams and all([b["clause"] for b in f["team_sanction_basis"]] == ["A1-14p2"] for f in teams)
    assert teams[0]["team_sanctions"] == ["诫勉谈话", "书面检查", "责令公开道歉", "通报批评"]
    out = render(report)
    assert "领导班子追究方式（《党政机关工作人员问责暂行办法》第十四条第二款）" in out
    assert "领导班子追究方式（第九条）" not in out and "领导班子追究方式（《党风廉政建设责任追究暂行办法》第九条）" not in out
    d16 = build_report(run(load_scenario(ROOT / "kb" / "scenarios" / "d16-5-team-failure.yaml")))
    team = next(f for f in d16["findings"] if f["party"] == "灌云县委")
    assert [b["clause"] for b in team["team_sanction_basis"]] == ["D16-9"]
    assert team["team_sanctions"] == ["责令作出书面检查", "通报批评"]
