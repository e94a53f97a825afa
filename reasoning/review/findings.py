"""Checks of what a decision relies on: the situation clause fires on the facts (with its proof, or the
why-not), and the responsibility type is the one the measures give the party's role."""

from __future__ import annotations

from kb.registry import covers
from reasoning.review.context import Context, doc_of
from reasoning.review.verdict import CANNOT_TELL, PASS, PROBLEM, Verdict
from reasoning.whynot import why_not


def _why_not_summary(result: dict) -> dict:
    """The why-not, cut to what a verdict needs: per way, the status and the smallest repairs."""
    ways = []
    for w in result["ways"][:3]:
        ways.append(
            {
                "rule": w["rule"],
                "clause": w["clause"],
                "status": w["status"],
                "failing": [c["reads"] for c in w["conditions"] if not c["holds"]][:5],
                "repairs": w["repairs"][:2],
                "needs_reading": w["needs_reading"],
            }
        )
    return {"liable_now": result["liable_now"], "ways": ways}


def check_clauses(ctx: Context) -> list[Verdict]:
    """Each clause relied on is triggered for the party and event (proof), or why not (what is missing)."""
    out = []
    for p in ctx.parties():
        rows = ctx.liable(p.party, p.event)
        for clause in p.clauses:
            hits = [list(r) for r in rows if covers(clause, r[2])]
            if hits:
                out.append(
                    Verdict(
                        "clause",
                        p.party,
                        clause,
                        PASS,
                        "clause_fires",
                        {"event": p.event},
                        evidence={"liable": hits},
                        subject=p.event,
                    )
                )
                continue
            wn = why_not(ctx.ev, p.party, clause, p.event, max_facts=2, max_repairs=3)
            fires_elsewhere = sorted({r[2] for r in rows})
            out.append(
                Verdict(
                    "clause",
                    p.party,
                    clause,
                    PROBLEM,
                    "clause_not_triggered",
                    {"event": p.event, "other_clauses": fires_elsewhere},
                    fix="fix_clause_or_facts" if not fires_elsewhere else "fix_use_clause",
                    fix_params={"clauses": fires_elsewhere},
                    evidence={"why_not": _why_not_summary(wn)},
                    subject=p.event,
                )
            )
    return out


def _type_clause(ctx: Context, clause: str, party: str, resp: str) -> str:
    """The clause that allocates the responsibility type for this kind of liability."""
    doc = doc_of(clause)
    if doc == "A2":
        return "A2-2p2"
    if doc == "A1":
        return "A1-14p2" if not ctx.is_person(party) or resp in ("主要领导责任", "重要领导责任") else clause
    if clause.startswith("D16-5"):
        return "D16-5"
    return "D16-3"


def _type_deps(clause: str) -> list[str]:
    """The readings that allocate types under this clause (kb/interpretations.yaml)."""
    deps = []
    if clause.startswith("D16-6") or clause.startswith("D16-3"):
        deps.append("individual_responsibility")
    if any(clause == f"D16-6.{i}" for i in range(6, 13)):
        deps.append("d16_6_items_6_12")
    return deps


def check_responsibility(ctx: Context) -> list[Verdict]:
    """The type stated is the one the engine derives for the party's role (A2-2p2, A1-14p2, D16-3, D16-5)."""
    out = []
    for p in ctx.parties():
        rows, basis = ctx.relied(p), ctx.basis(p)
        deps = _type_deps(basis)
        clause = _type_clause(ctx, basis, p.party, p.responsibility)
        types = sorted({r[1] for r in rows})
        if not rows:
            out.append(
                Verdict(
                    "responsibility",
                    p.party,
                    clause,
                    CANNOT_TELL,
                    "type_no_liability",
                    {"stated": p.responsibility},
                    fix="fix_clause_first",
                    interpretations=deps,
                )
            )
        elif p.responsibility in types:
            out.append(
                Verdict(
                    "responsibility",
                    p.party,
                    clause,
                    PASS,
                    "type_matches",
                    {"stated": p.responsibility, "basis": basis},
                    evidence={"liable": [list(r) for r in rows if r[1] == p.responsibility]},
                    interpretations=deps,
                )
            )
        else:
            out.append(
                Verdict(
                    "responsibility",
                    p.party,
                    clause,
                    PROBLEM,
                    "type_differs",
                    {"stated": p.responsibility, "derived": types, "basis": basis},
                    fix="fix_type",
                    fix_params={"derived": types},
                    evidence={"liable": [list(r) for r in rows]},
                    interpretations=deps,
                )
            )
    return out
