"""`akb`: the command line of the accountability knowledge base."""

from __future__ import annotations

import argparse
import codecs
import errno
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from explain.catalogue import both, has, label, text
from explain.errors import render_error, render_warnings
from explain.escape import ESCAPE_ERRORS, escape_controls
from kb.scenario_io import ScenarioError, load_scenario_warnings


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n")


def load_or_report(path: str):
    """The validated scenario, or None after printing its errors (file, line, field, fix) to stderr; warnings
    (facts that may be incomplete) go to stderr too, and the scenario is evaluated as written."""
    try:
        scenario, warnings = load_scenario_warnings(path)
    except ScenarioError as err:
        sys.stderr.write(render_error(err))
        return None
    sys.stderr.write(render_warnings(path, warnings))
    return scenario


def _parse_interpretations(values: Sequence[str]) -> dict[str, str]:
    from kb.interpretations import load_interpretations

    interps = load_interpretations()
    chosen = {}
    for value in values:
        name, sep, reading = value.partition("=")
        if not sep or name not in interps or reading not in interps[name].readings:
            known = "; ".join(f"{n}={'|'.join(i.readings)}" for n, i in interps.items())
            raise SystemExit(_usage_error(f"--interpretation {value}", known))
        chosen[name] = reading
    return chosen


def _usage_error(what: str, known: str) -> str:
    sys.stderr.write(f"无效的选项 invalid option: {what}\n可选 known: {known}\n")
    return 2  # type: ignore[return-value]


def cmd_clause(args: argparse.Namespace) -> int:
    from kb.registry import load_registry

    reg = load_registry()
    if args.id not in reg:
        msg = label("unknown_clause", id=args.id, near="、".join(reg.nearest(args.id)))
        sys.stderr.write(both(msg, "\n") + "\n")
        return 2
    unit = reg.get(args.id)
    rules = []
    if args.rules or args.json:
        from reasoning.rulebook import load_rulebook

        rules = load_rulebook().rules_citing(unit.id)
    if args.json:
        data = _unit_json(unit)
        data["rules"] = [{"id": r.id, "rule": str(r), "gloss": {"zh": r.gloss_zh, "en": r.gloss_en}} for r in rules]
        _print_json(data)
        return 0
    sys.stdout.write(f"{unit.citation}  [{unit.id}]\n{unit.label_en}\n\n{unit.text}\n")
    if args.rules:
        sys.stdout.write(f"\n{both(label('rules'))} ({len(rules)}):\n")
        for r in rules:
            sys.stdout.write(f"- {r.id}: {r}\n  {r.gloss_zh}\n  {r.gloss_en}\n")
    return 0


def _unit_json(unit) -> dict:
    return {
        "id": unit.id,
        "doc": unit.doc,
        "kind": unit.kind,
        "marker": unit.marker,
        "text": unit.text,
        "citation": unit.citation,
        "label_en": unit.label_en,
        "parent": unit.parent,
        "children": list(unit.children),
        "refs": list(unit.refs),
    }


def cmd_clauses(args: argparse.Namespace) -> int:
    from kb.registry import load_registry

    units = load_registry().units
    if args.json:
        _print_json([_unit_json(u) for u in units])
    else:
        for u in units:
            first = u.text.splitlines()[0] if u.text else ""
            sys.stdout.write(f"{u.id:12} {u.citation}  {first[:40]}\n")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from kb.schema import json_schema

    _print_json(json_schema())
    return 0


def _select_items(vocab, key: str | None) -> list | None:
    """The items a user asked for: all, a measure ("D16"), an article ("D16-5"), an item, or the item of an
    element id; None when nothing matches."""
    items = list(vocab.items.values())
    if not key:
        return items
    if key in vocab.elements:
        key = vocab.elements[key].item
    chosen = [i for i in items if i.document == key or i.id == key or i.id.startswith(key + ".")]
    return chosen or None


def _applies_to(item) -> dict:
    """What an item applies to: its kind of subject (vocabulary) and the subjects the rules read it about."""
    from kb.subjects import PERSON, situation_sorts

    sorts = situation_sorts().get(item.id)
    key = f"subject_{item.subject}"
    words = text("words", key) if has("words", key) else {"zh": item.subject, "en": ""}
    if sorts is None:
        readable = None
    else:
        person = both(text("lang", "sort_person"), " ")
        readable = sorted((person if s == PERSON else s.split(":", 1)[1]) for s in sorts)
    return {"subject": item.subject, "zh": words["zh"], "en": words["en"], "readable_about": readable}


