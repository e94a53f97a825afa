"""Streamlit renderers shared by the pages: scenario errors beside the input, the explanation tree, what
changed (diff), why-not, almost and the contrastive band. Wording from the catalogue; what a user wrote escaped."""

from __future__ import annotations

import streamlit as st

from app_pages.common import citation, clause_href, esc, lang, md, pick, t
from explain.catalogue import text
from explain.contrast import shown_changes

# -- scenario errors ---------------------------------------------------------------------------------------------


def scenario_errors(result: dict, source_text: str) -> None:
    """Every problem of a scenario at once (line, field, what, fix) beside the text with its line numbers."""
    left, right = st.columns([1, 1])
    with left:
        st.error(t("input_has_errors", n=len(result["issues"]), file=result["file"]))
        for row in result["issues"]:
            line = row["line"] or "?"
            st.markdown(
                f"**{t('line_field', line=line, field=md(row['field']))}**  \n"
                f"{md(pick(row['what']))}  \n"
                f"➜ {t('fix')}: {md(pick(row['fix']))}"
            )
    with right:
        st.caption(t("your_text"))
        st.code(source_text, language="yaml", line_numbers=True)


# -- explanation tree ---------------------------------------------------------------------------------------------

_TREE_CSS = (
    "<style>.akb-tree details{margin-left:1.4em;border-left:2px solid #d0d4da;padding-left:.6em;margin-top:.25em}"
    ".akb-tree>details{margin-left:0}.akb-tree summary{cursor:pointer}.akb-tree ul{margin:.1em 0 .1em 1.2em}"
    ".akb-tree blockquote{margin:.2em 0 .2em .2em;padding-left:.6em;border-left:3px solid #e0b050;color:#444}"
    ".akb-tree .akb-absent{color:#777}.akb-tree .akb-rule{color:#555;font-size:.92em}</style>"
)


def _node_html(node: dict, depth: int, open_all: bool) -> str:
    reads = esc(pick(node.get("reads")))
    kind = node.get("kind")
    if kind == "see_above":
        return f'<li class="akb-absent">↳ {reads} ({esc(t("seen_above"))})</li>'
    if kind != "rule":
        return f"<li>{reads}</li>"
    rule = node["rule"]
    cite = esc(citation(rule["clause"]))
    link = f'<a href="{clause_href(rule["clause"])}" target="_blank">{cite} [{esc(rule["clause"])}]</a>'
    opened = " open" if open_all or depth == 0 else ""
    parts = [
        f'<details{opened} data-depth="{depth}"><summary><b>{reads}</b> — {link}</summary>',
        f'<div class="akb-rule">{esc(t("rule"))} {esc(rule["id"])}: {esc(pick(rule["gloss"]))}</div>',
        f"<blockquote>{esc(rule['clause_text'])}</blockquote>",
    ]
    items = [_node_html(f, depth + 1, open_all) for f in node.get("facts", [])]
    items += [
        f'<li class="akb-absent">⊘ {esc(t("absent"))}: {esc(pick(a["reads"]))}</li>' for a in node.get("absent", [])
    ]
    if items:
        parts.append(f"<ul>{''.join(items)}</ul>")
    parts += [_node_html(sub, depth + 1, open_all) for sub in node.get("because", [])]
    parts.append("</details>")
    return "".join(parts)


def tree_html(node: dict, open_all: bool = False) -> str:
    """A proof as nested, unfoldable HTML: each premise one level in, each step linked to its clause."""
    return f'{_TREE_CSS}<div class="akb-tree">{_node_html(node, 0, open_all)}</div>'


def proof_clauses(node: dict, out: list[str] | None = None) -> list[str]:
    """The clauses a proof cites, in the order met."""
    out = out if out is not None else []
    if node.get("kind") == "rule":
        if node["rule"]["clause"] not in out:
            out.append(node["rule"]["clause"])
        for sub in node.get("because", []):
            proof_clauses(sub, out)
    return out


# -- what changed -------------------------------------------------------------------------------------------------


def _liability_line(x: dict) -> str:
    resp = pick(x["responsibility_label"])
    return f"{md(x['party_name'])} — {md(resp)} · {citation(x['clause'])} · {t('event')} {md(x['event'])}"


def _because_lines(because: list[dict]) -> list[str]:
    out = []
    for b in because:
        change = t("because_added") if b.get("change") == "added" else t("because_removed")
        reads = b.get("reads") or {}
        out.append(f"    - {change}: {md(pick(reads) or b.get('pred', ''))}")
    return out


