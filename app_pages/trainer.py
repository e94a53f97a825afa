"""培训演练 / Trainer: step through a scenario's events one at a time (next / previous): the facts each event
adds, the clauses newly fired, what almost fired and what it still misses, and the proof graph as it grows; the
answer can be hidden for classroom use. Results are pure data cached by the scenario's content hash and readings."""

from __future__ import annotations

import json

import networkx as nx
import streamlit as st

from app_pages.common import SAMPLES, check, clause_href, digest, md, pick
from explain.catalogue import fill, text
from explain.graph import build_graph, to_dot
from explain.steps import step_through, timeline
from kb.schema import Scenario
from kb.store import Store
from reasoning.queries import Evaluation, run
from reasoning.rulebook import load_rulebook

DEFAULT = "d16-5-team-failure.yaml"
# past this many nodes the growing graph is drawn for this step's new conclusions only (a readable drawing)
GRAPH_NODES = 250

lang = st.session_state.get("lang", "zh")


def t(key: str, *args, **params) -> str:
    """This page's wording in the chosen language."""
    return fill("pages_trainer", key, lang, *args, **params)


@st.cache_data(show_spinner=False, max_entries=64)
def steps_data(content_hash: str, readings_json: str, _text: str) -> dict:
    """The step-through of a scenario as plain data (keyed by content hash and readings, never engine objects)."""
    scenario = _scenario(content_hash, _text)
    # "almost" read from the model here (fast); the why-not search runs for the step on show (step_almost)
    return step_through(scenario, json.loads(readings_json), almost="simple")


def _scenario(content_hash: str, text: str) -> Scenario:
    """The validated scenario, from the app's one cache of checked texts (app_pages/common.check)."""
    return check(content_hash, text, "scenario")["scenario"]


@st.cache_data(show_spinner=False, max_entries=64)
def _prefix_model(content_hash: str, readings_json: str, k: int, _text: str) -> tuple[dict, dict]:
    """The readings in force and the model after the first k events (pure data), shared by the step's "almost"
    and its graph."""
    scenario = _scenario(content_hash, _text)
    ev = run(scenario.model_copy(update={"events": timeline(scenario)[:k]}), json.loads(readings_json))
    return ev.readings, ev.model


def _prefix(content_hash: str, readings_json: str, k: int, text: str) -> Evaluation:
    """The scenario after its first k events, evaluated (rebuilt from the cached model)."""
    scenario = _scenario(content_hash, text)
    readings, model = _prefix_model(content_hash, readings_json, k, text)
    return Evaluation(scenario.model_copy(update={"events": timeline(scenario)[:k]}), readings, load_rulebook(), model)


@st.cache_data(show_spinner=False, max_entries=256)
def step_almost(content_hash: str, readings_json: str, k: int, target: str, _text: str) -> list[dict] | None:
    """Liabilities at the step's event that one fact a user could supply would bring about (the why-not search
    of reasoning/whynot.py), as plain data; None where the search cannot run."""
    from reasoning.whynot import almost

    ev = _prefix(content_hash, readings_json, k, _text)
    try:
        found = almost(ev, max_facts=1)
    except (ImportError, AttributeError, TypeError, KeyError):
        return None

    def reads(c: dict) -> dict:
        if "options" in c:
            return {lang: " / ".join(reads(o).get(lang, "") for o in c["options"]) for lang in ("zh", "en")}
        return c.get("reads", {})

    return [
        {
            "party": x["party"],
            "party_name": x["party_name"],
            "responsibility": x["responsibility"],
            "citation": x["citation"],
            "missing": [{"changes": [{"reads": reads(c)} for c in r["changes"]]} for r in x["repairs"]],
        }
        for x in found["entries"]
        if x["event"] == target
    ]


@st.cache_data(show_spinner=False, max_entries=256)
def step_graph(content_hash: str, readings_json: str, k: int, parties: tuple[str, ...], _text: str) -> dict:
    """The proof graph after the first k events (DOT source and size): all of it, or only the given parties'
    liabilities drawn as one graph."""
    ev = _prefix(content_hash, readings_json, k, _text)
    g = nx.compose_all([build_graph(ev, party=p) for p in parties]) if parties else build_graph(ev)
    return {"dot": to_dot(g), "nodes": g.number_of_nodes()}


def sources() -> dict[str, tuple[str, str]]:
    """label -> (kind, key): the current scenario, the saved ones, the bundled samples."""
    out: dict[str, tuple[str, str]] = {}
    if st.session_state.get("scenario_text"):
        name = st.session_state.get("scenario_name") or "—"
        out[t("source_current", name=name)] = ("current", name)
    try:
        for name in Store().names("scenario"):
            out[t("source_saved", name=name)] = ("saved", name)
    except Exception as exc:  # an unreadable store must not hide the samples
        st.caption(t("store_unavailable", detail=str(exc)))
    for p in sorted(SAMPLES.glob("*.yaml")):
        out[t("source_sample", name=p.name)] = ("sample", p.name)
    return out


def read_source(kind: str, key: str) -> str:
    if kind == "current":
        return st.session_state["scenario_text"]
    if kind == "saved":
        v = Store().latest("scenario", key)
        return v.content if v else ""
    return (SAMPLES / key).read_text(encoding="utf-8")


def show_event(ev: dict) -> None:
    who = ev.get("subject") or ev.get("party") or ev.get("target") or ""
    st.markdown(f"**{t('event_' + ev['type'])}** {md(ev['id'])} · {ev['date']} · {md(who)}")
    if ev.get("description"):
        st.caption(md(ev["description"]))


