"""Proof graphs: scenario facts → rule instances (rule, clause, verbatim clause text) → conclusions, as a
networkx graph, rendered as DOT/SVG with the `graphviz` package, or exported as JSON.

The graph is built from the proofs of explain/proof.py (re-derivation over the model). A conclusion used by
several rule instances is drawn once and shared (repeated sub-proofs collapse into one node); negative
conditions are nodes of their own, read "no record of … (closed-world assumption)"; conclusions show the
interpretation readings they depend on. The upward chains (一案双查 D16-8 → D16-5.9 / D16-7.7, and A2-9) get a
node per level saying why the trace went on (no record that the level below was held accountable) or why it
stopped (the level above did pursue it; no level above in the scenario; only explicit records count).

Node ids are stable and readable: a kind letter and the atom, e.g. `C liable(市委,主体责任,D16-5.9,案1)`
(C conclusion, R rule instance, F scenario fact, L fact listed by the measure, I interpretation, N absent
fact, S chain step, X collapsed sub-proof, K legend). Everything is emitted in sorted order, so the same
scenario always gives the same DOT.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field

import networkx as nx

from explain.catalogue import text
from explain.escape import escape_controls
from explain.proof import Proof, Prover, describe
from kb.interpretations import load_interpretations
from kb.registry import covers, load_registry

FONT = "Noto Sans CJK SC"
# Colours by responsibility type (fill of a liability, border of the rule instance that concludes it).
RESP_COLOURS = {
    "主体责任": ("#c0392b", "#f9d6d2"),
    "集体责任": ("#c0392b", "#f9d6d2"),
    "监督责任": ("#1f5fa8", "#d4e4f7"),
    "主要领导责任": ("#d35400", "#fde3cc"),
    "重要领导责任": ("#9a7d0a", "#f8efc4"),
    "直接责任": ("#6c3483", "#e8daef"),
}
KIND_STYLE = {
    "fact": {"shape": "box", "style": "rounded", "color": "#555555"},
    "law": {"shape": "box", "style": "rounded,dashed", "color": "#888888"},
    "interpretation": {"shape": "note", "style": "filled", "fillcolor": "#fff7cc", "color": "#b7950b"},
    "absent": {"shape": "box", "style": "dashed", "color": "#888888", "fontcolor": "#555555"},
    "rule": {"shape": "box", "style": "filled", "fillcolor": "#f2f3f4", "color": "#555555"},
    "conclusion": {"shape": "ellipse", "color": "#333333"},
    "liability": {"shape": "box", "style": "filled,bold", "penwidth": "2"},
    "chain": {"shape": "octagon", "style": "filled", "fillcolor": "#eafaf1", "color": "#1e8449"},
    "collapsed": {"shape": "box", "style": "dotted", "color": "#888888", "fontcolor": "#555555"},
}
CHAIN_EDGE = {"color": "#1e8449", "penwidth": "2", "style": "bold"}
WRAP = 22  # characters per line of Chinese in a label
CLAUSE_CHARS = 66  # clause text shown in a label (the whole text is in the tooltip and the JSON)

Atom = tuple[str, tuple[str, ...]]


def _safe(s: str) -> str:
    """A node id graphviz will not read as a port (":" separates node and port in edge statements)."""
    return s.replace(":", "∶")


def _atom_str(pred: str, args: tuple[str, ...]) -> str:
    return f"{pred}({','.join(args)})"


def node_id(kind: str, pred: str, args: tuple[str, ...]) -> str:
    return _safe(f"{kind} {_atom_str(pred, args)}")


def _cite_en(unit) -> str:
    """The English citation of a unit ("D16 Art. 8(3)")."""
    return unit.label_en.split(" — ")[0]


def _wrap(s: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(s, width=width, break_long_words=True, break_on_hyphens=False)) or s


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass
class Scope:
    """Which liabilities the graph is about."""

    party: str | None = None
    clause: str | None = None

    def covers(self, row: tuple[str, ...]) -> bool:
        party, _resp, clause, _event = row
        if self.party and party != self.party:
            return False
        if self.clause and not covers(self.clause, clause):
            return False
        return True

    def label(self, names: dict[str, str]) -> dict[str, str]:
        reg = load_registry()
        cite = reg.get(self.clause).citation_short if self.clause and self.clause in reg else self.clause
        if self.party and self.clause:
            return text("graph", "scope_both", party=names.get(self.party, self.party), citation=cite)
        if self.party:
            return text("graph", "scope_party", party=names.get(self.party, self.party))
        if self.clause:
            return text("graph", "scope_clause", citation=cite)
        return text("graph", "scope_all")


@dataclass
class _Builder:
    ev: object
    scope: Scope
    max_depth: int | None
    expand: set[str]
    show_law: bool
    g: nx.DiGraph = field(default_factory=nx.DiGraph)

    def __post_init__(self) -> None:
        s = self.ev.scenario  # type: ignore[attr-defined]
        self.names = s.names()
        self.prover = Prover(self.ev.rulebook, self.ev.model)  # type: ignore[attr-defined]
        self.reg = load_registry()
        self.interps = load_interpretations()
        self.model = self.ev.model  # type: ignore[attr-defined]
        self.drawn: set[Atom] = set()

    # -- nodes ----------------------------------------------------------------------------------------------
    def _add(self, nid: str, kind: str, zh: str, en: str, **attrs) -> str:
        if nid not in self.g:
            self.g.add_node(nid, kind=kind, zh=zh, en=en, **attrs)
        return nid

    def _name(self, x: str) -> str:
        return self.names.get(x, x)

    def conclusion(self, proof: Proof) -> str:
        pred, args = proof.pred, proof.args
        nid = node_id("C", pred, args)
        if nid in self.g:
            return nid
        if pred == "liable":
            party, resp, clause, event = args
            unit = self.reg.get(clause)
            reads = describe(
                "liable", (self._name(party), text("responsibility", resp)["zh"], unit.citation_short, event)
            )
            reads_en = describe(
                "liable", (self._name(party), text("responsibility", resp)["en"], _cite_en(unit), event)
            )
            readings = sorted(proof.interpretations())
            attrs = {
                "pred": pred,
                "args": list(args),
                "party": party,
                "responsibility": resp,
                "clause": clause,
                "citation": unit.citation,
                "citation_short": unit.citation_short,
                "event": event,
                "interpretations": [{"name": n, "reading": r} for n, r in readings],
            }
            zh, en = reads["zh"], reads_en["en"]
            if readings:
                dep = text("graph", "depends_on", readings="、".join(f"{n}={r}" for n, r in readings))
                attrs["depends_on"] = dep
                zh, en = f"{zh}\n◇ {dep['zh']}", f"{en}\n◇ {dep['en']}"
            levels = self.levels(party, event)
            if levels:
                lv = text("graph", "level", area="、".join(self._name(a) for a in levels))
                attrs["level"] = levels
                zh, en = f"{zh}\n{lv['zh']}", f"{en}\n{lv['en']}"
            return self._add(nid, "liability", zh, en, **attrs)
        reads = describe(pred, tuple(self._name(a) for a in args))
        return self._add(nid, "conclusion", reads["zh"], reads["en"], pred=pred, args=list(args))

    def leaf(self, proof: Proof) -> str | None:
        pred, args = proof.pred, proof.args
        if proof.kind == "law" and not self.show_law:
            return None
        if proof.kind == "interpretation":
            name, reading = args
            interp = self.interps.get(name)
            head = text("graph", "interpretation", name=name, reading=reading)
            rt = interp.readings.get(reading, {}) if interp else {}
            zh = f"{head['zh']}\n{rt.get('zh', '')}".strip()
            en = f"{head['en']}\n{rt.get('en', '')}".strip()
            return self._add(node_id("I", pred, args), "interpretation", zh, en, pred=pred, args=list(args))
        kind, letter = ("law", "L") if proof.kind == "law" else ("fact", "F")
        reads = describe(pred, tuple(self._name(a) if pred != "established" else a for a in args))
        attrs = {"pred": pred, "args": list(args)}
        if proof.kind == "law":
            attrs["clauses"] = list(proof.clauses)
        return self._add(node_id(letter, pred, args), kind, reads["zh"], reads["en"], **attrs)

    def absent(self, pred: str, args: tuple[str, ...]) -> str:
        reads = describe(pred, tuple(self._name(a) for a in args))
        t = text("graph", "absent", what_zh=reads["zh"], what_en=reads["en"])
        return self._add(
            node_id("N", pred, args), "absent", t["zh"], t["en"], pred=pred, args=list(args), assumption="closed_world"
        )

    def rule_instance(self, proof: Proof) -> str:
        rule = self.ev.rulebook.rule(proof.rule)  # type: ignore[attr-defined]
        unit = self.reg.get(proof.clause or rule.clause)
        nid = _safe(f"R {rule.id} → {_atom_str(proof.pred, proof.args)}")
        head = text("graph", "rule", rule=rule.id, citation=unit.citation_short)
        head_en = text("graph", "rule", rule=rule.id, citation=_cite_en(unit))
        zh = f"{head['zh']}\n{_clip(unit.text, CLAUSE_CHARS)}"
        en = f"{head_en['en']}\n{rule.gloss_en}"
        attrs = {
            "rule": rule.id,
            "clause": unit.id,
            "clauses": list(rule.clauses),
            "citation": unit.citation,
            "citation_short": unit.citation_short,
            "clause_text": unit.text,
            "gloss": {"zh": rule.gloss_zh, "en": rule.gloss_en},
        }
        if proof.pred == "liable":
            attrs["responsibility"] = proof.args[1]
        return self._add(nid, "rule", zh, en, **attrs)

    # -- proofs -----------------------------------------------------------------------------------------------
    def add_proof(self, root: Proof) -> str:
        """Draw a proof breadth-first, sharing what is already drawn, collapsing below the depth cap."""
        top = self.conclusion(root)
        queue: list[tuple[Proof, int]] = [(root, 0)]
        while queue:
            proof, depth = queue.pop(0)
            key = (proof.pred, proof.args)
            if key in self.drawn:
                continue
            self.drawn.add(key)
            cid = self.conclusion(proof)
            if self.max_depth is not None and depth > self.max_depth and cid not in self.expand:
                hidden = len({a for a in proof.atoms()} - self.drawn)
                x = _safe(f"X {_atom_str(proof.pred, proof.args)}")
                t = text("graph", "collapsed", n=hidden, id=cid, depth=depth + 1)
                self._add(x, "collapsed", t["zh"], t["en"], hidden=hidden, expands=cid)
                self.g.add_edge(x, cid, kind="collapsed")
                self.drawn.discard(key)  # another, shallower path may still draw it
                continue
            if cid in self.expand:
                depth = 0
            rid = self.rule_instance(proof)
            self.g.add_edge(rid, cid, kind="concludes")
            law = []
            for p in proof.premises:
                if p.kind == "rule":
                    self.g.add_edge(self.conclusion(p), rid, kind="premise")
                    queue.append((p, depth + 1))
                else:
                    lid = self.leaf(p)
                    if lid is None:
                        law.append(describe(p.pred, p.args))
                    else:
                        self.g.add_edge(lid, rid, kind="premise")
            if law:
                self.g.nodes[rid]["law"] = law
            for pred, args in proof.absent:
                self.g.add_edge(self.absent(pred, args), rid, kind="absent")
        return top

    # -- chains -----------------------------------------------------------------------------------------------
    def _rows(self, pred: str) -> frozenset[tuple[str, ...]]:
        return self.model.get(pred, frozenset())

    def levels(self, x: str, e: str) -> list[str]:
        """The levels (areas) at which a liable party stands in the D16 or A2 chain for an event."""
        out = {
            r[1]
            for p in ("team_level", "discipline_level", "a2_level")
            for r in self._rows(p)
            if (r[0], r[2]) == (x, e)
        }
        return sorted(out)

    def _hops(self, area: str) -> int:
        """How many levels an area lies below the top of the scenario's hierarchy."""
        parents = dict(self._rows("parent"))
        n, seen = 0, set()
        while area in parents and area not in seen:
            seen.add(area)
            area = parents[area]
            n += 1
        return n

    def _chain_premises(self, sid: str, x: str, e: str, declined: list[str], pursued: bool) -> None:
        """What makes a level's failure to pursue: the recorded decisions not to pursue (the default reading), or
        the absence of any record of accountability (closed world, the "if nobody acts" reading)."""
        for k in declined:
            reads = describe("declined_record", (self._name(x), e, k))
            fid = self._add(
                node_id("F", "declined_record", (x, e, k)),
                "fact",
                reads["zh"],
                reads["en"],
                pred="declined_record",
                args=[x, e, k],
            )
            self.g.add_edge(fid, sid, kind="premise")
        if not declined and not pursued:
            self.g.add_edge(self.absent("pursued", (x, e)), sid, kind="absent")

    def chains(self) -> None:
        """A node per liable party in a chain: why the trace went on, or why it stopped."""
        liab = sorted((n, d) for n, d in self.g.nodes(data=True) if d["kind"] == "liability")
        done: set[tuple[str, str, str]] = set()
        records = [e for e in self.ev.scenario.events if getattr(e, "type", "") == "accountability"]  # type: ignore[attr-defined]
        for nid, d in liab:
            x, e, clause = d["party"], d["event"], d["clause"]
            doc = next((r[1] for r in self._rows("clause_doc") if r[0] == clause), None)
            if doc == "D16":
                if not any((r[0], r[2]) == (x, e) for p in ("team_level", "discipline_level") for r in self._rows(p)):
                    continue
                uppers = sorted(
                    {r[0] for r in self._rows("decides") if r[1:] == (x, e)}
                    | {r[1] for r in self._rows("upper_discipline") if (r[0], r[2]) == (x, e)}
                )
                np_pred, chain_clauses = "not_pursued", ("D16-5.9", "D16-7.7")
            elif doc == "A2":
                if not any((r[0], r[2]) == (x, e) for r in self._rows("a2_level")):
                    continue
                uppers = sorted({r[0] for r in self._rows("a2_decides") if r[1:] == (x, e)})
                np_pred, chain_clauses = "a2_not_pursued", ("A2-9",)
            else:
                continue
            hops = min((self._hops(a) for a in self.levels(x, e)), default=0)
            if (x, e, doc) in done:
                sid = _safe(f"S {doc} {x}@{e}")
                self.g.add_edge(nid, sid, kind="chain")
                continue
            done.add((x, e, doc))
            sid = _safe(f"S {doc} {x}@{e}")
            not_pursued = (x, e) in self._rows(np_pred)
            pursued = (x, e) in self._rows("pursued")
            name = self._name(x)
            declined = sorted(r[2] for r in self._rows("declined_record") if r[:2] == (x, e))
            if not_pursued and uppers:
                status = "continues"
                key = "chain_continues_recorded" if declined else "chain_continues"
                upper = "、".join(self._name(u) for u in uppers)
                t = text("graph", key, party=name, upper=upper, record="、".join(declined))
                self._add(sid, "chain", t["zh"], t["en"], status=status, party=x, event=e, upper=uppers, hops=hops)
                self._chain_premises(sid, x, e, declined, pursued)
                ups = sorted(
                    n
                    for n, dd in self.g.nodes(data=True)
                    if dd["kind"] == "liability"
                    and dd["event"] == e
                    and dd["clause"] in chain_clauses
                    and (
                        dd["party"] in uppers
                        or any((dd["party"], u, "主要负责人", e) in self._rows("held") for u in uppers)
                    )
                )
                for up in ups:
                    self.g.add_edge(sid, up, kind="chain_up", **CHAIN_EDGE)
            elif not_pursued:
                status = "stop_top"
                t = text("graph", "chain_stop_top", party=name)
                self._add(sid, "chain", t["zh"], t["en"], status=status, party=x, event=e, upper=[], hops=hops)
                self._chain_premises(sid, x, e, declined, pursued)
            elif pursued:
                status = "stop_pursued"
                recs = [r for r in records if (r.target, r.concerning, r.outcome) == (x, e, "追究")]
                by = "、".join(self._name(r.by) for r in recs if r.by) or "—"
                t = text("graph", "chain_stop_pursued", party=name, by=by, record="、".join(r.id for r in recs) or "—")
                self._add(
                    sid,
                    "chain",
                    t["zh"],
                    t["en"],
                    status=status,
                    party=x,
                    event=e,
                    records=[r.id for r in recs],
                    hops=hops,
                )
                reads = describe("pursued", (name, e))
                fid = self._add(
                    node_id("F", "pursued", (x, e)), "fact", reads["zh"], reads["en"], pred="pursued", args=[x, e]
                )
                self.g.add_edge(fid, sid, kind="premise")
            else:
                status = "stop_explicit"
                t = text("graph", "chain_stop_explicit", party=name)
                self._add(sid, "chain", t["zh"], t["en"], status=status, party=x, event=e, upper=uppers, hops=hops)
            self.g.add_edge(nid, sid, kind="chain", **CHAIN_EDGE)


