"""Per-table outcomes on real-format booklets: a table listed in the 目录 but not printed is recorded."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from support import ROOT

from checks.accounting_rules import check_accounting
from normalize.documents import process_document

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


def _without_pages(src: Path, drop: set[int], out: Path) -> Path:
    """The booklet with some pages removed (1-based), as a portal's truncated upload would be."""
    pdf = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    new.import_pages(pdf, [i for i in range(len(pdf)) if i + 1 not in drop])
    new.save(str(out))
    return out


def test_seed_without_its_sangong_page_lists_09_missing(tmp_path: Path) -> None:
    """Stands for every booklet whose 目录 lists a table the file does not print."""
    full = process_document(SEED, SEED.name)
    sangong_page = next(int(t.pages) for t in full.tables if t.table_code == "09")
    cut = _without_pages(SEED, {sangong_page}, tmp_path / "cut.pdf")
    result = process_document(cut, cut.name)
    by_code = {t.table_code: t for t in result.tables}
    assert by_code["09"].status == "missing" and by_code["09"].listed_in_contents == "true"
    assert by_code["09"].reason_code == "table_listed_not_printed"
    assert all(t.status in ("read", "empty") for c, t in by_code.items() if c != "09")
    findings = check_accounting(result.document.doc_id, result)
    assert [(f.rule_id, f.table_code) for f in findings] == [("TABLE_MISSING", "09")]
    assert result.document.status == "ok"  # nothing printed was left unread
    assert "09" in result.document.tables_absent


def test_seed_tables_resource_rows_account_for_every_amount() -> None:
    result = process_document(SEED, SEED.name)
    for table in result.tables:
        assert table.amounts_read == table.amounts_printed, table
        assert table.cells >= table.amounts_read  # a value printed twice is read twice
        assert table.strategy in ("lines", "")
