"""The work store: scenarios and decisions a user builds, kept with their history in an embedded SQLite file.

Every save is a new version (nothing is overwritten), so work survives a page reload and a server restart and
can be taken back to any earlier state. The file is AKB_DB when set, else ~/.local/share/akb/akb.sqlite3
($XDG_DATA_HOME respected); it and its folder are created on first use. Contents are user text: stored as given,
never evaluated here. One short-lived connection per call, so that any thread (a Streamlit session) may use it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = ("scenario", "decision")
MAX_NAME = 200
MAX_CONTENT = 5_000_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    kind     TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    content  TEXT    NOT NULL,
    sha256   TEXT    NOT NULL,
    note     TEXT    NOT NULL DEFAULT '',
    saved_at TEXT    NOT NULL,
    PRIMARY KEY (kind, name, version)
);
"""


def default_path() -> Path:
    """Where the store lives: $AKB_DB, else the user's data folder."""
    env = os.environ.get("AKB_DB")
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "akb" / "akb.sqlite3"


@dataclass(frozen=True)
class Version:
    """One saved version of a scenario or decision."""

    kind: str
    name: str
    version: int
    content: str
    sha256: str
    note: str
    saved_at: str


class StoreError(ValueError):
    """A save refused: bad kind, empty or over-long name, or content too large."""


class Store:
    """Scenarios and decisions with every saved version, in one SQLite file."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (and on first use create) the store at `path` or the default path."""
        self.path = Path(path).expanduser() if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=10)
        con.execute("PRAGMA journal_mode=WAL")
        return con

    def save(self, kind: str, name: str, content: str, note: str = "") -> Version:
        """Save a new version (the next number for this name); unchanged content is saved again all the same,
        since a user's explicit save is part of the history."""
        _check(kind, name, content)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with closing(self._connect()) as con, con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE kind = ? AND name = ?", (kind, name)
            ).fetchone()
            version = row[0] + 1
            con.execute(
                "INSERT INTO versions (kind, name, version, content, sha256, note, saved_at) VALUES (?,?,?,?,?,?,?)",
                (kind, name, version, content, digest, note[:MAX_NAME], now),
            )
        return Version(kind, name, version, content, digest, note[:MAX_NAME], now)

    def names(self, kind: str) -> list[str]:
        """The names saved under a kind, sorted."""
        _check_kind(kind)
        with closing(self._connect()) as con:
            rows = con.execute("SELECT DISTINCT name FROM versions WHERE kind = ? ORDER BY name", (kind,)).fetchall()
        return [r[0] for r in rows]

    def latest(self, kind: str, name: str) -> Version | None:
        """The newest version of a name, or None."""
        return self.get(kind, name)

    def get(self, kind: str, name: str, version: int | None = None) -> Version | None:
        """One version of a name (the newest when `version` is None), or None."""
        _check_kind(kind)
        sql = "SELECT kind, name, version, content, sha256, note, saved_at FROM versions WHERE kind = ? AND name = ?"
        args: tuple = (kind, name)
        if version is None:
            sql += " ORDER BY version DESC LIMIT 1"
        else:
            sql += " AND version = ?"
            args += (version,)
        with closing(self._connect()) as con:
            row = con.execute(sql, args).fetchone()
        return Version(*row) if row else None

    def history(self, kind: str, name: str) -> list[Version]:
        """Every version of a name, oldest first."""
        _check_kind(kind)
        with closing(self._connect()) as con:
            rows = con.execute(
                "SELECT kind, name, version, content, sha256, note, saved_at FROM versions "
                "WHERE kind = ? AND name = ? ORDER BY version",
                (kind, name),
            ).fetchall()
        return [Version(*r) for r in rows]

    def export(self, kind: str, name: str, fmt: str = "yaml") -> str:
        """The newest version as saved (fmt="yaml") or the whole history as JSON (fmt="json")."""
        if fmt == "yaml":
            latest = self.latest(kind, name)
            if latest is None:
                raise KeyError(f"{kind} {name!r} not saved")
            return latest.content
        if fmt == "json":
            versions = [asdict(v) for v in self.history(kind, name)]
            if not versions:
                raise KeyError(f"{kind} {name!r} not saved")
            return json.dumps({"kind": kind, "name": name, "versions": versions}, ensure_ascii=False, indent=2)
        raise ValueError("fmt must be 'yaml' or 'json'")

    def export_all(self) -> str:
        """Everything in the store as one JSON document (every kind, name and version)."""
        out = {
            kind: {name: [asdict(v) for v in self.history(kind, name)] for name in self.names(kind)} for kind in KINDS
        }
        return json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise StoreError(f"kind must be one of {KINDS}, not {kind!r}")


def _check(kind: str, name: str, content: str) -> None:
    _check_kind(kind)
    if not name.strip() or len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        raise StoreError(f"name must be 1–{MAX_NAME} printable characters")
    if len(content.encode("utf-8")) > MAX_CONTENT:
        raise StoreError(f"content over {MAX_CONTENT} bytes")
