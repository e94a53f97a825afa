"""Time the reviewer on every sample decision (kb/decisions/): wall and CPU seconds per decision, from a cold
evaluation cache, with the re-checks under every other reading. `python -m bench.review_bench`."""

from __future__ import annotations

import time
from pathlib import Path

from kb.decision_schema import load_decision
from reasoning.review import review
from reasoning.review import run as review_run

DECISIONS = Path(__file__).resolve().parent.parent / "kb" / "decisions"


def main() -> None:
    """Print one line per decision: persons and events of its scenario, verdicts, seconds."""
    for path in sorted(p for p in DECISIONS.iterdir() if p.suffix in (".yaml", ".json")):
        review_run._EVALUATIONS.clear()
        loaded = load_decision(path)
        wall, cpu = time.perf_counter(), time.process_time()
        result = review(loaded)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        s = loaded.scenario
        print(
            f"{path.name:48} persons={len(s.persons):3} events={len(s.events):3} "
            f"verdicts={len(result['verdicts']):3} wall={wall:6.2f}s cpu={cpu:6.2f}s"
        )


if __name__ == "__main__":
    main()
