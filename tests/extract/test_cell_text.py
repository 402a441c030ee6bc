"""extract/cell_text.py gives pdfplumber's own `Table.extract()` text, cell for cell."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from support import ROOT, realdoc

from extract.cell_text import table_text

PRODUCERS = sorted((ROOT / "samples" / "producers" / "pdfs").glob("*.pdf"))


#: ruled tables as the grid reader finds them, and tables cut from the text alone (borderless pages)
STRATEGIES = ({}, {"vertical_strategy": "text", "horizontal_strategy": "text"})


def _compare(pdf_path: Path) -> int:
    tables = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for settings in STRATEGIES:
                for table in page.find_tables(settings):
                    assert table_text(table) == table.extract(), f"{pdf_path.name} page {page.page_number}"
                    tables += 1
            page.close()
    return tables


@pytest.mark.parametrize("pdf", PRODUCERS, ids=lambda p: p.stem)
def test_every_table_of_every_producer_reads_as_pdfplumber_reads_it(pdf: Path) -> None:
    assert _compare(pdf) > 0


@pytest.mark.realdocs
@pytest.mark.parametrize("prefix", ["js_budget_2019_", "sh_final_2024_"])
def test_real_booklets_read_as_pdfplumber_reads_them(prefix: str) -> None:
    assert _compare(realdoc(prefix)) > 5
