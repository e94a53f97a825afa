"""Benchmark of the app (printed, not asserted): Streamlit AppTest sessions in one process, sharing its caches
as the sessions of one `streamlit run` server do. Run with `.venv/bin/python -m bench.app_bench [--app FILE]`;
results also go to bench/results/app.json.

Measured:
- reading: on the example and on the city sample, the time from a changed interpretation reading to the
  refreshed page — the first time a reading is seen (it is evaluated, compared and drawn), returning to a
  reading seen before, and changing the view (findings → explanation → findings) after the first evaluation;
- sessions: N sessions (threads) open the app, then all pick the city sample at the same moment, with empty
  caches: each timed from its pick to its page with findings (the figure of issue 12: 10 sessions, each ≤ 5 s);
  then the same again with warm caches.

`--app` points at another entry script (e.g. an earlier app.py) to compare under the same load; the scenario is
picked through the `sample_pick` selectbox, or the first selectbox of an app that has none.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import threading
import time
import traceback
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
EXAMPLE = "d16-8-chain-three-levels.yaml"
CITY = "d16-city-large.yaml"
SWITCH = ("pursuit_record", "explicit_only", "closed_world")


def _serialise_compile() -> None:
    """CPython 3.11's compiler is not safe to run on several threads at once ("AST constructor recursion depth
    mismatch"); AppTest compiles each page on every session's thread, so the harness takes turns compiling (a
    server compiles each page once into its script cache). Only compiling is serialised, never the sessions."""
    import builtins

    lock, original = threading.Lock(), builtins.compile

    def compile_in_turn(*args, **kwargs):
        with lock:
            return original(*args, **kwargs)

    builtins.compile = compile_in_turn


def share_one_runtime() -> None:
    """Let AppTest sessions run at once in threads, as the sessions of one server do.

    Each AppTest run installs a mock Runtime as the process-wide `Runtime._instance` and sets it back to None when
    it finishes, so a session still running in another thread then fails ("Runtime hasn't been created!") and
    waits forever. A server has one Runtime for all its sessions: once one is installed, keep answering with it.
    The sessions' threads also take turns compiling their pages (_serialise_compile); the tests use the same."""
    from streamlit.runtime.runtime import Runtime

    if getattr(Runtime, "_akb_shared", False):
        return
    _serialise_compile()
    original = Runtime.instance.__func__  # type: ignore[attr-defined]
    last: list = []

    def instance(cls):
        if cls._instance is not None:
            last[:] = [cls._instance]
            return cls._instance
        return last[0] if last else original(cls)

    Runtime.instance = classmethod(instance)  # type: ignore[method-assign]
    Runtime._akb_shared = True  # type: ignore[attr-defined]
    # Each AppTest run also sets the process-wide option global.appTest for its run and puts the old value back
    # when it ends: a session finishing turned it off under another still running, whose widgets then were not
    # recorded for the test (KeyError on set_value). On for the whole benchmark, the old value put back is "on".
    from streamlit import config

    config.set_option("global.appTest", True)


def _open(app: str, sample: str) -> AppTest:
    at = AppTest.from_file(app, default_timeout=600).run()
    boxes = [b for b in at.selectbox if b.key == "sample_pick"] or list(at.selectbox)
    boxes[0].set_value(sample).run()
    if at.exception:
        raise RuntimeError(at.exception)
    return at


def _timed(at: AppTest, action) -> float:
    t = time.perf_counter()
    action(at).run()
    if at.exception:
        raise RuntimeError(at.exception)
    return time.perf_counter() - t


