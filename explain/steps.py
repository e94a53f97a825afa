"""Step-through (the trainer's engine): a scenario's events in time order, one step each.

For each step: what became true (the facts the event adds), which clauses newly fired (liabilities gained,
each explained by the facts that made the difference), which conclusions were withdrawn (an accountability
record stops a chain), other conclusions gained or lost, and what almost fired at this event and what it
still misses.

The steps run on one incremental session (reasoning/incremental.py): a step adds the event's facts to the
session's pyDatalog Logic and re-derives only what they can reach. "Almost" uses the why-not search of
reasoning/whynot.py (liabilities one fact away at this event) where it is available; otherwise, and with
almost="simple", a near miss read from the model: items of the vocabulary for which the event establishes
some but not all groups of a branch, with the missing groups' elements.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from explain.catalogue import both, text
from explain.escape import escape_controls
from explain.proof import Prover, describe
from kb.interpretations import resolve
from kb.registry import load_registry
from kb.schema import Accountability, Scenario, circumstances_of
from kb.vocabulary import load_vocabulary
from reasoning.diff import Side, explain_change, liability_entry
from reasoning.engine import gc_frozen
from reasoning.facts import CIRCUMSTANCE_FACTS, SCENARIO_PREDICATES, scenario_facts
from reasoning.incremental import IncrementalEvaluator
from reasoning.queries import DUTY_PREDICATES, Evaluation
from reasoning.rulebook import Rulebook, load_rulebook

# facts of every person at the time of an event: counted, not listed (52 persons make 130 of them)
POSITION_PREDICATES = ("held", "portfolio_at", "rank_at")
# derived conclusions a step reports as gained or lost, besides liabilities
CONCLUSIONS = ("team_sanction", "allowed_band", "channel") + DUTY_PREDICATES
ALMOST_MODES = ("auto", "whynot", "simple", "off")


def timeline(scenario: Scenario) -> list:
    """The events in time order; an accountability record after the findings and cases of its day."""
    order = {id(e): i for i, e in enumerate(scenario.events)}
    return sorted(scenario.events, key=lambda e: (e.date, isinstance(e, Accountability), order[id(e)]))


def _sanction_facts(e) -> dict:
    """The sanction facts found for a finding or case: degree (情节) and the other facts, as recorded."""
    c = circumstances_of(e)
    facts = [label for attr, label in CIRCUMSTANCE_FACTS if c and getattr(c, attr)]
    return {"severity": c.degree if c else None, "circumstances": facts}


def _event_entry(e) -> dict:
    entry = {"id": e.id, "type": e.type, "date": e.date.isoformat(), "description": e.description}
    if isinstance(e, Accountability):
        entry.update({"target": e.target, "concerning": e.concerning, "outcome": e.outcome, "by": e.by})
    elif e.type == "finding":
        entry.update({"subject": e.subject, **_sanction_facts(e)})
    else:
        entry.update({"party": e.party, "unit": e.unit, **_sanction_facts(e)})
    return entry


def step_through(
    scenario: Scenario,
    chosen: dict[str, str] | None = None,
    rulebook: Rulebook | None = None,
    almost: str = "auto",
    strategy: str = "dred",
    timing: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> dict:
    """Every step of the scenario's timeline, as plain data (timings only with timing=True, so that the
    same input otherwise gives the same output; `clock` times them: wall time unless told otherwise)."""
    if almost not in ALMOST_MODES:
        raise ValueError(f"almost must be one of {ALMOST_MODES}")
    rb = rulebook or load_rulebook()
    readings = resolve({**scenario.scenario.interpretations, **(chosen or {})})
    events = timeline(scenario)
    names = scenario.names()
    t0 = clock()
    start = scenario.model_copy(update={"events": []})
    session = IncrementalEvaluator(rb, scenario_facts(start, readings), strategy=strategy, clock=clock)
    setup = clock() - t0
    prev = Evaluation(start, readings, rb, session.current())
    prev_side = Side("a", prev, Prover(rb, prev.model))
    steps = []
    method_used = None
    with gc_frozen():  # the session stays out of the collector's passes while the steps run
        for k, event in enumerate(events, 1):
            t_step = clock()
            sk = scenario.model_copy(update={"events": events[:k]})
            facts = scenario_facts(sk, readings)
            model = session.set_facts(facts)
            engine_s = session.last.seconds
            ev = Evaluation(sk, readings, rb, model)
            side = Side("b", ev, Prover(rb, model))
            step: dict = {
                "step": k,
                "event": _event_entry(event),
                "new_facts": _new_facts(prev, ev, event.id),
            }
            gained = sorted(model["liable"] - prev.model["liable"])
            lost = sorted(prev.model["liable"] - model["liable"])
            step["fired"] = [
                {**liability_entry(row, names), "because": explain_change("liable", row, side, prev_side)}
                for row in gained
            ]
            step["withdrawn"] = [
                {**liability_entry(row, names), "because": explain_change("liable", row, prev_side, side)}
                for row in lost
            ]
            step["conclusions"] = _conclusions(prev, ev)
            target = event.concerning if isinstance(event, Accountability) else event.id
            near, method_used = _almost(ev, target, almost)
            step["almost"] = near
            step["almost_method"] = method_used
            step["liable_now"] = len(model["liable"])
            if timing:
                step["timing"] = {
                    "engine_ms": round(engine_s * 1000, 1),
                    "step_ms": round((clock() - t_step) * 1000, 1),
                    "queries": session.last.queries,
                    "strata_touched": session.last.strata_touched,
                    "compiled": session.last.compiled,
                }
            steps.append(step)
            prev, prev_side = ev, Side("a", ev, side.prover)
    out = {
        "scenario": {
            "id": scenario.scenario.id,
            "title": scenario.scenario.title,
            "as_of": scenario.scenario.as_of.isoformat(),
        },
        "readings": readings,
        "strategy": strategy,
        "steps": steps,
        "summary": {
            "steps": len(steps),
            "liable": len(prev.model.get("liable", ())),
            "fired": sum(len(s["fired"]) for s in steps),
            "withdrawn": sum(len(s["withdrawn"]) for s in steps),
        },
    }
    if timing:
        out["timing"] = {"setup_ms": round(setup * 1000, 1)}
    return out


def _new_facts(prev: Evaluation, ev: Evaluation, event_id: str) -> dict:
    """The scenario facts this step adds (and removes), positions at the time counted rather than listed."""
    added, removed, positions = [], [], 0
    for pred in SCENARIO_PREDICATES:
        before, after = prev.model.get(pred, frozenset()), ev.model.get(pred, frozenset())
        for row in sorted(after - before):
            if pred in POSITION_PREDICATES:
                positions += 1
            else:
                added.append({"pred": pred, "args": list(row), "reads": describe(pred, row)})
        for row in sorted(before - after):
            removed.append({"pred": pred, "args": list(row), "reads": describe(pred, row)})
    return {
        "added": added,
        "removed": removed,
        "positions": positions,
        "positions_reads": text("whatif", "positions_counted", n=positions, event=event_id),
    }


def _conclusions(prev: Evaluation, ev: Evaluation) -> dict:
    out: dict[str, list] = {"gained": [], "lost": []}
    for pred in CONCLUSIONS:
        before, after = prev.model.get(pred, frozenset()), ev.model.get(pred, frozenset())
        for bucket, rows in (("gained", after - before), ("lost", before - after)):
            for row in sorted(rows):
                out[bucket].append({"pred": pred, "args": list(row), "reads": describe(pred, row)})
    return out


# ----------------------------------------------------------------------------------------------------------
# almost fired
# ----------------------------------------------------------------------------------------------------------


def _almost(ev: Evaluation, event: str, mode: str) -> tuple[list[dict], str | None]:
    if mode == "off":
        return [], None
    if mode in ("auto", "whynot"):
        try:
            return _almost_whynot(ev, event), "whynot"
        except (ImportError, AttributeError, TypeError, KeyError):
            if mode == "whynot":
                raise
    return near_misses(ev, event), "simple"


def _almost_whynot(ev: Evaluation, event: str, max_facts: int = 1) -> list[dict]:
    """Liabilities at this event that `max_facts` facts a user could supply would bring about: the public
    `almost` of reasoning/whynot.py, kept to the step's event."""
    from reasoning.whynot import almost

    found = almost(ev, max_facts=max_facts, event=event)  # the step's event only: the others are not shown
    return [
        {
            "party": x["party"],
            "party_name": x["party_name"],
            "responsibility": x["responsibility"],
            "clause": x["clause"],
            "citation": x["citation"],
            "event": x["event"],
            "missing": [{"changes": [_change(c) for c in r["changes"]]} for r in x["repairs"]],
        }
        for x in found["entries"]
        if x["event"] == event
    ]


