"""Benchmark of the step-through (printed, not asserted): time per step at ~50 persons, incremental against
from scratch. Run with `.venv/bin/python -m bench.steps_bench [SCENARIO]`; results also go to
bench/results/steps.json.

Measured per step of the scenario's timeline, each the median of REPEAT passes:
- dred: the incremental session's update (reasoning/incremental.py, delete-and-rederive, the default);
- strata: the same session recomputing every stratum a change reaches;
- scratch: `reasoning.engine.evaluate` on the same facts (a fresh Logic, everything derived again);
- step: a whole step of `explain.steps.step_through` (update, proofs of what fired or was withdrawn, wording,
  near misses by the simple group check), and the same with the why-not search of reasoning/whynot.py.
Python's cyclic garbage collector runs as usual; a last pass repeats dred with it paused, to show its share.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

from kb.interpretations import resolve
from kb.scenario_io import load_scenario
from reasoning.engine import evaluate
from reasoning.facts import scenario_facts
from reasoning.incremental import IncrementalEvaluator
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "kb" / "scenarios" / "d16-city-large.yaml"
REPEAT = 3


def _pass(rb, steps, strategy: str) -> tuple[float, list[float]]:
    t = time.perf_counter()
    session = IncrementalEvaluator(rb, steps[0], strategy=strategy)
    setup = time.perf_counter() - t
    times = []
    for facts in steps[1:]:
        session.set_facts(facts)
        times.append(session.last.seconds)
    return setup, times


def _scratch(rb, steps) -> list[float]:
    times = []
    for facts in steps[1:]:
        t = time.perf_counter()
        evaluate(rb, facts)
        times.append(time.perf_counter() - t)
    return times


def _whole(scenario, almost: str, clock=time.perf_counter) -> list[float]:
    """Seconds per step of one step-through (wall time, or `clock`)."""
    return [s["timing"]["step_ms"] / 1000 for s in _steps(scenario, almost, clock)]


def _steps(scenario, almost: str, clock=time.perf_counter) -> list[dict]:
    from explain.steps import step_through

    return step_through(scenario, almost=almost, timing=True, clock=clock)["steps"]


def _median_runs(fn) -> list[float]:
    runs = []
    for _ in range(REPEAT):
        gc.collect()  # start each pass without the garbage of the one before
        runs.append(fn())
    return [statistics.median(col) for col in zip(*runs, strict=True)]


def _stats(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {
        "median_ms": round(statistics.median(ms), 1),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "over_100ms": sum(1 for t in ms if t > 100),
    }


def main(path: Path = DEFAULT) -> dict:
    from explain.steps import timeline

    rb = load_rulebook()
    scenario = load_scenario(path)
    readings = resolve(scenario.scenario.interpretations)
    events = timeline(scenario)
    steps = [
        scenario_facts(scenario.model_copy(update={"events": events[:k]}), readings) for k in range(len(events) + 1)
    ]
    kinds = [e.type for e in events]
    print(
        f"{scenario.scenario.id}: {len(scenario.persons)} persons, {len(scenario.units)} units, {len(events)} events "
        f"({kinds.count('finding')} findings, {kinds.count('case')} cases, {kinds.count('accountability')} records), "
        f"{sum(len(v) for v in steps[-1].values())} facts at the end; {len(rb.rules)} rules in {len(rb.strata)} strata"
    )
    _pass(rb, steps, "dred")  # warm-up: imports, caches
    setups = []

    def dred():
        setup, times = _pass(rb, steps, "dred")
        setups.append(setup)
        return times

    results = {
        "dred": _median_runs(dred),
        "strata": _median_runs(lambda: _pass(rb, steps, "strata")[1]),
        "scratch": _median_runs(lambda: _scratch(rb, steps)),
        "step_simple": _median_runs(lambda: _whole(scenario, "simple")),
        "step_whynot": _whole(scenario, "auto"),
    }
    gc.disable()
    try:
        results["dred_gc_paused"] = _median_runs(lambda: _pass(rb, steps, "dred")[1])
    finally:
        gc.enable()

    print(
        f"session set-up (compile the rules, load and evaluate the empty timeline): {statistics.median(setups) * 1000:.1f} ms"
    )
    header = f"{'step':>4} {'event':8} {'type':14} {'dred':>8} {'strata':>8} {'scratch':>8} {'step':>8} {'+whynot':>8}"
    print(header)
    for i, e in enumerate(events):
        print(
            f"{i + 1:>4} {e.id:8} {e.type:14} "
            + " ".join(
                f"{results[k][i] * 1000:8.1f}" for k in ("dred", "strata", "scratch", "step_simple", "step_whynot")
            )
        )
    summary = {k: _stats(v) for k, v in results.items()}
    by_kind = {
        kind: {k: _stats([results[k][i] for i, e in enumerate(events) if e.type == kind]) for k in ("dred", "scratch")}
        for kind in sorted(set(kinds))
    }
    print("\nper step (ms)        median    p90    max   mean  >100ms")
    labels = {
        "dred": "incremental (dred)",
        "dred_gc_paused": "  same, GC paused",
        "strata": "incremental (strata)",
        "scratch": "from scratch",
        "step_simple": "whole step (simple)",
        "step_whynot": "whole step (why-not)",
    }
    for k, label in labels.items():
        s = summary[k]
        print(
            f"{label:20} {s['median_ms']:7.1f} {s['p90_ms']:6.1f} {s['max_ms']:6.1f} {s['mean_ms']:6.1f} {s['over_100ms']:6d}"
        )
    for kind, rows in by_kind.items():
        print(
            f"  {kind:14} dred median {rows['dred']['median_ms']} ms, scratch median {rows['scratch']['median_ms']} ms"
        )
    out = {
        "scenario": scenario.scenario.id,
        "persons": len(scenario.persons),
        "events": len(events),
        "repeat": REPEAT,
        "setup_ms": round(statistics.median(setups) * 1000, 1),
        "summary": summary,
        "by_kind": by_kind,
        "steps": [
            {"step": i + 1, "event": e.id, "type": e.type, **{k: round(v[i] * 1000, 1) for k, v in results.items()}}
            for i, e in enumerate(events)
        ],
    }
    target = ROOT / "bench" / "results" / "steps.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
