"""Shared front helpers of the app's pages: the language, catalogue wording, the current scenario in the
session, and the cached evaluations.

Everything cached here is pure data (reports, DOT text, the evaluated model as sets of tuples) keyed by the
scenario's content hash and the interpretation readings chosen; no pyDatalog engine is ever kept (each
evaluation makes its own fresh Logic() on its own thread and drops it: ENGINE-NOTES.md). Two sessions with the
same scenario text and readings share the same results; different texts never share anything."""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urljoin

import streamlit as st

from explain.catalogue import fill, text
from explain.errors import error_rows
from kb.interpretations import load_interpretations
from kb.registry import load_registry
from kb.scenario_io import ScenarioError, load_scenario_text
from reasoning.queries import Evaluation, run
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "kb" / "scenarios"
DEFAULT_SAMPLE = "d16-8-chain-three-levels.yaml"
LANGS = ("zh", "en")
PAGES = ROOT / "app_pages"

Readings = tuple[tuple[str, str], ...]
# session-state keys (prefixes) that belong to one scenario and are reset when another is picked
SCENARIO_KEYS = ("interp_", "ask_", "g_", "x_", "wn_", "al_", "ct_", "wi_", "f_", "url_")
SAVED = "saved:"  # the sample list's prefix of a saved scenario's name


# -- language and wording --------------------------------------------------------------------------------------


def lang() -> str:
    """The language chosen in the sidebar ("zh" by default)."""
    try:
        value = st.session_state.get("lang", "zh")
    except KeyError:  # a widget's state not restored yet in this run: the default language
        return "zh"
    return value if value in LANGS else "zh"


def t(key: str, *args: Any, section: str = "app_labels", **params: Any) -> str:
    """A catalogue entry in the chosen language (the app's labels by default)."""
    return fill(section, key, lang(), *args, **params)


def pick(entry: dict[str, str] | None) -> str:
    """The chosen language of a {"zh": …, "en": …} entry."""
    if not entry:
        return ""
    return entry.get(lang()) or entry.get("zh", "")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(value: object) -> str:
    """Text a user wrote, escaped for Markdown (no formatting, links or HTML can come from a scenario)."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def esc(value: object) -> str:
    """Text escaped for HTML."""
    return html.escape(str(value), quote=True)


def citation(clause: str, short: bool = True) -> str:
    """A clause's citation in the chosen language (Chinese: 第五条第（九）项; English: D16 Art. 5(9))."""
    reg = load_registry()
    if clause not in reg:
        return clause
    unit = reg.get(clause)
    if lang() == "en":
        return unit.label_en.split(" — ")[0]
    return unit.citation_short if short else unit.citation


def page_exists(name: str) -> bool:
    """Whether a page file of the app is present (pages are merged one by one)."""
    return (PAGES / f"{name}.py").exists()


def clause_href(clause: str) -> str:
    """The link to a clause on the clauses page (which reads the `clause` query parameter)."""
    return f"./clauses?clause={html.escape(clause, quote=True)}"


# -- the current scenario --------------------------------------------------------------------------------------


def samples() -> list[str]:
    """The bundled sample scenarios (file names)."""
    return sorted(p.name for p in SAMPLES.glob("*.yaml"))


def saved_names() -> list[str]:
    """The names of the scenarios saved in the work store (kb/store.py; the 编辑情景 page saves them)."""
    from kb.store import Store

    return Store().names("scenario")


def drop_keys(state: MutableMapping, *prefixes: str) -> None:
    """Forget every session entry whose key starts with one of the prefixes (widgets of what was left)."""
    for key in [k for k in state if isinstance(k, str) and k.startswith(prefixes)]:
        del state[key]


def set_scenario(name: str, text: str, source: dict[str, str] | None = None) -> None:
    """Make a scenario the session's current one (readings switched for the previous one are reset). `source`
    is where it comes from, as address parameters ({"scenario": sample file} or {"scenario": saved name,
    "version": n}); None for an uploaded or edited text, which has no address."""
    st.session_state["scenario_name"] = name
    st.session_state["scenario_text"] = text
    st.session_state["scenario_source"] = dict(source) if source else None
    st.session_state["readings"] = {}
    st.session_state.pop("readings_before", None)
    # switches, questions asked and view settings belong to the scenario they were made on
    drop_keys(st.session_state, *SCENARIO_KEYS)


def current_scenario() -> tuple[str, str]:
    """(name, text) of the session's scenario: the bundled example until the user picks another."""
    if "scenario_text" not in st.session_state:
        set_scenario(
            DEFAULT_SAMPLE, (SAMPLES / DEFAULT_SAMPLE).read_text(encoding="utf-8"), {"scenario": DEFAULT_SAMPLE}
        )
    return st.session_state["scenario_name"], st.session_state["scenario_text"]


