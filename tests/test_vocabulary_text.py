"""The situation vocabularies (kb/vocabulary/{d16,a1,a2}.yaml) against the verbatim source texts.

Every element's ``zh`` must be a verbatim fragment of its own item's text (whitespace ignored), the set of
items covered per file must be exactly the operative situations of that measure, and the structure must be
well formed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "kb" / "texts"
VOCAB = ROOT / "kb" / "vocabulary"

FILES = {"D16": "d16.yaml", "A1": "a1.yaml", "A2": "a2.yaml"}
SOURCE = {"D16": "lianfa-2015-16.txt", "A1": "lianfa-2015-15.txt", "A2": "lianfa-2015-15.txt"}

KINDS = {"conduct", "consequence", "effect", "circumstance"}
LETTER_KIND = {"c": "conduct", "q": "consequence", "e": "effect", "s": "circumstance"}
JOINS = {"or", "list"}
SUBJECTS = {
    "party_team",
    "principal",
    "other_member",
    "member",
    "discipline_body",
    "case",
    "person",
    "investigator",
    "interceder",
    "team_or_leader",
}

_WS = re.compile(r"\s+")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ARTICLE = re.compile(r"^第([一二三四五六七八九十]+)条")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）")
_SUB = re.compile(r"^(\d+)、")
ITEM_ID = re.compile(r"^(D16|A1|A2)-(\d+)(?:\.(\d+)(?:\.(\d+))?)?$")


def _num(cn: str) -> int:
    """Chinese numeral 1..99 (一 .. 九十九) to int."""
    if "十" not in cn:
        return _CN[cn]
    tens, _, units = cn.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)


def _strip(s: str) -> str:
    return _WS.sub("", s)


def _rng(prefix: str, n: int) -> list[str]:
    return [f"{prefix}.{i}" for i in range(1, n + 1)]


EXPECTED: dict[str, list[str]] = {
    "D16": _rng("D16-5", 10) + _rng("D16-6", 12) + _rng("D16-7", 9) + _rng("D16-8", 7),
    "A1": _rng("A1-5", 10)
    + _rng("A1-6", 9)
    + _rng("A1-7", 10)
    + _rng("A1-8", 7)
    + _rng("A1-9", 6)
    + _rng("A1-10", 7)
    + _rng("A1-11", 7)
    + ["A1-12"]
    + _rng("A1-15", 3)
    + _rng("A1-16.1", 6)
    + ["A1-16.2", "A1-16.3"],
    "A2": _rng("A2-4", 9) + _rng("A2-5", 11) + _rng("A2-6", 10),
}


def expected_subject(item_id: str) -> str:
    doc, art, item, _ = ITEM_ID.match(item_id).groups()
    art, item = int(art), int(item) if item else None
    if doc == "D16":
        if art == 5:
            return "party_team"
        if art == 6:
            return "principal" if item <= 3 else "other_member" if item <= 5 else "member"
        return "discipline_body" if art == 7 else "case"
    if doc == "A1":
        if art == 16 and item == 2:
            return "investigator"
        if art == 16 and item == 3:
            return "interceder"
        return "person"
    return {"A2-6.2": "principal", "A2-6.3": "member"}.get(item_id, "team_or_leader")


@cache
def doc_lines(doc: str) -> tuple[str, ...]:
    """The lines of one measure's own body (without the covering notice and the other attachment)."""
    lines = [ln.strip() for ln in (TEXTS / SOURCE[doc]).read_text(encoding="utf-8").splitlines()]
    if doc == "D16":
        start = next(i for i, ln in enumerate(lines) if ln.startswith("第一条"))
        return tuple(lines[start:])
    a1 = lines.index("附件1")
    a2 = lines.index("附件2")
    return tuple(lines[a1 + 1 : a2] if doc == "A1" else lines[a2 + 1 :])


@cache
def doc_text(doc: str) -> str:
    return _strip("".join(doc_lines(doc)))


@cache
def item_texts(doc: str) -> dict[str, str]:
    """Map of citation id (article, item, sub-item) -> its text, whitespace removed, without the marker."""
    out: dict[str, list[str]] = {}
    art = item = sub = None
    for ln in doc_lines(doc):
        if not ln:
            continue
        if _CHAPTER.match(ln):
            art = item = sub = None
            continue
        if m := _ARTICLE.match(ln):
            art, item, sub = _num(m.group(1)), None, None
            out.setdefault(f"{doc}-{art}", []).append(ln[m.end() :])
            continue
        if art is None:
            continue
        if m := _ITEM.match(ln):
            item, sub = _num(m.group(1)), None
            out.setdefault(f"{doc}-{art}.{item}", []).append(ln[m.end() :])
            continue
        if item is not None and (m := _SUB.match(ln)):
            sub = int(m.group(1))
            out.setdefault(f"{doc}-{art}.{item}.{sub}", []).append(ln[m.end() :])
            continue
        key = f"{doc}-{art}" + (f".{item}" if item else "") + (f".{sub}" if sub else "")
        out.setdefault(key, []).append(ln)
    return {k: _strip("".join(v)) for k, v in out.items()}


