"""The `akb` command line, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
CHAIN = ROOT / "kb" / "scenarios" / "d16-8-chain-three-levels.yaml"


def akb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "akb.cli", *args], capture_output=True, text=True, cwd=ROOT, encoding="utf-8"
    )


def test_clause_prints_citation_and_verbatim_text():
    out = akb("clause", "D16-8.1")
    assert out.returncode == 0
    assert "《党风廉政建设责任追究暂行办法》第八条第（一）项" in out.stdout
    assert "领导班子及其成员对关于涉案当事人的信访举报、媒体曝光或上级机关交办的问题线索" in out.stdout


def test_clause_with_rules_lists_the_rules_that_encode_it():
    out = akb("clause", "D16-5.3", "--rules")
    assert "D16-5.3/team" in out.stdout and "D16-5.3/principal" in out.stdout


def test_unknown_clause_names_the_nearest_ids():
    out = akb("clause", "D16-5.11")
    assert out.returncode == 2
    assert out.stdout == ""
    assert "D16-5.1" in out.stderr and "D16-5.10" in out.stderr
    assert "没有条款编号" in out.stderr and "No clause" in out.stderr


def test_clauses_json_has_every_unit_with_verbatim_text():
    units = json.loads(akb("clauses", "--json").stdout)
    ids = [u["id"] for u in units]
    assert len(ids) == len(set(ids))
    assert sum(1 for u in units if u["kind"] != "form") == 221
    assert {"A1-F1", "A1-F2"} <= set(ids)
    sources = "".join(
        (ROOT / "kb" / "texts" / n).read_text(encoding="utf-8") for n in ("lianfa-2015-16.txt", "lianfa-2015-15.txt")
    )
    flat = "".join(sources.split())
    for u in units:
        assert {"id", "text", "citation"} <= set(u)
        if u["kind"] != "form":
            assert "".join(u["text"].split()) in flat, u["id"]


def test_schema_is_json_schema_with_the_scenario_sections():
    schema = json.loads(akb("schema").stdout)
    assert set(schema["properties"]) >= {"scenario", "units", "persons", "events"}


def test_evaluate_prints_findings_with_proofs_in_chinese_then_english():
    out = akb("evaluate", str(CHAIN))
    assert out.returncode == 0
    text = out.stdout
    assert "海州区委" in text and "第五条第（九）项" in text
    assert text.index("责任认定") < text.index("Findings")
    assert "推理过程" in text and "Proof" in text
    assert "无记录（封闭世界假设）" in text


def test_evaluate_json_findings_carry_party_responsibility_clause_proof():
    data = json.loads(akb("evaluate", str(CHAIN), "--json").stdout)
    rows = {(f["party"], f["responsibility"], f["clause"]) for f in data["findings"]}
    assert ("海州区委", "主体责任", "D16-5.9") in rows
    for f in data["findings"]:
        assert f["proof"]["rule"]["clause_text"]


def test_interpretation_switch_changes_the_answer():
    # the chain sample rests on recorded decisions not to pursue; the township secretary answers beside his
    # committee by default (heads_answer=heads_too), not under bodies_only
    default = json.loads(akb("evaluate", str(CHAIN), "--json").stdout)
    bodies = json.loads(akb("evaluate", str(CHAIN), "--json", "--interpretation", "heads_answer=bodies_only").stdout)
    assert ("李明", "D16-8.3") in {(f["party"], f["clause"]) for f in default["findings"]}
    assert "李明" not in {f["party"] for f in bodies["findings"]}
    assert {f["clause"] for f in default["findings"]} >= {"D16-5.9", "D16-7.7"}


def test_unknown_interpretation_is_refused():
    out = akb("evaluate", str(CHAIN), "--interpretation", "nonsense=1")
    assert out.returncode == 2 and out.stdout == ""


def test_malformed_scenario_gets_file_line_field_and_fix_in_both_languages(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scenario: {id: x, title: t, as_of: 2016-01-01}\n"
        "units:\n"
        "  - {id: 连云港市, kind: 地区}\n"
        "  - {id: 海州区, kind: 地区, parent: 连云港}\n",
        encoding="utf-8",
    )
    out = akb("evaluate", str(bad))
    assert out.returncode == 2
    assert out.stdout == ""
    assert f"{bad}:4" in out.stderr
    assert "units[1].parent" in out.stderr
    assert "没有编号为“连云港”的单位" in out.stderr and "no unit with id '连云港'" in out.stderr
    assert "连云港市" in out.stderr  # the nearest id is suggested


def test_coverage_json_shows_every_operative_d16_unit_encoded_and_tested():
    rows = json.loads(akb("coverage", "--json").stdout)
    d16 = [r for r in rows if r["doc"] == "D16"]
    assert len(d16) == 56
    for r in d16:
        assert r["status"] in ("encoded", "non-operative"), r
        if r["status"] == "encoded":
            assert r["tests"], f"{r['id']} is encoded but no test exercises it"
        else:
            assert r["reason"]["zh"]
    assert {r["id"] for r in d16 if r["status"] == "non-operative"} == {"D16-1", "D16-15"}


def test_interpretations_json_lists_name_readings_default_clauses():
    data = json.loads(akb("interpretations", "--json").stdout)
    for i in data:
        assert {"name", "readings", "default", "clauses"} <= set(i)
        assert i["default"] in i["readings"]
