"""The reviewer on the sample decisions (kb/decisions/): each verdict and its reason, the band function read
from A1-14p1's own words, and the verdicts that change under another reading."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kb.decision_schema import load_decision
from kb.registry import load_registry
from reasoning.review import review
from reasoning.review.bands import a1_14p1_band, allowed_bands, d16_9_level

DECISIONS = Path(__file__).resolve().parent.parent / "kb" / "decisions"


@cache
def verdicts(name: str, alternatives: bool = False) -> list:
    """The review's verdicts for one sample (cached: pure data keyed by the file)."""
    path = next(DECISIONS.glob(name + ".*"))
    return review(load_decision(path), alternatives=alternatives)["verdicts"]


def problems(name: str) -> list[tuple]:
    return [(v.check, v.party, v.clause, v.reason) for v in verdicts(name) if v.verdict == "problem"]


def test_at_least_twelve_samples_and_each_names_an_existing_scenario():
    files = sorted(p for p in DECISIONS.iterdir() if p.suffix in (".yaml", ".json"))
    assert len(files) >= 12
    for f in files:
        loaded = load_decision(f)
        assert loaded.scenario.scenario.id


@pytest.mark.parametrize(
    "name",
    [
        "01-correct-staff-written-check",
        "02-correct-d16-party-committee",
        "03-correct-a2-team-and-leaders",
        "16-correct-json-township",
    ],
)
def test_correct_decisions_pass_every_check(name):
    vs = verdicts(name)
    assert vs and all(v.verdict == "pass" for v in vs), [(v.check, v.reason) for v in vs if v.verdict != "pass"]
    checks = {v.check for v in vs}
    assert {"clause", "responsibility", "band", "organ", "service", "contents", "missing_party"} <= checks


def test_clause_that_does_not_fire_gets_the_why_not():
    assert problems("04-problem-clause-not-triggered") == [("clause", "崔明远", "A1-6.2", "clause_not_triggered")]
    v = next(v for v in verdicts("04-problem-clause-not-triggered") if v.check == "clause")
    assert v.params["other_clauses"] == ["A1-6.3"] and v.fix == "fix_use_clause"
    ways = v.evidence["why_not"]["ways"]
    assert ways and all(w["clause"].startswith("A1-6.2") for w in ways)
    assert any(w["repairs"] for w in ways)  # the facts that would make it apply


def test_wrong_responsibility_type_under_a2_2p2():
    assert problems("05-problem-wrong-responsibility-type") == [("responsibility", "王磊", "A2-2p2", "type_differs")]
    v = next(v for v in verdicts("05-problem-wrong-responsibility-type") if v.reason == "type_differs")
    assert v.params["stated"] == "主要领导责任" and v.params["derived"] == ["重要领导责任"]


def test_method_above_the_band():
    assert problems("06-problem-method-above-band") == [("band", "崔明远", "A1-14p1", "method_above_band")]
    v = next(v for v in verdicts("06-problem-method-above-band") if v.check == "band")
    assert v.params["base_band"] == 1 and v.params["over"] == ["免职"] and v.fix_params == {"allowed": [1]}


def test_band_reached_on_severity_word_alone():
    assert problems("07-problem-band-on-severity-word") == [("band", "韩立军", "A1-14p1", "band3_on_severity_word")]


def test_wrong_organ():
    assert problems("08-problem-wrong-organ") == [("organ", "韩立军", "A1-20.3", "organ_wrong")]
    v = next(v for v in verdicts("08-problem-wrong-organ") if v.check == "organ")
    assert v.params["expected"] == ["市委"] and v.params["decided_by"] == "市纪委"


def test_suspension_without_collective_deliberation():
    assert problems("09-problem-suspension-without-collective") == [
        ("collective", "韩立军", "A1-20.3", "collective_missing")
    ]


def test_late_service_across_national_day_with_makeup_saturday():
    assert problems("10-problem-late-service-holiday") == [("service", None, "A1-24", "service_late")]
    v = next(v for v in verdicts("10-problem-late-service-holiday") if v.check == "service")
    assert v.params["due"] == "2015-10-14" and v.params["served"] == "2015-10-15"
    assert "2015-10-10" in v.params["makeup_workdays"] and "2015-10-07" in v.params["holidays"]


def test_appeal_decided_by_the_original_handler():
    assert problems("11-problem-appeal-original-handler") == [("appeal_handler", None, "A1-27", "appeal_same_handler")]
    ok = {v.check: v.reason for v in verdicts("11-problem-appeal-original-handler")}
    assert ok["appeal_filed"] == "appeal_in_time" and ok["appeal_decided"] == "appeal_decided_in_time"


def test_missing_a1_23_contents_and_apology():
    v = next(v for v in verdicts("12-problem-missing-contents") if v.reason == "contents_missing")
    assert v.params["fields"] == ["effective", "appeal_organ", "apology_manner", "apology_scope"]
    assert [p[3] for p in problems("12-problem-missing-contents")] == ["contents_missing"]


