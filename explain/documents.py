"""Draft the 问责决定书 (附2 式样, A1-23) and one 问责审批表 (附1) per party as .docx from the project's templates
(kb/templates/, docxtpl), filled from the decision and its review: facts, basis with the clauses' text, methods,
approving organ, effective date, appeal period and organ. A PDF through LibreOffice where it is installed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

from docxtpl import DocxTemplate

from kb.decision_schema import LoadedDecision
from kb.registry import load_registry
from reasoning.deadlines import add_days

TEMPLATES = Path(__file__).resolve().parent.parent / "kb" / "templates"
# Clauses quoted in every decision's basis beside the situations relied on: the band (A1-14p1), the document's
# contents (A1-23) and the appeal (A1-27).
PROCEDURE_CLAUSES = ("A1-14p1", "A1-23", "A1-27")


def date_cn(day: dt.date) -> str:
    """A date as 2015年9月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _name(loaded: LoadedDecision, ident: str | None) -> str:
    return loaded.scenario.names().get(ident, ident) if ident else ""


def _post(loaded: LoadedDecision, person: str, event: str) -> str:
    """单位、职务 at the time of the event."""
    s = loaded.scenario
    when = next((e.date for e in s.events if e.id == event), s.scenario.as_of)
    for p in s.persons:
        if p.id == person:
            held = [pos for pos in p.positions if pos.from_ <= when and (pos.to is None or when <= pos.to)]
            return "；".join(f"{_name(loaded, pos.unit)} {pos.title or pos.role}" for pos in held)
    return _name(loaded, person)


def _clauses(loaded: LoadedDecision, review: dict) -> list[dict[str, str]]:
    """The clauses relied on that the review found triggered, then the procedure clauses, each with its text."""
    reg = load_registry()
    fired = [v["clause"] for v in review["verdicts"] if v["check"] == "clause" and v["verdict"] == "pass"]
    ids = list(dict.fromkeys(fired + [v["clause"] for v in review["verdicts"] if v["check"] == "band"]))
    ids += [c for c in PROCEDURE_CLAUSES if c not in ids]
    return [{"id": c, "citation": reg.get(c).citation, "text": reg.get(c).text} for c in ids if c in reg]


def context(loaded: LoadedDecision, review: dict) -> dict:
    """Everything the two templates show, as plain strings."""
    d = loaded.decision
    doc = d.document
    decide = _name(loaded, d.organs.decide)
    approve = doc.approving_organ or _name(loaded, d.organs.approve or d.organs.decide)
    effective = doc.effective or f"自{date_cn(d.dates.effective or d.dates.decision)}起生效。"
    due = ""
    if d.dates.receipt:
        due = f"（即{date_cn(add_days(d.dates.receipt, 15, review['readings']['period_counting']))}前）"
    appeal = (
        f"被问责对象如不服本决定，可以自收到本决定书之日起15日内{due}，向{doc.appeal_organ or decide}提出书面申诉。"
        "申诉期间，本决定不停止执行。"
    )
    parties = [
        {
            "id": p.party,
            "name": _name(loaded, p.party),
            "responsibility": p.responsibility,
            "methods": "、".join(p.methods + p.team_measures),
            "post": _post(loaded, p.party, p.event),
            "event": p.event,
            "clauses": p.clauses,
        }
        for p in d.parties
    ]
    heading = d.decision.title or "关于对" + "、".join(x["name"] for x in parties) + "问责的决定"
    return {
        "number": d.decision.number,
        "heading": heading,
        "basic_facts": doc.basic_facts or "；".join(f"{x['name']}，{x['post']}" for x in parties),
        "facts": doc.facts,
        "basis": doc.basis,
        "clauses": _clauses(loaded, review),
        "methods": doc.methods or "；".join(f"{x['name']}：{x['methods']}" for x in parties),
        "parties": parties,
        "apology_manner": doc.apology_manner,
        "apology_scope": doc.apology_scope,
        "effective": effective,
        "appeal": appeal,
        "approving_organ": approve,
        "deciding_organ": decide,
        "investigating_organ": _name(loaded, d.organs.investigate),
        "date_cn": date_cn(d.dates.decision),
        "copy_to": doc.copy_to,
    }


def _safe(name: str) -> str:
    """A file name made of the id's letters only."""
    return re.sub(r"[^\w\-]", "_", name)[:80] or "x"


def write(loaded: LoadedDecision, review: dict, out: Path) -> list[Path]:
    """Render the decision document and one approval form per party into `out`; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    ctx = context(loaded, review)
    stem = _safe(loaded.decision.decision.id)
    written = []
    tpl = DocxTemplate(str(TEMPLATES / "decision.docx"))
    tpl.render(ctx, autoescape=True)
    path = out / f"{stem}-决定书.docx"
    tpl.save(str(path))
    written.append(path)
    for p in ctx["parties"]:
        tpl = DocxTemplate(str(TEMPLATES / "approval.docx"))
        tpl.render(
            {
                "number": ctx["number"],
                "name": p["name"],
                "sex": "",
                "age": "",
                "ethnicity": "",
                "post": p["post"],
                "content": f"{ctx['facts']} 依据：{'、'.join(c['citation'] for c in ctx['clauses'] if c['id'] in p['clauses'])}"
                f"；责任类型：{p['responsibility']}；拟问责方式：{p['methods']}。",
                "handler_opinion": f"建议{p['methods']}",
                "handler_organ": ctx["investigating_organ"],
                "handler_date": ctx["date_cn"],
                "approval_opinion": "同意" if p["methods"] else "",
                "approving_organ": ctx["approving_organ"],
                "approval_date": ctx["date_cn"],
            },
            autoescape=True,
        )
        path = out / f"{stem}-审批表-{_safe(p['id'])}.docx"
        tpl.save(str(path))
        written.append(path)
    return written


def soffice() -> str | None:
    """The LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], out: Path, timeout: int = 180) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice headless; raises FileNotFoundError when it is absent."""
    binary = soffice()
    if binary is None:
        raise FileNotFoundError("soffice")
    subprocess.run(
        [binary, "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return [out / (f.stem + ".pdf") for f in files]
