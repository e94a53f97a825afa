"""Explanation benchmarks (printed, not asserted): the proof graph of one party and a why-not for one party and
clause, in the 52-person sample scenario (kb/scenarios/d16-city-large.yaml), warm (the scenario evaluated once,
caches loaded). The issue's figures: graph ≤ 50 ms, why-not ≤ 200 ms. Run: `.venv/bin/python -m bench.explain_bench`."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from explain.graph import build_graph, to_dot
from kb.scenario_io import load_scenario
from reasoning.queries import run
from reasoning.whynot import almost, why_not

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "kb" / "scenarios" / "d16-city-large.yaml"
REPEAT = 7
GRAPH_BUDGET_MS = 50
WHYNOT_BUDGET_MS = 200


def _median_ms(fn) -> tuple[float, float]:
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    scenario = load_scenario(SCENARIO)
    ev = run(scenario)
    print(
        f"{SCENARIO.name}: {len(scenario.persons)} persons, {len(scenario.units)} units, {len(scenario.events)} events"
    )
    build_graph(ev, "市委")  # warm the registry, vocabulary and catalogue caches
    why_not(ev, "市委", "D16-5.9")

    liable = sorted({r[0] for r in ev.liabilities()})
    print(f"\nproof graph of one party (build + DOT), budget {GRAPH_BUDGET_MS} ms")
    print(f"{'party':24} {'nodes':>6} {'median':>9} {'max':>9}")
    worst = 0.0
    for party in liable:
        g = build_graph(ev, party)
        med, mx = _median_ms(lambda p=party: to_dot(build_graph(ev, p)))
        worst = max(worst, med)
        print(f"{party:24} {g.number_of_nodes():>6} {med:>7.1f}ms {mx:>7.1f}ms")
    print(
        f"worst median {worst:.1f} ms ({'within' if worst <= GRAPH_BUDGET_MS else 'OVER'} the {GRAPH_BUDGET_MS} ms budget)"
    )
    med, _ = _median_ms(lambda: to_dot(build_graph(ev)))
    print(f"whole scenario: {build_graph(ev).number_of_nodes()} nodes, {med:.1f} ms")

    cases = [
        ("市委", "D16-5.9"),
        ("东海县委", "D16-5.1"),
        ("宋佳", "D16-5.8"),
        ("海州区委", "D16-8.3"),
        ("陈志远", "D16-6.1"),
        ("市纪委", "D16-7.7"),
        ("赣榆区委", "D16-5"),
    ]
    print(f"\nwhy-not for one party and clause (all events, at most 3 facts), budget {WHYNOT_BUDGET_MS} ms")
    print(f"{'party':12} {'clause':9} {'ways':>4} {'median':>9} {'max':>9}")
    worst = 0.0
    for party, clause in cases:
        r = why_not(ev, party, clause)
        med, mx = _median_ms(lambda p=party, c=clause: why_not(ev, p, c))
        worst = max(worst, med)
        print(f"{party:12} {clause:9} {len(r['ways']):>4} {med:>7.1f}ms {mx:>7.1f}ms")
    print(
        f"worst median {worst:.1f} ms ({'within' if worst <= WHYNOT_BUDGET_MS else 'OVER'} the {WHYNOT_BUDGET_MS} ms budget)"
    )

    print("\nalmost fired (no stated budget)")
    for party in ("市委", "宋佳", None):
        med, _ = _median_ms(lambda p=party: almost(ev, p))
        print(f"{party or 'whole scenario':14} {len(almost(ev, party)['entries']):>3} entries {med:>8.1f} ms")


if __name__ == "__main__":
    main()
