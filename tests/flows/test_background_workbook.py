"""The workbook made in a forkserver child is the workbook made in-process, and never missing."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from datapackage.workbook import workbook_bytes
from flows.background_workbook import BackgroundWorkbook, start_workbook
from flows.content import package_content
from flows.settings import SAMPLES_DIR
from normalize.documents import deduplicate, process_document
from normalize.spool import ResultSpool


def _values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _spooled_content(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The samples spooled, and a second copy of one (other bytes, same text): `deduplicate`
    records that copy anew, in memory, as a quarantined duplicate without line items."""
    spool = ResultSpool()
    paths = sorted(SAMPLES_DIR.glob("*.pdf"))
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(paths[0].read_bytes() + b"\n%another copy\n%%EOF\n")
    for n, path in enumerate([*paths, copy]):
        spool.put(n, process_document(path, path.name))
    results = deduplicate(spool.results())
    assert [r.document.error_code for r in results].count("duplicate_text") == 1
    return spool, package_content(results, {"code_version": "test", "source": "test"})


def test_the_childs_workbook_is_the_in_process_one_and_a_dead_child_is_replaced(tmp_path: Path) -> None:
    spool, content = _spooled_content(tmp_path)
    expected = _values(workbook_bytes(content))
    assert len(expected) >= 5 and sum(len(rows) for rows in expected.values()) > 500
    made = start_workbook(content)
    assert isinstance(made, BackgroundWorkbook)
    assert _values(made.result()) == expected and made.fallback_reason == ""
    killed = start_workbook(content)
    assert isinstance(killed, BackgroundWorkbook) and killed._process is not None
    killed._process.kill()
    assert _values(killed.result()) == expected
    assert "no workbook" in killed.fallback_reason or "pipe" in killed.fallback_reason
    spool.close()


def test_line_items_in_memory_are_made_at_once(tmp_path: Path) -> None:
    _, content = _spooled_content(tmp_path)
    from dataclasses import replace

    in_memory = replace(content, line_items=list(content.line_items))
    assert isinstance(start_workbook(in_memory), bytes)
