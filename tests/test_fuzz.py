"""Robustness: malformed and hostile scenarios, generated (hypothesis), each get the schema's clear error
(ScenarioError with issues, each rendered in Chinese and English), never a crash and never a hang.

What is generated: a small valid scenario mutated (wrong types, unknown ids, duplicate ids, deleted and unknown
fields, dates out of range, very long strings, control characters, deeply nested values), its YAML text cut
and spliced with YAML syntax, alias bombs, deep nesting of every YAML kind, tags, merge keys, random parent
graphs (cycles: the oracle is computed here), random bytes, and — for the scenarios that do load — dates over
the whole accepted range, evaluated and reported. The limits that keep every input fast are in
kb/scenario_io.py (MAX_BYTES, MAX_NODES, MAX_DEPTH, MAX_ISSUES, DATE_RANGE) and kb/scenario_check.py
(HINT_BUDGET). Examples are derandomized (the same every run); the per-test `max_examples` add up to more than
2,000 (checked by the last test when the whole module runs).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import tempfile
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb.scenario_io as scenario_io
from akb.cli import render_error
from explain.catalogue import has
from kb.scenario_io import DATE_RANGE, MAX_BYTES, MAX_DEPTH, ScenarioError, load_scenario, load_scenario_text

RUNS: Counter[str] = Counter()  # examples run per test
EXPECTED_TOTAL = 2000

# Deadlines are per example and generous for a loaded 2-core machine; they are what "never hangs" means here.
FAST = dict(derandomize=True, database=None, deadline=dt.timedelta(seconds=20), print_blob=True)
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

BASE = {
    "scenario": {"id": "fuzz", "title": "模糊测试", "as_of": "2016-06-30"},
    "units": [
        {"id": "连云港市", "kind": "地区"},
        {"id": "市委", "kind": "党委", "answers_for": "连云港市"},
        {"id": "市纪委", "kind": "纪委", "answers_for": "连云港市"},
        {"id": "海州区", "kind": "地区", "parent": "连云港市"},
        {"id": "海州区委", "kind": "党委", "answers_for": "海州区"},
        {"id": "浦西镇", "kind": "乡镇", "parent": "海州区"},
    ],
    "persons": [
        {"id": "王华", "positions": [{"unit": "海州区委", "role": "主要负责人", "from": "2013-01-01"}]},
        {
            "id": "孙丽",
            "positions": [
                {"unit": "海州区委", "role": "班子其他成员", "portfolio": ["教育"], "from": "2013-01-01", "to": None}
            ],
        },
        {"id": "郑洁", "positions": [{"unit": "市纪委", "role": "纪委书记", "from": "2012-01-01"}]},
        {"id": "张强", "positions": [{"unit": "浦西镇", "role": "一般工作人员", "from": "2014-03-01"}]},
    ],
    "events": [
        {
            "type": "finding",
            "id": "事1",
            "date": "2015-09-15",
            "subject": "海州区委",
            "elements": ["D16-5.4/c1", "D16-5.4/q1", "D16-5.4/e1"],
            "severity": "较重",
            "portfolio": "教育",
        },
        {
            "type": "case",
            "id": "案1",
            "date": "2015-06-10",
            "party": "张强",
            "unit": "浦西镇",
            "elements": ["D16-8.3/s1"],
        },
        {
            "type": "accountability",
            "id": "追1",
            "date": "2016-01-20",
            "concerning": "事1",
            "target": "海州区委",
            "by": "市委",
            "outcome": "追究",
            "handled_on": "2016-01-28",
        },
    ],
}


def check(text: str, file: str = "fuzz.yaml") -> str:
    """Load the text: 'ok', or 'error' after checking the error is the schema's clear one. Any other
    exception fails the test (a crash); the per-example deadline catches a hang."""
    try:
        load_scenario_text(text, file)
    except ScenarioError as err:
        assert err.issues, "a ScenarioError names at least one issue"
        assert len(err.issues) <= scenario_io.MAX_ISSUES
        for issue in err.issues:
            assert has("errors", issue.code), issue.code
        rendered = render_error(err)
        assert file in rendered and rendered.count("\n") >= 2 + 2 * len(err.issues)
        return "error"
    return "ok"


def codes(text: str) -> set[str]:
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text, "fuzz.yaml")
    return {i.code for i in exc.value.issues}


def as_yaml(data) -> str:
    """Plain data as YAML text: JSON (a subset of YAML 1.2) where possible, ruamel's dumper otherwise."""
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        from ruamel.yaml import YAML

        buf = io.StringIO()
        YAML().dump(data, buf)
        return buf.getvalue()