def cmd_elements(args: argparse.Namespace) -> int:
    from kb.registry import load_registry
    from kb.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    reg = load_registry()
    items = _select_items(vocab, args.item)
    if items is None:
        from kb.scenario_check import nearest

        near = nearest(args.item, list(vocab.items) + sorted({i.document for i in vocab.items.values()}))
        sys.stderr.write(both(text("lang", "unknown_item", id=args.item, near=near), "\n") + "\n")
        return 2
    if args.json:
        _print_json(
            [
                {
                    "item": i.id,
                    "citation": reg.get(i.id).citation,
                    "subject": i.subject,
                    "applies_to": _applies_to(i),
                    "elements": [{"id": e.id, "kind": e.kind, "zh": e.zh, "en": e.en} for e in i.elements()],
                }
                for i in items
            ]
        )
        return 0
    label_ = text("lang", "applies_to")
    for i in items:
        applies = _applies_to(i)
        sys.stdout.write(f"{i.id}  {reg.get(i.id).citation}  ({i.subject})\n")
        sys.stdout.write(f"  {label_['zh']}：{applies['zh']} / {label_['en']}: {applies['en']}")
        if applies["readable_about"] is not None:
            sys.stdout.write(f"  [{'、'.join(applies['readable_about'])}]")
        sys.stdout.write("\n")
        for b in i.branches:
            for g in b.groups:
                sys.stdout.write(f"  [{b.id} {g.id} · {g.join}]\n")
                for e in g.elements:
                    sys.stdout.write(f"    {e.id:14} {e.zh}\n{'':18} {e.en}\n")
    return 0


def cmd_interpretations(args: argparse.Namespace) -> int:
    from kb.interpretations import load_interpretations

    interps = load_interpretations()
    if args.json:
        _print_json(
            [
                {
                    "name": i.name,
                    "readings": list(i.readings),
                    "default": i.default,
                    "clauses": list(i.clauses),
                    "open_point": i.open_point,
                    "zh": i.zh,
                    "en": i.en,
                    "reading_text": i.readings,
                }
                for i in interps.values()
            ]
        )
        return 0
    for i in interps.values():
        sys.stdout.write(f"{i.name}  ({', '.join(i.clauses)})\n  {i.zh}\n  {i.en}\n")
        for r, t in i.readings.items():
            mark = "*" if r == i.default else " "
            sys.stdout.write(f"  {mark} {r}: {t['zh']} / {t['en']}\n")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from explain.narrative import render, render_brief
    from explain.report import build_report, write_json
    from reasoning.queries import run

    chosen = _parse_interpretations(args.interpretation or [])
    if args.scenario and Path(args.scenario).is_dir():  # "" would be the current folder
        return _evaluate_folder(args, chosen)
    scenario = load_or_report(args.scenario)
    if scenario is None:
        return 2
    report = build_report(run(scenario, chosen), defer=True)
    if args.json:
        write_json(report, sys.stdout)
        sys.stdout.write("\n")
    elif args.brief:
        sys.stdout.write(render_brief(report))
    else:
        sys.stdout.write(render(report, max_depth=args.depth))
    return 0


