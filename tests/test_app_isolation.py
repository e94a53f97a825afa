"""Sessions of the app are isolated: several AppTest sessions at once, each with its own scenario and
readings, each sees exactly its own findings (as the engine gives them alone) and no other session's parties."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from apptestlib import a_switch_that_changes
from streamlit.testing.v1 import AppTest

from bench.app_bench import share_one_runtime
from explain.report import build_report
from kb.scenario_io import load_scenario
from reasoning.queries import run

ROOT = Path(__file__).parent.parent
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "kb" / "scenarios"
ATTEMPTS = 12  # retries of a step that hits AppTest's own process-wide bookkeeping (see _step)

_NAME, _NOW, _OTHER = a_switch_that_changes(SAMPLES / "d16-8-chain-three-levels.yaml")
# (sample, readings switched in the session)
SESSIONS = [
    ("d16-8-chain-three-levels.yaml", {}),
    ("d16-8-chain-three-levels.yaml", {_NAME: _OTHER}),
    ("a2-chain.yaml", {}),
    ("d16-5-team-failure.yaml", {}),
    ("a1-articles-5-to-8.yaml", {}),
]


def _expected(sample: str, readings: dict[str, str]) -> tuple[set[str], set[str]]:
    """The finding labels' parties of a scenario evaluated alone, and every name the scenario has."""
    scenario = load_scenario(SAMPLES / sample)
    report = build_report(run(scenario, readings))
    names = {u.name or u.id for u in scenario.units} | {p.name or p.id for p in scenario.persons}
    return {f"{f['party_name']}|{f['clause']}|{f['event']}" for f in report["findings"]}, names


def _step(action) -> None:
    """One interaction. AppTest keeps some of its own bookkeeping (a widget's format_func) process-wide, and under
    threads it may be missing for a moment ("$$ID-…" KeyError): that is the harness, not the app, so try again."""
    for attempt in range(ATTEMPTS):
        try:
            action()
            return
        except KeyError as err:
            if not str(err).strip("'\"").startswith("$$ID-") or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))  # let the other sessions' runs finish registering their widgets


def _session(sample: str, readings: dict[str, str], out: dict, index: int) -> None:
    try:
        at = AppTest.from_file(APP, default_timeout=180)
        _step(at.run)
        _step(lambda: at.selectbox(key="sample_pick").set_value(sample).run())
        for name, reading in readings.items():
            _step(lambda name=name, reading=reading: at.selectbox(key=f"interp_{name}").set_value(reading).run())
        _step(at.run)  # and once more, as a user returning to the page
        if at.exception:
            raise AssertionError(at.exception)
        out[index] = [e.label for e in at.expander if " — " in e.label]
    except BaseException as exc:  # reported by the test thread
        out[index] = exc


def run_sessions() -> dict[int, object]:
    """Every session of SESSIONS at once, each on its own thread: the labels of its findings, or its error."""
    share_one_runtime()
    out: dict[int, object] = {}
    threads = [threading.Thread(target=_session, args=(s, r, out, i)) for i, (s, r) in enumerate(SESSIONS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=900)
    return {i: (v if isinstance(v, list) else f"{type(v).__name__}: {v}") for i, v in out.items()}


@pytest.mark.slow
def test_simultaneous_sessions_each_see_only_their_own_scenario_and_readings():
    # in a fresh interpreter: AppTest keeps some bookkeeping process-wide, and the app tests run before this one
    # in the same process left it in a state where threads miss their widgets' entries ("$$ID-…" KeyError)
    code = "import json, test_app_isolation as t; print(json.dumps(t.run_sessions(), ensure_ascii=False))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(Path(__file__).parent)])},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = {int(k): v for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}
    for i, (sample, readings) in enumerate(SESSIONS):
        labels = out[i]
        assert isinstance(labels, list), labels
        expected, own_names = _expected(sample, readings)
        assert len(labels) == len(expected), (sample, readings)
        for key in expected:
            party, _clause, event = key.split("|")
            assert any(party in x and event in x for x in labels), (sample, key)
        others = set().union(*(_expected(s, {})[1] for s, _ in SESSIONS if s != sample)) - own_names
        for label in labels:
            party = label.split(" — ")[0].replace("\\", "")
            assert party in own_names and party not in others, (sample, label)
    # the same scenario under two readings gave two different answers in two sessions at once
    assert sorted(out[0]) != sorted(out[1])
