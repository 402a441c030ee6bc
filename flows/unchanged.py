"""Is the package in --out already what this run would publish?

A nightly or repeated `run` over a folder where nothing changed would extract nothing (every
document is cached) yet still pay for Prefect's start-up, one task per document, the rules,
the report and the workbook, only to publish the same package again. The package records a
fingerprint of what made it (`opendisclosure:run` → `inputs`): every input's name, bytes
(sha256) and origin, the limits that decide a quarantine, the geometry source, and the code
of every stage that shapes the package. When the fingerprint of this run is the package's,
and no document of the package was stopped by a limit (those are retried: a quieter machine
or a higher --timeout may read them), the run answers from the package and publishes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from datapackage.descriptor import DESCRIPTOR_NAME, RUN_PROPERTY, is_published_package
from extract.document import sha256_of
from extract.pdfium_geometry import GEOMETRY_ENV
from flows.inputs import DocumentInput
from flows.isolation import LIMIT_CODES, Limits
from flows.settings import PROJECT_ROOT, code_version

#: every folder whose code or data shapes what a package holds (extraction, rules, writers, flows)
_PACKAGE_CODE_DIRS = ("core", "extract", "schemas", "normalize", "checks", "datapackage", "flows")
#: quarantines that depend on the machine or the moment, never cached: their documents are read again
_RETRIED = frozenset({"timeout", "memory_limit", "worker_crashed"})
FINGERPRINT_KEY = "inputs"


@cache
def package_code_version() -> str:
    """Hash of every file of the stages that shape the package (not only extraction)."""
    digest = hashlib.sha256()
    for folder in _PACKAGE_CODE_DIRS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class InputFacts:
    """What of one input decides its row: its package name, origin, bytes and why it is not read."""

    source_file: str
    source_url: str
    sha256: str  # empty for an entry that is never opened
    problem: str  # its QuarantineReason code, or empty


def input_facts(path: Path, source_file: str, source_url: str, problem: str) -> InputFacts:
    return InputFacts(source_file, source_url, "" if problem else file_sha256(path), problem)


_HASHED: dict[tuple[Any, ...], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, read once per process while the file is unchanged.

    `run` asks before the flow (is the package already this run's? must children be started?)
    and the flow asks again: 300 files are ~100 MB read twice. The answer is kept for the file's
    identity and state (device, inode, size, modification and change times in ns): writing to the
    file, replacing or touching it changes them and it is read again.
    """
    st = path.stat()
    key = (os.fspath(path.absolute()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    known = _HASHED.get(key)
    if known is None:
        known = _HASHED[key] = sha256_of(path)
    return known


def folder_facts(inputs: Iterable[DocumentInput]) -> list[InputFacts]:
    """What of each input the fingerprint records; hashes every readable file once."""
    return [input_facts(i.path, i.source_file, i.source_url, i.problem.code if i.problem else "") for i in inputs]


def run_fingerprint(source: str, inputs: Iterable[InputFacts], limits: Limits) -> str:
    """One hash of everything that decides the package; the worker count does not."""
    facts = {
        "source": source,
        "inputs": sorted((i.source_file, i.source_url, i.sha256, i.problem) for i in inputs),
        "limits": [limits.timeout_s, limits.memory_bytes, limits.max_pages, limits.max_page_objects],
        "geometry": os.environ.get(GEOMETRY_ENV, "pdfium").strip().lower(),
        "code": package_code_version(),
    }
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()


def extracted_already(out: Path, facts: Iterable[InputFacts]) -> bool:
    """True when the package in `out` holds every readable input (its name and bytes) as read by
    this extraction code, none of them stopped by a limit: Prefect's cache then answers every
    document and the run needs no document child (flows/cli.py starts none ahead of time).

    A guess that only saves time: when it is wrong (the cache was cleared) the children start
    when the first document is submitted, as on a Dask worker.
    """
    out = Path(out)
    if not is_published_package(out):
        return False
    try:
        descriptor = json.loads((out / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
        if descriptor.get(RUN_PROPERTY, {}).get("code_version") != code_version():
            return False
        rows = pq.read_table(out / "data" / "documents.parquet",
                             columns=["source_file", "sha256", "error_code"]).to_pylist()
    except (OSError, ValueError, KeyError, AttributeError):
        return False
    read = {(r["source_file"], r["sha256"]) for r in rows if r["error_code"] not in LIMIT_CODES}
    return all((f.source_file, f.sha256) in read for f in facts if not f.problem)


@dataclass(frozen=True)
class PublishedState:
    """The package in --out, as far as the run summary needs it."""

    created: str
    documents: list[dict[str, Any]]  # source_file, status, error, error_code, amounts_printed, amounts_read
    line_items: int
    findings: int


def unchanged_package(out: Path, fingerprint: str) -> PublishedState | None:
    """The package in `out` when it was made from exactly this fingerprint and holds no retried
    quarantine; None when the run must go on (no package, another fingerprint, unreadable)."""
    out = Path(out)
    if not is_published_package(out):
        return None
    try:
        descriptor = json.loads((out / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
        if descriptor.get(RUN_PROPERTY, {}).get(FINGERPRINT_KEY) != fingerprint:
            return None
        documents = pq.read_table(out / "data" / "documents.parquet",
                                  columns=["source_file", "status", "error", "error_code", "amounts_printed",
                                           "amounts_read"]).to_pylist()
        line_items = pq.ParquetFile(out / "data" / "line_items.parquet").metadata.num_rows
        findings = pq.ParquetFile(out / "data" / "consistency.parquet").metadata.num_rows
    except (OSError, ValueError, KeyError, AttributeError):
        return None  # a damaged package is republished, never trusted
    if any(d["error_code"] in _RETRIED for d in documents):
        return None
    return PublishedState(str(descriptor.get("created", "")), documents, line_items, findings)
