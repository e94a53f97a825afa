"""决定审查 (app_pages/review.py) headless: a sample decision's verdicts as the reviewer gives them on its own, the
receipt and the documents offered for download, English, and the re-check under other readings."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from explain.review import build
from kb.decision_schema import load_decision
from reasoning.review import review

ROOT = Path(__file__).parent.parent
PAGE = str(ROOT / "app_pages" / "review.py")
DECISIONS = ROOT / "kb" / "decisions"


def verdicts(name: str) -> list[tuple[str, str]]:
    """(verdict, clause) of every check, as the reviewer gives them without the app."""
    loaded = load_decision(DECISIONS / name)
    data = build(loaded, review(loaded, alternatives=False), proofs=False)
    return [(v["verdict"], v["clause"]) for v in data["verdicts"]]


def table(at: AppTest) -> list[dict]:
    frame = at.dataframe[0].value
    return frame.to_dict("records")


def test_a_correct_decision_passes_every_check():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    at.selectbox(key="review_sample").set_value("01-correct-staff-written-check.yaml").run()
    assert at.success and not at.warning
    rows = table(at)
    assert len(rows) == len(verdicts("01-correct-staff-written-check.yaml"))
    assert all(r["结论"].startswith("通过") for r in rows)


def test_a_method_above_the_band_is_a_problem_with_its_clause_and_fix():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.selectbox(key="review_sample").set_value("06-problem-method-above-band.yaml").run()
    assert not at.exception and at.warning
    expected = [c for v, c in verdicts("06-problem-method-above-band.yaml") if v == "problem"]
    got = [r for r in table(at) if r["结论"] == "问题"]
    assert [r["条款"] for r in got] == expected and all(r["改法"] != "—" for r in got)


def test_english_and_downloads():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Verdict" in table(at)[0]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the review receipt (JSON)", "Download the decision document and approval forms (.docx)"]


def test_re_checking_under_other_readings_lists_the_readings_relied_on():
    at = AppTest.from_file(PAGE, default_timeout=300).run()
    at.selectbox(key="review_sample").set_value("13-problem-missing-dual-investigation.yaml").run()
    at.checkbox(key="review_alternatives").check().run()
    assert not at.exception
    readings = {r["所依赖的解释"] for r in table(at)}
    assert any("heads_answer" in r for r in readings)


def test_a_decision_filled_in_as_text_is_reviewed_and_saved_with_its_history(tmp_path, monkeypatch):
    monkeypatch.setenv("AKB_DB", str(tmp_path / "akb.sqlite3"))
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.selectbox(key="review_sample").set_value("01-correct-staff-written-check.yaml").run()
    box = at.text_area(key="review_text_01-correct-staff-written-check.yaml")
    changed = box.value.replace("methods: [书面检查]", "methods: [免职]")
    assert changed != box.value
    box.set_value(changed)
    at.button(key="review_this").click().run()
    assert not at.exception and at.warning  # 免职 is above the band: a problem now
    assert any(r["结论"] == "问题" for r in table(at))
    at.button(key="review_save").click().run()
    at.button(key="review_save").click().run()
    assert [m.value for m in at.success if "第 2 版" in m.value]
    from kb.store import Store

    assert [
        v.version for v in Store(tmp_path / "akb.sqlite3").history("decision", "01-correct-staff-written-check")
    ] == [1, 2]