def build_graph(
    ev,
    party: str | None = None,
    clause: str | None = None,
    max_depth: int | None = None,
    expand: tuple[str, ...] | list[str] = (),
    show_law: bool = False,
) -> nx.DiGraph:
    """The proof graph of the liabilities in scope (one party, one clause or article, or all)."""
    scope = Scope(party, clause)
    b = _Builder(ev, scope, max_depth, {_safe(x) for x in expand}, show_law)
    roots = []
    for row in ev.liabilities():
        if scope.covers(row):
            proof = b.prover.prove("liable", row)
            assert proof is not None, row
            roots.append(b.add_proof(proof))
    b.chains()
    s = ev.scenario.scenario
    b.g.graph.update(
        scenario=s.id,
        scenario_title=s.title,
        scope={"party": party, "clause": clause},
        scope_label=scope.label(b.names),
        roots=sorted(roots),
        title=text("graph", "title", scenario=s.title, scope=scope.label(b.names)["zh"]),
        title_en=text("graph", "title", scenario=s.id, scope=scope.label(b.names)["en"]),
        max_depth=max_depth,
    )
    return b.g


# ----------------------------------------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------------------------------------


def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in sorted(v.items())}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    return v


def to_json(g: nx.DiGraph) -> dict:
    """The graph as plain data: nodes and edges sorted by id, the legend, the scope."""
    nodes = [{"id": n, **_jsonable(d)} for n, d in sorted(g.nodes(data=True))]
    edges = [
        {"from": u, "to": v, "kind": d.get("kind", "")} for u, v, d in sorted(g.edges(data=True), key=lambda x: x[:2])
    ]
    return {
        "scenario": g.graph.get("scenario"),
        "scope": g.graph.get("scope"),
        "scope_label": g.graph.get("scope_label"),
        "title": {"zh": g.graph.get("title", {}).get("zh"), "en": g.graph.get("title_en", {}).get("en")},
        "roots": g.graph.get("roots", []),
        "max_depth": g.graph.get("max_depth"),
        "nodes": nodes,
        "edges": edges,
        "legend": legend(),
        "empty": not g.graph.get("roots"),
    }


