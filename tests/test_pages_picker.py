"""The editor's element picker (kb/picker.py) offers each subject only the items the rules can apply to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.picker import items_for_case, items_for_finding, misplaced, subject_kinds
from kb.scenario_draft import blank, from_scenario, to_yaml
from kb.scenario_io import load_scenario, load_scenario_text
from reasoning.queries import run

SAMPLES = sorted((Path(__file__).parent.parent / "kb" / "scenarios").glob("*.yaml"))


def world() -> dict:
    d = blank()
    d["units"] += [
        {"id": "区", "kind": "地区", "parent": "连云港市"},
        {"id": "区委", "kind": "党委", "answers_for": "区"},
        {"id": "区纪委", "kind": "纪委", "answers_for": "区"},
        {"id": "区政府", "kind": "政府", "parent": "区"},
    ]
    d["persons"] = [
        {"id": "书记", "positions": [{"unit": "区委", "role": "主要负责人", "from": "2014-01-01"}]},
        {
            "id": "常委",
            "positions": [{"unit": "区委", "role": "班子其他成员", "from": "2014-01-01", "to": "2015-12-31"}],
        },
        {"id": "副区长", "positions": [{"unit": "区政府", "role": "班子其他成员", "from": "2014-01-01"}]},
        {"id": "科员", "positions": [{"unit": "区政府", "role": "一般工作人员", "from": "2014-01-01"}]},
    ]
    return d


def articles(items) -> set[str]:
    return {i.id.rsplit(".", 1)[0] for i in items}


def test_each_subject_gets_its_articles():
    d = world()
    assert {"D16-5", "A2-4", "A2-5", "A2-6"} >= articles(items_for_finding(d, "区委", "2015-06-01")) >= {"D16-5"}
    assert "D16-7" in articles(items_for_finding(d, "区纪委", "2015-06-01"))
    assert not {"D16-5", "D16-6", "D16-8"} & articles(items_for_finding(d, "区纪委", "2015-06-01"))
    secretary = {i.id for i in items_for_finding(d, "书记", "2015-06-01")}
    assert {"D16-6.1", "D16-6.6", "A1-5.1", "A2-6.2"} <= secretary and "D16-6.4" not in secretary
    member = {i.id for i in items_for_finding(d, "常委", "2015-06-01")}
    assert {"D16-6.4", "D16-6.6"} <= member and "D16-6.1" not in member
    # positions count as held on the event's date: after leaving the team, no D16-6 item
    assert not any(i.startswith("D16-6") for i in (x.id for x in items_for_finding(d, "常委", "2016-06-01")))
    # a government deputy is an A2 leader but no member of a party team
    deputy = {i.id for i in items_for_finding(d, "副区长", "2015-06-01")}
    assert "A2-4.1" in deputy and not any(i.startswith("D16") for i in deputy)
    staff = articles(items_for_finding(d, "科员", "2015-06-01"))
    assert "A1-5" in staff and not any(a.startswith(("D16", "A2")) for a in staff)
    assert items_for_finding(d, "nobody", "2015-06-01") == []
    assert articles(items_for_case()) == {"D16-8"}
    assert "case" not in subject_kinds(d, "区委")


def test_a_role_is_read_as_the_rules_read_it():
    """A 分管领导 is read by the rules as a 班子其他成员 (kb/unit_kinds.yaml `roles`): the picker offers the same
    items (it compared the raw role, and refused the D16-6 items the rules and the loader accept)."""
    d = world()
    d["persons"].append(
        {
            "id": "分管",
            "positions": [{"unit": "区委", "role": "分管领导", "from": "2014-01-01", "portfolio": ["安全生产"]}],
        }
    )
    on = "2015-06-01"
    assert subject_kinds(d, "分管", on) == subject_kinds(d, "常委", on)
    assert "D16-6" in articles(items_for_finding(d, "分管", on))


def test_first_items_offered_to_a_party_team_are_d16_5():
    assert items_for_finding(world(), "区委")[0].id == "D16-5.1"


def test_misplaced_elements_are_named():
    d = world()
    assert misplaced(d, {"type": "finding", "subject": "区纪委", "elements": ["D16-5.1/c1", "D16-7.1/c1"]}) == [
        "D16-5.1/c1"
    ]
    assert misplaced(d, {"type": "case", "elements": ["D16-8.3/s1"]}) == []
    assert misplaced(d, {"type": "case", "elements": ["D16-5.1/c1"]}) == ["D16-5.1/c1"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_picker_agrees_with_the_rules_on_the_samples(path):
    """Whatever the picker refuses in a bundled sample never fires there: the samples' deliberate near misses
    (an item for a principal recorded against a deputy, a D16-6 item against someone not yet on the team)."""
    scenario = load_scenario(path)
    d = from_scenario(scenario)
    fired = {(e, c) for _, _, c, e in run(scenario).liabilities()}
    for ev in d["events"]:
        if ev["type"] == "accountability":
            continue
        for el in misplaced(d, ev):
            item = el.split("/")[0]
            assert (ev["id"], item) not in fired


def test_draft_round_trips_through_yaml():
    for path in SAMPLES[:5]:
        scenario = load_scenario(path)
        again, _ = load_scenario_text(to_yaml(from_scenario(scenario)))
        assert again.model_dump() == scenario.model_copy(update={"expected": None}).model_dump()
    load_scenario_text(to_yaml(blank()))
