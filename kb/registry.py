"""Clause registry of the three measures, parsed from the verbatim texts in ``kb/texts``.

Every addressable unit gets a citation id (see ``/work/shared/domain/MEASURES.md``):

* article (条): ``D16-8``; paragraph (款, only where an article has several): ``A1-14p2``;
* item (项, ``（一）`` = 1): ``D16-8.1``; sub-item (目, ``1、`` = 1): ``A1-16.1.2``;
* the two forms attached to A1: ``A1-F1`` (附1 审批表) and ``A1-F2`` (附2 决定书式样).

Nothing here is typed by hand except the English labels and document titles (``kb/labels_en.yaml``):
ids, texts, markers, chapters, citations and cross-references all come from the source files. The parser is
strict: an unexpected line shape (numbering out of sequence, an item inside one of several paragraphs, a stray
paragraph after an article's items, an unresolved cross-reference) raises ``ValueError`` rather than being
guessed at.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

__all__ = [
    "Document",
    "Registry",
    "Unit",
    "cn_to_int",
    "int_to_cn",
    "load_labels",
    "load_registry",
    "parse_refs",
    "source_text",
]

TEXTS = Path(__file__).parent / "texts"
LABELS = Path(__file__).parent / "labels_en.yaml"
OVERLAPS = Path(__file__).parent / "overlaps.yaml"

#: source file of each document code; a file holding several documents is split on its "附件N" lines
SOURCES: dict[str, str] = {
    "D16": "lianfa-2015-16.txt",
    "A1": "lianfa-2015-15.txt",
    "A2": "lianfa-2015-15.txt",
}
#: which 附件 of a multi-document file holds which code
ATTACHMENT: dict[str, int] = {"A1": 1, "A2": 2}
KINDS: tuple[str, ...] = ("article", "paragraph", "item", "subitem", "form")

_DIGITS = {ch: n for n, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_NUM = "[〇零一二两三四五六七八九十]+"

_NUMBER_LINE = re.compile(r"^连\s*发\s*〔(\d{4})〕\s*(\d+)\s*号$")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ATTACHMENT_LINE = re.compile(r"^附件(\d+)$")
_END_LINE = re.compile(r"印发$")
_CHAPTER = re.compile(rf"^第({_CN_NUM})章\s*(.*)$")
_ARTICLE = re.compile(rf"^(第({_CN_NUM})条)\s*(.*)$")
_ITEM = re.compile(rf"^(（({_CN_NUM})）)\s*(.*)$")
_SUBITEM = re.compile(r"^((\d+)、)\s*(.*)$")
_FORM_LIST = re.compile(r"^(?:附：)?(\d+)[.．、]\s*(\S.*)$")
_FORM_HEAD = re.compile(r"^附(\d+)$")
_TERMINAL = "。；;！？!?"

# cross-references: 《title》(（…）)? and 第N(、N|至第N)*条(至第N条)?(第|中)?(（N）(、|至)…)(项|种)?
_SEP = "、|至|和|及|或"
_TITLE_REF = re.compile(r"《(?P<title>[^《》]+)》(?:（[^（）]*）)?")
_ARTICLE_REF = re.compile(
    rf"第(?P<arts>{_CN_NUM}(?:(?:{_SEP})第?{_CN_NUM})*)条(?:至第(?P<to>{_CN_NUM})条)?"
    rf"(?P<items>(?:第|中)?（{_CN_NUM}）(?:(?:{_SEP})第?（{_CN_NUM}）)*(?:项|种)?)?"
)
_LIST_TOKEN = re.compile(rf"({_SEP})?第?（?({_CN_NUM})）?")
_SAME_DOC = ("本办法", "本规定")


def cn_to_int(cn: str) -> int:
    """Chinese numeral 一 .. 九十九 (also 〇/零, 两) to int; ValueError otherwise."""
    if not cn or any(ch not in _DIGITS and ch != "十" for ch in cn) or cn.count("十") > 1:
        raise ValueError(f"not a Chinese numeral 1..99: {cn!r}")
    if "十" not in cn:
        if len(cn) != 1:
            raise ValueError(f"not a Chinese numeral 1..99: {cn!r}")
        return _DIGITS[cn]
    tens, _, units = cn.partition("十")
    if len(tens) > 1 or len(units) > 1:
        raise ValueError(f"not a Chinese numeral 1..99: {cn!r}")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def int_to_cn(n: int) -> str:
    """Int 1..99 to its Chinese numeral (10 -> 十, 14 -> 十四, 20 -> 二十, 29 -> 二十九)."""
    if not 1 <= n <= 99:
        raise ValueError(f"out of range 1..99: {n}")
    names = "零一二三四五六七八九"
    tens, units = divmod(n, 10)
    if tens == 0:
        return names[units]
    return ("" if tens == 1 else names[tens]) + "十" + (names[units] if units else "")


@cache
def load_overlaps() -> list[dict]:
    """Where the measures describe the same conduct in two clauses (kb/overlaps.yaml): {a, b, zh, en}."""
    return (YAML(typ="safe").load(OVERLAPS.read_text(encoding="utf-8")) or []) if OVERLAPS.exists() else []


def covers(unit: str, clause: str) -> bool:
    """Whether a clause id is the unit or lies within it: an article covers its paragraphs and items (D16-5
    covers D16-5.3 and D16-5p1); D16-5.1 does not cover D16-5.10."""
    return clause == unit or clause.startswith((unit + ".", unit + "p"))


@dataclass(frozen=True)
class Unit:
    """One addressable unit (article, paragraph, item, sub-item or form) of a measure."""

    id: str
    doc: str
    kind: str
    article: int | None
    paragraph: int | None
    item: int | None
    subitem: int | None
    marker: str
    text: str
    citation: str
    citation_short: str
    label_en: str
    parent: str | None
    children: tuple[str, ...]
    refs: tuple[str, ...]
    chapter: str | None


@dataclass(frozen=True)
class Document:
    """One measure; ``title`` is given without the 《》 brackets (``citation_title`` has them)."""

    code: str
    title: str
    number: str
    issuer: str
    date: str
    title_en: str

    @property
    def citation_title(self) -> str:
        """The title in 《》 brackets, as used in citations."""
        return f"《{self.title}》"


# --------------------------------------------------------------------------------------------- source parts


@dataclass
class _Part:
    code: str
    file: str
    lines: list[tuple[int, str]]  # (1-based line number in the file, raw line) of this document's part
    notice: list[str]  # raw lines of the covering notice (before the first date line, inclusive)


@cache
def _file_lines(name: str) -> tuple[str, ...]:
    """Raw lines of a source file."""
    return tuple((TEXTS / name).read_text(encoding="utf-8").split("\n"))


def _split_file(name: str) -> tuple[list[str], dict[int, list[tuple[int, str]]]]:
    """Split a file into its notice and its documents (key 0 when the file has no "附件N" lines)."""
    lines = _file_lines(name)
    date_at = next((i for i, raw in enumerate(lines) if _DATE_LINE.match(raw.strip())), None)
    if date_at is None:
        raise ValueError(f"{name}: no date line (YYYY年M月D日) closing the notice")
    notice = list(lines[: date_at + 1])
    parts: dict[int, list[tuple[int, str]]] = {0: []}
    current = 0
    for i in range(date_at + 1, len(lines)):
        m = _ATTACHMENT_LINE.match(lines[i].strip())
        if m:
            current = int(m.group(1))
            if current in parts:
                raise ValueError(f"{name}:{i + 1}: 附件{current} appears twice")
            parts[current] = []
            continue
        parts[current].append((i + 1, lines[i]))
    if len(parts) > 1:
        if any(raw.strip() for _, raw in parts[0]):
            raise ValueError(f"{name}: text between the notice and 附件1")
        del parts[0]
    return notice, parts


def _part(code: str) -> _Part:
    """The part of its source file that holds document ``code``."""
    if code not in SOURCES:
        raise KeyError(f"unknown document code {code!r}; known: {', '.join(SOURCES)}")
    notice, parts = _split_file(SOURCES[code])
    key = ATTACHMENT.get(code, 0)
    if key not in parts:
        raise ValueError(f"{SOURCES[code]}: no 附件{key} for {code}")
    return _Part(code, SOURCES[code], parts[key], notice)


def source_text(doc: str) -> str:
    """The raw source text of a document's part (D16: after the notice; A1/A2: the 附件 body), for tests."""
    return "\n".join(raw for _, raw in _part(doc).lines)