def digest(text: str) -> str:
    """The content hash a scenario's results are cached under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def readings() -> dict[str, str]:
    """The interpretation readings the user switched in this session (name → reading)."""
    return st.session_state.setdefault("readings", {})


def readings_key(chosen: dict[str, str] | None = None) -> Readings:
    """Readings as a cache key."""
    return tuple(sorted((chosen if chosen is not None else readings()).items()))


def effective_readings(scenario_readings: dict[str, str], chosen: dict[str, str]) -> dict[str, str]:
    """Every interpretation's reading in force: the user's switches over the scenario's own over the defaults."""
    merged = {**scenario_readings, **chosen}
    return {n: merged.get(n, i.default) for n, i in load_interpretations().items()}


# -- addresses -------------------------------------------------------------------------------------------------


def scenario_source() -> dict[str, str] | None:
    """Where the session's scenario comes from as address parameters; None when it has no address."""
    return st.session_state.get("scenario_source")


def address(source: dict[str, str], chosen: dict[str, str], conclusion: str | None = None) -> str:
    """The who page's address of a scenario, the readings switched on it and a conclusion: "./?scenario=…", the
    app's root, where st.navigation serves its default page (it has no /who of its own); every value
    percent-encoded (Chinese, parentheses and commas included), the same for the same state."""
    params = [(k, source[k]) for k in ("scenario", "version") if k in source]
    params += [("reading", f"{n}:{v}") for n, v in sorted(chosen.items())]
    if conclusion is not None:
        params.append(("conclusion", conclusion))
    return "./?" + urlencode(params, quote_via=quote, safe=":")


def absolute(relative: str) -> str:
    """An address of this app made absolute against the page the browser shows (as is where none is known)."""
    try:
        here = st.context.url
    except Exception:  # noqa: BLE001 - no browser behind this session (a headless test)
        here = None
    return urljoin(here, relative) if here else relative


def _scenario_at(name: str, version: str | None) -> tuple[str, str, dict[str, str]] | dict[str, str]:
    """(display name, text, source) of the scenario an address names, or the problem as a catalogue entry."""
    current = st.session_state.get("scenario_name") or DEFAULT_SAMPLE
    file = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
    if version is None and file in samples():
        return file, (SAMPLES / file).read_text(encoding="utf-8"), {"scenario": file}
    try:
        from kb.store import Store

        store = Store()
        latest = store.latest("scenario", name)
        wanted = store.get("scenario", name, int(version)) if version and version.isdigit() else None
    except Exception as exc:  # noqa: BLE001 - an unreadable store is named, not raised
        return text("app_address", "store_unavailable", detail=str(exc))
    if latest is None:
        return text("app_address", "unknown_scenario", name=name, current=current)
    v = latest if version is None else wanted
    if v is None:
        return text(
            "app_address", "unknown_version", name=name, version=version, latest=latest.version, current=current
        )
    return f"{v.name} v{v.version}", v.content, {"scenario": v.name, "version": str(v.version)}


