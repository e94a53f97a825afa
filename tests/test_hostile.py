"""Hostile input (issue 13): no hang, no crash, no misleading answer, no injection into an output.

Hangs are tested by counting work, never by timing it: proof walks visit each shared sub-proof once (the
count equals the number of distinct steps, where the old recursion counted every path), and the rows read to
build a report grow linearly with the findings. The per-file time limit of `akb evaluate FOLDER` is tested
with a file that never finishes. Crashes (output folder, closed pipe, output encoding, long file names),
misleading answers (what-if changes and events the scenario lacks) and injection (DOT labels, terminal
control sequences) each have a generated (hypothesis) test where the input space is large, and examples
taken from the issue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from akb.cli import main
from explain import narrative
from explain.deferred import Deferred
from explain.escape import escape_controls, has_controls
from explain.graph import build_graph, dot_id, to_dot, to_json
from explain.proof import Proof, Prover
from explain.report import build_report, dumps, write_json
from kb.interpretations import load_interpretations
from kb.scenario_io import load_scenario_text
from kb.vocabulary import load_vocabulary
from reasoning import batch, match
from reasoning.diff import scenario_rows
from reasoning.fact_check import ARG_KINDS, ENUMS, check_changes, check_event, known
from reasoning.facts import SCENARIO_PREDICATES
from reasoning.queries import Evaluation, run

ROOT = Path(__file__).parent.parent
AKB = [sys.executable, "-m", "akb.cli"]
CHAIN = ROOT / "kb" / "scenarios" / "d16-8-chain-three-levels.yaml"
SETTINGS = dict(derandomize=True, database=None, deadline=dt.timedelta(seconds=30), print_blob=True)
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


def _load(data: dict):
    return load_scenario_text(json.dumps(data, ensure_ascii=True), "<hostile>")[0]


def deep_hierarchy(levels: int) -> dict:
    """A 地区 per level, each with its 党委 and 纪委, and a 带病提拔 case in a village at the bottom: every
    level's liability rests on the level below, through both bodies (the shape that made proofs exponential)."""
    units = [{"id": "L0", "kind": "地区"}]
    for i in range(levels):
        if i:
            units.append({"id": f"L{i}", "kind": "地区", "parent": f"L{i - 1}"})
        units += [
            {"id": f"P{i}", "kind": "党委", "answers_for": f"L{i}"},
            {"id": f"D{i}", "kind": "纪委", "answers_for": f"L{i}"},
        ]
    units.append({"id": "村", "kind": "村", "parent": f"L{levels - 1}"})
    declined = [  # each level recorded not pursuing the level below, so the chain climbs to the top
        {
            "type": "accountability",
            "id": f"不追{body}{i}",
            "date": "2015-09-15",
            "concerning": "案1",
            "target": f"{body}{i}",
            "by": f"{body}{i - 1}",
            "outcome": "未追究",
        }
        for i in range(levels - 1, 0, -1)
        for body in "PD"
    ]
    return {
        "scenario": {"id": f"deep-{levels}", "title": "逐级", "as_of": "2016-03-31"},
        "units": units,
        "persons": [{"id": "张强", "positions": [{"unit": "村", "role": "一般工作人员", "from": "2014-03-01"}]}],
        "events": [
            {
                "type": "case",
                "id": "案1",
                "date": "2015-06-10",
                "party": "张强",
                "unit": "村",
                "elements": ["D16-8.3/s1"],
                "severity": "较重",
            },
            *declined,
        ],
    }


def many_findings(n: int) -> dict:
    """`n` findings about one party committee (and so about its principal, one person)."""
    return {
        "scenario": {"id": f"many-{n}", "title": "多项认定", "as_of": "2016-03-31"},
        "units": [
            {"id": "连云港市", "kind": "地区"},
            {"id": "市委", "kind": "党委", "answers_for": "连云港市"},
            {"id": "市纪委", "kind": "纪委", "answers_for": "连云港市"},
        ],
        "persons": [{"id": "王华", "positions": [{"unit": "市委", "role": "主要负责人", "from": "2013-01-01"}]}],
        "events": [
            {
                "type": "finding",
                "id": f"事{i}",
                "date": "2015-09-15",
                "subject": "市委",
                "elements": ["D16-5.4/c1", "D16-5.4/q1", "D16-5.4/e1"],
                "severity": "较重",
            }
            for i in range(n)
        ],
    }