def diff(data: dict, title: str) -> None:
    """Conclusions, bands and duties gained and lost between two evaluations, each with why."""
    s = data["summary"]
    st.markdown(f"**{title}**")
    st.caption(
        t(
            "diff_summary",
            gained=s["gained"],
            lost=s["lost"],
            sanctions=s["sanctions_changed"],
            duties_gained=s["duties_gained"],
            duties_lost=s["duties_lost"],
            deadlines=s["deadlines_changed"],
        )
    )
    lines: list[str] = []
    for key, mark in (("gained", "➕"), ("lost", "➖")):
        for x in data["liabilities"][key]:
            lines.append(f"- {mark} {t(key)}: {_liability_line(x)}")
            lines += _because_lines(x["because"])
    for x in data["sanctions"]:
        before = ", ".join((x["before"] or {}).get("allowed_bands", [])) or "—"
        after = ", ".join((x["after"] or {}).get("allowed_bands", [])) or "—"
        lines.append(f"- ⇄ {t('band_changed', party=md(x['party_name']), before=before, after=after)}")
    for key, mark in (("gained", "➕"), ("lost", "➖")):
        for d in data["duties"][key]:
            lines.append(f"- {mark} {t('duty_' + key)}: {md(pick(d['reads']))}")
    for d in data["deadlines"]:
        before = ", ".join(x["date"] or "—" for x in d["before"]) or "—"
        after = ", ".join(x["date"] or "—" for x in d["after"]) or "—"
        lines.append(f"- ⏱ {md(pick(d['reads']))}: {before} → {after}")
    if not lines:
        st.info(t("no_change"))
    else:
        st.markdown("\n".join(lines))


# -- why not, almost, contrast --------------------------------------------------------------------------------------


def _change(item: dict) -> str:
    if item["op"] == "choose":
        return pick(item["op_label"]) + ": " + " | ".join(_change(o) for o in item["options"])
    s = f"{pick(item['op_label'])}: {pick(item['reads'])}"
    if "enter" in item:
        s += f" ({pick(item['enter'])})"
    return s


def why_not(result: dict) -> None:
    """A why-not answer: each way the clause could apply, its conditions, the smallest repairs."""
    st.markdown(f"#### {md(pick(result['title']))}")
    for x in result["liable_now"]:
        resp = pick(text("responsibility", x["responsibility"]))
        st.success(t("already_liable", party=md(result["party_name"]), responsibility=resp, event=md(x["event"])))
    if not result["ways"]:
        st.info(pick(text("whynot", "no_rules", clause=result["clause"])))
    for n, w in enumerate(result["ways"], 1):
        resp = pick(text("responsibility", w["responsibility"])) if w["responsibility"] else "?"
        status = t("way_" + w["status"])
        lines = [
            f"**{t('way', n=n)}** · {t('rule')} {md(w['rule'])} · "
            f"[{citation(w['clause'])}]({clause_href(w['clause'])}) · {md(resp)} — *{status}*",
            f"> {md(pick(w['gloss']))}",
        ]
        for c in w["conditions"]:
            mark = "✅" if c["holds"] else "❌"
            lines.append(f"- {mark} {md(pick(c['reads']))}")
        for r in w["needs_reading"]:
            lines.append(f"- ◇ {t('needs_reading', name=md(r['name']), reading=md(r['reading']))}")
        for i, rep in enumerate(w["repairs"], 1):
            lines.append(f"- {t('repair', n=i, event=md(rep['event'] or '—'))}")
            lines += [f"    - {md(_change(c))}" for c in rep["changes"]]
        st.markdown("\n".join(lines))


def almost(result: dict) -> None:
    """Liabilities one or two facts away, with what each still misses."""
    if not result["entries"]:
        st.info(pick(text("whynot", "almost_none")))
        return
    st.caption(pick(text("whynot", "almost_note")))
    lines = []
    for x in result["entries"]:
        resp = pick(text("responsibility", x["responsibility"]))
        lines.append(
            f"{x['rank']}. {md(x['party_name'])} — {md(resp)} · {citation(x['clause'])} · "
            f"{t('event')} {md(x['event'])}: {t('facts_away', n=x['size'])}"
        )
        for i, rep in enumerate(x["repairs"], 1):
            lines.append(f"    - ({i}) " + "; ".join(md(_change(c)) for c in rep["changes"]))
    st.markdown("\n".join(lines))
    if result["more"]:
        st.caption(t("more_entries", n=result["more"]))


def contrast(data: dict) -> None:
    """For each individual: the band now, why, and the verified changes that would move it."""
    if not data["entries"]:
        st.info(pick(text("whatif", "no_individuals")))
        return
    for x in data["entries"]:
        st.markdown(f"##### {md(x['party_name'])} · {citation(x['clause'])} · {t('event')} {md(x['event'])}")
        lines = []
        bands = x["now"]["bands"]
        if bands:
            lines += [f"- **{pick(text('whatif', 'now'))}**: {md(pick(b['reads']))}" for b in bands]
        else:
            lines.append(f"- **{pick(text('whatif', 'now'))}**: {pick(text('labels', 'no_severity'))}")
        lines.append(f"- **{pick(text('whatif', 'why'))}**:")
        lines += [f"    - {md(pick(w['reads']))}" for w in x["why"]]
        for bucket, items, none in shown_changes(x):
            lines.append(f"- **{pick(text('whatif', bucket))}**:")
            if none is not None:
                lines.append(f"    - {pick(none)}")
            for c in items:
                after = c["after"] or {}
                lines.append(
                    f"    - {md(pick(c['reads']))} → {', '.join(after.get('allowed_bands', [])) or '—'}: "
                    f"{md('、'.join(after.get('methods', [])) or '—')}"
                )
                lines += [f"        - ✎ {md(pick(w))}" for w in c["enter"]]
        st.markdown("\n".join(lines))


def lang_sep() -> str:
    """The list separator of the chosen language."""
    return "、" if lang() == "zh" else ", "
