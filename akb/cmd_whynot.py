"""`akb why-not` and `akb almost`: why a party is not liable under a clause, and what is one or two facts away."""

from __future__ import annotations

import argparse
import sys


def _load(args: argparse.Namespace):
    """The evaluated scenario, or an exit code after printing the scenario's errors."""
    from akb.cli import _parse_interpretations, load_or_report
    from reasoning.queries import run

    chosen = _parse_interpretations(args.interpretation or [])
    scenario = load_or_report(args.scenario)
    return None if scenario is None else run(scenario, chosen)


def _check_party(ev, party: str | None) -> str | None:
    """The party's id (a unit or person id, or a display name), or None after printing what is wrong."""
    from explain.catalogue import both, text

    if party is None:
        return None
    s = ev.scenario
    ids = {u.id for u in s.units} | {p.id for p in s.persons}
    if party in ids:
        return party
    by_name = {u.name: u.id for u in s.units if u.name} | {p.name: p.id for p in s.persons if p.name}
    if party in by_name:
        return by_name[party]
    sys.stderr.write(both(text("graph", "unknown_party", party=party), "\n") + "\n")
    return ""


def _check_clause(clause: str) -> bool:
    from explain.catalogue import both, label
    from kb.registry import load_registry

    reg = load_registry()
    if clause in reg:
        return True
    sys.stderr.write(both(label("unknown_clause", id=clause, near="、".join(reg.nearest(clause))), "\n") + "\n")
    return False


def cmd_why_not(args: argparse.Namespace) -> int:
    from akb.cli import _print_json
    from reasoning.whynot import render_why_not, why_not

    ev = _load(args)
    if ev is None:
        return 2
    party = _check_party(ev, args.party)
    if not party or not _check_clause(args.clause):
        return 2
    if args.event is not None:
        from akb.cli import report_problems
        from reasoning.fact_check import check_event

        problem = check_event(ev, args.event)
        if problem:
            report_problems([problem])
            return 2
    result = why_not(ev, party, args.clause, args.event, max_facts=args.max_facts)
    if args.json:
        _print_json(result)
    else:
        sys.stdout.write(render_why_not(result))
    return 0


def cmd_almost(args: argparse.Namespace) -> int:
    from akb.cli import _print_json
    from reasoning.whynot import almost, render_almost

    ev = _load(args)
    if ev is None:
        return 2
    party = _check_party(ev, args.party)
    if party == "":
        return 2
    result = almost(ev, party, max_facts=args.max_facts, limit=args.limit or None)
    if args.json:
        _print_json(result)
    else:
        sys.stdout.write(render_almost(result))
    return 0


def register(sub) -> None:
    c = sub.add_parser("why-not", help="为什么不承担责任 why a party is not liable under a clause")
    c.add_argument("scenario")
    c.add_argument("--party", required=True, help="单位或人员编号 unit or person id (or name)")
    c.add_argument("--clause", required=True, help="条款编号 clause id, e.g. D16-5.9 (an article covers its items)")
    c.add_argument("--event", help="只看一个事件 one event only")
    c.add_argument("--max-facts", type=int, default=3, help="至多补充或删除的事实数 facts to add or remove (default 3)")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_why_not)

    c = sub.add_parser("almost", help="差一两项事实即可成立的责任 liabilities one or two facts away")
    c.add_argument("scenario")
    c.add_argument("--party", help="只看一个责任主体 one party only")
    c.add_argument("--max-facts", type=int, default=2, help="至多几项事实 facts away (default 2)")
    c.add_argument("--limit", type=int, default=20, help="最多列出几项 entries shown (0: all)")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_almost)