# ---------------------------------------------------------------------------------------------------------
# Hangs: proof walks
# ---------------------------------------------------------------------------------------------------------


class Counted(list):
    """A premises list that counts how often it is walked."""

    walks = 0

    def __iter__(self):
        Counted.walks += 1
        return super().__iter__()

    def __reversed__(self):
        Counted.walks += 1
        return super().__reversed__()


def _count_premises(root: Proof) -> int:
    """Replace every premises list of a proof by a counted one; the number of distinct steps."""
    seen: dict[int, Proof] = {}
    stack = [root]
    while stack:
        p = stack.pop()
        if id(p) in seen:
            continue
        seen[id(p)] = p
        stack += list(p.premises)
    for p in seen.values():
        p.premises = Counted(p.premises)
    return len(seen)


def _diamonds(depth: int) -> Proof:
    """Two conclusions per level, each resting on both of the level below: 2**depth paths, 2*depth+1 steps."""
    below = [Proof("interp", ("period_counting", "plain"), "interpretation")] * 2
    for k in range(depth):
        below = [Proof("p", (str(k), side), "rule", rule=f"r{k}", premises=list(below)) for side in "ab"]
    return Proof("liable", ("x",), "rule", rule="top", premises=below)


def test_a_proof_with_shared_sub_proofs_is_walked_once_per_step():
    """The issue's hang: 2**24 paths, 49 steps. Each step's premises are read once per question."""
    root = _diamonds(24)
    steps = _count_premises(root)
    Counted.walks = 0
    assert root.interpretations() == {("period_counting", "plain")}
    assert Counted.walks <= steps
    Counted.walks = 0
    assert len(root.atoms()) == 2 * 24 + 2 and len(root.rules()) == 25
    assert Counted.walks <= 2 * steps


@st.composite
def dags(draw):
    """A random proof DAG: node i's premises are drawn among the nodes after it (so sharing is common)."""
    n = draw(st.integers(1, 25))
    kinds = draw(st.lists(st.sampled_from(["fact", "interpretation", "rule"]), min_size=n, max_size=n))
    nodes: list[Proof] = [None] * n  # type: ignore[list-item]
    for i in reversed(range(n)):
        later = list(range(i + 1, n))
        picks = draw(st.lists(st.sampled_from(later), max_size=4)) if later and kinds[i] == "rule" else []
        args = ("name", str(i)) if kinds[i] == "interpretation" else (str(i),)
        nodes[i] = Proof(
            "interp" if kinds[i] == "interpretation" else "p",
            args,
            kinds[i],
            rule=f"r{i}" if kinds[i] == "rule" else None,
            premises=[nodes[j] for j in picks],
        )
    return nodes[0]


def _reference(p: Proof) -> tuple[set, set, set]:
    """Interpretations, atoms and rules by plain recursion (fine on small DAGs): the oracle."""
    interps = {p.args} if p.kind == "interpretation" else set()
    atoms = {(p.pred, p.args)}
    rules = {p.rule} if p.rule else set()
    for q in p.premises:
        i, a, r = _reference(q)
        interps |= i
        atoms |= a
        rules |= r
    return interps, atoms, rules


@settings(max_examples=200, **SETTINGS)
@given(dags())
def test_proof_walks_agree_with_plain_recursion_and_visit_each_step_once(root):
    interps, atoms, rules = _reference(root)
    steps = _count_premises(root)
    Counted.walks = 0
    assert root.interpretations() == interps
    assert Counted.walks <= steps
    assert root.atoms() == atoms and root.rules() == rules


