"""A new PREFECT_HOME starts from a copy of an empty, migrated Prefect database.

    database = database_of(os.environ)   # PREFECT_HOME/prefect.db, or None: another database
    seed(database)                       # a new home: the template copied in (True), if there is one
    ...                                  # the server starts and answers
    keep_template(database)              # the first new home on this machine: kept as the template

Why: the embedded server creates its SQLite database by running every Alembic migration Prefect
has (116 for SQLite): 8 s of a cold run's start-up on this 2-core machine — the server first
answered after 13.3 s in a new PREFECT_HOME and after 5 s in a used one. For one Prefect version
the result is always the same empty schema, so the first new home keeps a copy (taken when its
server first answers, before any run wrote to it, and checked to hold no row but the schema's
version) and every later new home starts from that copy; the server's own migration check then
has nothing to do. New homes are common: a container, a CI job, a test, a user's first run.

A database that already is at the installed Prefect's head migration (`is_migrated`: its
`alembic_version` row against the migration files) is started without the server's own check,
which loads every migration script to find nothing to do (0.4 s of each start).

Only the default database (no connection URL in the environment): a profile that names another
one leaves the copy unused. Anything that goes wrong (no cache folder, a full disk, a copy that
is not empty) means no copy, and the server migrates as it always did.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import sqlite3
from collections.abc import Mapping
from pathlib import Path

DATABASE_NAME = "prefect.db"
_URL_SETTINGS = ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")
#: the only table an empty, migrated database has rows in
_SCHEMA_TABLE = "alembic_version"


def database_of(environ: Mapping[str, str]) -> Path | None:
    """The SQLite file the embedded server will use, or None when the environment names another database."""
    if any(environ.get(name) for name in _URL_SETTINGS):
        return None
    home = environ.get("PREFECT_HOME") or "~/.prefect"
    return Path(home).expanduser() / DATABASE_NAME


def template_path() -> Path:
    """Where this machine keeps the empty database of the installed Prefect and its migrations."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "opendisclosure" / f"prefect-{importlib.metadata.version('prefect')}-{_migrations_digest()}.db"


def _migrations_folder() -> Path:
    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "server" / "database" / "_migrations" / "versions" / "sqlite"


def _migrations_digest() -> str:
    """The names of Prefect's SQLite migrations, hashed: a different set is a different schema."""
    folder = _migrations_folder()
    names = sorted(p.name for p in folder.glob("*.py")) if folder.is_dir() else []
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]


_REVISION = re.compile(r"^revision\s*=\s*[\"']([0-9a-f]+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.+)$", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest of Prefect's SQLite migrations (the one no other follows), read from the
    migration files as Alembic reads them; None when they cannot be told apart."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in _migrations_folder().glob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if (found := _REVISION.search(text)) is None:
            continue
        revisions.add(found.group(1))
        if (down := _DOWN_REVISION.search(text)) is not None:
            followed.update(re.findall(r"[\"']([0-9a-f]+)[\"']", down.group(1)))
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None


def is_migrated(database: Path) -> bool:
    """Whether `database` already is at the installed Prefect's head migration, so the server's own
    check at start can be skipped: it loads every migration script to find nothing to do (0.4 s of
    the server's 2.5–3 s start, measured)."""
    head = head_revision()
    if head is None or not database.is_file():
        return False
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return rows == [(head,)]


def seed(database: Path) -> bool:
    """Copy the template to `database` when there is none yet; True if it was copied."""
    template = template_path()
    if database.exists() or not template.is_file():
        return False
    database.parent.mkdir(parents=True, exist_ok=True)
    partial = database.with_name(f".{database.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(template, partial)
        os.link(partial, database)  # never over a database another process created meanwhile
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return True


def keep_template(database: Path) -> bool:
    """Keep a copy of `database` (new, migrated, not yet written to) as the template; True if kept."""
    template = template_path()
    if template.is_file():
        return False
    template.parent.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f".{template.name}.{os.getpid()}.partial")
    try:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # a consistent copy while the server has it open
                if not _only_the_schema(target):
                    return False
            finally:
                target.close()
        finally:
            source.close()
        os.replace(partial, template)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _only_the_schema(connection: sqlite3.Connection) -> bool:
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if _SCHEMA_TABLE not in tables:
        return False
    for table in tables:
        if table != _SCHEMA_TABLE and not table.startswith("sqlite_"):
            quoted = table.replace('"', '""')
            if connection.execute(f'SELECT 1 FROM "{quoted}" LIMIT 1').fetchone():  # noqa: S608 - our own names
                return False
    return True
