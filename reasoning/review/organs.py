"""Checks of who decides: the deciding organ the rules give the party (A1-19..22, A1-2p3, D16-4, A2-9), and
停职检查 and the methods above it through 党委、政府集体研究 (A1-20.3; D16-4 for every D16 liability)."""

from __future__ import annotations

from reasoning.review.bands import METHOD_BAND
from reasoning.review.context import Context, doc_of
from reasoning.review.verdict import CANNOT_TELL, PASS, PROBLEM, Verdict, judged

COLLECTIVE_KIND = "党委、政府集体研究"


def _collective_needed(ctx: Context, p, case_type: str | None) -> tuple[bool, str, list[str]]:
    """Whether this decision needs 集体研究: the clause that says so and the methods concerned."""
    if doc_of(ctx.basis(p)) == "D16":
        return True, "D16-4", []
    if case_type != "A1-20" or not ctx.is_person(p.party):
        return False, "A1-20.3", []
    heavy = [m for m in p.methods if METHOD_BAND[m] >= 2 and m != "调离岗位"]
    if "调离岗位" in p.methods and ctx.readings["transfer_decider"] == "collective":
        heavy.append("调离岗位")
    return bool(heavy), "A1-20.3", heavy


def _a1_20_kinds(ctx: Context, methods: list[str]) -> set[str]:
    """A1-20(3)'s deciding organ for each method decided (the rule book's table, whatever the band), 调离岗位
    by the `transfer_decider` reading."""
    table = {m: o for m, o in ctx.ev.model.get("a1_20_decider", ())}
    table["调离岗位"] = (
        COLLECTIVE_KIND if ctx.readings["transfer_decider"] == "collective" else "纪检监察机关或者组织人事部门"
    )
    return {table[m] for m in methods if m in table}


def _expected(ctx: Context, p) -> tuple[list[str], str, str | None]:
    """The units the rules name as deciding organ for this party and event, the clause, and the A1 case type."""
    basis = ctx.basis(p)
    doc = doc_of(basis)
    if doc == "D16":
        return sorted({r[0] for r in ctx.ev.where("decides", (1, 2), (p.party, p.event))}), "D16-4", None
    if doc == "A2" and not ctx.is_person(p.party):
        return sorted({r[0] for r in ctx.ev.where("a2_decides", (1, 2), (p.party, p.event))}), "A2-9", None
    types = sorted({r[2] for r in ctx.ev.about("case_type", p.party, p.event)} - {"A1-19"})
    case_type = types[0] if types else None
    a2 = {r[0] for r in ctx.ev.where("a2_decides", (1, 2), (p.party, p.event))} if doc == "A2" else set()
    if doc == "A2" and case_type is None:
        return sorted(a2), "A2-9", None
    organs = {r[2]: r[3] for r in ctx.ev.about("organ_unit", p.party, p.event)}
    if case_type == "A1-20":
        kinds = _a1_20_kinds(ctx, p.methods)
        units = []
        if COLLECTIVE_KIND in kinds and organs.get(COLLECTIVE_KIND):
            units.append(organs[COLLECTIVE_KIND])
        if kinds - {COLLECTIVE_KIND} and organs.get("纪检监察机关"):
            units.append(organs["纪检监察机关"])
        return sorted(set(units) | a2), "A1-20.3", case_type
    if case_type in ("A1-21", "A1-22"):
        role = "所在部门" if case_type == "A1-21" else "纪检监察机关"
        return sorted(({organs[role]} if role in organs else set()) | a2), case_type, case_type
    return [], case_type or "A1-19", case_type


def check_organs(ctx: Context) -> list[Verdict]:
    """The deciding organ, and collective deliberation where the measures require it."""
    out = []
    d = ctx.decision.organs
    for p in ctx.parties():
        expected, clause, case_type = _expected(ctx, p)
        deps = ["transfer_decider"] if "调离岗位" in p.methods else []
        params = {"decided_by": d.decide, "expected": expected}
        if not expected:
            reason = "organ_appointing" if case_type == "A1-2p3" else "organ_not_determined"
            out.append(
                Verdict(
                    "organ",
                    p.party,
                    clause,
                    CANNOT_TELL,
                    reason,
                    params,
                    fix="fix_check_authority",
                    interpretations=deps,
                )
            )
        elif d.decide in expected:
            out.append(Verdict("organ", p.party, clause, PASS, "organ_right", params, interpretations=deps))
        else:
            out.append(
                Verdict(
                    "organ",
                    p.party,
                    clause,
                    PROBLEM,
                    "organ_wrong",
                    params,
                    fix="fix_organ",
                    fix_params={"expected": expected},
                    interpretations=deps,
                )
            )
        if case_type == "A1-22" and ctx.is_person(p.party):
            heavy22 = [m for m in p.methods if METHOD_BAND[m] >= 2]
            if heavy22:
                ok = d.consent
                out.append(
                    judged(
                        "consent",
                        p.party,
                        "A1-22",
                        ok,
                        ("consent_given", "consent_missing"),
                        {"methods": heavy22},
                        "fix_consent",
                    )
                )
        needed, cclause, heavy = _collective_needed(ctx, p, case_type)
        if needed:
            ok = d.collective
            out.append(
                judged(
                    "collective",
                    p.party,
                    cclause,
                    ok,
                    ("collective_done", "collective_missing"),
                    {"methods": heavy},
                    "fix_collective",
                    interpretations=deps,
                )
            )
    return out
