"""Facts filed in bulk (reasoning/pydatalog_facts.put) are filed exactly as pyDatalog's own `assert_` files
them one by one: the same clause ids, tables and argument indexes, and the same answers to queries."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyDatalog import pyEngine
    from pyDatalog.Logic import Logic

from reasoning.engine import release_logic
from reasoning.pydatalog_facts import Constants, put

ROWS = [("张三", "市委", "书记", "事1"), ("李四", "市委", "书记", "事1"), ("张三", "县委", "常委", "事2")]


def _tables(name: str, arity: int) -> tuple:
    pred = pyEngine.Pred(name, arity)
    db = {key: tuple(t.id for t in c.head.terms) for key, c in pred.db.items()}
    index = [{v: sorted(tuple(t.id for t in c.head.terms) for c in cs) for v, cs in col.items()} for col in pred.index]
    return db, index, pred.prearity, f"{name}/{arity}" in Logic.tl.logic.Db


def _ask(name: str, *terms: str | None) -> list:
    args = [pyEngine.Var(f"V{k}") if t is None else pyEngine.Const(t) for k, t in enumerate(terms)]
    return sorted(pyEngine.Literal(name, args).ask() or [])


@pytest.fixture
def fresh_logic():
    Logic()
    yield
    release_logic()


def test_bulk_facts_are_filed_as_assert_files_them(fresh_logic):
    for row in ROWS:
        pyEngine.assert_(pyEngine.Clause(pyEngine.Literal("held", [pyEngine.Const(v) for v in row]), []))
    theirs = _tables("held", 4), _ask("held", None, "市委", None, None), _ask("held", "张三", None, None, "事2")
    Logic()
    put("held", 4, ROWS, Constants())
    ours = _tables("held", 4), _ask("held", None, "市委", None, None), _ask("held", "张三", None, None, "事2")
    assert ours == theirs
    assert len(ours[1]) == 2 and len(ours[2]) == 1


def test_bulk_facts_feed_rules_and_can_be_retracted(fresh_logic):
    consts = Constants()
    put("held", 4, ROWS, consts)
    x, u = pyEngine.Var("X"), pyEngine.Var("U")
    rule = pyEngine.Clause(
        pyEngine.Literal("secretary", [x, u]),
        [pyEngine.Literal("held", [x, u, pyEngine.Const("书记"), pyEngine.Var("E")])],
    )
    pyEngine.assert_(rule)
    assert _ask("secretary", None, None) == [("张三", "市委"), ("李四", "市委")]
    pyEngine.retract(pyEngine.Clause(pyEngine.Literal("held", [pyEngine.Const(v) for v in ROWS[1]]), []))
    assert _ask("held", None, None, None, None) == sorted([ROWS[0], ROWS[2]])
    assert consts["张三"] is consts["张三"]
