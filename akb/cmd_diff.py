"""`akb diff A.yaml B.yaml` or `akb diff A.yaml --add FACT --remove FACT`: conclusions gained and lost, each
explained by the facts that made the difference; sanction bands, team sanctions, duties and deadlines alike
(reasoning/diff.py)."""

from __future__ import annotations

import argparse
import sys

from akb.cli import _parse_interpretations, load_or_report
from explain.catalogue import both, text


def register(subparsers) -> None:
    c = subparsers.add_parser(
        "diff",
        help="假设比较：两个情景（或一个情景加减事实）的结论差异 what-if: compare two scenarios or one with changes",
    )
    c.add_argument("a", help="情景 A scenario A")
    c.add_argument("b", nargs="?", help="情景 B（可省略，改用 --add/--remove） scenario B (or use --add/--remove)")
    c.add_argument(
        "--add", action="append", default=[], metavar="FACT", help="新增事实，如 established(事1, A1-15.2/c1)"
    )
    c.add_argument("--remove", action="append", default=[], metavar="FACT", help="删除事实，如 pursued(陆海峰, 案2)")
    c.add_argument("--json", action="store_true")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING", help="两边都用 for both sides")
    c.add_argument("--b-interpretation", action="append", metavar="NAME=READING", help="只用于 B for B only")
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from akb.cli import report_problems
    from explain.report import dumps
    from reasoning.diff import FactSyntaxError, compare, parse_fact, render, scenario_rows, with_changes
    from reasoning.fact_check import check_changes
    from reasoning.queries import run as evaluate

    chosen = _parse_interpretations(args.interpretation or [])
    chosen_b = {**chosen, **_parse_interpretations(args.b_interpretation or [])}
    if not args.b and not (args.add or args.remove or args.b_interpretation):
        sys.stderr.write(both(text("whatif", "diff_needs_b"), "\n") + "\n")
        return 2
    try:
        added = [parse_fact(f) for f in args.add]
        removed = [parse_fact(f) for f in args.remove]
    except FactSyntaxError as err:
        msg = text("whatif", err.code, text=err.text, **err.params)
        sys.stderr.write(both(msg, "\n") + "\n" + both(text("whatif", "fact_syntax_fix"), "\n") + "\n")
        return 2
    a_scenario = load_or_report(args.a)
    b_scenario = load_or_report(args.b) if a_scenario is not None and args.b else a_scenario
    if a_scenario is None or b_scenario is None:
        return 2
    a = evaluate(a_scenario, chosen)
    b = evaluate(b_scenario, chosen_b)
    problems = check_changes(b, scenario_rows(b), added, removed)
    if problems:
        report_problems(problems)
        return 2
    if added or removed:
        b = with_changes(b, added, removed)
    data = compare(a, b)
    data["changes"] = {
        "add": [{"pred": p, "args": list(x)} for p, x in added],
        "remove": [{"pred": p, "args": list(x)} for p, x in removed],
    }
    sys.stdout.write(dumps(data) + "\n" if args.json else render(data))
    return 0