def test_the_base_scenario_is_valid():
    assert check(as_yaml(BASE)) == "ok"


# ---------------------------------------------------------------------------------------------------------
# values a hostile user might put anywhere
# ---------------------------------------------------------------------------------------------------------
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\ufeff"])
control_text = st.lists(CONTROL | st.characters(), min_size=1, max_size=20).map("".join)
long_text = st.builds(lambda c, n: c * n, st.sampled_from(["长", "x", "\u200b", "😀"]), st.integers(90, 6000))
date_like = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}-\d{1,3}\Z"),
    st.datetimes().map(dt.datetime.isoformat),
    st.sampled_from(["2015-02-29", "2015-13-01", "2015-00-10", "0000-01-01", "10000-01-01", "2015/06/01", "昨天"]),
)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    control_text,
    long_text,
    date_like,
    st.sampled_from(["党委", "主要负责人", "finding", "case", "accountability", "追究", "D16-5.1/c1", "连云港市"]),
)
value = st.recursive(
    scalar, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12
)


def nested(depth: int, kind: str):
    out = "x"
    for _ in range(depth):
        out = [out] if kind == "list" else {"k": out}
    return out


deep_value = st.builds(nested, st.integers(1, MAX_DEPTH + 30), st.sampled_from(["list", "dict"]))


def paths(node, prefix=()):
    """Every path to a node of the data (for mutations)."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


ALL_PATHS = [p for p in paths(BASE) if p]
ID_PATHS = [p for p in ALL_PATHS if p[-1] in ("id", "parent", "answers_for", "unit", "subject", "party", "target")]


def _get(data, path):
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated(draw):
    """The base scenario with 1–4 hostile mutations."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(["set", "set", "deep", "delete", "unknown_field", "duplicate", "unknown_id", "cycle"])
        )
        if op == "cycle":
            try:
                data["units"][0]["parent"] = "浦西镇"  # 连云港市 → 浦西镇 → 海州区 → 连云港市
            except (KeyError, IndexError, TypeError):
                pass
            continue
        path = draw(st.sampled_from(ID_PATHS if op == "unknown_id" else ALL_PATHS))
        try:
            parent = _get(data, path[:-1])
            key = path[-1]
            if op == "set":
                parent[key] = draw(value)
            elif op == "deep":
                parent[key] = draw(deep_value)
            elif op == "unknown_id":
                parent[key] = draw(st.text(min_size=1, max_size=12) | control_text | long_text)
            elif op == "delete":
                del parent[key]
            elif op == "unknown_field" and isinstance(parent[key], dict):
                parent[key][draw(st.text(max_size=10))] = draw(scalar)
            elif op == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation changed the shape: skip this one
    return data


@settings(max_examples=800, suppress_health_check=SLOW_OK, **FAST)
@given(mutated())
def test_mutated_scenarios_get_the_schema_error(data):
    RUNS["mutated"] += 1
    check(as_yaml(data))


@settings(max_examples=150, suppress_health_check=SLOW_OK, **FAST)
@given(mutated(), st.data())
def test_mutated_scenarios_with_shared_nodes_become_anchors_and_aliases(data, draw):
    """The same object in two places is dumped as an anchor and an alias (ruamel)."""
    RUNS["aliases"] += 1
    src = draw.draw(st.sampled_from(ALL_PATHS))
    dst = draw.draw(st.sampled_from(ALL_PATHS))
    try:
        _get(data, dst[:-1])[dst[-1]] = _get(data, src)
    except (KeyError, IndexError, TypeError):
        pass
    from ruamel.yaml import YAML

    buf = io.StringIO()
    try:
        YAML().dump(data, buf)
    except RecursionError:  # the node now contains itself: the dumper cannot write that
        return
    check(buf.getvalue())


