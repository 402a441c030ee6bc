"""The main flow: ingest a folder of PDFs and publish the package, atomically.

The flow only wires plain functions together: discovery (flows/discover.py), one
task per document (normalize/documents.py), assembly and publishing (datapackage/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.settings import code_version, configure_prefect_env

configure_prefect_env()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import TaskRunContext  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from core.records import DocStatus  # noqa: E402
from datapackage.publish import PackageContent, PublishedPackage, publish_package  # noqa: E402
from extract.document import sha256_of  # noqa: E402
from flows.content import package_content  # noqa: E402
from flows.discover import discover_pdfs  # noqa: E402
from normalize.documents import DocumentResult, deduplicate, process_document_safely  # noqa: E402


def _document_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Same bytes + same extraction code = same result, across runs."""
    return f"doc-{parameters['sha256']}-{parameters['source_file']}-{code_version()}"


@task(
    name="extract-document",
    cache_key_fn=_document_cache_key,
    cache_expiration=timedelta(days=365),
    persist_result=True,
    retries=0,
)
def extract_document_task(path: Path, source_file: str, sha256: str, source_url: str = "") -> DocumentResult:
    return process_document_safely(path, source_file, source_url)


@task(name="check-and-assemble", cache_policy=NO_CACHE)
def content_task(results: list[DocumentResult], run_info: dict[str, str]) -> PackageContent:
    """Consistency rules, extra resources and the report page, over every document."""
    return package_content(results, run_info)


@task(name="publish-package", cache_policy=NO_CACHE)
def publish_task(content: PackageContent, out: Path) -> PublishedPackage:
    return publish_package(content, out)


@dataclass
class RunSummary:
    out: Path
    documents_ok: int
    documents_quarantined: int
    line_items: int
    findings: int
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    descriptor: Path | None = None


@dataclass(frozen=True)
class DocumentInput:
    """One file to ingest: where it is, its name in the package, and where it came from."""

    path: Path
    source_file: str
    source_url: str = ""


def assemble_package(
    inputs: list[DocumentInput], run_info: dict[str, str], show_progress: bool = True
) -> PackageContent:
    """Extract every input (cached per file hash + code version) and assemble the package content.

    Shared by `run_flow` (a folder) and `nightly` (the crawl store); call it inside a flow.
    """
    results: list[DocumentResult] = []
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        disable=not show_progress,
        transient=False,
    ) as progress:
        bar = progress.add_task("documents", total=len(inputs), current="")
        for item in inputs:
            progress.update(bar, current=item.source_file[:60])
            results.append(
                extract_document_task(
                    path=item.path, source_file=item.source_file, sha256=sha256_of(item.path), source_url=item.source_url
                )
            )
            progress.advance(bar)
    return content_task(deduplicate(results), run_info)


def summarize(content: PackageContent, out: Path, published: PublishedPackage) -> RunSummary:
    docs = content.documents
    return RunSummary(
        out=out,
        documents_ok=sum(d.status == DocStatus.OK.value for d in docs),
        documents_quarantined=sum(d.status != DocStatus.OK.value for d in docs),
        line_items=len(content.line_items),
        findings=len(content.findings),
        quarantined=[(d.source_file, d.error) for d in docs if d.status != DocStatus.OK.value],
        descriptor=published.descriptor,
    )


@flow(name="opendisclosure-run", log_prints=False)
def run_flow(source: Path, out: Path, show_progress: bool = True) -> RunSummary:
    """Ingest every PDF under `source`, publish the package to `out` (all or nothing)."""
    files = discover_pdfs(source)
    base = source if source.is_dir() else source.parent
    inputs = [DocumentInput(path, path.relative_to(base).as_posix()) for path in files]
    content = assemble_package(
        inputs, {"code_version": code_version(), "source": str(source)}, show_progress=show_progress
    )
    published = publish_task(content, out)
    return summarize(content, out, published)
