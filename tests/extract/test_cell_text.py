"""extract/cell_text.py gives pdfplumber's own `Table.extract()` text, cell for cell."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfplumber import utils
from support import ROOT, realdoc
from support import plumber_char as _char

from extract.cell_text import cell_text, table_text

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


@pytest.mark.parametrize(
    "chars",
    [
        pytest.param([_char("1", 10), _char("2", 15), _char("3", 20)], id="one word"),
        pytest.param([_char("2", 15), _char("1", 10), _char("3", 20)], id="out of x order"),
        pytest.param([_char("A", 10), _char(" ", 15), _char("B", 17)], id="a drawn space"),
        pytest.param([_char("A", 10), _char("B", 18.5)], id="gap of 3.5 pt"),
        pytest.param([_char("A", 10), _char("B", 17.9)], id="gap of 2.9 pt"),
        pytest.param([_char("A", 10), _char("B", 12, top=102.5)], id="top 2.5 pt lower"),
        pytest.param([_char("A", 10), _char("B", 15, top=103.5)], id="two lines"),
        pytest.param([_char("A", 10), _char("B", 15, top=102), _char("C", 20, top=104)], id="chained tops"),
        pytest.param([_char("ﬁ", 10), _char("x", 15)], id="a ligature"),
        pytest.param([_char("A", 10), _char("", 15), _char("B", 16)], id="a character without text"),
        pytest.param([_char("A", 10), _char("B", 15, upright=False)], id="rotated"),
        pytest.param([_char("A", 10), _char("B", 10), _char("C", 5)], id="same x0, then a step back"),
        pytest.param([_char(" ", 10), _char(" ", 15)], id="blanks only"),
    ],
)
def test_a_cells_text_is_pdfplumbers(chars: list[dict[str, object]]) -> None:
    assert cell_text(chars) == utils.extract_text(chars)
