"""The evaluation as plain data (the `--json` output): findings with proofs, duties with deadlines.
Everything is sorted so that the same input always gives byte-identical JSON."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Any, TextIO

from explain.catalogue import label, text
from explain.deferred import Deferred
from explain.proof import Proof, Prover, describe, to_json
from explain.scope_notes import scope_notes
from kb.dates import approximate, show
from kb.gc_pause import gc_paused
from kb.interpretations import load_interpretations
from kb.registry import covers, load_overlaps, load_registry
from kb.schema import METHODS, Accountability, Scenario, circumstances_of
from reasoning.deadlines import INTERPRETATION as DEADLINE_INTERPRETATION
from reasoning.deadlines import compute
from reasoning.facts import CIRCUMSTANCE_FACTS
from reasoning.queries import DUTY_PREDICATES, Evaluation


def overlaps_between(a: str, b: str) -> dict | None:
    """The overlap entry relating two clauses, if the measures describe the same conduct in both."""
    for entry in load_overlaps():
        for left, right in ((a, b), (b, a)):
            if covers(entry["a"], left) and any(covers(u, right) for u in entry["b"]):
                return entry
    return None


def _mark_overlaps(findings: list[dict]) -> None:
    """Tell, on each finding, which other findings of the same party and event describe the same conduct."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for f in findings:
        groups.setdefault((f["party"], f["event"]), []).append(f)
    for f in findings:
        f["overlaps"] = []
        for g in groups[(f["party"], f["event"])]:
            if g is f:
                continue
            entry = overlaps_between(f["clause"], g["clause"])
            if entry:
                f["overlaps"].append({"clause": g["clause"], "zh": entry["zh"], "en": entry["en"]})


def _names(s: Scenario) -> dict[str, tuple[str, str]]:
    """id → (display name, kind) for units and persons."""
    out = {u.id: (u.name or u.id, u.kind) for u in s.units}
    out.update({p.id: (p.name or p.id, "人员") for p in s.persons})
    out.update({g.id: (g.label, "群体") for g in s.groups})
    return out


def _clause_order() -> dict[str, int]:
    return {u.id: i for i, u in enumerate(load_registry().units)}


def _positions(s: Scenario, person: str, event_date: dt.date) -> tuple[list[dict], list[dict]]:
    """Positions held at the time of an event, and those since left (before the assessment date)."""
    held, departed = [], []
    for p in s.persons:
        if p.id != person:
            continue
        for pos in p.positions:
            if pos.from_ <= event_date and (pos.to is None or event_date <= pos.to):
                entry = {
                    "unit": pos.unit,
                    "role": pos.role,
                    "title": pos.title,
                    "from": pos.from_.isoformat(),
                    "to": pos.to.isoformat() if pos.to else None,
                }
                held.append(entry)
                if pos.to is not None and pos.to < s.scenario.as_of:
                    departed.append({**entry, "note": label("departed", left=pos.to.isoformat())})
    return held, departed