def test_report_on_a_deep_hierarchy_walks_each_proof_step_once():
    """Every level has a 党委 and a 纪委 (the issue's exponential case), evaluated for real: each liability's
    interpretations are found by reading each of its proof's steps once."""
    ev = run(_load(deep_hierarchy(9)))
    prover = Prover(ev.rulebook, ev.model)
    roots = [prover.prove("liable", row) for row in ev.liabilities()]
    assert len(roots) >= 2 * 9
    for root in roots:
        steps = _count_premises(root)
        Counted.walks = 0
        readings = root.interpretations()
        assert Counted.walks <= steps
        assert ("before_entry_into_force", "not_applicable") in readings
    report = build_report(ev)
    assert {f["party"] for f in report["findings"]} >= {f"P{i}" for i in range(9)} | {f"D{i}" for i in range(9)}


# ---------------------------------------------------------------------------------------------------------
# Hangs: many findings on one party
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many() -> dict[int, Evaluation]:
    return {n: run(_load(many_findings(n))) for n in (6, 24)}


def _report_work(ev: Evaluation, monkeypatch) -> tuple[int, int]:
    """(rows read from the model by the report, rows tried by proof matching) for one report."""
    read = [0]
    tried = [0]
    rows = Evaluation.rows

    class Rows(list):
        def __iter__(self):
            read[0] += len(self)
            return super().__iter__()

    def counted_rows(self, pred):
        return Rows(rows(self, pred))

    candidates = match.candidates

    def counted_candidates(atom, binding, index):
        out = candidates(atom, binding, index)
        tried[0] += len(out)
        return out

    fresh = Evaluation(ev.scenario, ev.readings, ev.rulebook, ev.model)  # no cached rows or indexes
    with monkeypatch.context() as m:
        m.setattr(Evaluation, "rows", counted_rows)
        m.setattr(match, "candidates", counted_candidates)
        build_report(fresh)
    return read[0], tried[0]


def test_report_work_grows_linearly_with_findings_on_one_party(many, monkeypatch):
    """Four times the findings, at most about four times the rows read and tried (it was sixteen: every
    finding scanned every row of the party, and every proof tried every event of the party)."""
    small, large = (_report_work(many[n], monkeypatch) for n in (6, 24))
    assert len(many[24].liabilities()) == 4 * len(many[6].liabilities())
    assert large[0] <= 5 * small[0], (small, large)
    assert large[1] <= 5 * small[1], (small, large)


def test_json_is_written_as_made_the_same_text_with_one_proof_at_a_time(many):
    """`akb evaluate --json` writes the report as it makes it: the same bytes as the whole text at once, but
    each proof is made only when written (5,000 findings on one person peaked at 3.4 GB; now 0.24 GB)."""
    import io

    whole = dumps(build_report(many[24]))
    deferred = build_report(many[24], defer=True)
    proofs = [f["proof"] for f in deferred["findings"]] + [d["proof"] for d in deferred["duties"]]
    assert proofs and all(isinstance(p, Deferred) for p in proofs)
    made: list[int] = []
    at_writes: list[int] = []  # proofs made so far, at each write

    class Out(io.StringIO):
        def write(self, s: str) -> int:
            at_writes.append(len(made))
            return super().write(s)

    for p in proofs:
        make = p.make
        p.make = lambda make=make: made.append(1) or make()
    out = Out()
    write_json(deferred, out, pieces=50)
    assert out.getvalue() == whole
    assert len(made) == len(proofs)
    assert len(set(at_writes)) > len(proofs) / 2  # written while the proofs were being made, not after them all


def test_the_narrative_never_rereads_what_it_already_wrote(many):
    """The sanction lines are appended, not joined with all the text written before them (that join per
    finding made the text report quadratic: 52 s for 1,000 findings)."""
    report = build_report(many[6])
    sanctions = [f["sanction"] for f in report["findings"] if f.get("sanction")]
    assert sanctions

    class Written(list):
        reads = 0

        def __iter__(self):
            Written.reads += 1
            return super().__iter__()

    out = Written(["…"] * 1000)
    for s in sanctions:
        narrative._sanction_lines(s, out)
    assert Written.reads == 0 and len(out) > 1000
    text = narrative.render(report)
    assert text.count("事0") >= 1 and text.count("\n") > len(report["findings"])