def reading(app: str, sample: str) -> dict:
    """Seconds from a changed reading to the refreshed page: first time, returning, and changing the view."""
    st.cache_data.clear()
    at = _open(app, sample)
    name = SWITCH[0]
    box = f"interp_{name}"
    default = at.selectbox(key=box).value  # the scenario's own reading, or the measures' default
    other = next(r for r in SWITCH[1:] if r != default)
    first = _timed(at, lambda a: a.selectbox(key=box).set_value(other))
    back = _timed(at, lambda a: a.selectbox(key=box).set_value(default))
    again = _timed(at, lambda a: a.selectbox(key=box).set_value(other))
    back_again = _timed(at, lambda a: a.selectbox(key=box).set_value(default))
    view = [
        _timed(at, lambda a: a.radio(key="view").set_value("explain")),
        _timed(at, lambda a: a.radio(key="view").set_value("findings")),
        _timed(at, lambda a: a.radio(key="view").set_value("scenario")),
        _timed(at, lambda a: a.radio(key="view").set_value("findings")),
    ]
    return {
        "sample": sample,
        "switch": f"{name}: {default} → {other}",
        "first_new_reading_s": round(first, 3),
        "first_back_to_default_s": round(back, 3),
        "returning_to_a_reading_s": round(max(again, back_again), 3),
        "change_view_s_max": round(max(view), 3),
        "change_view_s": [round(v, 3) for v in view],
    }


def sessions(app: str, n: int, sample: str, warm: bool) -> dict:
    """n sessions open the app, then all pick a sample at the same moment; each one's seconds from its pick to
    its page with findings (and, apart, from its start to its first page)."""
    if not warm:
        st.cache_data.clear()
    opened: dict[int, float] = {}
    picked: dict[int, float] = {}
    errors: list[str] = []
    ready, go = threading.Barrier(n), threading.Barrier(n)

    def one(i: int) -> None:
        at = None
        try:
            ready.wait()
            t = time.perf_counter()
            at = AppTest.from_file(app, default_timeout=600).run()
            opened[i] = time.perf_counter() - t
            go.wait()
            t = time.perf_counter()
            boxes = [b for b in at.selectbox if b.key == "sample_pick"] or list(at.selectbox)
            boxes[0].set_value(sample).run()
            if at.exception:
                raise RuntimeError(at.exception)
            labels = [e.label for e in at.expander if "—" in e.label]
            if not labels:
                raise RuntimeError(f"no findings shown: {[m.value[:80] for m in at.markdown][:5]}")
            picked[i] = time.perf_counter() - t
        except Exception as exc:  # noqa: BLE001 - reported in the results
            errors.append(f"{exc!r} at {traceback.format_exc().strip().splitlines()[-3:]}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0

    def stats(d: dict[int, float]) -> dict:
        v = sorted(d.values())
        if not v:
            return {}
        return {"max": round(v[-1], 2), "median": round(statistics.median(v), 2), "min": round(v[0], 2)}

    return {
        "sessions": n,
        "sample": sample,
        "caches": "warm" if warm else "empty",
        "pick_to_findings_s": stats(picked),
        "open_app_s": stats(opened),
        "wall_s": round(wall, 2),
        "errors": errors,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", default=str(APP), help="entry script (default: this checkout's app.py)")
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--skip-reading", action="store_true", help="only the simultaneous sessions")
    p.add_argument("--output", default=str(ROOT / "bench" / "results" / "app.json"))
    args = p.parse_args()
    args.app = str(Path(args.app).resolve())
    share_one_runtime()
    out: dict = {
        "app": os.path.relpath(args.app, ROOT),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_1min": os.getloadavg()[0]},
        "note": "AppTest sessions in one process (threads), sharing st.cache_data like one streamlit server",
    }
    if not args.skip_reading:
        out["reading"] = [reading(args.app, EXAMPLE), reading(args.app, CITY)]
        for r in out["reading"]:
            print(json.dumps(r, ensure_ascii=False))
    out["sessions"] = [
        sessions(args.app, args.sessions, CITY, warm=False),
        sessions(args.app, args.sessions, CITY, warm=True),
    ]
    for r in out["sessions"]:
        print(json.dumps(r, ensure_ascii=False))
    out["machine"]["load_1min_after"] = os.getloadavg()[0]
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
