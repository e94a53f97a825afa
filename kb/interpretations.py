"""Named, switchable interpretations of the open points (kb/interpretations.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

PATH = Path(__file__).parent / "interpretations.yaml"


@dataclass(frozen=True)
class Interpretation:
    """A named open point with its readings and default."""

    name: str
    open_point: int
    clauses: tuple[str, ...]
    zh: str
    en: str
    default: str
    readings: dict[str, dict[str, str]]


@cache
def load_interpretations() -> dict[str, Interpretation]:
    """The named interpretations, in file order."""
    data = YAML(typ="safe").load(PATH.read_text(encoding="utf-8"))
    return {
        name: Interpretation(
            name,
            raw["open_point"],
            tuple(raw["clauses"]),
            raw["zh"],
            raw["en"],
            raw["default"],
            raw["readings"],
        )
        for name, raw in data["interpretations"].items()
    }


def resolve(chosen: dict[str, str]) -> dict[str, str]:
    """Every interpretation's reading in force: the chosen ones over the defaults (unknown names raise KeyError)."""
    interps = load_interpretations()
    for name, reading in chosen.items():
        if name not in interps or reading not in interps[name].readings:
            raise KeyError(f"{name}={reading}")
    return {name: chosen.get(name, i.default) for name, i in interps.items()}
