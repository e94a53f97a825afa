"""The review in words: the verdict table (Chinese, then English), its JSON, the review receipt and the
summary of a folder. Wording comes from explain/messages/review.yaml; the checks are reasoning/review's."""

from __future__ import annotations

import hashlib
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from explain.catalogue import text
from explain.proof import Prover, to_json
from kb.decision_schema import LoadedDecision
from kb.registry import load_registry
from reasoning.review.contents import APOLOGY, REQUIRED

RULES = Path(__file__).resolve().parent.parent / "kb"
# What the rule book is: the rules, the static vocabulary they are built with, the readings and the texts.
RULEBOOK_FILES = ("rules/*.yaml", "vocabulary/*.yaml", "interpretations.yaml", "texts/*.txt")


def rulebook_hash() -> str:
    """sha256 of the rule book's files, in a fixed order (path, then content)."""
    h = hashlib.sha256()
    for pattern in RULEBOOK_FILES:
        for path in sorted(RULES.glob(pattern)):
            h.update(path.relative_to(RULES).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def version() -> str:
    """The installed version of the knowledge base."""
    try:
        return metadata.version("akb")
    except metadata.PackageNotFoundError:
        return "unknown"


def _param(value: Any, lang: str, names: dict[str, str]) -> str:
    """A parameter as words: lists joined, field ids named, ids of the scenario by name."""
    if value is None or value == [] or value == "":
        return text("review_labels", "none")[lang]
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(_param(v, lang, names) for v in value)
    value = str(value)
    if value in REQUIRED + APOLOGY:  # the document's fields A1-23 requires
        return text("review_fields", value)[lang]
    return names.get(value, value)


def _words(section: str, key: str | None, params: dict, names: dict[str, str]) -> dict[str, str] | None:
    if key is None:
        return None
    return {
        lang: text(section, key, **{k: _param(v, lang, names) for k, v in params.items()})[lang]
        for lang in ("zh", "en")
    }


def build(loaded: LoadedDecision, result: dict, proofs: bool = True) -> dict:
    """The review as JSON-ready data, every verdict worded, clause cited and (for liabilities) proved."""
    reg = load_registry()
    names = loaded.scenario.names()
    ev = result["evaluation"]
    prover = Prover(ev.rulebook, ev.model) if proofs else None
    verdicts = []
    for v in result["verdicts"]:
        item = v.to_json()
        unit = reg.get(v.clause) if v.clause in reg else None
        item["citation"] = unit.citation if unit else v.clause
        item["clause_text"] = unit.text if unit else ""
        item["party_name"] = names.get(v.party, v.party) if v.party else None
        item["reads"] = _words("review_reasons", v.reason, {**v.params, "party": v.party}, names)
        item["fix_reads"] = _words("review_fixes", v.fix, v.fix_params, names)
        if prover is not None and v.evidence.get("liable"):
            found = [p for row in v.evidence["liable"] if (p := prover.prove("liable", tuple(row))) is not None]
            item["proofs"] = [to_json(p, ev.rulebook) for p in found]
            # the readings the liability's proof relies on, beside those found by re-checking
            used = {name for p in found for name, _reading in p.interpretations()}
            item["interpretations"] = sorted(set(item["interpretations"]) | used)
        verdicts.append(item)
    d = loaded.decision
    return {
        "decision": {"id": d.decision.id, "title": d.decision.title, "number": d.decision.number},
        "scenario": {"id": loaded.scenario.scenario.id, "file": d.decision.scenario},
        "receipt": receipt(loaded, result),
        "readings": result["readings"],
        "verdicts": verdicts,
        "appear_under_other_readings": result["appear_under_other_readings"],
        "summary": result["summary"],
        "ok": result["summary"]["problems"] == 0,
    }


def receipt(loaded: LoadedDecision, result: dict) -> dict:
    """What makes a review citable and re-checkable: content hashes, the rule book, readings, each verdict."""
    return {
        "decision_sha256": loaded.decision_sha256,
        "scenario_sha256": loaded.scenario_sha256,
        "rulebook_sha256": rulebook_hash(),
        "rulebook_version": version(),
        "interpretations": dict(sorted(result["readings"].items())),
        "verdicts": [
            {
                "check": v.check,
                "party": v.party,
                "clause": v.clause,
                "subject": v.subject,
                "verdict": v.verdict,
                "reason": v.reason,
            }
            for v in result["verdicts"]
        ],
    }


def _verdict_label(item: dict, lang: str) -> str:
    key = "pass_note" if item["verdict"] == "pass" and item["note"] else item["verdict"]
    return text("review_verdicts", key)[lang]


def _evidence_lines(item: dict, lang: str, proofs: bool) -> list[str]:
    """What fails for a clause that does not fire (and what would make it apply); the proofs when asked."""
    out: list[str] = []
    for way in item["evidence"].get("why_not", {}).get("ways", []):
        head = text("review_labels", "why_not")[lang]
        for cond in way["failing"]:
            out.append(f"    {head}: {way['rule']} ✗ {cond[lang]}")
        for rep in way["repairs"]:
            out.append("      + " + "; ".join(c["enter"][lang] for c in rep["changes"]))
    if proofs and lang == "zh":
        from explain.narrative import _proof_lines

        for proof in item.get("proofs", []):
            out.append(f"    {text('review_labels', 'proof')['zh']} / {text('review_labels', 'proof')['en']}:")
            _proof_lines(proof, 2, out, 4)
    return out


def render(data: dict, proofs: bool = False) -> str:
    """The verdict table, Chinese then English, with what each verdict depends on (and the proofs if asked)."""
    lines = []
    for lang in ("zh", "en"):
        lines.append(text("review_labels", "title", id=data["decision"]["id"])[lang])
        lines.append(text("review_labels", "scenario", path=data["scenario"]["file"])[lang])
        lines.append(text("review_labels", "table_head")[lang])
        for item in data["verdicts"]:
            party = item["party_name"] or text("review_labels", "whole_decision")[lang]
            fix = item["fix_reads"][lang] if item["fix_reads"] else "—"
            check = text("review_checks", item["check"])[lang]
            cite = item["clause"]
            lines.append(f"{_verdict_label(item, lang)} | {check} | {party} | {cite} | {item['reads'][lang]} | {fix}")
            lines += _evidence_lines(item, lang, proofs)
            if (item["verdict"] == "problem" or item["note"]) and item["clause_text"]:
                lines.append(
                    f"    {text('review_labels', 'clause_text')[lang]}: {item['citation']} {item['clause_text']}"
                )
            if item["interpretations"]:
                lines.append(f"    {text('review_labels', 'readings')[lang]}: {', '.join(item['interpretations'])}")
            if item["changes"]:
                alt = "; ".join(
                    f"{c['interpretation']}={c['reading']} → {text('review_verdicts', c['verdict'])[lang]}"
                    for c in item["changes"]
                )
                lines.append(f"    {text('review_labels', 'changes')[lang]}: {alt}")
        for a in data["appear_under_other_readings"]:
            lines.append(
                f"  {text('review_labels', 'appear')[lang]}: {a['interpretation']}={a['reading']} "
                f"{text('review_checks', a['check'])[lang]} {a['party'] or ''} {a['clause']}"
            )
        lines.append(text("review_labels", "summary", **data["summary"])[lang])
        lines.append("")
    return "\n".join(lines)


def folder_summary(reviews: list[dict], errors: int) -> dict:
    """How many decisions pass every check, and the most frequent problems by clause."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for r in reviews:
        for v in r["verdicts"]:
            if v["verdict"] == "problem":
                counts[(v["clause"], v["check"], v["reason"])] += 1
    frequent = [
        {"clause": c, "check": k, "reason": r, "count": n}
        for (c, k, r), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    ]
    return {
        "total": len(reviews) + errors,
        "ok": sum(r["ok"] for r in reviews),
        "bad": sum(not r["ok"] for r in reviews),
        "errors": errors,
        "frequent": frequent[:10],
        "decisions": [
            {"id": r["decision"]["id"], "ok": r["ok"], "problems": r["summary"]["problems"]} for r in reviews
        ],
    }


def render_folder(summary: dict) -> str:
    """The folder summary, Chinese then English."""
    lines = []
    for lang in ("zh", "en"):
        lines.append(text("review_labels", "folder_summary", **summary)[lang])
        lines.append(text("review_labels", "frequent")[lang] + ":")
        for f in summary["frequent"]:
            lines.append(f"  {f['count']} × {f['clause']} {text('review_checks', f['check'])[lang]} ({f['reason']})")
        lines.append("")
    return "\n".join(lines)
