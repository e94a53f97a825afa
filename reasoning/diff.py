"""What-if: compare two evaluations — conclusions gained and lost, each explained by the facts that made the
difference; the same for individual sanction bands, team sanctions, procedural duties and their deadlines.

A conclusion that holds in one model and not in the other is explained from its proof in the model where it
holds (explain.proof.Prover): the scenario facts of that proof missing from the other model made it hold; a
condition the proof needed to be absent (closed world) that is present in the other model blocked it there.
Derived premises that hold in both models are not the difference and are not walked into; a derived premise
that holds only here is walked into, and a derived blocker present only in the other model is explained from
its own proof there. So "gained because 追3 was removed" and "lost because 事1 now establishes …" both come out
of the same walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explain.proof import Proof, Prover, describe
from kb.registry import load_registry
from reasoning.deadlines import INTERPRETATION as DEADLINE_INTERPRETATION
from reasoning.deadlines import compute
from reasoning.engine import evaluate
from reasoning.facts import SCENARIO_PREDICATES, Facts
from reasoning.queries import DUTY_PREDICATES, Evaluation

Atom = tuple[str, tuple[str, ...]]

SANCTION_PREDICATES = ("base_band", "allowed_band", "allowed_method")


@dataclass
class Side:
    """One of the two evaluations being compared, with a prover over its model."""

    tag: str  # "a" | "b"
    ev: Evaluation
    prover: Prover

    def holds(self, pred: str, args: tuple[str, ...]) -> bool:
        return args in self.ev.model.get(pred, ())


def sides(a: Evaluation, b: Evaluation) -> tuple[Side, Side]:
    return Side("a", a, Prover(a.rulebook, a.model)), Side("b", b, Prover(b.rulebook, b.model))


def reasons(pred: str, args: tuple[str, ...], here: Side, other: Side, depth: int = 0) -> set[tuple[str, str, tuple]]:
    """Why pred(args) holds on `here` and not on `other`: (side, pred, args) for each scenario fact present on
    that side only ("a" = only in A, "b" = only in B) that the difference rests on."""
    out: set[tuple[str, str, tuple]] = set()
    proof = here.prover.prove(pred, args)
    if proof is None:
        return out
    _walk(proof, here, other, out, set(), depth)
    return out


def _walk(proof: Proof, here: Side, other: Side, out: set, seen: set, depth: int) -> None:
    key = (here.tag, proof.pred, proof.args)
    if key in seen or depth > 40:
        return
    seen.add(key)
    if proof.kind != "rule":
        if not other.holds(proof.pred, proof.args):
            out.add((here.tag, proof.pred, proof.args))
        return
    for premise in proof.premises:
        if not other.holds(premise.pred, premise.args):
            _walk(premise, here, other, out, seen, depth + 1)
    for pred, args in proof.absent:
        if other.holds(pred, args):
            if pred in SCENARIO_PREDICATES:
                out.add((other.tag, pred, args))
            else:
                blocker = other.prover.prove(pred, args)
                if blocker is not None:
                    _walk(blocker, other, here, out, seen, depth + 1)


def _fact_entry(side: str, pred: str, args: tuple[str, ...]) -> dict:
    return {
        "change": "added" if side == "b" else "removed",
        "pred": pred,
        "args": list(args),
        "reads": describe(pred, args),
    }


def explain_change(pred: str, args: tuple[str, ...], holds_in: Side, other: Side) -> list[dict]:
    """The facts that made the difference for one conclusion, as plain data, in a fixed order."""
    found = reasons(pred, args, holds_in, other)
    return [_fact_entry(s, p, a) for s, p, a in sorted(found, key=lambda x: (x[0], x[1], x[2]))]


def scenario_rows(ev: Evaluation) -> dict[str, set[tuple[str, ...]]]:
    """The scenario facts (not the static ones) of an evaluated model."""
    static = ev.rulebook.static_facts
    return {p: set(ev.model.get(p, ())) - set(static.get(p, ())) for p in SCENARIO_PREDICATES}


def liability_entry(row: tuple[str, ...], names: dict[str, str]) -> dict:
    from explain.catalogue import text

    party, resp, clause, event = row
    unit = load_registry().get(clause)
    return {
        "party": party,
        "party_name": names.get(party, party),
        "responsibility": resp,
        "responsibility_label": text("responsibility", resp),
        "clause": clause,
        "citation": unit.citation,
        "citation_short": unit.citation_short,
        "event": event,
        "reads": describe("liable", (names.get(party, party), text("responsibility", resp)["zh"], clause, event)),
    }


def _changes(pred: str, a: Side, b: Side) -> tuple[list[tuple], list[tuple]]:
    rows_a, rows_b = a.ev.model.get(pred, frozenset()), b.ev.model.get(pred, frozenset())
    return sorted(rows_b - rows_a), sorted(rows_a - rows_b)


def _deadlines(pred: str, args: tuple[str, ...], ev: Evaluation) -> list[dict]:
    items = compute(pred, args, ev.scenario, ev.readings.get(DEADLINE_INTERPRETATION, "procedural"))
    return [
        {
            "rule": d.rule,
            "basis": d.basis,
            "counting": d.counting,
            "date": d.date.isoformat() if d.date else None,
            "status": d.status,
            "gap": d.gap,
        }
        for d in items
    ]


def compare(a: Evaluation, b: Evaluation) -> dict:
    """Everything that differs between two evaluations, each difference explained (plain data, sorted)."""
    sa, sb = sides(a, b)
    reg = load_registry()
    names = {**a.scenario.names(), **b.scenario.names()}

    facts_a, facts_b = scenario_rows(a), scenario_rows(b)
    fact_changes = {
        "added": {p: len(facts_b[p] - facts_a[p]) for p in SCENARIO_PREDICATES if facts_b[p] - facts_a[p]},
        "removed": {p: len(facts_a[p] - facts_b[p]) for p in SCENARIO_PREDICATES if facts_a[p] - facts_b[p]},
    }

    def conclusions(pred: str, make) -> dict:
        gained, lost = _changes(pred, sa, sb)
        return {
            "gained": [{**make(row), "because": explain_change(pred, row, sb, sa)} for row in gained],
            "lost": [{**make(row), "because": explain_change(pred, row, sa, sb)} for row in lost],
        }

    liabilities = conclusions("liable", lambda row: liability_entry(row, names))
    team = conclusions(
        "team_sanction",
        lambda row: {
            "party": row[0],
            "clause": row[1],
            "citation": reg.get(row[1]).citation,
            "event": row[2],
            "method": row[3],
            "reads": describe("team_sanction", row),
        },
    )

    # individual sanctions: per (party, clause, event) individual in either model
    keys = sorted(set(a.model.get("individual", ())) | set(b.model.get("individual", ())))
    sanctions = []
    for key in keys:
        before, after = _sanction(a, key), _sanction(b, key)
        if before == after:
            continue
        entry = {
            "party": key[0],
            "party_name": names.get(key[0], key[0]),
            "clause": key[1],
            "citation": reg.get(key[1]).citation,
            "event": key[2],
            "before": before,
            "after": after,
            "changes": [],
        }
        for pred in SANCTION_PREDICATES:
            gained, lost = _changes(pred, sa, sb)
            for row in gained:
                if row[:3] == key:
                    entry["changes"].append(
                        {
                            "pred": pred,
                            "args": list(row),
                            "change": "gained",
                            "reads": describe(pred, row),
                            "because": explain_change(pred, row, sb, sa),
                        }
                    )
            for row in lost:
                if row[:3] == key:
                    entry["changes"].append(
                        {
                            "pred": pred,
                            "args": list(row),
                            "change": "lost",
                            "reads": describe(pred, row),
                            "because": explain_change(pred, row, sa, sb),
                        }
                    )
        sanctions.append(entry)

    duties: dict[str, list] = {"gained": [], "lost": []}
    deadlines = []
    for pred in DUTY_PREDICATES:
        gained, lost = _changes(pred, sa, sb)
        for row, side, other, ev, bucket in [(r, sb, sa, b, "gained") for r in gained] + [
            (r, sa, sb, a, "lost") for r in lost
        ]:
            duties[bucket].append(
                {
                    "duty": pred,
                    "args": list(row),
                    "reads": describe(pred, row),
                    "deadlines": _deadlines(pred, row, ev),
                    "because": explain_change(pred, row, side, other),
                }
            )
        for row in sorted(a.model.get(pred, frozenset()) & b.model.get(pred, frozenset())):
            da, db = _deadlines(pred, row, a), _deadlines(pred, row, b)
            if da != db:
                deadlines.append(
                    {
                        "duty": pred,
                        "args": list(row),
                        "reads": describe(pred, row),
                        "before": da,
                        "after": db,
                        "because": _deadline_reasons(da, db, a, b),
                    }
                )

    readings = [
        {"name": n, "a": a.readings.get(n), "b": b.readings.get(n)}
        for n in sorted(set(a.readings) | set(b.readings))
        if a.readings.get(n) != b.readings.get(n)
    ]
    return {
        "a": {"id": a.scenario.scenario.id, "title": a.scenario.scenario.title},
        "b": {"id": b.scenario.scenario.id, "title": b.scenario.scenario.title},
        "interpretations": readings,
        "facts": fact_changes,
        "liabilities": liabilities,
        "team_sanctions": team,
        "sanctions": sanctions,
        "duties": duties,
        "deadlines": deadlines,
        "summary": {
            "gained": len(liabilities["gained"]),
            "lost": len(liabilities["lost"]),
            "sanctions_changed": len(sanctions),
            "duties_gained": len(duties["gained"]),
            "duties_lost": len(duties["lost"]),
            "deadlines_changed": len(deadlines),
        },
    }


def _sanction(ev: Evaluation, key: tuple[str, ...]) -> dict | None:
    """The band and methods of one individual (None if not held accountable individually in this model)."""
    if key not in ev.model.get("individual", ()):
        return None
    base = [r[3] for r in ev.rows("base_band") if r[:3] == key]
    return {
        "severity": next((r[3] for r in ev.rows("liability_severity") if r[:3] == key), None),
        "circumstances": sorted({r[3] for r in ev.rows("liability_circumstance") if r[:3] == key}),
        "base_band": max(base, key=int) if base else None,
        "allowed_bands": [r[3] for r in ev.rows("allowed_band") if r[:3] == key],
        "methods": sorted((r[3] for r in ev.rows("allowed_method") if r[:3] == key), key=lambda m: method_order(ev, m)),
        "mitigating": [r[2] for r in ev.rows("mitigating") if r[:2] == (key[0], key[2])],
        "aggravating": [r[2] for r in ev.rows("aggravating") if r[:2] == (key[0], key[2])],
    }


def method_order(ev: Evaluation, method: str) -> tuple[int, str]:
    """A method's place in A1-13 (its item number), for listing methods in the order of the text."""
    for name, clause in ev.rulebook.static_facts.get("a1_method", ()):
        if name == method:
            return int(clause.rsplit(".", 1)[1]), method
    return 99, method


