"""The element vocabulary: each operative item broken into elements taken from its own words
(kb/vocabulary/*.yaml), so that users pick elements rather than inventing words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

VOCAB_DIR = Path(__file__).parent / "vocabulary"


@dataclass(frozen=True)
class Element:
    """One element: a verbatim fragment of its item's text, with an English gloss."""

    id: str
    item: str
    branch: str
    group: str
    kind: str  # conduct | consequence | effect | circumstance
    zh: str
    en: str


@dataclass(frozen=True)
class Group:
    """Elements of one kind; `join` says whether any one suffices ("or") or the reading is open ("list")."""

    id: str
    kind: str
    join: str
    elements: tuple[Element, ...]
    waived_under: tuple[str, str] | None = None  # (interpretation, reading) under which the group is not required


@dataclass(frozen=True)
class Branch:
    """One way an item can be met: every group must hold."""

    id: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Item:
    """An operative item with the kind of subject it is about and its branches."""

    id: str
    document: str
    subject: str
    title_en: str
    catch_all: bool
    branches: tuple[Branch, ...]
    chapeau: bool = False  # an article's chapeau binding its items (e.g. A1-10), not an item itself

    def elements(self) -> list[Element]:
        return [e for b in self.branches for g in b.groups for e in g.elements]


@dataclass(frozen=True)
class Vocabulary:
    """All items and elements, by id."""

    items: dict[str, Item]
    elements: dict[str, Element]

    def for_document(self, doc: str) -> list[Item]:
        return [i for i in self.items.values() if i.document == doc]


@cache
def load_vocabulary() -> Vocabulary:
    """Load every vocabulary file (cached; the files are part of the knowledge base, not user input)."""
    yaml = YAML(typ="safe")
    items: dict[str, Item] = {}
    elements: dict[str, Element] = {}
    for path in sorted(VOCAB_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        doc = data["document"]
        entries = [(i, r, False) for i, r in data["items"].items()]
        entries += [(i, r, True) for i, r in (data.get("chapeaus") or {}).items()]
        for item_id, raw, chapeau in entries:
            branches = []
            for b in raw["branches"]:
                groups = []
                for g in b["groups"]:
                    els = tuple(
                        Element(e["id"], item_id, b["id"], g["id"], g["kind"], e["zh"], e.get("en", ""))
                        for e in g["elements"]
                    )
                    for e in els:
                        if e.id in elements:
                            raise ValueError(f"{path.name}: duplicate element id {e.id}")
                        elements[e.id] = e
                    waived = g.get("waived_under")
                    waiver = (waived["name"], waived["reading"]) if waived else None
                    groups.append(Group(g["id"], g["kind"], g.get("join", "or"), els, waiver))
                branches.append(Branch(b["id"], tuple(groups)))
            items[item_id] = Item(
                item_id,
                doc,
                raw["subject"],
                raw.get("title_en", ""),
                bool(raw.get("catch_all")),
                tuple(branches),
                chapeau,
            )
    return Vocabulary(items, elements)
