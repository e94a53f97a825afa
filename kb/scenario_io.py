"""Read a scenario file: YAML 1.2 or JSON, parsed fast (kb/scenario_fast.py) with line numbers found only
when there is something to report (ruamel.yaml round trip), schema validation (pydantic), then the cross-field
checks. Every problem becomes an Issue with the file, line, field and a message code; the wording (Chinese, then English) comes from the message catalogue."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from kb.gc_pause import gc_paused
from kb.scenario_fast import (
    DuplicateKey,
    TooLargeAt,
    fast_yaml,
    json_lines,
    load_json,
    looks_like_json,
    nfkc,
    yaml_lines,
    yaml_section_lines,
)
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


class _TooLarge(Exception):
    """A tree too deep or too large; `path` or `line` says where the limit was reached."""

    def __init__(self, kind: str, path: tuple = (), line: int | None = None):
        super().__init__(kind)
        self.kind, self.path, self.line = kind, path, line


# Free text keeps the form its author gave it; every other string (ids, kinds, roles, dates) is read in its
# NFKC form, so that full-width and half-width letters and digits, or composed and decomposed characters,
# name one id and never two different units or persons.
FREE_TEXT = frozenset({"title", "description", "name", "apology_manner", "apology_scope", "note"})


def _plain(node: Any, depth: int = 0, counter: list[int] | None = None, path: tuple = (), free: bool = False) -> Any:
    """Copy the parsed tree into plain Python data (strings other than free text in NFKC form), refusing
    trees too deep or too large (alias bombs), with the path where the limit was reached."""
    counter = counter if counter is not None else [0]
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _TooLarge("nodes", path)
    if depth > MAX_DEPTH:
        raise _TooLarge("depth", path)
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            key = nfkc(k) if isinstance(k, str) else str(k)
            out[key] = _plain(v, depth + 1, counter, path + (key,), key in FREE_TEXT)
        return out
    if isinstance(node, list):
        return [_plain(v, depth + 1, counter, path + (i,), free) for i, v in enumerate(node)]
    if isinstance(node, str):
        return str(node) if free else nfkc(str(node))
    return node


def _too_large(exc: _TooLarge, line: int | None) -> Issue:
    code = "too_deep" if exc.kind == "depth" else "too_many_nodes"
    return Issue(code, exc.path, exc.line or line, {})


class _Composer(Composer):
    """The YAML composer, refusing documents nested too deeply or with too many nodes while it builds them
    (it recurses once per level: without this, deep nesting ends in RecursionError; a huge flat document
    would be parsed whole before _plain could count it). Aliases are not expanded here; _plain counts them."""

    def compose_node(self, parent, index):
        self._depth = getattr(self, "_depth", 0) + 1
        self._nodes = getattr(self, "_nodes", 0) + 1
        try:
            if self._depth > MAX_DEPTH + 2 or self._nodes > MAX_NODES:
                kind = "depth" if self._depth > MAX_DEPTH + 2 else "nodes"
                raise _TooLarge(kind, (), self.parser.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves dates as text: the schema parses them and reports bad ones."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)

# ruamel.yaml's complaints, by a fragment of its English wording: the catalogue's word for each (section words).
_YAML_PROBLEMS = (
    ("found duplicate key", "yaml_duplicate_key"),
    ("cannot start any token", "yaml_bad_token"),
    ("mapping values are not allowed", "yaml_colon"),
    ("could not find expected ':'", "yaml_no_colon"),
    ("expected ',' or ']'", "yaml_unclosed_seq"),
    ("expected ',' or '}'", "yaml_unclosed_map"),
    ("found undefined alias", "yaml_undefined_alias"),
    ("unexpected end of stream", "yaml_unclosed"),
    ("expected <block end>", "yaml_indent"),
    ("did not find expected key", "yaml_indent"),
    ("did not find expected '-'", "yaml_indent"),
    ("could not determine a constructor", "yaml_tag"),
    ("found unknown escape character", "yaml_escape"),
)


def _oneline(text: str, limit: int = 160) -> str:
    """A message part on one line: whitespace runs collapsed, control characters shown as escapes."""
    text = " ".join(str(text).split())
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_issue(problem: str, line: int | None, text: str) -> Issue:
    word = next((w for key, w in _YAML_PROBLEMS if key in problem), "yaml_other")
    return Issue("yaml_syntax", _yaml_path_at(text, line), line, {"detail": _oneline(problem), "w_problem": word})


_KEY = re.compile(r"^((?:- +)*)([^\s#{}\[\],&*!|>'\"%@`-][^:#{}\[\]]*?|-[^\s:#{}\[\]][^:#{}\[\]]*?)\s*:(?:\s|$)")


def _yaml_path_at(text: str, line: int | None) -> tuple:
    """The keys enclosing a line of YAML text, read from the indentation above it (for syntax errors, where
    there is no tree to ask): ('events', 'elements') for a line inside an event's elements."""
    if not line:
        return ()
    lines = text.split("\n", line)[:line]
    path: list[str] = []
    limit = None
    for raw in reversed(lines[-2000:]):
        stripped = raw.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        indent = len(raw) - len(stripped)
        if limit is not None and indent >= limit:
            continue
        m = _KEY.match(stripped)
        if m:
            path.append(m.group(2).strip())
            limit = indent + len(m.group(1))
            if limit == 0:
                break
            limit = indent
        elif stripped.startswith("-"):
            limit = indent
    return tuple(reversed(path))