def _deadline_reasons(before: list[dict], after: list[dict], a: Evaluation, b: Evaluation) -> list[dict]:
    """Why a duty's deadlines differ: the scenario date it counts from, the counting reading, the date kept."""
    out = []
    if a.readings.get(DEADLINE_INTERPRETATION) != b.readings.get(DEADLINE_INTERPRETATION):
        out.append(
            {
                "kind": "interpretation",
                "name": DEADLINE_INTERPRETATION,
                "a": a.readings.get(DEADLINE_INTERPRETATION),
                "b": b.readings.get(DEADLINE_INTERPRETATION),
            }
        )
    bases_a = {d["basis"] for d in before}
    bases_b = {d["basis"] for d in after}
    for basis in sorted(bases_a ^ bases_b):
        out.append({"kind": "basis", "side": "a" if basis in bases_a else "b", "basis": basis})
    status_a = {(d["rule"], d["status"]) for d in before}
    status_b = {(d["rule"], d["status"]) for d in after}
    if status_a != status_b and not out:
        out.append({"kind": "performance", "a": sorted(map(str, status_a)), "b": sorted(map(str, status_b))})
    return out


# ----------------------------------------------------------------------------------------------------------
# A scenario plus a list of added and removed facts
# ----------------------------------------------------------------------------------------------------------

