"""The one message catalogue: look up wording by id, Chinese then English.

It is explain/messages.yaml plus one file per area under explain/messages/ (review.yaml, app.yaml, …): each file
adds whole sections, and a section defined twice is an error, so every id has exactly one wording. A section named
`NAME+AREA` (e.g. `errors+lang`) adds new entries to the section NAME; an entry defined twice is an error too."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

PATH = Path(__file__).parent / "messages.yaml"
AREAS = Path(__file__).parent / "messages"


@cache
def _catalogue() -> dict[str, Any]:
    yaml = YAML(typ="safe")
    merged: dict[str, Any] = yaml.load(PATH.read_text(encoding="utf-8"))
    for path in sorted(AREAS.glob("*.yaml")):
        for section, entries in (yaml.load(path.read_text(encoding="utf-8")) or {}).items():
            if "+" in section:
                target = merged.setdefault(section.split("+", 1)[0], {})
                twice = sorted(set(target) & set(entries))
                if twice:
                    raise ValueError(f"message entries {twice} of '{section}' defined twice ({path.name})")
                target.update(entries)
                continue
            if section in merged:
                raise ValueError(f"message section '{section}' defined twice ({path.name})")
            merged[section] = entries
    return merged


_FIELD = re.compile(r"\{(\w+)\}")


def _fill(template: str, args: tuple = (), params: dict | None = None) -> str:
    """Replace {0}, {1}, … by arguments and {name} by parameters; unknown fields stay as they are."""
    mapping = {str(i): str(a) for i, a in enumerate(args)}
    mapping.update({k: str(v) for k, v in (params or {}).items()})
    return _FIELD.sub(lambda m: mapping.get(m.group(1), m.group(0)), template)


def _words(params: dict, lang: str) -> dict:
    """Parameters named w_… hold a key of the `words` section: replaced by that word in `lang`, so that the
    knowledge base can name a reason or a kind by id and the wording stays in the catalogue."""
    if not any(k.startswith("w_") for k in params):
        return params
    words = _catalogue().get("words", {})
    return {
        k: (words[v][lang] if k.startswith("w_") and isinstance(v, str) and v in words else v)
        for k, v in params.items()
    }


def text(section: str, key: str, *args: Any, **params: Any) -> dict[str, str]:
    """{"zh": …, "en": …} for a catalogue entry, filled with positional and named parameters."""
    entry = _catalogue()[section][key]
    return {lang: _fill(entry[lang], args, _words(params, lang)) for lang in ("zh", "en")}


def fill(section: str, key: str, lang: str, *args: Any, **params: Any) -> str:
    """One language of a catalogue entry, filled."""
    return _fill(_catalogue()[section][key][lang], args, params)


def fix(code: str, **params: Any) -> dict[str, str]:
    """The suggested fix for an error code, Chinese and English."""
    return fix_in("errors", code, **params)


def fix_in(section: str, code: str, **params: Any) -> dict[str, str]:
    """The suggested fix for an error code of a section (errors, decision_errors), Chinese and English."""
    entry = _catalogue()[section][code]
    return {
        "zh": _fill(entry.get("fix_zh", ""), (), _words(params, "zh")),
        "en": _fill(entry.get("fix_en", ""), (), _words(params, "en")),
    }


def label(key: str, **params: Any) -> dict[str, str]:
    """A short label or sentence from the `labels` section."""
    return text("labels", key, **params)


def has(section: str, key: str) -> bool:
    """Whether the catalogue has an entry."""
    return key in _catalogue().get(section, {})


def both(entry: dict[str, str], sep: str = " / ") -> str:
    """Chinese first, then English, on one line."""
    return f"{entry['zh']}{sep}{entry['en']}" if entry.get("en") else entry["zh"]
