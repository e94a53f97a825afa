"""Every named interpretation (kb/interpretations.yaml) makes a visible difference in at least one sample scenario.

For each interpretation there is one explicit check below: it names a sample in kb/scenarios/, the non-default
reading to switch to, and the specific change in the report (a finding appearing or disappearing, a responsibility
type, team sanctions, allowed bands, a deciding organ, or a deadline). The parametrised test runs the check for
every interpretation the knowledge base defines, so a new interpretation without a sample that shows it fails.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from explain.report import build_report
from kb.interpretations import load_interpretations
from kb.scenario_io import load_scenario
from reasoning.queries import run

SCENARIOS = Path(__file__).parent.parent / "kb" / "scenarios"


@cache
def report(sample: str, name: str | None = None, reading: str | None = None) -> dict:
    """The report of a sample under the default readings, or with one interpretation switched."""
    chosen = {name: reading} if name else {}
    return build_report(run(load_scenario(SCENARIOS / sample), chosen))


def findings(rep: dict) -> set[tuple[str, str, str, str]]:
    """(party, responsibility, clause, event) of every finding."""
    return {(f["party"], f["responsibility"], f["clause"], f["event"]) for f in rep["findings"]}


def finding(rep: dict, party: str, clause: str, event: str) -> dict:
    """The one finding about a party under a clause for an event."""
    found = [f for f in rep["findings"] if (f["party"], f["clause"], f["event"]) == (party, clause, event)]
    assert len(found) == 1, (party, clause, event, sorted(findings(rep)))
    return found[0]


def bands(rep: dict, party: str, clause: str, event: str) -> list[str]:
    """The A1-14 bands allowed to an individual."""
    return finding(rep, party, clause, event)["sanction"]["allowed_bands"]


def deciders(rep: dict, party: str, clause: str, event: str) -> dict[str, str]:
    """Method → deciding organ for an individual."""
    return {d["method"]: d["organ"] for d in finding(rep, party, clause, event)["sanction"]["deciders"]}


def deadlines(rep: dict, duty: str, args: list[str]) -> list[tuple[str | None, str | None]]:
    """(date, status) of each deadline of one duty."""
    rows = [d for d in rep["duties"] if d["duty"] == duty and d["args"] == args]
    assert len(rows) == 1, (duty, args)
    return [(dl["date"], dl.get("status")) for dl in rows[0].get("deadlines", [])]


def content(rep: dict) -> tuple:
    """What a user reads off a report: findings, team sanctions, bands, methods, deciders and deadlines."""
    fs = []
    for f in rep["findings"]:
        s = f["sanction"] or {}
        fs.append(
            (
                f["party"],
                f["responsibility"],
                f["clause"],
                f["event"],
                tuple(sorted(f["team_sanctions"])),
                tuple(s.get("allowed_bands", ())),
                tuple(s.get("methods", ())),
                tuple((d["method"], d["organ"]) for d in s.get("deciders", ())),
            )
        )
    ds = [
        (d["duty"], tuple(d["args"]), tuple((x["date"], x.get("status")) for x in d.get("deadlines", [])))
        for d in rep["duties"]
    ]
    return tuple(sorted(fs)), tuple(sorted(ds))


# --------------------------------------------------------------------------------------------------------------
# One check per interpretation: (sample, reading to switch to, check(default report, switched report)).
# --------------------------------------------------------------------------------------------------------------


def check_listed_elements(default: dict, other: dict) -> None:
    # a1-articles-5-to-8.yaml, 事3: 邵振宇 accepted a banquet (one of A1-7.4's four listed failings) and drank at
    # lunch on a working day (one of A1-7.5's five). Under listed_elements=all neither item is met.
    gone = {("邵振宇", "直接责任", "A1-7.4", "事3"), ("邵振宇", "直接责任", "A1-7.5", "事3")}
    assert gone <= findings(default)
    assert not gone & findings(other)
    assert findings(default) - findings(other) == gone
    assert findings(other) <= findings(default)


def check_d16_6_items_6_12(default: dict, other: dict) -> None:
    # d16-6-member-duties.yaml, 事4: the county party secretary 林振华 (the principal) under D16-6.10. Under
    # d16_6_items_6_12=other_members items 6–12 reach only the other members, so this finding disappears, while
    # the other member 马骏's D16-6.8 finding stays.
    assert ("林振华", "主要领导责任", "D16-6.10", "事4") in findings(default)
    assert ("林振华", "主要领导责任", "D16-6.10", "事4") not in findings(other)
    assert ("马骏", "重要领导责任", "D16-6.8", "事3") in findings(other)
    assert findings(default) - findings(other) == {("林振华", "主要领导责任", "D16-6.10", "事4")}


def check_individual_responsibility(default: dict, other: dict) -> None:
    # d16-6-member-duties.yaml, 事2: the other member 何文斌 under D16-6.5 bears 重要领导责任 by position (default),
    # 直接责任 under individual_responsibility=direct; likewise the principal 林振华 under D16-6.2 (事1).
    assert ("何文斌", "重要领导责任", "D16-6.5", "事2") in findings(default)
    assert ("何文斌", "直接责任", "D16-6.5", "事2") in findings(other)
    assert ("何文斌", "重要领导责任", "D16-6.5", "事2") not in findings(other)
    assert ("林振华", "主要领导责任", "D16-6.2", "事1") in findings(default)
    assert ("林振华", "直接责任", "D16-6.2", "事1") in findings(other)


def check_pursuit_record(default: dict, other: dict) -> None:
    # d16-8-department-case.yaml: the city committee recorded accountability for the bureau's party group, and
    # nothing records a decision not to pursue its discipline group. By default (explicit_only) nothing climbs;
    # under closed_world ("if nobody acts") the missing record counts, and the city commission fails D16-7.7.
    assert ("市纪委", "监督责任", "D16-7.7", "案1") not in findings(default)
    assert ("市纪委", "监督责任", "D16-7.7", "案1") in findings(other)


def check_principal_pursuit(default: dict, other: dict) -> None:
    # d16-township-shares.yaml, 事2: the district decided not to pursue the township committee (不追1) but held its
    # secretary 李明 accountable (追1). counts_for_team (default): that stops the chain; body_only: the district
    # committee fails D16-5.9, answered by the secretary in post on the date of 不追1 (王华, not his successor).
    assert not any(f[2] == "D16-5.9" for f in findings(default))
    assert ("海州区委", "主体责任", "D16-5.9", "事2") in findings(other)
    assert ("王华", "主要领导责任", "D16-5.9", "事2") in findings(other)
    assert ("周敏", "主要领导责任", "D16-5.9", "事2") not in findings(other)


def check_heads_answer(default: dict, other: dict) -> None:
    # d16-8-department-case.yaml: under heads_too (default) the party group's secretary 高翔 and the discipline
    # group's head 谢文 answer beside their bodies under D16-8; under bodies_only only the bodies do.
    assert ("高翔", "主要领导责任", "D16-8.1", "案1") in findings(default)
    assert ("谢文", "监督责任", "D16-8.1", "案1") in findings(default)
    assert not any(f[0] in ("高翔", "谢文") for f in findings(other))
    assert ("市住建局党组", "主体责任", "D16-8.1", "案1") in findings(other)


def check_portfolio_member(default: dict, other: dict) -> None:
    # d16-5-team-failure.yaml, 事1 names the field 作风建设, which the deputy secretary 孙立新 had in charge:
    # 重要领导责任 under D16-3 by default; under not_stated nothing is inferred from the portfolio.
    assert ("孙立新", "重要领导责任", "D16-5.4", "事1") in findings(default)
    assert not any(f[0] == "孙立新" for f in findings(other))


def check_stated_shares(default: dict, other: dict) -> None:
    # d16-township-shares.yaml, 事1: the finding states 李明 主要领导责任 and 吴刚 重要领导责任. replace (default):
    # only they bear shares; by_position_too: the 镇长 孙涛 and the 副镇长 钱立 bear 重要领导责任 too — the 镇长 is
    # not a second principal, since the township's team is led by its party secretary (one share per person).
    assert ("孙涛", "重要领导责任", "A2-4.1", "事1") not in findings(default)
    assert ("孙涛", "重要领导责任", "A2-4.1", "事1") in findings(other)
    assert ("钱立", "重要领导责任", "A2-4.1", "事1") in findings(other)
    assert ("孙涛", "主要领导责任", "A2-4.1", "事1") not in findings(other)
    principals = {f[0] for f in findings(other) if f[1:] == ("主要领导责任", "A2-4.1", "事1")}
    assert principals == {"李明"}


def check_transfer_decider(default: dict, other: dict) -> None:
    # a1-articles-5-to-8.yaml, 事1: 韩立军, deputy head of the city land bureau (A1-20), 情节较重 → band 2.
    # A1-20 names no organ for 调离岗位: collective (default) vs discipline_or_personnel.
    before = deciders(default, "韩立军", "A1-5.3", "事1")
    after = deciders(other, "韩立军", "A1-5.3", "事1")
    assert before["调离岗位"] == "党委、政府集体研究"
    assert after["调离岗位"] == "纪检监察机关或者组织人事部门"
    # the methods A1-20 does name keep their organ
    assert before["停职检查"] == after["停职检查"] == "党委、政府集体研究"
    assert before["引咎辞职"] == after["引咎辞职"] == "党委、政府集体研究"


def check_team_sanctions(default: dict, other: dict) -> None:
    # d16-5-team-failure.yaml, 事1: the 灌云县委 team under D16-5.4, 情节较重. D16-9 (default): 责令作出书面检查 and
    # 通报批评; under team_sanctions=a1_14p2 the team takes A1-13 methods 1–4 instead.
    before = finding(default, "灌云县委", "D16-5.4", "事1")["team_sanctions"]
    after = finding(other, "灌云县委", "D16-5.4", "事1")["team_sanctions"]
    assert sorted(before) == sorted(["责令作出书面检查", "通报批评"])
    assert sorted(after) == sorted(["诫勉谈话", "书面检查", "责令公开道歉", "通报批评"])


def check_modifier_effect(default: dict, other: dict) -> None:
    # a1-repeat-offender.yaml, 事3: 孙志强, 情节较重 (band 2), aggravated by A1-16.1.1 and A1-16.1.2. Under the usual
    # reading 加重 reaches band 3 (bands 2 and 3); under modifier_effect=within_band only band 2 remains, and the
    # band-3 methods 责令辞职、免职、降职 are no longer allowed.
    for clause in ("A1-6.5", "A1-10.5"):
        assert bands(default, "孙志强", clause, "事3") == ["2", "3"]
        assert bands(other, "孙志强", clause, "事3") == ["2"]
        assert "免职" in finding(default, "孙志强", clause, "事3")["sanction"]["methods"]
        assert "免职" not in finding(other, "孙志强", clause, "事3")["sanction"]["methods"]
    assert finding(default, "孙志强", "A1-10.5", "事3")["sanction"]["aggravating"] == ["A1-16.1.1", "A1-16.1.2"]


def check_one_year(default: dict, other: dict) -> None:
    # a1-repeat-offender.yaml, 事4 (2016-03-15, 较轻): within the 12 months before it 孙志强 was held accountable
    # three times (2015-04-22, 2015-09-25, 2016-01-20) → A1-16.1.2, bands 1–2. Under one_year=calendar_year only
    # the 2016 decision counts: no aggravation, band 1 only. 事3 (2015-12-08) is aggravated under both readings.
    assert bands(default, "孙志强", "A1-7.7", "事4") == ["1", "2"]
    assert bands(other, "孙志强", "A1-7.7", "事4") == ["1"]
    assert finding(default, "孙志强", "A1-7.7", "事4")["sanction"]["aggravating"] == ["A1-16.1.2"]
    assert finding(other, "孙志强", "A1-7.7", "事4")["sanction"]["aggravating"] == []
    assert "A1-16.1.2" in finding(other, "孙志强", "A1-10.5", "事3")["sanction"]["aggravating"]


def check_two_situations(default: dict, other: dict) -> None:
    # a1-articles-5-to-8.yaml, 事3: 邵振宇's two situations are both items of A1-7 (A1-7.4 and A1-7.5). Counted by
    # item (default) that is A1-16.1.1 and the band moves up from 1 to 1–2; counted by article
    # (two_situations=articles) it is not, and only band 1 remains.
    for clause in ("A1-7.4", "A1-7.5"):
        assert bands(default, "邵振宇", clause, "事3") == ["1", "2"]
        assert bands(other, "邵振宇", clause, "事3") == ["1"]
        assert finding(default, "邵振宇", clause, "事3")["sanction"]["aggravating"] == ["A1-16.1.1"]
        assert finding(other, "邵振宇", clause, "事3")["sanction"]["aggravating"] == []


def check_before_entry_into_force(default: dict, other: dict) -> None:
    # a1-articles-9-to-12.yaml, 事5: 钱晓东 falsified monitoring data on 2015-01-22, before the measures took effect
    # (2015-02-04). No finding under not_applicable (default); under before_entry_into_force=applicable he is liable
    # under A1-11.5 for 事5 too, with band 3 (严重).
    assert ("钱晓东", "直接责任", "A1-11.5", "事5") not in findings(default)
    assert ("钱晓东", "直接责任", "A1-11.5", "事5") in findings(other)
    assert bands(other, "钱晓东", "A1-11.5", "事5") == ["3"]
    assert findings(other) - findings(default) == {("钱晓东", "直接责任", "A1-11.5", "事5")}


def check_period_counting(default: dict, other: dict) -> None:
    # a1-articles-5-to-8.yaml, 决3: 邵振宇 received the decision on 2015-06-05; the 15th day is Saturday 2015-06-20,
    # in the Dragon Boat Festival holiday (20–22 June). Under procedural (default) the appeal period runs to Tuesday
    # 2015-06-23 and the appeal filed that day is in time; under period_counting=plain it ended on 2015-06-20 and
    # the appeal is late. The A1-24 service deadline counts working days under both readings (2015-06-09, met).
    assert deadlines(default, "appeal_window", ["邵振宇", "事3"])[0] == ("2015-06-23", "met")
    assert deadlines(other, "appeal_window", ["邵振宇", "事3"])[0] == ("2015-06-20", "missed")
    assert deadlines(default, "serve_decision", ["邵振宇", "事3"]) == [("2015-06-09", "met")]
    assert deadlines(other, "serve_decision", ["邵振宇", "事3"]) == [("2015-06-09", "met")]


SWITCHES = {
    "listed_elements": ("a1-articles-5-to-8.yaml", "all", check_listed_elements),
    "d16_6_items_6_12": ("d16-6-member-duties.yaml", "other_members", check_d16_6_items_6_12),
    "individual_responsibility": ("d16-6-member-duties.yaml", "direct", check_individual_responsibility),
    "pursuit_record": ("d16-8-department-case.yaml", "closed_world", check_pursuit_record),
    "principal_pursuit": ("d16-township-shares.yaml", "body_only", check_principal_pursuit),
    "heads_answer": ("d16-8-department-case.yaml", "bodies_only", check_heads_answer),
    "portfolio_member": ("d16-5-team-failure.yaml", "not_stated", check_portfolio_member),
    "stated_shares": ("d16-township-shares.yaml", "by_position_too", check_stated_shares),
    "transfer_decider": ("a1-articles-5-to-8.yaml", "discipline_or_personnel", check_transfer_decider),
    "team_sanctions": ("d16-5-team-failure.yaml", "a1_14p2", check_team_sanctions),
    "modifier_effect": ("a1-repeat-offender.yaml", "within_band", check_modifier_effect),
    "one_year": ("a1-repeat-offender.yaml", "calendar_year", check_one_year),
    "two_situations": ("a1-articles-5-to-8.yaml", "articles", check_two_situations),
    "before_entry_into_force": ("a1-articles-9-to-12.yaml", "applicable", check_before_entry_into_force),
    "period_counting": ("a1-articles-5-to-8.yaml", "plain", check_period_counting),
}


@pytest.mark.parametrize("name", list(load_interpretations()))
def test_interpretation_changes_a_sample(name):
    assert name in SWITCHES, f"no sample scenario is known to show interpretation {name}"
    sample, reading, check = SWITCHES[name]
    interp = load_interpretations()[name]
    assert reading in interp.readings and reading != interp.default, (name, reading)
    assert (SCENARIOS / sample).exists(), sample
    default, other = report(sample), report(sample, name, reading)
    assert {i["name"]: i["reading"] for i in other["interpretations"]}[name] == reading
    assert content(default) != content(other), f"{name}={reading} changes nothing in {sample}"
    check(default, other)


def test_every_check_names_a_known_interpretation():
    assert set(SWITCHES) == set(load_interpretations())
