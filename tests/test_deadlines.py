"""Deadlines are concrete dates on the official calendar, each with the rule that made it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from explain.report import build_report
from kb.scenario_io import load_scenario
from reasoning.deadlines import CalendarGap, add_days, add_working_days, quarter_end
from reasoning.queries import run

SAMPLE = Path(__file__).parent.parent / "kb" / "scenarios" / "a1-deadline-national-day.yaml"


def test_seven_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday():
    # 2015-10-01..07 holiday; Saturday 2015-10-10 a make-up working day (调休)
    assert add_working_days(dt.date(2015, 9, 29), 7) == dt.date(2015, 10, 14)
    assert add_working_days(dt.date(2015, 9, 30), 7) == dt.date(2015, 10, 15)


def test_calendar_day_periods_under_both_readings():
    # 15 days from 2015-09-20 ends on 2015-10-05, inside the holiday
    assert add_days(dt.date(2015, 9, 20), 15, "plain") == dt.date(2015, 10, 5)
    assert add_days(dt.date(2015, 9, 20), 15, "procedural") == dt.date(2015, 10, 8)


def test_a_year_outside_the_calendar_data_is_an_error_not_a_guess():
    with pytest.raises(CalendarGap):
        add_working_days(dt.date(2030, 3, 1), 7)


def test_quarter_end():
    assert quarter_end(dt.date(2015, 11, 30)) == dt.date(2015, 12, 31)
    assert quarter_end(dt.date(2016, 2, 29)) == dt.date(2016, 3, 31)


def _deadlines(report: dict, duty: str) -> list[dict]:
    return [dl for d in report["duties"] if d["duty"] == duty for dl in d.get("deadlines", [])]


def test_sample_service_and_appeal_deadlines():
    report = build_report(run(load_scenario(SAMPLE)))
    serve = _deadlines(report, "serve_decision")
    assert serve == [
        {"rule": "A1-24", "basis": "date=2015-09-29", "counting": "working_days", "date": "2015-10-14", "status": "met"}
    ]
    appeal = _deadlines(report, "appeal_window")
    # the 30 days for deciding the appeal run from the bureau's receipt of it (10-22), not its filing (10-20):
    # 11-21 is a Saturday, so the period runs on to Monday 11-23
    assert [(d["date"], d.get("status")) for d in appeal] == [("2015-10-27", "met"), ("2015-11-23", None)]
    assert appeal[1]["basis"] == "appeal_received_on=2015-10-22"


def test_appeal_decision_deadline_needs_the_receipt_date(tmp_path):
    """A1-27: 问责决定机关接到书面申诉后……30日内 — an appeal filed with no receipt date gives no deadline (a gap), and
    the filing date is never used in its place."""
    text = SAMPLE.read_text(encoding="utf-8").replace("    appeal_received_on: 2015-10-22\n", "")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    appeal = _deadlines(build_report(run(load_scenario(path))), "appeal_window")
    assert [(d["date"], d.get("gap")) for d in appeal] == [("2015-10-27", None), (None, "no_appeal_receipt_date")]


def test_period_counting_switch_changes_a_deadline(tmp_path):
    # receipt on 2015-09-20: 15 days end on 2015-10-05 (holiday) — runs on to 10-08 only under 'procedural'
    text = SAMPLE.read_text(encoding="utf-8").replace("received_on: 2015-10-12", "received_on: 2015-09-20")
    text = text.replace("served_on: 2015-10-12", "served_on: 2015-09-20").replace(
        "date: 2015-09-29", "date: 2015-09-18"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    procedural = _deadlines(build_report(run(scenario)), "appeal_window")[0]["date"]
    plain = _deadlines(build_report(run(scenario, {"period_counting": "plain"})), "appeal_window")[0]["date"]
    assert (procedural, plain) == ("2015-10-08", "2015-10-05")