def _evaluate_folder(args: argparse.Namespace, chosen: dict[str, str]) -> int:
    """Every *.yaml of a folder, on `--workers` processes: a line per file and a total (or, with --json, a
    list of {file, ok, report | issues}); exit status 2 if any file failed."""
    from reasoning.batch import ProgressBar, as_json, evaluate_files, scenario_files

    if args.workers is not None and args.workers < 1:
        raise SystemExit(_usage_error(f"--workers {args.workers}", "1, 2, …"))
    if not args.timeout >= 0:  # also NaN
        _say("bad_timeout", value=args.timeout)
        return 2
    paths = scenario_files(args.scenario)
    batch = evaluate_files(
        paths, args.workers, chosen, keep_report=args.json, progress=ProgressBar(), timeout=args.timeout or None
    )
    if args.json:
        _print_json([as_json(r, render_error) for r in batch.results])
    out = sys.stderr if args.json else sys.stdout  # with --json, stdout holds only the JSON
    for r in batch.results:
        if r.ok:
            s = r.summary
            out.write(
                f"✓ {r.path}  认定{s['findings']}项、涉及{s['parties']}方、程序义务{s['duties']}项 / "
                f"{s['findings']} findings, {s['parties']} parties, {s['duties']} duties  ({r.seconds:.2f} s)\n"
            )
        else:
            out.write(f"✗ {r.path}  失败 failed\n")
            if r.issues:
                sys.stderr.write(render_error(r.scenario_error()))
            elif r.code:
                sys.stderr.write(f"{r.path}: " + both(text("robust", r.code, **r.params), "\n") + "\n")
            else:
                sys.stderr.write(f"{r.path}: {r.error}\n")
    n, failed = len(batch.results), batch.failed
    out.write(
        f"共{n}个文件：成功{n - failed}，失败{failed}；用时{batch.seconds:.1f}秒"
        f"（每秒{batch.files_per_second:.2f}个文件，{batch.workers}个进程）\n"
        f"{n} files: {n - failed} ok, {failed} failed; {batch.seconds:.1f} s"
        f" ({batch.files_per_second:.2f} files/s, {batch.workers} workers)\n"
    )
    return 2 if batch.failed else 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from reasoning.coverage import coverage

    rows = coverage()
    if args.json:
        _print_json(rows)
        return 0
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("encoded", "non-operative", "missing")}
    for r in rows:
        status = label(r["status"].replace("-", "_"))
        extra = (
            r.get("reason", {}).get("zh", "")
            if r["status"] == "non-operative"
            else f"{len(r['rules'])} rules, {len(r['tests'])} tests"
        )
        sys.stdout.write(f"{r['id']:12} {status['zh']:6} {extra}\n")
    summary = label(
        "coverage_summary",
        total=len(rows),
        encoded=counts["encoded"],
        non_operative=counts["non-operative"],
        missing=counts["missing"],
    )
    sys.stdout.write(both(summary, "\n") + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from reasoning.batch import DEFAULT_TIMEOUT

    p = argparse.ArgumentParser(prog="akb", description="连云港问责办法知识库 accountability knowledge base")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("clause", help="一个条款的引文和原文 one clause: citation and text")
    c.add_argument("id")
    c.add_argument("--rules", action="store_true", help="同时列出编码该条款的规则 also list its rules")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_clause)

    c = sub.add_parser("clauses", help="全部条款 the whole clause registry")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_clauses)

    c = sub.add_parser("schema", help="情景文件的 JSON Schema")
    c.set_defaults(func=cmd_schema)

    c = sub.add_parser("elements", help="情形要素表 the element vocabulary")
    c.add_argument("item", nargs="?", help="办法、条或项的编号 a measure, article or item, e.g. D16, D16-5, D16-5.1")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_elements)

    c = sub.add_parser("interpretations", help="可切换的解释选项 switchable interpretations")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_interpretations)

    c = sub.add_parser("evaluate", help="评估情景 evaluate a scenario (or every *.yaml of a folder)")
    c.add_argument("scenario", help="情景文件或文件夹 a scenario file, or a folder of them")
    c.add_argument(
        "--workers",
        type=int,
        default=None,
        help="文件夹：并行进程数（默认为CPU核数） folder: worker processes (default: one per core)",
    )
    c.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"文件夹：每个文件的时间限制，超时记为失败（默认{DEFAULT_TIMEOUT:g}秒，0为不限） "
        f"folder: time limit per file, a file over it fails (default {DEFAULT_TIMEOUT:g} s, 0: none)",
    )
    c.add_argument("--json", action="store_true")
    c.add_argument("--interpretation", action="append", metavar="NAME=READING")
    c.add_argument("--brief", action="store_true", help="每项认定一行 one line per finding")
    c.add_argument("--depth", type=int, default=6, help="推理过程显示层数 proof depth shown (JSON: complete)")
    c.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("coverage", help="条款编码与测试覆盖 encoding and test coverage")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_coverage)

    # further commands live in their own modules, akb/cmd_*.py, each with register(subparsers)
    for module in sorted(Path(__file__).parent.glob("cmd_*.py")):
        importlib.import_module(f"akb.{module.stem}").register(sub)
    return p


