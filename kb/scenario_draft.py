"""A scenario being built in the editor, as plain data (dicts, ISO dates as strings): a blank template, a draft
from a valid scenario, and the YAML text it becomes. The YAML is then read back through kb/scenario_io like any
file, so the editor's output is validated by the same checks as a file a user writes."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, get_args

from ruamel.yaml import YAML

from kb.dates import show
from kb.schema import OptionalDate, Scenario

ORDER = ("scenario", "units", "persons", "events")
# fields written as YAML dates: the schema's own list of an accountability record's dates, and the others
DATE_FIELDS = {"as_of", "from", "to", "date", *get_args(OptionalDate)}


def blank(today: dt.date | None = None) -> dict[str, Any]:
    """An empty scenario: its meta data and one top-level area, so that units can be hung below it."""
    day = (today or dt.date(2016, 12, 31)).isoformat()
    return {
        "scenario": {"id": "new-scenario", "title": "新情景", "as_of": day},
        "units": [{"id": "连云港市", "kind": "地区"}],
        "persons": [],
        "events": [],
    }


def from_scenario(s: Scenario) -> dict[str, Any]:
    """The draft of a validated scenario (defaults left out, so the YAML stays as short as a hand-written one)."""
    data = _plain_dates(s.model_dump(mode="python", by_alias=True, exclude_none=True, exclude_defaults=True))
    data.pop("expected", None)
    for key in ORDER[1:]:
        data.setdefault(key, [])
    return data


def _plain_dates(value: Any) -> Any:
    """Dates as the source gave them (2015-10-08, 2015-10 or 2015), everything else as it is."""
    if isinstance(value, dict):
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    if isinstance(value, dt.date):
        return show(value)
    return value


def _dates(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if key in DATE_FIELDS and isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)  # a day is written as a YAML date; a month or year stays text
        except ValueError:
            return value
    return value


def to_yaml(draft: dict[str, Any]) -> str:
    """The draft as scenario YAML (dates unquoted, Chinese as written, sections in the usual order)."""
    data = {k: _dates(draft[k]) for k in ORDER if k in draft and (draft[k] or k in ("scenario", "units"))}
    return yaml_text(data)


def yaml_text(data: Any) -> str:
    """Plain data as block YAML, keys in the order given, Chinese as written, no line folding (the drafts of
    the scenario and decision forms)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
