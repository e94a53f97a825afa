"""Proofs: rule instance with verbatim clause text, the scenario facts used, negative conditions under the
closed-world assumption, the interpretations relied on, and sub-proofs down to facts."""

from __future__ import annotations

from pathlib import Path

from explain.proof import Prover, to_json
from kb.registry import load_registry
from kb.scenario_io import load_scenario
from reasoning.queries import run

CHAIN = Path(__file__).parent.parent / "kb" / "scenarios" / "d16-8-chain-three-levels.yaml"


def _walk(node):
    yield node
    for key in ("facts", "because"):
        for child in node.get(key, []):
            yield from _walk(child)


def test_chain_proof_goes_down_every_level_to_the_case():
    ev = run(load_scenario(CHAIN))
    proof = Prover(ev.rulebook, ev.model).prove("liable", ("市委", "主体责任", "D16-5.9", "案1"))
    assert proof is not None
    atoms = proof.atoms()
    assert ("liable", ("海州区委", "主体责任", "D16-5.9", "案1")) in atoms
    assert ("liable", ("浦西镇党委", "主体责任", "D16-8.3", "案1")) in atoms
    assert ("established", ("案1", "D16-8.3/s1")) in atoms
    assert {"D16-5.9/chain", "D16-8.3/committee", "D16-8.3/situation/b1"} <= proof.rules()


def test_negative_conditions_are_stated_with_the_closed_world_assumption():
    ev = run(load_scenario(CHAIN))
    node = to_json(
        Prover(ev.rulebook, ev.model).prove("liable", ("海州区委", "主体责任", "D16-5.9", "案1")), ev.rulebook
    )
    absent = [a for n in _walk(node) if n.get("kind") == "rule" for a in n["absent"]]
    # the decision not to pursue is recorded (不追1); that nobody held the township committee accountable after
    # all is the negative condition, stated under the closed-world assumption
    pursued = [a for a in absent if a["atom"]["pred"] == "pursued_for"]
    assert pursued and all(a["assumption"] == "closed_world" for a in absent)
    assert pursued[0]["atom"]["args"] == ["浦西镇党委", "案1"]
    assert "已对浦西镇党委追究责任" in pursued[0]["reads"]["zh"]


def test_rule_nodes_carry_the_verbatim_clause_text():
    ev = run(load_scenario(CHAIN))
    reg = load_registry()
    node = to_json(Prover(ev.rulebook, ev.model).prove("liable", ("李明", "主要领导责任", "D16-8.3", "案1")), ev.rulebook)
    for n in _walk(node):
        if n.get("kind") == "rule":
            assert n["rule"]["clause_text"] == reg.get(n["rule"]["clause"]).text


def test_proof_names_the_interpretations_it_depends_on():
    ev = run(load_scenario(CHAIN))
    proof = Prover(ev.rulebook, ev.model).prove("liable", ("海州区委", "主体责任", "D16-5.9", "案1"))
    assert ("pursuit_record", "explicit_only") in proof.interpretations()


def test_a_conclusion_that_does_not_hold_has_no_proof():
    ev = run(load_scenario(CHAIN))
    assert Prover(ev.rulebook, ev.model).prove("liable", ("张强", "主体责任", "D16-5.1", "案1")) is None
