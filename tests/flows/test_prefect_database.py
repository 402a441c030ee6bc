"""A new PREFECT_HOME starts from a copy of an empty, migrated database (flows/prefect_database.py)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import httpx
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows import embedded_server as es
from flows import prefect_database as pdb


def _database(path: Path, rows_in_flow_run: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num TEXT)")
        db.execute("INSERT INTO alembic_version VALUES ('head')")
        db.execute("CREATE TABLE flow_run (id TEXT)")
        db.executemany("INSERT INTO flow_run VALUES (?)", [(str(n),) for n in range(rows_in_flow_run)])
    return path


def test_an_empty_schema_is_kept_and_copied_into_a_new_home_only(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    used = _database(tmp_path / "used" / "prefect.db", rows_in_flow_run=1)
    assert not pdb.keep_template(used) and not pdb.template_path().exists()  # a run wrote to it
    assert pdb.keep_template(_database(tmp_path / "first" / "prefect.db"))
    assert pdb.template_path().is_file() and not pdb.keep_template(_database(tmp_path / "again" / "prefect.db"))

    new = tmp_path / "new-home" / "prefect.db"
    assert pdb.seed(new)
    with sqlite3.connect(new) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("head",)]
    assert not pdb.seed(used)  # never over a database that exists
    with sqlite3.connect(used) as db:
        assert db.execute("SELECT count(*) FROM flow_run").fetchone() == (1,)
    assert [p.name for p in new.parent.iterdir()] == ["prefect.db"]  # no partial file left


def test_another_database_is_left_to_the_server() -> None:
    assert pdb.database_of({"PREFECT_HOME": "/x"}) == Path("/x/prefect.db")
    assert pdb.database_of({"PREFECT_API_DATABASE_CONNECTION_URL": "postgresql+asyncpg://db/prefect"}) is None
    assert pdb.database_of({"PREFECT_SERVER_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:////y.db"}) is None


@pytest.mark.prefect
def test_the_second_new_home_starts_from_the_first_ones_migrated_database(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    versions = []
    for home in ("first", "second"):
        monkeypatch.setenv("PREFECT_HOME", str(tmp_path / home))
        with temporary_settings(restore_defaults={PREFECT_API_URL}), es.embedded_server() as server:
            assert server is not None
            assert (tmp_path / home / "prefect.db").exists() == (home == "second")  # copied before the start
            # the copy is at the head migration: its server skips the migration check; the first migrates
            assert (server.environment.get(es.MIGRATE_SETTINGS[0]) == "false") == (home == "second")
            with es.using(server):
                assert httpx.get(f"{server.api_url}/health", timeout=10).status_code == 200
                # the server writes to the copied database
                response = httpx.post(f"{server.api_url}/flows/", json={"name": f"probe-{home}"}, timeout=10)
                assert response.status_code in (200, 201), response.text
        with sqlite3.connect(tmp_path / home / "prefect.db") as db:
            versions.append(db.execute("SELECT version_num FROM alembic_version").fetchall())
            assert db.execute("SELECT name FROM flow").fetchall() == [(f"probe-{home}",)]
        assert pdb.template_path().is_file()
    assert versions[0] == versions[1] == [(pdb.head_revision(),)]  # what the migrations made is the head read
    assert pdb.is_migrated(tmp_path / "first" / "prefect.db")
    with sqlite3.connect(pdb.template_path()) as db:  # the template holds no run of the first home
        assert db.execute("SELECT count(*) FROM flow").fetchone() == (0,)
    assert os.environ.get("PREFECT_API_URL") is None


def test_only_a_database_at_the_head_migration_counts_as_migrated(tmp_path: Path) -> None:
    head = pdb.head_revision()
    assert head is not None and len(head) == 12
    behind = _database(tmp_path / "behind" / "prefect.db")  # version 'head', not the real one
    assert not pdb.is_migrated(behind)
    with sqlite3.connect(behind) as db:
        db.execute("UPDATE alembic_version SET version_num = ?", (head,))
    assert pdb.is_migrated(behind)
    (tmp_path / "junk.db").write_bytes(b"not a database")
    assert not pdb.is_migrated(tmp_path / "junk.db") and not pdb.is_migrated(tmp_path / "missing.db")


def test_a_migrated_database_starts_without_the_check_unless_the_environment_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _database(tmp_path / "home" / "prefect.db")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = ?", (pdb.head_revision(),))
    monkeypatch.setattr(es.subprocess, "Popen", lambda *a, **k: None)  # the decision, not the server
    for environment, expected in (({}, "false"), ({"PREFECT_API_DATABASE_MIGRATE_ON_START": "true"}, None)):
        server = es.EmbeddedServer({"PREFECT_HOME": str(tmp_path / "home"), **environment})
        server.start()
        es._running.discard(server)
        assert server.environment.get(es.MIGRATE_SETTINGS[0]) == expected
