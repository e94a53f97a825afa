"""编辑情景 (app_pages/build.py) headless: a scenario built through the forms validates and evaluates; a misplaced
element cannot be picked; problems show beside the field with nothing typed lost; saved work survives a reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.scenario_draft import to_yaml
from kb.scenario_io import load_scenario_text
from kb.store import Store
from reasoning.queries import run

PAGE = str(Path(__file__).parent.parent / "app_pages" / "build.py")


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("AKB_DB", str(tmp_path / "akb.sqlite3"))


def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    return at


def errors(at: AppTest) -> list[str]:
    """The error messages as shown (Markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in at.error]


def add_unit(at, uid, kind, above):
    at.text_input(key="unit_id").input(uid).run()
    at.selectbox(key="unit_kind").select(kind).run()
    at.selectbox(key="unit_answers_for" if kind in ("党委", "纪委") else "unit_parent").select(above).run()
    at.button(key="unit_add").click().run()
    assert not at.exception and not errors(at), errors(at)


def add_person(at, pid, unit, role):
    at.text_input(key="person_id").input(pid).run()
    at.button(key="person_add").click().run()
    at.selectbox(key="pos_person").select(pid)
    at.selectbox(key="pos_unit").select(unit)
    at.selectbox(key="pos_role").select(role)
    at.button(key="pos_add").click().run()
    assert not at.exception and not errors(at), errors(at)


def pick(at, item, elements):
    at.selectbox(key="ev_item").set_value(item).run()
    box = at.multiselect(key="ev_item_elements")
    for e in elements:
        box.select(e)
    at.run()
    at.button(key="ev_add_elements").click().run()


def build_case_scenario(at) -> None:
    add_unit(at, "海州区", "地区", "连云港市")
    add_unit(at, "海州区委", "党委", "海州区")
    add_unit(at, "海州区纪委", "纪委", "海州区")
    add_unit(at, "东村", "村", "海州区")
    add_person(at, "王华", "海州区委", "主要负责人")
    add_person(at, "张强", "东村", "一般工作人员")
    # a finding against the party team: D16-5.1 complete
    at.text_input(key="ev_id").input("事1").run()
    at.selectbox(key="ev_subject").select("海州区委").run()
    pick(at, "D16-5.1", ["D16-5.1/c1", "D16-5.1/q1", "D16-5.1/e1"])
    at.button(key="ev_add").click().run()
    assert not errors(at), errors(at)
    # a case: only D16-8 is offered
    at.selectbox(key="ev_type").select("case").run()
    assert {o.split(" ")[0][:5] for o in at.selectbox(key="ev_item").options} == {"D16-8"}
    at.text_input(key="ev_id").input("案1").run()
    at.selectbox(key="ev_party").select("张强")
    at.selectbox(key="ev_unit").select("东村").run()
    pick(at, "D16-8.3", ["D16-8.3/s1"])
    at.button(key="ev_add").click().run()
    assert not errors(at), errors(at)


def test_a_scenario_built_through_the_forms_validates_and_evaluates():
    at = page()
    build_case_scenario(at)
    draft = at.session_state["build_draft"]
    assert [e["id"] for e in draft["events"]] == ["事1", "案1"]
    scenario, _ = load_scenario_text(to_yaml(draft))
    found = {(p, r, c) for p, r, c, _ in run(scenario).liabilities()}
    assert ("海州区委", "主体责任", "D16-5.1") in found
    assert ("王华", "主要领导责任", "D16-5.1") in found
    assert ("海州区纪委", "监督责任", "D16-8.3") in found
    assert ("海州区委", "主体责任", "D16-8.3") in found
    assert any(str(len(found)) in s.value for s in at.success)
    # the page shows the YAML it produced, which is what the download button gives
    assert any("type: case" in c.value for c in at.code)


