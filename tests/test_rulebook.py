"""The rule set as data: every rule cites existing clauses, reads in both languages, and is checked;
every operative D16 item has the rules its article calls for; every predicate has its wording."""

from __future__ import annotations

from explain.catalogue import has
from kb.registry import load_registry
from kb.vocabulary import load_vocabulary
from reasoning.rulebook import load_rulebook


def test_every_rule_cites_existing_clauses_and_has_glosses():
    reg = load_registry()
    rb = load_rulebook()
    assert len(rb.rules) > 100
    for r in rb.rules:
        assert r.clauses, r.id
        for c in r.clauses:
            assert c in reg, (r.id, c)
        assert r.gloss_zh and r.gloss_en, r.id


def test_rule_ids_are_unique_and_name_their_clause():
    rb = load_rulebook()
    ids = [r.id for r in rb.rules]
    assert len(ids) == len(set(ids))
    for r in rb.rules:
        if not r.id.startswith("situation/"):
            assert r.id.split("/")[0] in r.clauses or r.id.startswith(r.clause), r.id


def test_each_d16_item_has_situation_and_liability_rules():
    rb = load_rulebook()
    vocab = load_vocabulary()
    for item in vocab.for_document("D16"):
        ids = {r.id for r in rb.rules_citing(item.id)}
        assert any("/situation/" in i for i in ids), item.id
        assert any(r.head.pred in ("liable", "double_check") for r in rb.rules_citing(item.id)), item.id


def test_interpretation_literals_name_existing_readings():
    rb = load_rulebook()
    for r in rb.rules:
        for name, reading in r.interpretations():
            assert name in rb.interpretations, (r.id, name)
            assert reading == "*" or reading in rb.interpretations[name].readings, (r.id, name, reading)


def test_each_interpretation_is_used_by_some_rule_or_the_deadline_code():
    from reasoning.deadlines import INTERPRETATION

    rb = load_rulebook()
    used = {name for r in rb.rules for name, _ in r.interpretations()} | {INTERPRETATION}
    assert used == set(rb.interpretations)


def test_every_predicate_has_wording_in_the_catalogue():
    rb = load_rulebook()
    for pred in rb.arity:
        assert has("predicates", pred), pred


def test_strata_are_ordered_so_negation_only_looks_down():
    rb = load_rulebook()
    position = {p: i for i, comp in enumerate(rb.strata) for p in comp}
    for r in rb.rules:
        for lit in r.body:
            if lit.negated and lit.atom.pred in position:
                assert position[lit.atom.pred] < position[r.head.pred], r.id


def test_catalogue_entries_have_only_known_keys():
    """A comma in an unquoted flow-style YAML value silently splits an entry: catch it."""
    from explain.catalogue import _catalogue

    for section, entries in _catalogue().items():
        for key, entry in entries.items():
            assert set(entry) <= {"zh", "en", "fix_zh", "fix_en"}, (section, key, entry)
            assert entry["zh"] and entry["en"], (section, key)


def test_knowledge_base_yaml_reads_the_same_with_the_c_and_the_pure_parser():
    """The C loader (ruamel.yaml.clib) is used for speed; it must read every data file as the pure one does."""
    from pathlib import Path

    from ruamel.yaml import YAML

    root = Path(__file__).parent.parent
    files = [*root.joinpath("kb").rglob("*.yaml"), *root.joinpath("explain").glob("*.yaml")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert YAML(typ="safe", pure=False).load(text) == YAML(typ="safe", pure=True).load(text), path
