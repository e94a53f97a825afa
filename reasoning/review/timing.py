"""Checks of the dates on the official calendar (reasoning/deadlines.py): service within 7 working days
(A1-24), appeal within 15 days of receipt and its decision within 30 days of the organ's receipt by someone
other than the original handler (A1-27), filing (A1-25, D16-11) and reporting within one week (D16-12p1)."""

from __future__ import annotations

import datetime as dt

from reasoning.deadlines import CalendarGap, add_days, add_working_days, is_working_day
from reasoning.review.context import Context, doc_of
from reasoning.review.verdict import CANNOT_TELL, PASS, PROBLEM, Verdict, judged

_COUNT = ["period_counting"]
RANKS_FILED_UP = ("副科级", "正科级", "副处级", "正处级", "副厅级", "正厅级")  # A1-25 副科级以上


def calendar_notes(start: dt.date, end: dt.date) -> dict[str, list[str]]:
    """Holiday weekdays and 调休 working weekend days strictly after `start` up to `end` (the calendar's say)."""
    out: dict[str, list[str]] = {"holidays": [], "makeup_workdays": []}
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        work = is_working_day(day)
        if day.weekday() >= 5 and work:
            out["makeup_workdays"].append(day.isoformat())
        elif day.weekday() < 5 and not work:
            out["holidays"].append(day.isoformat())
    return out


def _d(x: dt.date | None) -> str | None:
    return x.isoformat() if x else None


def _timely(
    check: str,
    clause: str,
    done: dt.date | None,
    due: dt.date,
    params: dict,
    reasons: tuple[str, str, str],
    fixes: tuple[str, str],
    **extra,
) -> Verdict:
    """A dated duty against its deadline: cannot tell without its date, else in time or late. `reasons` is
    (no date, in time, late), `fixes` (no date, late)."""
    if done is None:
        return Verdict(check, None, clause, CANNOT_TELL, reasons[0], params, fix=fixes[0], **extra)
    return judged(check, None, clause, done <= due, reasons[1:], params, fixes[1], **extra)


def _service(ctx: Context) -> Verdict:
    dates = ctx.decision.dates
    due = add_working_days(dates.decision, 7)
    params = {
        "decision": _d(dates.decision),
        "due": _d(due),
        "served": _d(dates.service),
        **calendar_notes(dates.decision, max(due, dates.service or due)),
    }
    return _timely(
        "service",
        "A1-24",
        dates.service,
        due,
        params,
        ("service_no_date", "service_in_time", "service_late"),
        ("fix_service_date", "fix_service_late"),
    )


def _appeal(ctx: Context) -> list[Verdict]:
    a, dates = ctx.decision.appeal, ctx.decision.dates
    if a is None:
        return []
    reading = ctx.readings["period_counting"]
    out = []
    if dates.receipt is None:
        out.append(
            Verdict(
                "appeal_filed",
                None,
                "A1-27",
                CANNOT_TELL,
                "appeal_no_receipt",
                {"filed": _d(a.filed)},
                fix="fix_receipt_date",
                interpretations=_COUNT,
            )
        )
    else:
        due = add_days(dates.receipt, 15, reading)
        params = {"receipt": _d(dates.receipt), "due": _d(due), "filed": _d(a.filed)}
        out.append(
            judged(
                "appeal_filed",
                None,
                "A1-27",
                a.filed <= due,
                ("appeal_in_time", "appeal_late"),
                params,
                "fix_appeal_late",
                interpretations=_COUNT,
            )
        )
    # A1-27: 接到书面申诉后……30日内 — from the organ's receipt; without it there is no deadline to state
    if a.received is None:
        out.append(
            Verdict(
                "appeal_decided",
                None,
                "A1-27",
                CANNOT_TELL,
                "appeal_no_organ_receipt",
                {"filed": _d(a.filed), "decided": _d(a.decided)},
                fix="fix_appeal_received",
                interpretations=_COUNT,
            )
        )
    else:
        due = add_days(a.received, 30, reading)
        params = {"received": _d(a.received), "counted_from": _d(a.received), "due": _d(due), "decided": _d(a.decided)}
        out.append(
            _timely(
                "appeal_decided",
                "A1-27",
                a.decided,
                due,
                params,
                ("appeal_pending", "appeal_decided_in_time", "appeal_decided_late"),
                ("fix_appeal_decide", "fix_appeal_decide"),
                interpretations=_COUNT,
            )
        )
    hp = {"handler": a.handler, "original_handler": a.original_handler}
    if not a.handler or not a.original_handler:
        out.append(
            Verdict(
                "appeal_handler",
                None,
                "A1-27",
                CANNOT_TELL,
                "appeal_handler_unknown",
                hp,
                fix="fix_appeal_handler_state",
            )
        )
    elif a.handler.strip() == a.original_handler.strip():
        out.append(
            Verdict("appeal_handler", None, "A1-27", PROBLEM, "appeal_same_handler", hp, fix="fix_appeal_handler")
        )
    else:
        out.append(Verdict("appeal_handler", None, "A1-27", PASS, "appeal_other_handler", hp))
    return out


def _filing(ctx: Context) -> list[Verdict]:
    dates = ctx.decision.dates
    out = []
    persons = [p for p in ctx.parties() if ctx.is_person(p.party)]
    d16 = [p for p in ctx.parties() if any(doc_of(c) == "D16" for c in p.clauses)]
    if persons:
        ranks = {p.party: ctx.rank(p.party, p.event) for p in persons}
        up = sorted(k for k, r in ranks.items() if r in RANKS_FILED_UP)
        params = {"filed": _d(dates.filing), "filed_up": up}
        if dates.filing is None:
            out.append(Verdict("filing", None, "A1-25", CANNOT_TELL, "filing_no_date", params, fix="fix_filing"))
        else:
            out.append(Verdict("filing", None, "A1-25", PASS, "filing_done", params))
    members = [p for p in d16 if ctx.is_person(p.party)]
    if members:
        params = {"filed": _d(dates.filing), "members": sorted(p.party for p in members)}
        ok = dates.filing is not None
        out.append(
            Verdict(
                "filing",
                None,
                "D16-11",
                PASS if ok else CANNOT_TELL,
                "filing_d16_done" if ok else "filing_no_date",
                params,
                fix=None if ok else "fix_filing",
            )
        )
    if d16:
        end = dates.handling_ended or dates.decision
        due = add_days(end, 7, ctx.readings["period_counting"])
        params = {"handling_ended": _d(end), "due": _d(due), "reported": _d(dates.reporting)}
        out.append(
            _timely(
                "reporting",
                "D16-12p1",
                dates.reporting,
                due,
                params,
                ("report_no_date", "report_in_time", "report_late"),
                ("fix_report", "fix_report"),
                interpretations=_COUNT,
            )
        )
    return out


def check_dates(ctx: Context) -> list[Verdict]:
    """Every dated duty of the decision; a year beyond the official calendar's data cannot be told."""
    try:
        return [_service(ctx)] + _appeal(ctx) + _filing(ctx)
    except CalendarGap as gap:
        return [Verdict("service", None, "A1-24", CANNOT_TELL, "calendar_gap", {"year": str(gap)})]
