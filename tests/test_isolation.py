"""One user's scenario never leaks into another's: threads evaluating different scenarios at once get
exactly what each gets alone (a fresh pyDatalog Logic() per evaluation)."""

from __future__ import annotations

import threading
from pathlib import Path

from kb.scenario_io import load_scenario
from reasoning.queries import run

SAMPLES = sorted((Path(__file__).parent.parent / "kb" / "scenarios").glob("*.yaml"))


def test_threads_do_not_leak_facts_or_conclusions():
    scenarios = [load_scenario(p) for p in SAMPLES]
    alone = [dict(run(s).model) for s in scenarios]
    results: dict[tuple[int, int], dict] = {}
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            for rep in range(3):
                i = (t + rep) % len(scenarios)
                results[(t, rep)] = (i, dict(run(scenarios[i]).model))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert len(results) == 24
    for i, model in results.values():
        assert model == alone[i]
