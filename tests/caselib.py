"""Build and check the per-clause test cases of tests/cases/*.yaml (OpenFisca-style data tests)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from kb.scenario_io import load_scenario_text
from kb.schema import Scenario

CASES = Path(__file__).parent / "cases"


@cache
def _world() -> dict:
    return YAML(typ="safe").load((CASES / "world.yaml").read_text(encoding="utf-8"))


def load_cases() -> list[tuple[str, dict]]:
    """(file name, case) for every case, in file order."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        if path.name == "world.yaml":
            continue
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        out += [(path.name, case) for case in data.get("cases", [])]
    return out


def scenario_of(case: dict) -> Scenario:
    """The world plus the case's own units, persons, events and interpretations, validated like user input."""
    import copy
    import io

    data = copy.deepcopy(_world())
    data["scenario"]["id"] = "case"
    data["scenario"]["title"] = case["name"]
    if case.get("interpretations"):
        data["scenario"]["interpretations"] = case["interpretations"]
    data["units"] += case.get("units", [])
    data["persons"] += case.get("persons", [])
    data["groups"] = data.get("groups", []) + case.get("groups", [])
    data["events"] = case.get("events", [])
    buf = io.StringIO()
    YAML().dump(data, buf)
    return load_scenario_text(buf.getvalue(), f"case {case['name']}")[0]


def cli_json_across_hash_seeds(path: Path, seeds: tuple[str, ...] = ("0", "1", "12345")) -> set[bytes]:
    """The bytes `akb evaluate PATH --json` prints in fresh processes under different hash seeds."""
    import os
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    outputs = set()
    for seed in seeds:
        env = dict(os.environ, PYTHONHASHSEED=seed)
        command = [sys.executable, "-m", "akb.cli", "evaluate", str(path), "--json"]
        outputs.add(subprocess.run(command, capture_output=True, env=env, cwd=root, check=True).stdout)
    return outputs
