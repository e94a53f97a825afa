"""Dates as sources give them: a day (2015-10-08), a month (2015-10) or a year (2015).

A month or a year counts as its first day for ordering and for resolving who held a post; every deadline
computed from such a date is flagged as approximate (the convention is stated in every report). Anything else
that YAML or JSON could turn into a date — a timestamp, an integer of seconds, a day that does not exist — is
rejected with the form to use.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

PRECISIONS = ("day", "month", "year")
_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)
YEARS = (1949, 2100)  # a bare integer is read as a year only in this range (never as seconds since 1970)


class PartialDate(dt.date):
    """A date known only to the month or the year; it stands for its first day."""

    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "day") -> PartialDate:
        obj = super().__new__(cls, year, month, day)
        obj.precision = precision
        return obj

    def __reduce__(self):
        return (PartialDate, (self.year, self.month, self.day, self.precision))

    def label(self) -> str:
        """The date as the source gave it."""
        return {"month": f"{self.year:04d}-{self.month:02d}", "year": f"{self.year:04d}"}.get(
            self.precision, self.isoformat()
        )


def precision(value: dt.date) -> str:
    """day, month or year."""
    return getattr(value, "precision", "day")


def approximate(value: dt.date | None) -> bool:
    """Whether a date is known only to the month or the year."""
    return value is not None and precision(value) != "day"


def show(value: dt.date) -> str:
    """The date as given (2015-10 for a month), for output."""
    return value.label() if isinstance(value, PartialDate) else value.isoformat()


def _bad(value: Any) -> PydanticCustomError:
    """The schema's date error (its type starts with "date", so the loader words it as a bad date)."""
    return PydanticCustomError("date_form", "not a date: {value}", {"value": str(value)})


def parse_date(value: Any) -> dt.date:
    """YYYY-MM-DD, YYYY-MM or YYYY (string, YAML date, or an integer year); anything else is an error."""
    if isinstance(value, dt.datetime):
        raise _bad(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _bad(value)
    if isinstance(value, int):
        if YEARS[0] <= value <= YEARS[1]:
            return PartialDate(value, precision="year")
        raise _bad(value)
    if isinstance(value, str):
        return _parse_text(value)
    raise _bad(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> dt.date:
    """A date written as text (cached: a scenario repeats its dates; the dates returned are never changed)."""
    text = value.strip()
    for pattern, kind in _FORMS:
        m = pattern.match(text)
        if not m:
            continue
        parts = [int(g) for g in m.groups()]
        try:
            if kind == "day":
                return dt.date(*parts)
            return PartialDate(*parts, precision=kind)
        except ValueError as exc:
            raise _bad(text) from exc
    raise _bad(value)


Date = Annotated[
    dt.date,
    PlainValidator(parse_date),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "examples": ["2015-10-08", "2015-10", "2015"]}
    ),
]
