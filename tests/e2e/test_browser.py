"""End to end in a real browser (Debian's chromium via pytest-playwright) against `streamlit run app.py`: the
researcher, trainer, clause and reviewer flows, and saved work surviving a page
reload and a server restart. Each test saves a screenshot under test-artefacts/."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from browserlib import ROOT, Server, idle, save_shot
from playwright.sync_api import expect

from explain.steps import step_through
from kb.scenario_io import load_scenario

pytestmark = pytest.mark.slow
DEFAULT = "d16-5-team-failure.yaml"  # the trainer's default sample
NO_ERROR = "[data-testid='stException']"


def open_page(page, server, path: str) -> None:
    page.goto(f"{server.url}/{path}")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    idle(page)


def test_researcher_sees_findings_and_the_graph(page, server, shot):
    if not (ROOT / "app_pages" / "who.py").exists():
        pytest.skip("the main page 情景分析 (app_pages/who.py) is not in this checkout")
    open_page(page, server, "")
    finding = page.locator(".st-key-findings [data-testid='stExpander']").filter(has_text="中共海州区委").first
    expect(finding).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stGraphVizChart'] svg").first).to_be_visible(timeout=60_000)
    # a finding's body comes when it is opened, with the link to its own explanation
    finding.locator("summary").click()
    expect(finding.get_by_role("link", name="逐条推理（本结论的地址）")).to_be_visible(timeout=60_000)
    assert page.locator(NO_ERROR).count() == 0


def test_trainer_steps_through_the_events(page, server, shot):
    steps = step_through(load_scenario(ROOT / "kb" / "scenarios" / DEFAULT))["steps"]
    n = len(steps)
    open_page(page, server, "trainer")
    expect(page.get_by_text(f"第 1 步，共 {n} 步")).to_be_visible(timeout=60_000)
    fired = f"新触发的条款（{len(steps[0]['fired'])}）"
    expect(page.get_by_role("heading").filter(has_text=fired)).to_be_visible()
    expect(page.locator("[data-testid='stGraphVizChart'] svg").first).to_be_visible(timeout=60_000)
    page.locator(".st-key-trainer_next [data-testid^='stBaseButton']").click()
    idle(page)
    expect(page.get_by_text(f"第 2 步，共 {n} 步")).to_be_visible()
    page.locator(".st-key-trainer_next [data-testid^='stBaseButton']").click()
    idle(page)
    expect(page.get_by_text(f"第 3 步，共 {n} 步")).to_be_visible()
    page.locator(".st-key-trainer_prev [data-testid^='stBaseButton']").click()
    idle(page)
    expect(page.get_by_text(f"第 2 步，共 {n} 步")).to_be_visible()
    graph = page.locator("[data-testid='stGraphVizChart'] svg").first
    expect(graph).to_be_visible(timeout=60_000)
    graph.scroll_into_view_if_needed()
    save_shot(page, "trainer_step_2_graph")
    # classroom: hide the answer, the clauses fired disappear, the facts stay
    page.locator(".st-key-trainer_reveal [data-testid='stCheckbox'] label, .st-key-trainer_reveal label").first.click()
    idle(page)
    expect(page.get_by_text("答案已隐藏", exact=False)).to_be_visible()
    expect(page.get_by_role("heading").filter(has_text="新成立的事实")).to_be_visible()
    expect(page.get_by_role("heading").filter(has_text="新触发的条款")).to_have_count(0)
    assert page.locator(NO_ERROR).count() == 0


def test_clause_opens_by_address_and_search(page, server, shot):
    open_page(page, server, "clauses?clause=D16-8.3")
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("《党风廉政建设责任追究暂行办法》第八条第（三）项").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading").filter(has_text="在示例情景中触发")).to_be_visible(timeout=60_000)
    box = page.locator(".st-key-clauses_query input")
    box.fill("问责的方式")
    box.press("Enter")
    idle(page)
    expect(page.locator(".st-key-open_A1-13")).to_be_visible()
    assert page.locator(NO_ERROR).count() == 0


def choose(page, key: str, option: str) -> None:
    """Pick an option of a selectbox (a combobox) by its shown text, and wait for the run it starts."""
    idle(page)
    box = page.locator(f".st-key-{key} input[role='combobox']")
    box.click()
    box.fill(option)  # typing filters the list down to the option
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)


def download(page, key: str) -> bytes:
    """Click a download button and return what the browser receives."""
    with page.expect_download() as caught:
        page.locator(f".st-key-{key} button").click()
    idle(page)  # a download button reruns the app
    return Path(caught.value.path()).read_bytes()


def test_conclusion_opens_by_address(page, server, shot):
    if not (ROOT / "app_pages" / "who.py").exists():
        pytest.skip("the main page 情景分析 (app_pages/who.py) is not in this checkout")
    from app_pages.common import address
    from app_pages.views import conclusion_id

    # a liability of the city sample that holds only under the closed-world reading of pursuit records
    cid = conclusion_id("liable", ("沈国栋", "监督责任", "D16-7.7", "案2"))
    url = address({"scenario": "d16-city-large.yaml"}, {"pursuit_record": "closed_world"}, cid)
    assert "%E6%B2%88" in url  # the Chinese of the id is percent-encoded
    open_page(page, server, url.removeprefix("./"))
    main = page.locator("[data-testid='stMain']")
    tree = main.locator(".akb-tree").first
    expect(tree).to_be_visible(timeout=60_000)
    expect(tree.locator("summary").first).to_contain_text("沈国栋")
    # opened by address: every step of the tree is unfolded, and each links to its clause
    assert tree.locator("details").count() == tree.locator("details[open]").count() > 1
    expect(tree.locator("a[href*='clauses?clause=D16-7.7']").first).to_be_attached()
    # the page gives the conclusion's own address back, to copy or open in a new tab
    code = main.locator("[data-testid='stMarkdownContainer'] code").filter(has_text="conclusion=").first
    expect(code).to_be_visible()
    assert code.inner_text().replace("\n", "").strip() == f"{server.url}/{url.removeprefix('./')}"
    expect(page.get_by_text("Page not found")).to_have_count(0)
    tree.locator("summary").first.scroll_into_view_if_needed()  # the screenshot shows the tree
    assert page.locator(NO_ERROR).count() == 0 and page.locator("[data-testid='stAlertContentError']").count() == 0


def test_reviewer_flow(page, server, shot):
    """Pick a problem decision, see its verdict, download the receipt and the documents, change the deciding organ
    through the form, review again and see the verdict change."""
    open_page(page, server, "review")
    choose(page, "review_sample", "08-problem-wrong-organ.yaml")
    table = page.locator("[data-testid='stDataFrame']")
    wrong = "由中共连云港市纪律检查委员会决定，而应由中共连云港市委决定"
    expect(table.locator("td").filter(has_text=wrong)).to_have_count(1, timeout=60_000)
    expect(page.get_by_text("问题1项，无法判断0项，通过9项")).to_be_visible()
    # the form follows the sample: the deciding organ it names is the one the verdict objects to
    decide = page.locator(".st-key-rf_organs_decide input[role='combobox']")
    expect(decide).to_have_value("市纪委（中共连云港市纪律检查委员会）")
    receipt = json.loads(download(page, "review_receipt"))
    sample = (ROOT / "kb" / "decisions" / "08-problem-wrong-organ.yaml").read_bytes()
    assert receipt["decision_sha256"] == hashlib.sha256(sample).hexdigest()
    assert {(v["check"], v["verdict"]) for v in receipt["verdicts"] if v["verdict"] != "pass"} == {("organ", "problem")}
    with zipfile.ZipFile(io.BytesIO(download(page, "review_documents"))) as documents:
        names = documents.namelist()
        assert names and all(n.endswith(".docx") for n in names)
        assert all(documents.getinfo(n).file_size > 0 for n in names)
    choose(page, "rf_organs_decide", "市委（中共连云港市委）")
    page.locator(".st-key-rfb_review button").click()
    idle(page)
    expect(page.get_by_text("问题0项，无法判断0项，通过10项")).to_be_visible(timeout=60_000)
    expect(table.locator("td").filter(has_text=wrong)).to_have_count(0)
    expect(page.get_by_text("审查对象：表单生成的决定文本")).to_be_visible()
    assert page.locator(NO_ERROR).count() == 0
    table.scroll_into_view_if_needed()  # the screenshot shows the verdicts after the change


def test_saved_scenario_survives_reload_and_restart(page, tmp_path):
    srv = Server(tmp_path / "akb.sqlite3").start()
    try:
        open_page(page, srv, "build")
        unit = page.locator(".st-key-unit_id input")
        unit.fill("浏览器区")
        unit.press("Enter")
        idle(page)
        page.locator(".st-key-unit_add [data-testid^='stBaseButton']").click()
        idle(page)
        name = page.locator(".st-key-build_save_name input")
        name.fill("浏览器情景")
        name.press("Enter")
        idle(page)
        page.locator(".st-key-build_save [data-testid^='stBaseButton']").click()
        idle(page)
        expect(page.get_by_text("已保存“浏览器情景”第 1 版。")).to_be_visible()

        def still_there() -> None:
            expect(page.locator(".st-key-build_saved_name").get_by_role("combobox")).to_have_value(
                "浏览器情景", timeout=60_000
            )
            page.locator(".st-key-build_open_saved [data-testid^='stBaseButton']").click()
            idle(page)
            expect(page.locator("[data-testid='stCode']").filter(has_text="浏览器区").first).to_be_attached()

        page.reload()
        idle(page)
        still_there()
        srv.stop()
        srv.start()
        open_page(page, srv, "build")
        still_there()
        assert page.locator(NO_ERROR).count() == 0
    finally:
        save_shot(page, "test_saved_scenario_survives_reload_and_restart")
        srv.stop()
