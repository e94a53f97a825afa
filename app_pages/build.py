"""编辑情景 / Build a scenario: forms for the scenario, its units, persons with their posts, and events. The element
picker offers only the elements valid for the chosen subject (kb/picker.py), each item's verbatim text beside it.
The draft is plain data in the session; its YAML is validated by the same checks as a file. Upload / download YAML,
start from a sample or a blank template, save to the work store (every save a version) and reload any version."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import SAMPLES, digest, drop_keys, evaluation, md, set_scenario
from explain.catalogue import fill
from explain.errors import error_rows
from kb.picker import items_for_case, items_for_finding, misplaced
from kb.registry import load_registry
from kb.scenario_draft import blank, from_scenario, to_yaml
from kb.scenario_io import Issue, ScenarioError, load_scenario_text
from kb.schema import BODY_KINDS, Flag, Method, Role, Severity, UnitKind
from kb.store import Store, StoreError
from kb.vocabulary import load_vocabulary

NONE = "—"
KINDS = list(UnitKind.__args__)
ROLES = list(Role.__args__)
SEVERITIES = [NONE, *Severity.__args__]
FLAGS = list(Flag.__args__)
METHODS = list(Method.__args__)

lang = st.session_state.get("lang", "zh")
ss = st.session_state


def t(key: str, *args, **params) -> str:
    """This page's wording in the chosen language."""
    return fill("pages_build", key, lang, *args, **params)


def issue_text(issue: Issue) -> str:
    """One problem of the draft: where, what, and the fix (explain/errors.error_rows), in the chosen language."""
    row = error_rows(ScenarioError("draft", [issue]))[0]
    return f"{row['where'][lang]}: {row['what'][lang]}. {fill('errors', 'fix', lang)}: {row['fix'][lang]}"


def draft() -> dict:
    if "build_draft" not in ss:
        ss["build_draft"] = blank()
    return ss["build_draft"]


def set_draft(new: dict, origin: str) -> None:
    ss["build_draft"] = new
    ss["build_origin"] = origin
    drop_keys(ss, "meta_")


def check(d: dict) -> tuple[str, list[Issue]]:
    """The draft's YAML and its problems (empty when it can be evaluated)."""
    y = to_yaml(d)
    try:
        load_scenario_text(y, "draft.yaml")
        return y, []
    except ScenarioError as err:
        return y, err.issues


def show_issues(issues: list[Issue], section: str) -> None:
    """The problems of one section, shown where that section is edited."""
    for issue in issues:
        if issue.path and issue.path[0] == section:
            st.error(md(issue_text(issue)), icon="⚠️")


def ids(d: dict, section: str) -> list[str]:
    return [x.get("id", "") for x in d.get(section, [])]


def field_error(msg_key: str, **params) -> None:
    st.error(md(t(msg_key, **params)), icon="⚠️")


# ---------------------------------------------------------------------------------------------------- start


def start_section() -> None:
    st.markdown(f"### {t('start')}")
    samples = sorted(p.name for p in SAMPLES.glob("*.yaml"))
    c1, c2 = st.columns([3, 1])
    choice = c1.selectbox(
        t("start_from"),
        [NONE, *samples],
        key="build_start",
        format_func=lambda x: t("blank_template") if x == NONE else x,
    )
    if c2.button(t("load"), key="build_load"):
        if choice == NONE:
            set_draft(blank(), "blank")
        else:
            scenario, _ = load_scenario_text((SAMPLES / choice).read_text(encoding="utf-8"), choice)
            set_draft(from_scenario(scenario), choice)
        ss.pop("build_yaml_errors", None)
    up = st.file_uploader(t("upload"), type=["yaml", "yml"], key="build_upload")
    if up is not None and ss.get("build_upload_seen") != up.file_id:
        ss["build_upload_seen"] = up.file_id
        load_yaml_text(up.getvalue().decode("utf-8", errors="replace"), up.name)


def load_yaml_text(body: str, name: str) -> None:
    """Take YAML from an upload or the text box: a valid file becomes the draft; an invalid one is kept as typed,
    with all its problems and their lines shown beside it."""
    ss["build_yaml_text"] = body
    try:
        scenario, _ = load_scenario_text(body, name)
    except ScenarioError as err:
        ss["build_yaml_errors"] = err.issues
        return
    ss.pop("build_yaml_errors", None)
    ss.pop("build_yaml_text", None)  # the text box follows the new draft again
    set_draft(from_scenario(scenario), name)


