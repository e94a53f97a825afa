"""`akb evaluate FOLDER`: every *.yaml of a folder on several worker processes, results in file order, bad
files reported with their errors and counted (exit status 2), never a traceback; the JSON of every sample is
byte-identical whatever the number of workers, the run or the hash seed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from akb.cli import main
from explain.report import build_report, dumps
from kb.scenario_io import load_scenario
from reasoning import batch
from reasoning.queries import run

ROOT = Path(__file__).parent.parent
SAMPLES = sorted((ROOT / "kb" / "scenarios").glob("*.yaml"))
SMALL = [p for p in SAMPLES if p.name.startswith(("d16-8", "d16-5", "a1-deadline"))]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for p in SMALL:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "b-bad.yaml").write_text("scenario: {id: x}\nunits: [{id: u, kind: 星球}]\n", encoding="utf-8")
    (tmp_path / "c-not-yaml.yaml").write_bytes(b"\xff\xfe\x00junk")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    shutil.copy(SMALL[0], tmp_path / "sub" / "ignored.yaml")
    return tmp_path


def test_only_the_folders_own_yaml_files_in_name_order(folder):
    names = [p.name for p in batch.scenario_files(folder)]
    assert names == sorted(names) and "notes.txt" not in names and "ignored.yaml" not in names
    assert len(names) == len(SMALL) + 2


@pytest.mark.parametrize("workers", [1, 2])
def test_results_in_file_order_with_failures_counted(folder, workers):
    files = batch.scenario_files(folder)
    seen = []
    result = batch.evaluate_files(files, workers=workers, progress=lambda done, total, r: seen.append((done, total)))
    assert [r.path for r in result.results] == [str(p) for p in files]
    assert result.failed == 2 and result.workers == workers
    assert seen[-1] == (len(files), len(files)) and len(seen) == len(files)
    for r in result.results:
        if r.path.endswith("b-bad.yaml"):
            assert not r.ok and {i.code for i in r.issues} >= {"missing_field", "bad_choice"}
        elif r.path.endswith("c-not-yaml.yaml"):
            assert not r.ok and [i.code for i in r.issues] == ["not_utf8"]
        else:
            assert r.ok and r.report == build_report(run(load_scenario(r.path)))
            assert r.summary == r.report["summary"]


def test_a_failure_inside_evaluation_fails_that_file_only(folder, monkeypatch):
    """An unexpected exception (not a scenario error) in one file is reported for that file; the workers
    are forked after the patch, so they fail the same way."""

    def boom(scenario, chosen=None, rulebook=None):
        if scenario.scenario.id == "d16-8-chain-three-levels":
            raise RuntimeError("engine exploded")
        return run(scenario, chosen, rulebook)

    monkeypatch.setattr("reasoning.queries.run", boom)
    result = batch.evaluate_files(batch.scenario_files(folder), workers=2)
    failed = {Path(r.path).name: r.error for r in result.results if not r.ok}
    assert failed["d16-8-chain-three-levels.yaml"] == "RuntimeError: engine exploded"
    assert result.failed == 3


def test_cli_folder_text_output_and_exit_status(folder, capsys):
    assert main(["evaluate", str(folder), "--workers", "2"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert sum(line.startswith("✓ ") for line in lines) == len(SMALL)
    assert sum(line.startswith("✗ ") for line in lines) == 2
    assert f"{len(SMALL) + 2} files: {len(SMALL)} ok, 2 failed" in out and "2 workers" in out
    assert "b-bad.yaml" in err and "星球" in err and "Traceback" not in err + out


def test_cli_folder_json_is_a_list_in_file_order(folder, capsys):
    assert main(["evaluate", str(folder), "--json", "--workers", "2"]) == 2
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [Path(d["file"]).name for d in data] == [p.name for p in batch.scenario_files(folder)]
    bad = next(d for d in data if d["file"].endswith("b-bad.yaml"))
    assert not bad["ok"] and bad["issues"] and "星球" in bad["message"]
    good = next(d for d in data if d["file"].endswith("d16-8-chain-three-levels.yaml"))
    assert good["ok"] and good["report"] == json.loads(dumps(build_report(run(load_scenario(good["file"])))))
    assert "2 failed" in err


def test_cli_all_good_folder_exits_0_and_bad_workers_is_a_usage_error(tmp_path, capsys):
    shutil.copy(SMALL[0], tmp_path / SMALL[0].name)
    assert main(["evaluate", str(tmp_path), "--workers", "1"]) == 0
    assert "1 files: 1 ok, 0 failed" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(tmp_path), "--workers", "0"])
    assert exc.value.code == 2


def test_single_file_still_works(capsys):
    assert main(["evaluate", str(SMALL[0]), "--brief"]) == 0
    assert capsys.readouterr().out


def test_every_sample_is_byte_identical_across_workers_processes_and_hash_seeds():
    """The JSON of the whole sample folder, from separate processes under different hash seeds and worker
    counts, is byte for byte the same, and each report equals the in-process one."""
    outputs = set()
    for seed, workers in (("0", "1"), ("1", "2"), ("12345", "2")):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "akb.cli",
                "evaluate",
                str(ROOT / "kb" / "scenarios"),
                "--json",
                "--workers",
                workers,
            ],
            capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
            cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    data = json.loads(outputs.pop())
    assert [Path(d["file"]).name for d in data] == [p.name for p in SAMPLES]
    for d, path in zip(data, SAMPLES, strict=True):
        assert json.dumps(d["report"], ensure_ascii=False, sort_keys=True, indent=2) == dumps(
            build_report(run(load_scenario(path)))
        )