def test_missing_party_under_dual_investigation():
    found = problems("13-problem-missing-dual-investigation")
    assert ("missing_party", "市住建局纪检组", "D16-8", "missing_dual_investigation") in found
    v = next(v for v in verdicts("13-problem-missing-dual-investigation") if v.party == "市住建局纪检组")
    assert v.evidence["liable"][0][1] == "监督责任"
    assert all(p[0] == "missing_party" for p in found)


def test_upward_chain_party_on_a_recorded_non_pursuit():
    found = problems("14-problem-chain-party-left-out")
    assert ("missing_party", "沈涛", "A2-9", "missing_non_pursuit") in found
    assert all(p[0] == "missing_party" for p in found)


def test_missing_principal_under_a2_2p2():
    assert problems("15-problem-missing-principal") == [("missing_party", "刘卫国", "A2-2p2", "missing_principal")]


def test_verdicts_list_interpretations_and_changes_under_other_readings():
    vs = verdicts("01-correct-staff-written-check", alternatives=True)
    clause = next(v for v in vs if v.check == "clause")
    assert "listed_elements" in clause.interpretations
    assert {
        "interpretation": "listed_elements",
        "reading": "all",
        "verdict": "problem",
        "reason": "clause_not_triggered",
    } in clause.changes
    band = next(v for v in vs if v.check == "band")
    assert "modifier_effect" in band.interpretations


def test_chain_party_depends_on_pursuit_record():
    vs = verdicts("14-problem-chain-party-left-out", alternatives=True)
    shen = next(v for v in vs if v.party == "沈涛")
    # recorded 未追究: the liability stands under either reading of pursuit_record
    assert not any(c["interpretation"] == "pursuit_record" for c in shen.changes)


def test_band_function_reads_a1_14p1():
    text = load_registry().get("A1-14p1").text
    assert "群众反映强烈、造成恶劣影响的，按照第十三条第（八）、（九）、（十）项方式问责" in text
    assert "严重" not in text  # the third band does not rest on a severity word
    assert a1_14p1_band(["较轻"]).band == 1
    assert a1_14p1_band(["较重"]).band == 2
    assert a1_14p1_band(["较重", "群众反映强烈", "造成恶劣影响"]).band == 3
    assert a1_14p1_band(["群众反映强烈"]).band is None
    b = a1_14p1_band(["较重", "情节严重"])
    assert b.band == 2 and b.severity_word_only
    assert a1_14p1_band(["情节严重"]).band is None
    assert allowed_bands(2, True, False, "usual") == (1, 2)
    assert allowed_bands(2, True, True, "within_band") == (2,)
    assert d16_9_level(["情节严重", "造成恶劣影响"]).band == 2
    assert d16_9_level(["情节严重"]).band is None


def _variant(name: str, *replacements: tuple[str, str]) -> list:
    """Review a sample decision with some text replaced (given with its scenario as texts, as the app would)."""
    from kb.decision_schema import load_decision_texts

    path = next(DECISIONS.glob(name + ".*"))
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    loaded = load_decision(path)
    scenario_text = Path(loaded.scenario_path).read_text(encoding="utf-8")
    return review(load_decision_texts(text, scenario_text, name), alternatives=False)["verdicts"]


def test_method_below_the_band_is_a_note():
    vs = _variant("09-problem-suspension-without-collective", ("methods: [停职检查]", "methods: [诫勉谈话]"))
    band = next(v for v in vs if v.check == "band")
    assert (band.verdict, band.reason, band.note) == ("pass", "method_below_band", True)
    assert band.params["under"] == ["诫勉谈话"] and band.params["allowed"] == [2]
    assert not any(v.check == "collective" for v in vs)  # methods 1–4 need no collective deliberation


def test_mitigation_opens_the_band_below_under_the_usual_reading():
    vs = _variant(
        "09-problem-suspension-without-collective",
        ("methods: [停职检查]", "methods: [诫勉谈话], mitigating: [A1-15.2]"),
    )
    band = next(v for v in vs if v.check == "band")
    assert band.reason == "method_in_band" and band.params["allowed"] == [1, 2]
    claim = next(v for v in vs if v.check == "circumstance")
    assert (claim.verdict, claim.reason) == ("problem", "circumstance_not_established")


def test_team_reorganisation_above_d16_9_and_beyond_a1_14p2():
    vs = _variant(
        "02-correct-d16-party-committee", ("team_measures: [书面检查, 通报批评]", "team_measures: [组织调整]")
    )
    band = next(v for v in vs if v.check == "band" and v.party == "灌云县委")
    assert (band.verdict, band.clause, band.reason) == ("problem", "D16-9", "team_above_band")
    vs = _variant(
        "03-correct-a2-team-and-leaders",
        (
            "responsibility: 集体责任, circumstances: [较轻], methods: [通报批评]",
            "responsibility: 集体责任, circumstances: [较轻], methods: [免职]",
        ),
    )
    band = next(v for v in vs if v.check == "band" and v.party == "锦屏镇")
    assert (band.verdict, band.clause, band.reason) == ("problem", "A1-14p2", "team_beyond_collective")


