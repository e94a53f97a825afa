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
def _review(source: str, decision_text: str, scenario_text: str, alternatives: bool, key: str) -> dict:
    """The worded review, receipt and documents of one decision (pure data; `key` is the content hash)."""
    from explain.documents import write
    from explain.review import build
    from reasoning.review import review

    if source:
        loaded = load_decision(source)
    else:
        loaded = load_decision_texts(decision_text, scenario_text, "decision")
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
        st.markdown(f"- {md(pick(row['where']))}: {md(pick(row['what']))} — **{_t('fix')}**: {md(pick(row['fix']))}")


def _scenario_of(decision_text: str) -> str:
    """The scenario text a decision names, read beside the bundled decisions (kb/decisions)."""
    decision, root = load_decision_text(decision_text, "decision")
    path = (DECISIONS / decision.decision.scenario).resolve()
    if not path.is_file():
        where = ("decision", "scenario")
        issue = Issue("decision_no_scenario", where, line_of(root, where), {"value": decision.decision.scenario})
        raise ScenarioError("decision", [issue])
    return path.read_text(encoding="utf-8")


def _editor(text: str, name: str) -> str | None:
    """Fill in or change the decision as text and save it with its history (SQLite, kb/store.py); the text to
    review when the user asked for it, else None. Nothing typed is lost: the text stays in the box."""
    with st.expander(_t("edit"), expanded=bool(st.session_state.get("review_edited"))):
        box = st.text_area(_t("decision_text"), value=text, height=320, key=f"review_text_{name}")
        cols = st.columns(3)
        if cols[0].button(_t("review_this"), key="review_this"):
            st.session_state["review_edited"] = box
        save_as = cols[1].text_input(_t("save_name"), value=Path(name).stem, key="review_save_name")
        if cols[2].button(_t("save"), key="review_save"):
            try:
                version = Store().save("decision", save_as, box)
                st.success(_t("saved", name=md(save_as), version=version.version))
            except StoreError as err:
                st.error(md(err))
        store = Store()
        saved = store.names("decision")
        if saved:
            pick_name = st.selectbox(_t("saved_list"), saved, key="review_saved_name")
            if st.button(_t("open_saved"), key="review_open_saved"):
                st.session_state["review_edited"] = store.latest("decision", pick_name).content
    return st.session_state.get("review_edited")


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
        source, d_text, s_text = (
            "",
            up_d.getvalue().decode("utf-8", "replace"),
            up_s.getvalue().decode("utf-8", "replace"),
        )
    else:
        path = DECISIONS / choice
        source, d_text, s_text = str(path), path.read_text(encoding="utf-8"), ""
    edited = _editor(d_text, choice if up_d is None else up_d.name)
    if edited is not None:
        try:
            s_text = s_text or _scenario_of(edited)
        except ScenarioError as err:
            _show_errors(err)
            return
        source, d_text = "", edited
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
    st.dataframe(rows, hide_index=True, use_container_width=True, key="review_table")
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
    st.caption(f"{lang()} · {data['scenario']['file']}")


main()
