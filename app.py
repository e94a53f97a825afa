"""Streamlit app: who bears which responsibility under the three Lianyungang measures, and why.

The entry page: set-up, the language switch (st.session_state["lang"], "zh" by default) and the navigation over
the pages in app_pages/ that are present. Every evaluation runs in a fresh pyDatalog Logic() on the session's own
thread; only pure data is cached (app_pages/common.py), never an engine (ENGINE-NOTES.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from elsewhere still finds app_pages/
    sys.path.insert(0, str(ROOT))

from app_pages.common import LANGS, t  # noqa: E402

# (file in app_pages/, title key in the catalogue, icon); a page is listed only once its file exists
PAGES = (
    ("who", "page_who", ":material/gavel:"),
    ("build", "page_build", ":material/edit_note:"),
    ("trainer", "page_trainer", ":material/school:"),
    ("review", "page_review", ":material/fact_check:"),
    ("clauses", "page_clauses", ":material/menu_book:"),
)


def main() -> None:
    st.set_page_config(page_title="问责办法知识库 Accountability KB", page_icon=":material/gavel:", layout="wide")
    if st.session_state.get("lang") not in LANGS:
        st.session_state["lang"] = "zh"
    st.sidebar.radio(
        "语言 Language", LANGS, format_func=lambda x: {"zh": "中文", "en": "English"}[x], key="lang", horizontal=True
    )
    pages = [
        st.Page(ROOT / "app_pages" / f"{name}.py", title=t(title), icon=icon, default=name == "who")
        for name, title, icon in PAGES
        if (ROOT / "app_pages" / f"{name}.py").exists()
    ]
    st.navigation(pages).run()


main()
