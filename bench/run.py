"""Benchmarks (printed, not asserted): time to load, evaluate and explain each sample scenario with the
project's pyDatalog engine, and the same evaluation by clingo on the same rule data, for comparison.
Run with `make bench`; results are also written to bench/results/samples.json."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from explain.report import build_report
from kb.scenario_io import load_scenario
from reasoning.clingo_eval import evaluate_clingo
from reasoning.facts import scenario_facts
from reasoning.queries import run
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "kb" / "scenarios").glob("*.yaml"))
REPEAT = 5


def _median(fn) -> float:
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    t = time.perf_counter()
    rb = load_rulebook()
    print(f"rule book: {len(rb.rules)} rules, {len(rb.strata)} strata, loaded in {time.perf_counter() - t:.3f} s")
    rows = []
    header = f"{'scenario':34} {'persons':>7} {'events':>6} {'facts':>6} {'load':>8} {'eval':>8} {'explain':>8} {'clingo':>8} {'ratio':>6}"
    print(header)
    for path in SAMPLES:
        scenario = load_scenario(path)
        ev = run(scenario)
        facts = scenario_facts(scenario, ev.readings)
        n_facts = sum(len(v) for v in facts.values())
        load = _median(lambda p=path: load_scenario(p))
        evaluate = _median(lambda s=scenario: run(s))
        explain = _median(lambda e=ev: build_report(e))
        clingo = _median(lambda f=facts: evaluate_clingo(rb, f))
        row = {
            "scenario": path.name,
            "persons": len(scenario.persons),
            "events": len(scenario.events),
            "facts": n_facts,
            "load_s": round(load, 4),
            "evaluate_s": round(evaluate, 4),
            "explain_s": round(explain, 4),
            "clingo_s": round(clingo, 4),
            "ratio_to_clingo": round(evaluate / clingo, 1),
        }
        rows.append(row)
        print(
            f"{path.name:34} {row['persons']:>7} {row['events']:>6} {n_facts:>6} {load * 1000:>6.1f}ms"
            f" {evaluate * 1000:>6.1f}ms {explain * 1000:>6.1f}ms {clingo * 1000:>6.1f}ms {row['ratio_to_clingo']:>5}x"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "samples.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out / 'samples.json'}")


if __name__ == "__main__":
    main()
