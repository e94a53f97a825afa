"""Maintenance helper (not a test): print, for the per-clause cases of one file, where the engine's liabilities
differ from the expected ones, and with --accept NAME… rewrite those cases' `liable` to what the engine derives,
recording why in the case's `changed` note. Every accepted change must be read first: the note says why."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caselib import CASES, scenario_of  # noqa: E402
from reasoning.queries import run  # noqa: E402


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--accept", nargs="*", default=[], help="case names (prefixes) whose liable list to rewrite")
    ap.add_argument("--why", default="")
    args = ap.parse_args()
    path = CASES / args.file
    y = _yaml()
    data = y.load(path.read_text(encoding="utf-8"))
    for case in data["cases"]:
        ev = run(scenario_of(case))
        clauses = set(case["clauses"])
        got = sorted(r for r in ev.liabilities() if r[2] in clauses)
        want = sorted(tuple(r) for r in case.get("liable", []))
        if got == want:
            continue
        if any(case["name"].startswith(a) for a in args.accept):
            seq = y.load("- []")
            seq.clear()
            for row in got:
                item = y.load("[a]")
                item.clear()
                item.extend(row)
                item.fa.set_flow_style()
                seq.append(item)
            case["liable"] = seq
            if args.why:
                case["changed"] = args.why
            continue
        print("==", case["name"])
        for r in sorted(set(want) - set(got)):
            print("   -", r)
        for r in sorted(set(got) - set(want)):
            print("   +", r)
    buf = io.StringIO()
    y.dump(data, buf)
    path.write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