@gc_paused()  # the collector's passes over the model and the proofs cost more than building the report
def build_report(ev: Evaluation, proofs: bool = True, defer: bool = False) -> dict:
    """The whole answer to "who is liable, why, and what follows" for one evaluated scenario. Without `proofs`
    the findings and duties carry no "proof" (the app fetches one proof at a time); all else is the same.
    With `defer`, each proof is a `Deferred` (explain/deferred.py) made only when written (`write_json`,
    `narrative.render`), so that a large answer's proofs are never all in memory at once."""
    s = ev.scenario
    reg = load_registry()
    names = _names(s)
    order = _clause_order()
    dates = {e.id: e.date for e in s.events}
    prover = Prover(ev.rulebook, ev.model)
    interps = load_interpretations()

    findings = []
    rows = sorted(ev.liabilities(), key=lambda r: (r[3], order.get(r[2], 10**6), r[2], r[0], r[1]))
    for party, resp, clause, event in rows:
        proof = prover.prove("liable", (party, resp, clause, event))
        assert proof is not None, (party, resp, clause, event)
        unit = reg.get(clause)
        name, kind = names.get(party, (party, ""))
        finding = {
            "party": party,
            "party_name": name,
            "party_kind": kind,
            "responsibility": resp,
            "responsibility_label": text("responsibility", resp),
            "collective": resp in ("主体责任", "集体责任"),
            "clause": clause,
            "citation": unit.citation,
            "clause_text": unit.text,
            "event": event,
            "event_date": show(dates[event]),
            "decided_by": ev.decided_by(party, clause, event),
            "team_sanctions": _team_methods(ev, party, clause, event),
            "team_sanction_basis": _team_basis(ev, party, clause, event),
            **_circumstances(ev, party, clause, event),
            "refer_a1": (party, clause, event) in ev.model.get("refer_a1", ()),
            "refer_basis": {"D16": "D16-10", "A2": "A2-8"}.get(unit.doc),
            "sanction": _sanction(ev, party, clause, event),
            "scope": sorted({r[2] for r in ev.about(SCOPE.get(unit.doc, ""), party, event)}),
            "channels": [r[2] for r in ev.about("channel", party, event)],
            "interpretations": [{"name": n, "reading": v} for n, v in sorted(proof.interpretations())],
            "reads": describe("liable", (name, text("responsibility", resp)["zh"], unit.citation_short, event)),
        }
        if proofs:
            finding["proof"] = _proof_json(proof, ev, defer)
        if kind == "人员":
            finding["position_at_time"], finding["departed"] = _positions(s, party, dates[event])
        findings.append(finding)

    _mark_overlaps(findings)
    duties = []
    for pred in DUTY_PREDICATES:
        for args in ev.rows(pred):
            proof = prover.prove(pred, args)
            assert proof is not None
            rule = ev.rulebook.rule(proof.rule)  # type: ignore[arg-type]
            duty = {
                "duty": pred,
                "args": list(args),
                "clause": rule.clause,
                "citation": reg.get(rule.clause).citation,
                "reads": text("duty", pred, *[names.get(a, (a, ""))[0] for a in args]),
            }
            if proofs:
                duty["proof"] = _proof_json(proof, ev, defer)
            duty.update(_deadlines(pred, args, ev))
            duties.append(duty)

    return {
        "scenario": {"id": s.scenario.id, "title": s.scenario.title, "as_of": show(s.scenario.as_of)},
        "interpretations": [
            {
                "name": n,
                "reading": r,
                "is_default": r == interps[n].default,
                "zh": interps[n].readings[r]["zh"],
                "en": interps[n].readings[r]["en"],
            }
            for n, r in ev.readings.items()
        ],
        "assumption": label("closed_world"),
        "notices": [text("notices", "d16_16")],  # D16-16: newer upper-level rules prevail (standing notice)
        "scope_notes": scope_notes(s, ev.readings),
        "findings": findings,
        "case_parties": _case_parties(ev, names),
        "records": _records(s, names),
        "dates": _date_convention(s),
        "duties": duties,
        "summary": {
            "findings": len(findings),
            "parties": len({f["party"] for f in findings}),
            "duties": len(duties),
        },
    }


def _severity(ev: Evaluation, party: str, clause: str, event: str) -> str | None:
    """The severity this liability rests on: the matter's own, or for a failure to pursue the severity found for
    that failure (never the original case's); None when none was found."""
    return next((r[3] for r in ev.about("liability_severity", party, clause, event)), None)


def _approximate_basis(basis: str, pred: str, args: tuple[str, ...], s: Scenario) -> bool:
    """Whether the date a deadline counts from was given only to the month or the year."""
    field = basis.split("=", 1)[0]
    if pred == "quarterly_report":
        return approximate(s.scenario.as_of)
    for e in s.events:
        if isinstance(e, Accountability) and (e.target, e.concerning) == tuple(args[:2]):
            if approximate(getattr(e, field, None)):
                return True
    return False


