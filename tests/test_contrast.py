"""Contrastive sanction on the samples: the band allowed, its reasons, and verified moves lighter and heavier."""

from __future__ import annotations

import json
from pathlib import Path

from akb.cli import main
from explain.contrast import Verifier, candidates, contrast, render
from kb.scenario_io import load_scenario
from reasoning.engine import evaluate
from reasoning.queries import run

SCENARIOS = Path(__file__).resolve().parent.parent / "kb" / "scenarios"


def sample(name: str, **chosen):
    return run(load_scenario(SCENARIOS / name), chosen or None)


def entry(data: dict, clause: str, event: str) -> dict:
    return next(x for x in data["entries"] if (x["clause"], x["event"]) == (clause, event))


def moves(items: list[dict]) -> dict[tuple, list[str]]:
    """(kind, clause) → bands allowed after the change."""
    return {(c["kind"], c["clause"]): c["after"]["allowed_bands"] for c in items}


def test_aggravated_repeat_offender():
    """a1-repeat-offender 事3: 较重 → band 2; A1-16.1.1 (two situations) and A1-16.1.2 (twice within a year)
    open band 3 under modifier_effect=usual."""
    data = contrast(sample("a1-repeat-offender.yaml"), "孙志强")
    x = entry(data, "A1-10.5", "事3")
    assert x["now"]["allowed_bands"] == ["2", "3"]
    assert x["now"]["methods"] == ["停职检查", "调离岗位", "引咎辞职", "责令辞职", "免职", "降职"]
    why = {w["kind"]: w for w in x["why"]}
    assert why["severity"]["severity"] == "较重" and why["severity"]["band"] == "2"
    assert {w["clause"] for w in x["why"] if w["kind"] == "aggravating"} == {"A1-16.1.1", "A1-16.1.2"}
    assert why["no_mitigating"]
    bands = {w["band"]: w["rule"] for w in x["why"] if w["kind"] == "band"}
    assert bands == {"2": "A1-14p1/allowed", "3": "A1-16/heavier_band"}
    assert why["interpretation"]["reading"] == "usual"
    assert "第十四条第一款" in why["severity"]["reads"]["zh"]

    lighter = moves(x["lighter"])
    assert lighter[("severity", "A1-14p1")] == ["1", "2"]  # 较轻: band 1, raised one band by the aggravation
    assert lighter[("mitigating", "A1-15.2")] == ["1", "2", "3"]  # A1-15 opens the band below
    assert lighter[("reading", "A1-14p1")] == ["2"]  # within_band: the modifiers stay in band 2
    assert moves(x["heavier"]) == {("severity", "A1-14p1"): ["3"]}
    # the A1-16 elements change nothing: band 3 is already open
    assert {c["clause"] for c in x["no_effect"]} >= {"A1-16.1.3", "A1-16.1.4"}
    # each move is worded as something to enter
    sev = next(c for c in x["lighter"] if c["kind"] == "severity")
    assert sev["enter"][0]["zh"].startswith("将事件事3的情节由“较重”改为“较轻”")
    mit = next(c for c in x["lighter"] if c["clause"] == "A1-15.2")
    assert [a["args"] for a in mit["changes"]["add"]] == [["事3", "A1-15.2/c1"], ["事3", "A1-15.2/c2"]]


def test_minor_case_ways_up():
    """a1-deadline-national-day: 陈静, 较轻, band 1 (the lightest); heavier by severity, an A1-16 element,
    two more records within the year (A1-16.1.2) or a second situation (A1-16.1.1)."""
    data = contrast(sample("a1-deadline-national-day.yaml"))
    (x,) = data["entries"]
    assert x["now"]["allowed_bands"] == ["1"]
    assert x["lighter"] == [] and x["floor"]["zh"].startswith("第1档已是最轻一档")
    heavier = moves(x["heavier"])
    assert heavier[("severity", "A1-14p1")] == ["2"]
    assert heavier[("aggravating", "A1-16.1.4")] == ["1", "2"]
    assert heavier[("repeat", "A1-16.1.2")] == ["1", "2"]
    assert heavier[("two_situations", "A1-16.1.1")] == ["1", "2"]
    repeat = next(c for c in x["heavier"] if c["kind"] == "repeat")
    assert len(repeat["changes"]["records"]) == 2 and repeat["after"]["aggravating"] == ["A1-16.1.2"]
    # the reading of modifier_effect cannot open a lighter band without a mitigating circumstance
    assert ("reading", "A1-14p1") in {(c["kind"], c["clause"]) for c in x["no_effect"]}


def test_within_band_reading_keeps_the_band():
    """Under modifier_effect=within_band the aggravation of 事3 opens nothing; switching to usual would."""
    data = contrast(sample("a1-repeat-offender.yaml", modifier_effect="within_band"), "孙志强")
    x = entry(data, "A1-6.5", "事3")
    assert x["now"]["allowed_bands"] == ["2"]
    assert moves(x["heavier"])[("reading", "A1-14p1")] == ["2", "3"]


def test_a_case_party_has_no_band_under_d16_8():
    """d16-chain-stopped: 孔德明 is the party of a case (about 汤沟村). D16-8 presupposes his liability and does
    not create it (issue 9 B.8), so no band is derived for him from the case: his own accountability follows
    D16-10 → 附件1 on a situation of his own."""
    data = contrast(sample("d16-chain-stopped.yaml"), "孔德明")
    assert data["entries"] == []


def test_incremental_verification_equals_fresh_evaluations():
    ev = sample("a1-repeat-offender.yaml")
    key = ("孙志强", "A1-7.7", "事4")
    verifier = Verifier(ev)
    for c in candidates(ev, key, {"severity": "较轻", "mitigating": [], "aggravating": ["A1-16.1.2"]}):
        assert verifier.model(c) == evaluate(ev.rulebook, verifier.facts(c)), c.kind
    a = contrast(ev, "孙志强")
    b = contrast(ev, "孙志强", incremental=False)
    assert a["entries"] == b["entries"]


def test_render_chinese_first():
    out = render(contrast(sample("a1-deadline-national-day.yaml")))
    assert "第十三条第（一）至（四）项" in out
    assert out.index("可使问责更重的变更") < out.index("What would make it heavier")
    assert "将事件事1的情节由“较轻”改为“较重”" in out


def test_cli(capsys):
    path = str(SCENARIOS / "a1-repeat-offender.yaml")
    assert main(["contrast", path, "--party", "孙志强", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {x["event"] for x in data["entries"]} == {"事1", "事2", "事3", "事4"}
    assert main(["contrast", path, "--party", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