def yaml_section(y: str) -> None:
    st.markdown(f"### {t('yaml')}")
    errors = ss.get("build_yaml_errors")
    if errors:
        st.error(t("yaml_has_errors", n=len(errors)))
        body = ss.get("build_yaml_text", "")
        lines = body.split("\n")
        bad = {i.line for i in errors if i.line}
        c1, c2 = st.columns(2)
        with c1:
            numbered = "\n".join(f"{'▶' if n in bad else ' '}{n:4d}  {line}" for n, line in enumerate(lines, 1))
            st.code(numbered, language=None)
        with c2:
            for issue in errors:
                st.error(md(issue_text(issue)), icon="⚠️")
    with st.expander(t("edit_yaml"), expanded=bool(errors)):
        # follow the forms until the user edits the text; then keep what was typed
        if ss.get("build_yaml_text") in (None, ss.get("build_yaml_synced")) and not errors:
            ss["build_yaml_text"] = y
            ss["build_yaml_synced"] = y
        st.text_area(t("yaml_text"), key="build_yaml_text", height=300)
        st.button(
            t("apply_yaml"),
            key="build_apply_yaml",
            on_click=lambda: load_yaml_text(ss["build_yaml_text"], "draft.yaml"),
        )
    if not errors:
        st.code(y, language="yaml")


# ---------------------------------------------------------------------------------------------------- meta


def meta_section(d: dict, issues: list[Issue]) -> None:
    st.markdown(f"### {t('meta')}")
    m = d["scenario"]
    c1, c2, c3 = st.columns([1, 2, 1])
    m["id"] = c1.text_input(t("scenario_id"), value=m.get("id", ""), key="meta_id")
    m["title"] = c2.text_input(t("scenario_title"), value=m.get("title", ""), key="meta_title")
    as_of = c3.date_input(
        t("as_of"),
        value=dt.date.fromisoformat(m.get("as_of", "2016-12-31")),
        key="meta_as_of",
        min_value=dt.date(1949, 10, 1),
        max_value=dt.date(2100, 12, 31),
    )
    m["as_of"] = as_of.isoformat()
    desc = st.text_input(t("description"), value=m.get("description", ""), key="meta_description")
    if desc:
        m["description"] = desc
    else:
        m.pop("description", None)
    show_issues(issues, "scenario")


# ---------------------------------------------------------------------------------------------------- units


def units_section(d: dict, issues: list[Issue]) -> None:
    st.markdown(f"### {t('units')}")
    if d["units"]:
        st.dataframe(
            [
                {
                    t("col_id"): u["id"],
                    t("col_name"): u.get("name", ""),
                    t("col_kind"): u["kind"],
                    t("col_parent"): u.get("parent") or u.get("answers_for") or "",
                }
                for u in d["units"]
            ],
            hide_index=True,
            width="stretch",
        )
    show_issues(issues, "units")
    with st.container(border=True):
        st.markdown(f"**{t('add_unit')}**")
        c1, c2, c3 = st.columns(3)
        uid = c1.text_input(t("unit_id"), key="unit_id").strip()
        name = c2.text_input(t("unit_name"), key="unit_name").strip()
        kind = c3.selectbox(t("unit_kind"), KINDS, key="unit_kind")
        areas = [u["id"] for u in d["units"] if u["kind"] not in BODY_KINDS]
        if kind in BODY_KINDS:
            above = st.selectbox(t("answers_for"), areas, key="unit_answers_for", help=t("answers_for_help"))
        else:
            above = st.selectbox(t("parent"), [NONE, *areas], key="unit_parent")
        if st.button(t("add"), key="unit_add"):
            if not uid:
                field_error("need_id", field=t("unit_id"))
            elif uid in ids(d, "units") or uid in ids(d, "persons"):
                field_error("duplicate", id=uid, field=t("unit_id"))
            elif kind in BODY_KINDS and not above:
                field_error("need_answers_for", field=t("answers_for"))
            else:
                unit = {"id": uid, "kind": kind}
                if name:
                    unit["name"] = name
                if kind in BODY_KINDS:
                    unit["answers_for"] = above
                elif above and above != NONE:
                    unit["parent"] = above
                d["units"].append(unit)
                st.rerun()
    remove(d, "units", "unit_remove")