# ---------------------------------------------------------------------------------------------------------
# the text itself: cut, spliced, junk and YAML syntax
# ---------------------------------------------------------------------------------------------------------
TOKENS = st.sampled_from(
    [
        "scenario:",
        "units:",
        "persons:",
        "events:",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ": ",
        ", ",
        "&a ",
        "*a",
        "<<: *a",
        "!!str ",
        "!!binary ",
        "!!python/object:os.system ",
        "!custom ",
        "? ",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "%TAG ! tag:x,2000:\n",
        "\n",
        "  ",
        "\t",
        "'",
        '"',
        "#",
        "|",
        ">-",
        "id: x",
        "kind: 地区",
        "\x00",
        "\x1b",
        "\x85",
        "\u2028",
        "\ufeff",
        "\ud7ff",
        "2015-06-01",
        "~",
        "null",
        "yes",
        "0x1F",
        "1e400",
        "9" * 5000,
    ]
)
junk = st.lists(TOKENS | st.text(max_size=6), max_size=30).map("".join)


@st.composite
def spliced(draw):
    text = as_yaml(BASE) if draw(st.booleans()) else _block_yaml()
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, min(len(text), a + 200)))
    return text[:a] + draw(junk) + text[b:]


def _block_yaml() -> str:
    from ruamel.yaml import YAML

    buf = io.StringIO()
    YAML().dump(BASE, buf)
    return buf.getvalue()


@settings(max_examples=450, suppress_health_check=SLOW_OK, **FAST)
@given(spliced())
def test_cut_and_spliced_text_gets_the_schema_error(text):
    RUNS["spliced"] += 1
    check(text)


@settings(max_examples=150, suppress_health_check=SLOW_OK, **FAST)
@given(junk)
def test_junk_text_gets_the_schema_error(text):
    RUNS["junk"] += 1
    assert check(text) == "error"


# ---------------------------------------------------------------------------------------------------------
# bombs and depth
# ---------------------------------------------------------------------------------------------------------
def bomb(width: int, levels: int, where: str) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    if where == "title":
        return "\n".join(lines) + f"\nscenario: {{id: s, title: *a{levels}, as_of: 2016-01-01}}\nunits: *a{levels}\n"
    return "x:\n" + "\n".join("  " + line for line in lines) + f"\nunits: [*a{levels}, *a{levels}]\n"


@settings(max_examples=60, suppress_health_check=SLOW_OK, **FAST)
@given(st.integers(2, 20), st.integers(1, 10), st.sampled_from(["title", "nested"]))
def test_alias_bombs_are_refused_quickly(width, levels, where):
    RUNS["bombs"] += 1
    start = time.perf_counter()
    assert check(bomb(width, levels, where)) == "error"
    assert time.perf_counter() - start < 5


def deep_text(kind: str, depth: int) -> str:
    if kind == "flow_seq":
        body = "[" * depth + "x" + "]" * depth
    elif kind == "flow_map":
        body = "{a: " * depth + "x" + "}" * depth
    elif kind == "unclosed":
        body = "[" * depth
    elif kind == "compact":
        return "scenario:\n  title:\n    " + "- " * depth + "x\n"
    else:  # block mapping, one level per line
        return "scenario:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "x\n"
    return f"scenario: {{id: s, title: {body}, as_of: 2016-01-01}}\nunits: [{{id: u, kind: 地区}}]\n"


@settings(max_examples=150, suppress_health_check=SLOW_OK, **FAST)
@given(st.sampled_from(["flow_seq", "flow_map", "unclosed", "compact", "block"]), st.integers(1, 1500))
def test_deep_nesting_of_every_kind_is_refused_not_a_recursion_error(kind, depth):
    RUNS["deep"] += 1
    text = deep_text(kind, depth)
    start = time.perf_counter()
    result = check(text)
    if depth > MAX_DEPTH + 2:
        assert result == "error"
        if kind != "unclosed":
            assert codes(text) & {"too_deep", "file_too_large"}
    assert time.perf_counter() - start < 20  # a hang guard (parsing it all took minutes), generous under load


