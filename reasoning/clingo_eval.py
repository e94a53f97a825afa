"""An independent evaluator: the same rule data translated to ASP and solved by clingo.

Used by the differential tests (and the benchmarks) to check that pyDatalog derives exactly the same
conclusions. The program text is generated from the project's own rule data and validated facts only.
"""

from __future__ import annotations

from reasoning.datalog import Atom, Const, Rule
from reasoning.engine import Model, all_facts
from reasoning.facts import Facts
from reasoning.rulebook import Rulebook


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _atom(atom: Atom) -> str:
    args = ",".join(_quote(a.value) if isinstance(a, Const) else a.name for a in atom.args)
    return f"{atom.pred}({args})"


def _literal(lit) -> str:
    if lit.atom.pred == "neq":
        a, b = (_quote(x.value) if isinstance(x, Const) else x.name for x in lit.atom.args)
        return f"{a} != {b}"
    return ("not " if lit.negated else "") + _atom(lit.atom)


def _rule(rule: Rule) -> str:
    body = ", ".join(_literal(lit) for lit in rule.body)
    return f"{_atom(rule.head)} :- {body}."


def program(rulebook: Rulebook, facts: Facts) -> str:
    """The ASP program: facts then rules."""
    lines = []
    for pred, rows in sorted(all_facts(rulebook, facts).items()):
        lines += [f"{pred}({','.join(_quote(v) for v in row)})." for row in sorted(rows)]
    lines += [_rule(r) for r in rulebook.rules]
    return "\n".join(lines)


def evaluate_clingo(rulebook: Rulebook, facts: Facts) -> Model:
    """Every fact and conclusion as computed by clingo (a stratified program has exactly one model)."""
    import clingo

    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], program(rulebook, facts))
    ctl.ground([("base", [])])
    out: dict[str, set[tuple[str, ...]]] = {}

    def on_model(m: clingo.Model) -> None:
        for sym in m.symbols(atoms=True):
            out.setdefault(sym.name, set()).add(tuple(a.string for a in sym.arguments))

    result = ctl.solve(on_model=on_model)
    if not result.satisfiable:
        raise RuntimeError("clingo found no model")
    return {p: frozenset(rows) for p, rows in out.items()}
