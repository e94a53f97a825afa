"""The app's 情景分析 / Who is liable page, headless (AppTest): the example with its findings and proof graph, a
nested explanation, an interpretation switch and what changed, what-if, why-not on demand, the English switch,
and a bad scenario's problems shown with field and line beside the text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from apptestlib import a_switch_that_changes, rows
from streamlit.testing.v1 import AppTest

from app_pages import common
from app_pages.views import analysis, conclusion_id
from explain.catalogue import fill
from explain.graph import has_dot
from explain.report import build_report
from kb.scenario_io import load_scenario
from reasoning.queries import DUTY_PREDICATES, run

ROOT = Path(__file__).parent.parent
APP = str(ROOT / "app.py")
EXAMPLE = ROOT / "kb" / "scenarios" / "d16-8-chain-three-levels.yaml"


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def _finding_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if " — " in e.label]


@pytest.fixture(scope="module")
def example_report() -> dict:
    report = build_report(run(load_scenario(EXAMPLE)))
    for f in report["findings"]:
        f["row"] = [f["party"], f["responsibility"], f["clause"], f["event"]]
    return report


def test_the_example_opens_with_its_findings_and_the_proof_graph(example_report):
    at = _app()
    labels = _finding_labels(at)
    assert len(labels) == example_report["summary"]["findings"]
    for f in example_report["findings"]:
        assert any(f["party_name"] in x and f["citation"].split("》")[-1] in x for x in labels), f["party_name"]
    graphs = at.get("graphviz_chart")
    assert len(graphs) == 1
    dot = graphs[0].proto.spec
    assert dot.startswith("digraph proof")
    # every liability of the example is a node of the graph, and the chain up the levels is drawn
    for f in example_report["findings"]:
        assert f"liable({f['party']},{f['responsibility']},{f['clause']},{f['event']})" in dot
    assert "S D16" in dot
    # a finding's body is sent only once its expander is opened …
    bodies = "\n".join(m.value for m in at.markdown)
    assert not any(f["clause_text"] in bodies.replace("\\", "") for f in example_report["findings"])
    for e in at.expander:
        if " — " in e.label:
            at.session_state[e.proto.id.rsplit("-", 1)[1]] = True  # the user opens it
    at.run()
    # … and each finding shows its clause text verbatim, and its own address
    bodies = "\n".join(m.value for m in at.markdown)
    for f in example_report["findings"]:
        assert f"]({common.address({'scenario': EXAMPLE.name}, {}, conclusion_id('liable', f['row']))})" in bodies
    for f in example_report["findings"]:
        assert f["clause_text"] in bodies.replace("\\", "")


def test_the_explanation_is_a_tree_that_unfolds_premise_by_premise(example_report):
    at = _app()
    at.radio(key="view").set_value("explain").run()
    assert not at.exception
    tree = next(m.value for m in at.markdown if "akb-tree" in m.value)
    # nested: a <details> opens inside another before it closes, several levels deep
    depth, deepest = 0, 0
    for tag in re.findall(r"</?details", tree):
        depth += 1 if tag == "<details" else -1
        deepest = max(deepest, depth)
    assert depth == 0 and deepest >= 3
    assert 'data-depth="2"' in tree and "margin-left" in tree
    # each step links to its clause on the clauses page
    assert './clauses?clause=D16-5.9"' in tree and './clauses?clause=D16-8.3"' in tree
    # only the conclusion is open at first; "unfold every step" opens them all
    assert tree.count("<details open") == 1
    at.toggle(key="x_open").set_value(True).run()
    tree = next(m.value for m in at.markdown if "akb-tree" in m.value)
    assert tree.count("<details open") == tree.count("<details")
    # every conclusion has its own explanation
    last = example_report["findings"][-1]
    at.selectbox(key="x_row").set_value(conclusion_id("liable", last["row"])).run()
    tree = next(m.value for m in at.markdown if "akb-tree" in m.value)
    assert re.search(r"<summary><b>[^<]*" + re.escape(last["party_name"]), tree)


def test_switching_an_interpretation_shows_what_changed(example_report):
    name, now, other = a_switch_that_changes(EXAMPLE)
    before, after = rows(EXAMPLE), rows(EXAMPLE, {name: other})
    at = _app()
    box = at.selectbox(key=f"interp_{name}")
    assert any(fill("app_labels", "default_mark", "zh") in o for o in box.options)
    box.set_value(other).run()
    assert not at.exception
    # the findings are those of the other reading …
    assert len(_finding_labels(at)) == len(after)
    # … and the page says what changed: each conclusion lost and gained, with why
    changed = "\n".join(m.value for m in at.markdown)
    assert "切换解释选项" in changed and f"{name}: {now} → {other}".replace("_", "\\_") in changed
    assert changed.count("➖ 失去: ") == len(before - after)
    assert changed.count("➕ 新增: ") == len(after - before)
    # switching back returns to the first result, and the diff says the reverse
    at.selectbox(key=f"interp_{name}").set_value(now).run()
    assert len(_finding_labels(at)) == example_report["summary"]["findings"]
    changed = "\n".join(m.value for m in at.markdown)
    assert changed.count("➕ 新增: ") == len(before - after)
    assert changed.count("➖ 失去: ") == len(after - before)


def test_what_if_toggling_a_fact_shows_conclusions_gained_and_lost(example_report):
    at = _app()
    at.radio(key="view").set_value("whatif").run()
    box = at.multiselect(key="wi_off")
    index = next(i for i, o in enumerate(box.options) if "D16-8.3/s1" in o)
    box.set_value([index]).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    # without the one element of the case nothing holds: every finding is lost, each with its reason
    assert text.count("➖ 失去: ") == example_report["summary"]["findings"]
    assert "因为不再有" in text and "D16\\-8\\.3/s1" in text
    # a typo in an added fact is named beside the field
    at.text_area(key="wi_add").set_value("established(案1").run()
    assert at.error and "第1行" in at.error[0].value


def test_why_not_and_almost_and_the_band_are_asked_for_on_demand():
    at = _app()
    at.radio(key="view").set_value("whynot").run()
    assert not any("为什么张强" in m.value for m in at.markdown)  # nothing is computed before it is asked
    at.selectbox(key="wn_party").set_value("张强")
    at.selectbox(key="wn_clause").set_value("D16-5.9")
    next(b for b in at.button if b.label == fill("app_labels", "ask_why_not", "zh")).click().run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "为什么张强不依" in text and "**方式1**" in text and "❌" in text
    at.button(key="ct_go").click().run()
    text = "\n".join(m.value for m in at.markdown)
    assert "现可适用" in text and "第2档" in text
    at.button(key="al_go").click().run()
    assert not at.exception
    assert at.info or any("差" in m.value for m in at.markdown)


def test_the_language_switch_turns_the_page_english(example_report):
    at = _app()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == fill("app_labels", "who_title", "en")
    assert fill("app_labels", "view_findings", "en") in at.radio(key="view").options
    labels = _finding_labels(at)
    assert labels and all("D16 Art." in x for x in labels)
    assert any("principal responsibility" in x for x in labels)
    headings = [m.value for m in at.markdown if m.value.startswith("###")]
    assert headings and not any(re.search(r"[\u4e00-\u9fff]", h) for h in headings if "#### " not in h)


BAD = """scenario: {id: bad, title: 坏情景, as_of: 2016-03-31}
units:
  - {id: 市委, kind: 党组织}
