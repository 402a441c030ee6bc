"""The main flow: ingest a folder of PDFs and publish the package, atomically.

The flow only wires plain functions together: discovery (flows/discover.py), the empty/shrink
guard (flows/guard.py), one cached task per document, each running the document in its own
limited process (flows/isolation.py), submitted `limits.workers` at a time to the task runner
of flows/runners.py (a thread pool here, or a Dask cluster), then assembly and publishing
(datapackage/).
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.settings import code_version, configure_prefect_env

configure_prefect_env()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import TaskRunContext  # noqa: E402
from prefect.states import Failed, State  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from core.records import DocStatus  # noqa: E402
from datapackage.publish import PackageContent, PublishedPackage, publish_package  # noqa: E402
from extract.document import sha256_of  # noqa: E402
from flows import interrupt  # noqa: E402
from flows.content import package_content, with_changelog  # noqa: E402
from flows.document_cache import cached_value, document_store  # noqa: E402
from flows.guard import check_source  # noqa: E402
from flows.inputs import DocumentInput, inputs_from, largest_first  # noqa: E402
from flows.isolation import Limits, close_idle, process_isolated  # noqa: E402
from flows.names import publishable_name  # noqa: E402
from flows.runners import RunnerOptions, open_runner  # noqa: E402
from flows.summary import RunSummary  # noqa: E402
from flows.unchanged import FINGERPRINT_KEY, folder_facts, run_fingerprint  # noqa: E402
from normalize.documents import DocumentResult, deduplicate, quarantined_result  # noqa: E402
from normalize.packed import PackedResult  # noqa: E402
from normalize.spool import ResultList, ResultSpool  # noqa: E402


def _document_cache_key(context: TaskRunContext | None, parameters: dict[str, Any]) -> str:
    """Same bytes + same name + same extraction code = same result, across runs.

    The name is hashed: a key is a file name in Prefect's result store, and a name or URL
    may hold any bytes (`/../`, a query string, GBK) or be longer than a file name may be.
    """
    name = hashlib.sha256(str(parameters["source_file"]).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"doc-{parameters['sha256']}-{name}-{code_version()}"


@task(
    name="extract-document",
    cache_key_fn=_document_cache_key,
    cache_expiration=timedelta(days=365),
    persist_result=True,
    retries=0,
)
def extract_document_task(
    path: Path, source_file: str, sha256: str, source_url: str = "", limits: Limits | None = None
) -> PackedResult | State[Any]:
    """One document in a limited document worker (flows/isolation.py). A limit's quarantine is returned as a Failed
    state carrying the result: published like any other, but never cached, so the next run (on a
    quieter machine, with a higher --timeout) tries the file again.

    The result stays packed (normalize/packed.py): Prefect persists and reads back its bytes, and
    this process never unpickles it."""
    outcome = process_isolated(path, source_file, source_url, limits or Limits())
    if outcome.limit:
        return Failed(message=outcome.packed.document.error, data=LimitExceeded(outcome.packed))
    return outcome.packed


class LimitExceeded(Exception):  # noqa: N818 - a result, not an error of ours
    """Carries a limit's quarantined result out of a Failed task state (never cached)."""

    def __init__(self, packed: PackedResult) -> None:
        super().__init__(packed)

    def __repr__(self) -> str:
        return f"LimitExceeded({self.packed.document.source_file!r}: {self.packed.document.error_code})"

    __str__ = __repr__

    @property
    def packed(self) -> PackedResult:
        value: PackedResult = self.args[0]
        return value


@task(name="check-and-assemble", cache_policy=NO_CACHE)
def content_task(results: ResultList, run_info: dict[str, str], out: Path | None = None) -> PackageContent:
    """Consistency rules, extra resources and the report page, over every document; `out`, the
    package it will replace.

    `results`: a ResultList, which Prefect's parameter walk does not enter (it would read every
    spooled result to look for futures in it)."""
    return package_content(results, run_info, previous=out)


