"""The 当事人 of a case as the report lists them (issue 9 B.8, issue 10.2): several persons and a group, each with
the basis of his or her own accountability, the scope, and the channels — D16-8 makes none of them liable."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from explain.narrative import render
from explain.report import build_report
from kb.scenario_io import load_scenario
from reasoning.queries import run

SAMPLE = Path(__file__).parent.parent / "kb" / "scenarios" / "d16-yishan-poverty-funds.yaml"


@cache
def report(**chosen: str) -> dict:
    return build_report(run(load_scenario(SAMPLE), chosen or None))


def parties(rep: dict) -> dict[str, dict]:
    return {p["party"]: p for p in rep["case_parties"]}


def test_two_persons_and_a_group_are_the_parties_none_liable_under_d16_8():
    rep = report()
    assert set(parties(rep)) == {"王福", "张德", "涉案干部"}
    assert not any(f["clause"] == "D16-8" for f in rep["findings"])
    group = parties(rep)["涉案干部"]
    assert group["party_kind"] == "群体" and group["party_name"] == "伊山镇等13名镇村干部"
    assert "伊山镇等13名镇村干部（涉案干部）（群体 / group）" in render(rep)


def test_own_basis_refer_and_channels():
    p = parties(report())
    assert p["王福"]["own_basis"] == ["A1-8.4"] and not p["王福"]["refer_d16_10"]
    assert p["张德"]["own_basis"] == [] and p["张德"]["refer_d16_10"]
    for party in p.values():  # the case is flagged: every 当事人 goes to the discipline and judicial organs
        assert party["channels"] == ["移送司法机关", "纪律责任"]


def test_a_non_state_enterprise_manager_is_outside_every_measure_under_state_owned_only():
    assert parties(report())["张德"]["in_scope"]  # A2-2 "企事业单位……参照执行" names no ownership
    strict = parties(report(a2_2_enterprises="state_owned_only"))["张德"]
    assert not strict["in_scope"] and not strict["refer_d16_10"]
    assert "不在附件1第二条、附件2第二条所列范围内" in render(report(a2_2_enterprises="state_owned_only"))


def test_the_successor_answers_for_the_recorded_decision_not_to_pursue():
    found = {(f["party"], f["clause"]) for f in report()["findings"]}
    assert ("吴海", "D16-5.9") in found and ("周建国", "D16-5.9") not in found
    wu = next(f for f in report()["findings"] if (f["party"], f["clause"]) == ("吴海", "D16-5.9"))
    assert wu["severity"] == "较轻"  # the record's own, not the case's 较重