def legend() -> list[dict]:
    """What the shapes and colours mean, Chinese and English."""
    out = []
    for kind in ("fact", "law", "interpretation", "absent", "rule", "conclusion", "chain", "collapsed"):
        t = text("graph", f"kind_{kind}")
        out.append({"key": f"K kind {kind}", "kind": kind, "zh": t["zh"], "en": t["en"]})
    for resp in RESP_COLOURS:
        t = text("responsibility", resp)
        out.append({"key": f"K resp {resp}", "kind": "liability", "responsibility": resp, "zh": t["zh"], "en": t["en"]})
    return out


def _label(d: dict) -> str:
    """Chinese first, then English, each wrapped for the drawing (the JSON keeps the unwrapped text)."""
    zh = "\n".join(_wrap(line, WRAP) for line in d["zh"].split("\n"))
    en = "\n".join(_wrap(line, 2 * WRAP) for line in d.get("en", "").split("\n") if line)
    return f"{zh}\n{en}" if en else zh


def dot_text(s: str):
    """A node id, label or tooltip as a DOT string that means only itself: control characters escaped
    (`\\x1b`), backslashes doubled (no `\\N`, `\\l` or trailing `\\` reaching DOT), never read as an HTML-like
    label even when it begins with `<` and ends with `>`; graphviz then quotes it and escapes its quotes."""
    import graphviz

    return graphviz.escape(escape_controls(s))