_FACT = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*\((.*)\)\s*$", re.S)


class FactSyntaxError(ValueError):
    """A fact given on the command line is malformed or names no scenario predicate."""

    def __init__(self, text: str, code: str, **params):
        super().__init__(f"{text}: {code}")
        self.text = text
        self.code = code
        self.params = params


def parse_fact(text: str) -> tuple[str, tuple[str, ...]]:
    """`established(事1, A1-15.2/c1)` → ("established", ("事1", "A1-15.2/c1")); quotes around arguments optional."""
    m = _FACT.match(text)
    if not m:
        raise FactSyntaxError(text, "fact_syntax")
    pred, inner = m.group(1), m.group(2)
    args = tuple(a.strip().strip('"').strip("'").strip() for a in inner.split(",")) if inner.strip() else ()
    if pred not in SCENARIO_PREDICATES:
        raise FactSyntaxError(text, "fact_predicate", pred=pred, known="、".join(sorted(SCENARIO_PREDICATES)))
    if len(args) != SCENARIO_PREDICATES[pred] or not all(args):
        raise FactSyntaxError(text, "fact_arity", pred=pred, arity=SCENARIO_PREDICATES[pred])
    return pred, args


def with_changes(ev: Evaluation, added: list[tuple[str, tuple]], removed: list[tuple[str, tuple]]) -> Evaluation:
    """The evaluation of the same scenario with facts added and removed (the scenario's dates, names and
    readings stay; an added or removed `interp` fact changes a reading)."""
    facts: Facts = {p: set(rows) for p, rows in scenario_rows(ev).items()}
    for pred, args in removed:
        facts.setdefault(pred, set()).discard(args)
    for pred, args in added:
        if pred == "interp":  # one reading per interpretation: the added one replaces the one in force
            facts["interp"] = {row for row in facts.get("interp", set()) if row[0] != args[0]}
        facts.setdefault(pred, set()).add(args)
    readings = dict(ev.readings)
    for name, reading in facts.get("interp", ()):
        if (name, reading) not in ev.model.get("interp", ()):
            readings[name] = reading
    model = evaluate(ev.rulebook, {p: rows for p, rows in facts.items() if rows})
    return Evaluation(ev.scenario, readings, ev.rulebook, model)


