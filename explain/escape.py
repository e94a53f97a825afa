"""Escaping what a user wrote before it is shown: terminal control sequences and characters that reorder text.

A title or description may carry ESC sequences (colours, cursor moves, a cleared screen, a changed window title),
carriage returns and backspaces that overwrite what was printed, or bidirectional overrides that make text read
differently from what it is. Text outputs (the command line, DOT labels) show each such character as an escape
(`\\x1b`, `\\u202e`) instead; line breaks and tabs, which the outputs use themselves, are kept. JSON written
through it stays valid: the JSON encoder already escapes C0 controls, and the rest are escaped as JSON does.
"""

from __future__ import annotations

import codecs
import re

# C0 controls but tab and line feed, DEL, C1 controls; bidirectional embeddings, overrides and isolates; the
# Unicode line and paragraph separators (a line break a terminal does not show as one).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape_char(ch: str) -> str:
    """C0 controls as `\\x1b`; DEL, C1 and the rest as `\\u009b`, which is also how JSON writes them, so that
    JSON passed through (the encoder leaves DEL and C1 raw) stays valid JSON meaning the same."""
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x20 else f"\\u{n:04x}"


def escape_controls(text: str) -> str:
    """The text with every control character but line feed and tab shown as an escape (ESC → `\\x1b`)."""
    return _CONTROL.sub(lambda m: _escape_char(m.group(0)), text)


def has_controls(text: str) -> bool:
    """Whether the text holds a character escape_controls would escape."""
    return _CONTROL.search(text) is not None


def _json_escape(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: characters the output encoding lacks as `\\uXXXX` (surrogate pairs above the BMP),
    which reads as an escape in text and is still valid JSON."""
    assert isinstance(err, UnicodeEncodeError)
    out = []
    for ch in err.object[err.start : err.end]:
        n = ord(ch)
        if n > 0xFFFF:
            n -= 0x10000
            out.append(f"\\u{0xD800 + (n >> 10):04x}\\u{0xDC00 + (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{n:04x}")
    return "".join(out), err.end


ESCAPE_ERRORS = "akb-escape"
codecs.register_error(ESCAPE_ERRORS, _json_escape)
