"""akb review and akb documents from the command line: exit codes, bad input (file, line, field, fix; exit 2),
the folder summary, the receipt byte-identical across runs and hash seeds, and the drafted .docx files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from akb.cli import main

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = ROOT / "kb" / "decisions"
GOOD = DECISIONS / "01-correct-staff-written-check.yaml"
BAD = DECISIONS / "06-problem-method-above-band.yaml"


def test_exit_codes_and_json(capsys):
    assert main(["review", str(GOOD), "--no-alternatives"]) == 0
    out = capsys.readouterr().out
    assert out.index("通过") < out.index("pass")  # Chinese first, then English
    assert main(["review", str(BAD), "--json", "--no-alternatives"]) == 1
    data = json.loads(capsys.readouterr().out)
    band = next(v for v in data["verdicts"] if v["check"] == "band")
    assert band["verdict"] == "problem" and band["citation"].endswith("第十四条第一款")
    assert "群众反映强烈、造成恶劣影响的" in band["clause_text"]
    assert "免职" in band["reads"]["zh"] and "免职" in band["reads"]["en"]
    clause = next(v for v in data["verdicts"] if v["check"] == "clause")
    assert clause["proofs"] and clause["proofs"][0]["rule"]["clause"] == "A1-6.3"


def test_schema_is_published(capsys):
    assert main(["review", "--schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"decision", "parties", "organs", "dates"} <= set(schema["required"])


def _bad(tmp_path: Path, text: str, suffix: str = ".yaml") -> Path:
    path = tmp_path / f"d{suffix}"
    path.write_text(text.replace("SCEN", str(ROOT / "kb" / "scenarios" / "a1-deadline-national-day.yaml")),
                    encoding="utf-8")
    return path


def test_bad_decision_gets_file_line_field_and_fix(tmp_path, capsys):
    text = GOOD.read_text(encoding="utf-8").replace("responsibility: 直接责任", "responsibility: 直接")
    path = tmp_path / "x.yaml"
    path.write_text(text.replace("../scenarios/", str(ROOT / "kb" / "scenarios") + "/"), encoding="utf-8")
    assert main(["review", str(path)]) == 2
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "responsibility: 直接" in t)
    assert f"{path}:{line}" in err and "parties[0].responsibility" in err
    assert err.index("修改") < err.index("Fix")


def test_unknown_party_and_scenario(tmp_path, capsys):
    path = _bad(tmp_path, """{"decision": {"id": "x", "title": "t", "scenario": "SCEN"},
 "parties": [{"party": "无此人", "event": "事1", "clauses": ["A1-7.2"], "responsibility": "直接责任"}],
 "organs": {"decide": "市住建局"},
 "dates": {"decision": "2015-09-29"}}""", ".json")
    assert main(["review", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2" in err and "parties[0].party" in err and "无此人" in err
    path2 = _bad(tmp_path, "decision: {id: x, title: t, scenario: nowhere.yaml}\nparties: []\n")
    assert main(["review", str(path2)]) == 2


def test_folder_summary(tmp_path, capsys):
    for name in ("01-correct-staff-written-check.yaml", "06-problem-method-above-band.yaml",
                 "08-problem-wrong-organ.yaml"):
        text = (DECISIONS / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("../scenarios/", str(ROOT / "kb" / "scenarios") + "/"),
                                     encoding="utf-8")
    assert main(["review", str(tmp_path), "--json", "--no-alternatives"]) == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["total"] == 3 and summary["ok"] == 1 and summary["bad"] == 2
    assert {(f["clause"], f["reason"]) for f in summary["frequent"]} == {
        ("A1-14p1", "method_above_band"), ("A1-20.3", "organ_wrong")
    }
    assert "3/3" in captured.err  # the progress bar


def test_receipt_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = set()
    for seed in ("0", "1", "4242"):
        receipt = tmp_path / f"r{seed}.json"
        subprocess.run(
            [sys.executable, "-m", "akb.cli", "review", str(BAD), "--receipt", str(receipt)],
            env=dict(os.environ, PYTHONHASHSEED=seed), cwd=ROOT, capture_output=True,
        )
        outputs.add(receipt.read_bytes())
    assert len(outputs) == 1
    data = json.loads(outputs.pop())
    import hashlib

    assert data["decision_sha256"] == hashlib.sha256(BAD.read_bytes()).hexdigest()
    assert len(data["rulebook_sha256"]) == 64 and data["rulebook_version"]
    assert data["interpretations"]["period_counting"] == "procedural"
    assert {"check": "band", "party": "崔明远", "clause": "A1-14p1", "subject": "", "verdict": "problem",
            "reason": "method_above_band"} in data["verdicts"]


def _texts(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_documents_contain_names_clause_text_method_organ_and_dates(tmp_path, capsys):
    decision = DECISIONS / "02-correct-d16-party-committee.yaml"
    assert main(["documents", str(decision), "--out", str(tmp_path)]) == 0
    body = _texts(tmp_path / "02-correct-d16-party-committee-决定书.docx")
    for expected in ("关于对中共灌云县委领导班子及有关责任人问责的决定", "周建国", "孙立新", "停职检查",
                     "《党风廉政建设责任追究暂行办法》第五条第（四）项",
                     "落实中央八项规定精神不严格，作风建设没有形成常态化制度",
                     "批准机关：中共连云港市委", "2016年3月18日", "15日内", "向中共连云港市委提出书面申诉"):
        assert expected in body, expected
    assert body.index("一、被问责对象的基本情况") < body.index("二、问责事实") < body.index("三、申诉期限")
    form = _texts(tmp_path / "02-correct-d16-party-committee-审批表-周建国.docx")
    for expected in ("拟问责对象", "周建国", "县委书记", "停职检查", "中共连云港市委", "2016年3月18日"):
        assert expected in form, expected
    xml = (tmp_path / "02-correct-d16-party-committee-决定书.docx").read_bytes()
    import zipfile

    with zipfile.ZipFile(tmp_path / "02-correct-d16-party-committee-决定书.docx") as z:
        assert 'w:eastAsia="宋体"' in z.read("word/document.xml").decode()
    assert xml


def test_documents_escape_user_text_and_apology(tmp_path, capsys):
    text = (DECISIONS / "01-correct-staff-written-check.yaml").read_text(encoding="utf-8")
    text = text.replace("../scenarios/", str(ROOT / "kb" / "scenarios") + "/")
    text = text.replace("methods: [书面检查]", "methods: [责令公开道歉]")
    text = text.replace("  methods: 责令陈静作出书面检查。", "  methods: 责令陈静公开道歉 <b>&</b>\n"
                        "  apology_manner: 在局务会上公开道歉\n  apology_scope: 局机关全体干部")
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["documents", str(path), "--out", str(tmp_path / "out")]) == 0
    body = _texts(tmp_path / "out" / "01-correct-staff-written-check-决定书.docx")
    assert "责令陈静公开道歉 <b>&</b>" in body
    assert "在局务会上公开道歉" in body and "局机关全体干部" in body


def test_pdf_or_clear_message(tmp_path, capsys, monkeypatch):
    from explain import documents

    if documents.soffice() is None:
        assert main(["documents", str(GOOD), "--out", str(tmp_path), "--pdf"]) == 3
        err = capsys.readouterr().err
        assert "LibreOffice" in err and "soffice" in err
    else:
        assert main(["documents", str(GOOD), "--out", str(tmp_path), "--pdf"]) == 0
        assert (tmp_path / "01-correct-staff-written-check-决定书.pdf").stat().st_size > 1000
        monkeypatch.setattr(documents, "soffice", lambda: None)
        assert main(["documents", str(GOOD), "--out", str(tmp_path / "b"), "--pdf"]) == 3


@pytest.mark.parametrize("name", ["01-correct-staff-written-check.yaml", "16-correct-json-township.json"])
def test_yaml_and_json_decisions_load(name):
    from kb.decision_schema import load_decision

    assert load_decision(DECISIONS / name).decision.parties


def test_text_shows_why_not_and_proofs(capsys):
    assert main(["review", str(DECISIONS / "04-problem-clause-not-triggered.yaml"), "--no-alternatives"]) == 1
    out = capsys.readouterr().out
    assert "为何不适用" in out and "A1-6.2/c1" in out and "why not" in out
    assert main(["review", str(GOOD), "--no-alternatives", "--proofs"]) == 0
    out = capsys.readouterr().out
    assert "推理过程" in out and "A1-7.2" in out and "陈静" in out
