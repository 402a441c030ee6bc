"""What a run takes from --source: non-regular entries recorded, odd names published safely, and
sources that would publish less refused."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from core.records import QuarantineReason
from datapackage.publish import publish_package
from flows import discover
from flows.content import package_content
from flows.discover import discover_pdfs, discover_sources
from flows.guard import EXIT_REFUSED, SourceRefused, check_source, previous_document_count
from flows.names import original_name, publishable_name
from flows.run import DocumentInput, inputs_from, unreadable_result
from flows.settings import SAMPLES_DIR
from normalize.documents import quarantined_result

GBK_NAME = os.fsdecode("测试".encode("gbk") + b".pdf")  # a name from a Chinese Windows zip


def _source_with_odd_entries(root: Path) -> Path:
    src = root / "src"
    (src / "sub").mkdir(parents=True)
    shutil.copy(sorted(SAMPLES_DIR.glob("*.pdf"))[0], src / "good.pdf")
    (src / "dangling.pdf").symlink_to(root / "missing.pdf")
    os.mkfifo(src / "sub" / "pipe.pdf")
    (src / "loop").symlink_to(src)  # a link to a folder is not followed
    (src / "notes.txt").write_text("not a pdf", encoding="utf-8")
    return src


def test_discovery_records_links_and_fifos_without_opening_them(tmp_path: Path) -> None:
    src = _source_with_odd_entries(tmp_path)
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(discover_sources(src)), daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "discovery blocked (did it open the FIFO?)"
    entries = {e.path.relative_to(src).as_posix(): e.problem for e in found[0]}  # type: ignore[attr-defined]
    assert set(entries) == {"dangling.pdf", "good.pdf", "sub/pipe.pdf"}
    assert entries["good.pdf"] is None
    assert entries["dangling.pdf"] is not None and entries["dangling.pdf"].code == "not_a_regular_file"
    assert entries["sub/pipe.pdf"] is not None and "FIFO" in entries["sub/pipe.pdf"].message
    assert discover_pdfs(src) == [src / "good.pdf"]


def test_unreadable_file_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: simulate the refusal
        monkeypatch.setattr(discover, "_can_open", lambda path: False)
    problem = discover.classify(locked)
    assert problem is not None and problem.code == "unreadable_file"


def test_non_regular_entries_become_quarantined_rows_and_publish(tmp_path: Path) -> None:
    src = _source_with_odd_entries(tmp_path)
    inputs = [i for i in inputs_from(src) if i.problem is not None]
    results = [unreadable_result(i) for i in inputs]
    assert [r.document.error_code for r in results] == ["not_a_regular_file", "not_a_regular_file"]
    assert len({r.document.doc_id for r in results}) == 2
    published = publish_package(package_content(results, {"code_version": "test"}), tmp_path / "out")
    assert published.rows["documents"] == 2


@given(st.binary(min_size=1, max_size=40))
def test_any_file_name_bytes_publish_as_utf8_and_come_back(raw: bytes) -> None:
    name = os.fsdecode(raw)
    published = publishable_name(name)
    published.encode("utf-8")  # never raises
    assert original_name(published) == raw
    if raw.isascii() and b"\\" not in raw:
        assert published == name  # ordinary names are unchanged (and so are their cache keys)


def test_a_non_utf8_file_name_publishes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / GBK_NAME).write_bytes(b"<html>not a pdf</html>")
    [item] = inputs_from(src)
    assert item.source_file == "\\xb2\\xe2\\xca\\xd4.pdf"
    assert os.fsdecode(original_name(item.source_file)) == GBK_NAME
    reason = QuarantineReason("not_a_pdf", "test")
    results = [quarantined_result(item.path, item.source_file, "", reason)]
    # the last guard: a raw surrogate that reached the publisher is escaped, not fatal
    results.append(quarantined_result(item.path, GBK_NAME.replace(".pdf", "-raw.pdf"), "", reason, sha256="0" * 64))
    out = tmp_path / "out"
    publish_package(package_content(results, {"code_version": "test"}), out)
    with (out / "data" / "documents.csv").open(encoding="utf-8-sig") as fh:
        names = sorted(row["source_file"] for row in csv.DictReader(fh))
    assert names == ["\\xb2\\xe2\\xca\\xd4-raw.pdf", "\\xb2\\xe2\\xca\\xd4.pdf"]


def _package_with(out: Path, documents: int) -> dict[Path, bytes]:
    reason = QuarantineReason("not_a_pdf", "test")
    results = [
        quarantined_result(out / f"{n}.pdf", f"{n}.pdf", "", reason, sha256=hashlib.sha256(b"%d" % n).hexdigest()) for n in range(documents)
    ]
    publish_package(package_content(results, {"code_version": "test"}), out)
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_guard_refuses_empty_and_shrinking_sources(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert previous_document_count(out) is None
    with pytest.raises(SourceRefused, match="no readable PDF"):
        check_source(0, 0, out, "--source x")
    with pytest.raises(SourceRefused, match="no readable PDF"):  # only a dangling link
        check_source(1, 0, out, "--source x")
    check_source(0, 0, out, "--source x", allow_empty=True)
    check_source(1, 1, out, "--source x")  # no previous package: anything goes
    _package_with(out, 6)
    assert previous_document_count(out) == 6
    check_source(3, 3, out, "--source x")  # half is still fine
    with pytest.raises(SourceRefused, match="has 6 documents"):
        check_source(2, 2, out, "--source x")
    check_source(2, 2, out, "--source x", allow_shrink=True)


def test_cli_refuses_empty_and_shrinking_sources_before_starting_prefect(tmp_path: Path) -> None:
    from flows.cli import app

    out = tmp_path / "out"
    before = _package_with(out, 4)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("no pdf here", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--source", str(empty), "--out", str(out), "--no-progress"])
    assert result.exit_code == EXIT_REFUSED, result.output
    assert "no readable PDF" in result.output and "--allow-empty" in result.output
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(sorted(SAMPLES_DIR.glob("*.pdf"))[0], one / "a.pdf")
    result = CliRunner().invoke(app, ["run", "--source", str(one), "--out", str(out), "--no-progress"])
    assert result.exit_code == EXIT_REFUSED and "--allow-shrink" in result.output
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cli_checks_the_limits() -> None:
    from flows.cli import app, parse_memory

    assert parse_memory("2G") == 2 * 2**30 and parse_memory("512M") == parse_memory("512") == 512 * 2**20
    result = CliRunner().invoke(app, ["run", "--memory-limit", "lots"])
    assert result.exit_code == 2 and "--memory-limit" in result.output
    result = CliRunner().invoke(app, ["run", "--timeout", "0"])
    assert result.exit_code == 2 and "timeout_s" in result.output
    help_text = CliRunner().invoke(app, ["run", "--help"]).output
    for option in ("--timeout", "--memory-limit", "--max-pages", "--workers", "--allow-empty", "--allow-shrink"):
        assert option in help_text


def test_document_input_problem_defaults_to_none() -> None:
    assert DocumentInput(Path("a.pdf"), "a.pdf").problem is None


def test_documents_are_submitted_largest_file_first(tmp_path: Path) -> None:
    from flows.inputs import largest_first

    sizes = {"a.pdf": 10, "b.pdf": 300, "c.pdf": 10, "d.pdf": 2000}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"%" * size)
    inputs = {i: DocumentInput(tmp_path / n, n) for i, n in enumerate(sorted(sizes))}
    inputs[7] = DocumentInput(tmp_path / "gone.pdf", "gone.pdf")  # vanished since discovery: last
    order = largest_first(inputs)
    assert [inputs[i].source_file for i in order] == ["d.pdf", "b.pdf", "a.pdf", "c.pdf", "gone.pdf"]
    assert largest_first({}) == []
