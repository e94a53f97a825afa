"""Check of the 问责决定书 as drafted against A1-23: “写明被问责人员基本情况、问责事实、问责依据、问责方式、
批准机关、生效时间、申诉期限及其受理机关等，作出责令公开道歉决定的，还应当写明公开道歉的方式、范围等。”"""

from __future__ import annotations

from reasoning.review.context import Context
from reasoning.review.verdict import PASS, PROBLEM, Verdict

# A1-23's items, in the order of the text, as fields of the drafted document
REQUIRED = ("basic_facts", "facts", "basis", "methods", "approving_organ", "effective", "appeal_period", "appeal_organ")
APOLOGY = ("apology_manner", "apology_scope")


def check_contents(ctx: Context) -> list[Verdict]:
    """Every item A1-23 requires is written, the apology's manner and scope for 责令公开道歉, every method named."""
    doc = ctx.decision.document
    missing = [f for f in REQUIRED if not getattr(doc, f).strip()]
    if any("责令公开道歉" in p.methods for p in ctx.parties()):
        missing += [f for f in APOLOGY if not getattr(doc, f).strip()]
    unnamed = sorted({m for p in ctx.parties() for m in p.methods + p.team_measures if m not in doc.methods})
    out = []
    if missing:
        out.append(Verdict("contents", None, "A1-23", PROBLEM, "contents_missing", {"fields": missing},
                           fix="fix_contents", fix_params={"fields": missing}))
    else:
        out.append(Verdict("contents", None, "A1-23", PASS, "contents_complete", {}))
    if doc.methods.strip() and unnamed:
        out.append(Verdict("contents", None, "A1-23", PROBLEM, "contents_method_unnamed", {"methods": unnamed},
                           fix="fix_contents_methods", subject="methods"))
    return out