def read_yaml(text: str, file: str) -> Any:
    """Parse YAML text into a round-trip tree (line numbers), turning syntax errors into issues."""
    yaml = YAML(typ="rt")
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except _TooLarge as exc:
        raise ScenarioError(file, [_too_large(exc, None)]) from None
    except RecursionError:  # a backstop: the composer's depth limit should come first
        raise ScenarioError(file, [Issue("too_deep", (), 1, {})]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ScenarioError(file, [_yaml_issue(exc.problem or str(exc), line, text)]) from None
    except ReaderError as exc:  # a character YAML does not allow (NUL, other control characters)
        line = text.count("\n", 0, exc.position) + 1
        issue = Issue("bad_character", _yaml_path_at(text, line), line, {"char": _codepoint(exc.character)})
        raise ScenarioError(file, [issue]) from None
    except (YAMLError, ValueError) as exc:
        raise ScenarioError(file, [_yaml_issue(str(exc), 1, text)]) from None


def _codepoint(char: str | int) -> str:
    return f"U+{char if isinstance(char, int) else ord(char[:1] or ' '):04X}"


def _pydantic_issue(err: dict) -> Issue:
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
        code, params["allowed"] = "bad_choice", "、".join(re.findall(r"'((?:[^'\\]|\\.)*)'", ctx.get("expected", "")))
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
    elif kind.rsplit("_", 1)[0] in _TYPE_WORDS and (kind.endswith("_type") or kind.endswith("_parsing")):
        code, params["w_expected"] = "bad_type", _TYPE_WORDS[kind.rsplit("_", 1)[0]]
    else:
        code, params["kind"] = "bad_value", kind
    return Issue(code, loc, None, params)


# What each pydantic type error expected: the catalogue's word for it (section words).
_TYPE_WORDS = {
    "string": "type_text",
    "list": "type_list",
    "dict": "type_mapping",
    "model": "type_mapping",
    "model_attributes": "type_mapping",
    "bool": "type_bool",
    "int": "type_int",
    "float": "type_number",
}
_TAGS = {"finding", "case", "accountability"}


def _short(value: Any) -> str:
    """A user's value for a message: JSON-like (never a Python repr), on one line, at most 60 characters."""
    if isinstance(value, (dict, list, tuple)):
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = "…"
    else:
        text = "null" if value is None else str(value)
    return _oneline(text, 60)


def more_issues(total: int, exact: bool = True) -> Issue:
    """The last line of a capped list of issues: how many more there are."""
    return Issue("more_issues" if exact else "more_issues_at_least", (), None, {"n": total})


class _Source:
    """The text of one scenario, its format, and (on demand) where each path is: for YAML the round-trip tree
    is built only when a line is needed, that is when there is something to report."""

    def __init__(self, text: str, file: str, fmt: str | None):
        self.text, self.file = text, file
        self.fmt = fmt or ("json" if looks_like_json(text) else "yaml")
        self.guessed = fmt is None  # JSON by its look: YAML flow style looks the same, so YAML is tried next
        self._rt: Any = None
        self._json_lines: dict | None = None  # path → line, JSON or fast-read YAML
        self._sections: dict[str, tuple[int | None, dict]] = {}  # top-level key → (read up to item, lines)
        self.aliases = False
        self.final = False  # whether data() needs no further copy through _plain

    def data(self) -> Any:
        if self.fmt == "json":
            try:
                return self._json()
            except ScenarioError as err:
                if not (self.guessed and err.issues[0].code == "json_syntax"):
                    raise
                self.fmt = "yaml"  # e.g. {scenario: {id: x, …}}: YAML in flow style
        try:
            fast = fast_yaml(self.text, MAX_DEPTH, MAX_NODES, FREE_TEXT)
        except TooLargeAt as exc:
            code = "too_deep" if exc.kind == "depth" else "too_many_nodes"
            raise ScenarioError(self.file, [Issue(code, _yaml_path_at(self.text, exc.line), exc.line, {})]) from None
        if fast is None:
            self._rt = read_yaml(self.text, self.file)
            return self._rt
        data, self.aliases = fast
        self.final = not self.aliases  # built, counted and normalised already
        return data

    def _json(self) -> Any:
        try:
            return load_json(self.text)
        except DuplicateKey as exc:
            line = self._line_of_key(exc.key)
            raise ScenarioError(
                self.file, [Issue("duplicate_key", (), line, {"name": _oneline(exc.key, 60)})]
            ) from None
        except json.JSONDecodeError as exc:
            path = self._json_path_before(exc.pos)
            issue = Issue("json_syntax", path, exc.lineno, {"detail": _oneline(exc.msg), "column": exc.colno})
            raise ScenarioError(self.file, [issue]) from None
        except RecursionError:
            raise ScenarioError(self.file, [Issue("too_deep", (), self._deepest_line(), {})]) from None
        except ValueError as exc:  # NaN, Infinity
            raise ScenarioError(
                self.file, [Issue("json_syntax", (), 1, {"detail": _oneline(exc), "column": 1})]
            ) from None

    def _line_of_key(self, key: str) -> int:
        needle = json.dumps(key, ensure_ascii=False)
        first = self.text.find(needle)
        second = self.text.find(needle, first + 1) if first >= 0 else -1
        pos = second if second >= 0 else max(first, 0)
        return self.text.count("\n", 0, pos) + 1

    def _json_path_before(self, pos: int) -> tuple:
        keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:', self.text[max(0, pos - 2000) : pos])
        return (keys[-1],) if keys else ()

    def _deepest_line(self) -> int:
        depth = 0
        for i, ch in enumerate(self.text):
            depth += ch in "[{"
            depth -= ch in "]}"
            if depth > MAX_DEPTH + 2:
                return self.text.count("\n", 0, i) + 1
        return 1

    def line(self, path: tuple) -> int:
        """The line of the deepest node of `path` that exists (1 when nothing better is known)."""
        if self._rt is not None:
            return line_of(self._rt, path) or 1
        if self.fmt == "json":
            if self._json_lines is None:
                self._json_lines = json_lines(self.text)
            lines = self._json_lines
        else:  # read fast: the line of each path from libyaml's events
            lines = self._yaml_lines(path)
        return next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), 1)

    def expect(self, paths: list[tuple]) -> None:
        """Lines for these paths are about to be asked: read each top-level section once, up to its last item
        among them (five warnings about events 10 to 159 read the events up to 159, once)."""
        last: dict[str, int] = {}
        for path in paths:
            if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
                last[path[0]] = max(last.get(path[0], -1), path[1])
        for key, index in last.items():
            self._yaml_lines((key, index))

    def _yaml_lines(self, path: tuple) -> dict[tuple, int]:
        """Lines of fast-read YAML: first only the section of the path's top-level key, up to the path's item
        (one warning need not read the whole file); on a second miss in that section, all of it; else the
        whole document."""
        if self._json_lines is not None or self.fmt == "json" or self._rt is not None:
            return self._json_lines or {}
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
            key, index = path[0], path[1]
            known = self._sections.get(key)
            if known is not None and (known[0] is None or index <= known[0]):
                return known[1]
            stop = index if known is None else None
            lines = yaml_section_lines(self.text, key, stop)
            if lines is not None:
                self._sections[key] = (stop, lines)
                return lines
        self._json_lines = yaml_lines(self.text)
        return self._json_lines