def _records(s: Scenario, names: dict) -> list[dict]:
    """What happened about each party, as recorded: accountability carried out with its outcome (the A1-13
    methods, 党纪处分 and 政务处分, other measures — kept apart, A1-4), or a decision not to pursue."""
    out = []
    for e in s.events:
        if not isinstance(e, Accountability):
            continue
        out.append(
            {
                "id": e.id,
                "date": show(e.date),
                "concerning": e.concerning,
                "target": e.target,
                "target_name": names.get(e.target, (e.target, ""))[0],
                "by": e.by,
                "outcome": e.outcome,
                "methods": list(e.methods),
                "party_discipline": e.party_discipline,
                "government_discipline": e.government_discipline,
                "other_measures": list(e.other_measures),
                "unknown_dates": list(e.unknown_dates),
                "severity": (circumstances_of(e).degree if circumstances_of(e) else None),
                "circumstances": [
                    fact
                    for attr, fact in CIRCUMSTANCE_FACTS
                    if circumstances_of(e) and getattr(circumstances_of(e), attr)
                ],
            }
        )
    return sorted(out, key=lambda r: (r["date"], r["id"]))


def _case_parties(ev: Evaluation, names: dict) -> list[dict]:
    """The 当事人 of each 一案双查 case: D16-8 presupposes their liability and does not create it, so each is
    shown with its own basis (an A1/A2 situation found about the party, or D16-10 → A1 / party discipline),
    whether the measures cover the party at all, and the disciplinary and judicial channels."""
    out = []
    for case, party in sorted(ev.rows("case_party_of")):
        name, kind = names.get(party, (party, ""))
        out.append(
            {
                "case": case,
                "party": party,
                "party_name": name,
                "party_kind": kind,
                "in_scope": bool(ev.about("party_in_scope", party, case)),
                "own_basis": sorted(r[2] for r in ev.about("party_basis", party, case)),
                "refer_d16_10": bool(ev.about("party_refer", party, case)),
                "channels": sorted(r[2] for r in ev.about("channel", party, case)),
            }
        )
    return out


def _date_convention(s: Scenario) -> dict | None:
    """The convention for dates given only to the month or the year, stated wherever one is used."""
    partial = sorted({show(v) for v in _all_dates(s) if approximate(v)})
    return {"approximate": partial, "convention": label("partial_dates")} if partial else None


def _all_dates(s: Scenario):
    yield s.scenario.as_of
    for p in s.persons:
        for pos in p.positions:
            yield pos.from_
            if pos.to:
                yield pos.to
    for e in s.events:
        for name in ("date", "handled_on", "served_on", "received_on", "appeal_filed_on", "appeal_decided_on"):
            v = getattr(e, name, None)
            if v is not None:
                yield v


def _deadlines(pred: str, args: tuple[str, ...], ev: Evaluation) -> dict:
    """Concrete dates for the duties that have a period, each with the rule that set it."""
    items = compute(pred, args, ev.scenario, ev.readings[DEADLINE_INTERPRETATION])
    if not items:
        return {}
    out = []
    for d in items:
        entry = {
            "rule": d.rule,
            "basis": d.basis,
            "counting": d.counting,
            "date": d.date.isoformat() if d.date else None,
        }
        if _approximate_basis(d.basis, pred, args, ev.scenario):
            entry["approximate"] = True
        if d.status:
            entry["status"] = d.status
        if d.gap:
            entry["gap"] = d.gap
        out.append(entry)
    return {"deadlines": out}


SCOPE = {"A1": "a1_scope", "A2": "a2_scope"}  # the scope conclusions of the measures that have one


def _method_order(method: str) -> int:
    """Methods in the order of A1-13."""
    return METHODS.index(method) if method in METHODS else len(METHODS)


# D16-9's ways for a team, in the order of the text (情节较轻 … 情节严重、造成恶劣影响)
D16_9_METHODS = ("及时予以提醒", "责令作出书面检查", "通报批评", "对该领导班子进行调整处理")