def remove(d: dict, section: str, key: str) -> None:
    if not d[section]:
        return
    c1, c2 = st.columns([3, 1])
    gone = c1.multiselect(t("remove_which"), ids(d, section), key=f"{key}_which")
    if c2.button(t("remove"), key=key, disabled=not gone):
        d[section] = [x for x in d[section] if x.get("id") not in gone]
        st.rerun()


# ---------------------------------------------------------------------------------------------------- persons


def persons_section(d: dict, issues: list[Issue]) -> None:
    st.markdown(f"### {t('persons')}")
    rows = []
    for p in d["persons"]:
        for pos in p.get("positions") or [{}]:
            rows.append(
                {
                    t("col_id"): p["id"],
                    t("col_name"): p.get("name", ""),
                    t("col_unit"): pos.get("unit", ""),
                    t("col_role"): pos.get("role", ""),
                    t("col_title"): pos.get("title", ""),
                    t("col_from"): pos.get("from", ""),
                    t("col_to"): pos.get("to", ""),
                }
            )
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    show_issues(issues, "persons")
    c_add, c_pos = st.columns(2)
    with c_add.container(border=True):
        st.markdown(f"**{t('add_person')}**")
        pid = st.text_input(t("person_id"), key="person_id").strip()
        pname = st.text_input(t("person_name"), key="person_name").strip()
        if st.button(t("add"), key="person_add"):
            if not pid:
                field_error("need_id", field=t("person_id"))
            elif pid in ids(d, "persons") or pid in ids(d, "units"):
                field_error("duplicate", id=pid, field=t("person_id"))
            else:
                d["persons"].append({"id": pid, **({"name": pname} if pname else {}), "positions": []})
                st.rerun()
    with c_pos.container(border=True):
        st.markdown(f"**{t('add_position')}**")
        who = st.selectbox(t("position_person"), ids(d, "persons"), key="pos_person")
        unit = st.selectbox(t("position_unit"), ids(d, "units"), key="pos_unit")
        role = st.selectbox(t("position_role"), ROLES, key="pos_role")
        title = st.text_input(t("position_title"), key="pos_title").strip()
        start = st.date_input(
            t("position_from"),
            value=dt.date(2013, 1, 1),
            key="pos_from",
            min_value=dt.date(1949, 10, 1),
            max_value=dt.date(2100, 12, 31),
        )
        ended = st.checkbox(t("position_ended"), key="pos_ended")
        end = st.date_input(
            t("position_to"),
            value=dt.date(2016, 1, 1),
            key="pos_to",
            disabled=not ended,
            min_value=dt.date(1949, 10, 1),
            max_value=dt.date(2100, 12, 31),
        )
        if st.button(t("add"), key="pos_add"):
            if not who or not unit:
                field_error("need_person_unit")
            elif ended and end < start:
                field_error("to_before_from", field=t("position_to"))
            else:
                pos = {"unit": unit, "role": role, "from": start.isoformat()}
                if title:
                    pos["title"] = title
                if ended:
                    pos["to"] = end.isoformat()
                next(p for p in d["persons"] if p["id"] == who).setdefault("positions", []).append(pos)
                st.rerun()
    remove(d, "persons", "person_remove")


# ---------------------------------------------------------------------------------------------------- events


def item_label(item_id: str) -> str:
    reg = load_registry()
    vocab = load_vocabulary()
    u = reg.get(item_id)
    extra = vocab.items[item_id].title_en if lang == "en" else u.citation
    return f"{item_id} · {extra}"


