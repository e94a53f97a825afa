"""Contrastive sanction: for each person held accountable individually, the band of methods the measures
allow and why this band — the severity found (A1-14p1), the A1-15 and A1-16 circumstances, the reading of
`modifier_effect` in force — and what would move it to a lighter or a heavier band.

Each candidate change is worded as something a user can enter in the scenario (a severity, an element of an
A1-15/A1-16 item, further accountability records, another situation of A1-5..12, a reading), and each one is
verified by evaluating the scenario again with it (an incremental session over the scenario's facts,
reasoning/incremental.py, which gives exactly the model of a fresh evaluation). Only verified moves are
offered as lighter or heavier; candidates that change nothing are listed as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from explain.catalogue import both, label, text
from explain.proof import Prover, describe
from kb.interpretations import load_interpretations
from kb.registry import load_registry
from kb.schema import Accountability, Finding
from kb.vocabulary import load_vocabulary
from reasoning.diff import method_order
from reasoning.facts import ONE_YEAR_READINGS, _within_year, decision_date, earlier_accountability, scenario_facts
from reasoning.incremental import IncrementalEvaluator
from reasoning.queries import Evaluation

DEGREES = ("较轻", "较重")  # A1-14p1's two degrees (情节严重 is D16-9's; see the grave_degree reading)
TOP_FACTS = (("public_outcry", "群众反映强烈"), ("bad_influence", "造成恶劣影响"))  # A1-14p1's third band
MITIGATING_ITEMS = ("A1-15.1", "A1-15.2", "A1-15.3")
AGGRAVATING_ITEMS = ("A1-16.1.3", "A1-16.1.4", "A1-16.1.5", "A1-16.1.6")
SITUATION_ARTICLES = tuple(f"A1-{n}" for n in range(5, 13))
HYPOTHETICAL = "（另案）"  # the `concerning` of a hypothetical earlier record: another matter, not in the scenario

Fact = tuple[str, tuple[str, ...]]
# the facts of a circumstance's proof worth showing (positions and the unit structure are left out)
DECISIVE = frozenset(
    {"established", "repeat_within_year", "severity", "circumstance", "event_flag", "finding_party", "pursued"}
)


@dataclass
class Candidate:
    """One change a user could make, and how it reads."""

    kind: str  # severity | set_severity | top_facts | mitigating | aggravating | repeat | two_situations | reading
    clause: str
    add: list[Fact] = field(default_factory=list)
    remove: list[Fact] = field(default_factory=list)
    records: list[Accountability] = field(default_factory=list)
    reading: tuple[str, str] | None = None
    words: list[dict[str, str]] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------------------
# bands and their citations
# ----------------------------------------------------------------------------------------------------------


def band_methods(ev: Evaluation, band: str) -> list[str]:
    rows = ev.rulebook.static_facts.get("band_method", ())
    return sorted((m for b, m in rows if b == band), key=lambda m: method_order(ev, m))


def band_citation(ev: Evaluation, band: str) -> dict[str, str]:
    """第十三条第（一）至（四）项 / A1 Art. 13(1)–(4): the items of A1-13 a band consists of."""
    reg = load_registry()
    items = [method_order(ev, m)[0] for m in band_methods(ev, band)]
    if not items:
        return {"zh": band, "en": band}
    first, last = reg.get(f"A1-13.{min(items)}"), reg.get(f"A1-13.{max(items)}")
    zh_last = re.search(r"（[^）]+）", last.citation_short)
    zh = (
        first.citation_short
        if first is last
        else first.citation_short.replace("项", "") + "至" + zh_last.group(0) + "项"
    )
    en = f"A1 Art. 13({min(items)})" + (f"–({max(items)})" if max(items) != min(items) else "")
    return {"zh": zh, "en": en}


def band_entry(ev: Evaluation, band: str) -> dict:
    methods = band_methods(ev, band)
    cite = band_citation(ev, band)
    return {
        "band": band,
        "citation": cite,
        "methods": methods,
        "reads": text("whatif", "band", band=band, cite_zh=cite["zh"], cite_en=cite["en"], methods="、".join(methods)),
    }


# ----------------------------------------------------------------------------------------------------------
# the current band and why
# ----------------------------------------------------------------------------------------------------------


def _state(model, key: tuple[str, str, str], ev: Evaluation) -> dict | None:
    """Band, bands allowed, methods, circumstances of one individual in a model (None if not individual)."""
    if key not in model.get("individual", ()):
        return None
    p, _, e = key
    base = sorted({r[3] for r in model.get("base_band", ()) if r[:3] == key}, key=int)
    allowed = sorted({r[3] for r in model.get("allowed_band", ()) if r[:3] == key}, key=int)
    methods = sorted({r[3] for r in model.get("allowed_method", ()) if r[:3] == key}, key=lambda m: method_order(ev, m))
    return {
        "severity": next((r[3] for r in sorted(model.get("liability_severity", ())) if r[:3] == key), None),
        "circumstances": sorted({r[3] for r in model.get("liability_circumstance", ()) if r[:3] == key}),
        "base_band": base[-1] if base else None,
        "base_bands": base,
        "allowed_bands": allowed,
        "methods": methods,
        "mitigating": sorted(r[2] for r in model.get("mitigating", ()) if r[:2] == (p, e)),
        "aggravating": sorted(r[2] for r in model.get("aggravating", ()) if r[:2] == (p, e)),
    }


def _leaves(proof) -> list[tuple[str, tuple[str, ...]]]:
    """The scenario facts a proof rests on."""
    if proof.kind == "fact":
        return [(proof.pred, proof.args)]
    out = []
    for p in proof.premises:
        out += _leaves(p)
    return out


def _why(ev: Evaluation, key: tuple[str, str, str], state: dict, prover: Prover) -> list[dict]:
    """The reasons for the band: severity, each band opened and by which rule, the circumstances, the reading."""
    reg = load_registry()
    p, _, e = key
    out = []
    facts = _facts_words(state)
    for b in state["base_bands"]:
        cite = band_citation(ev, b)
        criterion = text("bands_contrast", f"criterion_{b}")
        out.append(
            {
                "kind": "criterion",
                "clause": "A1-14p1",
                "severity": state["severity"],
                "circumstances": state["circumstances"],
                "band": b,
                "criterion": criterion,
                "reads": text(
                    "bands_contrast",
                    "why_band",
                    event=e,
                    facts=facts,
                    band=b,
                    cite_zh=reg.get("A1-14p1").citation_short,
                    criterion_zh=criterion["zh"],
                    criterion_en=criterion["en"],
                    bands_zh=cite["zh"],
                    bands_en=cite["en"],
                ),
            }
        )
    if not state["base_bands"]:
        if state["severity"] or state["circumstances"]:
            reads = text(
                "bands_contrast", "why_no_band", event=e, facts=facts, cite_zh=reg.get("A1-14p1").citation_short
            )
            out.append({"kind": "no_band", "clause": "A1-14p1", "reads": reads})
        else:
            out.append(
                {"kind": "no_severity", "clause": "A1-14p1", "reads": text("whatif", "why_no_severity", event=e)}
            )
    for kind, items, none_key in (
        ("mitigating", state["mitigating"], "why_no_mitigating"),
        ("aggravating", state["aggravating"], "why_no_aggravating"),
    ):
        if not items:
            out.append({"kind": f"no_{kind}", "reads": text("whatif", none_key)})
        for item in items:
            proof = prover.prove(kind, (p, e, item))
            leaves = sorted({leaf for leaf in (_leaves(proof) if proof else []) if leaf[0] in DECISIVE})
            facts = [describe(pred, args) for pred, args in leaves]
            out.append(
                {
                    "kind": kind,
                    "clause": item,
                    "citation": reg.get(item).citation,
                    "reads": text("whatif", f"why_{kind}", item_zh=reg.get(item).citation_short, item_en=_en(item)),
                    "facts": facts,
                }
            )
    for band in state["allowed_bands"]:
        proof = prover.prove("allowed_band", (*key, band))
        rule = proof.rule if proof else None
        by = {"A1-15/lighter_band": "opened_by_mitigating", "A1-16/heavier_band": "opened_by_aggravating"}.get(
            rule or "", "opened_by_severity"
        )
        out.append(
            {
                "kind": "band",
                "band": band,
                "rule": rule,
                "reads": text("whatif", by, band=band),
            }
        )
    reading = ev.readings.get("modifier_effect")
    if reading:
        interp = load_interpretations()["modifier_effect"]
        out.append(
            {
                "kind": "interpretation",
                "name": "modifier_effect",
                "reading": reading,
                "reads": text(
                    "whatif",
                    "why_reading",
                    reading=reading,
                    zh=interp.readings[reading]["zh"],
                    en=interp.readings[reading]["en"],
                ),
            }
        )
    return out


def _facts_words(state: dict) -> str:
    """The sanction facts found, as recorded: 情节较重、群众反映强烈 …"""
    found = ([f"情节{state['severity']}"] if state["severity"] else []) + state["circumstances"]
    return "、".join(found) or "—"


def _en(clause: str) -> str:
    return load_registry().get(clause).label_en.split(" — ")[0]


# ----------------------------------------------------------------------------------------------------------
# candidate changes
# ----------------------------------------------------------------------------------------------------------


def _elements_for(item_id: str, readings: dict[str, str]) -> list[str] | None:
    """The fewest elements that establish an item: one per group of its first branch (every element of a
    listed group where the reading of `listed_elements` wants all)."""
    item = load_vocabulary().items.get(item_id)
    if item is None or not item.branches:
        return None
    out = []
    for g in item.branches[0].groups:
        if g.join == "list" and readings.get("listed_elements") == "all":
            out += [e.id for e in g.elements]
        else:
            out.append(g.elements[0].id)
    return out


def _element_words(event: str, elements: list[str]) -> list[dict[str, str]]:
    vocab = load_vocabulary()
    return [
        text("whatif", "enter_element", event=event, id=el, zh=vocab.elements[el].zh, en=vocab.elements[el].en)
        for el in elements
    ]


def _note(ev: Evaluation, event: str, party: str, names: dict[str, str]) -> dict | None:
    """Why no A1-15/A1-16 element was tried: the event is a case, or a finding about someone else."""
    e = next((x for x in ev.scenario.events if x.id == event), None)
    if isinstance(e, Finding):
        if e.subject == party:
            return None
        subject = names.get(e.subject, e.subject)
        return text("whatif", "circumstances_need_subject", event=event, party=names.get(party, party), subject=subject)
    unit = getattr(e, "unit", "—")
    return text("whatif", "circumstances_case", event=event, party=names.get(party, party), unit=names.get(unit, unit))


def _subject(ev: Evaluation, event: str) -> str | None:
    for e in ev.scenario.events:
        if e.id == event and isinstance(e, Finding):
            return e.subject
    return None


def candidates(ev: Evaluation, key: tuple[str, str, str], state: dict) -> list[Candidate]:
    """Every change worth trying for one individual, lighter and heavier alike."""
    p, _, e = key
    out: list[Candidate] = []
    sev = state["severity"]
    if sev is None:
        for d in DEGREES:
            out.append(
                Candidate(
                    "set_severity",
                    "A1-14p1",
                    add=[("severity", (e, d))],
                    words=[text("whatif", "enter_severity", event=e, to=d)],
                )
            )
    elif sev in DEGREES:
        other = DEGREES[1 - DEGREES.index(sev)]
        out.append(
            Candidate(
                "severity",
                "A1-14p1",
                add=[("severity", (e, other))],
                remove=[("severity", (e, sev))],
                words=[text("whatif", "change_severity", event=e, frm=sev, to=other)],
            )
        )
    missing = [(field, fact) for field, fact in TOP_FACTS if fact not in state.get("circumstances", [])]
    if missing:
        out.append(
            Candidate(
                "top_facts",
                "A1-14p1",
                add=[("circumstance", (e, fact)) for _, fact in missing],
                words=[text("bands_contrast", "enter_fact", event=e, field=f, fact=fact) for f, fact in missing],
            )
        )
    about_person = _subject(ev, e) == p
    if about_person:
        for kind, items, present in (
            ("mitigating", MITIGATING_ITEMS, state["mitigating"]),
            ("aggravating", AGGRAVATING_ITEMS, state["aggravating"]),
        ):
            for item in items:
                if item in present:
                    continue
                els = _elements_for(item, ev.readings)
                if not els:
                    continue
                out.append(
                    Candidate(
                        kind,
                        item,
                        add=[("established", (e, el)) for el in els],
                        words=_element_words(e, els),
                    )
                )
        if "A1-16.1.1" not in state["aggravating"]:
            out += _two_situations(ev, key)
    if "A1-16.1.2" not in state["aggravating"]:
        rep = _repeat(ev, key)
        if rep:
            out.append(rep)
    interp = load_interpretations()["modifier_effect"]
    for reading in interp.readings:
        if reading != ev.readings.get("modifier_effect"):
            out.append(
                Candidate(
                    "reading",
                    "A1-14p1",
                    reading=("modifier_effect", reading),
                    words=[
                        text(
                            "whatif",
                            "enter_reading",
                            name="modifier_effect",
                            reading=reading,
                            zh=interp.readings[reading]["zh"],
                            en=interp.readings[reading]["en"],
                        )
                    ],
                )
            )
    return out


def _two_situations(ev: Evaluation, key: tuple[str, str, str]) -> list[Candidate]:
    """A second situation of A1-5..12 in the same matter (A1-16.1.1): the first item, in the order of the text,
    that the person does not yet meet here and that counts under the `two_situations` reading in force."""
    p, _, e = key
    mine = {r[2] for r in ev.model.get("liable", ()) if r[0] == p and r[3] == e and r[1] == "直接责任"}
    articles = {c.rsplit(".", 1)[0] for c in mine}
    by_article = ev.readings.get("two_situations") == "articles"
    vocab = load_vocabulary()
    for item in vocab.for_document("A1"):
        article = item.id.rsplit(".", 1)[0]
        if article not in SITUATION_ARTICLES or item.catch_all or item.id in mine or item.subject != "person":
            continue
        if by_article and article in articles:
            continue
        els = _elements_for(item.id, ev.readings)
        if els:
            return [
                Candidate(
                    "two_situations",
                    "A1-16.1.1",
                    add=[("established", (e, el)) for el in els],
                    words=_element_words(e, els),
                )
            ]
    return []


def _repeat(ev: Evaluation, key: tuple[str, str, str]) -> Candidate | None:
    """Enough further accountability records within one year before the matter to make two (A1-16.1.2)."""
    p, _, e = key
    event = next((x for x in ev.scenario.events if x.id == e), None)
    if event is None:
        return None
    reading = ev.readings.get("one_year", ONE_YEAR_READINGS[0])
    mine = [r for r in ev.scenario.events if isinstance(r, Accountability) and r.target == p and r.outcome == "追究"]
    decided = decision_date(ev.scenario, p, e)
    earlier = earlier_accountability(mine, event, reading, decided)
    missing = 2 - len(earlier)
    if missing <= 0:
        return None
    anchor, counted = (decided, "rolling_12_months") if reading == "before_decision" else (event.date, reading)
    dates = []
    for days in (30, 60):
        d = anchor - dt.timedelta(days=days)
        if not _within_year(d, anchor, counted):
            d = anchor.replace(month=1, day=1)
        dates.append(d)
    records = [
        Accountability(
            type="accountability",
            id=f"假设追{n + 1}",
            date=dates[n],
            concerning=HYPOTHETICAL,
            target=p,
            outcome="追究",
        )
        for n in range(missing)
    ]
    return Candidate(
        "repeat",
        "A1-16.1.2",
        records=records,
        words=[
            text(
                "whatif",
                "enter_records",
                party=p,
                event=e,
                n=missing,
                have=len(earlier),
                dates="、".join(r.date.isoformat() for r in records),
            )
        ],
    )


# ----------------------------------------------------------------------------------------------------------
# verification and classification
# ----------------------------------------------------------------------------------------------------------


class Verifier:
    """Evaluates candidate changes of one scenario: an incremental session over its facts (or, with
    incremental=False, a fresh evaluation for each)."""

    def __init__(self, ev: Evaluation, incremental: bool = True):
        self.ev = ev
        self.base = scenario_facts(ev.scenario, ev.readings)
        self.session = IncrementalEvaluator(ev.rulebook, self.base) if incremental else None
        self.runs = 0

    def facts(self, c: Candidate) -> dict:
        readings = dict(self.ev.readings)
        if c.reading:
            readings[c.reading[0]] = c.reading[1]
        if c.records or c.reading:
            scenario = self.ev.scenario.model_copy(update={"events": list(self.ev.scenario.events) + c.records})
            facts = scenario_facts(scenario, readings)
        else:
            facts = {p: set(rows) for p, rows in self.base.items()}
        for pred, args in c.remove:
            facts.setdefault(pred, set()).discard(args)
        for pred, args in c.add:
            facts.setdefault(pred, set()).add(args)
        return {p: rows for p, rows in facts.items() if rows}

    def model(self, c: Candidate):
        self.runs += 1
        facts = self.facts(c)
        if self.session is not None:
            return self.session.set_facts(facts)
        from reasoning.engine import evaluate

        return evaluate(self.ev.rulebook, facts)


def _direction(before: dict, after: dict | None) -> str:
    """How a change moves the bands allowed: lighter (the range moves or shrinks towards band 1), heavier
    (towards band 3), wider (both ways), opens (bands where there were none), or none at all."""
    if after is None or not after["allowed_bands"]:
        return "none"
    if not before["allowed_bands"]:
        return "opens"
    lo_b, hi_b = int(before["allowed_bands"][0]), int(before["allowed_bands"][-1])
    lo_a, hi_a = int(after["allowed_bands"][0]), int(after["allowed_bands"][-1])
    if (lo_a, hi_a) == (lo_b, hi_b):
        return "none"
    if lo_a <= lo_b and hi_a <= hi_b:
        return "lighter"
    if lo_a >= lo_b and hi_a >= hi_b:
        return "heavier"
    return "wider"


def contrast(ev: Evaluation, party: str | None = None, incremental: bool = True) -> dict:
    """For each individual finding (of one party, or of all): the band now, why, and what would move it."""
    reg = load_registry()
    names = ev.scenario.names()
    prover = Prover(ev.rulebook, ev.model)
    keys = sorted(k for k in ev.model.get("individual", ()) if party is None or k[0] == party)
    verifier = Verifier(ev, incremental) if keys else None
    entries = []
    for key in keys:
        p, clause, e = key
        state = _state(ev.model, key, ev)
        assert state is not None
        lighter, heavier, other, no_effect = [], [], [], []
        for c in candidates(ev, key, state):
            after = _state(verifier.model(c), key, ev)  # type: ignore[union-attr]
            direction = _direction(state, after)
            entry = {
                "kind": c.kind,
                "clause": c.clause,
                "citation": reg.get(c.clause).citation,
                "citation_short": reg.get(c.clause).citation_short,
                "changes": {
                    "add": [{"pred": pr, "args": list(a), "reads": describe(pr, a)} for pr, a in c.add],
                    "remove": [{"pred": pr, "args": list(a), "reads": describe(pr, a)} for pr, a in c.remove],
                    "records": [
                        {"id": r.id, "date": r.date.isoformat(), "target": r.target, "concerning": r.concerning}
                        for r in c.records
                    ],
                    "reading": {"name": c.reading[0], "reading": c.reading[1]} if c.reading else None,
                },
                "enter": c.words,
                "verified": True,
                "direction": direction,
                "after": after,
                "reads": text(
                    "bands_contrast" if c.kind == "top_facts" else "whatif",
                    f"move_{c.kind}",
                    clause_zh=reg.get(c.clause).citation_short,
                    clause_en=_en(c.clause),
                ),
            }
            {"lighter": lighter, "heavier": heavier, "opens": other, "wider": other}.get(direction, no_effect).append(
                entry
            )
        if state["allowed_bands"] and state["allowed_bands"][0] == "1" and not lighter:
            floor = text("whatif", "lightest_already")
        else:
            floor = None
        if state["allowed_bands"] and state["allowed_bands"][-1] == "3" and not heavier:
            ceiling = text("whatif", "heaviest_already")
        else:
            ceiling = None
        entries.append(
            {
                "party": p,
                "party_name": names.get(p, p),
                "clause": clause,
                "citation": reg.get(clause).citation,
                "citation_short": reg.get(clause).citation_short,
                "event": e,
                "now": {**state, "bands": [band_entry(ev, b) for b in state["allowed_bands"]]},
                "why": _why(ev, key, state, prover),
                "lighter": lighter,
                "heavier": heavier,
                "other": other,
                "no_effect": no_effect,
                "floor": floor,
                "ceiling": ceiling,
                "note": _note(ev, e, p, names),
            }
        )
    return {
        "scenario": {"id": ev.scenario.scenario.id, "title": ev.scenario.scenario.title},
        "party": party,
        "verified_by": "incremental" if incremental else "fresh",
        "evaluations": verifier.runs if verifier else 0,
        "entries": entries,
    }


# ----------------------------------------------------------------------------------------------------------
# text
# ----------------------------------------------------------------------------------------------------------


def render(data: dict) -> str:
    """The contrast as text: Chinese first, then English."""
    out = [f"{both(text('whatif', 'contrast_title', scenario=data['scenario']['title']))}"]
    if not data["entries"]:
        out.append(both(text("whatif", "no_individuals")))
    for n, x in enumerate(data["entries"], 1):
        out.append("")
        out.append(f"{n}. {x['party_name']}（{x['party']}）— {x['citation']} · 事件 event {x['event']}")
        now = x["now"]
        head = text("whatif", "now")
        if now["bands"]:
            for b in now["bands"]:
                out.append(f"   {head['zh']}：{b['reads']['zh']}")
                out.append(f"   {head['en']}: {b['reads']['en']}")
        else:
            out.append(f"   {both(head)}: {both(label('no_severity'))}")
        out.append(f"   {both(text('whatif', 'why'))}:")
        for w in x["why"]:
            out.append(f"   · {w['reads']['zh']}")
            out.append(f"     {w['reads']['en']}")
            for f in w.get("facts", []):
                out.append(f"       - {f['zh']} / {f['en']}")
        for bucket, items, none in shown_changes(x):
            out.append(f"   {both(text('whatif', bucket))}:")
            if none is not None:
                out.append(f"   · {both(none)}")
            for c in items:
                _candidate_lines(c, out)
        if x["no_effect"]:
            out.append(f"   {both(text('whatif', 'no_effect'))}:")
            out.append("     " + "；".join(c["reads"]["zh"] for c in x["no_effect"]))
            out.append("     " + "; ".join(c["reads"]["en"] for c in x["no_effect"]))
        if x["note"]:
            out.append(f"   ⚑ {x['note']['zh']}")
            out.append(f"     {x['note']['en']}")
    out.append("")
    out.append(
        both(text("whatif", "verified", n=data["evaluations"], how=text("whatif", "how_" + data["verified_by"])["zh"]))
    )
    return "\n".join(out) + "\n"


def shown_changes(x: dict) -> list[tuple[str, list[dict], dict | None]]:
    """The changes of one contrast as the command line and the app show them: (lighter / heavier / other, the
    candidates, and when there are none what to say instead: the floor, the ceiling, or none found); an empty
    "other" is left out."""
    out = []
    for bucket in ("lighter", "heavier", "other"):
        items = x[bucket]
        if not items and bucket == "other":
            continue
        limit = x["floor"] if bucket == "lighter" else x["ceiling"]
        out.append((bucket, items, None if items else limit or text("whatif", "none_found")))
    return out


def _candidate_lines(c: dict, out: list[str]) -> None:
    after = c["after"]
    bands = after["allowed_bands"] if after else []
    methods = "、".join(after["methods"]) if after else "—"
    result = text(
        "whatif", "result", bands_zh="、".join(bands) or "—", bands_en=", ".join(bands) or "—", methods=methods
    )
    out.append(f"   · {c['reads']['zh']} → {result['zh']}")
    out.append(f"     {c['reads']['en']} → {result['en']}")
    for w in c["enter"]:
        out.append(f"       ✎ {w['zh']}")
        out.append(f"         {w['en']}")
