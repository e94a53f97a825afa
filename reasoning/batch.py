"""Evaluate many scenario files at once, on every core.

pyDatalog holds the GIL for the whole of an evaluation, so threads would take turns: the files are shared
among worker processes instead (fork where the platform has it, so that each worker starts with the rule book
already loaded; spawn elsewhere). Results come back in the order of the files whatever order the workers
finish in. A file that cannot be read or validated, or whose evaluation fails, is a failed result carrying
its issues or message: nothing is raised, and a worker that dies only fails the files it had.

With a time limit, each file is evaluated in a process of its own, which is stopped when the file takes
longer than the limit: pyDatalog cannot be interrupted from inside, so only a process can be. The file is
then a failed result with the code `timeout`, and the batch goes on with the next.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kb.scenario_io import Issue, ScenarioError


@dataclass
class FileResult:
    """The outcome for one file: a report (as plain data) or the reason it failed."""

    path: str
    ok: bool
    seconds: float = 0.0
    summary: dict[str, int] = field(default_factory=dict)  # findings, parties, duties
    report: dict | None = None
    issues: list[Issue] = field(default_factory=list)  # the scenario's problems (validation)
    error: str | None = None  # anything else that went wrong (reading, evaluating)
    code: str | None = None  # a failure the command line words from the catalogue: "timeout"
    params: dict[str, str] = field(default_factory=dict)

    def scenario_error(self) -> ScenarioError:
        """The validation problems as the ScenarioError the single-file path raises."""
        return ScenarioError(self.path, self.issues)


@dataclass
class BatchResult:
    """Every file's result, in the order given, with totals."""

    results: list[FileResult]
    workers: int
    seconds: float

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.ok)

    @property
    def files_per_second(self) -> float:
        return len(self.results) / self.seconds if self.seconds > 0 else 0.0