def _team_methods(ev: Evaluation, party: str, clause: str, event: str) -> list[str]:
    """A team's methods in the order of the text they come from: D16-9's, else A1-13's."""
    rows = [r[3] for r in ev.about("team_sanction", party, clause, event)]
    if any(r[3] == "D16-9" for r in ev.about("team_sanction_basis", party, clause, event)):
        return sorted(rows, key=lambda m: D16_9_METHODS.index(m) if m in D16_9_METHODS else len(D16_9_METHODS))
    return sorted(rows, key=_method_order)


def _circumstances(ev: Evaluation, party: str, clause: str, event: str) -> dict:
    """The sanction facts that count for one liability (A1-14p1, D16-9): the matter's own, or for a failure to
    pursue those found for that failure (`liability_severity`, `liability_circumstance`; never the original's)."""
    key = (party, clause, event)
    return {
        "severity": _severity(ev, party, clause, event),
        "circumstances": sorted({r[3] for r in ev.about("liability_circumstance", *key)}),
        "chain_level": key in ev.model.get("chained", ()),
    }


def _team_basis(ev: Evaluation, party: str, clause: str, event: str) -> list[dict]:
    """The clause a team's methods come from (D16-9, or A1-14p2 via A2-8 or the team_sanctions reading)."""
    reg = load_registry()
    basis = sorted({r[3] for r in ev.about("team_sanction_basis", party, clause, event)})
    return [{"clause": c, "citation": reg.get(c).citation, "citation_short": reg.get(c).citation_short} for c in basis]


def _sanction(ev: Evaluation, party: str, clause: str, event: str) -> dict | None:
    """For an individual: the bands and methods the measures allow, why, and who decides each method."""
    key = (party, clause, event)
    base = [r[3] for r in ev.about("base_band", *key)]
    if not ev.about("individual", *key):
        return None
    return {
        **_circumstances(ev, party, clause, event),
        "base_band": max(base, key=int) if base else None,
        "base_bands": sorted(set(base), key=int),
        "allowed_bands": [r[3] for r in ev.about("allowed_band", *key)],
        "methods": sorted((r[3] for r in ev.about("allowed_method", *key)), key=_method_order),
        "mitigating": [r[2] for r in ev.about("mitigating", party, event)],
        "aggravating": [r[2] for r in ev.about("aggravating", party, event)],
        "deciders": [
            {"method": r[3], "organ": r[4]}
            for r in sorted(ev.about("method_decider", *key), key=lambda r: _method_order(r[3]))
        ],
        "needs_consent": [r[3] for r in ev.about("needs_consent", *key)],
        "procedure": [r[2] for r in ev.about("case_type", party, event)],
        "organs": [{"role": r[2], "unit": r[3]} for r in ev.about("organ_unit", party, event)],
        "methods_decided": [r[2] for r in ev.about("decided_method", party, event)],
    }


def _proof_json(proof: Proof, ev: Evaluation, defer: bool) -> dict | Deferred:
    return Deferred(partial(to_json, proof, ev.rulebook)) if defer else to_json(proof, ev.rulebook)


def _made(value: Any) -> Any:
    """The JSON encoder's hook for what it cannot write itself: a Deferred value, made now."""
    if isinstance(value, Deferred):
        return value.make()
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(data: dict) -> str:
    """Canonical JSON: UTF-8 text, sorted keys, fixed indentation."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)


@gc_paused()  # the proofs made while writing are freed as soon as written, by reference counting
def write_json(data: dict, out: TextIO, pieces: int = 65_536) -> None:
    """The same text as `dumps`, written as it is made, `pieces` encoder pieces at a time: the whole text and
    every deferred proof are never in memory at once (5,000 findings on one person: 562 MB of JSON)."""
    batch: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2, default=_made).iterencode(data):
        batch.append(piece)
        if len(batch) >= pieces:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
