"""The data the app's pages show, computed from one evaluation: plain, picklable data (cached by
app_pages/common.py), with no Streamlit in it so it can be tested on its own."""

from __future__ import annotations

import re

from explain.graph import build_graph, to_dot
from explain.proof import Prover, describe, to_json
from explain.report import build_report
from kb.registry import load_registry
from reasoning.diff import scenario_rows
from reasoning.queries import DUTY_PREDICATES, Evaluation

# Scenario facts a user can switch off (or on) in the what-if view: what a finding, case or record says.
TOGGLE = (
    "established",
    "severity",
    "event_flag",
    "finding_party",
    "event_portfolio",
    "portfolio_at",
    "pursued",
    "declined",
)


# The derived conclusions the page shows, each with an explanation (and an address) of its own: kind → predicates.
CONCLUSIONS = (
    ("liable", ("liable",)),
    ("band", ("allowed_band",)),
    ("method", ("allowed_method",)),
    ("decider", ("method_decider",)),
    ("duty", DUTY_PREDICATES),
)
_ID_SPECIAL = re.compile(r"[%,()]")


def conclusion_id(pred: str, args: tuple[str, ...] | list[str]) -> str:
    """A conclusion's id, the same for the same conclusion in every run: pred(arg,…) as the proof graph names it,
    with "%", ",", "(" and ")" inside an argument written %25, %2C, %28, %29 so that two conclusions never share
    an id. Chinese stays as it is here; the address percent-encodes the whole id (app_pages/common.py)."""

    def one(arg: str) -> str:
        return _ID_SPECIAL.sub(lambda m: f"%{ord(m.group()):02X}", arg)

    return f"{pred}({','.join(one(a) for a in args)})"


def _units_tree(ev: Evaluation) -> list[dict]:
    """The units as a forest: each {id, name, kind, answers_for, children}; parents not in the scenario are roots."""
    units = ev.scenario.units
    ids = {u.id for u in units}
    nodes = {
        u.id: {"id": u.id, "name": u.name or u.id, "kind": u.kind, "answers_for": u.answers_for, "children": []}
        for u in units
    }
    roots = []
    for u in units:
        parent = u.parent if u.parent in ids else None
        if u.answers_for in ids and not u.parent:
            parent = u.answers_for  # a 党委/纪委 is shown under the unit it answers for
        (nodes[parent]["children"] if parent else roots).append(nodes[u.id])
    return roots


def _persons(ev: Evaluation) -> list[dict]:
    names = {u.id: u.name or u.id for u in ev.scenario.units}
    rows = []
    for p in ev.scenario.persons:
        for pos in p.positions or [None]:
            rows.append(
                {
                    "id": p.id,
                    "name": p.name or p.id,
                    "unit": names.get(pos.unit, pos.unit) if pos else "",
                    "role": pos.role if pos else "",
                    "title": pos.title if pos else "",
                    "portfolio": "、".join(pos.portfolio) if pos else "",
                    "from": pos.from_.isoformat() if pos else "",
                    "to": pos.to.isoformat() if pos and pos.to else "",
                }
            )
    return rows


def _events(ev: Evaluation) -> list[dict]:
    """The events in time order, each with who or what it concerns and the elements it establishes."""
    out = []
    for e in sorted(ev.scenario.events, key=lambda e: (e.date, e.id)):
        about = getattr(e, "subject", None) or getattr(e, "party", None) or getattr(e, "target", None) or ""
        out.append(
            {
                "id": e.id,
                "date": e.date.isoformat(),
                "type": e.type,
                "about": about,
                "unit": getattr(e, "unit", None) or getattr(e, "by", None) or "",
                "concerning": getattr(e, "concerning", None) or "",
                "outcome": getattr(e, "outcome", None) or "",
                "elements": list(getattr(e, "elements", []) or []),
                "severity": getattr(e, "severity", None) or "",
            }
        )
    return out


def _finding_duties(finding: dict, duties: list[dict], events: set[str]) -> list[int]:
    """The procedural duties (their indexes) that concern a finding's party and its event, or the party alone
    where the duty names no event."""
    party, event = finding["party"], finding["event"]
    return [
        i for i, d in enumerate(duties) if party in d["args"] and (event in d["args"] or not events & set(d["args"]))
    ]


def analysis(ev: Evaluation) -> dict:
    """Everything the "who is liable" page shows without asking further (proofs are fetched one at a time)."""
    report = build_report(ev, proofs=False)
    reg = load_registry()
    for f in report["findings"]:
        f["row"] = [f["party"], f["responsibility"], f["clause"], f["event"]]
        f["doc"] = reg.get(f["clause"]).doc
        f["duties"] = _finding_duties(f, report["duties"], {e.id for e in ev.scenario.events})
    rows = scenario_rows(ev)
    names = ev.scenario.names()
    facts = [
        {"pred": pred, "args": list(args), "reads": describe(pred, tuple(names.get(a, a) for a in args))}
        for pred in TOGGLE
        for args in sorted(rows.get(pred, ()))
    ]
    conclusions = []
    for kind, preds in CONCLUSIONS:
        for pred in preds:
            # liabilities in the order of the findings (by event, then clause); the others sorted
            found = [tuple(f["row"]) for f in report["findings"]] if pred == "liable" else ev.rows(pred)
            for args in found:
                conclusions.append(
                    {
                        "id": conclusion_id(pred, args),
                        "kind": kind,
                        "pred": pred,
                        "args": list(args),
                        "reads": describe(pred, tuple(names.get(a, a) for a in args)),
                    }
                )
    clauses = sorted(
        {r.clause for r in ev.rulebook.rules if r.head.pred == "liable" and r.clause in reg},
        key=lambda c: [u.id for u in reg.units].index(c) if c in reg else 10**6,
    )
    return {
        "report": report,
        "units": _units_tree(ev),
        "persons": _persons(ev),
        "events": _events(ev),
        "facts": facts,
        "parties": [{"id": k, "name": v} for k, v in names.items()],
        "clauses": [{"id": c} for c in clauses],
        "conclusions": conclusions,
        "individuals": sorted({k[0] for k in ev.model.get("individual", ())}),
    }


def proof_tree(ev: Evaluation, pred: str, row: tuple[str, ...]) -> dict:
    """The proof of one conclusion (a liability, band, method, decider or duty) as nested plain data
    (explain/proof.py); {} when it does not hold."""
    proof = Prover(ev.rulebook, ev.model).prove(pred, tuple(row))
    if proof is None:
        return {}
    return to_json(proof, ev.rulebook)


def graph_dot(ev: Evaluation, party: str | None, clause: str | None, depth: int | None) -> dict:
    """The proof graph of a scope (whole scenario, one party, one clause) as DOT text."""
    g = build_graph(ev, party, clause, max_depth=depth)
    return {
        "dot": to_dot(g),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "roots": len(g.graph.get("roots", [])),
    }