def scenario_files(folder: str | Path) -> list[Path]:
    """The scenario files of a folder: every *.yaml, *.yml and *.json in it (not in sub-folders), sorted by name."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file())


def evaluate_file(path: str, chosen: dict[str, str] | None = None, keep_report: bool = True) -> FileResult:
    """Load, evaluate and report one file; never raises for a bad file."""
    from explain.report import build_report
    from kb.scenario_io import load_scenario
    from reasoning.queries import run

    start = time.perf_counter()
    try:
        scenario = load_scenario(path)
        report = build_report(run(scenario, chosen))
    except ScenarioError as err:
        return FileResult(path, False, time.perf_counter() - start, issues=list(err.issues))
    except Exception as exc:  # noqa: BLE001 - an unexpected failure of one file must not stop the batch
        return FileResult(path, False, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}")
    return FileResult(
        path,
        True,
        time.perf_counter() - start,
        summary=dict(report["summary"]),
        report=report if keep_report else None,
    )


def _warm() -> None:
    """Load what every evaluation needs, once, before the workers start (fork shares it with them)."""
    from explain.catalogue import label
    from kb.interpretations import load_interpretations
    from kb.registry import load_registry
    from kb.subjects import situation_sorts
    from kb.vocabulary import load_vocabulary
    from reasoning.rulebook import load_rulebook

    load_rulebook()
    load_registry()
    load_vocabulary()
    load_interpretations()
    situation_sorts()  # which subjects each item can be read about (the loader's checks)
    label("closed_world")


def _context() -> mp.context.BaseContext:
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


DEFAULT_TIMEOUT = 120.0  # seconds per file at the command line: ten times the largest generated scenario


def evaluate_files(
    paths: Sequence[str | Path],
    workers: int | None = None,
    chosen: dict[str, str] | None = None,
    keep_report: bool = True,
    progress: Callable[[int, int, FileResult], None] | None = None,
    timeout: float | None = None,
) -> BatchResult:
    """Evaluate every file with `workers` processes (default: one per core), each file stopped after
    `timeout` seconds (None: no limit); `progress(done, total, result)` is called in this process as each
    file finishes."""
    names = [str(p) for p in paths]
    workers = max(1, min(workers or os.cpu_count() or 1, len(names) or 1))
    start = time.perf_counter()
    results: list[FileResult | None] = [None] * len(names)
    done = 0

    def finished(i: int, result: FileResult) -> None:
        nonlocal done
        results[i] = result
        done += 1
        if progress:
            progress(done, len(names), result)

    if timeout is not None:
        _warm()
        _one_process_per_file(names, workers, chosen, keep_report, timeout, finished)
    elif workers == 1:
        for i, name in enumerate(names):
            finished(i, evaluate_file(name, chosen, keep_report))
    else:
        _warm()
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
            futures = {pool.submit(evaluate_file, name, chosen, keep_report): i for i, name in enumerate(names)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    result = FileResult(names[i], False, error=f"worker process died: {exc}")
                except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                    result = FileResult(names[i], False, error=f"{type(exc).__name__}: {exc}")
                finished(i, result)
    return BatchResult([r for r in results if r is not None], workers, time.perf_counter() - start)


def _evaluate_into(conn, path: str, chosen: dict[str, str] | None, keep_report: bool) -> None:
    """In a child process: evaluate one file and send its result back."""
    try:
        result = evaluate_file(path, chosen, keep_report)
        try:
            conn.send(result)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(FileResult(path, False, result.seconds, error=f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _one_process_per_file(
    names: list[str],
    workers: int,
    chosen: dict[str, str] | None,
    keep_report: bool,
    timeout: float,
    finished: Callable[[int, FileResult], None],
) -> None:
    """At most `workers` files at a time, each in a process of its own, stopped after `timeout` seconds."""
    ctx = _context()
    todo = list(enumerate(names))
    running: dict[Any, tuple[int, str, Any, float]] = {}  # connection -> (index, path, process, started)
    while todo or running:
        while todo and len(running) < workers:
            i, name = todo.pop(0)
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_evaluate_into, args=(send, name, chosen, keep_report), daemon=True)
            proc.start()
            send.close()
            running[receive] = (i, name, proc, time.perf_counter())
        first_deadline = min(started for _, _, _, started in running.values()) + timeout
        for conn in mpc.wait(list(running), timeout=max(0.0, first_deadline - time.perf_counter())):
            i, name, proc, started = running.pop(conn)
            try:
                result = conn.recv()
            except (EOFError, OSError):
                proc.join()
                result = FileResult(
                    name, False, time.perf_counter() - started, error=f"worker process died (exit {proc.exitcode})"
                )
            conn.close()
            proc.join()
            finished(i, result)
        now = time.perf_counter()
        for conn, (i, name, proc, started) in list(running.items()):
            if now - started >= timeout:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                limit = f"{timeout:g}"
                result = FileResult(
                    name,
                    False,
                    now - started,
                    error=f"timed out after {limit} s",
                    code="timeout",
                    params={"seconds": limit},
                )
                finished(i, result)


class ProgressBar:
    """A one-line progress bar on a terminal (nothing when the stream is not one, unless forced)."""

    def __init__(self, stream: TextIO | None = None, width: int = 30, force: bool = False):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = force or self.stream.isatty()
        self.start = time.perf_counter()
        self.failed = 0

    def __call__(self, done: int, total: int, result: FileResult) -> None:
        self.failed += not result.ok
        if not self.enabled:
            return
        filled = self.width * done // max(total, 1)
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        bar = "#" * filled + "." * (self.width - filled)
        fails = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r[{bar}] {done}/{total} files{fails}, {rate:.1f} files/s")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def as_json(result: FileResult, render: Callable[[ScenarioError], str] | None = None) -> dict[str, Any]:
    """One file's result as plain data (no timings: the output of the same files is always the same)."""
    out: dict[str, Any] = {"file": result.path, "ok": result.ok}
    if result.ok:
        out["report"] = result.report
    else:
        out["issues"] = [
            {"code": i.code, "field": list(i.path), "line": i.line, "params": {k: str(v) for k, v in i.params.items()}}
            for i in result.issues
        ]
        if result.error:
            out["error"] = result.error
        if result.code:
            out["code"] = result.code
        if render and result.issues:
            out["message"] = render(result.scenario_error())
    return out
