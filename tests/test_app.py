"""The Streamlit first page evaluates the bundled example headless (AppTest), and shows its findings."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parent.parent / "app.py")


def test_app_evaluates_the_bundled_example():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert any("海州区委" in x and "第五条第（九）项" in x for x in labels)
    assert any("张强" in x for x in labels)


def test_switching_an_interpretation_reruns_the_evaluation():
    at = AppTest.from_file(APP, default_timeout=60).run()
    box = next(s for s in at.sidebar.selectbox if s.label == "pursuit_record")
    box.set_value("explicit_only").run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert not any("第五条第（九）项" in x for x in labels)