def show_step(step: dict, reveal: bool, near: list[dict]) -> None:
    show_event(step["event"])
    nf = step["new_facts"]
    st.markdown(f"#### {t('new_facts', n=len(nf['added']))}")
    for f in nf["added"]:
        st.markdown(f"- {md(pick(f['reads']))}")
    if nf["positions"]:
        st.caption(md(pick(nf["positions_reads"])))
    if not reveal:
        st.info(t("answer_hidden"))
        return
    st.markdown(f"#### {t('fired', n=len(step['fired']))}")
    if not step["fired"]:
        st.caption(t("none_fired"))
    for f in step["fired"]:
        resp = md(pick(f["responsibility_label"]))
        with st.container(border=True):
            st.markdown(f"**{md(f['party_name'])}** — {resp} · [{f['citation']}]({clause_href(f['clause'])})")
            for b in f["because"]:
                st.caption(f"{t('because')} {md(pick(b['reads']))}")
    if step["withdrawn"]:
        st.markdown(f"#### {t('withdrawn', n=len(step['withdrawn']))}")
        for f in step["withdrawn"]:
            st.markdown(f"- ~~{md(f['party_name'])} — {md(pick(f['responsibility_label']))} · {f['citation']}~~")
    gained = step["conclusions"]["gained"]
    if gained:
        with st.expander(t("conclusions", n=len(gained))):
            for c in gained:
                st.markdown(f"- {md(pick(c['reads']))}")
    st.markdown(f"#### {t('almost', n=len(near))}")
    if not near:
        st.caption(t("none_almost"))
    for a in near:
        if "party" in a:
            resp = md(pick(text("responsibility", a["responsibility"])))
            head = f"{md(a['party_name'])} — {resp} · {a['citation']}"
            missing = [md(pick(c.get("reads", {}))) for r in a["missing"] for c in r["changes"]]
        else:
            head = a["citation"]
            missing = [md(e[lang] or e["zh"]) for g in a["missing"] for e in g["elements"]]
        st.markdown(f"- {head}")
        for m in missing[:6]:
            st.caption(f"　{t('still_missing')} {m}")


def move(k: int) -> None:
    """Go to step k (a button callback, so the page is drawn once, at the new step)."""
    st.session_state["trainer_step"] = k


def main() -> None:
    st.title(t("title"))
    st.caption(t("intro"))
    options = sources()
    labels = list(options)
    # the scenario the other pages are on comes first; else the default sample
    default = (
        0
        if options[labels[0]][0] == "current"
        else next((i for i, x in enumerate(labels) if options[x] == ("sample", DEFAULT)), 0)
    )
    choice = st.selectbox(t("pick"), labels, index=default, key="trainer_source")
    text = read_source(*options[choice])
    h = digest(text)
    checked = check(h, text, options[choice][1])
    if not checked["ok"]:
        st.error(t("invalid", n=len(checked["issues"])))
        return
    readings = st.session_state.get("readings") or {}
    rjson = json.dumps(readings, sort_keys=True, ensure_ascii=False)
    with st.spinner(t("computing")):
        data = steps_data(h, rjson, text)
    steps = data["steps"]
    st.subheader(md(data["scenario"]["title"]))
    if not steps:
        st.info(t("no_events"))
        return
    if st.session_state.get("trainer_for") != (h, rjson):
        st.session_state["trainer_for"] = (h, rjson)
        st.session_state["trainer_step"] = 1
    k = max(1, min(st.session_state.get("trainer_step", 1), len(steps)))
    c1, c2, c3 = st.columns([1, 1, 4])
    c1.button(t("previous"), disabled=k <= 1, key="trainer_prev", on_click=move, args=(k - 1,))
    c2.button(t("next"), disabled=k >= len(steps), key="trainer_next", on_click=move, args=(k + 1,))
    c3.progress(k / len(steps), text=t("step_of", k=k, n=len(steps)))
    reveal = st.toggle(t("reveal"), value=True, key="trainer_reveal")
    step = steps[k - 1]
    near = step["almost"]
    if reveal:
        target = step["event"].get("concerning") or step["event"]["id"]
        with st.spinner(t("computing")):
            deeper = step_almost(h, rjson, k, target, text)
        near = deeper if deeper is not None else near
    show_step(step, reveal, near)
    st.caption(t("liable_now", n=step["liable_now"]))
    if reveal and st.toggle(t("show_graph"), value=True, key="trainer_graph"):
        show_graph(h, rjson, k, steps, text)


def show_graph(h: str, rjson: str, k: int, steps: list[dict], text: str) -> None:
    """The proof graph after step k: everything so far when it is small enough to read, else the parties newly
    liable at this step; or one party the trainer picks."""
    names = {f["party"]: f["party_name"] for s in steps[:k] for f in s["fired"]}
    focus = st.selectbox(
        t("graph_focus"), ["", *sorted(names)], key="trainer_focus", format_func=lambda p: names.get(p, t("graph_auto"))
    )
    with st.spinner(t("computing")):
        if focus:
            g = step_graph(h, rjson, k, (focus,), text)
        else:
            g = step_graph(h, rjson, k, (), text)
            if g["nodes"] > GRAPH_NODES:
                parties = tuple(sorted({f["party"] for f in steps[k - 1]["fired"]}))
                st.caption(t("graph_too_big", nodes=g["nodes"], max=GRAPH_NODES))
                g = step_graph(h, rjson, k, parties, text) if parties else None
    st.markdown(f"#### {t('graph', k=k)}")
    if g is None:
        st.caption(t("none_fired"))
    else:
        st.graphviz_chart(g["dot"], width="stretch")


main()