def test_limits_are_enforced_while_parsing(monkeypatch):
    """A flat document with too many nodes stops when the limit is reached, not after parsing it all."""
    monkeypatch.setattr(scenario_io, "MAX_NODES", 2_000)
    text = "a: [" + ", ".join(["1"] * 200_000) + "]\n"
    start = time.perf_counter()
    assert codes(text) == {"too_many_nodes"}
    assert time.perf_counter() - start < 6  # the whole list takes ~10 s to parse alone, far more under load


def test_oversized_file_is_refused_before_parsing():
    start = time.perf_counter()
    assert codes("a: " + "x" * MAX_BYTES) == {"file_too_large"}
    assert time.perf_counter() - start < 3  # reading 5 MB is refused before parsing


# ---------------------------------------------------------------------------------------------------------
# hierarchy cycles and duplicate ids, with the oracle computed here
# ---------------------------------------------------------------------------------------------------------
@st.composite
def hierarchies(draw):
    n = draw(st.integers(1, 60))
    names = draw(st.lists(st.sampled_from([f"u{i}" for i in range(n + 5)]), min_size=n, max_size=n))
    parents = [draw(st.none() | st.sampled_from(names)) for _ in names]
    return names, parents


def has_cycle(names, parents) -> bool:
    parent = {}
    for name, p in zip(names, parents, strict=True):
        if p is not None:
            parent.setdefault(name, p)  # the first of duplicate ids counts, as in the checks
    for start in parent:
        seen, node = set(), start
        while node in parent:
            if node in seen:
                return True
            seen.add(node)
            node = parent[node]
    return False


@settings(max_examples=200, suppress_health_check=SLOW_OK, **FAST)
@given(hierarchies())
def test_cycles_and_duplicates_are_found_exactly(h):
    RUNS["hierarchy"] += 1
    names, parents = h
    units = [{"id": n, "kind": "地区", **({"parent": p} if p else {})} for n, p in zip(names, parents, strict=True)]
    text = as_yaml({"scenario": BASE["scenario"], "units": units})
    duplicates = len(set(names)) < len(names)
    cycle = has_cycle(names, parents)
    if not duplicates and not cycle:
        assert check(text) == "ok"
        return
    found = codes(text)
    assert ("duplicate_id" in found) == duplicates
    if not duplicates:
        assert "hierarchy_cycle" in found


@settings(max_examples=5, suppress_health_check=SLOW_OK, **{**FAST, "deadline": dt.timedelta(seconds=30)})
@given(st.sampled_from(["chain", "unknown", "principals"]), st.integers(1500, 2500))
def test_many_units_and_bad_references_stay_fast(kind, n):
    """Thousands of units in one chain, thousands of unknown references, thousands of principals of one
    unit: answered in seconds (cycle search, 'did you mean' hints and overlap checks are not quadratic)."""
    RUNS["many"] += 1
    if kind == "chain":
        units = [{"id": f"u{i}", "kind": "地区", "parent": f"u{i + 1}"} for i in range(n)] + [
            {"id": f"u{n}", "kind": "地区"}
        ]
        data = {"scenario": BASE["scenario"], "units": units}
    elif kind == "unknown":
        data = {
            "scenario": BASE["scenario"],
            "units": [{"id": f"unit{i:05d}", "kind": "地区", "parent": f"x{i:05d}"} for i in range(n)],
        }
    else:
        units = [{"id": "u", "kind": "地区"}]
        persons = [
            {"id": f"p{i}", "positions": [{"unit": "u", "role": "主要负责人", "from": f"{1950 + i % 60}-01-01"}]}
            for i in range(n)
        ]
        data = {"scenario": BASE["scenario"], "units": units, "persons": persons}
    text = as_yaml(data)
    start = time.perf_counter()
    check(text)
    parse = time.perf_counter()
    scenario_io.read_yaml(text, "x")  # the YAML parse alone, for comparison
    parse = time.perf_counter() - parse
    assert time.perf_counter() - start - parse < 3 + parse