def test_only_elements_valid_for_the_subject_are_offered():
    at = page()
    add_unit(at, "海州区", "地区", "连云港市")
    add_unit(at, "海州区纪委", "纪委", "海州区")
    at.selectbox(key="ev_subject").select("海州区纪委").run()
    offered = [o.split(" ")[0] for o in at.selectbox(key="ev_item").options]
    assert "D16-7.1" in offered
    assert not any(o.startswith(("D16-5", "D16-6", "D16-8", "A1")) for o in offered)
    assert "D16-5.1" not in offered


def test_a_bad_field_is_named_beside_it_and_nothing_typed_is_lost():
    at = page()
    at.text_input(key="unit_id").input("连云港市").run()
    at.button(key="unit_add").click().run()
    assert any("连云港市" in e and "单位编号" in e for e in errors(at))
    assert at.text_input(key="unit_id").value == "连云港市"
    # an event without elements is refused, naming the field, and the typed id stays
    at.text_input(key="ev_id").input("事9").run()
    at.button(key="ev_add").click().run()
    assert any("要素" in e for e in errors(at))
    assert at.text_input(key="ev_id").value == "事9"


def test_invalid_yaml_keeps_the_text_and_shows_every_problem_with_its_line():
    at = page()
    bad = "scenario: {id: x, title: t, as_of: 2016-01-01}\nunits:\n  - {id: 市, kind: 星球}\n  - {id: 区, kind: 地区, parent: 无}\n"
    at.text_area(key="build_yaml_text").input(bad).run()
    at.button(key="build_apply_yaml").click().run()
    assert not at.exception
    shown = errors(at)
    assert any("第3行" in e and "units[0].kind" in e for e in shown), shown
    assert at.text_area(key="build_yaml_text").value == bad
    assert any("▶   3" in c.value for c in at.code)


def test_saved_work_survives_a_reload_with_its_history():
    at = page()
    add_unit(at, "海州区", "地区", "连云港市")
    at.text_input(key="build_save_name").input("我的情景").run()
    at.button(key="build_save").click().run()
    at.button(key="build_save").click().run()
    assert any("第 2 版" in s.value for s in at.success)
    assert [v.version for v in Store().history("scenario", "我的情景")] == [1, 2]
    again = page()  # a new session: what a page reload gives
    assert again.selectbox(key="build_saved_name").value == "我的情景"
    again.button(key="build_open_saved").click().run()
    assert [u["id"] for u in again.session_state["build_draft"]["units"]] == ["连云港市", "海州区"]


def test_start_from_a_sample_and_in_english():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Build a scenario"
    at.selectbox(key="build_start").select("d16-chain-stopped.yaml").run()
    at.button(key="build_load").click().run()
    assert not at.exception
    assert at.session_state["build_draft"]["scenario"]["id"] == "d16-chain-stopped"
    assert any("liabilities" in s.value for s in at.success)


def test_use_on_main_makes_the_draft_current_and_drops_the_previous_scenarios_state():
    """The button "use on the main page" is app_pages/common.set_scenario: the draft becomes the scenario, and the readings,
    switches and address of the previous scenario are dropped (they were kept, and the main page then linked to
    the previous sample)."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["scenario_source"] = {"scenario": "a1-articles-5-to-8.yaml"}
    at.session_state["readings"] = {"period_counting": "plain"}
    at.session_state["readings_before"] = {}
    at.session_state["interp_period_counting"] = "plain"
    at.run()
    at.selectbox(key="build_start").select("d16-chain-stopped.yaml").run()
    at.button(key="build_load").click().run()
    at.button(key="build_use").click().run()
    assert not at.exception
    draft_yaml = to_yaml(at.session_state["build_draft"])
    assert at.session_state["scenario_text"] == draft_yaml
    assert at.session_state["scenario_name"] == "d16-chain-stopped"
    assert at.session_state["readings"] == {} and at.session_state["scenario_source"] is None
    assert "readings_before" not in at.session_state and "interp_period_counting" not in at.session_state