def element_picker(d: dict, kind: str, subject: str, day: dt.date) -> None:
    """Choose elements item by item: only the items valid for the subject, the item's verbatim text at hand."""
    vocab = load_vocabulary()
    items = items_for_case() if kind == "case" else items_for_finding(d, subject, day)
    chosen: list[str] = ss.setdefault("ev_elements", [])
    if not items:
        st.warning(md(t("no_items", subject=subject or NONE)))
        return
    st.caption(t("items_offered", n=len(items)))
    item_id = st.selectbox(t("item"), [i.id for i in items], format_func=item_label, key="ev_item")
    st.markdown(f"> {load_registry().get(item_id).text}")
    els = vocab.items[item_id].elements()
    picked = st.multiselect(
        t("elements"),
        [e.id for e in els],
        key="ev_item_elements",
        format_func=lambda e: f"{e} · {vocab.elements[e].zh if lang == 'zh' else vocab.elements[e].en}",
    )
    if st.button(t("add_elements"), key="ev_add_elements", disabled=not picked):
        for e in picked:
            if e not in chosen:
                chosen.append(e)
    allowed = {i.id for i in items}
    stale = [e for e in chosen if vocab.elements[e].item not in allowed]
    if stale:
        st.error(md(t("elements_not_for_subject", ids="、".join(stale))), icon="⚠️")
    if chosen:
        st.markdown(f"**{t('chosen_elements', n=len(chosen))}**")
        for e in chosen:
            el = vocab.elements[e]
            st.markdown(f"- `{e}` {el.zh if lang == 'zh' else el.en}")
        if st.button(t("clear_elements"), key="ev_clear_elements"):
            ss["ev_elements"] = []
            st.rerun()


def events_section(d: dict, issues: list[Issue]) -> None:
    st.markdown(f"### {t('events')}")
    if d["events"]:
        st.dataframe(
            [
                {
                    t("col_id"): e["id"],
                    t("col_type"): t("type_" + e["type"]),
                    t("col_date"): e["date"],
                    t("col_subject"): e.get("subject") or e.get("party") or e.get("target", ""),
                    t("col_elements"): "、".join(e.get("elements", [])),
                }
                for e in d["events"]
            ],
            hide_index=True,
            width="stretch",
        )
    show_issues(issues, "events")
    with st.container(border=True):
        st.markdown(f"**{t('add_event')}**")
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            t("event_type"), ["finding", "case", "accountability"], key="ev_type", format_func=lambda k: t("type_" + k)
        )
        eid = c2.text_input(t("event_id"), key="ev_id").strip()
        day = c3.date_input(
            t("event_date"),
            value=dt.date.fromisoformat(d["scenario"]["as_of"]),
            key="ev_date",
            min_value=dt.date(1949, 10, 1),
            max_value=dt.date(2100, 12, 31),
        )
        persons, units = ids(d, "persons"), ids(d, "units")
        ev: dict = {"type": kind, "id": eid, "date": day.isoformat()}
        if kind == "finding":
            subject = st.selectbox(t("subject"), units + persons, key="ev_subject", help=t("subject_help"))
            ev["subject"] = subject
            parties = st.multiselect(t("parties"), persons, key="ev_parties")
            if parties:
                ev["parties"] = parties
            element_picker(d, kind, subject or "", day)
        elif kind == "case":
            ev["party"] = st.selectbox(t("case_party"), persons, key="ev_party")
            ev["unit"] = st.selectbox(t("case_unit"), units, key="ev_unit")
            element_picker(d, kind, "", day)
        else:
            matters = [e["id"] for e in d["events"] if e["type"] != "accountability"]
            ev["concerning"] = st.selectbox(t("concerning"), matters, key="ev_concerning")
            ev["target"] = st.selectbox(t("target"), units + persons, key="ev_target")
            by = st.selectbox(t("by"), [NONE, *units], key="ev_by")
            if by != NONE:
                ev["by"] = by
            ev["outcome"] = st.selectbox(t("outcome"), ["追究", "未追究"], key="ev_outcome")
            methods = st.multiselect(t("methods"), METHODS, key="ev_methods")
            if methods:
                ev["methods"] = methods
        if kind != "accountability":
            c4, c5 = st.columns(2)
            sev = c4.selectbox(t("severity"), SEVERITIES, key="ev_severity")
            if sev != NONE:
                ev["severity"] = sev
            flags = c5.multiselect(t("flags"), FLAGS, key="ev_flags")
            if flags:
                ev["flags"] = flags
            ev["elements"] = list(ss.get("ev_elements", []))
        desc = st.text_input(t("event_description"), key="ev_description").strip()
        if desc:
            ev["description"] = desc
        if st.button(t("add_event_button"), key="ev_add"):
            add_event(d, ev)
    remove(d, "events", "event_remove")


