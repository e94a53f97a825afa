"""Fast parsing of scenario text into plain data: JSON by the standard library, YAML by libyaml's event parser
(ruamel.yaml.clib) with a small builder. Anything unusual (tags, merge keys, directives, duplicate keys, too deep,
too many nodes, a syntax error) is left to the round-trip reader in kb/scenario_io.py, which reports it with its
line: this module only says "done" or "not for me" (None)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import AliasEvent, DocumentStartEvent, StreamEndEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from kb import yaml_events
from kb.yaml_events import MappingEnd as MappingEndEvent
from kb.yaml_events import MappingStart as MappingStartEvent
from kb.yaml_events import SequenceEnd as SequenceEndEvent
from kb.yaml_events import SequenceStart as SequenceStartEvent

ScalarEvent = tuple  # what the parser makes of a scalar once kb.yaml_events is installed (its SCALAR_FIELDS)
_VALUE, _MARK = yaml_events.SCALAR_FIELDS.index("value"), yaml_events.SCALAR_FIELDS.index("start_mark")

try:  # the C extension; without it every file takes the round-trip path (correct, only slower)
    from _ruamel_yaml import CParser
except ImportError:  # pragma: no cover - the pinned ruamel.yaml.clib provides it
    CParser = None
yaml_events.install()  # the parser's events made cheaply (the builder compares their types)

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_RESOLVERS = VersionedResolver(version=(1, 2)).versioned_resolver  # the YAML 1.2 implicit types, by first char
_SAFE = YAML(typ="safe", pure=True).constructor  # bound to a YAML 1.2 loader (ints, floats, bools as it reads them)
_CONSTRUCT = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _SAFE.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SAFE.construct_yaml_int,
    "tag:yaml.org,2002:float": _SAFE.construct_yaml_float,
}


class TooLargeAt(Exception):
    """The document is nested deeper than allowed ("depth") or has more nodes ("nodes"), first at this line."""

    def __init__(self, kind: str, line: int):
        super().__init__(kind)
        self.kind, self.line = kind, line


class _NotForMe(Exception):
    """Leave this text to the round-trip reader."""


def _scalar(tag: Any, implicit: tuple[bool, bool], value: str, style: str | None) -> Any:
    """A scalar's value as the round-trip reader would give it (dates stay text; the schema parses them)."""
    if tag is not None and str(tag) != "!":
        raise _NotForMe
    if style or not implicit[0]:  # quoted, literal or folded: always a string
        return value
    resolvers = _RESOLVERS.get(value[:1])
    if resolvers is None:
        return value
    for tag, regexp in resolvers:
        if regexp.match(value):
            if tag == _TIMESTAMP:
                return value
            if tag not in _CONSTRUCT:
                raise _NotForMe  # merge keys, "=" and the like
            return _CONSTRUCT[tag](ScalarNode(tag, value))
    return value


def fast_yaml(
    text: str, max_depth: int, max_nodes: int, free_text: frozenset[str], normalise: bool = True
) -> tuple[Any, bool] | None:
    """(plain data, whether it uses aliases) for ordinary YAML, or None when the round-trip reader should
    take it. Without aliases the data is final: strings other than free text in NFKC form, nodes counted and
    depth checked as kb.scenario_io._plain would (TooLargeAt past a limit: the round-trip scanner is quadratic
    on deeply nested flow collections, so the limits are enforced here, where it is cheap)."""
    if CParser is None:
        return None
    try:
        return _build(CParser(text), max_depth, max_nodes, free_text, nfkc if normalise else _same)
    except TooLargeAt:
        raise
    except _NotForMe:
        return None
    except Exception:  # noqa: BLE001 - any parser complaint: the round-trip reader reports it with its line
        return None


