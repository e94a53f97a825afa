"""Dated deadlines of the procedural duties: the rules establish that a duty exists; this module turns it
into a concrete date from the scenario's dates, on the official calendar (chinesecalendar: holidays and
调休 make-up working days), under the `period_counting` interpretation. A date outside the calendar's data
is reported as such, never guessed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

from kb.schema import Accountability, Scenario

INTERPRETATION = "period_counting"  # the open point this module reads (MEASURES.md, open point 9)


class CalendarGap(Exception):
    """The official calendar has no data for a year the computation needs."""


@dataclass(frozen=True)
class Deadline:
    """A computed deadline: the date, the rule that made it, how it was counted, and whether it was met."""

    date: dt.date | None
    rule: str
    basis: str  # the scenario date it counts from, as "field=YYYY-MM-DD"
    counting: str
    status: str | None = None  # "met" | "missed" | None (no date of performance recorded)
    gap: str | None = None  # why no date could be computed


def is_working_day(day: dt.date) -> bool:
    """Working day on the official calendar (调休 Saturdays and Sundays are working days)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:
        raise CalendarGap(str(day.year)) from exc


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the start day itself is not counted)."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_days(start: dt.date, n: int, reading: str) -> dt.date:
    """A period of n calendar days from `start` (not counted); under the `procedural` reading a period
    ending on a rest day or holiday runs on to the next working day."""
    day = start + dt.timedelta(days=n)
    if reading == "procedural":
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    return day


def _status(due: dt.date | None, done: dt.date | None, unknown: bool = False) -> str | None:
    """met / missed; "unknown" where the source states the date of performance as unknown (it cannot be told);
    None where no date of performance is recorded."""
    if unknown:
        return "unknown"
    if due is None or done is None:
        return None
    return "met" if done <= due else "missed"


def _record(s: Scenario, party: str, event: str) -> Accountability | None:
    """The accountability record carried out for a party about an event (the earliest, if several)."""
    found = [
        e
        for e in s.events
        if isinstance(e, Accountability) and e.target == party and e.concerning == event and e.outcome == "追究"
    ]
    return min(found, key=lambda e: (e.date, e.id)) if found else None


def compute(duty: str, args: tuple[str, ...], s: Scenario, reading: str) -> list[Deadline]:
    """The deadlines of one duty row (empty for duties without a period)."""
    counting = {"procedural": "procedural", "plain": "plain"}[reading]
    try:
        if duty == "quarterly_report":
            return [Deadline(quarter_end(s.scenario.as_of), "D16-12p2", f"as_of={s.scenario.as_of}", "quarter")]
        if duty in ("report_due", "serve_decision", "appeal_window"):
            record = _record(s, args[0], args[1])
            if record is None:
                return []
            if duty == "report_due":
                if record.handled_on is None:
                    return [Deadline(None, "D16-12p1", "handled_on", counting, gap="no_handling_date")]
                due = add_days(record.handled_on, 7, reading)
                return [Deadline(due, "D16-12p1", f"handled_on={record.handled_on}", counting)]
            if duty == "serve_decision":
                due = add_working_days(record.date, 7)
                return [
                    Deadline(
                        due,
                        "A1-24",
                        f"date={record.date}",
                        "working_days",
                        _status(due, record.served_on, "served_on" in record.unknown_dates),
                    )
                ]
            out = []
            if record.received_on is None:
                out.append(Deadline(None, "A1-27", "received_on", counting, gap="no_receipt_date"))
            else:
                due = add_days(record.received_on, 15, reading)
                out.append(
                    Deadline(
                        due,
                        "A1-27",
                        f"received_on={record.received_on}",
                        counting,
                        _status(due, record.appeal_filed_on, "appeal_filed_on" in record.unknown_dates),
                    )
                )
            # A1-27: 问责决定机关接到书面申诉后……30日内作出申诉处理决定 — the 30 days run from the organ's
            # receipt of the appeal, not from its filing; without a receipt date there is no deadline to state.
            if record.appeal_received_on is not None:
                due = add_days(record.appeal_received_on, 30, reading)
                out.append(
                    Deadline(
                        due,
                        "A1-27",
                        f"appeal_received_on={record.appeal_received_on}",
                        counting,
                        _status(due, record.appeal_decided_on, "appeal_decided_on" in record.unknown_dates),
                    )
                )
            elif record.appeal_filed_on is not None:
                out.append(Deadline(None, "A1-27", "appeal_received_on", counting, gap="no_appeal_receipt_date"))
            return out
    except CalendarGap as gap:
        return [Deadline(None, duty, "", counting, gap=f"calendar:{gap}")]
    return []


def quarter_end(day: dt.date) -> dt.date:
    """The last day of the quarter containing `day` (D16-12p2: 每季度最后一个月底)."""
    last_month = ((day.month - 1) // 3 + 1) * 3
    nxt = dt.date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
