"""Dates as sources give them (issue 10.7): a day, a month or a year, the convention stated in the output and
deadlines from a partial date flagged approximate; an explicit unknown date is a fact, not a silence; anything
else a YAML or JSON reader could turn into a date is refused (issue 13)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from explain.report import build_report
from kb.dates import PartialDate, approximate, parse_date, show
from kb.scenario_io import ScenarioError, load_scenario_text
from reasoning.queries import run

SAMPLE = Path(__file__).parent.parent / "kb" / "scenarios" / "a1-deadline-national-day.yaml"


def test_a_month_or_a_year_stands_for_its_first_day_and_keeps_its_form():
    month, year = parse_date("2015-10"), parse_date(2015)
    assert month == dt.date(2015, 10, 1) and show(month) == "2015-10" and approximate(month)
    assert year == dt.date(2015, 1, 1) and show(year) == "2015" and approximate(year)
    assert not approximate(parse_date("2015-10-08"))
    assert isinstance(month, PartialDate) and month.precision == "month"


@pytest.mark.parametrize(
    "value", [0, 1, True, "2016-03-31T00:00:00Z", dt.datetime(2016, 3, 31), "2015-13", "2015-02-30"]
)
def test_timestamps_numbers_and_impossible_days_are_refused(value):
    with pytest.raises(Exception) as err:
        parse_date(value)
    assert "date" in type(err.value).__name__.lower() or "date" in str(err.value).lower()


def test_a_timestamp_in_a_scenario_names_the_field_and_the_fix():
    text = SAMPLE.read_text(encoding="utf-8").replace("as_of: 2015-11-30", "as_of: 2015-11-30T00:00:00Z", 1)
    assert "T00:00:00Z" in text
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, "s.yaml")
    (issue,) = err.value.issues
    assert issue.code == "bad_date" and issue.path == ("scenario", "as_of") and issue.line


def test_deadlines_from_a_month_date_are_flagged_approximate():
    original = SAMPLE.read_text(encoding="utf-8")
    head, tail = original.split("    id: 决1\n", 1)
    text = head + "    id: 决1\n" + re.sub(r"date: [0-9-]+", "date: 2015-09", tail, count=1)
    assert text != original
    report = build_report(run(load_scenario_text(text, "s.yaml")[0]))
    assert report["dates"]["approximate"] == ["2015-09"]
    flagged = [dl for d in report["duties"] for dl in d.get("deadlines", []) if dl.get("approximate")]
    assert flagged


def test_an_explicit_unknown_date_is_a_fact_and_its_deadline_cannot_be_told():
    text = re.sub(r"served_on: [0-9-]+", "served_on: 不详", SAMPLE.read_text(encoding="utf-8"), count=1)
    scenario = load_scenario_text(text, "s.yaml")[0]
    record = next(e for e in scenario.events if e.type == "accountability")
    assert record.served_on is None and record.unknown_dates == ["served_on"]
    report = build_report(run(scenario))
    assert next(r for r in report["records"] if r["id"] == record.id)["unknown_dates"] == ["served_on"]
    statuses = [dl.get("status") for d in report["duties"] for dl in d.get("deadlines", []) if dl["rule"] == "A1-24"]
    assert statuses == ["unknown"]
    # left out, the same date is simply not recorded: no status at all
    silent = re.sub(r"\s*served_on: [0-9-]+,?", "", SAMPLE.read_text(encoding="utf-8"), count=1)
    report = build_report(run(load_scenario_text(silent, "s.yaml")[0]))
    assert [dl.get("status") for d in report["duties"] for dl in d.get("deadlines", []) if dl["rule"] == "A1-24"] == [
        None
    ]
