"""Helpers for the app's tests: what the engine says on its own, to compare the app's pages with."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kb.interpretations import load_interpretations
from kb.scenario_io import load_scenario
from reasoning.queries import run


def rows(path: Path, readings: dict[str, str] | None = None) -> frozenset[tuple[str, ...]]:
    """The liabilities of a scenario under some readings, as the engine gives them alone."""
    return frozenset(run(load_scenario(path), readings or {}).liabilities())


@cache
def a_switch_that_changes(path: Path) -> tuple[str, str, str]:
    """(interpretation, reading in force, another reading) whose switch changes the scenario's liabilities."""
    scenario = load_scenario(path)
    ev = run(scenario, {})
    before = frozenset(ev.liabilities())
    for name, interp in load_interpretations().items():
        for reading in interp.readings:
            if reading != ev.readings[name] and rows(path, {name: reading}) != before:
                return name, ev.readings[name], reading
    raise AssertionError(f"no interpretation changes {path.name}")