def load_scenario_text(text: str, file: str = "<scenario>", fmt: str | None = None) -> tuple[Scenario, Any]:
    """Validate scenario text, YAML or JSON (`fmt` "yaml" or "json"; by default JSON when the text opens
    with an object); return the model and the plain data it was read from."""
    scenario, data, _ = load_scenario_text_warnings(text, file, fmt)
    return scenario, data


@gc_paused()  # a large scenario's tree and models: the collector's passes over them cost a sixth of the load
def load_scenario_text_warnings(
    text: str, file: str = "<scenario>", fmt: str | None = None
) -> tuple[Scenario, Any, list[Issue]]:
    """As load_scenario_text, with the warnings (facts that may be incomplete; they do not stop evaluation)."""
    from kb.scenario_check import check_scenario

    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ScenarioError(file, [Issue("file_too_large", (), 1, {"max": MAX_BYTES})])
    src = _Source(text, file, fmt)
    root = src.data()
    if not isinstance(root, dict):
        raise ScenarioError(file, [Issue("not_a_mapping", (), 1, {})])
    try:
        data = root if src.final else _plain(root)
    except _TooLarge as exc:
        raise ScenarioError(file, [_too_large(exc, src.line(exc.path))]) from None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        shown = errors if len(errors) <= MAX_ISSUES else errors[: MAX_ISSUES - 1]
        issues = [_pydantic_issue(e) for e in shown]
        issues = [Issue(i.code, i.path, src.line(i.path), i.params) for i in issues]
        if len(shown) < len(errors):
            issues.append(Issue("more_issues", (), 1, {"n": len(errors) - len(shown)}))
        raise ScenarioError(file, issues) from None
    found = check_scenario(scenario)
    src.expect([i.path for i in found if not i.line])
    issues = [Issue(i.code, i.path, i.line or src.line(i.path), i.params) for i in found]
    errors = [i for i in issues if i.code not in WARNING_CODES]
    if errors:
        raise ScenarioError(file, errors)
    return scenario, data, [i for i in issues if i.code in WARNING_CODES]


