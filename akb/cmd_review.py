"""`akb review DECISION|FOLDER [--json] [--receipt FILE] [--schema]`: check a proposed accountability decision
against the measures, clause by clause (reasoning/review, worded by explain/review.py). Exit 0 when every check
passes, 1 when any problem is found, 2 on bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from akb.cli import _parse_interpretations, _print_json
from explain.errors import render_error
from kb.scenario_io import ScenarioError


def register(subparsers) -> None:
    c = subparsers.add_parser("review", help="审查问责决定 review a proposed accountability decision (or a folder)")
    c.add_argument("decision", nargs="?", help="决定文件（YAML 或 JSON）或文件夹 decision file or folder")
    c.add_argument("--json", action="store_true")
    c.add_argument("--receipt", metavar="FILE", help="写出审查回执 write the review receipt (JSON)")
    c.add_argument("--schema", action="store_true", help="决定文件的 JSON Schema")
    c.add_argument("--proofs", action="store_true", help="列出推理过程 print the proofs of the liabilities relied on")
    c.add_argument(
        "--no-alternatives", action="store_true", help="不在其他解释下复查 skip re-checks under other readings"
    )
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.set_defaults(func=run)


def render_decision_error(err: ScenarioError, decision_file: str) -> str:
    """A bad decision file (or its scenario): file, line, field, what is wrong, the fix — Chinese, then English."""
    return render_error(err, "decision_header" if err.file == decision_file else "header")


def review_file(path: str, chosen: dict[str, str], alternatives: bool = True) -> dict | None:
    """The worded review of one decision file, or None after printing its errors."""
    from explain.review import build
    from kb.decision_schema import load_decision
    from reasoning.review import review

    try:
        loaded = load_decision(path)
    except ScenarioError as err:
        sys.stderr.write(render_decision_error(err, path))
        return None
    return build(loaded, review(loaded, chosen, alternatives=alternatives))


def _progress(i: int, n: int, name: str) -> None:
    width = 30
    done = int(width * i / n) if n else width
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {i}/{n} {name[:40]:<40}")
    if i == n:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from explain.report import dumps
    from explain.review import folder_summary, render, render_folder

    if args.schema:
        from kb.decision_schema import json_schema

        _print_json(json_schema())
        return 0
    if not args.decision:
        sys.stderr.write("需要决定文件或文件夹 a decision file or folder is needed\n")
        return 2
    chosen = _parse_interpretations(args.interpretation or [])
    target = Path(args.decision)
    if target.is_dir():
        files = sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        reviews, errors = [], 0
        for i, f in enumerate(files, 1):
            _progress(i - 1, len(files), f.name)
            data = review_file(str(f), chosen, not args.no_alternatives)
            if data is None:
                errors += 1
            else:
                reviews.append(data)
            _progress(i, len(files), f.name)
        summary = folder_summary(reviews, errors)
        sys.stdout.write(dumps(summary) + "\n" if args.json else render_folder(summary))
        if errors:
            return 2
        return 0 if summary["bad"] == 0 else 1
    data = review_file(str(target), chosen, not args.no_alternatives)
    if data is None:
        return 2
    if args.receipt:
        Path(args.receipt).write_text(dumps(data["receipt"]) + "\n", encoding="utf-8")
    sys.stdout.write(dumps(data) + "\n" if args.json else render(data, proofs=args.proofs))
    return 0 if data["ok"] else 1
