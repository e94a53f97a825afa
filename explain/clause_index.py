"""The clause browser's data: search the three measures by id or words, and everything known about one unit
(verbatim text, the rules that encode it, the bundled samples where it fires, cross-references both ways,
overlaps, interpretations). Plain data only, so that a front end may cache it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kb.interpretations import load_interpretations
from kb.registry import covers, load_overlaps, load_registry
from kb.scenario_io import load_scenario
from reasoning.queries import run
from reasoning.rulebook import load_rulebook

SAMPLES = Path(__file__).parent.parent / "kb" / "scenarios"


def search(query: str, doc: str | None = None, limit: int = 200) -> list[str]:
    """Unit ids matching `query`: an exact id first, then ids starting with it, then units whose Chinese text,
    citation or English label contains every word of it (case-insensitive), in source order."""
    reg = load_registry()
    q = query.strip()
    units = [u for u in reg if doc is None or u.doc == doc]
    if not q:
        return [u.id for u in units if u.kind == "article"][:limit]
    exact = [u.id for u in units if u.id.lower() == q.lower()]
    prefix = [u.id for u in units if u.id.lower().startswith(q.lower()) and u.id not in exact]
    words = [w.lower() for w in q.split()]
    found = [
        u.id
        for u in units
        if u.id not in exact
        and u.id not in prefix
        and all(w in f"{u.text}\n{u.citation}\n{u.label_en}".lower() for w in words)
    ]
    return (exact + prefix + found)[:limit]


@cache
def sample_firings() -> dict[str, list[dict]]:
    """Every liability of every bundled sample under the default readings, by clause (computed once)."""
    out: dict[str, list[dict]] = {}
    for path in sorted(SAMPLES.glob("*.yaml")):
        scenario = load_scenario(path)
        ev = run(scenario)
        names = scenario.names()
        for party, resp, clause, event in ev.liabilities():
            out.setdefault(clause, []).append(
                {
                    "sample": path.name,
                    "title": scenario.scenario.title,
                    "party": party,
                    "party_name": names.get(party, party),
                    "responsibility": resp,
                    "event": event,
                }
            )
    return out


def detail(unit_id: str) -> dict:
    """Everything about one unit, as plain data (KeyError for an unknown id)."""
    reg = load_registry()
    u = reg.get(unit_id)
    rb = load_rulebook()
    fires = [f | {"clause": c} for c, rows in sorted(sample_firings().items()) if covers(u.id, c) for f in rows]
    cited_by = [x.id for x in reg if u.id in x.refs]
    related = {u.id, *(a.id for a in reg.ancestors(u.id))}
    interps = [
        {"name": i.name, "zh": i.zh, "en": i.en, "default": i.default, "readings": i.readings, "clauses": i.clauses}
        for i in load_interpretations().values()
        if related & set(i.clauses) or any(covers(u.id, c) for c in i.clauses)
    ]
    overlaps = [
        o for o in load_overlaps() if o["a"] in related or related & set(o["b"]) or any(covers(u.id, b) for b in o["b"])
    ]
    return {
        "id": u.id,
        "doc": u.doc,
        "kind": u.kind,
        "citation": u.citation,
        "label_en": u.label_en,
        "text": u.text,
        "document": reg.documents[u.doc].citation_title,
        "ancestors": [{"id": a.id, "citation": a.citation} for a in reg.ancestors(u.id)],
        "children": [{"id": c.id, "citation": c.citation, "text": c.text} for c in reg.children(u.id)],
        "refs": list(u.refs),
        "cited_by": cited_by,
        "rules": [
            {"id": r.id, "rule": str(r), "gloss": {"zh": r.gloss_zh, "en": r.gloss_en}}
            for r in rb.rules
            if any(covers(u.id, c) for c in r.clauses)
        ],
        "fires_in": fires,
        "interpretations": interps,
        "overlaps": overlaps,
    }