@cache
def load(doc: str) -> dict | None:
    path = VOCAB / FILES[doc]
    if not path.exists():
        return None
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def present() -> list[str]:
    return [d for d in FILES if (VOCAB / FILES[d]).exists()]


def _elements(item: dict):
    for branch in item["branches"]:
        for group in branch["groups"]:
            for el in group["elements"]:
                yield branch, group, el


def test_some_vocabulary_present():
    assert present(), "no vocabulary file found"


def test_parser_finds_the_items():
    for doc, ids in EXPECTED.items():
        texts = item_texts(doc)
        missing = [i for i in ids if i not in texts]
        assert not missing, f"{doc}: parser did not find {missing}"
    assert item_texts("D16")["D16-5.8"] == "对开展党风廉政建设巡察工作不重视、不支持、不配合的；"
    assert item_texts("A1")["A1-16.1.3"] == "干扰、阻碍、拒不配合问责调查的；"
    assert item_texts("A1")["A1-12"] == "中央和省市规定的其他需要问责的行为。"


def _check_item(doc: str, item_id: str, item: dict) -> list[str]:
    """All problems of one item, as messages."""
    errs: list[str] = []

    def check(ok, msg: str) -> None:
        if not ok:
            errs.append(f"{item_id}: {msg}")

    texts = item_texts(doc)
    if not (ITEM_ID.match(item_id) and item_id in texts):
        return [f"{item_id}: not an item of {doc}"]
    own, whole = texts[item_id], doc_text(doc)
    title = item.get("title_en")
    check(isinstance(title, str) and 0 < len(title) <= 60, "title_en missing or longer than 60")
    check(
        item.get("subject") == expected_subject(item_id),
        f"subject {item.get('subject')!r}, expected {expected_subject(item_id)!r}",
    )
    if item_id in ("A2-6.2", "A2-6.3"):
        check(item.get("note_en"), "the narrower subject needs a note_en")
    catch_all = item.get("catch_all", False)
    branches = item.get("branches") or []
    check(branches, "no branch")
    check(len({b["id"] for b in branches}) == len(branches), "branch ids not unique")
    for branch in branches:
        groups = branch.get("groups") or []
        check(groups, f"branch {branch['id']} has no group")
        check(len({g["id"] for g in groups}) == len(groups), f"group ids not unique in {branch['id']}")
        for group in groups:
            where = f"{branch['id']}/{group['id']}"
            check(group["kind"] in KINDS and group["join"] in JOINS, f"{where}: bad kind or join")
            check(
                group["id"] == group["kind"] or group["id"].startswith(group["kind"] + "_"),
                f"{where}: group id does not name its kind",
            )
            check(group.get("elements"), f"{where}: no element")
    for _branch, group, el in _elements(item):
        eid = el["id"]
        m = re.fullmatch(re.escape(item_id) + r"/([cqesx])(\d+)", eid)
        check(m, f"bad element id {eid}")
        if m:
            letter = m.group(1)
            if catch_all:
                check(letter == "x", f"{eid}: a catch-all element must be x")
            else:
                check(
                    letter != "x" and LETTER_KIND[letter] == group["kind"],
                    f"{eid}: letter does not match the group kind {group['kind']}",
                )
        zh = _strip(el.get("zh") or "")
        check(zh and zh in whole, f"{eid}: zh not in the text of {doc}")
        check(zh in own, f"{eid}: zh not in the text of its own item")
        check(not re.search(r"(的|[，、；。])$", zh), f"{eid}: trailing 的 or punctuation")
        en = el.get("en")
        check(isinstance(en, str) and 0 < len(en) <= 120, f"{eid}: en missing or longer than 120")
    if catch_all:
        els = [el for _, _, el in _elements(item)]
        check(
            len(branches) == 1 and len(els) == 1 and els[0]["id"] == f"{item_id}/x1",
            "a catch-all item has one branch with the one element x1",
        )
        check(
            els and _strip(els[0]["zh"]) == own.rstrip("。；").removesuffix("的"),
            "a catch-all element's zh is the whole item text",
        )
    return errs


@pytest.mark.parametrize("doc", list(FILES))
def test_items_and_structure(doc):
    data = load(doc)
    if data is None:
        pytest.skip(f"{FILES[doc]} not written yet")
    assert data["document"] == doc
    items = data["items"]
    assert list(items) == EXPECTED[doc], (
        f"items must be exactly the operative situations, in text order; "
        f"missing {sorted(set(EXPECTED[doc]) - set(items))}, extra {sorted(set(items) - set(EXPECTED[doc]))}"
    )
    errs = [e for item_id, item in items.items() for e in _check_item(doc, item_id, item)]
    assert not errs, "\n".join(errs)


def test_element_ids_unique_across_files():
    seen: dict[str, str] = {}
    for doc in present():
        for item_id, item in load(doc)["items"].items():
            for _, _, el in _elements(item):
                assert el["id"] not in seen, f"duplicate element id {el['id']}"
                seen[el["id"]] = item_id
