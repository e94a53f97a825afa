"""The one table of unit kinds and roles (kb/unit_kinds.yaml): each kind's place under D16-14, A1-2 and A2-2.

The scenario schema takes its kinds and roles from here, the rule book its scope facts, and `akb schema` and the
README its table, so the three can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

PATH = Path(__file__).parent / "unit_kinds.yaml"
SCOPE_CLAUSES = ("D16-14", "A1-2", "A2-2")
STATUSES = (
    "直接适用",
    "参照执行",
    "驻连部省属或垂直管理",
    "须党的关系属地方管理",
    "随上级单位",
    "随所负责单位",
    "不适用",
)


@dataclass(frozen=True)
class Scope:
    """A kind's status under one scope clause, the words it rests on, and its statuses by reading if open."""

    status: str
    words: str
    reading: str | None  # the interpretation's name, where the text leaves room
    by_reading: tuple[tuple[str, str], ...]  # (reading, status)


@dataclass(frozen=True)
class Kind:
    """A unit kind: whether it is a party or discipline body, a note, and its scope under each clause."""

    name: str
    body: str | None  # committee | organisation | discipline | None
    note_zh: str
    note_en: str
    scope: dict[str, Scope]


@dataclass(frozen=True)
class RoleInfo:
    """A role of a position, the role the rules read it as, and what it means under each measure."""

    name: str
    reads_as: str
    note_zh: str
    note_en: str
    measures: dict[str, dict[str, str]]


@cache
def _data() -> dict:
    return YAML(typ="safe").load(PATH.read_text(encoding="utf-8"))


@cache
def kinds() -> dict[str, Kind]:
    """Every unit kind, in table order."""
    out = {}
    for name, raw in _data()["kinds"].items():
        scope = {}
        for clause in SCOPE_CLAUSES:
            s = raw[clause]
            if s["status"] not in STATUSES:
                raise ValueError(f"unit_kinds.yaml: {name} {clause}: unknown status {s['status']}")
            r = s.get("reading")
            scope[clause] = Scope(
                s["status"],
                s["words"],
                r["name"] if r else None,
                tuple(sorted(r["readings"].items())) if r else (),
            )
        note = raw.get("note", {})
        out[name] = Kind(name, raw.get("body"), note.get("zh", ""), note.get("en", ""), scope)
    return out


@cache
def roles() -> dict[str, RoleInfo]:
    """Every role a position may have, in table order."""
    return {
        name: RoleInfo(name, raw["as"], raw["note"]["zh"], raw["note"]["en"], raw.get("measures", {}))
        for name, raw in _data()["roles"].items()
    }


def body_kinds(which: tuple[str, ...] = ("committee", "organisation", "discipline")) -> tuple[str, ...]:
    """The kinds that are party or discipline bodies (they name `answers_for`, not `parent`)."""
    return tuple(k.name for k in kinds().values() if k.body in which)


def scope_facts() -> dict[str, tuple[tuple[str, ...], dict[str, str], set[tuple[str, ...]]]]:
    """Static facts generated from the table: predicate → (clauses, gloss, rows)."""
    default: set[tuple[str, ...]] = set()
    under: set[tuple[str, ...]] = set()
    for k in kinds().values():
        for clause, s in k.scope.items():
            if s.reading:
                under |= {(clause, k.name, status, s.reading, reading) for reading, status in s.by_reading}
            else:
                default.add((clause, k.name, s.status))
    return {
        "unit_kind_scope": (
            SCOPE_CLAUSES,
            {
                "zh": "各类机关、单位在第十四条（16号）、附件1第二条、附件2第二条下的适用方式（kb/unit_kinds.yaml）",
                "en": "each unit kind's status under D16-14, A1-2 and A2-2 (kb/unit_kinds.yaml)",
            },
            default,
        ),
        "unit_kind_scope_under": (
            SCOPE_CLAUSES,
            {
                "zh": "条文留有解释余地的类别在各解释选项下的适用方式",
                "en": "a kind's status under each reading, where the text leaves room",
            },
            under,
        ),
        "team_kind": (
            ("D16-5", "D16-2"),
            {
                "zh": "党委（党组）领导班子（含党工委）",
                "en": "party committee / leading party group (and working committee)",
            },
            {(k,) for k in body_kinds(("committee",))},
        ),
        "discipline_kind": (
            ("D16-7", "D16-2"),
            {"zh": "纪委（纪检组，含纪工委）", "en": "discipline commission / inspection group / working committee"},
            {(k,) for k in body_kinds(("discipline",))},
        ),
        "body_kind": (
            ("D16-2", "A1-2p1", "A2-2p1"),
            {
                "zh": "党的组织和纪检机关（按其所负责的单位确定适用）",
                "en": "party and discipline bodies (scope follows the unit they answer for)",
            },
            {(k,) for k in body_kinds()},
        ),
    }


def schema_table() -> list[dict]:
    """The table as plain data, for `akb schema` and the docs."""
    return [
        {
            "kind": k.name,
            "body": k.body,
            "note": {"zh": k.note_zh, "en": k.note_en},
            **{
                c: {
                    "status": s.status,
                    "words": s.words,
                    **({"reading": s.reading, "by_reading": dict(s.by_reading)} if s.reading else {}),
                }
                for c, s in k.scope.items()
            },
        }
        for k in kinds().values()
    ]


README_BEGIN = "<!-- unit-kinds-table: generated from kb/unit_kinds.yaml by kb.unit_kinds.markdown_table -->"
README_END = "<!-- /unit-kinds-table -->"


def markdown_table() -> str:
    """The kinds and their place under D16-14, A1-2 and A2-2, as the README shows it (tested to match)."""
    lines = ["| 类别 kind | 说明 | D16-14 | A1-2 | A2-2 |", "|---|---|---|---|---|"]
    for k in kinds().values():
        cells = []
        for c in SCOPE_CLAUSES:
            s = k.scope[c]
            extra = f"（{s.reading}: " + "；".join(f"{r} {st}" for r, st in s.by_reading) + "）" if s.reading else ""
            cells.append(f"{s.status}{extra}")
        lines.append(f"| {k.name} | {k.note_zh} | " + " | ".join(cells) + " |")
    lines += ["", "| 职务 role | 规则中视为 read as | 说明 |", "|---|---|---|"]
    for r in roles().values():
        lines.append(f"| {r.name} | {r.reads_as} | {r.note_zh} |")
    return "\n".join([README_BEGIN, *lines, README_END])