def _change(c: dict) -> dict:
    """A change as reasoning/whynot.py words it (or a choice of several), kept to what is shown."""
    out = {k: c[k] for k in ("op", "pred", "args", "reads", "enter", "op_label") if k in c}
    if "options" in c:
        out["options"] = [_change(o) for o in c["options"]]
    return out


def near_misses(ev: Evaluation, event: str) -> list[dict]:
    """Items for which the event establishes some but not all groups of a branch, and which do not hold:
    the groups still missing, with their elements' words."""
    reg = load_registry()
    vocab = load_vocabulary()
    met: dict[tuple[str, str], set[str]] = {}
    for e, item, branch, group in ev.model.get("group_met", ()):
        if e == event:
            met.setdefault((item, branch), set()).add(group)
    holding = {r[2] for r in ev.model.get("situation", ()) if r[0] == event}
    out = []
    for (item_id, branch_id), groups in sorted(met.items()):
        item = vocab.items.get(item_id)
        if item is None or item_id in holding:
            continue
        branch = next((b for b in item.branches if b.id == branch_id), None)
        if branch is None:
            continue
        missing = [g for g in branch.groups if g.id not in groups]
        if not missing or len(missing) == len(branch.groups):
            continue
        out.append(
            {
                "item": item_id,
                "citation": reg.get(item_id).citation,
                "branch": branch_id,
                "met": sorted(groups),
                "missing": [
                    {
                        "group": g.id,
                        "join": g.join,
                        "elements": [{"id": el.id, "zh": el.zh, "en": el.en} for el in g.elements],
                    }
                    for g in missing
                ],
            }
        )
    return out


