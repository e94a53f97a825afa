"""决定审查's form, its state: fill in or change a proposed decision field by field, beside the text box of
app_pages/review.py (the widgets are drawn by app_pages/review_form.py).

Every choice is picked from what the scenario and the rules allow (kb/decision_draft.py: its persons and units,
its findings and cases, the clauses valid for the party, the schema's enums). The form's state is its widgets' keys
(rf_…); collect() turns them into a draft, the draft into YAML (through the schema's own order and defaults), and
the YAML is checked by the same loader as a text and reviewed exactly as a text. Problems are shown beside the
field they concern; what was typed stays in the form. A text the form cannot show is still reviewable as text."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, get_args

import streamlit as st

from app_pages.common import digest, drop_keys, evaluation
from explain.catalogue import text
from explain.errors import error_rows
from kb.decision_draft import (
    ORGAN_ROLES,
    PREFIX,
    SCENARIOS,
    blank,
    bundled_scenarios,
    from_decision,
    gaps,
    scenario_name,
    to_yaml,
)
from kb.decision_schema import (
    Aggravating,
    Appeal,
    Circumstance,
    Dates,
    Document,
    Mitigating,
    TeamMeasure,
    load_decision_text,
    load_decision_texts,
)
from kb.interpretations import load_interpretations
from kb.scenario_draft import from_scenario
from kb.scenario_io import ScenarioError, field_name, load_scenario
from kb.schema import Method
from kb.store import Store, StoreError

T = "app_review"
NONE = "—"
LISTS = {  # a party's multiple choices: field → the schema's enum
    "circumstances": list(get_args(Circumstance)),
    "methods": list(get_args(Method)),
    "team_measures": list(get_args(TeamMeasure)),
    "mitigating": list(get_args(Mitigating)),
    "aggravating": list(get_args(Aggravating)),
}

State = MutableMapping[str, Any]


# -- the scenario's data, cached as plain data ------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def scenario_data(name: str) -> dict:
    """A bundled scenario as plain data (kb/scenario_draft.py), for the form's choices."""
    return from_scenario(load_scenario(SCENARIOS / name))


@st.cache_data(show_spinner=False, max_entries=64)
def liable(name: str, readings: tuple[tuple[str, str], ...]) -> list[tuple]:
    """Every liability the engine finds in a bundled scenario under some readings (party, type, clause, event):
    from the app's one cache of evaluations (app_pages/common.py), which the other pages share; kept itself, as
    the form asks for it more than once per rerun and the evaluation's model is copied out of its cache."""
    body = (SCENARIOS / name).read_text(encoding="utf-8")
    return [tuple(r) for r in evaluation(digest(body), body, readings).liabilities()]


@st.cache_data(show_spinner=False, max_entries=64)
def loader_issues(yaml_text: str, name: str) -> list[dict]:
    """The loader's problems with the form's YAML, each with its path (the same checks as a text)."""
    try:
        load_decision_texts(yaml_text, (SCENARIOS / name).read_text(encoding="utf-8"), "form")
    except ScenarioError as err:
        # the line is one of the text the form wrote, not of anything the user sees: the field alone is named
        return [
            {**row, "path": tuple(i.path), "where": text("errors", "location_noline", field=row["field"])}
            for i, row in zip(err.issues, error_rows(err), strict=True)
        ]
    return []


def readings_of(draft: dict) -> tuple[tuple[str, str], ...]:
    """The valid readings a draft adopts, as a cache key (the engine's liabilities depend on them)."""
    interps = load_interpretations()
    chosen = (draft.get("decision") or {}).get("interpretations") or {}
    return tuple(sorted((n, r) for n, r in chosen.items() if n in interps and r in interps[n].readings))


def _gap_rows(found: list) -> list[dict]:
    return [
        {
            "path": path,
            "where": text("errors", "location_noline", field=field_name(path)),
            "what": text(T, key, **params),
            "fix": text(T, f"{key}_fix", **params),
        }
        for path, key, params in found
    ]


def draft_gaps(draft: dict) -> list[dict]:
    """What of a draft the form cannot offer (another scenario, unknown ids, a clause not valid for the party)."""
    name = scenario_name((draft.get("decision") or {}).get("scenario"))
    if name is None:
        return _gap_rows(gaps(draft, None, []))
    return _gap_rows(gaps(draft, scenario_data(name), liable(name, readings_of(draft))))


