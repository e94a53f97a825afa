"""`akb new [FILE]`: a commented starter scenario (one example of each event type) to copy and edit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

STARTER = Path(__file__).parent / "templates" / "starter.yaml"


def starter_text() -> str:
    """The starter scenario's text (it validates and evaluates: tests/test_scenario_language.py)."""
    return STARTER.read_text(encoding="utf-8")


def cmd_new(args: argparse.Namespace) -> int:
    from explain.catalogue import both, text

    if args.file is None or args.file == "-":
        sys.stdout.write(starter_text())
        return 0
    try:
        # exclusive creation: an existing file is never overwritten
        fd = os.open(args.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        sys.stderr.write(both(text("lang", "new_exists", file=args.file), "\n") + "\n")
        return 2
    except OSError as exc:
        sys.stderr.write(both(text("lang", "new_failed", file=args.file, errno=exc.errno or 0), "\n") + "\n")
        return 2
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(starter_text())
    sys.stderr.write(both(text("lang", "new_written", file=args.file), "\n") + "\n")
    return 0


def register(sub) -> None:
    c = sub.add_parser("new", help="写出一个带注释的情景模板 write a commented starter scenario")
    c.add_argument("file", nargs="?", help="要写出的文件（省略则输出到屏幕） file to write (default: standard output)")
    c.set_defaults(func=cmd_new)