persons:
  - id: 王华
    positions: [{unit: 市委, role: 主要负责人, from: 2013-13-01}]
events: []
"""


def test_a_bad_scenario_shows_every_problem_with_field_and_line_beside_the_text():
    at = _app()
    at.get("file_uploader")[0].upload("bad.yaml", BAD.encode("utf-8"), "application/x-yaml").run()
    assert not at.exception
    assert at.error and "bad.yaml" in at.error[0].value
    issues = [m.value for m in at.markdown if "第" in m.value and "字段" in m.value]
    assert any("第3行" in x and "units\\[0\\]\\.kind" in x for x in issues)
    assert any("第6行" in x and "from" in x for x in issues)
    assert all("改法" in x for x in issues)
    code = at.code[0]
    assert code.value.rstrip("\n") == BAD.rstrip("\n") and code.proto.show_line_numbers
    assert not at.get("graphviz_chart")  # nothing evaluated


def test_an_edited_scenario_keeps_the_text_and_shows_the_problem():
    at = _app()
    text_area = next(t for t in at.text_area if t.key.startswith("edit_"))
    edited = EXAMPLE.read_text(encoding="utf-8").replace("kind: 村", "kind: 村庄", 1)
    text_area.set_value(edited)
    next(b for b in at.button if b.label == fill("app_labels", "apply", "zh")).click().run()
    assert not at.exception
    assert any("kind" in m.value and "改法" in m.value for m in at.markdown)
    assert next(t for t in at.text_area if t.key.startswith("edit_")).value == edited


@pytest.mark.skipif(not has_dot(), reason="graphviz's dot program is not installed")
def test_the_graph_downloads_as_svg():
    at = _app()
    dot = at.get("graphviz_chart")[0].proto.spec
    svg = common.svg(dot)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "中共海州区委" in svg


def test_an_upload_not_in_utf8_is_named_beside_the_upload_and_the_scenario_stays():
    at = _app()
    at.get("file_uploader")[0].upload("gbk.yaml", "scenario: {id: 坏}".encode("gbk"), "application/x-yaml").run()
    assert not at.exception
    assert any("gbk" in e.value and "UTF-8" in e.value and "改法" in e.value for e in at.error)
    assert _finding_labels(at)  # the example is still shown


# -- one address per conclusion (issue 12) ---------------------------------------------------------------------------


def _tree(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "akb-tree" in m.value)


def _opened(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_conclusion_ids_are_stable_and_never_shared():
    assert (
        conclusion_id("liable", ["张强", "主要领导责任", "D16-5.9", "事1"]) == "liable(张强,主要领导责任,D16-5.9,事1)"
    )
    # an argument with a comma or a parenthesis cannot make two conclusions share an id
    assert conclusion_id("p", ["a,b", "c"]) != conclusion_id("p", ["a", "b,c"])
    assert conclusion_id("p", ["a)", "(b"]) == "p(a%29,%28b)"
    # the address percent-encodes the whole id: nothing but ASCII in it
    url = common.address({"scenario": "d16-city-large.yaml"}, {"pursuit_record": "closed_world"}, "liable(张强,x)")
    assert url == (
        "./?scenario=d16-city-large.yaml&reading=pursuit_record:closed_world&conclusion=liable%28%E5%BC%A0%E5%BC%BA%2Cx%29"
    )
    assert url.isascii() and " " not in url


def test_an_address_opens_its_conclusions_tree(example_report):
    last = example_report["findings"][-1]
    cid = conclusion_id("liable", last["row"])
    at = _opened(scenario=EXAMPLE.name, conclusion=cid)
    assert at.radio(key="view").value == "explain"
    assert at.selectbox(key="x_row").value == cid
    tree = _tree(at)
    assert re.search(r"<summary><b>[^<]*" + re.escape(last["party_name"]), tree)
    assert tree.count("<details open") == tree.count("<details") > 1  # opened by address: every step unfolded
    # the page gives the same address back, to copy or to open in a new tab
    link = at.get("link_button")[0].proto.url
    assert link == common.address({"scenario": EXAMPLE.name}, {}, cid)
    assert any(m.value == f"`{link}`" for m in at.markdown)
    assert not at.error


def test_an_address_carries_the_scenario_and_its_readings():
    city = "d16-city-large.yaml"
    name, other = "pursuit_record", "closed_world"  # without a record, a failure to pursue is presumed
    after = rows(ROOT / "kb" / "scenarios" / city, {name: other}) - rows(ROOT / "kb" / "scenarios" / city)
    assert after, "the switch gains a liability"
    gained = sorted(after)[0]
    cid = conclusion_id("liable", gained)
    at = _opened(scenario=city, reading=f"{name}:{other}", conclusion=cid)
    assert at.selectbox(key="sample_pick").value == city
    assert at.selectbox(key=f"interp_{name}").value == other
    assert at.selectbox(key="x_row").value == cid and not at.error
    assert f"reading={name}:{other}" in at.get("link_button")[0].proto.url
    # the same conclusion without the reading does not hold: the page says so instead of failing
    at = _opened(scenario=city, conclusion=cid)
    assert any(cid.split("(")[0] in e.value and "不存在" in e.value for e in at.error)


def test_an_unknown_conclusion_scenario_or_reading_is_named_not_raised():
    at = _opened(scenario=EXAMPLE.name, conclusion="liable(无此人,主要领导责任,D16-5.9,事1)")
    assert not at.exception
    assert any("无此人" in e.value and "不存在" in e.value for e in at.error)
    assert at.selectbox(key="x_row").value  # the first conclusion is explained instead
    # English too, from the one catalogue
    at.radio(key="lang").set_value("en").run()
    assert any("does not hold" in e.value for e in at.error)
    at = _opened(scenario="no-such-scenario.yaml", reading="pursuit_record:nonsense")
    errors = "\n".join(e.value for e in at.error)
    assert "no\\-such\\-scenario" in errors and "pursuit\\_record:nonsense" in errors
    assert _finding_labels(at)  # the example is still shown


def test_every_kind_of_conclusion_has_an_address_that_opens_it():
    kinds = list(dict.fromkeys(x["kind"] for x in analysis(run(load_scenario(EXAMPLE)))["conclusions"]))
    assert kinds == ["liable", "band", "method", "decider", "duty"]
    at = _app()
    at.radio(key="view").set_value("explain").run()
    for kind in kinds:
        at.radio(key="x_kind").set_value(kind).run()
        cid = at.selectbox(key="x_row").value
        assert cid.startswith(kind if kind == "liable" else ("allowed_", "method_", *DUTY_PREDICATES))
        url = at.get("link_button")[0].proto.url
        opened = _opened(**{k: v[0] for k, v in parse_qs(url.split("?", 1)[1]).items()})
        assert opened.selectbox(key="x_row").value == cid and not opened.error
        assert "akb-tree" in _tree(opened)


def test_a_saved_scenario_has_addresses_that_name_its_version(tmp_path, monkeypatch):
    from kb.store import Store

    monkeypatch.setenv("AKB_DB", str(tmp_path / "akb.sqlite3"))
    Store().save("scenario", "我的情景", EXAMPLE.read_text(encoding="utf-8"))
    at = _opened(scenario="我的情景")
    assert at.selectbox(key="sample_pick").value == common.SAVED + "我的情景"
    assert _finding_labels(at) and not at.error
    at.radio(key="view").set_value("explain").run()
    link = at.get("link_button")[0].proto.url
    assert link.startswith("./?scenario=%E6%88%91%E7%9A%84%E6%83%85%E6%99%AF&version=1&conclusion=liable%28")
    # a later save does not change what the address shows: it names version 1
    Store().save("scenario", "我的情景", EXAMPLE.read_text(encoding="utf-8").replace("kind: 村", "kind: 村庄", 1))
    opened = _opened(**{k: v[0] for k, v in parse_qs(link.split("?", 1)[1]).items()})
    assert opened.selectbox(key="x_row").value == at.selectbox(key="x_row").value and not opened.error
    # a version that was never saved is named, and the example stays
    at = _opened(scenario="我的情景", version="7")
    assert any("7" in e.value and "1至2" in e.value for e in at.error) and _finding_labels(at)
    # an uploaded text has no address: the page says how to get one
    at = _app()
    at.get("file_uploader")[0].upload("x.yaml", EXAMPLE.read_bytes(), "application/x-yaml").run()
    at.radio(key="view").set_value("explain").run()
    assert not at.get("link_button")
    assert any(fill("app_address", "no_address", "zh")[:10] in c.value for c in at.caption)


def test_a_large_scenarios_graph_is_drawn_only_once_opened():
    at = _opened(scenario="d16-city-large.yaml")
    assert len(_finding_labels(at)) > 12 and not at.get("graphviz_chart")
    at.session_state["g_open"] = True  # the user opens the graph's expander
    at.run()
    assert len(at.get("graphviz_chart")) == 1 and not at.exception
