"""情景分析 / Who is liable: pick a scenario, see it summarised, the findings grouped and filtered, the proof
graph, one explanation tree per conclusion, why-not / almost / contrastive band on demand, interpretation
switches with what changed, and what-if on the facts. Results come from the cached, pure-data evaluations of
app_pages/common.py: only the first evaluation of a scenario and readings pays for the engine."""

from __future__ import annotations

import functools

import streamlit as st

from app_pages import common as c
from app_pages import render
from app_pages.common import citation, clause_href, md, pick, t
from app_pages.views import CONCLUSIONS, conclusion_id
from explain.catalogue import fix, text
from explain.graph import has_dot
from kb.interpretations import load_interpretations

VIEWS = ("findings", "explain", "whynot", "whatif", "scenario")
BIG = 12  # findings above which the graph starts collapsed to a few levels


def _words(labels: dict) -> object:
    """A widget's format_func from labels worded during the run (in the language of that run)."""
    return lambda value: labels.get(value, str(value))


# -- scenario pick ---------------------------------------------------------------------------------------------------


def _on_sample() -> None:
    name = st.session_state.get("sample_pick")
    if not name:
        return
    if name.startswith(c.SAVED):
        from kb.store import Store

        v = Store().latest("scenario", name[len(c.SAVED) :])
        if v is not None:
            c.set_scenario(f"{v.name} v{v.version}", v.content, {"scenario": v.name, "version": str(v.version)})
        return
    c.set_scenario(name, (c.SAMPLES / name).read_text(encoding="utf-8"), {"scenario": name})


def _on_upload() -> None:
    f = st.session_state.get("upload")
    st.session_state.pop("upload_not_utf8", None)
    if f is None:
        return
    try:
        c.set_scenario(f.name, f.getvalue().decode("utf-8"))
    except UnicodeDecodeError:  # the current scenario stays; the problem is shown beside the upload
        st.session_state["upload_not_utf8"] = f.name


