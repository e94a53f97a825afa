"""条文 (app_pages/clauses.py) headless: open a unit by the ?clause= parameter, search by id and by words, follow a
cross-reference; the page shows the verbatim text, the rules, the samples where it fires and its interpretations."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from explain.clause_index import detail, search
from kb.registry import load_registry

PAGE = str(Path(__file__).parent.parent / "app_pages" / "clauses.py")


def test_query_parameter_opens_the_unit_with_everything_known_about_it():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["clause"] = "D16-8.3"
    at.run()
    assert not at.exception
    unit = load_registry().get("D16-8.3")
    assert at.subheader[0].value == unit.citation
    assert any(unit.text in x.value for x in at.text)
    heads = " ".join(m.value for m in at.markdown)
    d = detail("D16-8.3")
    assert d["rules"] and d["fires_in"]
    assert f"编码本条的规则（{len(d['rules'])}）" in heads
    assert f"在示例情景中触发（{len(d['fires_in'])}）" in heads
    assert "listed_elements" in heads
    assert {f["sample"] for f in d["fires_in"]} >= {"d16-8-chain-three-levels.yaml"}


def test_search_by_id_and_by_words():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.text_input(key="clauses_query").input("A1-13").run()
    assert at.subheader[0].value == load_registry().get("A1-13").citation  # an exact id opens the unit
    at.text_input(key="clauses_query").input("带病").run()
    labels = [b.label for b in at.button if b.key and b.key.startswith("open_")]
    assert any(x.startswith("D16-8.3 ") for x in labels)
    at.button(key="open_D16-8.3").click().run()
    assert at.query_params["clause"] == ["D16-8.3"] or at.query_params["clause"] == "D16-8.3"
    assert at.subheader[0].value == load_registry().get("D16-8.3").citation
    assert search("promoted while ill") == [] or "D16-8.3" in search("promoted")


def test_cross_references_link_both_ways():
    d = detail("D16-10")
    assert any(r.startswith("A1") for r in d["refs"]) or d["refs"] == []
    target = next(u for u in load_registry() if u.refs)
    back = detail(target.refs[0])
    assert target.id in back["cited_by"]
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["clause"] = target.id
    at.run()
    at.button(key=f"ref_refs_{target.refs[0]}").click().run()
    assert at.subheader[0].value == load_registry().get(target.refs[0]).citation


def test_unknown_clause_names_the_nearest():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params["clause"] = "D16-5.11"
    at.run()
    assert any("D16-5.1" in e.value for e in at.error)


def test_english_labels():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "en"
    at.query_params["clause"] = "A1-13"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Clauses"
    heads = " ".join(m.value for m in at.markdown)
    assert "Verbatim text" in heads and "Rules that encode it" in heads
    assert at.text_input(key="clauses_query").label == "Search by id or words"