# Issues that do not stop an evaluation: they are shown, and the scenario is evaluated as written.
WARNING_CODES = frozenset({"consequence_without_conduct"})


def scenario_format(path: str | Path) -> str | None:
    """'json' for a .json file, 'yaml' for .yaml and .yml; None (judged by the content) for other names."""
    return {".json": "json", ".yaml": "yaml", ".yml": "yaml"}.get(Path(path).suffix.lower())


def read_scenario_bytes(path: str | Path) -> bytes:
    """The bytes of a scenario file: a regular file of at most MAX_BYTES, checked before reading (a FIFO, a
    device such as /dev/zero or a folder is refused without waiting on it), read up to the limit."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params("missing"))]) from None
    except IsADirectoryError:
        raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params("folder"))]) from None
    except PermissionError:
        raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params("permission"))]) from None
    except (OSError, ValueError):
        raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params("other"))]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "folder" if stat.S_ISDIR(info.st_mode) else "special"
            raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params(kind))])
        if info.st_size > MAX_BYTES:
            raise ScenarioError(name, [Issue("file_too_large", (), None, {"max": MAX_BYTES})])
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:  # the file grew while being read
            raise ScenarioError(name, [Issue("file_too_large", (), None, {"max": MAX_BYTES})])
        return b"".join(chunks)
    except OSError:
        raise ScenarioError(name, [Issue("cannot_read", (), None, _kind_params("other"))]) from None
    finally:
        os.close(fd)


def _kind_params(kind: str) -> dict[str, str]:
    """Why a path cannot be read: a key of the catalogue's words (missing, folder, special, permission, other)."""
    return {"w_why": f"path_{kind}"}


def decode_scenario(raw: bytes, file: str) -> str:
    """UTF-8 text of a scenario file (a BOM allowed), or the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        issue = Issue("not_utf8", (), line, {"byte": f"0x{raw[exc.start]:02X}"})
        raise ScenarioError(file, [issue]) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file, YAML or JSON (by its extension, else by its content)."""
    return load_scenario_warnings(path)[0]


def load_scenario_warnings(path: str | Path) -> tuple[Scenario, list[Issue]]:
    """Read and validate a scenario file; with the warnings found (they do not stop evaluation)."""
    text = decode_scenario(read_scenario_bytes(path), str(path))
    scenario, _, warnings = load_scenario_text_warnings(text, str(path), scenario_format(path))
    return scenario, warnings