# ----------------------------------------------------------------------------------------------------------
# text
# ----------------------------------------------------------------------------------------------------------


def render(data: dict, max_facts: int = 12) -> str:
    """The step-through as text: Chinese first, then English."""
    sc = data["scenario"]
    out = [both(text("whatif", "steps_title", scenario=sc["title"], n=data["summary"]["steps"]))]
    if "timing" in data:
        out.append(both(text("whatif", "setup_time", ms=data["timing"]["setup_ms"], strategy=data["strategy"])))
    for s in data["steps"]:
        e = s["event"]
        out.append("")
        head = text("whatif", f"step_{e['type']}", n=s["step"], id=e["id"], date=e["date"])
        out.append(f"── {head['zh']} / {head['en']}")
        if e.get("description"):
            out.append(f"   {e['description']}")
        if "timing" in s:
            t = s["timing"]
            out.append(
                "   ⏱ "
                + both(
                    text(
                        "whatif",
                        "step_time",
                        engine=t["engine_ms"],
                        step=t["step_ms"],
                        queries=t["queries"],
                        strata=t["strata_touched"],
                    )
                )
            )
        nf = s["new_facts"]
        out.append(f"   {both(text('whatif', 'became_true'))}:")
        for f in nf["added"][:max_facts]:
            out.append(f"   + {f['reads']['zh']} / {f['reads']['en']}")
        if len(nf["added"]) > max_facts:
            out.append(f"   + … {both(text('whatif', 'more', n=len(nf['added']) - max_facts))}")
        if nf["positions"]:
            out.append(f"   + {both(nf['positions_reads'])}")
        for f in nf["removed"]:
            out.append(f"   − {f['reads']['zh']} / {f['reads']['en']}")
        _liability_lines(s["fired"], "fired", "none_fired", out)
        if s["withdrawn"]:
            _liability_lines(s["withdrawn"], "withdrawn", None, out)
        con = s["conclusions"]
        if con["gained"] or con["lost"]:
            out.append(f"   {both(text('whatif', 'other_conclusions'))}:")
            for c in con["gained"][:max_facts]:
                out.append(f"   + {c['reads']['zh']} / {c['reads']['en']}")
            for c in con["lost"][:max_facts]:
                out.append(f"   − {c['reads']['zh']} / {c['reads']['en']}")
            rest = max(0, len(con["gained"]) - max_facts) + max(0, len(con["lost"]) - max_facts)
            if rest:
                out.append(f"   … {both(text('whatif', 'more', n=rest))}")
        _almost_lines(s, out)
    sm = data["summary"]
    out.append("")
    out.append(
        both(
            text(
                "whatif",
                "steps_summary",
                steps=sm["steps"],
                fired=sm["fired"],
                withdrawn=sm["withdrawn"],
                liable=sm["liable"],
            )
        )
    )
    return escape_controls("\n".join(out) + "\n")  # titles and descriptions are the user's


