"""Evaluate a scenario and ask the questions users ask of it: who is liable, under which clause, decided by
whom, with which team sanctions, channels and procedural duties."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kb.interpretations import resolve
from kb.schema import Scenario
from reasoning.engine import Model, evaluate
from reasoning.facts import scenario_facts
from reasoning.rulebook import Rulebook, load_rulebook

# The procedural duties derived for a scenario (what the report lists after the findings), in display order.
DUTY_PREDICATES = (
    "must_correct",
    "file_record",
    "report_due",
    "report_up",
    "quarterly_report",
    "decision_contents",
    "apology_contents",
    "serve_decision",
    "file_personnel",
    "file_upper",
    "publicize",
    "appeal_window",
    "needs_consent",
    "followup",
    "on_record",
    "executed_by",
)


@dataclass(frozen=True)
class Evaluation:
    """A scenario, the interpretation readings in force, and everything derived from it."""

    scenario: Scenario
    readings: dict[str, str]
    rulebook: Rulebook
    model: Model

    @cached_property
    def _sorted(self) -> dict[str, list[tuple[str, ...]]]:
        return {}

    def rows(self, pred: str) -> list[tuple[str, ...]]:
        """The rows of a predicate, sorted (computed once per predicate)."""
        if pred not in self._sorted:
            self._sorted[pred] = sorted(self.model.get(pred, ()))
        return self._sorted[pred]

    def liabilities(self) -> list[tuple[str, str, str, str]]:
        """(party, responsibility, clause, event) for every liability, sorted."""
        return self.rows("liable")  # type: ignore[return-value]

    @cached_property
    def _indexes(self) -> dict[tuple[str, tuple[int, ...]], dict[tuple[str, ...], list[tuple[str, ...]]]]:
        return {}

    def where(self, pred: str, columns: tuple[int, ...], values: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Rows of `pred` (sorted) whose arguments at `columns` equal `values`, from an index built once per
        predicate and columns: asking this for every finding stays linear in the findings."""
        key = (pred, columns)
        if key not in self._indexes:
            index: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
            for row in self.rows(pred):
                index.setdefault(tuple(row[c] for c in columns), []).append(row)
            self._indexes[key] = index
        return self._indexes[key].get(values, [])

    def about(self, pred: str, *prefix: str) -> list[tuple[str, ...]]:
        """Rows of `pred` whose first arguments equal `prefix`."""
        return self.where(pred, tuple(range(len(prefix))), prefix)

    def decided_by(self, party: str, clause: str, event: str) -> list[str]:
        """The organs that decide on a liability. Under A2-9 the principal of a deciding organ that failed to act
        is held accountable by the upper discipline organ (or organisation/personnel department), not by the
        committee that manages the organ: "由上级纪检监察机关或组织人事部门对其主要负责人实施问责"."""
        if clause == "A2-9":
            return sorted({r[0] for r in self.where("a2_upper_organ", (1, 2), (party, event))})
        return sorted({r[0] for p in ("decides", "a2_decides") for r in self.where(p, (1, 2), (party, event))})


def run(
    scenario: Scenario,
    chosen: dict[str, str] | None = None,
    rulebook: Rulebook | None = None,
    base: tuple[dict[str, str], Model] | None = None,
) -> Evaluation:
    """Evaluate a scenario: the scenario's own readings, overridden by `chosen`, over the defaults. `base` is
    the model of the same scenario under other readings (those readings in force, and the model as pure data):
    only what the change of readings can reach is evaluated again (reasoning/engine.py), with the same result."""
    rb = rulebook or load_rulebook()
    readings = resolve({**scenario.scenario.interpretations, **(chosen or {})})
    facts = scenario_facts(scenario, readings)
    earlier = (scenario_facts(scenario, base[0]), base[1]) if base is not None else None
    model = evaluate(rb, facts, earlier)
    return Evaluation(scenario, readings, rb, model)