def dot_id(node: str):
    """A node's id in DOT: as dot_text, and without ":" (which an edge statement would read as a port)."""
    return dot_text(_safe(node))


def to_graphviz(g: nx.DiGraph):
    """A graphviz.Digraph of the proof graph: left to right from facts to liabilities, with a legend.
    Every id, label and tooltip goes through dot_text: what a user wrote cannot change the drawing."""
    import graphviz

    title = g.graph.get("title", {"zh": "", "en": ""})
    title_en = g.graph.get("title_en", {"en": ""})
    dot = graphviz.Digraph(
        name="proof",
        graph_attr={
            "rankdir": "LR",
            "charset": "UTF-8",
            "fontname": FONT,
            "label": dot_text(f"{title['zh']}\n{title_en['en']}"),
            "labelloc": "t",
            "nodesep": "0.25",
            "ranksep": "0.6",
        },
        node_attr={"fontname": FONT, "fontsize": "10"},
        edge_attr={"fontname": FONT, "fontsize": "9", "color": "#666666"},
    )
    for n, d in sorted(g.nodes(data=True)):
        style = dict(KIND_STYLE[d["kind"]])
        resp = d.get("responsibility")
        if d["kind"] == "liability" and resp in RESP_COLOURS:
            style.update(color=RESP_COLOURS[resp][0], fillcolor=RESP_COLOURS[resp][1])
        elif d["kind"] == "rule" and resp in RESP_COLOURS:
            style.update(color=RESP_COLOURS[resp][0], penwidth="2")
        tooltip = d.get("clause_text") or d["zh"]
        dot.node(dot_id(n), label=dot_text(_label(d)), tooltip=dot_text(tooltip), **style)
    for u, v, d in sorted(g.edges(data=True), key=lambda x: x[:2]):
        attrs = {}
        if d.get("kind") in ("chain", "chain_up"):
            attrs = dict(CHAIN_EDGE)
            if d["kind"] == "chain_up":
                t = text("graph", "chain_edge")
                attrs["label"] = dot_text(f"{t['zh']}\n{t['en']}")
        elif d.get("kind") == "absent":
            attrs = {"style": "dashed"}
        elif d.get("kind") == "collapsed":
            attrs = {"style": "dotted"}
        dot.edge(dot_id(u), dot_id(v), **attrs)
    dot.node("K legend", label=_legend_html(), shape="plain")
    return dot


