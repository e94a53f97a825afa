"""决定审查's form (app_pages/review_form.py) headless: a problem decision filled in from blank through the form gets
the same verdicts as its file, one field changed changes the verdict, a bad date is named beside its field with
nothing typed lost, the form saves with versions, a text the form cannot show is still reviewed as text, and the
English switch turns every label of the form English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explain.catalogue import fill
from kb.store import Store

ROOT = Path(__file__).parent.parent
PAGE = str(ROOT / "app_pages" / "review.py")
WRONG_ORGAN = "08-problem-wrong-organ.yaml"


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("AKB_DB", str(tmp_path / "akb.sqlite3"))


def _page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest) -> list[dict]:
    return at.dataframe[0].value.to_dict("records")


def _beside(at: AppTest, key: str) -> list[str]:
    """The error messages drawn right after a widget (before the next widget)."""
    flat, out = [], []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "children", None):
                walk(child)
            else:
                flat.append(child)

    walk(at.main)
    start = next(i for i, e in enumerate(flat) if getattr(e, "key", None) == key)
    for e in flat[start + 1 :]:
        if type(e).__name__ != "Error":
            break
        out.append(e.value)
    return out


def _fill_wrong_organ(at: AppTest) -> None:
    """kb/decisions/08-problem-wrong-organ.yaml, field by field through the form."""
    at.selectbox(key="rf_scenario").set_value("a1-articles-5-to-8.yaml").run()
    at.text_input(key="rf_id").set_value("08-problem-wrong-organ")
    at.text_input(key="rf_title").set_value("关于对韩立军同志问责的决定")
    at.selectbox(key="rf_p0_party").set_value("韩立军")
    at.selectbox(key="rf_p0_event").set_value("事1").run()  # the clauses offered follow the party and event
    assert any(o.startswith("A1-5.3 · ") for o in at.multiselect(key="rf_p0_clauses").options)
    at.multiselect(key="rf_p0_clauses").set_value(["A1-5.3"])
    at.selectbox(key="rf_p0_responsibility").set_value("直接责任")
    at.multiselect(key="rf_p0_circumstances").set_value(["较重"])
    at.multiselect(key="rf_p0_methods").set_value(["停职检查"])
    for role in ("start", "investigate", "approve", "decide"):
        at.selectbox(key=f"rf_organs_{role}").set_value("市纪委")
    at.checkbox(key="rf_organs_collective").check()
    dates = {"decision": "2015-07-06", "effective": "2015-07-06", "service": "2015-07-09", "receipt": "2015-07-09"}
    for field, day in {**dates, "filing": "2015-07-15"}.items():
        at.text_input(key=f"rf_dates_{field}").set_value(day)
    document = {
        "basic_facts": "韩立军，男，市国土资源局党组成员、副局长。",
        "facts": "对市政府违法用地专项整治部署搞变通、打折扣。",
        "basis": "《党政机关工作人员问责暂行办法》第五条第（三）项。",
        "methods": "对韩立军停职检查。",
    }
    for field, value in document.items():
        at.text_area(key=f"rf_document_{field}").set_value(value)
    for field, value in {
        "approving_organ": "中共连云港市纪律检查委员会",
        "effective": "自本决定作出之日起生效。",
        "appeal_period": "自收到本决定书之日起15日内",
        "appeal_organ": "中共连云港市纪律检查委员会",
    }.items():
        at.text_input(key=f"rf_document_{field}").set_value(value)
    at.run()
    assert not at.exception, at.exception


def test_a_problem_decision_filled_in_from_blank_gets_the_verdicts_of_its_file():
    at = _page()
    at.selectbox(key="review_sample").set_value(WRONG_ORGAN).run()
    from_file = table(at)
    at.button(key="rfb_blank").click().run()
    assert at.selectbox(key="rf_p0_party").value is None and at.text_input(key="rf_dates_decision").value == ""
    _fill_wrong_organ(at)
    at.button(key="rfb_review").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("表单生成" in c.value for c in at.caption)  # what is reviewed is the form's text
    assert table(at) == from_file
    (organ,) = [r for r in table(at) if r["结论"] == "问题"]
    assert organ["审查项"] == "决定机关" and organ["条款"] == "A1-20.3"
    assert "而应由中共连云港市委决定" in organ["理由"] and organ["改法"] == "由中共连云港市委作出决定"
    # the form wrote the text, which the text box now holds and the same loader reads
    text = at.text_area(key=f"review_text_{WRONG_ORGAN}").value
    assert "decide: 市纪委" in text and "service: 2015-07-09" in text


def test_changing_one_field_in_the_form_changes_the_verdict():
    at = _page()
    at.selectbox(key="review_sample").set_value(WRONG_ORGAN).run()
    assert at.selectbox(key="rf_organs_decide").value == "市纪委"  # picking a sample fills the form
    assert any(r["结论"] == "问题" for r in table(at))
    at.selectbox(key="rf_organs_decide").set_value("市委")
    at.button(key="rfb_review").click().run()
    assert not at.exception
    assert all(r["结论"].startswith("通过") for r in table(at)) and at.success


def test_a_bad_date_is_named_beside_its_field_and_nothing_typed_is_lost():
    at = _page()
    before = table(at)
    at.text_input(key="rf_dates_service").set_value("2015-13-45")
    at.text_input(key="rf_document_copy_to").set_value("市纪委")
    at.button(key="rfb_review").click().run()
    assert not at.exception
    (beside,) = _beside(at, "rf_dates_service")
    assert "dates\\.service" in beside and "“2015\\-13\\-45”不是日期" in beside and "改法" in beside
    assert "第" not in beside.split("字段")[0]  # no line of a text the user never saw
    assert any("表单有 1 处问题" in e.value for e in at.error)
    assert at.text_input(key="rf_dates_service").value == "2015-13-45"
    assert at.text_input(key="rf_document_copy_to").value == "市纪委"
    assert table(at) == before  # not reviewed: the last result stays
    at.text_input(key="rf_dates_service").set_value("2015-10-12")
    at.button(key="rfb_review").click().run()
    assert not _beside(at, "rf_dates_service") and at.success


def test_a_clause_no_longer_valid_for_the_party_is_kept_and_named_beside():
    at = _page()
    at.selectbox(key="review_sample").set_value("02-correct-d16-party-committee.yaml").run()
    at.selectbox(key="rf_p0_party").set_value("周建国").run()  # a person, not the team: D16-5.4 stays offered
    assert not _beside(at, "rf_p0_clauses")
    at.selectbox(key="rf_p0_party").set_value("市纪委").run()
    assert at.multiselect(key="rf_p0_clauses").value == ["D16-5.4"]
    (beside,) = _beside(at, "rf_p0_clauses")
    assert "D16\\-5\\.4" in beside and "市纪委" in beside


def test_the_form_saves_every_version(tmp_path):
    at = _page()
    at.text_input(key="rfs_name").set_value("表单决定")
    at.button(key="rfb_save").click().run()
    assert any("第 1 版" in s.value for s in at.success)
    at.text_input(key="rf_dates_service").set_value("2015-10-13")
    at.button(key="rfb_save").click().run()
    assert any("第 2 版" in s.value for s in at.success)
    history = Store(tmp_path / "akb.sqlite3").history("decision", "表单决定")
    assert [v.version for v in history] == [1, 2]
    assert "service: 2015-10-12" in history[0].content and "service: 2015-10-13" in history[1].content


def test_a_text_the_form_cannot_show_is_still_reviewed_as_text():
    at = _page()
    key = "review_text_01-correct-staff-written-check.yaml"
    changed = at.text_area(key=key).value.replace("scenario: ../scenarios/", "scenario: ./../scenarios/", 1)
    changed = changed.replace("clauses: [A1-7.2]", "clauses: [D16-5.4]")
    at.text_area(key=key).set_value(changed)
    at.button(key="review_this").click().run()
    assert not at.exception
    assert any("无法在表单中表示" in w.value for w in at.warning)
    assert any("D16\\-5\\.4" in m.value and "陈静" in m.value for m in at.markdown)
    assert at.multiselect(key="rf_p0_clauses").value == ["A1-7.2"]  # the form is left as it was
    rows = table(at)  # … and the text is reviewed all the same
    assert any(r["结论"] == "问题" and r["条款"] == "D16-5.4" for r in rows)
    assert any("文本框" in c.value for c in at.caption)


def test_every_label_of_the_form_is_english():
    at = _page(lang="en")
    at.checkbox(key="rf_p0_discipline").check().run()
    widgets = [*at.selectbox, *at.multiselect, *at.text_input, *at.text_area, *at.checkbox, *at.button]
    labels = [w.label for w in widgets if (w.key or "").startswith(("rf", "review"))]
    labels += [t.label for t in at.tabs] + [e.label for e in at.expander]
    assert len(labels) > 60
    interpretation_names = [w.label for w in at.selectbox if (w.key or "").startswith("rf_interp_")]
    assert not [x for x in labels if re.search(r"[\u4e00-\u9fff]", x) and x not in interpretation_names]
    assert fill("app_review", "f_review", "en") in labels
    methods = at.multiselect(key="rf_p0_methods")
    assert methods.format_func("诫勉谈话") == "诫勉谈话 · Admonishing talk"


def test_what_was_typed_survives_a_visit_to_another_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/review.py").run()
    key = "review_text_01-correct-staff-written-check.yaml"
    at.text_input(key="rf_dates_service").set_value("2015-10-13")
    at.text_area(key=key).set_value(at.text_area(key=key).value + "# 备注\n").run()
    at.switch_page("app_pages/clauses.py").run()
    assert "rf_dates_service" not in at.session_state  # Streamlit dropped the widgets …
    at.switch_page("app_pages/review.py").run()
    assert not at.exception
    assert at.text_input(key="rf_dates_service").value == "2015-10-13"  # … and the page brought them back
    assert at.text_area(key=key).value.endswith("# 备注\n")
