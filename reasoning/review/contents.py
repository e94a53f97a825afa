"""Check of the 问责决定书 as drafted against A1-23: “写明被问责人员基本情况、问责事实、问责依据、问责方式、
批准机关、生效时间、申诉期限及其受理机关等，作出责令公开道歉决定的，还应当写明公开道歉的方式、范围等。”"""

from __future__ import annotations

import re

from reasoning.review.context import Context
from reasoning.review.verdict import PASS, PROBLEM, Verdict

# A1-23's items, in the order of the text, as fields of the drafted document
REQUIRED = ("basic_facts", "facts", "basis", "methods", "approving_organ", "effective", "appeal_period", "appeal_organ")
APOLOGY = ("apology_manner", "apology_scope")
# How a drafted document names each method (免职 is usually written 免去……职务)
NAMED = {
    "诫勉谈话": r"诫勉",
    "书面检查": r"书面检查",
    "责令公开道歉": r"公开道歉",
    "通报批评": r"通报批评",
    "停职检查": r"停职检查",
    "调离岗位": r"调离",
    "引咎辞职": r"引咎辞职",
    "责令辞职": r"责令.{0,20}辞职",
    "免职": r"免职|免去.{0,40}职务",
    "降职": r"降职|降为",
    "提醒": r"提醒",
    "组织调整": r"调整",
}


def check_contents(ctx: Context) -> list[Verdict]:
    """Every item A1-23 requires is written, the apology's manner and scope for 责令公开道歉, every method named."""
    doc = ctx.decision.document
    missing = [f for f in REQUIRED if not getattr(doc, f).strip()]
    if any("责令公开道歉" in p.methods for p in ctx.parties()):
        missing += [f for f in APOLOGY if not getattr(doc, f).strip()]
    unnamed = sorted(
        {m for p in ctx.parties() for m in p.methods + p.team_measures if not re.search(NAMED[m], doc.methods)}
    )
    out = []
    if missing:
        out.append(
            Verdict(
                "contents",
                None,
                "A1-23",
                PROBLEM,
                "contents_missing",
                {"fields": missing},
                fix="fix_contents",
                fix_params={"fields": missing},
            )
        )
    else:
        out.append(Verdict("contents", None, "A1-23", PASS, "contents_complete", {}))
    if doc.methods.strip() and unnamed:
        out.append(
            Verdict(
                "contents",
                None,
                "A1-23",
                PROBLEM,
                "contents_method_unnamed",
                {"methods": unnamed},
                fix="fix_contents_methods",
                subject="methods",
            )
        )
    return out
