"""The raw store: PDFs by sha256, and a manifest (SQLite, stdlib) of where each came from.

Layout: `<store>/raw/<sha256[:2]>/<sha256>.pdf`, `<store>/manifest.sqlite`, `<store>/tmp/`.

Why content-addressed: the same bytes found under two URLs are stored once, and a file that
changes on the portal gets a new blob while the old one stays, so history is never lost.
Why SQLite: one file, transactions (a crash mid-crawl leaves a consistent manifest), and
queries such as "current version of every URL" are one SELECT.

Tables
    files     one row per document URL: source, department, year, title, first/last seen, current sha256,
              and the last HTTP metadata (status, etag, last-modified, content-type, outcome, reason)
    versions  one row per (URL, sha256) ever seen: size, first/last seen, the crawl that found it
    events    every refused, rejected or failed request, with a stable reason code
    crawls    one row per crawl: id, start, end, counts (JSON)
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawl.fetcher import Download, Validators
from crawl.untrusted import url_problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, department TEXT, year INTEGER, title TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, sha256 TEXT,
    http_status INTEGER, etag TEXT, last_modified TEXT, content_type TEXT,
    last_outcome TEXT, last_reason TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, crawl_id TEXT NOT NULL,
    PRIMARY KEY (url, sha256)
);
CREATE TABLE IF NOT EXISTS events (
    crawl_id TEXT NOT NULL, time TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,
    outcome TEXT NOT NULL, http_status INTEGER, reason_code TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS crawls (
    crawl_id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, counts TEXT
);
"""


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredDocument:
    """The current version of one URL, as the nightly flow ingests it."""

    url: str
    source: str
    sha256: str
    path: Path
    department: str
    year: int | None


@dataclass(frozen=True)
class Version:
    url: str
    sha256: str
    size: int
    first_seen: str
    last_seen: str
    crawl_id: str


