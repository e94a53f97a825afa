"""Coverage of the registry: for each unit, whether it is encoded (which rules), non-operative (why), or
missing, and which tests exercise it (tests/cases/*.yaml and the sample scenarios' expected findings)."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from kb.registry import load_registry
from reasoning.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
NON_OPERATIVE = ROOT / "kb" / "non_operative.yaml"
CASES_DIR = ROOT / "tests" / "cases"
SCENARIOS_DIR = ROOT / "kb" / "scenarios"


def tests_by_clause() -> dict[str, set[str]]:
    """Clause id → names of the test cases and sample scenarios that exercise it."""
    yaml = YAML(typ="safe")
    out: dict[str, set[str]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8")) or {}
        for case in data.get("cases", []):
            for clause in case.get("clauses", []):
                out.setdefault(clause, set()).add(f"tests/cases/{path.name}::{case['name']}")
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8")) or {}
        for exp in data.get("expected") or []:
            out.setdefault(exp["clause"], set()).add(f"kb/scenarios/{path.name}")
    return out


def coverage() -> list[dict]:
    """One row per registry unit, in source order."""
    reg = load_registry()
    rb = load_rulebook()
    reasons = YAML(typ="safe").load(NON_OPERATIVE.read_text(encoding="utf-8")) or {}
    tests = tests_by_clause()
    rules: dict[str, list[str]] = {}
    for r in rb.rules:
        for c in r.clauses:
            rules.setdefault(c, []).append(r.id)
    for pred, clauses in rb.static_clauses.items():
        for c in clauses:
            rules.setdefault(c, []).append(f"facts:{pred}")
    for pred, column in rb.static_row_clause.items():
        for row in rb.static_facts[pred]:
            rules.setdefault(row[column], []).append(f"facts:{pred}")

    status: dict[str, str] = {}

    def unit_status(uid: str) -> str:
        if uid in status:
            return status[uid]
        unit = reg.get(uid)
        if uid in reasons:
            result = "non-operative"
        elif rules.get(uid):
            result = "encoded"
        elif unit.children and all(unit_status(c) != "missing" for c in unit.children):
            result = "encoded" if any(unit_status(c) == "encoded" for c in unit.children) else "non-operative"
        else:
            result = "missing"
        status[uid] = result
        return result

    rows = []
    for unit in reg.units:
        st = unit_status(unit.id)
        row = {
            "id": unit.id,
            "doc": unit.doc,
            "kind": unit.kind,
            "status": st,
            "rules": sorted(rules.get(unit.id, [])),
            "tests": sorted(tests.get(unit.id, set()) | _child_tests(unit.id, reg, tests)),
        }
        if st == "non-operative":
            row["reason"] = reasons.get(unit.id) or {
                "zh": "各项均为非适用性条款",
                "en": "all of its parts are non-operative",
            }
        if st == "encoded" and not row["rules"]:
            row["encoded_by"] = "children"
        rows.append(row)
    return rows


def _child_tests(uid: str, reg, tests: dict[str, set[str]]) -> set[str]:
    """Tests of an article's or paragraph's parts also exercise the whole."""
    out: set[str] = set()
    for child in reg.get(uid).children:
        out |= tests.get(child, set()) | _child_tests(child, reg, tests)
    return out
