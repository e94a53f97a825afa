"""`akb steps SCENARIO`: the scenario's events in time order, step by step — what became true, which clauses
newly fired or were withdrawn, and what almost fired (explain/steps.py)."""

from __future__ import annotations

import argparse
import sys

from akb.cli import _parse_interpretations, load_or_report


def register(subparsers) -> None:
    c = subparsers.add_parser("steps", help="逐步推演：按时间顺序逐个事件 step through the events in time order")
    c.add_argument("scenario")
    c.add_argument("--json", action="store_true")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.add_argument(
        "--almost",
        choices=("auto", "whynot", "simple", "off"),
        default="auto",
        help="差一点适用：why-not 搜索或简单的要素组比对 near misses: why-not search, simple group check, or none",
    )
    c.add_argument(
        "--strategy",
        choices=("dred", "strata"),
        default="dred",
        help="增量方式：删除再推导（默认）或按层重算 incremental strategy: delete-and-rederive (default) or recompute strata",
    )
    c.add_argument("--timing", action="store_true", help="显示每步耗时 show the time of each step")
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from explain.report import dumps
    from explain.steps import render, step_through

    chosen = _parse_interpretations(args.interpretation or [])
    scenario = load_or_report(args.scenario)
    if scenario is None:
        return 2
    data = step_through(scenario, chosen, almost=args.almost, strategy=args.strategy, timing=args.timing)
    sys.stdout.write(dumps(data) + "\n" if args.json else render(data))
    return 0