# ---------------------------------------------------------------------------------------------------------
# bytes and files
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=100, suppress_health_check=SLOW_OK, **FAST)
@given(st.binary(max_size=300) | st.builds(lambda t: t.encode("utf-16"), st.text(max_size=50)))
def test_random_bytes_in_a_file_get_the_schema_error(raw):
    RUNS["bytes"] += 1
    fd, name = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        try:
            load_scenario(name)
        except ScenarioError as err:
            assert err.issues and all(has("errors", i.code) for i in err.issues)
            render_error(err)
    finally:
        os.unlink(name)


def test_unreadable_paths_get_the_schema_error(tmp_path):
    for path in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(ScenarioError) as exc:
            load_scenario(path)
        assert [i.code for i in exc.value.issues] == ["cannot_read"]


# ---------------------------------------------------------------------------------------------------------
# dates: out of range is an error; anything in range loads, evaluates and reports without a crash
# ---------------------------------------------------------------------------------------------------------
any_date = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(max_examples=200, suppress_health_check=SLOW_OK, **FAST)
@given(any_date, any_date, any_date)
def test_dates_out_of_range_are_refused(as_of, start, event):
    RUNS["dates"] += 1
    data = copy.deepcopy(BASE)
    data["scenario"]["as_of"] = as_of.isoformat()
    data["persons"][0]["positions"][0]["from"] = start.isoformat()
    data["events"][0]["date"] = event.isoformat()
    outside = any(not DATE_RANGE[0] <= d <= DATE_RANGE[1] for d in (as_of, start, event))
    result = check(as_yaml(data))
    if outside:
        assert result == "error"
        assert "invalid_value" in codes(as_yaml(data))


in_range = st.dates(min_value=DATE_RANGE[0], max_value=DATE_RANGE[1])


@settings(max_examples=40, suppress_health_check=SLOW_OK, **{**FAST, "deadline": dt.timedelta(seconds=20)})
@given(st.lists(in_range, min_size=6, max_size=6).map(sorted), st.booleans())
def test_scenarios_at_the_edges_of_the_date_range_evaluate_and_report(dates, repeat):
    """Dates anywhere in the accepted range (with accountability records, methods and service dates, which
    drive "within one year" and the deadlines): the scenario loads, evaluates and reports."""
    from explain.report import build_report, dumps
    from reasoning.queries import run

    RUNS["evaluate"] += 1
    start, event, decided, served, appeal, as_of = dates
    data = copy.deepcopy(BASE)
    data["scenario"]["as_of"] = as_of.isoformat()
    for p in data["persons"]:
        p["positions"][0]["from"] = start.isoformat()
    data["events"] = [
        {"type": "finding", "id": "f", "date": event.isoformat(), "subject": "王华", "elements": ["A1-5.1/c7"]},
        {"type": "finding", "id": "g", "date": event.isoformat(), "subject": "海州区委", "elements": ["D16-5.9/c1"]},
        {
            "type": "case",
            "id": "c",
            "date": event.isoformat(),
            "party": "张强",
            "unit": "浦西镇",
            "elements": ["D16-8.3/s1"],
        },
    ]
    for i in range(3 if repeat else 1):
        data["events"].append(
            {
                "type": "accountability",
                "id": f"a{i}",
                "date": decided.isoformat(),
                "concerning": "f",
                "target": "王华",
                "by": "市委",
                "outcome": "追究",
                "handled_on": decided.isoformat(),
                "methods": ["免职"],
                "served_on": served.isoformat(),
                "received_on": served.isoformat(),
                "appeal_filed_on": appeal.isoformat(),
                "appeal_decided_on": appeal.isoformat(),
            }
        )
    scenario, _ = load_scenario_text(as_yaml(data), "dates.yaml")
    report = build_report(run(scenario))
    assert dumps(report)


def test_at_least_2000_examples_ran():
    """When the whole module runs (CI), the property tests above ran at least 2,000 examples in all."""
    expected = {"mutated", "aliases", "spliced", "junk", "bombs", "deep", "hierarchy", "bytes", "dates", "evaluate"}
    if not expected <= set(RUNS):
        pytest.skip(f"only part of the module ran: {sorted(RUNS)}")
    print(f"hypothesis examples run: {sum(RUNS.values())} {dict(RUNS)}")
    assert sum(RUNS.values()) >= EXPECTED_TOTAL, dict(RUNS)