@task(name="publish-package", cache_policy=NO_CACHE)
def publish_task(content: PackageContent, out: Path) -> PublishedPackage:
    with interrupt.publishing():
        return publish_package(with_changelog(content, out), out)


def publish(content: PackageContent, out: Path) -> PublishedPackage:
    """publish_task in this flow, `content` quoted: else Prefect walks every document, finding and
    attachment of it looking for futures (1.2 s of a warm 300-document run)."""
    published: PublishedPackage = publish_task(quote(content), out)  # type: ignore[call-overload]
    return published


def unreadable_result(item: DocumentInput) -> DocumentResult:
    """The `documents` row of an entry that is never opened (a FIFO would block): hashed by name."""
    assert item.problem is not None
    digest = hashlib.sha256(f"{item.problem.code}:".encode() + os.fsencode(item.source_file)).hexdigest()
    return quarantined_result(item.path, item.source_file, item.source_url, item.problem, sha256=digest)


def _task_result(future: Any) -> PackedResult:
    value = future.result(raise_on_failure=False)
    if isinstance(value, LimitExceeded):  # a limit's quarantine (see extract_document_task)
        return value.packed
    if isinstance(value, BaseException):  # a real failure of the task: the run fails
        raise value
    return PackedResult.of(value)  # a DocumentResult: cached by a version that did not pack