# ---------------------------------------------------------------------------------------------------------
# Hangs: a file of a batch that never finishes
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def stalling_folder(tmp_path: Path, monkeypatch) -> Path:
    """Two sample files and one whose evaluation never returns (forked workers inherit the patch)."""
    for name in ("d16-8-chain-three-levels.yaml", "d16-5-team-failure.yaml"):
        shutil.copy(ROOT / "kb" / "scenarios" / name, tmp_path / name)
    shutil.copy(CHAIN, tmp_path / "b-stalls.yaml")
    text = (tmp_path / "b-stalls.yaml").read_text(encoding="utf-8")
    (tmp_path / "b-stalls.yaml").write_text(text.replace("id: d16-8-chain-three-levels", "id: stalls"), "utf-8")

    def stalling(scenario, chosen=None, rulebook=None):
        if scenario.scenario.id == "stalls":
            time.sleep(3600)
        return run(scenario, chosen, rulebook)

    monkeypatch.setattr("reasoning.queries.run", stalling)
    return tmp_path


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_over_the_time_limit_fails_and_the_batch_goes_on(stalling_folder, workers):
    result = batch.evaluate_files(batch.scenario_files(stalling_folder), workers=workers, timeout=3)
    outcome = {Path(r.path).name: (r.ok, r.code) for r in result.results}
    assert outcome == {
        "b-stalls.yaml": (False, "timeout"),
        "d16-5-team-failure.yaml": (True, None),
        "d16-8-chain-three-levels.yaml": (True, None),
    }
    stalled = next(r for r in result.results if not r.ok)
    assert batch.as_json(stalled)["code"] == "timeout"


def test_cli_names_the_file_over_the_time_limit(stalling_folder, capsys):
    assert main(["evaluate", str(stalling_folder), "--timeout", "3", "--workers", "2"]) == 2
    out, err = capsys.readouterr()
    assert "3 files: 2 ok, 1 failed" in out
    assert "b-stalls.yaml: 超过时间限制（3秒）" in err and "did not finish within the time limit (3 s)" in err


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_cli_refuses_a_negative_time_limit(tmp_path, capsys, value):
    assert main(["evaluate", str(tmp_path), "--timeout", value]) == 2
    err = capsys.readouterr().err
    assert "--timeout 应为正数" in err and "--timeout must be a positive number" in err


# ---------------------------------------------------------------------------------------------------------
# Crashes
# ---------------------------------------------------------------------------------------------------------


