"""Put many facts of one predicate into the current thread's pyDatalog logic at once (pyDatalog 0.22.4, pinned).

`pyEngine.assert_` on a fact looks its predicate up by name, builds its id, tries to retract an equal fact,
files it in the predicate's table and argument indexes, and registers the predicate again, every time: 2,313
facts cost 10 ms of a 60 ms evaluation at 50 persons. Rows of one predicate share all but the filing, and a
model's rows are a set, so none can already be there; `put` files each row exactly as `assert_` would (the
same clause, id and index entries; `tests/test_pydatalog_facts.py` compares the tables) and registers the
predicate once. Constants are shared through a per-evaluation table: equal strings, one `Const`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyDatalog import pyEngine

Row = tuple[str, ...]


class Constants(dict):
    """One pyDatalog constant per value, for the life of one logic (never shared between logics)."""

    def __missing__(self, value: str) -> Any:
        const = self[value] = pyEngine.Const(value)
        return const


def put(name: str, arity: int, rows: Iterable[Row], consts: Constants) -> None:
    """File rows the logic does not hold yet as facts of `name` (as `pyEngine.assert_` would, one by one)."""
    pred = pyEngine.Pred(name, arity)
    pred.prearity = arity  # what a literal naming the predicate by name sets
    db, index, pid = pred.db, pred.index, pred.id
    clause_of, literal_of = pyEngine.Clause, pyEngine.Literal
    for row in rows:
        clause = clause_of(literal_of(pred, [consts[v] for v in row]), [])
        key = clause.id = ((pid, *row),)  # what Clause.get_id gives a fact: its head's id, the row's values
        db[key] = clause
        for position, value in enumerate(row):
            facts = index[position].get(value)
            if facts is None:
                facts = index[position][value] = set()
            facts.add(clause)
    pyEngine.insert(pred)