# -- state: the widgets' keys ↔ a draft --------------------------------------------------------------------------


def seed(draft: dict, state: State | None = None) -> None:
    """Set the form's widgets to a draft (replacing whatever they held)."""
    state = st.session_state if state is None else state
    drop_keys(state, "rf_")
    meta = draft.get("decision") or {}
    state["rf_scenario"] = scenario_name(meta.get("scenario")) or bundled_scenarios()[0]
    for f in ("id", "title", "number"):
        state[f"rf_{f}"] = str(meta.get(f, ""))
    chosen = meta.get("interpretations") or {}
    for name in load_interpretations():
        state[f"rf_interp_{name}"] = chosen.get(name, "")
    parties = draft.get("parties") or [{}]
    state["rfm_rows"] = list(range(len(parties)))
    state["rfm_next"] = len(parties)
    for r, p in enumerate(parties):
        state[f"rf_p{r}_party"] = p.get("party")
        state[f"rf_p{r}_event"] = p.get("event")
        state[f"rf_p{r}_clauses"] = list(p.get("clauses") or [])
        state[f"rf_p{r}_responsibility"] = p.get("responsibility")
        for f in LISTS:
            state[f"rf_p{r}_{f}"] = list(p.get(f) or [])
        disc = p.get("discipline") or {}
        state[f"rf_p{r}_discipline"] = bool(disc)
        state[f"rf_p{r}_discipline_sanction"] = disc.get("sanction", "")
        state[f"rf_p{r}_discipline_by"] = disc.get("by") or NONE
        state[f"rf_p{r}_referral"] = bool(p.get("referral"))
    organs = draft.get("organs") or {}
    for role in ORGAN_ROLES:
        state[f"rf_organs_{role}"] = organs.get(role) or (None if role == "decide" else NONE)
    for f in ("collective", "consent"):
        state[f"rf_organs_{f}"] = bool(organs.get(f))
    for f in Dates.model_fields:
        state[f"rf_dates_{f}"] = str((draft.get("dates") or {}).get(f) or "")
    appeal = draft.get("appeal")
    state["rf_appeal"] = appeal is not None
    for f in Appeal.model_fields:
        state[f"rf_appeal_{f}"] = str((appeal or {}).get(f) or "")
    for f in Document.model_fields:
        state[f"rf_document_{f}"] = str((draft.get("document") or {}).get(f) or "")
    state["rfm_checked"] = False
    state.setdefault("rfs_name", str(meta.get("id", "")))


def _party(state: State, r: int) -> dict:
    by = state.get(f"rf_p{r}_discipline_by")
    return {
        "party": state.get(f"rf_p{r}_party"),
        "event": state.get(f"rf_p{r}_event"),
        "clauses": list(state.get(f"rf_p{r}_clauses") or []),
        "responsibility": state.get(f"rf_p{r}_responsibility"),
        **{f: list(state.get(f"rf_p{r}_{f}") or []) for f in LISTS},
        "discipline": {"sanction": state.get(f"rf_p{r}_discipline_sanction", ""), "by": None if by == NONE else by}
        if state.get(f"rf_p{r}_discipline")
        else None,
        "referral": bool(state.get(f"rf_p{r}_referral")),
    }


def collect(state: State | None = None) -> dict:
    """The draft the form's widgets hold (empty optional fields are left out when it becomes YAML)."""
    state = st.session_state if state is None else state
    organs: dict[str, Any] = {r: state.get(f"rf_organs_{r}") for r in ORGAN_ROLES}
    organs = {r: v for r, v in organs.items() if v and v != NONE}
    return {
        "decision": {
            "id": state.get("rf_id", ""),
            "title": state.get("rf_title", ""),
            "scenario": PREFIX + (state.get("rf_scenario") or bundled_scenarios()[0]),
            "number": state.get("rf_number", ""),
            "interpretations": {n: v for n in load_interpretations() if (v := state.get(f"rf_interp_{n}"))},
        },
        "parties": [_party(state, r) for r in state.get("rfm_rows", [])],
        "organs": {**organs, **{f: bool(state.get(f"rf_organs_{f}")) for f in ("collective", "consent")}},
        "dates": {f: state.get(f"rf_dates_{f}", "").strip() for f in Dates.model_fields},
        "appeal": {f: state.get(f"rf_appeal_{f}", "").strip() for f in Appeal.model_fields}
        if state.get("rf_appeal")
        else None,
        "document": {f: state.get(f"rf_document_{f}", "") for f in Document.model_fields},
    }