def open_address() -> None:
    """Apply the page's address to the session, once per distinct address: the scenario it names (a sample, or a
    saved scenario and version), its readings (`reading=name:value`, repeated) and the conclusion to explain
    (`conclusion=id`: the explanation view opens on it, every step unfolded). What cannot be applied is kept in
    st.session_state["url_problems"] as catalogue entries, and an unknown conclusion in "url_unknown"."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    applied = urlencode(sorted((k, v) for k, values in params.items() for v in values))
    if not params or st.session_state.get("address_applied") == applied:
        return
    st.session_state["address_applied"] = applied
    problems: list[dict[str, str]] = []
    name = (params.get("scenario") or [""])[0]
    if name:
        version = (params.get("version") or [None])[0]
        found = _scenario_at(name, version)
        if isinstance(found, dict):
            problems.append(found)
        elif found[2] != scenario_source() or found[1] != st.session_state.get("scenario_text"):
            set_scenario(*found)
            st.session_state.pop("sample_pick", None)  # the sample list shows the scenario the address names
    current_name, current_text = current_scenario()
    checked = check(digest(current_text), current_text, current_name)
    own = checked["readings"] if checked["ok"] else {}
    interps = load_interpretations()
    chosen: dict[str, str] = {}
    for item in params.get("reading", []):
        n, _, v = item.partition(":")
        if n not in interps or v not in interps[n].readings:
            problems.append(text("app_address", "unknown_reading", reading=item))
        elif v != own.get(n, interps[n].default):
            chosen[n] = v
    if "reading" in params or name:
        st.session_state["readings"] = chosen
        st.session_state.pop("readings_before", None)
        drop_keys(st.session_state, "interp_")
    conclusion = (params.get("conclusion") or [None])[0]
    if conclusion is not None:
        st.session_state["view"] = "explain"
        st.session_state["x_open"] = True
        st.session_state["url_conclusion"] = conclusion
    st.session_state["url_problems"] = problems


# -- cached, pure-data computations ----------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def check(key: str, _text: str, _name: str) -> dict:
    """A scenario text read and validated once per content: {"ok", "file", "issues" (line, field, what, fix),
    "readings" (the scenario's own), "scenario" (the validated model, plain data)}."""
    try:
        scenario, _ = load_scenario_text(_text, _name)
    except ScenarioError as err:
        return {"ok": False, "file": err.file, "issues": error_rows(err)}
    return {
        "ok": True,
        "file": _name,
        "issues": [],
        "readings": dict(scenario.scenario.interpretations),
        "scenario": scenario,
    }


@st.cache_data(max_entries=32, show_spinner=False)
def _model(key: str, _text: str, chosen: Readings) -> tuple[dict, dict]:
    """The readings in force and the model (every fact and conclusion as sets of tuples) of a scenario; the
    engine that computed them is dropped. Under readings switched by the user, the model of the scenario's own
    readings (cached, pure data, same content hash) is the base: only the strata the switch can reach are
    evaluated again, with the same result (reasoning/engine.py)."""
    checked = check(key, _text, "scenario")
    if not checked["ok"]:
        raise ScenarioError(checked["file"], [])
    base = _model(key, _text, ()) if chosen else None
    ev = run(checked["scenario"], dict(chosen), base=base)
    return ev.readings, ev.model


def evaluation(key: str, _text: str, chosen: Readings) -> Evaluation:
    """The evaluated scenario, rebuilt from cached pure data (the rule book is loaded once per process)."""
    readings, model = _model(key, _text, chosen)
    return Evaluation(check(key, _text, "scenario")["scenario"], readings, load_rulebook(), model)


def _views():
    from app_pages import views

    return views


@st.cache_data(max_entries=32, show_spinner=False)
def analyse(key: str, _text: str, chosen: Readings) -> dict:
    """The report (findings without their proofs), the scenario summary and the facts a user can toggle."""
    return _views().analysis(evaluation(key, _text, chosen))


@st.cache_data(max_entries=256, show_spinner=False)
def proof(key: str, _text: str, chosen: Readings, pred: str, row: tuple[str, ...]) -> dict:
    """The proof of one conclusion (liable, allowed_band, a duty, …) as a tree of plain data."""
    return _views().proof_tree(evaluation(key, _text, chosen), pred, row)


@st.cache_data(max_entries=128, show_spinner=False)
def graph(key: str, _text: str, chosen: Readings, party: str | None, clause: str | None, depth: int | None) -> dict:
    """The proof graph of a scope as DOT text, with its size."""
    return _views().graph_dot(evaluation(key, _text, chosen), party, clause, depth)


@functools.lru_cache(maxsize=16)
def svg(dot: str) -> str:
    """The SVG of a DOT text (needs graphviz's `dot` program); called when the download is clicked, so it
    runs off the script thread and uses a plain cache."""
    import graphviz

    return graphviz.Source(dot).pipe(format="svg").decode("utf-8")


@st.cache_data(max_entries=128, show_spinner=False)
def why_not(key: str, _text: str, chosen: Readings, party: str, clause: str) -> dict:
    """Why a party is not liable under a clause (reasoning/whynot.py)."""
    from reasoning.whynot import why_not as ask

    return ask(evaluation(key, _text, chosen), party, clause)


@st.cache_data(max_entries=64, show_spinner=False)
def almost(key: str, _text: str, chosen: Readings, party: str | None) -> dict:
    """What is one or two facts away (reasoning/whynot.py)."""
    from reasoning.whynot import almost as ask

    return ask(evaluation(key, _text, chosen), party, limit=30)


@st.cache_data(max_entries=64, show_spinner=False)
def contrast(key: str, _text: str, chosen: Readings, party: str | None) -> dict:
    """Why this sanction band and what would move it (explain/contrast.py)."""
    from explain.contrast import contrast as ask

    return ask(evaluation(key, _text, chosen), party)


@st.cache_data(max_entries=64, show_spinner=False)
def diff_readings(key: str, _text: str, before: Readings, after: Readings) -> dict:
    """What changed between two sets of readings of the same scenario (reasoning/diff.py)."""
    from reasoning.diff import compare

    return compare(evaluation(key, _text, before), evaluation(key, _text, after))


@st.cache_data(max_entries=64, show_spinner=False)
def what_if(
    key: str, _text: str, chosen: Readings, added: tuple[tuple[str, tuple[str, ...]], ...], removed: tuple
) -> dict:
    """What changes when facts are added to or removed from the scenario (reasoning/diff.py)."""
    from reasoning.diff import compare, with_changes

    ev = evaluation(key, _text, chosen)
    return compare(ev, with_changes(ev, list(added), list(removed)))