# ----------------------------------------------------------------------------------------------------------
# text
# ----------------------------------------------------------------------------------------------------------


def render(d: dict) -> str:
    """A comparison as text: Chinese first, then English."""
    from explain.catalogue import both, text

    def t(key: str, **params) -> dict[str, str]:
        return text("whatif", key, **params)

    a_name = f"{d['a']['title']} ({d['a']['id']})"
    if d["b"]["id"] != d["a"]["id"] or d["b"]["title"] != d["a"]["title"]:
        b_name = {"zh": f"{d['b']['title']} ({d['b']['id']})", "en": f"{d['b']['title']} ({d['b']['id']})"}
    else:
        b_name = t("diff_changes", a=d["a"]["id"])
    out = [
        t("diff_title", a=a_name, b=b_name["zh"])["zh"],
        t("diff_title", a=a_name, b=b_name["en"])["en"],
    ]
    changes = d.get("changes") or {}
    for op, sign in (("add", "+"), ("remove", "−")):
        for f in changes.get(op, []):
            reads = describe(f["pred"], tuple(f["args"]))
            out.append(f"  {sign} {reads['zh']} / {reads['en']}")
    if d["interpretations"]:
        out.append(f"{both(t('interpretations_changed'))}:")
        for i in d["interpretations"]:
            out.append(f"  {i['name']}: {i['a']} → {i['b']}")
    facts = d["facts"]
    if facts["added"] or facts["removed"]:
        out.append(f"{both(t('facts_changed'))}:")
        for key, sign in (("added", "+"), ("removed", "−")):
            if facts[key]:
                counts = ", ".join(f"{p} {n}" for p, n in sorted(facts[key].items()))
                out.append(f"  {sign} {both(t('facts_' + key))}: {counts}")
    s = d["summary"]
    if not any(s.values()):
        out.append("")
        out.append(both(t("no_difference")))
        return "\n".join(out) + "\n"
    for key, sign in (("gained", "+"), ("lost", "−")):
        items = d["liabilities"][key]
        if not items:
            continue
        out.append("")
        out.append(f"== {both(t(key))} ({len(items)}) ==")
        for x in items:
            out.append(f"{sign} {x['reads']['zh']}（{x['citation']}）")
            out.append(f"  {x['reads']['en']}")
            _because(x["because"], out, "    ", t)
    if d["sanctions"]:
        out.append("")
        out.append(f"== {both(t('sanctions_changed'))} ({len(d['sanctions'])}) ==")
        for x in d["sanctions"]:
            out.append(f"* {x['party_name']}（{x['party']}）— {x['citation']} · 事件 event {x['event']}")
            before, after = x["before"] or {}, x["after"] or {}
            bands = t(
                "band_change",
                before="、".join(before.get("allowed_bands", [])) or "—",
                after="、".join(after.get("allowed_bands", [])) or "—",
            )
            methods = t(
                "methods_change",
                before="、".join(before.get("methods", [])) or "—",
                after="、".join(after.get("methods", [])) or "—",
            )
            out.append(f"  {bands['zh']}；{methods['zh']}")
            out.append(f"  {bands['en']}; {methods['en']}")
            for c in x["changes"]:
                if c["pred"] == "allowed_method":
                    continue
                tag = t("sanction_" + c["change"])
                out.append(f"  {'+' if c['change'] == 'gained' else '−'} {c['reads']['zh']}（{tag['zh']}）")
                out.append(f"    {c['reads']['en']} ({tag['en']})")
                _because(c["because"], out, "      ", t)
    team = d["team_sanctions"]
    if team["gained"] or team["lost"]:
        out.append("")
        out.append(f"== {both(t('team_sanctions_changed'))} ==")
        for sign, bucket in (("+", "gained"), ("−", "lost")):
            for x in team[bucket]:
                out.append(f"{sign} {x['reads']['zh']} / {x['reads']['en']}")
    for key, sign in (("gained", "+"), ("lost", "−")):
        items = d["duties"][key]
        if not items:
            continue
        out.append("")
        out.append(f"== {both(t('duties_' + key))} ({len(items)}) ==")
        for x in items:
            out.append(f"{sign} {x['reads']['zh']}")
            out.append(f"  {x['reads']['en']}")
            for dl in x["deadlines"]:
                out.append(f"  ⏱ {dl['date'] or '—'} [{dl['rule']}; {dl['basis']}; {dl['counting']}]")
            _because(x["because"], out, "    ", t)
    if d["deadlines"]:
        out.append("")
        out.append(f"== {both(t('deadlines_changed'))} ({len(d['deadlines'])}) ==")
        for x in d["deadlines"]:
            out.append(f"* {x['reads']['zh']} / {x['reads']['en']}")
            for a_dl, b_dl in zip(x["before"], x["after"], strict=False):
                out.append(
                    f"  ⏱ {a_dl['date'] or '—'} [{a_dl['basis']}] → {b_dl['date'] or '—'} [{b_dl['basis']}]"
                    + (
                        f" · {a_dl['status'] or '—'} → {b_dl['status'] or '—'}"
                        if a_dl["status"] != b_dl["status"]
                        else ""
                    )
                )
            for r in x["because"]:
                if r["kind"] == "interpretation":
                    out.append(f"    {both(t('deadline_reading', a=r['a'], b=r['b']))}")
                elif r["kind"] == "basis":
                    out.append(
                        f"    {both(t('deadline_basis', basis=('B: ' if r['side'] == 'b' else 'A: ') + r['basis']))}"
                    )
                else:
                    out.append(f"    {both(t('deadline_performance'))}")
    return "\n".join(out) + "\n"


def _because(because: list[dict], out: list[str], pad: str, t) -> None:
    if not because:
        return
    word = t("because")
    out.append(f"{pad[:-2]}{word['zh']} / {word['en']}:")
    for b in because:
        tag = t("fact_" + b["change"])
        out.append(f"{pad}{tag['zh']} {b['reads']['zh']}")
        out.append(f"{pad}{tag['en']} {b['reads']['en']}")
