"""培训演练 (app_pages/trainer.py) headless: step forward and back through a sample's events, hide and reveal the
answer, the graph drawn for the step, and the current scenario set by another page offered first."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explain.steps import step_through
from kb.scenario_io import load_scenario

ROOT = Path(__file__).parent.parent
PAGE = str(ROOT / "app_pages" / "trainer.py")
SAMPLE = ROOT / "kb" / "scenarios" / "d16-5-team-failure.yaml"


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("AKB_DB", str(tmp_path / "akb.sqlite3"))


def headings(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("####")]


def test_step_forward_and_back():
    expected = step_through(load_scenario(SAMPLE))["steps"]
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.session_state["trainer_step"] == 1
    assert f"新触发的条款（{len(expected[0]['fired'])}）" in " ".join(headings(at))
    shown = " ".join(m.value for m in at.markdown)
    assert all(f["party_name"] in shown for f in expected[0]["fired"])
    assert len(at.get("graphviz_chart")) >= 1
    assert at.button(key="trainer_prev").disabled
    at.button(key="trainer_next").click().run()
    at.button(key="trainer_next").click().run()
    assert at.session_state["trainer_step"] == 3
    event = expected[2]["event"]
    assert any(f" {event['id']} · " in m.value for m in at.markdown)
    assert f"新触发的条款（{len(expected[2]['fired'])}）" in " ".join(headings(at))
    # what almost fired: the why-not search, run for the step on show, finds what the full step-through finds
    assert expected[2]["almost"] and f"差一点触发（{len(expected[2]['almost'])}）" in " ".join(headings(at))
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert all(a["party_name"] in shown for a in expected[2]["almost"])
    at.button(key="trainer_prev").click().run()
    assert at.session_state["trainer_step"] == 2
    assert len(at.get("graphviz_chart")) == 1  # one drawing, however large the graph has grown
    assert any(f" {expected[1]['event']['id']} · " in m.value for m in at.markdown)
    for _ in range(len(expected) - 2):
        at.button(key="trainer_next").click().run()
    assert at.session_state["trainer_step"] == len(expected)
    assert at.button(key="trainer_next").disabled


def test_hide_and_reveal_the_answer():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.toggle(key="trainer_reveal").set_value(False).run()
    assert not any("新触发的条款" in h for h in headings(at))
    assert any("答案已隐藏" in i.value for i in at.info)
    assert len(at.get("graphviz_chart")) == 0
    assert any("新成立的事实" in h for h in headings(at))  # the facts stay visible
    at.toggle(key="trainer_reveal").set_value(True).run()
    assert any("新触发的条款" in h for h in headings(at))


def test_the_current_scenario_is_offered_first_and_english_works():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["scenario_text"] = (ROOT / "kb" / "scenarios" / "a2-chain.yaml").read_text(encoding="utf-8")
    at.session_state["scenario_name"] = "a2-chain"
    at.run()
    assert not at.exception
    assert at.selectbox(key="trainer_source").value == "current scenario: a2-chain"
    assert at.title[0].value == "Trainer"
    assert any("Clauses newly fired" in h for h in headings(at))
    assert at.session_state["trainer_for"][0] != ""


def test_what_a_user_wrote_is_escaped():
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("name: 中共灌云县委", "name: \"[点我](http://example.invalid) **灌云**\"")
    assert "点我" in text
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["scenario_text"] = text
    at.session_state["scenario_name"] = "x"
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "点我" in m.value]
    assert shown and all("\\[点我\\]\\(http" in v and "\\*\\*" in v for v in shown)


def test_the_graph_can_focus_on_one_party():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    whole = at.get("graphviz_chart")[0].proto.spec
    assert len(at.selectbox(key="trainer_focus").options) > 2  # several parties liable so far
    party = at.selectbox(key="trainer_focus").options[1]
    at.selectbox(key="trainer_focus").select(party).run()
    assert not at.exception
    focused = at.get("graphviz_chart")[0].proto.spec
    assert party in focused and len(focused) < len(whole)
