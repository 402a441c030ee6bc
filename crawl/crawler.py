"""One source end to end: adapter → conditional downloads (concurrent per the registry) → store.

Plain functions, tested without Prefect; `flows/nightly.py` runs one `crawl_source` per task.
Downloads run in `concurrency` threads (the fetcher's host gate keeps the delay); the manifest
is written only from the calling thread, so SQLite sees a single writer.
"""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from crawl.adapters import ADAPTERS, Candidate
from crawl.fetcher import Download, Fetcher
from crawl.registry import Source
from crawl.store import Store


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


def crawl_source(
    source: Source, store: Store, crawl_id: str, client: httpx.Client | None = None
) -> CrawlReport:
    """Find the source's documents and fetch the new or changed ones into `store`."""
    report = CrawlReport(source.name, crawl_id)
    with Fetcher(source, store.tmp_dir, client) as fetcher:
        discovery = ADAPTERS[source.kind](source, fetcher)
        report.counts["listing_pages"] = discovery.pages
        report.counts["candidates"] = len(discovery.candidates)
        for problem in discovery.problems:
            report.counts["listing_problems"] += 1
            report.problems.append((problem.url, problem.code, problem.reason))
            store.record_event(crawl_id, source.name, problem.url, "listing", problem.code, problem.reason)
        jobs = [(c, store.validators(c.url)) for c in discovery.candidates]
        with ThreadPoolExecutor(max_workers=source.concurrency) as pool:
            results = list(pool.map(lambda job: fetcher.download(job[0].url, job[1]), jobs))
    for (candidate, _), download in zip(jobs, results, strict=True):
        _keep(store, crawl_id, source, candidate, download, report)
    return report


def _keep(store: Store, crawl_id: str, source: Source, c: Candidate, download: Download, report: CrawlReport) -> None:
    if download.outcome == "downloaded" and download.temp_path is not None:
        store.add_blob(download.temp_path, download.sha256)
        previous = store.versions(c.url)
        if previous and all(v.sha256 != download.sha256 for v in previous):
            report.counts["changed"] += 1
    report.counts[download.outcome] += 1
    if download.outcome not in ("downloaded", "not_modified"):
        report.problems.append((download.url, download.reason_code, download.reason))
    store.record(crawl_id, source.name, download, c.department, c.year, c.title)