class SafeStream:
    """A text stream for the terminal: control characters a user wrote are shown escaped (`\\x1b`), and a
    character the stream's encoding cannot show is written as `\\uXXXX` instead of failing."""

    def __init__(self, inner, keep_cr: bool = False):
        self.inner = inner
        self.keep_cr = keep_cr  # stderr: the progress bar redraws its line with a carriage return
        self.encoding = getattr(inner, "encoding", None) or "utf-8"
        try:
            self.lossy = not codecs.lookup(self.encoding).name.startswith("utf")
        except LookupError:
            self.lossy = True
        self.fell_back = False

    def write(self, s: str) -> int:
        s = "\r".join(escape_controls(part) for part in s.split("\r")) if self.keep_cr else escape_controls(s)
        if self.lossy:
            try:
                s.encode(self.encoding)
            except (UnicodeEncodeError, LookupError):
                s = s.encode(self.encoding, ESCAPE_ERRORS).decode(self.encoding, "replace")
                self.fell_back = True
        return self.inner.write(s)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def _say(key: str, **params) -> None:
    """One message of the `robust` section on stderr, Chinese then English."""
    sys.stderr.write(both(text("robust", key, **params), "\n") + "\n")


def _short(path: object, n: int = 80) -> str:
    s = os.fsdecode(path) if isinstance(path, bytes | str | os.PathLike) else str(path)
    return s if len(s) <= n else s[: n - 1] + "…"


def os_error_message(err: OSError) -> dict[str, str]:
    """An operating-system error on a file as a message naming the file and the fix, Chinese and English."""
    name = err.filename if err.filename is not None else "?"
    file = _short(name)
    if err.errno == errno.ENAMETOOLONG:
        return text("robust", "name_too_long", n=len(os.fsdecode(name)), file=file)
    key = {
        errno.ENOENT: "not_found",
        errno.EISDIR: "output_is_folder",
        errno.EACCES: "permission",
        errno.EPERM: "permission",
        errno.ENOTDIR: "not_a_folder",
    }.get(err.errno or 0, "os_error")
    return text("robust", key, file=file, example=f"{file}/out.txt", reason=err.strerror or type(err).__name__)


def report_problems(problems) -> None:
    """Print each problem of reasoning/fact_check.py (a named fact or event the scenario lacks) with the
    nearest ids, Chinese then English."""
    for p in problems:
        kind = text("robust", f"kind_{p.kind}") if p.kind else {"zh": "", "en": ""}
        near_zh = "、".join(p.near) if p.near else text("robust", "none")["zh"]
        near_en = ", ".join(p.near) if p.near else text("robust", "none")["en"]
        params = dict(fact=p.fact, value=p.value, event=p.value, kind_zh=kind["zh"], kind_en=kind["en"])
        msg = text("robust", p.code, near=near_zh, **params)
        msg["en"] = text("robust", p.code, near=near_en, **params)["en"]
        sys.stderr.write(both(msg, "\n") + "\n")


def check_output_path(path: str) -> bool:
    """Whether a file can be written at `path` (its folder exists and it is not a folder); prints why not."""
    try:
        target = Path(path)
        if target.is_dir():
            _say("output_is_folder", file=_short(path), example=_short(target / "out.txt"))
            return False
        folder = target.parent
        if not folder.is_dir():
            _say("output_folder_missing", file=_short(path), folder=_short(folder))
            return False
    except OSError as err:
        sys.stderr.write(both(os_error_message(err), "\n") + "\n")
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `akb` console script: every expected failure (a closed pipe, an output encoding
    without Chinese, a file that cannot be opened or written) is a message and exit status 2, never a traceback."""
    real_out, real_err = sys.stdout, sys.stderr
    out, err = SafeStream(real_out), SafeStream(real_err, keep_cr=True)
    sys.stdout, sys.stderr = out, err
    try:
        args = build_parser().parse_args(argv)
        status = args.func(args)
        # an output encoding without Chinese: the answer is written in escapes (nothing lost), but the caller
        # is told it did not get the text as asked (issue 13: a clear message and exit 2)
        return 2 if out.fell_back or err.fell_back else status
    except BrokenPipeError:
        _silence(real_out)
        _say("pipe_closed")
        return 2
    except OSError as exc:
        sys.stderr.write(both(os_error_message(exc), "\n") + "\n")
        return 2
    finally:
        if out.fell_back or err.fell_back:
            try:
                _say("encoding_fallback", encoding=out.encoding if out.fell_back else err.encoding)
            except OSError:
                pass
        sys.stdout, sys.stderr = real_out, real_err


def _silence(stream) -> None:
    """After a closed pipe: point the stream at /dev/null so that flushing it at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
