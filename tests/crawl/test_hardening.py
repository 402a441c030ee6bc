"""Crawler hardening (issue 12) against a hostile portal on loopback: every request bounded, every
`.part` removed, redirects only to allowed origins, hostile listing fields become events."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fakeportal import HostilePortal, build_hostile_portal, start_server

from crawl.crawler import crawl_source
from crawl.fetcher import Fetcher
from crawl.registry import Source, load_registry
from crawl.robots import ROBOTS_MAX_BYTES
from crawl.store import Store


@pytest.fixture
def hostile() -> Iterator[HostilePortal]:
    server, internal = start_server(), start_server()
    try:
        yield build_hostile_portal(server, internal)
    finally:
        for s in (server, internal):
            s.clear()
            s.stop()


def _sources(portal: HostilePortal, tmp_path: Path, **kw: float) -> dict[str, Source]:
    registry = tmp_path / "sources.toml"
    registry.write_text(portal.registry_toml(**kw), encoding="utf-8")
    return {s.name: s for s in load_registry(registry)}


def _parts(store_dir: Path) -> list[Path]:
    return sorted((store_dir / "tmp").glob("*.part")) if (store_dir / "tmp").exists() else []


def test_trickling_server_is_cut_at_the_deadline(hostile: HostilePortal, tmp_path: Path) -> None:
    source = _sources(hostile, tmp_path, deadline_seconds=2.0)["hostile-html"]
    with Fetcher(source, tmp_path / "tmp") as fetcher:
        t0 = time.monotonic()
        download = fetcher.download(f"{hostile.base}/h/files/trickle.pdf")
        took = time.monotonic() - t0
    print(f"\ntrickle (1 byte / 5 s) cut after {took:.2f} s with deadline_seconds = 2")
    assert download.outcome == "failed" and download.reason_code == "deadline_exceeded"
    assert 1.9 <= took < 3.5  # not retried: a trickle does not heal
    assert hostile.requested("/h/files/trickle.pdf") == 1
    assert _parts(tmp_path) == []


#: A robots.txt server in its own process, so that tracemalloc here counts the crawler's memory only.
_ROBOTS_SERVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
total = int(sys.argv[1])
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(total + 64))
        self.end_headers()
        try:
            self.wfile.write(b"User-agent: *\nDisallow: /secret/\n")
            line = b"# filler filler filler filler filler filler filler filler filler filler filler fill\n" * 780
            sent = 0
            while sent < total:
                self.wfile.write(line)
                sent += len(line)
            self.wfile.write(b"Disallow: /after-cap.pdf\n")
        except OSError:
            pass
    def log_message(self, *a):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@pytest.fixture
def robots_server() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-c", _ROBOTS_SERVER, str(64 << 20)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{proc.stdout.readline().strip()}"
    finally:
        proc.kill()
        proc.wait()


def test_robots_txt_is_read_up_to_the_cap_only(robots_server: str, hostile: HostilePortal, tmp_path: Path) -> None:
    source = replace(_sources(hostile, tmp_path)["hostile-html"], start_urls=(robots_server + "/",))
    with Fetcher(source, tmp_path / "tmp") as fetcher:
        tracemalloc.start()
        t0 = time.monotonic()
        parser = fetcher._load_robots(robots_server)
        took = time.monotonic() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"\nrobots.txt of 64 MiB: read in {took:.2f} s, peak traced memory {peak / 2**20:.2f} MiB")
    assert parser is not None
    assert not parser.can_fetch(source.user_agent, f"{robots_server}/secret/x.pdf")  # before the cap: obeyed
    assert parser.can_fetch(source.user_agent, f"{robots_server}/after-cap.pdf")  # after it: ignored
    assert peak < 8 * ROBOTS_MAX_BYTES  # bounded by the cap (body, text, lines), not by the 64 MiB offered
    assert took < 5


def test_hostile_portal_crawl_finishes_with_events_and_no_leftovers(hostile: HostilePortal, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    store_dir = tmp_path / "store"
    (store_dir / "tmp").mkdir(parents=True)
    stale, fresh = store_dir / "tmp" / "old.part", store_dir / "tmp" / "live.part"
    stale.write_bytes(b"left by a SIGKILL")
    fresh.write_bytes(b"another crawl's download in progress")
    os.utime(stale, (time.time() - 86400, time.time() - 86400))
    registry = tmp_path / "sources.toml"
    registry.write_text(hostile.registry_toml(), encoding="utf-8")

    t0 = time.monotonic()
    result = CliRunner().invoke(app, ["crawl", "--registry", str(registry), "--store", str(store_dir)])
    took = time.monotonic() - t0
    print(f"\nhostile crawl (both sources): {took:.1f} s")
    assert result.exit_code == 0, result.output
    assert took < 15

    fresh.unlink()  # not ours to remove: younger than any deadline
    assert _parts(store_dir) == []
    with Store(store_dir) as store:
        events = store.events()
        docs = {d.url.removeprefix(hostile.base): d for d in store.current_documents()}
    codes: dict[str, set[str]] = {}
    for e in events:
        codes.setdefault(str(e["reason_code"]), set()).add(str(e["url"]).removeprefix(hostile.base))
    assert set(docs) == {"/h/files/good.pdf", "/j/download/g1", "/j/download/g2"}
    assert docs["/j/download/g1"].year == 2024 and docs["/j/download/g2"].year == 2024  # '²' / 20 digits dropped

    assert codes["deadline_exceeded"] == {"/h/files/trickle.pdf"}
    assert codes["redirect_off_origin"] == {"/h/files/port.pdf"}
    assert len(hostile.internal.log) == 0  # the internal service was never asked
    assert codes["too_large"] == {"/h/files/oversize.pdf"}
    assert codes["network"] == {"/h/files/aborted.pdf"}
    assert codes["robots_disallowed"] == {"/h/secret/x.pdf"}
    assert hostile.requested("/h/files/after-cap.pdf") == 1  # its rule lies beyond the robots.txt cap
    assert len(codes["unsafe_url"]) == 2 and hostile.requested("/h/files/q.pdf") == 0
    assert hostile.requested("/etc/passwd") == hostile.requested("/h/files/enc.pdf") == 0
    listing = Counter(str(e["reason_code"]) for e in events if e["outcome"] == "listing")
    assert listing["bad_entry"] == 1 + 4  # a department and four file entries that are not objects
    assert listing["bad_department_id"] == 3  # a list, none, a path
    assert listing["bad_file_id"] == 4  # none, an object, a path, a query string
    assert listing["bad_year"] == 2  # '²' and 20 digits
    assert not any("/../" in str(e["url"]) or "evil" in str(e["url"]) for e in events if e["outcome"] != "listing")

    db = sqlite3.connect(store_dir / "manifest.sqlite")
    (finished,) = db.execute("SELECT COUNT(*) FROM crawls WHERE finished IS NULL").fetchone()
    known = {sha for (sha,) in db.execute("SELECT sha256 FROM versions")}
    db.close()
    assert finished == 0  # the crawl is closed
    blobs = {p.stem for p in (store_dir / "raw").rglob("*.pdf")}
    assert blobs == known  # no orphaned blob
    assert not stale.exists()


def test_an_adapter_that_crashes_is_one_event_and_the_crawl_is_closed(
    hostile: HostilePortal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crawl.crawler

    def broken(source: Source, fetcher: Fetcher) -> object:
        raise TypeError("unexpected listing shape")

    monkeypatch.setitem(crawl.crawler.ADAPTERS, "json_api", broken)
    source = _sources(hostile, tmp_path)["hostile-api"]
    with Store(tmp_path / "store") as store:
        store.start_crawl("c1")
        report = crawl_source(source, store, "c1")
        store.finish_crawl("c1", report.as_counts())
        assert [e["reason_code"] for e in store.events("c1")] == ["adapter_failed"]


def test_an_interrupted_download_leaves_no_part(
    hostile: HostilePortal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _sources(hostile, tmp_path)["hostile-html"]
    real = httpx.Response.iter_bytes

    def interrupted(self: httpx.Response, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in real(self, chunk_size):
            yield chunk
            raise KeyboardInterrupt

    monkeypatch.setattr(httpx.Response, "iter_bytes", interrupted)
    with Fetcher(source, tmp_path / "tmp") as fetcher, pytest.raises(KeyboardInterrupt):
        fetcher.download(f"{hostile.base}/h/files/good.pdf")
    assert _parts(tmp_path) == []
