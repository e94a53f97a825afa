"""条文 / Clauses: browse and search the three measures by id or words; one unit shows its verbatim text, the rules
that encode it, the bundled samples where it fires, its cross-references (both ways), overlaps and interpretations.
The `clause` query parameter opens a unit (the main page links proof steps to ?clause=ID)."""

from __future__ import annotations

import streamlit as st

from explain.catalogue import fill, text
from explain.clause_index import detail, search
from kb.registry import load_registry

lang = st.session_state.get("lang", "zh")


def t(key: str, *args, **params) -> str:
    """This page's wording in the chosen language."""
    return fill("pages_clauses", key, lang, *args, **params)


@st.cache_data(show_spinner=False, max_entries=512)
def unit_detail(unit_id: str) -> dict:
    """Everything about one unit (pure data; where it fires in the samples is worked out once per process by
    explain/clause_index.sample_firings)."""
    return detail(unit_id)


def open_unit(unit_id: str) -> None:
    """Open a unit: the query parameter carries it, so the address can be shared and reloaded."""
    st.query_params["clause"] = unit_id


def heading(u) -> str:
    label = u.label_en if lang == "en" and u.label_en else u.citation_short
    return f"{u.id} · {label}"


def show_detail(d: dict) -> None:
    reg = load_registry()
    st.subheader(d["citation"])
    if lang == "en" and d["label_en"]:
        st.caption(d["label_en"])
    path = " › ".join(a["id"] for a in reversed(d["ancestors"]))
    if path:
        st.caption(f"{t('within')} {path}")
    st.markdown(f"#### {t('verbatim')}")
    st.text(d["text"])
    if d["children"]:
        with st.expander(t("children", n=len(d["children"]))):
            for c in d["children"]:
                st.markdown(f"**{c['id']}** {c['citation']}")
                st.text(c["text"])
    refs = [("refs", d["refs"]), ("cited_by", d["cited_by"])]
    for key, ids in refs:
        if ids:
            st.markdown(f"#### {t(key, n=len(ids))}")
            cols = st.columns(min(4, len(ids)))
            for i, rid in enumerate(ids):
                cols[i % len(cols)].button(
                    rid, key=f"ref_{key}_{rid}", on_click=open_unit, args=(rid,), help=reg.get(rid).citation
                )
    st.markdown(f"#### {t('rules', n=len(d['rules']))}")
    if not d["rules"]:
        st.caption(t("no_rules"))
    for r in d["rules"]:
        with st.expander(f"{r['id']} — {r['gloss'][lang] or r['gloss']['zh']}"):
            st.code(r["rule"], language="prolog")
    st.markdown(f"#### {t('fires_in', n=len(d['fires_in']))}")
    if not d["fires_in"]:
        st.caption(t("fires_nowhere"))
    else:
        rows = [
            {
                t("col_sample"): f["sample"],
                t("col_party"): f["party_name"],
                t("col_responsibility"): text("responsibility", f["responsibility"])[lang],
                t("col_clause"): f["clause"],
                t("col_event"): f["event"],
            }
            for f in d["fires_in"]
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
    if d["interpretations"]:
        st.markdown(f"#### {t('interpretations', n=len(d['interpretations']))}")
        for i in d["interpretations"]:
            with st.container(border=True):
                st.markdown(f"**{i['name']}** — {i[lang]}")
                for name, reading in i["readings"].items():
                    mark = f" ({t('default')})" if name == i["default"] else ""
                    st.markdown(f"- `{name}`{mark}: {reading.get(lang) or reading['zh']}")
    if d["overlaps"]:
        st.markdown(f"#### {t('overlaps', n=len(d['overlaps']))}")
        for o in d["overlaps"]:
            st.markdown(f"- **{o['a']}** ↔ {'、'.join(o['b'])}: {o.get(lang) or o['zh']}")


def main() -> None:
    st.title(t("title"))
    st.caption(t("intro"))
    reg = load_registry()
    docs = list(reg.documents)
    c1, c2 = st.columns([3, 1])
    query = c1.text_input(t("search"), key="clauses_query", placeholder=t("search_hint"))
    doc = c2.selectbox(
        t("document"),
        ["*", *docs],
        format_func=lambda d: t("all_documents") if d == "*" else reg.documents[d].citation_title,
        key="clauses_doc",
    )
    found = search(query, None if doc == "*" else doc)
    wanted = st.query_params.get("clause")
    if wanted and wanted not in reg:
        st.error(t("unknown", id=wanted, near="、".join(reg.nearest(wanted)) or "—"))
        wanted = None
    if query.strip() and not wanted and len(found) >= 1 and found[0].lower() == query.strip().lower():
        wanted = found[0]
    left, right = st.columns([1, 2])
    with left:
        st.caption(t("results", n=len(found)))
        if not found:
            st.info(t("no_results"))
        for uid in found[:100]:
            left.button(
                heading(reg.get(uid)),
                key=f"open_{uid}",
                on_click=open_unit,
                args=(uid,),
                type="primary" if uid == wanted else "secondary",
                width="stretch",
            )
        if len(found) > 100:
            st.caption(t("more_results", n=len(found) - 100))
    with right:
        if wanted:
            with st.spinner(t("loading")):
                show_detail(unit_detail(wanted))
        else:
            st.info(t("pick_one"))


main()