class Store:
    """Raw blobs and the manifest under one folder. Single writer (the crawl's main thread)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"
        root.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(root / "manifest.sqlite")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db:
            yield self._db

    # -- blobs ------------------------------------------------------------------------------
    def blob_path(self, sha256: str) -> Path:
        """Derived from the hash alone, never from URL text."""
        if not _is_sha256(sha256):
            raise ValueError(f"{sha256!r} is not a sha256 hex digest")
        return self.root / "raw" / sha256[:2] / f"{sha256}.pdf"

    def add_blob(self, temp: Path, sha256: str) -> Path:
        """Move a verified download into place; identical bytes already stored are kept as they are."""
        target = self.blob_path(sha256)
        if target.exists():
            temp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        return target

    def clean_tmp(self, older_than_seconds: float) -> int:
        """Remove `tmp/*.part` left by a crash or a kill (a live part is younger than a request's
        deadline, so `older_than_seconds` = the longest deadline keeps concurrent crawls safe)."""
        removed = 0
        limit = time.time() - older_than_seconds
        for part in self.tmp_dir.glob("*.part") if self.tmp_dir.is_dir() else ():
            with contextlib.suppress(FileNotFoundError):
                if part.stat().st_mtime < limit:
                    part.unlink()
                    removed += 1
        return removed

    # -- manifest ---------------------------------------------------------------------------
    def validators(self, url: str) -> Validators | None:
        """ETag/Last-Modified of the URL's current version, only if its blob is really on disk."""
        row = self._db.execute("SELECT sha256, etag, last_modified FROM files WHERE url = ?", (url,)).fetchone()
        if not row or not _is_sha256(row[0] or "") or not self.blob_path(row[0]).exists():
            return None
        return Validators(etag=row[1] or "", last_modified=row[2] or "")

    def record(
        self, crawl_id: str, source: str, download: Download, department: str, year: int | None, title: str
    ) -> None:
        """Update the manifest from one download outcome (the blob must already be added)."""
        t = now()
        meta = download.meta
        with self._db as db:
            if download.outcome in ("downloaded", "not_modified"):
                db.execute(
                    """INSERT INTO files (url, source, department, year, title, first_seen, last_seen)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(url) DO UPDATE SET last_seen = excluded.last_seen,
                         department = excluded.department, year = excluded.year, title = excluded.title""",
                    (download.url, source, department, year, title, t, t),
                )
                assert meta is not None
                db.execute(
                    """UPDATE files SET http_status = ?, last_outcome = ?, last_reason = '',
                         etag = CASE WHEN ? != '' THEN ? ELSE etag END,
                         last_modified = CASE WHEN ? != '' THEN ? ELSE last_modified END,
                         content_type = CASE WHEN ? != '' THEN ? ELSE content_type END
                       WHERE url = ?""",
                    (meta.status, download.outcome, meta.etag, meta.etag, meta.last_modified, meta.last_modified,
                     meta.content_type, meta.content_type, download.url),
                )
            if download.outcome == "downloaded":
                db.execute("UPDATE files SET sha256 = ? WHERE url = ?", (download.sha256, download.url))
                db.execute(
                    """INSERT INTO versions (url, sha256, size, first_seen, last_seen, crawl_id)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT(url, sha256) DO UPDATE SET last_seen = excluded.last_seen""",
                    (download.url, download.sha256, download.size, t, t, crawl_id),
                )
            elif download.outcome == "not_modified":
                db.execute(
                    """UPDATE versions SET last_seen = ?
                       WHERE url = ? AND sha256 = (SELECT sha256 FROM files WHERE url = ?)""",
                    (t, download.url, download.url),
                )
            else:
                self.record_event(crawl_id, source, download.url, download.outcome, download.reason_code,
                                  download.reason, meta.status if meta else None)
                db.execute(
                    "UPDATE files SET last_outcome = ?, last_reason = ?, last_seen = ? WHERE url = ?",
                    (download.outcome, download.reason_code, t, download.url),
                )

    def record_event(
        self, crawl_id: str, source: str, url: str, outcome: str, code: str, reason: str, status: int | None = None
    ) -> None:
        with self._db as db:
            db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (crawl_id, now(), source, url, outcome, status, code, reason),
            )

    def start_crawl(self, crawl_id: str) -> None:
        with self._db as db:
            db.execute("INSERT OR IGNORE INTO crawls (crawl_id, started) VALUES (?, ?)", (crawl_id, now()))

    def finish_crawl(self, crawl_id: str, counts: dict[str, int]) -> None:
        with self._db as db:
            db.execute("UPDATE crawls SET finished = ?, counts = ? WHERE crawl_id = ?",
                       (now(), json.dumps(counts, sort_keys=True), crawl_id))

    # -- queries ----------------------------------------------------------------------------
    def current_documents(self) -> list[StoredDocument]:
        """Every URL's current version whose blob is on disk, in URL order (stable runs).

        A URL stored before the crawler refused unsafe URLs (a `/../` in its path or query) is left
        out — see `unsafe_documents()` — so one bad row can never make every later nightly fail.
        """
        return [d for d in self._stored() if not url_problem(d.url)]

    def unsafe_documents(self) -> list[tuple[StoredDocument, str]]:
        """Stored documents whose URL `crawl.untrusted.url_problem` refuses, with the reason."""
        return [(d, problem) for d in self._stored() if (problem := url_problem(d.url))]

    def _stored(self) -> list[StoredDocument]:
        rows = self._db.execute(
            "SELECT url, source, sha256, department, year FROM files WHERE sha256 IS NOT NULL ORDER BY url"
        ).fetchall()
        docs = [StoredDocument(u, s, h, self.blob_path(h), d or "", y) for u, s, h, d, y in rows if _is_sha256(h)]
        return [d for d in docs if d.path.exists()]

    def versions(self, url: str) -> list[Version]:
        rows = self._db.execute(
            "SELECT url, sha256, size, first_seen, last_seen, crawl_id FROM versions WHERE url = ? "
            "ORDER BY first_seen, rowid",
            (url,),
        ).fetchall()
        return [Version(*r) for r in rows]

    def events(self, crawl_id: str | None = None) -> list[dict[str, object]]:
        cursor = self._db.execute(
            "SELECT crawl_id, time, source, url, outcome, http_status, reason_code, reason FROM events"
            + (" WHERE crawl_id = ?" if crawl_id else ""),
            (crawl_id,) if crawl_id else (),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
