"""A run over files, limits and code the package in --out was made from publishes nothing.

The warm nightly case: everything is cached, yet a full run still starts Prefect, submits a
task per document, runs every rule and writes every file. These tests run the real CLI on
a real booklet and look at the package on disk: kept byte for byte when nothing changed,
published again when a file, a limit or --force says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support import ROOT
from typer.testing import CliRunner

import flows.run
from flows.cli import app
from flows.inputs import inputs_from
from flows.isolation import Limits
from flows.unchanged import (
    InputFacts,
    extracted_already,
    file_sha256,
    folder_facts,
    run_fingerprint,
    unchanged_package,
)

BOOKLET = ROOT / "samples" / "pdfs" / "synthetic_water_bureau_2024.pdf"


def _run(source: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(app, ["run", "--source", str(source), "--out", str(out), "--no-progress",
                                      "--workers", "1", *extra])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}


def test_nothing_changed_keeps_the_package_and_skips_the_flow(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    shutil.copy(BOOKLET, source / BOOKLET.name)
    first = _run(source, out)
    assert "documents ok │ 1" in first or "documents ok 1" in first
    before = _snapshot(out)

    calls: list[Path] = []
    real_flow = flows.run.run_flow
    monkeypatch.setattr(flows.run, "run_flow", lambda **kw: calls.append(kw["source"]) or real_flow(**kw))
    again = _run(source, out)
    assert "nothing changed since the package of" in again
    assert calls == []  # no flow, no Prefect start-up
    assert _snapshot(out) == before  # not one file rewritten
    assert first.split("opendisclosure run", 1)[1] == again.split("opendisclosure run", 1)[1]  # same summary

    _run(source, out, "--force")
    assert calls == [source]
    # a changed file (other bytes, same name) is read and published again
    with (source / BOOKLET.name).open("ab") as handle:
        handle.write(b"\n%appended\n")
    changed = _run(source, out)
    assert "nothing changed" not in changed and len(calls) == 2
    # a changed limit too: it may decide a quarantine
    changed = _run(source, out, "--timeout", "200")
    assert "nothing changed" not in changed and len(calls) == 3
    assert "nothing changed" in _run(source, out, "--timeout", "200", "--workers", "2")  # workers decide nothing
    assert len(calls) == 3


def test_a_package_with_a_retried_quarantine_is_not_trusted(prefect_harness: None, tmp_path: Path) -> None:
    """A document stopped by --timeout is never cached: the next run must try it again."""
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    shutil.copy(BOOKLET, source / BOOKLET.name)
    _run(source, out)
    import json

    fingerprint = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["opendisclosure:run"]["inputs"]
    assert unchanged_package(out, fingerprint) is not None
    assert unchanged_package(out, "another") is None

    documents = out / "data" / "documents.parquet"
    table = pq.read_table(documents)
    codes = pa.array(["timeout"] * table.num_rows, type=table.schema.field("error_code").type)
    pq.write_table(table.set_column(table.schema.get_field_index("error_code"), "error_code", codes), documents)
    assert unchanged_package(out, fingerprint) is None
    documents.write_bytes(b"not parquet")  # a damaged package is republished, never trusted
    assert unchanged_package(out, fingerprint) is None


def test_the_fingerprint_follows_what_decides_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    facts = [InputFacts("a.pdf", "", "ab" * 32, ""), InputFacts("b.pdf", "", "", "not_a_regular_file")]
    base = run_fingerprint("src", facts, Limits())
    assert run_fingerprint("src", list(reversed(facts)), Limits()) == base  # order of discovery
    assert run_fingerprint("src", facts, Limits(workers=7)) == base
    assert run_fingerprint("src", facts, Limits(timeout_s=10)) != base
    assert run_fingerprint("src", facts[:1], Limits()) != base
    assert run_fingerprint("src", [InputFacts("a.pdf", "", "cd" * 32, ""), facts[1]], Limits()) != base
    assert run_fingerprint("other", facts, Limits()) != base
    monkeypatch.setenv("OPENDISCLOSURE_GEOMETRY", "pdfminer")
    assert run_fingerprint("src", facts, Limits()) != base


def test_a_file_is_hashed_again_once_it_changes(tmp_path: Path) -> None:
    """The hash is kept for the file's state, never for its name alone."""
    import hashlib
    import os

    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 one")
    assert file_sha256(path) == hashlib.sha256(b"%PDF-1.4 one").hexdigest()
    stat = path.stat()
    path.write_bytes(b"%PDF-1.4 two")  # same size, new bytes
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old modification time
    assert file_sha256(path) == hashlib.sha256(b"%PDF-1.4 two").hexdigest()


def test_a_run_the_cache_answers_wholly_starts_no_document_child(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--force` over the files of the package in --out: every document is Prefect's cached result,
    so no forkserver is started ahead of time (its imports and warm-up cost ~2 s of CPU)."""
    from flows import isolation

    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    shutil.copy(BOOKLET, source / BOOKLET.name)
    warmed: list[int] = []
    real_warm_up = isolation.warm_up
    monkeypatch.setattr(isolation, "warm_up", lambda: warmed.append(1) or real_warm_up())
    _run(source, out)
    assert warmed  # a document to extract: children started ahead
    facts = folder_facts(inputs_from(source))
    assert extracted_already(out, facts)
    warmed.clear()
    assert "1 of 1 documents answered from Prefect's cache" in _run(source, out, "--force")
    assert warmed == []
    # another file, or another name for it, is not in the package; a limit's quarantine is retried
    assert not extracted_already(out, [InputFacts("other.pdf", "", facts[0].sha256, "")])
    assert not extracted_already(out, [InputFacts(facts[0].source_file, "", "ab" * 32, "")])
    documents = out / "data" / "documents.parquet"
    table = pq.read_table(documents)
    codes = pa.array(["worker_crashed"] * table.num_rows, type=table.schema.field("error_code").type)
    pq.write_table(table.set_column(table.schema.get_field_index("error_code"), "error_code", codes), documents)
    assert not extracted_already(out, facts)
    assert not extracted_already(tmp_path / "nothing", facts)