def test_discipline_flag_needs_a_sanction_by_the_discipline_organ():
    base = "event: 事1, clauses: [D16-5.4], responsibility: 主要领导责任, circumstances: [较重], methods: [停职检查]}"
    vs = _variant("02-correct-d16-party-committee", (base, base.replace("事1", "事2").replace("D16-5.4", "D16-5.1")))
    v = next(v for v in vs if v.check == "discipline" and v.party == "周建国")
    assert (v.verdict, v.clause, v.reason) == ("problem", "A1-4", "discipline_missing")
    fixed = (
        base.replace("事1", "事2")
        .replace("D16-5.4", "D16-5.1")
        .replace("methods: [停职检查]}", "methods: [停职检查], discipline: {sanction: 党内严重警告, by: 市纪委}}")
    )
    vs = _variant("02-correct-d16-party-committee", (base, fixed))
    v = next(v for v in vs if v.check == "discipline" and v.party == "周建国")
    assert (v.verdict, v.reason) == ("pass", "discipline_apart")


def test_largest_sample_covers_both_sides_and_names_the_recorded_non_pursuit():
    vs = verdicts("17-large-township-dual-investigation", alternatives=True)
    found = [v for v in vs if v.verdict == "problem"]
    assert all(v.reason == "missing_non_pursuit" for v in found)
    assert {"东海县委", "东海县纪委"} <= {v.party for v in found}
    county = next(v for v in found if v.party == "东海县委")
    assert county.params["liable_clause"] == ["D16-5.9"] and county.params["decided_by"] == ["市委"]
    # the county's non-pursuit is recorded (不追5): it stands under either reading of pursuit_record
    assert not any(c["interpretation"] == "pursuit_record" for c in county.changes)
    band = {v.party: v.reason for v in vs if v.check == "band"}
    assert band == {"桃林镇党委": "team_in_band", "桃林镇纪委": "team_collective_ok"}
    assert not any(v.reason == "missing_dual_investigation" for v in vs)


SCENARIO_A1_22 = """
scenario: {id: a1-22, title: 纪委干部推诿, as_of: 2015-12-31}
units:
  - {id: 连云港市, kind: 地区}
  - {id: 市委, kind: 党委, answers_for: 连云港市}
  - {id: 市纪委, kind: 纪委, answers_for: 连云港市}
persons:
  - id: 王强
    positions: [{unit: 市纪委, role: 一般工作人员, title: 科员, rank: 科员, from: 2012-01-01}]
events:
  - {type: finding, id: 事1, date: 2015-08-20, subject: 王强, severity: 较重,
     elements: [A1-7.2/s1, A1-7.2/c1, A1-7.2/c4, A1-7.2/q1]}
"""

DECISION_A1_22 = """
decision: {id: a1-22, title: 关于对王强同志问责的决定, scenario: s.yaml}
parties:
  - {party: 王强, event: 事1, clauses: [A1-7.2], responsibility: 直接责任, circumstances: [较重], methods: [停职检查]}
organs: {decide: 市纪委, collective: false, consent: CONSENT}
dates: {decision: 2015-09-10}
"""


def test_a1_22_needs_consent_for_suspension_of_discipline_staff():
    from kb.decision_schema import load_decision_texts

    for consent, expected in (("false", ("problem", "consent_missing")), ("true", ("pass", "consent_given"))):
        loaded = load_decision_texts(DECISION_A1_22.replace("CONSENT", consent), SCENARIO_A1_22)
        vs = review(loaded, alternatives=False)["verdicts"]
        organ = next(v for v in vs if v.check == "organ")
        assert (organ.clause, organ.verdict) == ("A1-22", "pass")
        v = next(v for v in vs if v.check == "consent")
        assert (v.verdict, v.reason) == expected


def test_a_missing_party_is_decided_by_the_organ_the_report_names():
    """The reviewer's missing party and the report name the same deciding organ (Evaluation.decided_by): under
    A2-9 the upper discipline organ ("由上级纪检监察机关或组织人事部门对其主要负责人实施问责"), which the reviewer
    had replaced by the committee that manages the organ."""
    from explain.report import build_report

    result = review(load_decision(DECISIONS / "14-problem-chain-party-left-out.yaml"))
    missing = [v for v in result["verdicts"] if v.reason == "missing_non_pursuit"]
    assert {v.party for v in missing} == {"沈涛", "蒋政"}
    report = build_report(result["evaluation"], proofs=False)
    for v in missing:
        said = {
            o for f in report["findings"] if f["party"] == v.party and f["clause"] == "A2-9" for o in f["decided_by"]
        }
        assert v.params["decided_by"] == sorted(said) and said <= {"灌南县纪委", "市纪委"}
