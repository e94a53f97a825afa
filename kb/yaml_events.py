"""libyaml's parser events, made cheaply, for the fast scenario reader (kb/scenario_fast.py).

ruamel.yaml.clib's `CParser` builds each event from the classes of `ruamel.yaml.events`, whose constructors
call their parents' in turn (ScalarEvent → NodeEvent → Event): at 10,000 persons (2 MB) the events cost 226
ms, against 32 ms for libyaml's parse itself. `install()` points the parser's module at cheaper makers (the
compiled parser looks its event classes up in its module at every event):
- a scalar becomes the tuple of the arguments the parser passes, `(anchor, tag, implicit, value, start_mark,
  end_mark, style)` (`SCALAR_FIELDS`; style "" when plain): 133 ms in all;
- a mapping's or sequence's start and end become subclasses of ruamel's own events, same slots and values,
  set by one flat constructor.
Only `CParser.get_event` (and peek/check_event) hand these out; ruamel's own C loader composes nodes from
libyaml's events directly, and its pure-Python readers never use `CParser` (`tests/test_yaml_events.py`
checks that both still read as before). Every reader of `get_event` in this project is kb/scenario_fast.py.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import events

try:
    import _ruamel_yaml
except ImportError:  # pragma: no cover - the pinned ruamel.yaml.clib provides it
    _ruamel_yaml = None


SCALAR_FIELDS = ("anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style")


def _scalar(*fields: Any) -> tuple:
    """A scalar event: the parser's arguments as they come (SCALAR_FIELDS)."""
    return fields


class _Start:
    """The flat constructor of a mapping's or a sequence's start."""

    __slots__ = ()

    def __init__(
        self,
        anchor: Any,
        tag: Any,
        implicit: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        flow_style: Any = None,
        comment: Any = None,
        nr_items: int | None = None,
    ) -> None:
        self.anchor, self.ctag, self.implicit, self.flow_style, self.nr_items = (  # type: ignore[attr-defined]
            anchor,
            tag,
            implicit,
            flow_style,
            nr_items,
        )
        self.start_mark, self.end_mark, self.comment = start_mark, end_mark, comment  # type: ignore[attr-defined]


class _End:
    """The flat constructor of a mapping's or a sequence's end."""

    __slots__ = ()

    def __init__(self, start_mark: Any = None, end_mark: Any = None, comment: Any = None) -> None:
        self.start_mark, self.end_mark, self.comment = start_mark, end_mark, comment  # type: ignore[attr-defined]


class MappingStart(_Start, events.MappingStartEvent):
    __slots__ = ()


class SequenceStart(_Start, events.SequenceStartEvent):
    __slots__ = ()


class MappingEnd(_End, events.MappingEndEvent):
    __slots__ = ()


class SequenceEnd(_End, events.SequenceEndEvent):
    __slots__ = ()


_OURS = {
    "ScalarEvent": _scalar,
    "MappingStartEvent": MappingStart,
    "SequenceStartEvent": SequenceStart,
    "MappingEndEvent": MappingEnd,
    "SequenceEndEvent": SequenceEnd,
}


def install() -> bool:
    """Have the compiled parser make its events as above (idempotent); False without the compiled parser."""
    if _ruamel_yaml is None:
        return False
    for name, cls in _OURS.items():
        setattr(_ruamel_yaml, name, cls)
    return True
