"""Public API of the publishing stage: records in, a validated data package on disk out.

    content = PackageContent(documents=[...], line_items=[...], findings=[...],
                             run_info={"run_id": ..., "code_version": ..., "source": ...})
    published = publish_package(content, Path("out"))

Why this order: every value is checked as its batch is written (columns.py, resource_files.py);
the package is written and validated in a temporary sibling directory and only
then swapped into `out_dir` (atomic.py), so a failed publish raises PublishError
and the previous package stays exactly as it was.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from core.errors import PublishError
from core.records import DocumentRecord, Finding, LineItem
from datapackage import fdp
from datapackage.atomic import publish_directory
from datapackage.columns import utf8_safe
from datapackage.descriptor import (
    DESCRIPTOR_NAME,
    FileInfo,
    WrittenResource,
    build_descriptor,
    is_published_package,
    write_descriptor,
)
from datapackage.file_digest import sha256_hex
from datapackage.resource_files import arrow_batches, write_resource_files
from datapackage.resources import CONSISTENCY, DOCUMENTS, LINE_ITEMS, ForeignKey, ResourceDef
from datapackage.validation import MAX_REPORTED, Expected, package_problems

DATA_DIR = "data"
#: test hook (tests/flows/test_interrupt.py): seconds to pause once the new package is written and
#: valid, just before the atomic swap, so a test can signal a run mid-publish. Unset: no pause.
TEST_PUBLISH_DELAY_ENV = "OPENDISCLOSURE_TEST_PUBLISH_DELAY"


@runtime_checkable
class LateBytes(Protocol):
    """An attachment still being made elsewhere (the workbook, flows/background_workbook.py):
    `result()` waits for its bytes. Written last, once the package's data is written and valid."""

    def result(self) -> bytes: ...


Attachment = str | bytes | LateBytes


@dataclass(frozen=True)
class PackageContent:
    """Everything one run publishes. `run_info` (str → str) is kept as `opendisclosure:run`.

    `extra_resources` adds tabular resources beyond the three of the contract, each a
    ResourceDef (fields as data) with its records; `attachments` are further files
    (relative path → text, bytes for a binary file, or LateBytes for one still being made, such as
    the workbook), such as the report page, published in the same atomic swap.
    """

    documents: Sequence[DocumentRecord]
    line_items: Sequence[LineItem]
    findings: Sequence[Finding]
    run_info: Mapping[str, str]
    extra_resources: Sequence[tuple[ResourceDef, Sequence[Any]]] = ()
    attachments: Mapping[str, Attachment] = field(default_factory=dict)
    #: foreign keys added to `line_items`, to resources given in `extra_resources`
    #: (datapackage.resources_reference.LINE_ITEM_REFERENCE_KEYS → subjects, measures)
    line_item_foreign_keys: Sequence[ForeignKey] = ()


@dataclass(frozen=True)
class PublishedPackage:
    """Where the package went: final paths (inside `out_dir`) and row counts per resource."""

    out_dir: Path
    descriptor: Path
    csv: dict[str, Path]
    parquet: dict[str, Path]
    rows: dict[str, int]


def _file_info(root: Path, path: Path) -> FileInfo:
    return FileInfo(path.relative_to(root).as_posix(), sha256_hex(path), path.stat().st_size)


def _check_run_info(run_info: Mapping[str, Any]) -> dict[str, str]:
    bad = [k for k, v in run_info.items() if not (isinstance(k, str) and isinstance(v, str))]
    if bad:
        raise PublishError(f"run_info keys and values must be strings; not so for {bad!r}")
    return dict(run_info)


def _check_attachments(attachments: Mapping[str, Attachment]) -> dict[str, Attachment]:
    """Relative paths inside the package only, never over a resource file or the descriptor."""
    bad = [
        p
        for p in attachments
        if Path(p).is_absolute() or ".." in Path(p).parts or p == DESCRIPTOR_NAME or Path(p).parts[:1] == (DATA_DIR,)
    ]
    if bad:
        raise PublishError(f"attachments must be relative paths outside {DATA_DIR}/; not so for {bad!r}")
    return dict(attachments)


