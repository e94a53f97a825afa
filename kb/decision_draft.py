"""A proposed decision being filled in through the reviewer's form, as plain data (dicts, dates as text): a blank
one, the draft of a validated decision, the YAML text a draft becomes, and what the form can offer or show.

The YAML is read back through kb/decision_schema like any decision file, so the form's output is validated by the
same loader as a text a user writes. What the form offers is what the scenario and the rules allow: the parties are
the scenario's persons and units, the events its findings and cases, the clauses those the element picker
(kb/picker.py) allows for the party — or for a unit the party then sat on — and those the engine finds the party
liable under for that event; a decision outside that (another scenario, an unknown id) stays reviewable as text."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kb.decision_schema import MATTERS, ORGAN_ROLES, Decision
from kb.interpretations import load_interpretations
from kb.picker import items_for_case, items_for_finding, positions_on
from kb.scenario_draft import yaml_text

DECISIONS = Path(__file__).parent / "decisions"
SCENARIOS = Path(__file__).parent / "scenarios"
PREFIX = "../scenarios/"  # how a bundled decision names its scenario (relative to kb/decisions)

Gap = tuple[tuple, str, dict]  # (path in the decision, catalogue key of app_review, parameters)


def bundled_scenarios() -> list[str]:
    """The bundled scenarios a form may pick (file names under kb/scenarios)."""
    return sorted(p.name for p in SCENARIOS.glob("*.yaml"))


def scenario_name(path: str | None) -> str | None:
    """The bundled scenario a decision's scenario path names (relative to kb/decisions), else None."""
    if not path:
        return None
    target = (DECISIONS / path).resolve()
    return target.name if target.parent == SCENARIOS.resolve() and target.name in bundled_scenarios() else None


def blank(scenario: str) -> dict[str, Any]:
    """An empty decision on a bundled scenario: one party to fill in, nothing chosen yet."""
    return {
        "decision": {"id": "new-decision", "title": "", "scenario": PREFIX + scenario},
        "parties": [{"clauses": []}],
        "organs": {},
        "dates": {},
    }


def from_decision(d: Decision) -> dict[str, Any]:
    """The draft of a validated decision (defaults left out, dates as YYYY-MM-DD)."""
    return d.model_dump(mode="json", exclude_defaults=True, exclude_none=True)


def _models(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (Appeal | None, list[PartyDecision]), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _models(arg)
        if found is not None:
            return found
    return None


def _is_date(annotation: Any) -> bool:
    return annotation is dt.date or dt.date in typing.get_args(annotation)


def _as_date(value: Any) -> Any:
    """A YYYY-MM-DD text as a date (written unquoted); anything else as typed, for the loader to name."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _clean(value: dict, model: type[BaseModel]) -> dict:
    """The fields of a draft section in the schema's order, optional fields left out when empty."""
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in value:
            continue
        v = value[name]
        sub = _models(field.annotation)
        if sub is not None and isinstance(v, dict):
            v = _clean(v, sub) if v or field.is_required() else None
        elif sub is not None and isinstance(v, list):
            v = [_clean(x, sub) if isinstance(x, dict) else x for x in v]
        elif _is_date(field.annotation):
            v = _as_date(v)
        if v is None or (not field.is_required() and (v in ("", False) or v == [] or v == {})):
            continue
        out[name] = v
    return out


def to_yaml(draft: dict[str, Any]) -> str:
    """The draft as decision YAML in the schema's order (dates unquoted, Chinese as written)."""
    return yaml_text(_clean(draft, Decision))


# -- what the form offers ------------------------------------------------------------------------------------------


def party_ids(scenario: dict) -> list[str]:
    """The persons, then the units, of a scenario (plain data): who a decision may hold accountable."""
    return [p["id"] for p in scenario.get("persons", [])] + [u["id"] for u in scenario.get("units", [])]


def unit_ids(scenario: dict) -> list[str]:
    """The units of a scenario: the organs that may start, investigate, approve or decide."""
    return [u["id"] for u in scenario.get("units", [])]


def matter_ids(scenario: dict) -> list[str]:
    """The findings and cases of a scenario: the events a decision may concern."""
    return [e["id"] for e in scenario.get("events", []) if e.get("type") in MATTERS]


def clause_options(scenario: dict, party: str | None, event: str | None, liable: list[tuple]) -> list[str]:
    """The situation clauses a decision may rely on for this party and event: the items the picker allows for the
    party (or for a unit it sat on at the time), D16-8 for a case, and those the engine finds it liable under."""
    ev = next((e for e in scenario.get("events", []) if e.get("id") == event and e.get("type") in MATTERS), None)
    if not party or ev is None:
        return []
    if ev["type"] == "case":
        items = [i.id for i in items_for_case()]
    else:
        items = [i.id for i in items_for_finding(scenario, party, ev.get("date"))]
        person = next((p for p in scenario.get("persons", []) if p.get("id") == party), {})
        for pos in positions_on(person, ev.get("date")):
            items += [i.id for i in items_for_finding(scenario, pos.get("unit", ""), ev.get("date"))]
    items += [r[2] for r in liable if r[0] == party and r[3] == event]
    return list(dict.fromkeys(items))


def gaps(draft: dict[str, Any], scenario: dict | None, liable: list[tuple]) -> list[Gap]:
    """What of a draft the form cannot offer: another scenario, an unknown reading, party, event, clause or organ.
    A draft with gaps is still a decision the loader and the reviewer read as text."""
    meta = draft.get("decision") or {}
    if scenario is None:
        return [(("decision", "scenario"), "gap_scenario", {"value": meta.get("scenario", "")})]
    out: list[Gap] = []
    interps = load_interpretations()
    for name, reading in (meta.get("interpretations") or {}).items():
        if name not in interps or reading not in interps[name].readings:
            out.append((("decision", "interpretations", name), "gap_reading", {"value": f"{name}: {reading}"}))
    parties, units, matters = party_ids(scenario), unit_ids(scenario), matter_ids(scenario)
    for i, p in enumerate(draft.get("parties") or []):
        if p.get("party") and p["party"] not in parties:
            out.append((("parties", i, "party"), "gap_party", {"value": p["party"]}))
        if p.get("event") and p["event"] not in matters:
            out.append((("parties", i, "event"), "gap_event", {"value": p["event"]}))
        allowed = clause_options(scenario, p.get("party"), p.get("event"), liable)
        for k, c in enumerate(p.get("clauses") or []):
            if p.get("party") in parties and p.get("event") in matters and c not in allowed:
                out.append((("parties", i, "clauses", k), "gap_clause", {"value": c, "party": p["party"]}))
        by = (p.get("discipline") or {}).get("by")
        if by and by not in units:
            out.append((("parties", i, "discipline", "by"), "gap_organ", {"value": by}))
    for role in ORGAN_ROLES:
        organ = (draft.get("organs") or {}).get(role)
        if organ and organ not in units:
            out.append((("organs", role), "gap_organ", {"value": organ}))
    return out