def key_of(path: tuple, rows: list[int]) -> str:
    """The widget a problem at a path of the decision belongs beside ("" when no one field holds it)."""
    if len(path) >= 3 and path[0] == "parties" and isinstance(path[1], int) and path[1] < len(rows):
        sub = f"_{path[3]}" if path[2] == "discipline" and len(path) > 3 else ""
        return f"rf_p{rows[path[1]]}_{path[2]}{sub}"
    if len(path) >= 2 and path[0] == "decision":
        return f"rf_interp_{path[2]}" if path[1] == "interpretations" and len(path) > 2 else f"rf_{path[1]}"
    if len(path) >= 2 and path[0] in ("organs", "dates", "appeal", "document"):
        return f"rf_{path[0]}_{path[1]}"
    return ""


def problems(state: State | None = None) -> tuple[str, list[dict]]:
    """The form's YAML and its problems, each with the widget key it is shown beside; what the form cannot offer
    always, the loader's problems once the user asked for a review or a save."""
    state = st.session_state if state is None else state
    draft = collect(state)
    y = to_yaml(draft)
    rows = draft_gaps(draft)
    if state.get("rfm_checked"):
        named = {row["path"] for row in rows}  # an unknown id the form already names is not named twice
        found = loader_issues(y, state.get("rf_scenario") or bundled_scenarios()[0])
        rows += [row for row in found if row["path"] not in named]
    placed = state.get("rfm_rows", [])
    return y, [{**row, "key": key_of(row["path"], placed)} for row in rows]


def fill_from_text(body: str, origin: str) -> bool:
    """Fill the form from a decision text when the form can show it; else say why (the text stays reviewable)."""
    state = st.session_state
    try:
        decision, _ = load_decision_text(body, origin)
    except ScenarioError as err:
        state["rfm_note"] = {"origin": origin, "rows": error_rows(err)}
        return False
    draft = from_decision(decision)
    found = draft_gaps(draft)
    if found:
        state["rfm_note"] = {"origin": origin, "rows": found}
        return False
    seed(draft)
    state["rfs_name"] = decision.decision.id
    state["rfm_note"] = None
    return True


# -- callbacks (run before the page, so the widgets they set are not yet drawn) -----------------------------------


def on_blank() -> None:
    """Start from a blank decision on the scenario the form shows."""
    seed(blank(st.session_state.get("rf_scenario") or bundled_scenarios()[0]))
    st.session_state["rfm_note"] = None


def on_add() -> None:
    """One more party to fill in (rows keep their own keys, so removing one moves no other)."""
    state = st.session_state
    state["rfm_rows"] = [*state.get("rfm_rows", []), state.get("rfm_next", 0)]
    state["rfm_next"] = state.get("rfm_next", 0) + 1


def on_remove(r: int) -> None:
    """Drop one party and its widgets' values."""
    state = st.session_state
    state["rfm_rows"] = [x for x in state.get("rfm_rows", []) if x != r]
    drop_keys(state, f"rf_p{r}_")


def on_review(text_key: str) -> None:
    """Write the form as text and review it as a text, unless it has problems (then they show beside the fields)."""
    state = st.session_state
    state["rfm_checked"] = True
    y, found = problems(state)
    if found:
        state["rfm_msg"] = ("error", "form_has_problems", {"n": len(found)})
        return
    state[text_key] = y  # the form produces the text …
    state["review_edited"] = y  # … which is reviewed exactly as a text
    state["review_edited_form"] = True
    state["rfm_msg"] = ("success", "form_reviewed", {})


def on_save() -> None:
    """Save the form's text as a new version of the name given (kb/store.py)."""
    state = st.session_state
    state["rfm_checked"] = True
    name = str(state.get("rfs_name", "")).strip()
    try:
        v = Store().save("decision", name, to_yaml(collect(state)))
        state["rfm_msg"] = ("success", "saved", {"name": name, "version": v.version})
    except (StoreError, OSError) as exc:
        state["rfm_msg"] = ("error", "save_failed", {"detail": str(exc)})