def nfkc(text: str) -> str:
    """The NFKC form of a string (the form ids are compared in)."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _same(text: str) -> str:
    return text


def _build(parser, max_depth: int, max_nodes: int, free_text: frozenset[str], normal=nfkc) -> tuple[Any, bool]:
    # The open container and its pending key are kept in locals; the enclosing ones are saved on `stack`.
    stack: list[tuple[Any, Any]] = []
    container: Any = None  # None: at the document level
    key: Any = _NO_KEY
    depth = 0  # open containers
    anchors: dict[str, Any] = {}
    root: Any = _NO_KEY
    nodes = 0
    documents = 0
    aliases = False
    get = parser.get_event
    # plain scalar text → (its value, the value in NFKC form): ids, kinds and dates repeat across a file
    plain: dict[str, tuple[Any, Any]] = {}

    def norm_of(value: Any) -> Any:
        """A scalar as ids are compared: strings in their normal form (`normal`), other values as they are."""
        return normal(value) if type(value) is str else value

    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            anchor, tag, implicit, text, mark, _, style = event
            if tag is None and not style and implicit[0]:
                pair = plain.get(text)
                if pair is None:
                    value = _scalar(tag, implicit, text, style)
                    pair = plain[text] = (value, norm_of(value))
                value, norm = pair
            else:
                value = _scalar(tag, implicit, text, style)
                norm = norm_of(value)
            if anchor is not None:
                anchors[anchor] = value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            nodes += 1  # a container counts where it starts (as _plain counts it on entry)
            if depth > max_depth:
                raise TooLargeAt("depth", event.start_mark.line + 1)
            if nodes > max_nodes:
                raise TooLargeAt("nodes", event.start_mark.line + 1)
            if event.ctag is not None:
                raise _NotForMe
            new: Any = {} if kind is MappingStartEvent else []
            if event.anchor is not None:
                anchors[event.anchor] = new
            stack.append((container, key))
            container, key = new, _NO_KEY
            depth += 1
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = container
            container, key = stack.pop()
            depth -= 1
            if container is None:
                root = value
                continue
            if type(container) is list:
                container.append(value)
            elif key is _NO_KEY:
                raise _NotForMe  # a mapping or sequence as a key
            else:
                if key in container or key == "<<":
                    raise _NotForMe  # duplicate keys: the round-trip reader reports them with their line
                container[key] = value
                key = _NO_KEY
            continue
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise _NotForMe
            value = anchors[event.anchor]
            norm = norm_of(value)
            mark = event.start_mark
            aliases = aliases or isinstance(value, (dict, list))  # a shared container may expand: count it
        elif kind is StreamEndEvent:
            break
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1 or getattr(event, "version", None) or getattr(event, "tags", None):
                raise _NotForMe
            continue
        else:  # stream start, document end
            continue
        # a scalar or an alias
        if container is None:
            root = value
            continue
        if type(container) is list:
            nodes += 1
            if depth > max_depth or nodes > max_nodes:
                raise TooLargeAt("depth" if depth > max_depth else "nodes", mark.line + 1)
            container.append(norm)
        elif key is _NO_KEY:
            if type(value) is not str:
                if isinstance(value, (dict, list)):
                    raise _NotForMe  # a mapping or sequence as a key
                norm = normal(str(value))
            key = norm
        else:
            nodes += 1
            if depth > max_depth or nodes > max_nodes:
                raise TooLargeAt("depth" if depth > max_depth else "nodes", mark.line + 1)
            if key in container or key == "<<":
                raise _NotForMe  # duplicate keys: the round-trip reader reports them with their line
            container[key] = value if key in free_text else norm
            key = _NO_KEY
    if root is _NO_KEY:
        return None, False  # an empty document: as the round-trip reader
    return root, aliases


class _NoKey:
    pass


_NO_KEY = _NoKey()


# ---------------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------------
class DuplicateKey(ValueError):
    """A key written twice in one JSON object."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey(k)
        out[k] = v
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_json(text: str) -> Any:
    """Parse JSON (objects with a key twice, NaN and Infinity refused)."""
    return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)


def looks_like_json(text: str) -> bool:
    """Whether scenario text is JSON rather than YAML: it opens with an object."""
    return text.lstrip("\ufeff \t\r\n")[:1] == "{"


# ---------------------------------------------------------------------------------------------------------
# Where a JSON path is: a small scanner that records the line of every key and array item (on errors only)
# ---------------------------------------------------------------------------------------------------------
_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_ATOM = re.compile(r"[^,\]\}\s]+")


