"""The clause registry (kb/registry.py) against the verbatim source texts and kb/labels_en.yaml."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kb.registry import (
    Document,
    Registry,
    Unit,
    _parse_part,
    _Part,
    cn_to_int,
    int_to_cn,
    load_labels,
    load_registry,
    parse_refs,
    source_text,
)

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "kb" / "labels_en.yaml"

DOCS = ("D16", "A1", "A2")
TITLES = {
    "D16": "党风廉政建设责任追究暂行办法",
    "A1": "党政机关工作人员问责暂行办法",
    "A2": "领导干部不作为慢作为乱作为问责暂行办法",
}
# (doc, kind) -> count, counted by hand from the texts
EXPECTED_COUNTS = {
    ("D16", "article"): 16,
    ("D16", "paragraph"): 2,
    ("D16", "item"): 38,
    ("A1", "article"): 29,
    ("A1", "paragraph"): 5,
    ("A1", "item"): 82,
    ("A1", "subitem"): 6,
    ("A1", "form"): 2,
    ("A2", "article"): 11,
    ("A2", "paragraph"): 2,
    ("A2", "item"): 30,
}
ID = re.compile(r"^(D16|A1|A2)-(?:F(\d+)|(\d+)(?:p(\d+))?(?:\.(\d+)(?:\.(\d+))?)?)$")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def _norm(text: str) -> str:
    """Source normalised as the unit texts are compared: each line stripped, lines joined."""
    return "".join(line.strip() for line in text.split("\n"))


def _nows(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------------------------------------ counts


def test_total_and_breakdown(reg: Registry) -> None:
    counts = Counter((u.doc, u.kind) for u in reg.units)
    assert dict(counts) == EXPECTED_COUNTS
    kinds = Counter(u.kind for u in reg.units)
    assert kinds == {"article": 56, "paragraph": 9, "item": 150, "subitem": 6, "form": 2}
    assert len(reg) == len(reg.units) == 223
    assert sum(1 for u in reg.units if u.kind != "form") == 221
    per_doc = Counter(u.doc for u in reg.units if u.kind != "form")
    assert per_doc == {"D16": 56, "A1": 122, "A2": 43}
    assert [u.id for u in reg.select(kind="paragraph")] == [
        "D16-12p1",
        "D16-12p2",
        "A1-2p1",
        "A1-2p2",
        "A1-2p3",
        "A1-14p1",
        "A1-14p2",
        "A2-2p1",
        "A2-2p2",
    ]
    assert [u.id for u in reg.select(kind="subitem")] == [f"A1-16.1.{i}" for i in range(1, 7)]


def test_counts_match_an_independent_line_scan() -> None:
    """Markers at the start of source lines, counted without the parser, give the same numbers."""
    cn = "[一二三四五六七八九十]+"
    for doc in DOCS:
        lines = [line.strip() for line in source_text(doc).split("\n")]
        articles = sum(1 for line in lines if re.match(rf"^第{cn}条", line))
        items = sum(1 for line in lines if re.match(rf"^（{cn}）", line))
        subs = sum(1 for line in lines if re.match(r"^\d+、", line))
        assert articles == EXPECTED_COUNTS[(doc, "article")]
        assert items == EXPECTED_COUNTS[(doc, "item")]
        assert subs == EXPECTED_COUNTS.get((doc, "subitem"), 0)


def test_item_counts_per_article(reg: Registry) -> None:
    n = {u.id: len(u.children) for u in reg.select(kind="article") if u.children}
    assert n == {
        "D16-5": 10,
        "D16-6": 12,
        "D16-7": 9,
        "D16-8": 7,
        "D16-12": 2,
        "A1-2": 3,
        "A1-5": 10,
        "A1-6": 9,
        "A1-7": 10,
        "A1-8": 7,
        "A1-9": 6,
        "A1-10": 7,
        "A1-11": 7,
        "A1-13": 10,
        "A1-14": 2,
        "A1-15": 3,
        "A1-16": 3,
        "A1-18": 6,
        "A1-20": 4,
        "A2-2": 2,
        "A2-4": 9,
        "A2-5": 11,
        "A2-6": 10,
    }


# ------------------------------------------------------------------------------------------------ ids, fields


def test_ids_unique_and_consistent(reg: Registry) -> None:
    ids = [u.id for u in reg.units]
    assert len(ids) == len(set(ids))
    for u in reg.units:
        m = ID.match(u.id)
        assert m, u.id
        doc, form, art, par, item, sub = m.groups()
        assert u.doc == doc
        assert u.kind in ("article", "paragraph", "item", "subitem", "form")
        if form:
            assert (u.kind, u.article, u.marker) == ("form", None, f"附{form}")
            continue
        assert u.article == int(art)
        assert u.paragraph == (int(par) if par else None)
        assert u.item == (int(item) if item else None)
        assert u.subitem == (int(sub) if sub else None)
        expected_kind = "subitem" if sub else "item" if item else "paragraph" if par else "article"
        assert u.kind == expected_kind, u.id
        assert u.id in reg and reg.get(u.id) is u


def test_source_order(reg: Registry) -> None:
    assert [u.doc for u in reg.units] == sorted((u.doc for u in reg.units), key=DOCS.index)
    for doc in DOCS:
        arts = [u.article for u in reg.select(doc=doc, kind="article")]
        assert arts == list(range(1, len(arts) + 1))
    # every child comes right after its parent's earlier descendants: pre-order
    order = {u.id: k for k, u in enumerate(reg.units)}
    for u in reg.units:
        for prev, nxt in zip(u.children, u.children[1:], strict=False):
            assert order[prev] < order[nxt]
        if u.children:
            assert order[u.children[0]] == order[u.id] + 1


def test_markers(reg: Registry) -> None:
    for u in reg.units:
        if u.kind == "article":
            assert u.marker == f"第{int_to_cn(u.article)}条"
        elif u.kind == "paragraph":
            assert u.marker == ""
        elif u.kind == "item":
            assert u.marker == f"（{int_to_cn(u.item)}）"
        elif u.kind == "subitem":
            assert u.marker == f"{u.subitem}、"


# ------------------------------------------------------------------------------------------------ texts


def test_texts_are_verbatim(reg: Registry) -> None:
    sources = {doc: _norm(source_text(doc)) for doc in DOCS}
    for u in reg.units:
        assert u.text, u.id
        assert u.text == u.text.strip()
        assert "\n\n" not in u.text
        assert all(line == line.strip() and line for line in u.text.split("\n")), u.id
        assert u.text.replace("\n", "") in sources[u.doc], u.id
        # the marker printed right before the text (articles: after a run of blanks)
        if u.kind in ("item", "subitem"):
            assert u.marker + u.text.replace("\n", "") in sources[u.doc], u.id


def test_articles_cover_each_document_exactly(reg: Registry) -> None:
    """Articles (marker + text) laid end to end, plus chapter headings, are the whole body of each measure."""
    for doc in DOCS:
        body = _nows(source_text(doc))
        rebuilt = ""
        chapter = None
        for u in reg.select(doc=doc, kind="article"):
            if u.chapter != chapter:
                chapter = u.chapter
                assert chapter is not None
                rebuilt += _nows(chapter)
            rebuilt += u.marker + _nows(u.text)
        start = body.index(rebuilt[:20])  # after the title
        assert _nows(TITLES[doc]) in body[:start]
        assert body[start:].startswith(rebuilt)
        rest = body[start + len(rebuilt) :]
        if doc == "A1":
            assert rest.startswith("附：1.")
            for form in reg.select(doc=doc, kind="form"):
                assert _nows(form.text) in rest
        else:
            assert re.fullmatch(r"中共连云港市委办公室2015年2月4日印发", rest), rest


def test_article_text_is_its_children(reg: Registry) -> None:
    for art in reg.select(kind="article"):
        kids = reg.children(art.id)
        if not kids:
            assert "\n" not in art.text, art.id  # single-paragraph articles are one source line here
            continue
        if kids[0].kind == "paragraph":
            assert art.text == "\n".join(k.text for k in kids)
            assert all(k.kind == "paragraph" and not k.children for k in kids)
        else:
            intro, _, rest = art.text.partition("\n")
            assert intro and not intro.startswith("（")
            assert rest == "\n".join(k.marker + k.text for k in kids)
            assert all(k.kind == "item" for k in kids)
    item = reg.get("A1-16.1")
    head, _, rest = item.text.partition("\n")
    assert head == "被调查对象"
    assert rest == "\n".join(s.marker + s.text for s in reg.children("A1-16.1"))


def test_no_items_inside_one_of_several_paragraphs(reg: Registry) -> None:
    for art in reg.select(kind="article"):
        kinds = {k.kind for k in reg.children(art.id)}
        assert len(kinds) <= 1, art.id


def test_parser_rejects_items_inside_a_paragraph() -> None:
    lines = ["标题", "第一条  第一款。", "第二款：", "（一）某项；"]
    with pytest.raises(ValueError, match="item inside one of several paragraphs"):
        _parse_part(_Part("X", "x.txt", list(enumerate(lines, 1)), []))
    lines = ["标题", "第一条  总则：", "（一）某项；", "另起一段。"]
    with pytest.raises(ValueError, match="paragraph after the items"):
        _parse_part(_Part("X", "x.txt", list(enumerate(lines, 1)), []))
    lines = ["标题", "第一条  总则。", "第三条  跳号。"]
    with pytest.raises(ValueError, match="expected 2"):
        _parse_part(_Part("X", "x.txt", list(enumerate(lines, 1)), []))


def test_spot_checks(reg: Registry) -> None:
    u = reg.get("D16-8.1")
    assert u.text.startswith("领导班子及其成员对关于涉案当事人的信访举报")
    assert u.citation == "《党风廉政建设责任追究暂行办法》第八条第（一）项"
    assert u.citation_short == "第八条第（一）项"
    assert u.marker == "（一）"
    assert u.parent == "D16-8"

    u = reg.get("A1-16.1.2")
    assert u.text == "一年内受到两次以上问责的；"
    assert u.citation == "《党政机关工作人员问责暂行办法》第十六条第（一）项第2目"
    assert u.parent == "A1-16.1"
    assert [a.id for a in reg.ancestors("A1-16.1.2")] == ["A1-16.1", "A1-16"]

    u = reg.get("A1-14p2")
    assert u.parent == "A1-14"
    assert u.citation == "《党政机关工作人员问责暂行办法》第十四条第二款"
    assert u.text.startswith("领导班子集体问责，适应于第十三条中（一）至（四）种情形")

    u = reg.get("A1-2p3")
    assert u.text.startswith("驻连部省属单位、垂直管理部门单位工作人员")
    assert u.citation_short == "第二条第三款"

    assert reg.get("A2-9").citation == "《领导干部不作为慢作为乱作为问责暂行办法》第九条"
    # D16-5 has a full-width space (U+3000) between marker and text
    assert reg.get("D16-5").text.startswith("党委（党组）领导班子履行主体责任不力")
    assert reg.get("A1-13.10").text == "降职。"
    assert reg.get("A1-20.1").text.split("\n") == [
        "启动",
        "发现有本办法所列应当追究责任的情形，由纪检监察机关或者组织人事部门按照权限和程序，开展调查核实。",
    ]
    assert reg.get("D16-12p2").text.startswith("各地各部门党委（党组）每季度最后一个月底")


def test_forms(reg: Registry) -> None:
    f1, f2 = reg.get("A1-F1"), reg.get("A1-F2")
    assert (f1.kind, f1.doc, f1.marker, f1.parent, f1.children) == ("form", "A1", "附1", None, ())
    assert f1.citation == "《党政机关工作人员问责暂行办法》附1《领导班子和领导干部问责审批表》"
    assert f1.text.startswith("领导班子和领导干部问责审批表\n编号：")
    assert f1.text.endswith("此表由问责实施机关填写，问责决定机关审批。")
    assert "拟问责对象" in f1.text and "审批意见" in f1.text
    assert f2.citation == "《党政机关工作人员问责暂行办法》附2《领导班子和领导干部问责决定书》"
    assert f2.text.startswith("领导班子和领导干部问责决定书\n（式  样）")
    assert "第三部分：当事人不服问责决定的申诉期限及受理机关。" in f2.text
    assert f2.text.endswith("抄送：×××     ×××")


def test_chapters(reg: Registry) -> None:
    chapters = {u.article: u.chapter for u in reg.select(doc="A1", kind="article")}
    expected = (
        {n: "第一章 总则" for n in range(1, 5)}
        | {n: "第二章 问责的情形" for n in range(5, 13)}
        | {n: "第三章 问责的方式与适用" for n in range(13, 18)}
        | {n: "第四章 问责的程序与实施" for n in range(18, 28)}
        | {n: "第五章 附则" for n in (28, 29)}
    )
    assert chapters == expected
    assert all(u.chapter is None for u in reg.units if u.kind != "article" or u.doc != "A1")


def test_citations(reg: Registry) -> None:
    for u in reg.units:
        doc = reg.documents[u.doc]
        assert u.citation == f"《{doc.title}》{u.citation_short}"
        if u.kind == "article":
            assert u.citation_short == u.marker
        elif u.kind == "paragraph":
            assert u.citation_short == f"{reg.get(u.parent).marker}第{int_to_cn(u.paragraph)}款"
        elif u.kind == "item":
            assert u.citation_short == f"{reg.get(u.parent).marker}第{u.marker}项"
        elif u.kind == "subitem":
            assert u.citation_short == f"{reg.get(u.parent).citation_short}第{u.subitem}目"


def test_documents(reg: Registry) -> None:
    assert set(reg.documents) == set(DOCS)
    for code, doc in reg.documents.items():
        assert isinstance(doc, Document)
        assert doc.code == code
        assert doc.title == TITLES[code]
        assert doc.citation_title == f"《{TITLES[code]}》"
        assert doc.date == "2015-02-04"
        assert doc.title_en
    assert reg.documents["D16"].number == "连发〔2015〕16号"
    assert reg.documents["A1"].number == reg.documents["A2"].number == "连发〔2015〕15号"
    assert reg.documents["D16"].issuer == "中共连云港市委"
    assert reg.documents["A1"].issuer == reg.documents["A2"].issuer == "中共连云港市委、连云港市人民政府"


# ------------------------------------------------------------------------------------------------ navigation


def test_parent_children_consistency(reg: Registry) -> None:
    for u in reg.units:
        for c in u.children:
            assert reg.get(c).parent == u.id
        if u.parent is not None:
            parent = reg.get(u.parent)
            assert u.id in parent.children
            assert u.id.startswith(parent.id)
            assert parent.doc == u.doc and parent.article == u.article
        else:
            assert u.kind in ("article", "form")
        assert [c.id for c in reg.children(u.id)] == list(u.children)
    assert reg.get("A1-16.1").parent == "A1-16"
    assert [a.id for a in reg.ancestors("A1-16")] == []
    assert reg.get("D16-8.1").parent == "D16-8"


def test_get_unknown_and_nearest(reg: Registry) -> None:
    with pytest.raises(KeyError, match="D16-5.11.*D16-5.1"):
        reg.get("D16-5.11")
    assert "D16-5.11" not in reg
    near = reg.nearest("D16-5.11")
    assert len(near) == 5
    assert {"D16-5.1", "D16-5.10", "D16-5"} <= set(near)
    assert near == reg.nearest("D16-5.11")  # deterministic
    assert all(i in reg for i in near)
    assert "A1-14p2" in reg.nearest("A1-14p3")
    assert "A1-16.1.2" in reg.nearest("A1-16.1.20")
    assert "A2-6.9" in reg.nearest("A2-6.09")
    two = reg.nearest("D16-5.11", n=2)
    assert len(two) == 2 and "D16-5.1" in two


# ------------------------------------------------------------------------------------------------ refs


@pytest.mark.parametrize(
    ("unit_id", "refs"),
    [
        ("D16-10", ("D16-5", "D16-6", "D16-7", "D16-8", "A1")),
        ("A2-8", ("A2-4", "A2-5", "A2-6", "A1")),
        ("A1-14p1", tuple(f"A1-13.{i}" for i in range(1, 11))),
        ("A1-14p2", ("A1-13.1", "A1-13.2", "A1-13.3", "A1-13.4")),
        ("A1-14", tuple(f"A1-13.{i}" for i in range(1, 11))),
        ("A1-16.1.1", tuple(f"A1-{n}" for n in range(5, 13))),
        ("A1-16.1", tuple(f"A1-{n}" for n in range(5, 13))),
        ("A1-16", tuple(f"A1-{n}" for n in range(5, 13))),
        ("A1-21", ("A1-20",)),
        ("A1-22", ("A1-20",)),
        ("D16-5.3", ()),  # 《党政领导干部选拔任用工作条例》 is outside the registry
        ("D16-6.1", ()),  # "第一责任人" is no article
        ("A1-9.4", ()),  # "第一时间"
        ("A1-17", ()),
        ("A1-29", ()),
        ("A1-F2", ()),  # "第一部分"
    ],
)
def test_refs(reg: Registry, unit_id: str, refs: tuple[str, ...]) -> None:
    assert reg.get(unit_id).refs == refs


def test_all_refs(reg: Registry) -> None:
    with_refs = {u.id: u.refs for u in reg.units if u.refs}
    assert set(with_refs) == {
        "D16-10",
        "A2-8",
        "A1-14",
        "A1-14p1",
        "A1-14p2",
        "A1-16",
        "A1-16.1",
        "A1-16.1.1",
        "A1-21",
        "A1-22",
    }
    for u in reg.units:
        for r in u.refs:
            assert r in reg or r in reg.documents, (u.id, r)
        # an article's refs are the union of its own text's refs, which covers its children's
        for c in reg.children(u.id):
            assert set(c.refs) <= set(u.refs)


def test_parse_refs_grammar() -> None:
    titles = {t: c for c, t in TITLES.items()}
    assert parse_refs("按照第十三条第（一）、（二）项", "A1", titles) == ("A1-13.1", "A1-13.2")
    assert parse_refs("第二十条至第二十二条", "A1", titles) == ("A1-20", "A1-21", "A1-22")
    assert parse_refs("第五、六条和第九条", "D16", titles) == ("D16-5", "D16-6", "D16-9")
    assert parse_refs("第十三条中（二）至（四）种", "A1", titles) == ("A1-13.2", "A1-13.3", "A1-13.4")
    assert parse_refs("《党政机关工作人员问责暂行办法》第十三条第（五）项", "A2", titles) == ("A1-13.5",)
    assert parse_refs("《党政领导干部选拔任用工作条例》第五条", "D16", titles) == ()
    assert parse_refs("《领导干部不作为慢作为乱作为问责暂行办法》", "A2", titles) == ()  # itself
    assert parse_refs("第一责任人、第一时间、第一部分", "A1", titles) == ()


def test_numerals() -> None:
    for n in range(1, 100):
        assert cn_to_int(int_to_cn(n)) == n
    assert [int_to_cn(n) for n in (1, 10, 14, 20, 29)] == ["一", "十", "十四", "二十", "二十九"]
    for bad in ("", "十十", "一二", "百"):
        with pytest.raises(ValueError):
            cn_to_int(bad)


# ------------------------------------------------------------------------------------------------ labels


def test_labels_cover_exactly_the_units(reg: Registry) -> None:
    data = YAML(typ="safe").load(LABELS.read_text(encoding="utf-8"))
    assert set(data) == {"documents", "units"}
    assert set(data["documents"]) == set(DOCS)
    keys = list(data["units"])
    ids = [u.id for u in reg.units]
    assert sorted(set(ids) - set(keys)) == [], "units without a label"
    assert sorted(set(keys) - set(ids)) == [], "labels for unknown ids"
    assert keys == ids  # kept in source order
    assert load_labels() == {str(k): str(v) for k, v in data["units"].items()}
    for u in reg.units:
        label = data["units"][u.id]
        assert isinstance(label, str) and label.strip() == label and label, u.id
        assert len(label) <= 90, (u.id, len(label))
        assert u.label_en.endswith(f" — {label}")


def test_label_en_format(reg: Registry) -> None:
    assert reg.get("D16-8.1").label_en.startswith("D16 Art. 8(1) — ")
    assert reg.get("A1-14p2").label_en.startswith("A1 Art. 14 para. 2 — ")
    assert reg.get("A1-16.1.2").label_en.startswith("A1 Art. 16(1)(2) — ")
    assert reg.get("D16-5").label_en == (
        "D16 Art. 5 — Party committee leadership team failing its principal responsibility"
    )
    assert reg.get("A1-F1").label_en.startswith("A1 Form 1 — ")


def test_unit_is_frozen(reg: Registry) -> None:
    u: Unit = reg.get("D16-1")
    with pytest.raises(AttributeError):
        u.text = "x"  # type: ignore[misc]
    assert load_registry() is reg  # cached