def test_graph_output_to_a_missing_folder_or_to_a_folder(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "g.dot"
    assert main(["graph", str(CHAIN), "--output", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "does not exist" in err and str(missing.parent) in err
    assert main(["graph", str(CHAIN), "--format", "json", "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "这是一个文件夹" in err and "it is a folder" in err
    assert main(["graph", str(CHAIN), "--output", str(tmp_path / "g.dot")]) == 0
    assert (tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph")


# Command-line arguments cannot hold NUL, and "/" only separates folders; the names are tried in an empty folder.
NAMES = st.text(st.characters(blacklist_characters="\x00/", blacklist_categories=("Cs",)), min_size=1, max_size=400)


@settings(max_examples=60, suppress_health_check=SLOW_OK, **SETTINGS)
@given(name=NAMES, command=st.sampled_from(["evaluate", "graph", "steps", "contrast", "almost"]))
def test_any_file_name_is_a_message_and_exit_2(tmp_path, monkeypatch, capsys, name, command):
    assume(name not in (".", ".."))
    monkeypatch.chdir(tmp_path)
    assert main([command, name]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_a_300_character_file_name(capsys):
    name = "情" * 300 + ".yaml"
    assert main(["evaluate", name]) == 2
    err = capsys.readouterr().err
    assert "文件名过长（305个字符）" in err and "file name too long (305 characters)" in err


def _akb(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*AKB, *args], capture_output=True, cwd=ROOT, env={**os.environ, **(env or {})}, **kw)


def test_a_closed_pipe_is_a_message_and_exit_2():
    """`akb clauses | head`: the reader goes away; the rest is dropped with one line on stderr, no traceback."""
    proc = subprocess.Popen([*AKB, "clauses"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read().decode("utf-8")  # type: ignore[union-attr]
    assert proc.wait() == 2
    assert "输出管道已被关闭" in err and "the output pipe was closed" in err and "Traceback" not in err


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_encoding_without_chinese_gets_escapes_a_message_and_exit_2(encoding):
    env = {"PYTHONIOENCODING": encoding}
    text = _akb("clause", "D16-8.3", env=env)
    assert text.returncode == 2, text.stderr  # written in full as escapes, and the status says so
    out = text.stdout.decode(encoding)
    assert "\\u300a\\u515a\\u98ce" in out and "[D16-8.3]" in out  # 《党风
    assert "PYTHONIOENCODING=utf-8" in text.stderr.decode(encoding)
    as_json = _akb("clause", "D16-8.3", "--json", env=env)
    assert as_json.returncode == 2
    utf8 = _akb("clause", "D16-8.3", "--json", env={"PYTHONIOENCODING": "utf-8"})
    assert json.loads(as_json.stdout.decode(encoding)) == json.loads(utf8.stdout.decode("utf-8"))


def test_a_character_beyond_the_bmp_is_escaped_as_valid_json(capsys, monkeypatch):
    """A surrogate pair, so that JSON read from a narrow output still means the same."""
    from akb.cli import SafeStream

    class Ascii:
        encoding = "ascii"
        written = ""

        def write(self, s):
            s.encode("ascii")
            Ascii.written += s
            return len(s)

    stream = SafeStream(Ascii())
    stream.write(json.dumps({"k": "𠀀中"}, ensure_ascii=False))
    assert json.loads(Ascii.written) == {"k": "𠀀中"} and stream.fell_back


# ---------------------------------------------------------------------------------------------------------
# Wrong or misleading: what-if changes and events the scenario does not have
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain() -> Evaluation:
    from kb.scenario_io import load_scenario

    return run(load_scenario(CHAIN))


def _valid(ev: Evaluation, kind: str | None, args: tuple[str, ...]) -> set[str] | None:
    """The oracle: the scenario's own ids, the knowledge base's names, the schema's values."""
    s = ev.scenario
    events = {e.id for e in s.events if getattr(e, "type", "") in ("finding", "case")}
    return {
        "unit": {u.id for u in s.units},
        "person": {p.id for p in s.persons},
        "party": {u.id for u in s.units} | {p.id for p in s.persons} | {g.id for g in s.groups},
        "event": events,
        "matter": events | (known(ev, "record") or set()),
        "element": set(load_vocabulary().elements),
        "interpretation": set(load_interpretations()),
        "reading": set(load_interpretations()[args[0]].readings) if args[0] in load_interpretations() else None,
    }.get(kind or "", known(ev, kind, args) if kind else None)


@st.composite
def facts(draw, ev: Evaluation):
    """A fact of the scenario language whose arguments are ids of the right kind, or near misses of them."""
    pred = draw(st.sampled_from(sorted(ARG_KINDS)))
    args: list[str] = []
    for kind in ARG_KINDS[pred]:
        pool = sorted(_valid(ev, kind, tuple(args) or ("",)) or {"教育"})
        good = draw(st.sampled_from(pool))
        args.append(draw(st.sampled_from([good, good + "x", good[:-1] or "x", "<" + good + ">"])))
    return pred, tuple(args)


def test_every_scenario_fact_has_its_argument_kinds():
    """A predicate added to the scenario language must say what its arguments name, or it goes unchecked."""
    assert {p: len(k) for p, k in ARG_KINDS.items()} == SCENARIO_PREDICATES


@settings(max_examples=300, suppress_health_check=SLOW_OK, **SETTINGS)
@given(data=st.data())
def test_added_facts_are_refused_exactly_when_they_name_what_does_not_exist(chain, data):
    pred, args = data.draw(facts(chain))
    kinds = ARG_KINDS[pred]
    bad = {
        i
        for i, (kind, value) in enumerate(zip(kinds, args, strict=True))
        if kind is not None
        and (valid := _valid(chain, kind, args)) is not None
        and value not in valid
    }
    problems = check_changes(chain, scenario_rows(chain), [(pred, args)], [])
    assert {p.value for p in problems} == {args[i] for i in bad}
    for p in problems:
        assert p.near or not _valid(chain, p.kind, args), p  # the nearest, or every valid value, if any
        assert p.code in ("unknown_in_fact", "unknown_name_in_fact", "unknown_value_in_fact")
        if p.kind in ENUMS or p.kind in ("reading", "one_year"):
            assert set(p.near) == _valid(chain, p.kind, args)


@settings(max_examples=100, suppress_health_check=SLOW_OK, **SETTINGS)
@given(data=st.data())
def test_removed_facts_must_be_in_the_scenario(chain, data):
    have = scenario_rows(chain)
    pred = data.draw(st.sampled_from(sorted(p for p in have if have[p])))
    row = data.draw(st.sampled_from(sorted(have[pred])))
    assert check_changes(chain, have, [], [(pred, row)]) == []
    other = data.draw(st.sampled_from(sorted(ARG_KINDS)))
    args = tuple(f"{v}x" for v in row)[: len(ARG_KINDS[other])] or ("x",)
    assume(len(args) == len(ARG_KINDS[other]) and args not in have.get(other, set()))
    assert check_changes(chain, have, [], [(other, args)]), (other, args)


@settings(max_examples=100, **SETTINGS)
@given(st.text(min_size=1, max_size=30))
def test_an_unknown_event_is_refused_with_the_nearest(chain, event):
    problem = check_event(chain, event)
    if event == "案1":
        assert problem is None
    else:
        assert problem is not None and problem.near == ("案1",)


@pytest.mark.parametrize(
    "args, says",
    [
        (["--add", "interp(period_counting, foo)"], ["“foo”不是可用的取值", "Valid: plain, procedural"]),
        (["--add", "interp(period_countin, plain)"], ["相近的：period_counting", "Nearest: period_counting"]),
        (["--add", "established(案2, D16-8.3/s1)"], ["事件“案2”在情景中不存在。相近的：案1", "Nearest: 案1"]),
        (["--add", "established(案1, D16-8.3/s9)"], ["情形要素“D16-8.3/s9”不存在", "D16-8.3/s1"]),
        (["--remove", "case_party(案1, 张三)"], ["“张三”在情景中不存在", "Nearest: 张强"]),
        (["--remove", "pursued(王华, 案1)"], ["要删除的事实 pursued(王华, 案1) 不在情景中", "is not in the scenario"]),
        (["--add", "severity(案1, 很重)"], ["可用：严重、较轻、较重", "Valid: 严重, 较轻, 较重"]),
    ],
)
def test_diff_refuses_what_the_scenario_lacks(capsys, args, says):
    assert main(["diff", str(CHAIN), *args]) == 2
    err = capsys.readouterr().err
    for s in says:
        assert s in err


def test_diff_still_accepts_real_changes(capsys):
    assert main(["diff", str(CHAIN), "--add", "pursued(浦西镇党委, 案1)", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changes"]["add"] == [{"pred": "pursued", "args": ["浦西镇党委", "案1"]}]


def test_why_not_refuses_an_unknown_event(capsys):
    assert main(["why-not", str(CHAIN), "--party", "王华", "--clause", "D16-5.9", "--event", "案9"]) == 2
    err = capsys.readouterr().err
    assert "情景中没有事件“案9”。相近的编号：案1" in err and "the scenario has no event '案9'. Nearest ids: 案1" in err


# ---------------------------------------------------------------------------------------------------------
# Injection into outputs
# ---------------------------------------------------------------------------------------------------------

HOSTILE_TEXT = st.text(
    st.one_of(
        st.sampled_from(list('<>"\\:;[]{}=&-|\x1b\x07\x08\r\x9b\u202e\u2028\x7f \n')),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=40,
)


@settings(max_examples=60, suppress_health_check=SLOW_OK, **SETTINGS)
@given(st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_dot_labels_and_ids_are_quoted_escaped_and_mean_only_themselves(nodes):
    g = nx.DiGraph(title={"zh": nodes[0][1], "en": ""}, title_en={"en": nodes[0][2]})
    ids = [f"C {n}" for n, _, _ in nodes]
    for nid, (_, zh, en) in zip(ids, nodes, strict=True):
        g.add_node(nid, kind="conclusion", zh=zh or "x", en=en)
    for a, b in zip(ids, ids[1:], strict=False):
        g.add_edge(a, b, kind="premise")
    dot = to_dot(g)
    assert not has_controls(dot.replace("\n", "").replace("\t", ""))
    for line in dot.splitlines():
        assert "label=<" not in line.replace("label=<<TABLE", ""), line  # no HTML-like label but the legend
    if shutil.which("dot") is None:
        return
    parsed = subprocess.run(["dot", "-Tjson0"], input=dot.encode("utf-8"), capture_output=True)
    assert parsed.returncode == 0, parsed.stderr.decode()
    objects = json.loads(parsed.stdout)["objects"]
    assert sorted(o["name"] for o in objects) == sorted([str(dot_id(n)) for n in ids] + ["K legend"])
    assert len(json.loads(parsed.stdout).get("edges", [])) == len(ids) - 1


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    data = deep_hierarchy(2)
    data["scenario"]["title"] = "标题\x1b[31m红\x1b]0;pwned\x07\u202e"
    data["scenario"]["description"] = "说明\x1b[2J\x9b2J"
    renames = {"L0": "<连云港市", "P0": "市委>", "D0": "<b>纪委</b>>", "L1": "海州区\\", "P1": 'x"];y[label="'}
    text = json.dumps(data, ensure_ascii=True)
    for old, new in renames.items():
        text = text.replace(json.dumps(old), json.dumps(new, ensure_ascii=True))
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


RAW = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.mark.parametrize(
    "command",
    [["evaluate"], ["evaluate", "--brief"], ["steps"], ["graph", "--format", "dot"], ["graph", "--format", "text"]],
)
def test_control_sequences_a_user_wrote_are_shown_escaped(hostile, capsys, command):
    assert main([command[0], str(hostile), *command[1:]]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in RAW)
    if "--brief" not in command:  # the brief form has no title
        assert "\\x1b[31m红\\x1b]0;pwned\\x07\\u202e" in out.replace("\\\\", "\\")


def test_hostile_ids_give_a_dot_graph_with_the_same_nodes(hostile, tmp_path, capsys):
    from kb.scenario_io import load_scenario

    ev = run(load_scenario(hostile))
    g = build_graph(ev)
    assert main(["graph", str(hostile), "--output", str(tmp_path / "g.dot")]) == 0
    dot = (tmp_path / "g.dot").read_text(encoding="utf-8")
    assert dot == to_dot(g) and not any(c in dot for c in RAW)
    if shutil.which("dot") is None:
        return
    parsed = subprocess.run(["dot", "-Tjson0"], input=dot.encode("utf-8"), capture_output=True)
    assert parsed.returncode == 0, parsed.stderr.decode()
    names = sorted(o["name"] for o in json.loads(parsed.stdout)["objects"])
    assert names == sorted([str(dot_id(n["id"])) for n in to_json(g)["nodes"]] + ["K legend"])


@settings(max_examples=300, **SETTINGS)
@given(st.text())
def test_escaping_leaves_no_control_character_and_keeps_everything_else(s):
    out = escape_controls(s)
    assert not has_controls(out)
    assert escape_controls(out) == out
    if not has_controls(s):
        assert out == s
    kept = [c for c in s if not has_controls(c)]
    assert all(c in out for c in kept)