def json_lines(text: str) -> dict[tuple, int]:
    """{path: 1-based line} for every value of a JSON document (best effort: stops at the first oddity)."""
    lines: dict[tuple, int] = {}
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        import bisect

        return bisect.bisect_left(newlines, pos) + 1

    def skip(pos: int) -> int:
        return _WS.match(text, pos).end()

    def value(pos: int, path: tuple, depth: int) -> int:
        pos = skip(pos)
        if depth > 200:
            raise ValueError("deep")
        ch = text[pos : pos + 1]
        if ch == "{":
            pos = skip(pos + 1)
            if text[pos : pos + 1] == "}":
                return pos + 1
            while True:
                m = _STRING.match(text, skip(pos))
                if not m:
                    raise ValueError("key")
                key = json.loads(m.group(0))
                lines[path + (key,)] = line(m.start())
                pos = skip(m.end())
                if text[pos : pos + 1] != ":":
                    raise ValueError(":")
                pos = skip(value(pos + 1, path + (key,), depth + 1))
                if text[pos : pos + 1] == ",":
                    pos += 1
                    continue
                if text[pos : pos + 1] == "}":
                    return pos + 1
                raise ValueError("}")
        if ch == "[":
            pos = skip(pos + 1)
            if text[pos : pos + 1] == "]":
                return pos + 1
            i = 0
            while True:
                pos = skip(pos)
                lines[path + (i,)] = line(pos)
                pos = skip(value(pos, path + (i,), depth + 1))
                i += 1
                if text[pos : pos + 1] == ",":
                    pos += 1
                    continue
                if text[pos : pos + 1] == "]":
                    return pos + 1
                raise ValueError("]")
        m = _STRING.match(text, pos) if ch == '"' else _ATOM.match(text, pos)
        if not m:
            raise ValueError("value")
        return m.end()

    try:
        value(0, (), 0)
    except (ValueError, IndexError, RecursionError):
        pass
    return lines


def yaml_lines(text: str, line_offset: int = 0, stop_after: int | None = None) -> dict[tuple, int]:
    """{path: 1-based line} of every key and sequence item of ordinary YAML (the text fast_yaml read), from
    libyaml's events: found only when there is something to report, far faster than a round-trip parse.
    `line_offset` is added to every line (text cut from a larger document); with `stop_after`, the scan stops
    at the first item of a top-level sequence past that index."""
    lines: dict[tuple, int] = {}
    if CParser is None:
        return lines
    parser = CParser(text)
    stack: list[list] = []  # [path, is_mapping, pending key or _NO_KEY, next index]
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is StreamEndEvent:
                break
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                continue
            if kind not in (ScalarEvent, MappingStartEvent, SequenceStartEvent, AliasEvent):
                continue
            mark = event[_MARK] if kind is ScalarEvent else event.start_mark
            line = mark.line + 1 + line_offset
            path: tuple = ()
            if stack:
                frame = stack[-1]
                if frame[1]:
                    if frame[2] is _NO_KEY:  # this node is a key
                        key = nfkc(str(event[_VALUE])) if kind is ScalarEvent else ""
                        frame[2] = key
                        lines[frame[0] + (key,)] = line
                        if kind is MappingStartEvent or kind is SequenceStartEvent:
                            stack.append([frame[0] + ("",), kind is MappingStartEvent, _NO_KEY, 0])
                        continue
                    path = frame[0] + (frame[2],)
                    frame[2] = _NO_KEY
                else:
                    path = frame[0] + (frame[3],)
                    if stop_after is not None and len(path) == 2 and frame[3] > stop_after:
                        break
                    frame[3] += 1
                    lines[path] = line
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                stack.append([path, kind is MappingStartEvent, _NO_KEY, 0])
    except Exception:  # noqa: BLE001 - lines are a courtesy: what was found so far is kept
        pass
    return lines


def yaml_section_lines(text: str, key: str, stop_after: int | None = None) -> dict[tuple, int] | None:
    """The lines of one top-level block key's section (and of what follows it), read from where the key
    starts, up to item `stop_after` of its sequence: a warning about event 4 need not read every unit and
    person first. None when the key is not written once at the start of a line (flow style: read it all)."""
    starts = [i for i in _line_starts(text, key) if _KEY_END.match(text, i + len(key))]
    if len(starts) != 1:
        return None
    offset = text.count("\n", 0, starts[0])
    return yaml_lines(text[starts[0] :], offset, stop_after)


_KEY_END = re.compile(r"[ \t]*:")


def _line_starts(text: str, word: str) -> list[int]:
    """Where lines that begin with `word` start (str.find: a regex over a large file's every line is slower)."""
    out = [0] if text.startswith(word) else []
    needle = "\n" + word
    i = text.find(needle)
    while i != -1:
        out.append(i + 1)
        i = text.find(needle, i + 1)
    return out
