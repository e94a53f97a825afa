"""The work store keeps every saved version in SQLite, across new Store objects (a server restart) and threads."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from kb.store import Store, StoreError, default_path

YAML_A = "scenario: {id: a, title: 甲, as_of: 2016-01-01}\nunits:\n  - {id: 市, kind: 地区}\n"
YAML_B = YAML_A + "  - {id: 区, kind: 地区, parent: 市}\n"


def test_created_on_first_use_and_versions_accumulate(tmp_path):
    path = tmp_path / "deep" / "folder" / "akb.sqlite3"
    store = Store(path)
    assert path.exists()
    v1 = store.save("scenario", "东村案", YAML_A, note="first")
    v2 = store.save("scenario", "东村案", YAML_B)
    assert (v1.version, v2.version) == (1, 2)
    assert store.latest("scenario", "东村案").content == YAML_B
    assert store.get("scenario", "东村案", 1).content == YAML_A
    assert [v.note for v in store.history("scenario", "东村案")] == ["first", ""]
    assert store.names("scenario") == ["东村案"]
    assert store.names("decision") == []
    assert store.latest("scenario", "nothing") is None


def test_survives_a_new_process(tmp_path):
    path = tmp_path / "akb.sqlite3"
    Store(path).save("scenario", "s", YAML_A)
    code = (
        "import sys; from kb.store import Store; s = Store(sys.argv[1]); "
        "s.save('scenario', 's', sys.argv[2]); print(len(s.history('scenario', 's')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path), YAML_B], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"
    assert Store(path).latest("scenario", "s").content == YAML_B


def test_export_yaml_and_json(tmp_path):
    store = Store(tmp_path / "db")
    store.save("scenario", "s", YAML_A)
    store.save("scenario", "s", YAML_B)
    store.save("decision", "d", "decision: {}\n")
    assert store.export("scenario", "s", "yaml") == YAML_B
    data = json.loads(store.export("scenario", "s", "json"))
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][0]["content"] == YAML_A
    everything = json.loads(store.export_all())
    assert set(everything) == {"scenario", "decision"}
    assert everything["decision"]["d"][0]["content"] == "decision: {}\n"
    with pytest.raises(KeyError):
        store.export("scenario", "missing")


def test_user_text_is_stored_not_run(tmp_path):
    store = Store(tmp_path / "db")
    nasty = "'); DROP TABLE versions; --\n<script>alert(1)</script>"
    store.save("scenario", "x'); DROP TABLE versions; --", nasty)
    assert store.latest("scenario", "x'); DROP TABLE versions; --").content == nasty
    assert store.names("scenario") == ["x'); DROP TABLE versions; --"]


@pytest.mark.parametrize(
    "kind,name,content",
    [("poem", "n", "x"), ("scenario", "", "x"), ("scenario", " ", "x"), ("scenario", "a\nb", "x"),
     ("scenario", "n" * 201, "x"), ("scenario", "n", "x" * 5_000_001)],
)
def test_refuses_bad_saves(tmp_path, kind, name, content):
    with pytest.raises(StoreError):
        Store(tmp_path / "db").save(kind, name, content)


def test_concurrent_saves_get_distinct_versions(tmp_path):
    path = tmp_path / "db"
    Store(path)

    def work():
        store = Store(path)
        for _ in range(5):
            store.save("scenario", "shared", YAML_A)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [v.version for v in Store(path).history("scenario", "shared")] == list(range(1, 21))


def test_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AKB_DB", str(tmp_path / "x" / "mine.sqlite3"))
    assert default_path() == tmp_path / "x" / "mine.sqlite3"
    Store().save("scenario", "s", YAML_A)
    assert (tmp_path / "x" / "mine.sqlite3").exists()
    monkeypatch.delenv("AKB_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "akb" / "akb.sqlite3"