def _normalise(text: str) -> str:
    """Strip each line and join them without separator (the comparison form used by the tests)."""
    return "".join(line.strip() for line in text.split("\n"))


# --------------------------------------------------------------------------------------------- structure


@dataclass
class _Sub:
    n: int
    marker: str
    lines: list[str]


@dataclass
class _Item:
    n: int
    marker: str
    lines: list[str]
    subs: list[_Sub] = field(default_factory=list)


@dataclass
class _Article:
    n: int
    marker: str
    chapter: str | None
    lines: list[str]  # all lines of the article, markers of items and sub-items kept, its own marker stripped
    paragraphs: list[list[str]]
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Form:
    n: int
    title: str
    lines: list[str]


@dataclass
class _Parsed:
    code: str
    title: str
    articles: list[_Article]
    forms: list[_Form]


def _expect(n: int, expected: int, what: str, where: str) -> None:
    """Raise unless a number continues its sequence."""
    if n != expected:
        raise ValueError(f"{where}: {what} numbered {n}, expected {expected}")


def _parse_part(part: _Part) -> _Parsed:
    """Parse one document's part into its title, articles (with paragraphs, items, sub-items) and forms."""
    rows = [(no, raw.strip()) for no, raw in part.lines if raw.strip()]
    # title: the lines before the first chapter or article heading
    title_lines: list[str] = []
    k = 0
    while k < len(rows) and not (_ARTICLE.match(rows[k][1]) or _CHAPTER.match(rows[k][1])):
        title_lines.append(rows[k][1])
        k += 1
    title = re.sub(r"\s+", "", "".join(title_lines))
    if not title:
        raise ValueError(f"{part.file}: {part.code} has no title before its first article")

    articles: list[_Article] = []
    forms: list[_Form] = []
    form_titles: dict[int, str] = {}
    chapter: str | None = None
    chapters_seen = 0
    art: _Article | None = None
    item: _Item | None = None
    sub: _Sub | None = None
    state = "articles"  # -> "form list" -> "forms"
    for no, line in rows[k:]:
        where = f"{part.file}:{no}"
        if _END_LINE.search(line):
            break
        if state != "articles" or line.startswith("附："):
            # the attachment list ("附：1.…", "2.…"), then the forms ("附1", "附2") to the end
            head = _FORM_HEAD.match(line)
            if head:
                state = "forms"
                _expect(int(head.group(1)), len(forms) + 1, "form", where)
                forms.append(_Form(int(head.group(1)), "", []))
                continue
            if state != "forms":
                state = "form list"
                m = _FORM_LIST.match(line)
                if not m:
                    raise ValueError(f"{where}: unexpected line in the attachment list: {line!r}")
                form_titles[int(m.group(1))] = m.group(2).strip()
                continue
            form = forms[-1]
            if not form.title:
                form.title = line
            form.lines.append(line)
            continue
        m = _CHAPTER.match(line)
        if m:
            chapters_seen += 1
            _expect(cn_to_int(m.group(1)), chapters_seen, "chapter", where)
            chapter = f"第{m.group(1)}章 " + re.sub(r"\s+", "", m.group(2))
            art = item = sub = None
            continue
        m = _ARTICLE.match(line)
        if m:
            _expect(cn_to_int(m.group(2)), len(articles) + 1, "article", where)
            art = _Article(cn_to_int(m.group(2)), m.group(1), chapter, [m.group(3)], [[m.group(3)]])
            articles.append(art)
            item = sub = None
            continue
        if art is None:
            raise ValueError(f"{where}: text outside any article: {line!r}")
        m = _ITEM.match(line)
        if m:
            if len(art.paragraphs) > 1:
                raise ValueError(f"{where}: item inside one of several paragraphs of article {art.n}")
            _expect(cn_to_int(m.group(2)), len(art.items) + 1, "item", where)
            item = _Item(cn_to_int(m.group(2)), m.group(1), [m.group(3)])
            art.items.append(item)
            art.lines.append(line)
            sub = None
            continue
        m = _SUBITEM.match(line)
        if m:
            if item is None:
                raise ValueError(f"{where}: sub-item outside any item: {line!r}")
            _expect(int(m.group(2)), len(item.subs) + 1, "sub-item", where)
            sub = _Sub(int(m.group(2)), m.group(1), [m.group(3)])
            item.subs.append(sub)
            item.lines.append(line)
            art.lines.append(line)
            continue
        # a line without a marker
        if item is not None:
            # only the body of an item printed as a heading ("（一）启动" then its text on the next line)
            if sub is not None or item.lines[-1].endswith(tuple(_TERMINAL)):
                raise ValueError(f"{where}: paragraph after the items of article {art.n}: {line!r}")
            item.lines.append(line)
            art.lines.append(line)
            continue
        art.paragraphs.append([line])
        art.lines.append(line)
    if form_titles != {f.n: f.title for f in forms}:
        raise ValueError(f"{part.file}: attachment list {form_titles} does not match the forms {forms}")
    return _Parsed(part.code, title, articles, forms)