def _write_resource(
    root: Path, resource: ResourceDef, records: Sequence[Any], extra: dict[str, Any], field_extra: dict[str, dict[str, Any]]
) -> tuple[WrittenResource, Expected]:
    name = resource.name
    csv_path = root / DATA_DIR / f"{name}.csv"
    parquet_path = root / DATA_DIR / f"{name}.parquet"
    rows = write_resource_files(resource, records, parquet_path, csv_path)
    written = WrittenResource(
        resource=resource,
        rows=rows,
        csv=_file_info(root, csv_path),
        parquet=_file_info(root, parquet_path),
        extra=extra,
        field_extra=field_extra,
    )
    return written, (parquet_path, resource.arrow_schema(), lambda: arrow_batches(resource, records))


def _test_delay() -> None:
    delay = float(os.environ.get(TEST_PUBLISH_DELAY_ENV) or 0)
    if delay > 0:
        print(f"{TEST_PUBLISH_DELAY_ENV}: pausing {delay:g} s before the swap", file=sys.stderr, flush=True)
        time.sleep(delay)


def publish_package(content: PackageContent, out_dir: Path) -> PublishedPackage:
    """Write, validate and atomically publish the package; PublishError if it is not valid."""
    run_info = _check_run_info(content.run_info)
    # records of each resource, written and checked batch by batch (resource_files.py): the line
    # items may be a view over the result spool, read document by document (normalize/spool.py)
    resources: list[tuple[ResourceDef, Sequence[Any], dict[str, Any], dict[str, dict[str, Any]]]] = [
        (DOCUMENTS, content.documents, {}, {}),
        (
            replace(LINE_ITEMS, foreign_keys=(*LINE_ITEMS.foreign_keys, *content.line_item_foreign_keys)),
            content.line_items,
            {"opendisclosure:measures": fdp.measures_note(content.line_items)},
            {"amount_yuan": fdp.phase_annotations(content.documents)},
        ),
        (CONSISTENCY, content.findings, {}, {}),
    ]
    resources += [(rd, records, {}, {}) for rd, records in content.extra_resources]
    attachments = _check_attachments(content.attachments)

    def write_attachments(root: Path, late: bool) -> None:
        for relative, value in attachments.items():
            if isinstance(value, LateBytes) != late:
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(value, LateBytes):
                target.write_bytes(value.result())
            elif isinstance(value, bytes):
                target.write_bytes(value)
            else:
                target.write_text(utf8_safe(value), encoding="utf-8")

    def build(root: Path) -> list[WrittenResource]:
        (root / DATA_DIR).mkdir()
        write_attachments(root, late=False)
        results = [_write_resource(root, rd, records, extra, fextra) for rd, records, extra, fextra in resources]
        written = [w for w, _ in results]
        descriptor_path = write_descriptor(build_descriptor(written, run_info), root)
        parquet = {w.resource.name: expected for w, expected in results}
        problems = package_problems(descriptor_path, parquet)
        if problems:
            shown = "\n  ".join(problems[:MAX_REPORTED])
            more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
            raise PublishError(
                f"the new package is not valid, so {out_dir} was left unchanged;"
                f" {len(problems)} problem(s):\n  {shown}{more}"
            )
        write_attachments(root, late=True)  # made meanwhile in another process: waited for now
        _test_delay()
        return written

    written = publish_directory(Path(out_dir), build, is_published_package)
    final = Path(out_dir).resolve()
    return PublishedPackage(
        out_dir=final,
        descriptor=final / DESCRIPTOR_NAME,
        csv={w.resource.name: final / w.csv.path for w in written},
        parquet={w.resource.name: final / w.parquet.path for w in written},
        rows={w.resource.name: w.rows for w in written},
    )
