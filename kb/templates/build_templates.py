"""Build the two .docx templates of 附件1's forms (docxtpl placeholders), with East-Asian fonts set
(w:eastAsia) on every style and run so that Chinese renders in Word and in LibreOffice.

附2 领导班子和领导干部问责决定书（式样）: 文号, 标题 “关于×××的决定”, 第一部分 基本情况, 第二部分 事实、依据、方式和
生效时间, 第三部分 申诉期限及受理机关, 批准机关（印章）, 日期, 抄送. 附1 领导班子和领导干部问责审批表: 拟问责对象,
性别, 年龄, 民族, 单位、职务, 主要问责内容, 承办部门（单位）意见, 审批意见, 附：调查材料.

Run `python -m kb.templates.build_templates` after changing this file; the .docx files are committed."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).parent
FONT_CJK = "宋体"  # Word's SimSun; LibreOffice substitutes a CJK serif (Debian fonts-noto-cjk)
FONT_TITLE = "黑体"
FONT_LATIN = "Times New Roman"


def _fonts(rpr_parent, east_asia: str) -> None:
    """Set ascii, hAnsi and eastAsia fonts on a style's or run's properties."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), FONT_LATIN)
    fonts.set(qn("w:hAnsi"), FONT_LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _doc() -> Document:
    doc = Document()
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        _fonts(style.element, FONT_CJK)
        if name == "Normal":
            style.font.size = Pt(14)
    return doc


def _para(
    doc,
    text: str,
    bold: bool = False,
    center: bool = False,
    right: bool = False,
    size: int | None = None,
    title: bool = False,
):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    _fonts(run._r, FONT_TITLE if title else FONT_CJK)
    return p


def build_decision(path: Path) -> None:
    """附2: the 问责决定书, one document per decision."""
    doc = _doc()
    _para(doc, "领导班子和领导干部问责决定书", bold=True, center=True, size=22, title=True)
    _para(doc, "{{ number }}", center=True)
    _para(doc, "{{ heading }}", bold=True, center=True, size=16, title=True)
    _para(doc, "一、被问责对象的基本情况", bold=True)
    _para(doc, "{{ basic_facts }}")
    _para(doc, "二、问责事实、问责依据、问责方式和生效时间", bold=True)
    _para(doc, "问责事实：{{ facts }}")
    _para(doc, "问责依据：{{ basis }}")
    _para(doc, "{%p for c in clauses %}")
    _para(doc, "{{ c.citation }}：“{{ c.text }}”")
    _para(doc, "{%p endfor %}")
    _para(doc, "问责方式：{{ methods }}")
    _para(doc, "{%p for p in parties %}")
    _para(doc, "{{ p.name }}（{{ p.responsibility }}）：{{ p.methods }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if apology_manner %}")
    _para(doc, "公开道歉的方式：{{ apology_manner }}；范围：{{ apology_scope }}")
    _para(doc, "{%p endif %}")
    _para(doc, "生效时间：{{ effective }}")
    _para(doc, "三、申诉期限及受理机关", bold=True)
    _para(doc, "{{ appeal }}")
    _para(doc, "批准机关：{{ approving_organ }}（印章）", right=True)
    _para(doc, "{{ date_cn }}", right=True)
    _para(doc, "抄送：{{ copy_to }}")
    doc.save(path)


def build_approval(path: Path) -> None:
    """附1: the 问责审批表, one form per party."""
    doc = _doc()
    _para(doc, "领导班子和领导干部问责审批表", bold=True, center=True, size=22, title=True)
    _para(doc, "编号：{{ number }}", right=True)
    table = doc.add_table(rows=6, cols=8)
    table.style = doc.styles["Table Grid"]
    cells = [
        (0, 0, "拟问责对象"),
        (0, 1, "{{ name }}"),
        (0, 2, "性别"),
        (0, 3, "{{ sex }}"),
        (0, 4, "年龄"),
        (0, 5, "{{ age }}"),
        (0, 6, "民族"),
        (0, 7, "{{ ethnicity }}"),
        (1, 0, "单位、职务"),
        (1, 1, "{{ post }}"),
        (2, 0, "主要问责内容"),
        (2, 1, "{{ content }}"),
        (3, 0, "承办部门（单位）意见"),
        (3, 1, "{{ handler_opinion }}　盖章：{{ handler_organ }}　{{ handler_date }}"),
        (4, 0, "审批意见"),
        (4, 1, "{{ approval_opinion }}　盖章：{{ approving_organ }}　{{ approval_date }}"),
        (5, 0, "附：调查材料　　份。"),
    ]
    for row in (1, 2, 3, 4):
        table.cell(row, 1).merge(table.cell(row, 7))
    table.cell(5, 0).merge(table.cell(5, 7))
    for r, c, value in cells:
        cell = table.cell(r, c)
        cell.text = ""
        run = cell.paragraphs[0].add_run(value)
        _fonts(run._r, FONT_CJK)
    _para(doc, "此表由问责实施机关填写，问责决定机关审批。", size=10)
    doc.save(path)


def main() -> None:
    """Write both templates beside this file."""
    build_decision(HERE / "decision.docx")
    build_approval(HERE / "approval.docx")


if __name__ == "__main__":
    main()
