"""The scenario language: a fact where no rule can read it is an error naming the right place (or, for a
consequence without its conduct, a warning); impossible dates are refused; `akb elements` by measure and with
the subject each item applies to; `akb why-not` against the party's own event; `akb new` (issue 10 points 8-11,
issue 13 "impossible dates")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from akb.cli import render_error
from akb.cmd_new import starter_text
from kb.scenario_io import ScenarioError, load_scenario_text, load_scenario_text_warnings
from kb.subjects import PERSON, situation_sorts, unit_sort
from kb.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
AKB = [sys.executable, "-m", "akb.cli"]
HEAD = """scenario: {id: t, title: 测试, as_of: 2016-06-30}
units:
  - {id: 连云港市, kind: 地区}
  - {id: 市委, kind: 党委, answers_for: 连云港市}
  - {id: 市纪委, kind: 纪委, answers_for: 连云港市}
  - {id: 海州区, kind: 地区, parent: 连云港市}
  - {id: 海州区委, kind: 党委, answers_for: 海州区}
persons:
  - id: 王华
    positions: [{unit: 海州区委, role: 主要负责人, from: 2013-01-01}]
  - id: 李明
    positions: [{unit: 海州区, role: 一般工作人员, from: 2013-01-01}]
events:
"""
LINE = HEAD.count("\n") + 1  # the line of the first event


def akb(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(AKB + list(args), cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=300)


def finding(subject: str, *elements: str, eid: str = "事1", date: str = "2015-09-15") -> str:
    return f"  - {{type: finding, id: {eid}, date: {date}, subject: {subject}, elements: [{', '.join(elements)}]}}\n"


def only_issue(text: str):
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text, "s.yaml")
    (issue,) = exc.value.issues
    return issue, render_error(exc.value)


# ---------------------------------------------------------------------------------------------------------
# misplaced facts (issue 10 point 9)
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("subject", "element", "code", "right_place_zh", "right_place_en"),
    [
        ("王华", "D16-7.1/c1", "element_on_person", "纪委（纪检组）", "discipline commission"),
        ("海州区委", "D16-7.1/c1", "element_on_unit", "纪委（纪检组）", "discipline commission"),
        ("海州区委", "D16-6.1/c1", "element_on_unit", "主要负责人", "principal of a party committee"),
        ("市纪委", "D16-6.6/c1", "element_on_unit", "领导班子成员", "member of a party committee"),
        ("海州区委", "A1-5.1/c7", "element_on_unit", "工作人员", "staff member"),
        ("市纪委", "A1-8.2/c1", "element_on_unit", "工作人员", "staff member"),
        ("李明", "D16-5.4/c1", "element_on_person", "党委（党组）领导班子", "party committee"),
    ],
)
def test_an_element_where_no_rule_reads_it_is_an_error_naming_the_right_place(
    subject, element, code, right_place_zh, right_place_en
):
    issue, text = only_issue(HEAD + finding(subject, element))
    assert issue.code == code and issue.path == ("events", 0, "elements", 0) and issue.line == LINE
    zh, en = text.splitlines()[2:4]
    assert zh.startswith(f"- s.yaml:{LINE}: 第{LINE}行，字段 events[0].elements[0]：要素“{element}”")
    assert right_place_zh in zh and "没有规则会读取它" in zh and "修改：把该要素放到以" in zh
    assert right_place_en in en and "no rule can read it" in en and "Fix: put it in a finding whose subject is" in en


def test_a_d16_8_element_outside_a_case_is_an_error():
    issue, text = only_issue(HEAD + finding("海州区委", "D16-8.3/s1"))
    assert issue.code == "element_needs_case" and issue.line == LINE and "type case" in text


def test_elements_in_their_place_load():
    text = HEAD + finding("海州区委", "D16-5.4/c1", "D16-5.4/q1", "D16-5.4/e1")
    text += finding("市纪委", "D16-7.1/c1", eid="事2") + finding("王华", "D16-6.1/c1", eid="事3")
    text += finding("李明", "A1-5.1/c7", eid="事4") + finding("王华", "A2-4.1/c1", eid="事5")
    text += finding("海州区", "A2-4.1/c1", eid="事6")
    scenario, _, warnings = load_scenario_text_warnings(text, "s.yaml")
    assert len(scenario.events) == 6 and warnings == []


def test_which_subject_an_item_applies_to_comes_from_the_rules():
    sorts = situation_sorts()
    vocab = load_vocabulary()
    assert set(vocab.items) <= set(sorts), "every item's situation is read by some rule"
    team = {unit_sort(k) for k in ("党委", "党组", "党工委")}
    body = {unit_sort(k) for k in ("纪委", "纪检组", "纪工委")}
    for item in vocab.items.values():
        if item.id in ("D16-5.9", "D16-7.7"):  # upward chains also read the situation of the level below
            continue
        expected = {"party_team": team, "discipline_body": body}.get(item.subject)
        if expected is not None:
            assert sorts[item.id] == expected, item.id
        if item.subject in ("principal", "other_member", "member", "investigator", "interceder"):
            assert sorts[item.id] == {PERSON}, item.id
        chapeau = "." not in item.id  # an article's lead (A1-10's 责任事故) is read with whichever item it binds
        if (
            item.document == "A1"
            and item.subject == "person"
            and not chapeau
            and not item.id.startswith(("A1-15", "A1-16"))
        ):
            # a staff member, or a body's leadership team (A1-14p2), never a party or discipline body itself
            assert PERSON in sorts[item.id] and not sorts[item.id] & (team | body), item.id
        if item.subject == "team_or_leader":
            assert PERSON in sorts[item.id] and unit_sort("部门") in sorts[item.id], item.id


def test_a_consequence_without_its_conduct_is_a_warning_and_the_scenario_still_evaluates(tmp_path):
    text = HEAD + finding("海州区委", "D16-5.4/q1", "D16-5.4/e1")
    scenario, _, warnings = load_scenario_text_warnings(text, "s.yaml")
    (warning,) = warnings
    assert warning.code == "consequence_without_conduct" and warning.line == LINE
    assert warning.params == {"id": "D16-5.4/q1", "item": "D16-5.4"}
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    proc = akb("evaluate", str(path), "--brief")
    assert proc.returncode == 0
    assert "情景文件提示" in proc.stderr and "akb elements D16-5.4" in proc.stderr and f"{path}:{LINE}:" in proc.stderr
    # with its conduct, no warning
    assert load_scenario_text_warnings(HEAD + finding("海州区委", "D16-5.4/c1", "D16-5.4/q1"), "s.yaml")[2] == []


def test_an_item_id_where_an_element_belongs_suggests_the_items_elements():
    issue, text = only_issue(HEAD + finding("李明", "A1-8.2"))
    assert issue.code == "item_not_element" and issue.line == LINE
    own = [e.id for e in load_vocabulary().items["A1-8.2"].elements()]
    assert all(e in issue.params["near"] for e in own) and "A1-8.2/c1" in text


# ---------------------------------------------------------------------------------------------------------
# impossible dates (issue 13)
# ---------------------------------------------------------------------------------------------------------
RECORD = (
    "  - {type: accountability, id: 追1, date: %s, concerning: 事1, target: 李明, outcome: 追究,"
    " served_on: %s, received_on: %s, appeal_filed_on: %s, appeal_decided_on: %s}\n"
)
GOOD = ("2015-10-01", "2015-10-02", "2015-10-03", "2015-10-05", "2015-10-20")


@pytest.mark.parametrize(
    ("index", "value", "field", "zh", "en"),
    [
        (0, "2015-09-01", "date", "决定日期（2015-09-01）早于所涉事件的日期（2015-09-15）", "decision date"),
        (1, "2015-09-30", "served_on", "送达日期（2015-09-30）早于决定日期（2015-10-01）", "date of service"),
        (2, "2015-10-01", "received_on", "收到日期（2015-10-01）早于送达日期（2015-10-02）", "date of receipt"),
        (4, "2015-10-04", "appeal_decided_on", "申诉处理决定日期（2015-10-04）早于提出申诉日期", "appeal was decided"),
    ],
)
def test_impossible_dates_are_refused_with_the_field_and_the_fix(index, value, field, zh, en):
    dates = list(GOOD)
    dates[index] = value
    text = HEAD + finding("李明", "A1-5.1/c7") + RECORD % tuple(dates)
    issue, rendered = only_issue(text)
    assert issue.code == "date_order" and issue.path == ("events", 1, field) and issue.line == LINE + 1
    assert zh in rendered and en in rendered and "修改：更正日期" in rendered and "Fix: correct the dates" in rendered


def test_possible_dates_load():
    load_scenario_text(HEAD + finding("李明", "A1-5.1/c7") + RECORD % GOOD, "s.yaml")


def test_cli_impossible_date_exit_2_nothing_on_stdout(tmp_path):
    dates = list(GOOD)
    dates[1] = "2015-09-30"
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + finding("李明", "A1-5.1/c7") + RECORD % tuple(dates), encoding="utf-8")
    proc = akb("evaluate", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{path}:{LINE + 1}:" in proc.stderr and "events[1].served_on" in proc.stderr


# ---------------------------------------------------------------------------------------------------------
# akb elements, akb why-not
# ---------------------------------------------------------------------------------------------------------
def test_elements_of_a_whole_measure():
    proc = akb("elements", "D16")
    assert proc.returncode == 0
    items = [i.id for i in load_vocabulary().items.values() if i.document == "D16"]
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line and not line.startswith(" ")]
    assert listed == items
    assert "适用于：纪委（纪检组）" in proc.stdout and "[纪委、纪工委、纪检组]" in proc.stdout


def test_elements_of_an_article_an_item_and_an_element_and_unknown_ids():
    assert akb("elements", "D16-7").stdout.count("D16-7.") > 9
    out = akb("elements", "A1-8.2/c1").stdout
    assert out.startswith("A1-8.2 ") and "人员 person" in out
    proc = akb("elements", "D17")
    assert proc.returncode == 2 and proc.stdout == "" and "D16" in proc.stderr


def test_why_not_explains_against_the_partys_own_event(tmp_path):
    # 事0 (about another unit) sorts first; 王华's own finding is 事9
    text = HEAD + finding("市纪委", "D16-7.1/c1", eid="事0") + finding("王华", "D16-6.1/c1", eid="事9")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    proc = akb("why-not", str(path), "--party", "王华", "--clause", "D16-6.2", "--json")
    assert proc.returncode == 0
    import json

    ways = json.loads(proc.stdout)["ways"]
    assert ways and all(w["event"] == "事9" for w in ways)


@pytest.mark.parametrize(
    ("sample", "party", "clause"),
    [
        ("d16-8-chain-three-levels.yaml", "王华", "D16-6"),
        ("d16-8-chain-three-levels.yaml", "王华", "A1-5"),
        ("d16-5-team-failure.yaml", "孙立新", "D16-5"),
    ],
)
def test_why_not_never_prints_a_placeholder(sample, party, clause):
    proc = akb("why-not", f"kb/scenarios/{sample}", "--party", party, "--clause", clause)
    assert proc.returncode == 0 and proc.stdout
    assert "？" not in proc.stdout.split("\n", 1)[1] and "?)" not in proc.stdout and " ? " not in proc.stdout


# ---------------------------------------------------------------------------------------------------------
# akb new
# ---------------------------------------------------------------------------------------------------------
def test_the_starter_scenario_validates_and_evaluates_with_each_event_type():
    from explain.report import build_report
    from reasoning.queries import run

    scenario, _, warnings = load_scenario_text_warnings(starter_text(), "starter.yaml")
    assert warnings == []
    assert {e.type for e in scenario.events} == {"finding", "case", "accountability"}
    report = build_report(run(scenario))
    found = {(f["party"], f["clause"]) for f in report["findings"]}
    assert ("海州区委", "D16-5.4") in found and ("李明", "A1-5.1") in found and ("海州区委", "D16-8.3") in found
    assert starter_text().count("#") > 10, "it is commented"


def test_akb_new_writes_the_file_and_never_overwrites(tmp_path):
    path = tmp_path / "mine.yaml"
    proc = akb("new", str(path))
    assert proc.returncode == 0 and path.read_text(encoding="utf-8") == starter_text()
    proc = akb("new", str(path))
    assert proc.returncode == 2 and "不覆盖" in proc.stderr and proc.stdout == ""
    assert akb("evaluate", str(path), "--brief").returncode == 0
    assert akb("new").stdout == starter_text()


@pytest.mark.parametrize(
    ("events", "field", "fix"),
    [
        (finding("王华", "D16-7.1/c1"), "events[0].elements[0]", "修改：把该要素放到以纪委（纪检组）为对象"),
        (finding("李明", "A1-8.2"), "events[0].elements[0]", "修改：从该项的要素中选择：A1-8.2/c1"),
        (finding("海州区委", "D16-8.3/s1"), "events[0].elements[0]", "type case"),
    ],
)
def test_cli_misplaced_fact_exit_2_field_line_fix_nothing_on_stdout(tmp_path, events, field, fix):
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + events, encoding="utf-8")
    proc = akb("evaluate", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    zh, en = proc.stderr.splitlines()[2:4]
    assert zh.startswith(f"- {path}:{LINE}: 第{LINE}行，字段 {field}：") and fix in zh
    assert en.startswith(f"  line {LINE}, field {field}: ") and "Fix:" in en


def test_a_month_is_compared_as_any_of_its_days():
    """A decision dated only to its month (2015-09) may follow a finding of 2015-09-15; 2015-08 cannot."""
    record = "  - {type: accountability, id: 追1, date: %s, concerning: 事1, target: 李明, outcome: 追究}\n"
    load_scenario_text(HEAD + finding("李明", "A1-5.1/c7") + record % "2015-09", "s.yaml")
    issue, rendered = only_issue(HEAD + finding("李明", "A1-5.1/c7") + record % "2015-08")
    assert issue.code == "date_order" and issue.path == ("events", 1, "date") and "（2015-08）" in rendered
