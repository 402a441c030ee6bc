"""The producer-matrix fixtures (samples/producers/): the extractor against their ground truth.

Each PDF prints a sample department's figures the way another producer makes
booklets (LibreOffice Calc merged cells, Chromium colspan/`<thead>`, borderless
HTML, Word-style rectangle borders, Kangxi text layers, 元 vs 万元 …; see
samples/producers/MATRIX.md). The extractor must read every printed number
exactly: recall and precision 1.0 per PDF. The committed PDFs and truth files are
also checked against each other, so a regenerated fixture cannot drift from its truth.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from support import ROOT, accuracy

from normalize.documents import process_document
from samples.producers.matrix import MATRIX

PDF_DIR = ROOT / "samples" / "producers" / "pdfs"
PDFS = sorted(PDF_DIR.glob("*.pdf"))
_WS = re.compile(r"\s+")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_matrix_entry_is_committed() -> None:
    assert sorted(v.name for v in MATRIX) == [p.stem for p in PDFS]


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_producer_pdf_extracted_exactly(pdf: Path) -> None:
    result = process_document(pdf, pdf.name)
    assert result.document.status in ("ok", "partial"), result.document.error
    acc = accuracy(pdf.with_suffix(".csv"), result.line_items)
    assert acc.recall == 1.0 and acc.precision == 1.0, acc.report()


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_producer_pdf_every_table_found(pdf: Path) -> None:
    """Every printed table is found where it is printed, an empty one (07/08 with no rows) as `empty`.

    A page holding only a table's note (no row) may be left out of the pages read.
    """
    result = process_document(pdf, pdf.name)
    found = {t.table_code: t for t in result.tables}
    for t in _rows(pdf.with_name(f"{pdf.stem}.tables.csv")):
        table = found[t["table_code"]]
        expected_pages = t["pages"].split(";")
        read_pages = table.pages.split(";")
        assert table.status == ("read" if int(t["cells"]) else "empty"), (t["table_code"], table.status, table.reason)
        assert read_pages[0] == expected_pages[0] and set(read_pages) <= set(expected_pages), (t, table.pages)


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_committed_truth_matches_committed_pdf(pdf: Path) -> None:
    """Every truth row's page exists and shows its value as printed (with or without 1,000s)."""
    truth = _rows(pdf.with_suffix(".csv"))
    tables = _rows(pdf.with_name(f"{pdf.stem}.tables.csv"))
    assert truth and len(tables) == 10
    with pdfplumber.open(pdf) as doc:
        texts = [_WS.sub("", p.extract_text() or "") for p in doc.pages]
    missing = []
    for r in truth:
        page = int(r["page"])
        assert 1 <= page <= len(texts), r
        plain = r["value"]
        if plain not in texts[page - 1] and f"{Decimal(plain):,}" not in texts[page - 1]:
            missing.append((r["table_code"], page, r["line_label"], r["measure"], plain))
    assert not missing, missing[:10]
    for t in tables:
        pages = [int(p) for p in t["pages"].split(";")]
        assert all(1 <= p <= len(texts) for p in pages), t
        rows_here = [r for r in truth if r["table_code"] == t["table_code"]]
        assert int(t["cells"]) == len(rows_here), t
        assert all(int(r["page"]) in pages for r in rows_here), t