# --------------------------------------------------------------------------------------------- references


def _numbers(expr: str) -> list[int]:
    """Numbers of a list like "五、六、七", "（一）至（四）", "五至第十二" (ranges with 至 expanded)."""
    out: list[int] = []
    for sep, num in _LIST_TOKEN.findall(expr):
        n = cn_to_int(num)
        if sep == "至" and out:
            out.extend(range(out[-1] + 1, n + 1))
        else:
            out.append(n)
    return out


def parse_refs(text: str, doc: str, titles: dict[str, str]) -> tuple[str, ...]:
    """Cross-references made by ``text`` of document ``doc``: unit ids ("A1-13.1") and document codes ("A1").

    ``titles`` maps a document title (without brackets) to its code. Articles and items are written in
    Chinese numerals: "第五、六、七、八条", "第五条至第十二条", "第十三条第（一）、（二）项",
    "第十三条中（一）至（四）种". A bare or "本办法/本规定" article reference is to ``doc``; one right
    after 《title》 is to that document (and dropped when the title is not one of ``titles``); a 《title》
    of another known document not followed by an article is a reference to the whole document. Order of
    first appearance, without duplicates.
    """
    found: list[tuple[int, str]] = []
    # end offset of a 《title》(（…）) -> its code (None: a document outside the registry)
    title_at: dict[int, str | None] = {}
    for m in _TITLE_REF.finditer(text):
        title_at[m.end()] = titles.get(m.group("title"))
    art_starts = set()
    for m in _ARTICLE_REF.finditer(text):
        art_starts.add(m.start())
        target = doc
        if m.start() in title_at:
            code = title_at[m.start()]
            if code is None:
                continue
            target = code
        arts = _numbers(m.group("arts"))
        if m.group("to"):
            arts.extend(range(arts[-1] + 1, cn_to_int(m.group("to")) + 1))
        items: list[int] = []
        if m.group("items"):  # items belong to the last article named
            items = _numbers(m.group("items"))
            found.extend((m.start(), f"{target}-{a}") for a in arts[:-1])
        else:
            found.extend((m.start(), f"{target}-{a}") for a in arts)
        found.extend((m.start(), f"{target}-{arts[-1]}.{i}") for i in items)
    for m in _TITLE_REF.finditer(text):
        code = titles.get(m.group("title"))
        if code is not None and code != doc and m.end() not in art_starts:
            found.append((m.start(), code))
    out: list[str] = []
    for _, ref in sorted(found, key=lambda x: x[0]):
        if ref not in out:
            out.append(ref)
    return tuple(out)