def _legend_html() -> str:
    """The legend as one table: a row per kind of node and per responsibility colour."""
    from html import escape

    t = text("graph", "legend")
    rows = [f'<TR><TD COLSPAN="2"><B>{escape(t["zh"])} {escape(t["en"])}</B></TD></TR>']
    for item in legend():
        style = KIND_STYLE[item["kind"]]
        if item["kind"] == "liability":
            border, fill = RESP_COLOURS[item["responsibility"]]
        else:
            border, fill = style.get("color", "#555555"), style.get("fillcolor", "#ffffff")
        dashed = ' STYLE="dashed"' if "dashed" in style.get("style", "") or "dotted" in style.get("style", "") else ""
        rows.append(
            f'<TR><TD BGCOLOR="{fill}" COLOR="{border}"{dashed} WIDTH="24"> </TD>'
            f'<TD ALIGN="LEFT">{escape(item["zh"])} / {escape(item["en"])}</TD></TR>'
        )
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="3">' + "".join(rows) + "</TABLE>>"


def to_dot(g: nx.DiGraph) -> str:
    """The DOT source (no graphviz binary needed)."""
    return to_graphviz(g).source


def has_dot() -> bool:
    """Whether graphviz's `dot` program is installed (needed for SVG only)."""
    return shutil.which("dot") is not None


def to_svg(g: nx.DiGraph) -> str:
    """SVG rendered by graphviz's `dot` (Chinese labels need a CJK font, e.g. Debian's fonts-noto-cjk)."""
    return to_graphviz(g).pipe(format="svg").decode("utf-8")
