"""`akb documents DECISION --out DIR [--pdf]`: draft the 问责决定书 (附2, A1-23) and the 问责审批表 (附1) as .docx,
filled from the decision and its review; a PDF through LibreOffice where it is installed (explain/documents.py)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from akb.cli import _parse_interpretations
from explain.catalogue import both, text


def register(subparsers) -> None:
    c = subparsers.add_parser("documents", help="起草问责决定书和审批表 draft the decision document and approval forms")
    c.add_argument("decision")
    c.add_argument("--out", required=True, help="输出文件夹 output folder")
    c.add_argument("--pdf", action="store_true", help="另用 LibreOffice 生成 PDF also convert to PDF with LibreOffice")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from akb.cmd_review import render_decision_error
    from explain.documents import to_pdf, write
    from explain.review import build
    from kb.decision_schema import load_decision
    from kb.scenario_io import ScenarioError
    from reasoning.review import review

    chosen = _parse_interpretations(args.interpretation or [])
    try:
        loaded = load_decision(args.decision)
    except ScenarioError as err:
        sys.stderr.write(render_decision_error(err, args.decision))
        return 2
    data = build(loaded, review(loaded, chosen, alternatives=False), proofs=False)
    out = Path(args.out)
    files = write(loaded, data, out)
    for f in files:
        sys.stdout.write(both(text("review_labels", "documents_written", path=f)) + "\n")
    if args.pdf:
        try:
            for f in to_pdf(files, out):
                sys.stdout.write(both(text("review_labels", "documents_written", path=f)) + "\n")
        except FileNotFoundError:
            sys.stderr.write(both(text("review_labels", "no_soffice"), "\n") + "\n")
            return 3
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            sys.stderr.write(both(text("review_labels", "pdf_failed", detail=str(exc)[:200]), "\n") + "\n")
            return 3
    return 0
