"""The one table of unit kinds and roles (kb/unit_kinds.yaml) against the schema, the rules and the README."""

from __future__ import annotations

import typing
from pathlib import Path

from kb.schema import BODY_KINDS, Role, UnitKind, json_schema
from kb.unit_kinds import README_BEGIN, README_END, SCOPE_CLAUSES, STATUSES, kinds, markdown_table, roles
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent


def test_schema_kinds_and_roles_are_the_table():
    assert list(typing.get_args(UnitKind)) == list(kinds())
    assert list(typing.get_args(Role)) == list(roles())
    assert set(BODY_KINDS) == {k.name for k in kinds().values() if k.body}


def test_every_kind_has_a_status_and_words_under_each_scope_clause():
    for k in kinds().values():
        for clause in SCOPE_CLAUSES:
            s = k.scope[clause]
            assert s.status in STATUSES and s.words, (k.name, clause)
            if s.reading:
                assert s.reading in load_rulebook().interpretations, (k.name, s.reading)
                assert dict(s.by_reading).get(load_rulebook().interpretations[s.reading].default) == s.status


def test_the_rules_read_the_table():
    rb = load_rulebook()
    rows = rb.static_facts["unit_kind_scope"]
    assert ("A2-2", "村", "不适用") in rows  # 9.24: A2-2 lists no village
    assert ("A1-2", "内设机构", "随上级单位") in rows and ("A2-2", "内设机构", "随上级单位") in rows
    assert ("D16-14", "垂直管理单位", "须党的关系属地方管理") in rows
    assert ("A1-2", "非国有企业", "不适用") in rows
    assert {("党工委",)} <= set(rb.static_facts["team_kind"])
    assert ("党支部",) not in rb.static_facts["team_kind"]


def test_roles_read_as_a_role_the_rules_know():
    for r in roles().values():
        assert r.reads_as in roles(), r.name
    assert roles()["分管领导"].reads_as == "班子其他成员"


def test_akb_schema_and_readme_show_the_table():
    schema = json_schema()
    assert [k["kind"] for k in schema["x-unit-kinds"]] == list(kinds())
    assert set(schema["x-roles"]) == set(roles())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_BEGIN), readme.index(README_END) + len(README_END)
    assert readme[start:end] == markdown_table(), (
        "README table out of date: regenerate with kb.unit_kinds.markdown_table"
    )


def test_a_unit_of_kind_other_needs_a_note():
    import pytest

    from akb.cli import render_error
    from kb.scenario_io import ScenarioError, load_scenario_text

    head = "scenario: {id: t, title: 测试, as_of: 2016-06-30}\nunits:\n  - {id: 连云港市, kind: 地区}\n"
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(head + "  - {id: 协会, kind: 其他, parent: 连云港市}\n", "s.yaml")
    issue = next(i for i in exc.value.issues if i.code == "other_needs_note")
    assert issue.line == 4 and issue.path == ("units", 1, "kind")
    message = render_error(exc.value)
    assert "note" in message and "协会" in message
    scenario, _ = load_scenario_text(head + "  - {id: 协会, kind: 其他, parent: 连云港市, note: 行业协会}\n", "s.yaml")
    assert scenario.units[1].note == "行业协会"
