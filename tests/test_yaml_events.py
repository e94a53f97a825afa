"""The cheap parser events (kb/yaml_events.py) change nothing for ruamel.yaml's own readers, and the fast
reader built on them reads every scalar style, anchors and aliases as the round-trip reader does."""

from __future__ import annotations

import io

import pytest
from ruamel.yaml import YAML

from kb import yaml_events
from kb.scenario_fast import fast_yaml, yaml_lines
from kb.scenario_io import _plain, read_yaml

TEXT = """\
plain: 连云港市
quoted: '2015-10-08'
double: "a\\tb"
literal: |
  第一行
  第二行
folded: >
  one
  two
number: 12
truth: true
nothing:
date: 2015-10-08
anchored: &a 市委
again: *a
shared: &m {x: [1, two, "3"]}
copy: *m
items:
- first
- {id: 事1, when: 2016-01}
"""


@pytest.mark.parametrize("typ,pure", [("safe", False), ("safe", True), ("rt", False)])
def test_ruamel_readers_read_as_before(typ: str, pure: bool):
    assert yaml_events.install()
    after = YAML(typ=typ, pure=pure).load(io.StringIO(TEXT))
    assert after["plain"] == "连云港市" and after["again"] == "市委" and after["copy"]["x"][1] == "two"
    assert after["literal"] == "第一行\n第二行\n" and after["folded"] == "one two\n" and after["number"] == 12
    assert after["quoted"] == "2015-10-08" and after["double"] == "a\tb" and after["nothing"] is None


def test_fast_reader_reads_every_scalar_style_as_the_round_trip_reader():
    fast = fast_yaml(TEXT, 100, 10_000, frozenset(), normalise=False)
    assert fast is not None
    data, aliases = fast
    assert aliases  # a shared mapping: the loader copies it through _plain, as the round-trip tree
    assert _plain(data) == _plain(read_yaml(TEXT, "t.yaml"))


def test_lines_of_scalars_and_containers():
    lines = yaml_lines(TEXT)
    assert lines[("plain",)] == 1 and lines[("date",)] == 13 and lines[("items", 1)] == 20
    assert lines[("items", 1, "when")] == 20
