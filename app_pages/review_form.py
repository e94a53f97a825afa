"""决定审查's form, drawn: one widget per field of the decision schema a reviewer needs, each choice offered from
what the scenario and the rules allow, and each problem shown beside the field it concerns (the state, checks and
callbacks are in app_pages/review_state.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import streamlit as st

from app_pages.common import citation, lang, md, pick, t
from app_pages.review_state import (
    LISTS,
    NONE,
    T,
    collect,
    liable,
    on_add,
    on_blank,
    on_remove,
    on_review,
    on_save,
    problems,
    readings_of,
    scenario_data,
    seed,
)
from explain.catalogue import text
from kb.decision_draft import ORGAN_ROLES, blank, bundled_scenarios, clause_options, matter_ids, party_ids, unit_ids
from kb.decision_schema import Appeal, Dates, Document, Responsibility
from kb.interpretations import load_interpretations
from kb.registry import load_registry
from kb.schema import Method

LONG = ("basic_facts", "facts", "basis", "methods")  # document fields written at length
METHODS = list(get_args(Method))


def _t(key: str, **params: Any) -> str:
    return t(key, section=T, **params)


def row_text(row: dict) -> str:
    """One problem: where, what, and the fix (the user's words escaped)."""
    return f"{md(pick(row['where']))}: {md(pick(row['what']))} — **{_t('fix')}**: {md(pick(row['fix']))}"


def _errs(key: str, by_key: dict[str, list[dict]]) -> None:
    """The problems of one field, right below it."""
    for row in by_key.get(key, []):
        st.error(row_text(row), icon="⚠️")


def _shown(options: list[str], label: Callable[[str], str]) -> Callable[[str], str]:
    """A format function fixed when the widget is drawn (the labels of this run's language, computed once)."""
    labels = {o: label(o) for o in options}
    return lambda o: labels.get(o, o)


def _options(valid: list[str], *current: Any) -> list[str]:
    """The valid choices, and any value held that is no longer valid (kept, and named as a problem beside)."""
    held = [x for c in current for x in (c if isinstance(c, list) else [c]) if x is not None]
    return list(dict.fromkeys([*valid, *held]))


# -- how choices read --------------------------------------------------------------------------------------------


def clause_label(clause: str) -> str:
    """A clause id with its citation and, in English, its gloss (the registry's own wording)."""
    reg = load_registry()
    if clause not in reg:
        return clause
    unit = reg.get(clause)
    gloss = unit.label_en.split(" — ", 1)[-1] if lang() == "en" else unit.text[:40]
    return f"{clause} · {citation(clause)} · {gloss}"


def value_label(field: str) -> Callable[[str], str]:
    """How a value of the schema's enums reads: the term the decision writes, and in English its gloss."""

    def label(value: str) -> str:
        if field in ("mitigating", "aggravating"):
            return clause_label(value)
        if lang() != "en":
            return value
        if field == "responsibility":
            return f"{value} · {text('responsibility', value)['en']}"
        if field == "methods" and value in METHODS:
            return f"{value} · {load_registry().get(f'A1-13.{METHODS.index(value) + 1}').label_en.split(' — ')[-1]}"
        return f"{value} · {_t('v_' + value)}"

    return label


def _names(scen: dict) -> Callable[[str], str]:
    names = {x["id"]: x.get("name") for x in [*scen.get("persons", []), *scen.get("units", [])]}
    return lambda i: i if i == NONE or not names.get(i) or names[i] == i else f"{i}（{names[i]}）"


def _event_label(scen: dict) -> Callable[[str], str]:
    events = {e["id"]: e for e in scen.get("events", [])}
    return lambda i: f"{i} · {events[i].get('date', '')} · {_t('ev_' + events[i]['type'])}" if i in events else i


# -- sections ----------------------------------------------------------------------------------------------------


def _one(label: str, options: list[str], key: str, fmt: Callable[[str], str], by_key: dict, required: bool) -> None:
    """A single choice and, right below it, its problems; a required one starts unchosen."""
    kw: dict[str, Any] = {"index": None, "placeholder": _t("f_choose")} if required else {}
    st.selectbox(label, options, key=key, format_func=_shown(options, fmt), **kw)
    _errs(key, by_key)


def _many(label: str, options: list[str], key: str, fmt: Callable[[str], str], by_key: dict, **kw: Any) -> None:
    """A multiple choice and, right below it, its problems."""
    st.multiselect(label, options, key=key, format_func=_shown(options, fmt), placeholder=_t("f_choose"), **kw)
    _errs(key, by_key)


def _party(i: int, r: int, scen: dict, liab: list[tuple], by_key: dict) -> None:
    state = st.session_state
    p = f"rf_p{r}_"
    head, gone = st.columns([5, 1])
    head.markdown(f"**{_t('f_party_n', n=i + 1)}**")
    single = len(state.get("rfm_rows", [])) < 2
    gone.button(_t("f_remove_party"), key=f"rfb_remove_{r}", on_click=on_remove, args=(r,), disabled=single)
    names = _names(scen)
    c1, c2 = st.columns(2)
    with c1:
        _one(_t("f_party"), _options(party_ids(scen), state.get(p + "party")), p + "party", names, by_key, True)
    with c2:
        events = _options(matter_ids(scen), state.get(p + "event"))
        _one(_t("f_event"), events, p + "event", _event_label(scen), by_key, True)
    valid = clause_options(scen, state.get(p + "party"), state.get(p + "event"), liab)
    clauses = _options(valid, state.get(p + "clauses"))
    _many(_t("f_clauses"), clauses, p + "clauses", clause_label, by_key, help=_t("f_clauses_help"))
    st.caption(_t("f_clauses_offered", n=len(valid)))
    c1, c2 = st.columns(2)
    with c1:
        types = list(get_args(Responsibility))
        _one(_t("f_responsibility"), types, p + "responsibility", value_label("responsibility"), by_key, True)
    for col, field in zip((c2, c1, c2, c1, c2), LISTS, strict=True):
        with col:
            _many(_t(f"f_{field}"), LISTS[field], p + field, value_label(field), by_key)
    c1, c2, c3 = st.columns([1, 2, 2])
    c1.checkbox(_t("f_referral"), key=p + "referral")
    if c1.checkbox(_t("f_discipline"), key=p + "discipline"):
        with c2:
            st.text_input(_t("f_discipline_sanction"), key=p + "discipline_sanction")
            _errs(p + "discipline_sanction", by_key)
        with c3:
            units = _options([NONE, *unit_ids(scen)], state.get(p + "discipline_by"))
            _one(_t("f_discipline_by"), units, p + "discipline_by", names, by_key, False)
    _errs(p + "discipline", by_key)


def _organs(scen: dict, by_key: dict) -> None:
    state = st.session_state
    st.markdown(f"#### {_t('f_organs')}")
    for col, role in zip(st.columns(len(ORGAN_ROLES)), ORGAN_ROLES, strict=True):
        key, required = f"rf_organs_{role}", role == "decide"
        units = _options(unit_ids(scen) if required else [NONE, *unit_ids(scen)], state.get(key))
        with col:
            _one(_t(f"f_organs_{role}"), units, key, _names(scen), by_key, required)
    c1, c2 = st.columns(2)
    c1.checkbox(_t("f_organs_collective"), key="rf_organs_collective")
    c2.checkbox(_t("f_organs_consent"), key="rf_organs_consent")


def _dates(by_key: dict) -> None:
    st.markdown(f"#### {_t('f_dates')}")
    fields = list(Dates.model_fields)
    for start in range(0, len(fields), 4):
        for col, f in zip(st.columns(4), fields[start : start + 4], strict=False):
            with col:
                st.text_input(_t(f"f_dates_{f}"), key=f"rf_dates_{f}", placeholder="YYYY-MM-DD", help=_t("f_date_help"))
                _errs(f"rf_dates_{f}", by_key)


def _appeal(by_key: dict) -> None:
    if not st.checkbox(_t("f_appeal"), key="rf_appeal"):
        return
    cols = st.columns(len(Appeal.model_fields))
    for col, f in zip(cols, Appeal.model_fields, strict=True):
        with col:
            hint = "YYYY-MM-DD" if f in ("filed", "received", "decided") else ""
            st.text_input(_t(f"f_appeal_{f}"), key=f"rf_appeal_{f}", placeholder=hint)
            _errs(f"rf_appeal_{f}", by_key)


def _document(by_key: dict) -> None:
    open_ = any(k.startswith("rf_document_") for k in by_key)
    with st.expander(_t("f_document"), expanded=open_):
        for f in Document.model_fields:
            widget = st.text_area if f in LONG else st.text_input
            widget(_t(f"f_document_{f}"), key=f"rf_document_{f}")
            _errs(f"rf_document_{f}", by_key)


def _interpretations(by_key: dict) -> None:
    open_ = any(k.startswith("rf_interp_") for k in by_key)
    with st.expander(_t("f_interpretations"), expanded=open_):
        st.caption(_t("f_interpretations_help"))
        for name, it in load_interpretations().items():
            key = f"rf_interp_{name}"
            default = pick(it.readings[it.default])
            words = {"": _t("f_reading_default", reading=default), **{r: pick(w) for r, w in it.readings.items()}}
            choices = _options(list(words), st.session_state.get(key))
            help_ = pick({"zh": it.zh, "en": it.en})
            st.selectbox(
                name, choices, key=key, format_func=_shown(choices, lambda r, w=words: w.get(r, r)), help=help_
            )
            _errs(key, by_key)


def render(text_key: str) -> None:
    """The form, its problems beside each field, and the buttons to review it (through the text) and to save it."""
    state = st.session_state
    if "rf_scenario" not in state:  # the widgets were dropped (another page was open): the last draft comes back
        seed(state.get("rfm_draft") or blank(bundled_scenarios()[0]))
    note = state.get("rfm_note")
    if note:
        st.warning(_t("form_cannot", origin=md(note["origin"])))
        for row in note["rows"]:
            st.markdown(f"- {row_text(row)}")
    st.caption(_t("form_intro"))
    _, found = problems(state)
    by_key: dict[str, list[dict]] = {}
    for row in found:
        by_key.setdefault(row["key"] if row["key"] in state else "", []).append(row)
    _errs("", by_key)
    c1, c2 = st.columns([3, 1])
    c1.selectbox(_t("f_scenario"), bundled_scenarios(), key="rf_scenario")
    c2.button(_t("f_blank"), key="rfb_blank", on_click=on_blank)
    name = state["rf_scenario"]
    scen, liab = scenario_data(name), liable(name, readings_of(collect(state)))
    c1, c2, c3 = st.columns([1, 2, 1])
    for col, f in zip((c1, c2, c3), ("id", "title", "number"), strict=True):
        with col:
            st.text_input(_t(f"f_{f}"), key=f"rf_{f}")
            _errs(f"rf_{f}", by_key)
    st.markdown(f"#### {_t('f_parties')}")
    for i, r in enumerate(state.get("rfm_rows", [])):
        with st.container(border=True):
            _party(i, r, scen, liab, by_key)
    st.button(_t("f_add_party"), key="rfb_add", on_click=on_add)
    _organs(scen, by_key)
    _dates(by_key)
    _appeal(by_key)
    _document(by_key)
    _interpretations(by_key)
    c1, c2, c3 = st.columns([1, 2, 2])
    c1.button(_t("f_review"), key="rfb_review", on_click=on_review, args=(text_key,), type="primary")
    c2.text_input(_t("save_name"), key="rfs_name", label_visibility="collapsed", placeholder=_t("save_name"))
    c3.button(_t("f_save"), key="rfb_save", on_click=on_save)
    kind, key, params = state.pop("rfm_msg", None) or (None, "", {})
    if kind:
        (st.success if kind == "success" else st.error)(_t(key, **{k: md(v) for k, v in params.items()}))
    state["rfm_draft"] = collect(state)
