"""What every check reads: the decision, its scenario evaluated under the readings in force, and lookups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kb.decision_schema import Decision, PartyDecision
from kb.registry import covers
from kb.schema import Case, Finding, Person, Unit
from reasoning.queries import Evaluation


@dataclass
class Context:
    """A decision with the evaluation of its scenario."""

    decision: Decision
    ev: Evaluation

    @property
    def readings(self) -> dict[str, str]:
        """The interpretation readings in force."""
        return self.ev.readings

    @cached_property
    def units(self) -> dict[str, Unit]:
        """Units by id."""
        return {u.id: u for u in self.ev.scenario.units}

    @cached_property
    def persons(self) -> dict[str, Person]:
        """Persons by id."""
        return {p.id: p for p in self.ev.scenario.persons}

    @cached_property
    def _matters(self) -> dict[str, Finding | Case]:
        return {e.id: e for e in self.ev.scenario.events if not hasattr(e, "outcome")}  # type: ignore[misc]

    def event(self, event_id: str) -> Finding | Case | None:
        """A finding or case of the scenario."""
        return self._matters.get(event_id)

    def liable(self, party: str, event: str) -> list[tuple[str, str, str, str]]:
        """The engine's liabilities of a party for an event (sorted; from the evaluation's index)."""
        return self.ev.where("liable", (0, 3), (party, event))  # type: ignore[return-value]

    def relied(self, p: PartyDecision) -> list[tuple[str, str, str, str]]:
        """The engine's liabilities of a party for its event under the clauses the decision relies on."""
        return [r for r in self.liable(p.party, p.event) if any(covers(c, r[2]) for c in p.clauses)]

    def basis(self, p: PartyDecision) -> str:
        """The clause the party is liable under (the first relied on that fires), else the first relied on."""
        rows = self.relied(p)
        return rows[0][2] if rows else p.clauses[0]

    def is_person(self, party: str) -> bool:
        """Whether the party is a person (else a unit: a team or a body)."""
        return party in self.persons

    def parties(self) -> list[PartyDecision]:
        """The decision's parties, in file order."""
        return list(self.decision.parties)

    def rank(self, person: str, event: str) -> str | None:
        """The person's rank at the time of the event (highest position held then)."""
        e = self.event(event)
        p = self.persons.get(person)
        if p is None or e is None:
            return None
        ranks = [pos.rank for pos in p.positions if pos.from_ <= e.date and (pos.to is None or e.date <= pos.to)]
        return next((r for r in ranks if r), None)


def doc_of(clause: str) -> str:
    """The measure of a clause id: D16, A1 or A2."""
    return clause.split("-", 1)[0]