def _on_edit(key: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        c.set_scenario(t("edited_name"), value)


def pick_scenario(name: str, source: str) -> None:
    """The sample list, the upload, and the scenario's text to edit in place."""
    samples = c.samples()
    try:
        samples += [c.SAVED + n for n in c.saved_names()]
    except Exception as exc:  # noqa: BLE001 - an unreadable store must not hide the samples
        st.caption(t("store_unavailable", section="app_address", detail=str(exc)))
    src = c.scenario_source() or {}
    now = (c.SAVED if "version" in src else "") + src.get("scenario", "")
    labels = {
        x: t("saved_option", section="app_address", name=x[len(c.SAVED) :]) for x in samples if x.startswith(c.SAVED)
    }
    left, right = st.columns(2)
    left.selectbox(
        t("sample"),
        samples,
        index=samples.index(now) if now in samples else None,
        format_func=_words(labels),
        placeholder=t("sample_placeholder"),
        key="sample_pick",
        on_change=_on_sample,
    )
    right.file_uploader(t("upload"), type=["yaml", "yml", "json"], key="upload", on_change=_on_upload)
    if st.session_state.get("upload_not_utf8"):
        what, how = text("errors", "not_utf8"), fix("not_utf8")
        right.error(t("upload_problem", file=md(st.session_state["upload_not_utf8"]), what=pick(what), fix=pick(how)))
    key = "edit_" + c.digest(source)[:16]
    with st.expander(t("edit_yaml"), expanded=False):
        with st.form("edit_form", border=False):
            st.text_area(t("yaml_text"), value=source, height=320, key=key)
            st.form_submit_button(t("apply"), on_click=_on_edit, args=(key,))


# -- interpretation switches ------------------------------------------------------------------------------------------


def _on_switch(name: str, own: dict[str, str]) -> None:
    chosen = c.readings()
    st.session_state["readings_before"] = dict(chosen)
    value = st.session_state[f"interp_{name}"]
    if value == own.get(name, load_interpretations()[name].default):
        chosen.pop(name, None)
    else:
        chosen[name] = value


def switches(own: dict[str, str]) -> None:
    """One selectbox per interpretation in the sidebar, its description beside it, the default marked."""
    effective = c.effective_readings(own, c.readings())
    with st.sidebar:
        st.markdown(f"**{t('interpretations')}**")
        st.caption(t("interpretations_help"))
        for name, it in load_interpretations().items():
            key = f"interp_{name}"
            if st.session_state.get(key) not in it.readings:
                st.session_state[key] = effective[name]
            mark = t("default_mark")
            label = _words({r: f"{pick(words)}{mark if r == it.default else ''}" for r, words in it.readings.items()})
            st.selectbox(
                f"{name} · {t('open_point', n=it.open_point)}",
                list(it.readings),
                key=key,
                format_func=label,
                help=pick({"zh": it.zh, "en": it.en}),
                on_change=_on_switch,
                args=(name, own),
            )
            st.caption(md(pick({"zh": it.zh, "en": it.en})))


def what_changed(key: str, source: str, own: dict[str, str]) -> None:
    """After a switch: the conclusions gained and lost, and why (reasoning/diff.py)."""
    before = st.session_state.get("readings_before")
    now = c.readings()
    if before is None or before == now:
        return
    names = sorted(set(before) | set(now))
    a, b = c.effective_readings(own, before), c.effective_readings(own, now)
    moves = "; ".join(f"{n}: {a[n]} → {b[n]}" for n in names if a[n] != b[n])
    with st.container(border=True):
        with st.spinner(t("comparing")):
            data = c.diff_readings(key, source, c.readings_key(before), c.readings_key(now))
        render.diff(data, t("switched", changes=md(moves)))
        if st.button(t("dismiss"), key="dismiss_diff"):
            st.session_state.pop("readings_before", None)
            st.rerun()


# -- findings ---------------------------------------------------------------------------------------------------------


def _finding_label(f: dict) -> str:
    return f"{md(f['party_name'])} — {md(pick(f['responsibility_label']))} · {citation(f['clause'])} · {md(f['event'])}"


def finding_key(f: dict) -> str:
    """The key of a finding's expander: its conclusion id hashed (a key belongs to the scenario: f_ is reset)."""
    return "f_x" + c.digest(conclusion_id("liable", f["row"]))[:16]


def _href(pred: str, args: list[str]) -> str | None:
    """The address of a conclusion of the current scenario and readings (None when the scenario has none)."""
    src = c.scenario_source()
    return c.address(src, c.readings(), conclusion_id(pred, args)) if src else None


def _finding_body(f: dict, duties: list[dict], names: dict[str, str]) -> str:
    lines = [
        f"**{pick(f['responsibility_label'])}** · [{citation(f['clause'], short=False)}]({clause_href(f['clause'])})"
        f" · {t('event')} {md(f['event'])} ({f['event_date']})",
        "",
        f"> {md(f['clause_text'])}",
        "",
    ]
    href = _href("liable", f["row"])
    if href:
        lines.append(f"- 🔗 [{t('explain_link', section='app_address')}]({href})")
    if f.get("severity"):
        lines.append(f"- {t('severity')}: {md(f['severity'])}")
    s = f.get("sanction")
    if s:
        bands = ", ".join(s["allowed_bands"]) or "—"
        lines.append(f"- {t('band')}: {bands} · {t('methods')}: {md(render.lang_sep().join(s['methods'])) or '—'}")
        if s["mitigating"] or s["aggravating"]:
            lines.append(f"- {t('circumstances')}: {md(', '.join(s['mitigating'] + s['aggravating']))}")
        by_organ: dict[str, list[str]] = {}
        for d in s["deciders"]:
            by_organ.setdefault(d["organ"], []).append(d["method"])
        for organ, methods in by_organ.items():
            which = md(render.lang_sep().join(methods))
            lines.append(f"- {t('decider_for', method=which)}: {md(names.get(organ, organ))}")
    if f["decided_by"]:
        organs = render.lang_sep().join(md(names.get(x, x)) for x in f["decided_by"])
        lines.append(f"- {t('deciding_organ')}: {organs}")
    elif not s:
        lines.append(f"- {t('deciding_organ')}: {pick(text('labels', 'decided_outside'))}")
    if f["team_sanctions"]:
        lines.append(f"- {t('team_sanctions')}: {md(render.lang_sep().join(f['team_sanctions']))}")
    for d in duties:
        dates = ", ".join(x["date"] or pick(text("labels", "gap")) for x in d.get("deadlines", []))
        due = f" — {t('deadline')}: {dates}" if dates else ""
        href = _href(d["duty"], d["args"])
        why = f" · [{t('duty_link', section='app_address')}]({href})" if href else ""
        lines.append(f"- {t('duty')}: {md(pick(d['reads']))} ({citation(d['clause'])}){due}{why}")
    for i in f["interpretations"]:
        lines.append(f"- ◇ {t('relies_on')}: {md(i['name'])} = {md(i['reading'])}")
    for d in f.get("departed", []):
        lines.append(f"- ⚑ {md(pick(d['note']))}")
    for o in f.get("overlaps", []):
        lines.append(f"- ≈ {citation(o['clause'])}: {md(pick(o))}")
    return "\n".join(lines)


def findings(data: dict) -> None:
    """The findings grouped by party or by event, filterable by measure, responsibility type and clause."""
    report = data["report"]
    all_f = report["findings"]
    names = {p["id"]: p["name"] for p in data["parties"]}
    cols = st.columns([1, 1, 1, 2])
    group = cols[0].radio(
        t("group_by"),
        ("party", "event"),
        format_func=_words({x: t("by_" + x) for x in ("party", "event")}),
        horizontal=True,
        key="group_by",
    )
    docs = sorted({f["doc"] for f in all_f})
    resps = sorted({f["responsibility"] for f in all_f})
    clauses = list(dict.fromkeys(f["clause"] for f in all_f))
    want_docs = cols[1].multiselect(
        t("measure"), docs, format_func=_words({d: t("doc_" + d) for d in docs}), key="f_doc"
    )
    want_resps = cols[2].multiselect(
        t("responsibility"),
        resps,
        format_func=_words({r: pick(text("responsibility", r)) for r in resps}),
        key="f_resp",
    )
    want_clauses = cols[3].multiselect(
        t("clause"), clauses, format_func=_words({x: citation(x) for x in clauses}), key="f_clause"
    )
    shown = [
        f
        for f in all_f
        if (not want_docs or f["doc"] in want_docs)
        and (not want_resps or f["responsibility"] in want_resps)
        and (not want_clauses or f["clause"] in want_clauses)
    ]
    st.markdown(f"### {t('findings')} ({len(shown)}/{len(all_f)})")
    if not all_f:
        st.info(pick(text("labels", "no_findings")))
        return
    groups: dict[str, list[dict]] = {}
    for f in shown:
        groups.setdefault(f["party"] if group == "party" else f["event"], []).append(f)
    # keyed, so that a browser (bench/app_http_bench.py) can tell when the findings are shown: .st-key-findings
    with st.container(key="findings"):
        for g, items in groups.items():
            if group == "party":
                head = f"{md(items[0]['party_name'])} ({len(items)})"
            else:
                head = f"{t('event')} {md(g)} · {items[0]['event_date']} ({len(items)})"
            st.markdown(f"#### {head}")
            for f in items:
                # the body is worked out only when its expander is open (the page sends 55 labels, not 55 texts)
                box = st.expander(_finding_label(f), key=finding_key(f), on_change="rerun")
                if box.open:
                    box.markdown(_finding_body(f, [report["duties"][i] for i in f["duties"]], names))


# -- proof graph ------------------------------------------------------------------------------------------------------


def proof_graph(key: str, source: str, chosen: c.Readings, data: dict) -> None:
    """The proof graph of the scenario, a party or a clause; SVG (or DOT) to download."""
    report = data["report"]
    parties = list(dict.fromkeys((f["party"], f["party_name"]) for f in report["findings"]))
    clauses = list(dict.fromkeys(f["clause"] for f in report["findings"]))
    cols = st.columns([1, 2, 1])
    scope = cols[0].radio(
        t("graph_scope"),
        ("all", "party", "clause"),
        format_func=_words({x: t("scope_" + x) for x in ("all", "party", "clause")}),
        index=0 if len(report["findings"]) <= BIG else 1,  # a large scenario opens on one party's graph
        key="g_scope",
    )
    party = clause = None
    if scope == "party" and parties:
        ids = [p for p, _ in parties]
        labels = dict(parties)
        party = cols[1].selectbox(t("party"), ids, format_func=lambda p: labels.get(p, p), key="g_party")
    elif scope == "clause" and clauses:
        clause = cols[1].selectbox(
            t("clause"), clauses, format_func=_words({x: citation(x) for x in clauses}), key="g_clause"
        )
    default_depth = 0 if len(report["findings"]) <= BIG else 2
    depth = cols[2].selectbox(
        t("depth"),
        (0, 1, 2, 3, 4, 6),
        index=(0, 1, 2, 3, 4, 6).index(default_depth),
        format_func=_words({d: t("depth_all") if d == 0 else str(d) for d in (0, 1, 2, 3, 4, 6)}),
        key="g_depth",
    )
    with st.spinner(t("drawing")):
        g = c.graph(key, source, chosen, party, clause, depth or None)
    st.caption(t("graph_caption", nodes=g["nodes"], edges=g["edges"], roots=g["roots"]))
    if not g["roots"]:
        st.info(pick(text("graph", "empty")))
    st.graphviz_chart(g["dot"], width="stretch")
    name = f"proof-{report['scenario']['id']}"
    if has_dot():
        st.download_button(
            t("download_svg"), functools.partial(c.svg, g["dot"]), file_name=f"{name}.svg", mime="image/svg+xml"
        )
    else:
        st.caption(pick(text("graph", "no_dot")))
        st.download_button(t("download_dot"), g["dot"], file_name=f"{name}.dot", mime="text/vnd.graphviz")


# -- one explanation per conclusion ------------------------------------------------------------------------------------


def _on_conclusion() -> None:
    st.session_state.pop("url_unknown", None)


def _conclusion_label(x: dict, findings: dict[tuple[str, ...], dict]) -> str:
    f = findings.get(tuple(x["args"])) if x["kind"] == "liable" else None
    return _finding_label(f) if f else md(pick(x["reads"]))


def conclusion_address(cid: str) -> None:
    """The conclusion's own address, to copy or to open in a new tab; or why the scenario has none."""
    src = c.scenario_source()
    if src is None:
        st.caption(t("no_address", section="app_address"))
        return
    url = c.absolute(c.address(src, c.readings(), cid))
    st.caption(t("address", section="app_address"))
    cols = st.columns([4, 1])
    with cols[0]:
        # inline code, not st.code: the code block's script is loaded by the browser the first time it is used,
        # which made the first change to this view slower than the rest (bench/app_http_bench.py)
        st.markdown(f"`{url}`")
    cols[1].link_button(t("open_tab", section="app_address"), url, icon=":material/open_in_new:")


def explanation(key: str, source: str, chosen: c.Readings, data: dict) -> None:
    """One conclusion's proof as a tree that unfolds premise by premise, each step linked to its clause; every
    conclusion (liability, band, method, deciding organ, duty) has its own address, which opens it here."""
    ss = st.session_state
    conclusions = data["conclusions"]
    by_id = {x["id"]: x for x in conclusions}
    wanted = ss.pop("url_conclusion", None)
    if wanted is not None:
        if wanted in by_id:
            ss["x_kind"], ss["x_row"] = by_id[wanted]["kind"], wanted
            ss.pop("url_unknown", None)
        else:
            ss["url_unknown"] = wanted
    if ss.get("url_unknown"):
        name = st.session_state.get("scenario_name", "")
        st.error(t("unknown_conclusion", section="app_address", id=md(ss["url_unknown"]), scenario=md(name)))
    if not conclusions:
        st.info(pick(text("labels", "no_findings")))
        return
    kinds = [k for k, _ in CONCLUSIONS if any(x["kind"] == k for x in conclusions)]
    if ss.get("x_kind") not in kinds:
        ss["x_kind"] = kinds[0]
    kind = st.radio(
        t("conclusion_kind", section="app_address"),
        kinds,
        format_func=_words({k: t("kind_" + k, section="app_address") for k in kinds}),
        horizontal=True,
        key="x_kind",
        on_change=_on_conclusion,
    )
    ids = [x["id"] for x in conclusions if x["kind"] == kind]
    if ss.get("x_row") not in ids:
        ss["x_row"] = ids[0]
    findings = {tuple(f["row"]): f for f in data["report"]["findings"]}
    cid = st.selectbox(
        t("conclusion"),
        ids,
        format_func=_words({i: _conclusion_label(by_id[i], findings) for i in ids}),
        key="x_row",
        on_change=_on_conclusion,
    )
    x = by_id[cid]
    open_all = st.toggle(t("open_all"), key="x_open")
    with st.spinner(t("explaining", section="app_address")):
        tree = c.proof(key, source, chosen, x["pred"], tuple(x["args"]))
    conclusion_address(cid)
    st.caption(t("tree_help"))
    st.markdown(render.tree_html(tree, open_all), unsafe_allow_html=True)
    cited = render.proof_clauses(tree)
    if c.page_exists("clauses") and cited:
        st.markdown(f"**{t('clauses_cited')}**")
        cols = st.columns(min(4, len(cited)))
        for i, cl in enumerate(cited):
            cols[i % len(cols)].page_link("app_pages/clauses.py", label=citation(cl), query_params={"clause": cl})


# -- why not, almost, contrast -------------------------------------------------------------------------------------------


def why_not_view(key: str, source: str, chosen: c.Readings, data: dict) -> None:
    """Why-not for any party and clause, "almost fired", and the contrastive band, each on demand."""
    names = {p["id"]: p["name"] for p in data["parties"]}
    clause_ids = [x["id"] for x in data["clauses"]]
    st.markdown(f"### {t('why_not')}")
    with st.form("whynot_form"):
        cols = st.columns(2)
        party = cols[0].selectbox(t("party"), list(names), format_func=lambda p: names.get(p, p), key="wn_party")
        clause = cols[1].selectbox(
            t("clause"),
            clause_ids,
            format_func=_words({x: f"{citation(x)} [{x}]" for x in clause_ids}),
            key="wn_clause",
        )
        if st.form_submit_button(t("ask_why_not")):
            st.session_state["ask_whynot"] = (party, clause)
    asked = st.session_state.get("ask_whynot")
    if asked:
        with st.spinner(t("searching")):
            result = c.why_not(key, source, chosen, *asked)
        render.why_not(result)

    st.markdown(f"### {t('almost')}")
    cols = st.columns([2, 1])
    who = cols[0].selectbox(
        t("party_optional"), [""] + list(names), format_func=_words({**names, "": t("everyone")}), key="al_party"
    )
    if cols[1].button(t("ask_almost"), key="al_go"):
        st.session_state["ask_almost"] = who or "*"
    if st.session_state.get("ask_almost"):
        asked_party = st.session_state["ask_almost"]
        with st.spinner(t("searching")):
            result = c.almost(key, source, chosen, None if asked_party == "*" else asked_party)
        render.almost(result)

    st.markdown(f"### {t('contrast')}")
    people = data["individuals"]
    if not people:
        st.info(pick(text("whatif", "no_individuals")))
        return
    cols = st.columns([2, 1])
    person = cols[0].selectbox(t("person"), people, format_func=lambda p: names.get(p, p), key="ct_party")
    if cols[1].button(t("ask_contrast"), key="ct_go"):
        st.session_state["ask_contrast"] = person
    if st.session_state.get("ask_contrast"):
        with st.spinner(t("verifying")):
            result = c.contrast(key, source, chosen, st.session_state["ask_contrast"])
        render.contrast(result)


# -- what if ------------------------------------------------------------------------------------------------------------


def _parse_added(lines: str) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    from reasoning.diff import FactSyntaxError, parse_fact

    added, problems = [], []
    for n, line in enumerate(lines.splitlines(), 1):
        if not line.strip():
            continue
        try:
            added.append(parse_fact(line))
        except FactSyntaxError as err:
            msg = text("whatif", err.code, text=err.text, **err.params)
            problems.append(f"{t('line_n', n=n)}: {pick(msg)} — {pick(text('whatif', 'fact_syntax_fix'))}")
    return added, problems


def what_if(key: str, source: str, chosen: c.Readings, data: dict) -> None:
    """Toggle scenario facts off (or add new ones) and see the conclusions gained and lost."""
    facts = data["facts"]
    st.markdown(f"### {t('what_if')}")
    st.caption(t("what_if_help"))
    off = st.multiselect(
        t("facts_off"),
        list(range(len(facts))),
        format_func=_words({i: pick(f["reads"]) for i, f in enumerate(facts)}),
        key="wi_off",
    )
    typed = st.text_area(t("facts_on"), key="wi_add", placeholder="established(事1, D16-5.1/e1)", height=90)
    added, problems = _parse_added(typed or "")
    for p in problems:
        st.error(md(p))
    removed = [(facts[i]["pred"], tuple(facts[i]["args"])) for i in off]
    if not (added or removed):
        return
    with st.spinner(t("comparing")):
        result = c.what_if(key, source, chosen, tuple(added), tuple(removed))
    render.diff(result, t("what_if_result", off=len(removed), on=len(added)))


# -- scenario summary ----------------------------------------------------------------------------------------------------


def _tree_lines(nodes: list[dict], depth: int = 0) -> list[str]:
    out = []
    for n in nodes:
        extra = f" — {t('answers_for')} {md(n['answers_for'])}" if n["answers_for"] else ""
        out.append(f"{'    ' * depth}- **{md(n['name'])}** ({md(n['kind'])}, {md(n['id'])}){extra}")
        out += _tree_lines(n["children"], depth + 1)
    return out


def summary(data: dict) -> None:
    """The scenario as a reader sees it: units as a tree, persons and posts, events on a timeline."""
    cols = st.columns([1, 2])
    with cols[0]:
        st.markdown(f"#### {t('units')}")
        st.markdown("\n".join(_tree_lines(data["units"])))
    with cols[1]:
        st.markdown(f"#### {t('persons')}")
        cols_ = ("name", "unit", "role", "title", "portfolio", "from", "to")
        if data["persons"]:
            table = ["| " + " | ".join(t("col_" + k) for k in cols_) + " |", "|" + "---|" * len(cols_)]
            table += ["| " + " | ".join(md(r[k]) or "—" for k in cols_) + " |" for r in data["persons"]]
            st.markdown("\n".join(table))
        st.markdown(f"#### {t('timeline')}")
        names = {p["id"]: p["name"] for p in data["parties"]}
        lines = []
        for e in data["events"]:
            what = t("event_" + e["type"])
            about = md(names.get(e["about"], e["about"]))
            where = f" @ {md(names.get(e['unit'], e['unit']))}" if e["unit"] else ""
            extra = []
            if e["concerning"]:
                extra.append(f"{t('concerning')} {md(e['concerning'])}")
            if e["outcome"]:
                extra.append(md(e["outcome"]))
            if e["severity"]:
                extra.append(f"{t('severity')} {md(e['severity'])}")
            if e["elements"]:
                extra.append(f"{t('elements')}: {md(', '.join(e['elements']))}")
            tail = f" — {'; '.join(extra)}" if extra else ""
            lines.append(f"- `{e['date']}` **{what} {md(e['id'])}** · {about}{where}{tail}")
        st.markdown("\n".join(lines) or t("no_events"))


# -- the page -------------------------------------------------------------------------------------------------------------


def main() -> None:
    st.title(t("who_title"))
    st.caption(t("who_caption"))
    c.open_address()
    name, source = c.current_scenario()
    for problem in st.session_state.get("url_problems", []):
        st.error(md(pick(problem)))
    pick_scenario(name, source)
    key = c.digest(source)
    checked = c.check(key, source, name)
    if not checked["ok"]:
        render.scenario_errors(checked, source)
        return
    switches(checked["readings"])
    chosen = c.readings_key()
    with st.spinner(t("evaluating")):
        data = c.analyse(key, source, chosen)
    sc = data["report"]["scenario"]
    s = data["report"]["summary"]
    st.subheader(md(sc["title"]))
    st.caption(
        t(
            "scenario_line",
            file=md(name),
            as_of=sc["as_of"],
            findings=s["findings"],
            parties=s["parties"],
            duties=s["duties"],
        )
        + " · "
        + pick(data["report"]["assumption"])
    )
    what_changed(key, source, checked["readings"])
    view = st.radio(
        t("view"), VIEWS, format_func=_words({v: t("view_" + v) for v in VIEWS}), horizontal=True, key="view"
    )
    if view == "findings":
        findings(data)
        # drawn only while open: open at first for a small scenario, closed for a large one (a graph is drawn in
        # the browser, which is what costs most when many sessions open a large scenario at once)
        small = len(data["report"]["findings"]) <= BIG
        box = st.expander(f"**{t('proof_graph')}**", expanded=small, key="g_open", on_change="rerun")
        if box.open:
            with box:
                proof_graph(key, source, chosen, data)
    elif view == "explain":
        explanation(key, source, chosen, data)
    elif view == "whynot":
        why_not_view(key, source, chosen, data)
    elif view == "whatif":
        what_if(key, source, chosen, data)
    else:
        summary(data)


main()
