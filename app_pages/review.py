"""决定审查 / Reviewer: check a proposed accountability decision clause by clause (reasoning/review, worded by
explain/review.py), with the receipt and the drafted documents to download. Results are cached as pure data keyed
by the decision's and scenario's content and the readings; no engine is kept between reruns."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from app_pages import review_form, review_state
from app_pages.common import digest, lang, md, pick, t
from explain.errors import error_rows
from kb.decision_schema import load_decision, load_decision_text, load_decision_texts
from kb.scenario_io import Issue, ScenarioError, line_of
from kb.store import Store, StoreError

DECISIONS = Path(__file__).resolve().parent.parent / "kb" / "decisions"
T = "app_review"


def _t(key: str, **params) -> str:
    return t(key, section=T, **params)


@st.cache_data(show_spinner=False, max_entries=64)
def _review(source: str, _decision_text: str, _scenario_text: str, alternatives: bool, key: str) -> dict:
    """The worded review, receipt and documents of one decision (pure data; kept by `key`, the texts' hash)."""
    from explain.documents import write
    from explain.review import build
    from reasoning.review import review

    if source:
        loaded = load_decision(source)
    else:
        loaded = load_decision_texts(_decision_text, _scenario_text, "decision")
    result = review(loaded, alternatives=alternatives)
    data = build(loaded, result, proofs=False)
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w") as zf:
        for path in write(loaded, data, Path(tmp)):
            zf.write(path, path.name)
    return {"data": data, "zip": buf.getvalue()}


def _show_errors(err: ScenarioError) -> None:
    st.error(_t("bad_input", file=md(err.file)))
    for row in error_rows(err):
        st.markdown(f"- {review_form.row_text(row)}")


def _scenario_of(decision_text: str) -> str:
    """The scenario text a decision names, read beside the bundled decisions (kb/decisions)."""
    decision, root = load_decision_text(decision_text, "decision")
    path = (DECISIONS / decision.decision.scenario).resolve()
    if not path.is_file():
        where = ("decision", "scenario")
        issue = Issue("decision_no_scenario", where, line_of(root, where), {"value": decision.decision.scenario})
        raise ScenarioError("decision", [issue])
    return path.read_text(encoding="utf-8")


def _on_review_text(key: str) -> None:
    """Review the text as typed; the form follows it when it can show it (else it says why)."""
    st.session_state["review_edited"] = st.session_state[key]
    st.session_state["review_edited_form"] = False
    review_state.fill_from_text(st.session_state[key], _t("decision_text"))


def _on_from_text(key: str) -> None:
    review_state.fill_from_text(st.session_state[key], _t("decision_text"))


def _on_open_saved(key: str) -> None:
    name = st.session_state.get("review_saved_name")
    saved = Store().latest("decision", name) if name else None
    if saved is not None:
        st.session_state[key] = saved.content
        _on_review_text(key)


def _editor(key: str) -> None:
    """Fill in or change the decision as text and save it with its history (SQLite, kb/store.py). Nothing typed
    is lost: the text stays in the box."""
    st.text_area(_t("decision_text"), height=320, key=key)
    st.session_state["review_kept"] = (key, st.session_state[key])  # kept beyond the widget (page switches)
    cols = st.columns(3)
    cols[0].button(_t("review_this"), key="review_this", on_click=_on_review_text, args=(key,))
    cols[0].button(_t("from_text"), key="review_from_text", on_click=_on_from_text, args=(key,))
    save_as = cols[1].text_input(
        _t("save_name"), value=key.removeprefix("review_text_").rsplit(".", 1)[0], key="review_save_name"
    )
    if cols[2].button(_t("save"), key="review_save"):
        try:
            version = Store().save("decision", save_as, st.session_state[key])
            st.success(_t("saved", name=md(save_as), version=version.version))
        except StoreError as err:
            st.error(md(err))
    saved = Store().names("decision")
    if saved:
        st.selectbox(_t("saved_list"), saved, key="review_saved_name")
        st.button(_t("open_saved"), key="review_open_saved", on_click=_on_open_saved, args=(key,))


def main() -> None:
    st.title(_t("title"))
    st.caption(_t("caption"))
    names = sorted(p.name for p in DECISIONS.iterdir() if p.suffix in (".yaml", ".json"))
    choice = st.selectbox(_t("sample"), names, index=0, key="review_sample")
    up_d = st.file_uploader(_t("upload_decision"), type=["yaml", "yml", "json"], key="review_up_decision")
    up_s = st.file_uploader(_t("upload_scenario"), type=["yaml", "yml", "json"], key="review_up_scenario")
    alternatives = st.checkbox(_t("alternatives"), value=False, key="review_alternatives")
    if up_d is not None and up_s is None:
        st.info(_t("need_scenario"))
        return
    if up_d is not None:
        name, source = up_d.name, ""
        d_text, s_text = up_d.getvalue().decode("utf-8", "replace"), up_s.getvalue().decode("utf-8", "replace")
        shown = _t("reviewed_upload", name=md(name))
    else:
        path = DECISIONS / choice
        name, source, d_text, s_text = choice, str(path), path.read_text(encoding="utf-8"), ""
        shown = _t("reviewed_sample", name=md(name))
    key = f"review_text_{name}"
    ss = st.session_state
    if ss.get("review_last") != name:  # another decision picked: it is what is reviewed, and the form follows it
        ss["review_last"] = name
        ss.pop("review_edited", None)
        ss[key] = d_text
        review_state.fill_from_text(d_text, name)
    elif key not in ss:  # the text box was dropped (another page was open): what it held comes back
        kept = ss.get("review_kept") or ("", "")
        ss[key] = kept[1] if kept[0] == key else d_text
    tab_form, tab_text = st.tabs([_t("tab_form"), _t("tab_text")])
    with tab_form:
        review_form.render(key)
    with tab_text:
        _editor(key)
    edited = ss.get("review_edited")
    if edited is not None:
        from_form = ss.get("review_edited_form", False)
        try:  # the form names a bundled scenario; a text keeps an uploaded one
            s_text = _scenario_of(edited) if from_form or not s_text else s_text
        except ScenarioError as err:
            _show_errors(err)
            return
        source, d_text = "", edited
        shown = _t("reviewed_form" if from_form else "reviewed_text")
    st.caption(shown)
    try:
        with st.spinner(_t("reviewing")):
            out = _review(source, d_text, s_text, alternatives, digest(d_text + "\0" + s_text))
    except ScenarioError as err:
        _show_errors(err)
        return
    data = out["data"]
    s = data["summary"]
    (st.success if data["ok"] else st.warning)(
        _t("problems", n=s.get("problems", 0), c=s.get("cannot_tell", 0), p=s.get("passes", 0))
    )
    rows = [
        {
            _t("verdict"): t(
                v["verdict"] if not (v["verdict"] == "pass" and v["note"]) else "pass_note", section="review_verdicts"
            ),
            _t("check"): t(v["check"], section="review_checks"),
            _t("party"): v["party_name"] or _t("whole"),
            _t("clause"): v["clause"],
            _t("reason"): pick(v["reads"]),
            _t("fix"): pick(v["fix_reads"]) if v["fix_reads"] else "—",
            _t("readings"): ", ".join(v["interpretations"]),
        }
        for v in data["verdicts"]
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="review_table")
    receipt = json.dumps(data["receipt"], ensure_ascii=False, sort_keys=True, indent=2)
    st.download_button(
        _t("receipt"),
        receipt,
        file_name=f"{data['decision']['id']}-receipt.json",
        mime="application/json",
        key="review_receipt",
    )
    st.download_button(
        _t("documents"),
        out["zip"],
        file_name=f"{data['decision']['id']}-documents.zip",
        mime="application/zip",
        key="review_documents",
    )
    st.caption(f"{lang()} · {md(data['scenario']['file'])}")


main()
