"""One source end to end: adapter → conditional downloads (concurrent per the registry) → store.

Plain functions, tested without Prefect; `flows/nightly.py` runs one `crawl_source` per task.
Downloads run in `concurrency` threads (the fetcher's host gate keeps the delay); the manifest
is written only from the calling thread, so SQLite sees a single writer.

Why `crawl_source` does not raise for bad data: its caller closes the `crawls` row after it,
so a crash would leave the crawl unfinished. A broken adapter or an entry the manifest cannot
take becomes an event (`adapter_failed`, `store_failed`), and every downloaded `.part` that is
not moved into the store is removed — on success, on error and on Ctrl-C alike.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from crawl.adapters import ADAPTERS, Candidate, Discovery, ListingProblem
from crawl.fetcher import Download, Fetcher
from crawl.registry import Source
from crawl.store import Store
from crawl.untrusted import url_problem

#: A `.part` older than this (beyond the source's deadline) belongs to no live download.
STALE_PART_MARGIN_SECONDS = 60.0


def new_crawl_id() -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@dataclass
class CrawlReport:
    """What one source's crawl did; `counts` keys are the download outcomes plus listing figures."""

    source: str
    crawl_id: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (url, code, reason)

    def as_counts(self) -> dict[str, int]:
        return dict(self.counts)


def _discover(source: Source, fetcher: Fetcher) -> Discovery:
    """The adapter's findings; an adapter that crashes on hostile input is one listing problem."""
    try:
        return ADAPTERS[source.kind](source, fetcher)
    except Exception as exc:  # noqa: BLE001 - bad portal data must not leave the crawl unfinished
        found = Discovery()
        where = source.start_urls[0] if source.start_urls else source.name
        found.problems.append(ListingProblem(where, "adapter_failed", f"{source.name}: listing not read: "
                                             f"{type(exc).__name__}: {exc}"))
        return found


def crawl_source(
    source: Source, store: Store, crawl_id: str, client: httpx.Client | None = None
) -> CrawlReport:
    """Find the source's documents and fetch the new or changed ones into `store`."""
    report = CrawlReport(source.name, crawl_id)
    if removed := store.clean_tmp(source.deadline_seconds + STALE_PART_MARGIN_SECONDS):
        report.counts["stale_parts_removed"] = removed
    futures: list[Future[Download]] = []
    try:
        with Fetcher(source, store.tmp_dir, client) as fetcher:
            discovery = _discover(source, fetcher)
            report.counts["listing_pages"] = discovery.pages
            candidates = [c for c in discovery.candidates if not _unsafe(c, discovery)]
            report.counts["candidates"] = len(candidates)
            for problem in discovery.problems:
                report.counts["listing_problems"] += 1
                report.problems.append((problem.url, problem.code, problem.reason))
                store.record_event(crawl_id, source.name, problem.url, "listing", problem.code, problem.reason)
            jobs = [(c, store.validators(c.url)) for c in candidates]
            with ThreadPoolExecutor(max_workers=source.concurrency) as pool:
                futures = [pool.submit(fetcher.download, c.url, prior) for c, prior in jobs]
        for (candidate, _), future in zip(jobs, futures, strict=True):
            _keep(store, crawl_id, source, candidate, future.result(), report)
    finally:
        for future in futures:  # whatever was downloaded but not kept (an error, Ctrl-C) goes
            download = future.result() if future.done() and not future.exception() else None
            if download is not None and download.temp_path is not None:
                download.temp_path.unlink(missing_ok=True)
    return report


def _unsafe(candidate: Candidate, discovery: Discovery) -> bool:
    """Adapters check their URLs; this is the last line for any adapter that forgets."""
    problem = url_problem(candidate.url)
    if problem:
        discovery.problems.append(ListingProblem(candidate.url, "unsafe_url", f"{candidate.url[:120]}: {problem}"))
    return problem is not None


def _keep(store: Store, crawl_id: str, source: Source, c: Candidate, download: Download, report: CrawlReport) -> None:
    """Record first, then move the blob in: a manifest row without a blob is ignored and healed by the
    next crawl; a blob without a row would be an orphan."""
    try:
        previous = store.versions(c.url)
        store.record(crawl_id, source.name, download, c.department, c.year, c.title)
    except (sqlite3.Error, OverflowError, ValueError) as exc:
        report.counts["store_failed"] += 1
        reason = f"{c.url}: the manifest refused this entry ({type(exc).__name__}: {exc})"
        report.problems.append((c.url, "store_failed", reason))
        store.record_event(crawl_id, source.name, c.url, "failed", "store_failed", reason)
        return
    if download.outcome == "downloaded" and download.temp_path is not None:
        store.add_blob(download.temp_path, download.sha256)
        if previous and all(v.sha256 != download.sha256 for v in previous):
            report.counts["changed"] += 1
    report.counts[download.outcome] += 1
    if download.outcome not in ("downloaded", "not_modified"):
        report.problems.append((download.url, download.reason_code, download.reason))
