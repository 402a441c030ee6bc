"""The nightly flow: crawl every source → extract new/changed files → publish from all stored files.

Thin wiring only: the crawl is `crawl.crawler.crawl_source` (one task per source), extraction and
assembly are `flows.run.assemble_package` (per-document tasks cached by sha256 + code version, so
an unchanged file is never read twice), publishing is atomic (a failed run leaves the last package).
A source whose listing cannot be read is recorded in `run_info` and in the manifest; the package
is still rebuilt from everything stored, because yesterday's files are still good.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flows.settings import code_version, configure_prefect_env

configure_prefect_env()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from crawl.crawler import CrawlReport, crawl_source, new_crawl_id  # noqa: E402
from crawl.registry import DEFAULT_REGISTRY, Source, load_registry  # noqa: E402
from crawl.store import Store, StoredDocument, now  # noqa: E402
from flows import interrupt  # noqa: E402
from flows.isolation import Limits  # noqa: E402
from flows.names import publishable_name  # noqa: E402
from flows.run import DocumentInput, RunSummary, assemble_package, check_inputs, publish, summarize  # noqa: E402
from flows.runners import RunnerOptions  # noqa: E402
from flows.settings import DEFAULT_OUT  # noqa: E402

DEFAULT_STORE = Path("store")
COUNT_KEYS = ("candidates", "downloaded", "changed", "not_modified", "rejected", "refused", "failed", "listing_problems")


@dataclass
class NightlySummary:
    crawl_id: str
    crawl: dict[str, dict[str, int]]
    run: RunSummary | None
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # (source, url, code, reason)
    seconds: float = 0.0


def source_file_for(doc: StoredDocument) -> str:
    """Stable name in the package (and in the extraction cache key): `<source>/<host><path>[?query]`."""
    parts = urlsplit(doc.url)
    name = f"{doc.source}/{parts.hostname}{parts.path}"
    return publishable_name(name + (f"?{parts.query}" if parts.query else ""))


@task(name="crawl-source", cache_policy=NO_CACHE)
def crawl_source_task(source: Source, store_dir: Path, crawl_id: str) -> CrawlReport:
    with Store(store_dir) as store:
        return crawl_source(source, store, crawl_id)


def crawl_all(sources: list[Source], store_dir: Path, crawl_id: str) -> list[CrawlReport]:
    """Sources one after the other: each has its own politeness; SQLite keeps one writer."""
    with Store(store_dir) as store:
        store.start_crawl(crawl_id)
    reports: list[CrawlReport] = []
    try:
        for source in sources:
            reports.append(crawl_source_task(source, store_dir, crawl_id))
    finally:  # a crawl is always closed, also when a source fails or the run is interrupted
        totals = {k: sum(r.counts[k] for r in reports) for k in COUNT_KEYS}
        with Store(store_dir) as store:
            store.finish_crawl(crawl_id, totals)
    return reports


def run_info_for(crawl_id: str, started: str, reports: list[CrawlReport], documents: int) -> dict[str, str]:
    info = {
        "code_version": code_version(),
        "source": "crawl",
        "crawl_id": crawl_id,
        "crawl_started": started,
        "crawl_finished": now(),
        "crawl_sources": ",".join(r.source for r in reports),
        "crawl_documents_stored": str(documents),
    }
    info |= {f"crawl_{k}": str(sum(r.counts[k] for r in reports)) for k in COUNT_KEYS}
    return info


@flow(name="opendisclosure-nightly", log_prints=False)
def nightly(
    registry: Path = DEFAULT_REGISTRY,
    store: Path = DEFAULT_STORE,
    out: Path = DEFAULT_OUT,
    source: str | None = None,
    show_progress: bool = False,
    limits: Limits | None = None,
    allow_empty: bool = False,
    allow_shrink: bool = False,
    runner: RunnerOptions | None = None,
) -> NightlySummary:
    """Crawl, ingest what is new or changed, and publish the package from every stored document.

    An empty store, or one with far fewer documents than the package in `out`, is refused
    (flows/guard.py) unless `allow_empty` / `allow_shrink`. `runner`: where the documents run
    (flows/runners.py; default a thread pool in this process).
    """
    interrupt.rearm()
    t0 = time.monotonic()
    sources = load_registry(registry, only=source)
    crawl_id, started = new_crawl_id(), now()
    reports = crawl_all(sources, store, crawl_id)
    with Store(store) as st:
        docs = st.current_documents()
    inputs = [DocumentInput(d.path, source_file_for(d), d.url) for d in docs]
    check_inputs(inputs, out, f"the store {store}", allow_empty, allow_shrink)
    content = assemble_package(inputs, run_info_for(crawl_id, started, reports, len(docs)), show_progress, limits,
                               runner, out=out)
    published = publish(content, out)
    return NightlySummary(
        crawl_id=crawl_id,
        crawl={r.source: r.as_counts() for r in reports},
        run=summarize(content, out, published),
        problems=[(r.source, *p) for r in reports for p in r.problems],
        seconds=time.monotonic() - t0,
    )
