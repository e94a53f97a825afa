"""Bad input gets a clear message naming the field, the line and the fix, and nothing is evaluated."""

from __future__ import annotations

import pytest

from akb.cli import render_error
from kb.scenario_io import ScenarioError, load_scenario_text

HEAD = "scenario: {id: t, title: 测试, as_of: 2016-06-30}\n"
UNITS = """units:
  - {id: 连云港市, kind: 地区}
  - {id: 市委, kind: 党委, answers_for: 连云港市}
  - {id: 海州区, kind: 地区, parent: 连云港市}
  - {id: 海州区委, kind: 党委, answers_for: 海州区}
"""


def issues_of(text: str) -> list:
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text, "s.yaml")
    return exc.value.issues


def one(text: str, code: str):
    found = [i for i in issues_of(text) if i.code == code]
    assert found, f"no {code} in {[i.code for i in issues_of(text)]}"
    return found[0]


def test_valid_scenario_loads():
    scenario, _ = load_scenario_text(HEAD + UNITS, "s.yaml")
    assert len(scenario.units) == 4


def test_unknown_unit_names_line_field_and_nearest():
    issue = one(HEAD + UNITS + "  - {id: 浦西镇, kind: 乡镇, parent: 海州}\n", "unknown_unit")
    assert issue.line == 7 and issue.path == ("units", 4, "parent")
    assert "海州区" in issue.params["near"]


def test_person_in_two_places_at_once():
    text = (
        HEAD
        + UNITS
        + (
            "persons:\n"
            "  - id: 王华\n"
            "    positions:\n"
            "      - {unit: 市委, role: 班子其他成员, from: 2014-01-01}\n"
            "      - {unit: 海州区委, role: 主要负责人, from: 2015-01-01}\n"
        )
    )
    issue = one(text, "two_places")
    assert issue.path == ("persons", 0, "positions", 1) and issue.line == 11


def test_concurrent_post_is_allowed():
    text = (
        HEAD
        + UNITS
        + (
            "persons:\n"
            "  - id: 王华\n"
            "    positions:\n"
            "      - {unit: 市委, role: 班子其他成员, from: 2014-01-01}\n"
            "      - {unit: 海州区委, role: 主要负责人, from: 2015-01-01, concurrent: true}\n"
        )
    )
    load_scenario_text(text, "s.yaml")


def test_date_that_is_not_a_date():
    issue = one(
        HEAD
        + UNITS
        + "persons:\n  - id: 王华\n    positions:\n      - {unit: 市委, role: 主要负责人, from: 2015-02-30}\n",
        "bad_date",
    )
    assert issue.line == 10 and issue.path[-1] == "from"


def test_unknown_element_suggests_near_ones():
    text = (
        HEAD
        + UNITS
        + "events:\n  - {type: finding, id: f, date: 2015-06-01, subject: 海州区委, elements: [D16-5.1/c9]}\n"
    )
    issue = one(text, "unknown_element")
    assert issue.path == ("events", 0, "elements", 0) and issue.line == 8
    assert "D16-5.1/c" in issue.params["near"]


def test_cycle_in_the_hierarchy():
    text = HEAD + "units:\n  - {id: 甲, kind: 地区, parent: 乙}\n  - {id: 乙, kind: 地区, parent: 甲}\n"
    issue = one(text, "hierarchy_cycle")
    assert "甲 → 乙 → 甲" in issue.params["cycle"]


def test_duplicate_ids():
    issue = one(HEAD + UNITS + "  - {id: 市委, kind: 部门}\n", "duplicate_id")
    assert issue.line == 7


def test_unknown_field_and_bad_choice():
    text = HEAD + "units:\n  - {id: 甲, kind: 省份, colour: red}\n"
    codes = {i.code for i in issues_of(text)}
    assert {"unknown_field", "bad_choice"} <= codes


def test_yaml_syntax_error_has_a_line():
    issue = one(HEAD + "units:\n  - {id: 甲, kind: 地区\n", "yaml_syntax")
    assert issue.line is not None


def test_duplicate_key_is_a_syntax_error():
    one(HEAD + "units:\n  - id: 甲\n    id: 乙\n    kind: 地区\n", "yaml_syntax")


def test_d16_8_element_outside_a_case():
    text = (
        HEAD
        + UNITS
        + "events:\n  - {type: finding, id: f, date: 2015-06-01, subject: 海州区委, elements: [D16-8.3/s1]}\n"
    )
    one(text, "element_needs_case")


def test_event_after_the_assessment_date():
    text = (
        HEAD
        + UNITS
        + "events:\n  - {type: finding, id: f, date: 2017-06-01, subject: 海州区委, elements: [D16-5.1/c1]}\n"
    )
    one(text, "event_after_as_of")


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, prev in zip("bcdefgh", "abcdefg", strict=True):
        bomb += (
            f"{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        )
    one(bomb, "too_many_nodes")


def test_rendered_message_gives_file_line_field_fix_in_chinese_then_english():
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(HEAD + UNITS + "  - {id: 浦西镇, kind: 乡镇, parent: 海州}\n", "s.yaml")
    text = render_error(exc.value)
    assert "s.yaml:7" in text and "units[4].parent" in text
    zh = text.index("没有编号为“海州”的单位")
    en = text.index("no unit with id '海州'")
    assert zh < en
    assert "修改" in text and "Fix" in text
