"""`akb graph`: the proof graph of a scenario (facts → rule instances → liabilities) as DOT, SVG, JSON or text."""

from __future__ import annotations

import argparse
import sys


def render_text(g) -> str:
    """The graph in words: the liabilities in scope and each step of the upward chains."""
    from explain.catalogue import both, text

    data = g.graph
    out = [data["title"]["zh"], data["title_en"]["en"]]
    roots = [g.nodes[r] for r in data["roots"]]
    if not roots:
        out.append(both(text("graph", "empty"), "\n"))
    for d in roots:
        out.append(f"■ {d['zh']}".replace("\n", "\n  "))
        out.append(f"  {d['en']}".replace("\n", "\n  "))
    # each event's chain from the lowest level up
    chain = sorted(
        ((n, d) for n, d in g.nodes(data=True) if d["kind"] == "chain"),
        key=lambda x: (x[1]["event"], -x[1].get("hops", 0), x[0]),
    )
    if chain:
        t = text("graph", "kind_chain")
        out += ["", f"{t['zh']} / {t['en']}:"]
        for _n, d in chain:
            out += [f"- {d['zh']}", f"  {d['en']}"]
    kinds: dict[str, int] = {}
    for _n, d in g.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    out += ["", " · ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + f" · edges {g.number_of_edges()}"]
    return "\n".join(out) + "\n"


def cmd_graph(args: argparse.Namespace) -> int:
    from akb.cli import _print_json, check_output_path
    from akb.cmd_whynot import _check_clause, _check_party, _load
    from explain.catalogue import both, text
    from explain.escape import escape_controls
    from explain.graph import build_graph, has_dot, to_dot, to_json, to_svg

    fmt = "json" if args.json else args.format
    if args.output and not check_output_path(args.output):
        return 2
    ev = _load(args)
    if ev is None:
        return 2
    party = _check_party(ev, args.party)
    if party == "" or (args.clause and not _check_clause(args.clause)):
        return 2
    depth = None if args.depth is None or args.depth < 0 else args.depth
    g = build_graph(ev, party, args.clause, max_depth=depth, expand=args.expand or (), show_law=args.law)
    if fmt == "json":
        if args.output:
            import json

            with open(args.output, "w", encoding="utf-8") as fh:
                json.dump(to_json(g), fh, ensure_ascii=False, sort_keys=True, indent=2)
                fh.write("\n")
        else:
            _print_json(to_json(g))
        return 0
    if fmt == "svg":
        if not has_dot():
            sys.stderr.write(both(text("graph", "no_dot"), "\n") + "\n")
            return 3
        out = to_svg(g)
    elif fmt == "dot":
        out = to_dot(g)
    else:
        out = render_text(g)
    if fmt == "text" or not args.output:
        out = escape_controls(out)  # what a user wrote is shown escaped (DOT labels are escaped already)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def register(sub) -> None:
    c = sub.add_parser("graph", help="推理图 proof graph (DOT, SVG, JSON, text)")
    c.add_argument("scenario")
    c.add_argument("--party", help="只画一个责任主体 one party only (id or name)")
    c.add_argument("--clause", help="只画一个条款 one clause or article, e.g. D16-8 or D16-5.9")
    c.add_argument("--format", choices=["dot", "svg", "json", "text"], default="dot")
    c.add_argument("--json", action="store_true", help="同 --format json")
    c.add_argument(
        "--depth",
        type=int,
        default=None,
        help="推理层数上限，更深的折叠 cap the depth; deeper sub-proofs are collapsed (default: none)",
    )
    c.add_argument(
        "--expand",
        action="append",
        metavar="NODE_ID",
        help="展开某个折叠的推论 expand a collapsed conclusion past the cap (its node id, e.g. 'C liable(…)')",
    )
    c.add_argument("--law", action="store_true", help="画出条文所列事实 also draw facts listed by the measures")
    c.add_argument("--output", "-o", help="写入文件 write to a file")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.set_defaults(func=cmd_graph)
