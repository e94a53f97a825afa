"""Bad decision files get the scenario reader's treatment: an issue with the field, the line and a catalogue
code (worded Chinese then English), never a crash — also for hostile input (hypothesis)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akb.cli import main
from explain.catalogue import has
from kb.decision_schema import load_decision, load_decision_text
from kb.scenario_io import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "kb" / "decisions" / "01-correct-staff-written-check.yaml").read_text(encoding="utf-8")


def _issues(text: str) -> list:
    try:
        load_decision_text(text, "d.yaml")
    except ScenarioError as err:
        return err.issues
    return []


def test_good_text_has_no_issue():
    assert _issues(GOOD) == []


def test_each_issue_has_a_worded_code_and_a_line():
    cases = {
        GOOD.replace("decision: 2015-09-29", "decision: 2015-13-45"): ("bad_date", ("dates", "decision")),
        GOOD.replace("methods: [书面检查]", "methods: [罚款]"): ("bad_choice", ("parties", 0, "methods", 0)),
        GOOD.replace("collective: false", "collective: maybe"): ("bad_type", ("organs", "collective")),
        GOOD.replace("  title: 关于对陈静同志问责的决定\n", ""): ("missing_field", ("decision", "title")),
        GOOD + "extra: 1\n": ("unknown_field", ("extra",)),
        "- 1\n- 2\n": ("not_a_mapping", ()),
        "decision: {id: [\n": ("yaml_syntax", ("decision",)),
    }
    for text, (code, path) in cases.items():
        issues = _issues(text)
        assert issues, code
        assert issues[0].code == code and tuple(issues[0].path) == path, (issues[0], code)
        assert issues[0].line is not None
        assert has("errors", code)


def test_decision_naming_a_broken_scenario_reports_the_scenario(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("scenario: {id: x}\nunits: []\n", encoding="utf-8")
    decision = tmp_path / "d.yaml"
    decision.write_text(GOOD.replace("../scenarios/a1-deadline-national-day.yaml", "s.yaml"), encoding="utf-8")
    assert main(["review", str(decision)]) == 2
    err = capsys.readouterr().err
    assert str(scenario) in err and "情景文件有误" in err


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_hostile_text_never_crashes(text):
    for issue in _issues(text):
        assert issue.code  # every problem is a coded issue


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["decision", "parties", "organs", "dates", "document", "appeal", "x"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)),
        max_size=6,
    )
)
def test_hostile_structures_never_crash(data):
    import json

    for issue in _issues(json.dumps(data, ensure_ascii=False)):
        assert has("errors", issue.code) or has("decision_errors", issue.code)


def test_event_must_be_a_finding_or_case():
    from kb.decision_schema import load_decision_texts

    scenario = (ROOT / "kb" / "scenarios" / "a1-deadline-national-day.yaml").read_text(encoding="utf-8")
    text = GOOD.replace("event: 事1", "event: 决1")
    try:
        load_decision_texts(text, scenario, "d.yaml")
    except ScenarioError as err:
        issue = err.issues[0]
        assert issue.code == "decision_unknown_event" and issue.path == ("parties", 0, "event") and issue.line
    else:
        raise AssertionError("an accountability record is not an event a decision can rest on")


def test_a_decision_file_is_read_as_a_scenario_file_is(tmp_path):
    """The decision loader reads through the scenario loader's reader: a FIFO is refused, not waited on (it
    hung), and a byte that is not UTF-8 is named with its line (the message showed a raw `{byte}`)."""
    fifo = tmp_path / "decision.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError) as err:
        load_decision(fifo)
    assert err.value.issues[0].code == "cannot_read"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"decision:\n  id: \xff\n")
    with pytest.raises(ScenarioError) as err:
        load_decision(bad)
    issue = err.value.issues[0]
    assert (issue.code, issue.line, issue.params) == ("not_utf8", 2, {"byte": "0xFF"})
