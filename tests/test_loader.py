"""Reading scenario files: YAML read fast and JSON accepted with the same schema and errors (lines and paths),
files checked before reading (a FIFO, /dev/zero, a huge file), ids compared in NFKC form, and every message on
one line with its line number, field and fix (issue 10 point 8, 12; issue 13 "hostile input" and "Messages")."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from akb.cli import render_error
from bench.generate import dump_yaml, generate
from kb.scenario_fast import fast_yaml
from kb.scenario_io import (
    FREE_TEXT,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_ISSUES,
    MAX_NODES,
    ScenarioError,
    _plain,
    load_scenario,
    load_scenario_text,
    read_yaml,
)

ROOT = Path(__file__).resolve().parent.parent
AKB = [sys.executable, "-m", "akb.cli"]
HEAD = "scenario: {id: t, title: 测试, as_of: 2016-06-30}\n"
BASE = {
    "scenario": {"id": "t", "title": "测试", "as_of": "2016-06-30"},
    "units": [
        {"id": "连云港市", "kind": "地区"},
        {"id": "市委", "kind": "党委", "answers_for": "连云港市"},
        {"id": "海州区", "kind": "地区", "parent": "连云港市"},
    ],
    "persons": [{"id": "王华", "positions": [{"unit": "市委", "role": "主要负责人", "from": "2013-01-01"}]}],
    "events": [
        {"type": "finding", "id": "事1", "date": "2015-09-15", "subject": "王华", "elements": ["A1-5.1/c7"]},
    ],
}


def issues(text: str, fmt: str | None = None) -> list:
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(text, "s.json" if fmt == "json" else "s.yaml", fmt)
    return exc.value.issues


def akb(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(AKB + list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------------------------------------------------
# the fast reader gives exactly what the round-trip reader gives
# ---------------------------------------------------------------------------------------------------------
def _typed(x):
    if isinstance(x, dict):
        return {k: _typed(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_typed(v) for v in x]
    return (type(x).__name__ if isinstance(x, (bool, int, float)) or x is None else "str", str(x))


@pytest.mark.parametrize(
    "path", sorted(glob.glob(str(ROOT / "kb/scenarios/*.yaml")) + glob.glob(str(ROOT / "tests/cases/*.yaml")))
)
def test_fast_reader_agrees_with_the_round_trip_reader(path):
    text = Path(path).read_text(encoding="utf-8")
    fast = fast_yaml(text, MAX_DEPTH, MAX_NODES, FREE_TEXT)
    assert fast is not None, "an ordinary scenario takes the fast path"
    data, aliases = fast
    assert _typed(_plain(data) if aliases else data) == _typed(_plain(read_yaml(text, path)))


def test_fast_reader_agrees_on_a_generated_scenario_with_anchors():
    text = dump_yaml(generate(60, 3))
    data, aliases = fast_yaml(text, MAX_DEPTH, MAX_NODES, FREE_TEXT)
    assert _typed(_plain(data)) == _typed(_plain(read_yaml(text, "g.yaml")))


def test_yaml_scalars_keep_their_yaml_1_2_meaning():
    text = HEAD + "units:\n  - {id: 007, kind: 地区, name: no}\n  - {id: 'u', kind: 地区, name: \"2015-01-01\"}\n"
    scenario, data = load_scenario_text(text)
    assert data["units"][0]["id"] == 7 and data["units"][0]["name"] == "no"  # YAML 1.2: 'no' is a string
    assert scenario.units[0].id == "7" and scenario.units[1].name == "2015-01-01"


# ---------------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------------
def test_json_and_yaml_give_the_same_scenario(tmp_path):
    (tmp_path / "s.json").write_text(json.dumps(BASE, ensure_ascii=False, indent=1), encoding="utf-8")
    yaml_text = json.dumps(BASE, ensure_ascii=False)  # JSON text is YAML too: read by content as JSON
    from_json = load_scenario(tmp_path / "s.json")
    assert from_json == load_scenario_text(yaml_text)[0]
    (tmp_path / "t.yaml").write_text(HEAD + "units: [{id: 连云港市, kind: 地区}]\n", encoding="utf-8")
    assert load_scenario(tmp_path / "t.yaml").units[0].id == "连云港市"


def test_json_errors_name_the_json_path_and_its_line():
    data = json.loads(json.dumps(BASE))
    data["units"][2]["parent"] = "连云港"
    data["events"][0]["elements"] = ["A1-5.1/c99"]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    found = {i.code: i for i in issues(text, "json")}
    lines = text.splitlines()
    parent = found["unknown_unit"]
    assert parent.path == ("units", 2, "parent") and '"parent": "连云港"' in lines[parent.line - 1]
    element = found["unknown_element"]
    assert element.path == ("events", 0, "elements", 0) and "A1-5.1/c99" in lines[element.line - 1]
    missing = json.loads(json.dumps(BASE))
    del missing["units"][1]["kind"]
    (issue,) = issues(json.dumps(missing, ensure_ascii=False, indent=2), "json")
    assert (
        issue.code == "missing_field" and issue.path == ("units", 1, "kind") and issue.line == 12
    )  # the line where units[1] opens


def test_json_syntax_errors_and_repeated_keys_have_a_line():
    (issue,) = issues('{"scenario": {"id": "t",\n  "title": "x",, "as_of": "2016-06-30"}}', "json")
    assert issue.code == "json_syntax" and issue.line == 2 and issue.path == ("title",)
    (issue,) = issues('{"scenario": {"id": "t",\n "id": "u"}}', "json")
    assert issue.code == "duplicate_key" and issue.line == 2 and issue.params["name"] == "id"
    (issue,) = issues('{"scenario": NaN}', "json")
    assert issue.code == "json_syntax" and issue.line == 1


# ---------------------------------------------------------------------------------------------------------
# files: checked before reading
# ---------------------------------------------------------------------------------------------------------
def test_a_fifo_with_no_writer_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    proc = akb("evaluate", str(fifo), timeout=60)  # before the fix: blocked for ever
    assert proc.returncode == 2 and proc.stdout == ""
    assert "不是普通文件" in proc.stderr and "not a regular file" in proc.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it():
    with pytest.raises(ScenarioError) as exc:
        load_scenario("/dev/zero")  # before the fix: read to 3.7 GB, then refused for its size
    (issue,) = exc.value.issues
    assert issue.code == "cannot_read" and issue.params == {"w_why": "path_special"}


def test_a_huge_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(MAX_BYTES * 20)  # sparse: refused from its size, never read
    with pytest.raises(ScenarioError) as exc:
        load_scenario(big)
    assert [i.code for i in exc.value.issues] == ["file_too_large"]


def test_missing_file_and_folder_say_why(tmp_path):
    for path, why in ((tmp_path / "none.yaml", "no such file"), (tmp_path, "it is a folder")):
        with pytest.raises(ScenarioError) as exc:
            load_scenario(path)
        assert why in render_error(exc.value)


def test_not_utf8_names_the_line_and_the_byte(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes((HEAD + "units:\n  - {id: ").encode() + b"\xb0\xa1, kind: \xb5\xd8\xc7\xf8}\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    (issue,) = exc.value.issues
    assert issue.code == "not_utf8" and issue.line == 3 and issue.params["byte"] == "0xB0"


# ---------------------------------------------------------------------------------------------------------
# messages: a line always, the field where there is one, one line each, no Python or pydantic text
# ---------------------------------------------------------------------------------------------------------
BAD = {
    "nul": HEAD + "units:\n  - {id: a, kind: 地区}\n  - {id: b\x00, kind: 地区}\n",
    "tab": HEAD + "units:\n\t- {id: a, kind: 地区}\n",
    "unclosed": HEAD + "units:\n  - {id: a, kind: 地区\n",
    "duplicate": HEAD + "units:\n  - id: a\n    id: b\n    kind: 地区\n",
    "bomb": HEAD + "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "deep": HEAD + "units: " + "[" * 200 + "]" * 200 + "\n",
    "types": HEAD + "units:\n  - {id: a, kind: [1, 2]}\n  - {id: [b], kind: 地区}\n  - {id: c, kind: 星球}\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_message_has_a_line_and_one_line_per_language(name):
    found = issues(BAD[name])
    text = render_error(ScenarioError("s.yaml", found))
    lines = text.splitlines()
    assert len(lines) == 2 + 2 * len(found), "each issue: one Chinese line and one English line"
    for issue in found:
        assert issue.line is not None and issue.line >= 1, issue
    for zh in lines[2::2]:
        assert "\x00" not in zh and "Input should" not in zh and "('" not in zh and "{'" not in zh
        assert "修改：" in zh


def test_yaml_errors_name_the_field_where_there_is_one():
    (issue,) = issues(BAD["duplicate"])
    assert issue.code == "yaml_syntax" and issue.line == 4 and issue.path[0] == "units"
    (issue,) = issues(BAD["nul"])
    assert issue.code == "bad_character" and issue.line == 4 and issue.params["char"] == "U+0000"
    (issue,) = issues(BAD["bomb"])
    assert issue.code == "too_many_nodes" and issue.line > 1


def test_choices_and_types_are_worded_not_pydantic():
    found = issues(BAD["types"])
    text = render_error(ScenarioError("s.yaml", found))
    assert "地区、政府、部门" in text and "' or '" not in text
    assert "应为文本" in text and "expected text" in text


def test_a_long_cycle_is_shown_by_its_first_units_and_its_length():
    units = "".join(f"  - {{id: u{i}, kind: 地区, parent: u{(i + 1) % 10000}}}\n" for i in range(10000))
    (issue,) = issues(HEAD + "units:\n" + units)
    assert issue.code == "hierarchy_cycle" and issue.params["n"] == 10000 and issue.line == 3
    assert len(render_error(ScenarioError("s.yaml", [issue]))) < 600


def test_the_issue_cap_says_how_many_more():
    units = "".join(f"  - {{id: u{i}, kind: 地区, parent: x{i}}}\n" for i in range(500))
    found = issues(HEAD + "units:\n" + units)
    assert len(found) == MAX_ISSUES
    assert found[-1].code == "more_issues" and found[-1].params["n"] == 500 - (MAX_ISSUES - 1)
    bad_kinds = "".join(f"  - {{id: u{i}, kind: 星球}}\n" for i in range(300))
    found = issues(HEAD + "units:\n" + bad_kinds)
    assert found[-1].code == "more_issues" and found[-1].params["n"] == 300 - (MAX_ISSUES - 1)
    assert "另有101个问题未列出" in render_error(ScenarioError("s.yaml", found))


# ---------------------------------------------------------------------------------------------------------
# look-alike ids: one id (NFKC), or a clear error — never two persons
# ---------------------------------------------------------------------------------------------------------
def test_full_width_and_half_width_ids_are_one_id():
    text = (
        HEAD
        + "units:\n  - {id: ＡＢ区, kind: 地区}\n  - {id: ＡＢ区委, kind: 党委, answers_for: AB区}\n"
        + "persons:\n  - id: 王华１\n    positions: [{unit: AB区委, role: 主要负责人, from: 2013-01-01}]\n"
        + "events:\n  - {type: finding, id: 事1, date: 2015-09-15, subject: 王华1, elements: [A1-5.1/c7]}\n"
    )
    scenario, _ = load_scenario_text(text)
    assert [u.id for u in scenario.units] == ["AB区", "AB区委"] and scenario.persons[0].id == "王华1"
    assert scenario.events[0].subject == "王华1"


def test_composed_and_decomposed_ids_are_one_id_so_two_of_them_are_a_duplicate():
    text = HEAD + 'units:\n  - {id: "Jos\u00e9", kind: 地区}\n  - {id: "Jose\u0301", kind: 地区}\n'
    (issue,) = issues(text)
    assert issue.code == "duplicate_id" and issue.line == 4 and issue.path == ("units", 1, "id")
    text = HEAD + "units:\n  - {id: ＵＮＩＴ, kind: 地区}\n  - {id: UNIT, kind: 地区}\n"
    (issue,) = issues(text)
    assert issue.code == "duplicate_id" and issue.params["id"] == "UNIT"


def test_free_text_keeps_its_form():
    scenario, _ = load_scenario_text(
        "scenario: {id: t, title: ＡＢＣ全角标题, as_of: 2016-06-30}\nunits: [{id: u, kind: 地区, name: ＡＢ}]\n"
    )
    assert scenario.scenario.title == "ＡＢＣ全角标题" and scenario.units[0].name == "ＡＢ"


# ---------------------------------------------------------------------------------------------------------
# the command line: exit 2, nothing on stdout, the field, the line and the fix on stderr
# ---------------------------------------------------------------------------------------------------------
def test_cli_json_error_is_reported_like_yaml(tmp_path):
    data = json.loads(json.dumps(BASE))
    data["units"][2]["parent"] = "连云港"
    path = tmp_path / "s.json"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"parent": "连云港"' in t)
    proc = akb("evaluate", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "units[2].parent" in proc.stderr and f"{path}:{line}:" in proc.stderr and "修改" in proc.stderr


def test_yaml_in_flow_style_is_not_mistaken_for_json(tmp_path):
    text = "{scenario: {id: t, title: x, as_of: 2016-06-30}, units: [{id: u, kind: 地区}]}\n"
    assert load_scenario_text(text)[0].units[0].id == "u"
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")
    assert load_scenario(tmp_path / "flow.yaml").units[0].id == "u"
    (tmp_path / "flow.json").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:  # a .json file is JSON: unquoted keys are a JSON error
        load_scenario(tmp_path / "flow.json")
    assert [i.code for i in exc.value.issues] == ["json_syntax"]


def test_warning_lines_read_only_their_section_and_agree_with_the_whole_file():
    """A warning's line is found by reading from its top-level key only (kb.scenario_fast.yaml_section_lines),
    and is the line a scan of the whole file gives, for every path in every section."""
    from kb.scenario_fast import yaml_lines
    from kb.scenario_io import _Source, load_scenario_text_warnings

    text = dump_yaml(generate(1000, 0, None))  # this one has a warning (a consequence without its conduct)
    whole = yaml_lines(text)
    _, _, warnings = load_scenario_text_warnings(text, "g.yaml")
    assert warnings and all(w.line == whole[w.path] for w in warnings)
    source = _Source(text, "g.yaml", None)
    source.data()
    deep = sorted((p for p in whole if len(p) >= 2), key=lambda p: (str(p[0]), p[1] if isinstance(p[1], int) else -1))
    assert len(deep) > 1000
    for path in deep[::7] + deep[::-11]:  # forwards then backwards: the section is read further when needed
        assert source.line(path) == whole[path], path


def test_a_flow_style_document_still_gets_its_lines():
    from kb.scenario_io import _Source

    text = "{scenario: {id: x, title: t},\n units: [{id: a, kind: 地区},\n  {id: b, kind: bad}]}\n"
    source = _Source(text, "f.yaml", None)
    source.data()
    assert source.line(("units", 1, "kind")) == 3