# --------------------------------------------------------------------------------------------- registry


class Registry:
    """All units of the three measures, in source order, with look-up and navigation."""

    def __init__(self, documents: dict[str, Document], units: tuple[Unit, ...]) -> None:
        """Index ``units`` by id (ids must be unique)."""
        self.documents = documents
        self.units = units
        self._by_id: dict[str, Unit] = {}
        for u in units:
            if u.id in self._by_id:
                raise ValueError(f"duplicate unit id {u.id}")
            self._by_id[u.id] = u

    def __contains__(self, unit_id: object) -> bool:
        """Whether ``unit_id`` is a known unit id."""
        return unit_id in self._by_id

    def __iter__(self) -> Iterator[Unit]:
        """The units in source order."""
        return iter(self.units)

    def __len__(self) -> int:
        """Number of units (forms included)."""
        return len(self.units)

    def get(self, unit_id: str) -> Unit:
        """The unit with this id; KeyError naming the nearest ids if unknown."""
        try:
            return self._by_id[unit_id]
        except KeyError:
            near = self.nearest(unit_id)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise KeyError(f"unknown unit id {unit_id!r}{hint}") from None

    def select(self, doc: str | None = None, kind: str | None = None) -> list[Unit]:
        """Units of a document and/or kind, in source order."""
        return [u for u in self.units if (doc is None or u.doc == doc) and (kind is None or u.kind == kind)]

    def nearest(self, unit_id: str, n: int = 5) -> list[str]:
        """Up to ``n`` existing ids nearest to a mistyped one: difflib matches plus existing prefixes."""
        query = unit_id.strip()
        ids = [u.id for u in self.units if u.id != query]

        def ratio(candidate: str) -> float:
            return difflib.SequenceMatcher(None, query, candidate, autojunk=False).ratio()

        scores = {i: ratio(i) for i in ids}
        # existing ids the query extends ("D16-5.11" -> "D16-5.1", "D16-5"), longest first, get reserved slots
        prefixes = sorted((i for i in ids if query.startswith(i)), key=lambda i: (-len(i), i))
        prefixes = prefixes[: max(1, n // 2)]
        close = [i for i in ids if scores[i] >= 0.6 and i not in prefixes]
        close.sort(key=lambda i: (-scores[i], i))
        chosen = prefixes[:n] + close[: max(0, n - len(prefixes))]
        return sorted(chosen, key=lambda i: (-scores[i], i))

    def children(self, unit_id: str) -> list[Unit]:
        """The direct children of a unit, in source order."""
        return [self._by_id[c] for c in self.get(unit_id).children]

    def ancestors(self, unit_id: str) -> list[Unit]:
        """The ancestors of a unit, nearest first (parent, then its parent, … up to the article)."""
        out: list[Unit] = []
        parent = self.get(unit_id).parent
        while parent is not None:
            unit = self._by_id[parent]
            out.append(unit)
            parent = unit.parent
        return out


def _load_labels() -> tuple[dict[str, str], dict[str, str]]:
    """The English document titles and unit labels from kb/labels_en.yaml ({} if the file is missing)."""
    if not LABELS.exists():
        return {}, {}
    data = YAML(typ="safe").load(LABELS.read_text(encoding="utf-8")) or {}
    docs = {str(k): str(v) for k, v in (data.get("documents") or {}).items()}
    units = {str(k): str(v) for k, v in (data.get("units") or {}).items()}
    return docs, units


def load_labels() -> dict[str, str]:
    """The English unit labels, keyed by unit id, as written in kb/labels_en.yaml."""
    return _load_labels()[1]


def _label_prefix(
    doc: str,
    kind: str,
    article: int | None,
    paragraph: int | None,
    item: int | None,
    subitem: int | None,
    form: int | None = None,
) -> str:
    """The structural part of an English label: "D16 Art. 8(1)", "A1 Art. 14 para. 2", "A1 Form 1"."""
    if kind == "form":
        return f"{doc} Form {form}"
    s = f"{doc} Art. {article}"
    if paragraph is not None:
        s += f" para. {paragraph}"
    if item is not None:
        s += f"({item})"
    if subitem is not None:
        s += f"({subitem})"
    return s


def _document(part: _Part, parsed: _Parsed, title_en: str) -> Document:
    """Document metadata, read from the covering notice of the part's file."""
    notice = [line.strip() for line in part.notice if line.strip()]
    number_at = next((i for i, line in enumerate(notice) if _NUMBER_LINE.match(line)), None)
    if number_at is None or number_at + 1 >= len(notice):
        raise ValueError(f"{part.file}: no document number line")
    year, serial = _NUMBER_LINE.match(notice[number_at]).groups()  # type: ignore[union-attr]
    issuer = "、".join(notice[number_at + 1].split())
    date = _DATE_LINE.match(notice[-1])
    if date is None:
        raise ValueError(f"{part.file}: the notice does not end with its date")
    if f"《{parsed.title}》" not in re.sub(r"\s+", "", "".join(notice)):
        raise ValueError(f"{part.file}: the notice does not issue {part.code}'s title {parsed.title!r}")
    y, mo, d = (int(x) for x in date.groups())
    return Document(part.code, parsed.title, f"连发〔{year}〕{serial}号", issuer, f"{y:04d}-{mo:02d}-{d:02d}", title_en)


@cache
def load_registry() -> Registry:
    """Parse kb/texts/*.txt into the registry (cached)."""
    docs_en, labels = _load_labels()
    parsed: dict[str, _Parsed] = {}
    documents: dict[str, Document] = {}
    for code in SOURCES:
        part = _part(code)
        parsed[code] = _parse_part(part)
        documents[code] = _document(part, parsed[code], docs_en.get(code, ""))
    titles = {d.title: d.code for d in documents.values()}

    rows: list[dict] = []

    def add(**kw: object) -> None:
        rows.append(kw)

    for code, p in parsed.items():
        title = documents[code].citation_title
        for a in p.articles:
            art_id = f"{code}-{a.n}"
            add(
                id=art_id,
                doc=code,
                kind="article",
                article=a.n,
                paragraph=None,
                item=None,
                subitem=None,
                marker=a.marker,
                text="\n".join(a.lines),
                short=a.marker,
                parent=None,
                chapter=a.chapter,
            )
            if len(a.paragraphs) > 1:
                for k, lines in enumerate(a.paragraphs, 1):
                    add(
                        id=f"{art_id}p{k}",
                        doc=code,
                        kind="paragraph",
                        article=a.n,
                        paragraph=k,
                        item=None,
                        subitem=None,
                        marker="",
                        text="\n".join(lines),
                        short=f"{a.marker}第{int_to_cn(k)}款",
                        parent=art_id,
                        chapter=None,
                    )
            for it in a.items:
                item_id = f"{art_id}.{it.n}"
                add(
                    id=item_id,
                    doc=code,
                    kind="item",
                    article=a.n,
                    paragraph=None,
                    item=it.n,
                    subitem=None,
                    marker=it.marker,
                    text="\n".join(it.lines),
                    short=f"{a.marker}第{it.marker}项",
                    parent=art_id,
                    chapter=None,
                )
                for s in it.subs:
                    add(
                        id=f"{item_id}.{s.n}",
                        doc=code,
                        kind="subitem",
                        article=a.n,
                        paragraph=None,
                        item=it.n,
                        subitem=s.n,
                        marker=s.marker,
                        text="\n".join(s.lines),
                        short=f"{a.marker}第{it.marker}项第{s.marker.rstrip('、')}目",
                        parent=item_id,
                        chapter=None,
                    )
        for f in p.forms:
            add(
                id=f"{code}-F{f.n}",
                doc=code,
                kind="form",
                article=None,
                paragraph=None,
                item=None,
                subitem=None,
                marker=f"附{f.n}",
                text="\n".join(f.lines),
                short=f"附{f.n}《{f.title}》",
                parent=None,
                chapter=None,
                form=f.n,
            )
        for r in rows:
            if r["doc"] == code:
                r["citation"] = title + r["short"]

    children: dict[str, list[str]] = {r["id"]: [] for r in rows}
    for r in rows:
        if r["parent"] is not None:
            children[r["parent"]].append(r["id"])
    ids = set(children)
    units: list[Unit] = []
    for r in rows:
        refs = parse_refs(r["text"], r["doc"], titles)
        bad = [x for x in refs if x not in ids and x not in documents]
        if bad:
            raise ValueError(f"{r['id']}: unresolved cross-references {bad}")
        prefix = _label_prefix(
            r["doc"], r["kind"], r["article"], r["paragraph"], r["item"], r["subitem"], r.get("form")
        )
        label = labels.get(r["id"])
        units.append(
            Unit(
                id=r["id"],
                doc=r["doc"],
                kind=r["kind"],
                article=r["article"],
                paragraph=r["paragraph"],
                item=r["item"],
                subitem=r["subitem"],
                marker=r["marker"],
                text=r["text"],
                citation=r["citation"],
                citation_short=r["short"],
                label_en=f"{prefix} — {label}" if label else prefix,
                parent=r["parent"],
                children=tuple(children[r["id"]]),
                refs=refs,
                chapter=r["chapter"],
            )
        )
    return Registry(documents, tuple(units))
