"""Maintenance helper (not a test): rewrite a sample scenario's `expected:` block (the last block of the file)
to the findings the engine derives. Read the difference first (git diff) and say why in the sample's comment."""

from __future__ import annotations

import sys
from pathlib import Path

from kb.scenario_io import load_scenario
from reasoning.queries import run


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        head = text[: text.index("\nexpected:\n")]
        rows = sorted(run(load_scenario(path)).liabilities(), key=lambda r: (r[3], r[2], r[1], r[0]))
        body = "".join(
            f"  - {{party: {p}, responsibility: {r}, clause: {c}, event: {e}}}\n" for p, r, c, e in rows
        )
        path.write_text(head + "\nexpected:\n" + body, encoding="utf-8")


if __name__ == "__main__":
    main()
