"""Streamlit app: evaluate a bundled sample scenario (or an uploaded one) and show who bears which
responsibility, under which clause, and why. Each rerun evaluates in a fresh pyDatalog Logic() on the
session's own thread; no engine is cached across sessions (ENGINE-NOTES.md: cached engines leak)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from akb.cli import render_error
from explain.catalogue import both, label
from explain.narrative import render
from explain.report import build_report, dumps
from kb.interpretations import load_interpretations
from kb.scenario_io import ScenarioError, load_scenario_text
from reasoning.queries import run

SAMPLES = Path(__file__).parent / "kb" / "scenarios"
DEFAULT = "d16-8-chain-three-levels.yaml"


def _proof_tree(node: dict, depth: int = 0) -> None:
    """Show a proof node and, on demand, its premises."""
    pad = "　" * depth
    if node["kind"] == "see_above":
        st.markdown(f"{pad}↳ {node['reads']['zh']}（{label('seen_above')['zh']}）")
        return
    rule = node["rule"]
    st.markdown(f"{pad}↳ **{node['reads']['zh']}** — {node['reads']['en']}")
    st.caption(f"{pad}{rule['id']} · {rule['citation']}：{rule['gloss']['zh']} / {rule['gloss']['en']}")
    for fact in node["facts"]:
        st.markdown(f"{pad}　· {fact['reads']['zh']} / {fact['reads']['en']}")
    for absent in node["absent"]:
        st.markdown(f"{pad}　· ⊘ {both(label('absent'))}: {absent['reads']['zh']}")
    for sub in node["because"]:
        _proof_tree(sub, depth + 1)


def main() -> None:
    st.set_page_config(page_title="问责办法知识库 Accountability KB", layout="wide")
    st.title("连云港问责办法知识库 · Accountability knowledge base")
    st.caption("连发〔2015〕16号《党风廉政建设责任追究暂行办法》 — 谁承担何种责任、依据哪一条、为什么")

    samples = sorted(p.name for p in SAMPLES.glob("*.yaml"))
    choice = st.sidebar.selectbox("示例情景 Sample scenario", samples, index=samples.index(DEFAULT))
    upload = st.sidebar.file_uploader("或上传情景 or upload a scenario (YAML)", type=["yaml", "yml"])
    chosen: dict[str, str] = {}
    st.sidebar.markdown(f"**{both(label('interpretations'))}**")
    for name, interp in load_interpretations().items():
        readings = list(interp.readings)
        chosen[name] = st.sidebar.selectbox(
            name, readings, index=readings.index(interp.default), help=f"{interp.zh}\n\n{interp.en}"
        )

    if upload is not None:
        source, text = upload.name, upload.getvalue().decode("utf-8", errors="replace")
    else:
        source, text = choice, (SAMPLES / choice).read_text(encoding="utf-8")
    try:
        scenario, _ = load_scenario_text(text, source)
    except ScenarioError as err:
        st.error(render_error(err))
        st.code(text, language="yaml")
        return

    report = build_report(run(scenario, chosen))
    sc = report["scenario"]
    st.subheader(f"{sc['title']}")
    st.write(f"{both(label('as_of'))}: {sc['as_of']} · {both(report['assumption'])}")
    st.markdown(f"### {both(label('findings'))} ({report['summary']['findings']})")
    if not report["findings"]:
        st.info(both(label("no_findings")))
    for f in report["findings"]:
        resp = f["responsibility_label"]
        with st.expander(f"{f['party_name']} — {resp['zh']} · {f['citation']}"):
            st.markdown(f"**{resp['zh']}** / {resp['en']} · 事件 event {f['event']} ({f['event_date']})")
            st.markdown(f"> {f['clause_text']}")
            if f["decided_by"]:
                st.write(f"{both(label('decided_by'))}: {'、'.join(f['decided_by'])}")
            if f["team_sanctions"]:
                st.write(f"{both(label('team_sanctions'))}: {'；'.join(f['team_sanctions'])}")
            for d in f.get("departed", []):
                st.warning(both(d["note"]))
            for i in f["interpretations"]:
                st.caption(f"◇ {both(label('interpretation'))}: {i['name']} = {i['reading']}")
            _proof_tree(f["proof"])
    if report["duties"]:
        st.markdown(f"### {both(label('duties'))}")
        for d in report["duties"]:
            deadline = f" — {label('deadline')['zh']} {d['deadline']}" if d.get("deadline") else ""
            st.markdown(f"- {d['reads']['zh']}（{d['citation']}）{deadline}  \n  {d['reads']['en']}")
    st.download_button("JSON", dumps(report), file_name=f"{sc['id']}.json", mime="application/json")
    with st.expander("文本 Text"):
        st.text(render(report))


main()