def _liability_lines(items: list[dict], key: str, none_key: str | None, out: list[str]) -> None:
    out.append(f"   {both(text('whatif', key))} ({len(items)}):")
    if not items and none_key:
        out.append(f"   · {both(text('whatif', none_key))}")
    for x in items:
        mark = "✓" if key == "fired" else "✗"
        out.append(f"   {mark} {x['reads']['zh']}（{x['citation']}）")
        out.append(f"     {x['reads']['en']}")
        _because_lines(x["because"], out, "       ")


def _because_lines(because: list[dict], out: list[str], pad: str) -> None:
    """The facts that made the difference, on one Chinese and one English line."""
    if not because:
        return
    word = text("whatif", "because")
    zh = "；".join(f"{text('whatif', 'fact_' + b['change'])['zh']} {b['reads']['zh']}" for b in because)
    en = "; ".join(f"{text('whatif', 'fact_' + b['change'])['en']} {b['reads']['en']}" for b in because)
    out.append(f"{pad}{word['zh']}：{zh}")
    out.append(f"{pad}{word['en']}: {en}")


def _almost_lines(s: dict, out: list[str]) -> None:
    near = s["almost"]
    if s["almost_method"] is None:
        return
    out.append(f"   {both(text('whatif', 'almost_' + s['almost_method']))} ({len(near)}):")
    if not near:
        out.append(f"   · {both(text('whatif', 'none_almost'))}")
    for x in near:
        if s["almost_method"] == "whynot":
            head = text(
                "whatif", "almost_liable", party=x["party_name"], resp=x["responsibility"], citation=x["citation"]
            )
            out.append(f"   ◌ {head['zh']}")
            out.append(f"     {head['en']}")
            for rep in x["missing"]:
                for ch in rep["changes"]:
                    if ch.get("options"):
                        out.append(f"       {both(text('whatif', 'join_or'))}:")
                    for opt in ch.get("options") or [ch]:
                        words = opt.get("enter") or opt.get("reads") or {"zh": str(opt), "en": str(opt)}
                        out.append(f"       ✎ {words['zh']}")
                        out.append(f"         {words['en']}")
        else:
            head = text("whatif", "almost_item", citation=x["citation"])
            out.append(f"   ◌ {head['zh']}")
            out.append(f"     {head['en']}")
            for g in x["missing"]:
                join = text("whatif", f"join_{g['join']}")
                out.append(f"       {join['zh']}：" + "；".join(f"“{el['zh']}”（{el['id']}）" for el in g["elements"]))
                out.append(f"       {join['en']}: " + "; ".join(f"'{el['en']}'" for el in g["elements"]))