class _QuietLimits(logging.Filter):
    """Prefect logs a Failed task at ERROR; a limit's quarantine is reported in the run summary."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "LimitExceeded(" not in message and not _LIMIT_FAILED.search(message)


_LIMIT_FAILED = re.compile(r"Failed\('(timeout|memory_limit|too_many_pages|too_many_objects|worker_crashed): ")
logging.getLogger("prefect.task_runs").addFilter(_QuietLimits())


def assemble_package(
    inputs: list[DocumentInput],
    run_info: dict[str, str],
    show_progress: bool = True,
    limits: Limits | None = None,
    runner: RunnerOptions | None = None,
    hashes: dict[Path, str] | None = None,
    out: Path | None = None,
) -> PackageContent:
    """Extract every input (cached per file hash + code version) and assemble the package content.

    Documents run `limits.workers` at a time, each in a limited document worker, on the task runner
    `runner` names (threads here, or Dask workers); results are gathered in input order, so the
    package is the same whatever the number of workers or the runner.
    Shared by `run_flow` (a folder) and `nightly` (the crawl store); call it inside a flow.
    `hashes`: sha256 of inputs already hashed (by path), so no file is read twice.
    `out`: where the package will be published (what is there already may be kept: its workbook).
    """
    limits, runner = limits or Limits(), runner or RunnerOptions()
    readable = [item for item in inputs if item.problem is None]
    spool = ResultSpool()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        disable=not show_progress,
        transient=False,
    ) as progress:
        progress.console.print(
            f"extracting {len(inputs)} documents, {runner.describe(limits.workers)} (per document at most"
            f" {limits.timeout_s:g} s, {limits.memory_bytes / 2**20:.0f} MiB, {limits.max_pages} pages)"
        )
        bar = progress.add_task("documents", total=len(inputs), current="")
        # the cache answers first (flows/document_cache.py): a task only for what it does not know
        store, to_submit = document_store(extract_document_task), {}
        for index, item in enumerate(inputs):
            if item.problem is not None:
                spool.put(index, unreadable_result(item))
                progress.advance(bar)
                continue
            sha256 = (hashes or {}).get(item.path) or sha256_of(item.path)
            parameters = {"path": item.path.absolute(), "source_file": item.source_file, "sha256": sha256,
                          "source_url": item.source_url, "limits": limits}
            cached = cached_value(store, _document_cache_key(None, parameters))
            if cached is None:
                to_submit[index] = parameters
                continue
            spool.put(index, PackedResult.of(cached))
            progress.advance(bar)
        answered = len(readable) - len(to_submit)
        if answered:
            progress.console.print(f"{answered} of {len(readable)} documents answered from Prefect's cache,"
                                   f" {len(to_submit)} to extract")
        if to_submit:  # no cluster started, no worker checked, when the cache answered everything
            _extract(to_submit, inputs, spool, limits, runner, progress, bar)
    return content_task(ResultList(deduplicate(spool.results())), run_info, out)


def _extract(to_submit: dict[int, dict[str, Any]], inputs: list[DocumentInput], spool: ResultSpool, limits: Limits,
             runner: RunnerOptions, progress: Progress, bar: Any) -> None:
    """One extract_document_task per entry of `to_submit` (input index → parameters), spooled as each finishes."""
    # absolute paths: a Dask worker may have another working directory (same files, same path)
    try:
        with open_runner(runner, limits.workers, [inputs[i].path.absolute() for i in to_submit]) as task_runner:
            futures: dict[int, Any] = {}
            finished: queue.SimpleQueue[int] = queue.SimpleQueue()
            for index in largest_first({i: inputs[i] for i in to_submit}):
                futures[index] = task_runner.submit(extract_document_task, to_submit[index])
            for index, future in list(futures.items()):
                future.add_done_callback(lambda _, index=index: finished.put(index))
            while futures:
                index = finished.get()
                # spooled and let go: the future holds the whole result, the spool only the record
                spool.put(index, _task_result(futures.pop(index)))
                progress.update(bar, advance=1, current=inputs[index].source_file[:60])
    finally:
        close_idle()  # this process's idle document workers: memory back before publishing


def summarize(content: PackageContent, out: Path, published: PublishedPackage) -> RunSummary:
    docs = content.documents
    return RunSummary(
        out=out,
        documents_ok=sum(d.status == DocStatus.OK.value for d in docs),
        documents_quarantined=sum(d.status == DocStatus.QUARANTINED.value for d in docs),
        line_items=len(content.line_items),
        findings=len(content.findings),
        quarantined=[(d.source_file, d.error) for d in docs if d.status == DocStatus.QUARANTINED.value],
        descriptor=published.descriptor,
        documents_partial=sum(d.status == DocStatus.PARTIAL.value for d in docs),
        # published documents only: a duplicate was read too, but its figures are published once
        amounts_printed=sum(d.amounts_printed for d in docs if d.status != DocStatus.QUARANTINED.value),
        amounts_read=sum(d.amounts_read for d in docs if d.status != DocStatus.QUARANTINED.value),
        partial=[
            (d.source_file, f"{d.amounts_read}/{d.amounts_printed} amounts read; {d.error}")
            for d in docs
            if d.status == DocStatus.PARTIAL.value
        ],
    )


def check_inputs(inputs: list[DocumentInput], out: Path, what: str, allow_empty: bool, allow_shrink: bool) -> None:
    """flows.guard.check_source on these inputs: raises SourceRefused for an empty or shrinking source."""
    readable = sum(i.problem is None for i in inputs)
    check_source(len(inputs), readable, out, what, allow_empty=allow_empty, allow_shrink=allow_shrink)


@flow(name="opendisclosure-run", log_prints=False)
def run_flow(
    source: Path,
    out: Path,
    show_progress: bool = True,
    limits: Limits | None = None,
    allow_empty: bool = False,
    allow_shrink: bool = False,
    runner: RunnerOptions | None = None,
) -> RunSummary:
    """Ingest every PDF under `source`, publish the package to `out` (all or nothing).

    `runner`: where the documents run (flows/runners.py; default a thread pool in this process).
    """
    interrupt.rearm()
    inputs = inputs_from(source)
    check_inputs(inputs, out, f"--source {source}", allow_empty, allow_shrink)
    facts = folder_facts(inputs)
    label = publishable_name(str(source))
    run_info = {"code_version": code_version(), "source": label,
                FINGERPRINT_KEY: run_fingerprint(label, facts, limits or Limits())}
    hashes = {i.path: f.sha256 for i, f in zip(inputs, facts, strict=True) if f.sha256}
    content = assemble_package(inputs, run_info, show_progress=show_progress, limits=limits, runner=runner,
                               hashes=hashes, out=out)
    published = publish(content, out)
    return summarize(content, out, published)
