"""Missing parties: who else the engine makes liable for the decision's events and the decision leaves out —
the committee side of 一案双查 (D16-8), the 主要负责人 under A2-2p2, and an organ liable for not pursuing
(D16-5.9, D16-7.7, A2-9) — each with its liability, which explain/ proves."""

from __future__ import annotations

from kb.registry import covers
from reasoning.review.context import Context
from reasoning.review.verdict import PASS, PROBLEM, Verdict

NON_PURSUIT = ("D16-5.9", "D16-7.7", "A2-9")


def _kind(row: tuple[str, ...], relied: set[str]) -> str | None:
    """Which kind of missing party a liability row is, if any."""
    _party, resp, clause, _event = row
    if clause.startswith("D16-8.") and resp in ("主体责任", "监督责任"):
        return "dual_investigation"
    if any(covers(c, clause) for c in NON_PURSUIT):
        return "non_pursuit"
    if clause.startswith("A2-") and resp == "主要领导责任" and any(covers(r, clause) for r in relied):
        return "principal"
    return None


def check_missing(ctx: Context) -> list[Verdict]:
    """A problem per party the rules make liable for the same events and the decision leaves out."""
    named = {p.party for p in ctx.parties()}
    events = sorted({p.event for p in ctx.parties()})
    relied = {c for p in ctx.parties() for c in p.clauses}
    clause_of = {"dual_investigation": "D16-8", "principal": "A2-2p2"}
    deps = {"dual_investigation": [], "principal": [], "non_pursuit": ["pursuit_record"]}
    groups: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for row in ctx.ev.liabilities():
        if row[3] not in events or row[0] in named:
            continue
        kind = _kind(row, relied)
        if kind is not None:
            groups.setdefault((row[0], kind), []).append(row)
    out: list[Verdict] = []
    for (party, kind), rows in groups.items():  # liabilities() is sorted: the order is stable
        clauses = sorted({r[2] for r in rows})
        clause = clause_of.get(kind, clauses[0])
        organs = sorted({o for x in rows for o in ctx.ev.decided_by(party, x[2], x[3])})
        out.append(
            Verdict(
                "missing_party",
                party,
                clause,
                PROBLEM,
                f"missing_{kind}",
                {
                    "responsibility": sorted({r[1] for r in rows}),
                    "liable_clause": clauses,
                    "event": sorted({r[3] for r in rows}),
                    "decided_by": organs,
                },
                fix="fix_missing_party" if organs else "fix_missing_party_no_organ",
                fix_params={"party": party, "decided_by": organs},
                interpretations=deps[kind],
                evidence={"liable": [list(r) for r in rows]},
                subject=kind,
            )
        )
    if not out:
        out.append(Verdict("missing_party", None, "D16-8", PASS, "no_missing_party", {"events": events}))
    return out
