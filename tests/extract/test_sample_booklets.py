"""The bundled sample booklets: every numeric cell against the generator's ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT, accuracy

from normalize.documents import process_document

SAMPLES = sorted((ROOT / "samples" / "pdfs").glob("*.pdf"))


@pytest.mark.parametrize("pdf", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_extracted_exactly(pdf: Path) -> None:
    result = process_document(pdf, pdf.name)
    assert result.document.status == "ok", result.document.error
    acc = accuracy(ROOT / "samples" / "ground_truth" / f"{pdf.stem}.csv", result.line_items)
    assert acc.recall == 1.0 and acc.precision == 1.0, acc.report()


def test_seed_sample_identity() -> None:
    pdf = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"
    doc = process_document(pdf, pdf.name).document
    assert (doc.department, doc.fiscal_year, doc.doc_kind) == ("江西省总工会", 2024, "final_account")
    assert doc.tables_absent == ""