def add_event(d: dict, ev: dict) -> None:
    """Add an event after checking the fields the form cannot enforce; errors are shown, nothing typed is lost."""
    if not ev["id"]:
        return field_error("need_id", field=t("event_id"))
    if ev["id"] in ids(d, "events"):
        return field_error("duplicate", id=ev["id"], field=t("event_id"))
    if ev["type"] == "finding" and not ev.get("subject"):
        return field_error("need_subject", field=t("subject"))
    if ev["type"] == "case" and not (ev.get("party") and ev.get("unit")):
        return field_error("need_person_unit")
    if ev["type"] == "accountability" and not (ev.get("concerning") and ev.get("target")):
        return field_error("need_concerning", field=t("concerning"))
    if ev["type"] == "finding" and not ev.get("elements"):
        return field_error("need_elements", field=t("elements"))
    wrong = misplaced(d, ev)
    if wrong:
        return field_error("elements_not_for_subject", ids="、".join(wrong))
    if dt.date.fromisoformat(ev["date"]) > dt.date.fromisoformat(d["scenario"]["as_of"]):
        return field_error("after_as_of", field=t("event_date"))
    d["events"].append(ev)
    ss["ev_elements"] = []
    st.rerun()


# ---------------------------------------------------------------------------------------------------- result


def result_section(d: dict, y: str, issues: list[Issue]) -> None:
    st.markdown(f"### {t('result')}")
    name = d["scenario"].get("id") or "scenario"
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("download"), y, file_name=f"{name}.yaml", mime="application/x-yaml", key="build_download")
    if issues:
        st.warning(t("not_yet_valid", n=len(issues)))
    else:
        # the app's one evaluation cache: the main page finds this draft's model there when it is used
        liabilities = evaluation(digest(y), y, ()).liabilities()
        st.success(t("valid", n=len(liabilities)))
        if c2.button(t("use_on_main"), key="build_use"):
            set_scenario(name, y)  # readings and questions of the previous scenario do not carry over
            try:
                st.switch_page("app_pages/who.py")
            except Exception:  # the page or the navigation shell is absent (e.g. this page run alone)
                st.info(md(t("now_current", name=name)))
    with st.container(border=True):
        st.markdown(f"**{t('save')}**")
        c1, c2 = st.columns([3, 1])
        save_name = c1.text_input(t("save_name"), value=name, key="build_save_name")
        if c2.button(t("save_button"), key="build_save"):
            try:
                v = Store().save("scenario", save_name.strip(), y)
                st.success(md(t("saved", name=v.name, version=v.version)))
            except (StoreError, OSError) as exc:
                st.error(md(t("save_failed", detail=str(exc))), icon="⚠️")


def saved_section() -> None:
    st.markdown(f"### {t('saved_work')}")
    try:
        store = Store()
        names = store.names("scenario")
    except Exception as exc:
        st.error(t("save_failed", detail=str(exc)))
        return
    if not names:
        st.caption(t("nothing_saved"))
        return
    c1, c2 = st.columns([2, 1])
    name = c1.selectbox(t("saved_name"), names, key="build_saved_name")
    history = store.history("scenario", name)
    version = c2.selectbox(
        t("version"),
        [v.version for v in reversed(history)],
        key="build_saved_version",
        format_func=lambda n: t("version_label", n=n, at=history[n - 1].saved_at),
    )
    c3, c4 = st.columns(2)
    content = store.get("scenario", name, version).content
    c3.button(t("open_saved"), key="build_open_saved", on_click=load_yaml_text, args=(content, f"{name} v{version}"))
    c4.download_button(
        t("export_json"),
        store.export("scenario", name, "json"),
        file_name=f"{name}.json",
        mime="application/json",
        key="build_export_json",
    )


def main() -> None:
    st.title(t("title"))
    st.caption(t("intro"))
    start_section()
    d = draft()
    if ss.get("build_origin"):
        st.caption(md(t("origin", name=ss["build_origin"])))
    _, issues = check(d)
    meta_section(d, issues)
    units_section(d, issues)
    persons_section(d, issues)
    events_section(d, issues)
    y, issues = check(d)
    result_section(d, y, issues)
    yaml_section(y)
    saved_section()


main()
