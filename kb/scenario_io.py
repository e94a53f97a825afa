"""Read a scenario file: YAML 1.2 with line numbers (ruamel.yaml), schema validation (pydantic),
then the cross-field checks. Every problem becomes an Issue with the file, line, field and a message code;
the wording (Chinese, then English) comes from the message catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kb.schema import Scenario

# Limits on what a scenario file may be, so that no input can hang or exhaust the reader (tests/test_fuzz.py):
# the text's size in bytes; nodes after aliases are expanded (also counted while parsing, so a huge flat file
# stops early); nesting depth (also enforced while parsing: the YAML composer is recursive); issues reported
# (the first ones found); dates, whose arithmetic (deadlines, "within one year") needs room on both sides.
MAX_BYTES = 5_000_000
MAX_NODES = 500_000
MAX_DEPTH = 40
MAX_ISSUES = 200
DATE_RANGE = (dt.date(1949, 10, 1), dt.date(2100, 12, 31))


@dataclass(frozen=True)
class Issue:
    """One problem in a scenario: where it is and what is wrong (a catalogue code with parameters)."""

    code: str
    path: tuple[str | int, ...] = ()
    line: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


class ScenarioError(Exception):
    """A scenario that cannot be evaluated; carries every issue found."""

    def __init__(self, file: str, issues: list[Issue]):
        super().__init__(f"{file}: {len(issues)} issue(s)")
        self.file = file
        self.issues = issues


def field_name(path: tuple[str | int, ...]) -> str:
    """Render a location as ``events[2].elements[0]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(root: Any, path: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the deepest node of `path` found in the round-trip YAML tree."""
    node, line = root, None
    for part in path:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):  # a key merged in by `<<: *alias` has no line of its own here
            break
    if line is None and isinstance(root, (CommentedMap, CommentedSeq)):
        line = root.lc.line + 1
    return line


def _plain(node: Any, depth: int = 0, counter: list[int] | None = None) -> Any:
    """Copy the YAML tree into plain Python data, refusing trees too deep or too large (alias bombs)."""
    counter = counter if counter is not None else [0]
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _TooLarge("nodes")
    if depth > MAX_DEPTH:
        raise _TooLarge("depth")
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v, depth + 1, counter) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, depth + 1, counter) for v in node]
    return node


class _TooLarge(Exception):
    pass


def _too_large(exc: _TooLarge) -> Issue:
    return Issue("too_deep" if str(exc) == "depth" else "too_many_nodes", (), None, {})


class _Composer(Composer):
    """The YAML composer, refusing documents nested too deeply or with too many nodes while it builds them
    (it recurses once per level: without this, deep nesting ends in RecursionError; a huge flat document
    would be parsed whole before _plain could count it). Aliases are not expanded here; _plain counts them."""

    def compose_node(self, parent, index):
        self._depth = getattr(self, "_depth", 0) + 1
        self._nodes = getattr(self, "_nodes", 0) + 1
        try:
            if self._depth > MAX_DEPTH + 2:
                raise _TooLarge("depth")
            if self._nodes > MAX_NODES:
                raise _TooLarge("nodes")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves dates as text: the schema parses them and reports bad ones."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def read_yaml(text: str, file: str) -> Any:
    """Parse YAML text into a round-trip tree, turning syntax errors into issues."""
    yaml = YAML(typ="rt")
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except _TooLarge as exc:
        raise ScenarioError(file, [_too_large(exc)]) from None
    except RecursionError:  # a backstop: the composer's depth limit should come first
        raise ScenarioError(file, [Issue("too_deep", (), None, {})]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ScenarioError(file, [Issue("yaml_syntax", (), line, {"detail": exc.problem or str(exc)})]) from None
    except (YAMLError, ValueError) as exc:
        raise ScenarioError(file, [Issue("yaml_syntax", (), None, {"detail": str(exc)})]) from None


def _pydantic_issue(err: dict, root: Any) -> Issue:
    loc = tuple(err["loc"])
    # drop the discriminator tag pydantic inserts into the location of a tagged union member
    loc = tuple(p for i, p in enumerate(loc) if not (i > 0 and loc[i - 1] != "scenario" and p in _TAGS))
    kind = err["type"]
    ctx = err.get("ctx") or {}
    params: dict[str, Any] = {"value": _short(err.get("input"))}
    if kind == "missing":
        code = "missing_field"
    elif kind == "extra_forbidden":
        code = "unknown_field"
    elif kind == "literal_error":
        code, params["allowed"] = "bad_choice", ctx.get("expected", "")
    elif kind.startswith("date") or kind.startswith("datetime"):
        code = "bad_date"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        code, params["allowed"] = "bad_event_type", "finding, case, accountability"
    elif kind in ("string_too_long", "too_long"):
        code, params["max"] = "too_long", ctx.get("max_length", "")
    elif kind in ("string_too_short", "too_short"):
        code, params["min"] = "too_short", ctx.get("min_length", "")
    elif kind == "string_pattern_mismatch":
        code = "control_chars"
    elif kind in ("string_type", "list_type", "dict_type", "model_type", "bool_type", "bool_parsing"):
        code, params["expected"] = "bad_type", kind.split("_")[0]
    else:
        code, params["detail"] = "invalid_value", err.get("msg", kind)
    return Issue(code, loc, line_of(root, loc), params)


_TAGS = {"finding", "case", "accountability"}


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def load_scenario_text(text: str, file: str = "<scenario>") -> tuple[Scenario, Any]:
    """Validate scenario YAML text; return the model and the round-trip tree (for line numbers)."""
    from kb.scenario_check import check_scenario

    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ScenarioError(file, [Issue("file_too_large", (), None, {"max": MAX_BYTES})])
    root = read_yaml(text, file)
    if not isinstance(root, dict):
        raise ScenarioError(file, [Issue("not_a_mapping", (), 1, {})])
    try:
        data = _plain(root)
    except _TooLarge as exc:
        raise ScenarioError(file, [_too_large(exc)]) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues = [_pydantic_issue(e, root) for e in exc.errors()[:MAX_ISSUES]]
        raise ScenarioError(file, issues) from None
    issues = [Issue(i.code, i.path, line_of(root, i.path), i.params) for i in check_scenario(scenario)]
    if issues:
        raise ScenarioError(file, issues)
    return scenario, root


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise ScenarioError(str(path), [Issue("cannot_read", (), None, {"detail": detail})]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(str(path), [Issue("not_utf8", (), None, {})]) from None
    return load_scenario_text(text, str(path))[0]
