"""`akb contrast SCENARIO [--party P]`: for each person held accountable individually, the band of methods
allowed, why, and what (verified) change would move it lighter or heavier (explain/contrast.py)."""

from __future__ import annotations

import argparse
import sys

from akb.cli import _parse_interpretations, load_or_report
from explain.catalogue import both, text


def register(subparsers) -> None:
    c = subparsers.add_parser(
        "contrast", help="问责方式对比说明：为何此档、如何更轻或更重 contrastive sanction: why this band, what moves it"
    )
    c.add_argument("scenario")
    c.add_argument("--party", help="只看此人 only this person (id)")
    c.add_argument("--json", action="store_true")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.add_argument(
        "--fresh",
        action="store_true",
        help="每项变更全新评估（默认用增量会话） verify each change by a fresh evaluation",
    )
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from explain.contrast import contrast, render
    from explain.report import dumps
    from reasoning.queries import run as evaluate

    chosen = _parse_interpretations(args.interpretation or [])
    scenario = load_or_report(args.scenario)
    if scenario is None:
        return 2
    ev = evaluate(scenario, chosen)
    if args.party and not any(k[0] == args.party for k in ev.model.get("individual", ())):
        sys.stderr.write(both(text("whatif", "unknown_party", party=args.party), "\n") + "\n")
        return 2
    data = contrast(ev, args.party, incremental=not args.fresh)
    sys.stdout.write(dumps(data) + "\n" if args.json else render(data))
    return 0
