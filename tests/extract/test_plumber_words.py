"""extract/plumber_words.py reads words and text lines as pdfplumber's `extract_words` and
`extract_text_lines` do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber import utils
from support import ROOT, realdoc
from support import plumber_char as _char

from extract.plumber_words import text_lines, words

PRODUCERS = sorted((ROOT / "samples" / "producers" / "pdfs").glob("*.pdf"))


def _reference(chars: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """pdfplumber's own reading (what `page.extract_text_lines(layout=False)` does with the chars)."""
    lines = utils.chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False)
    return [(line["text"], line["top"], line["bottom"]) for line in lines]


def _pages_read_alike(pdf_path: Path) -> int:
    read = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            ours = text_lines(page.chars)
            theirs = [(x["text"], x["top"], x["bottom"])
                      for x in page.extract_text_lines(layout=False, strip=True, return_chars=False)]
            if ours is not None:
                assert ours == theirs, f"{pdf_path.name} page {page.page_number}"
                read += 1
            for x_tolerance, y_tolerance in ((1.5, 2), (3, 3)):  # the accounting's and text tables', the default
                found = words(page.chars, x_tolerance, y_tolerance)
                if found is not None:
                    assert found == [(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in page.extract_words(
                        x_tolerance=x_tolerance, y_tolerance=y_tolerance)], f"{pdf_path.name} page {page.page_number}"
            page.close()
    return read


@pytest.mark.parametrize("pdf", PRODUCERS, ids=lambda p: p.stem)
def test_every_page_of_every_producer_reads_as_pdfplumber_reads_it(pdf: Path) -> None:
    assert _pages_read_alike(pdf) > 0


@pytest.mark.realdocs
@pytest.mark.parametrize("prefix", ["js_budget_2017_江苏省高级", "sh_budget_2024", "js_budget_2019_"])
def test_real_booklets_read_as_pdfplumber_reads_them(prefix: str) -> None:
    assert _pages_read_alike(realdoc(prefix)) > 10


@pytest.mark.parametrize(
    "chars",
    [
        pytest.param([_char("收", 10), _char("入", 15), _char("1", 40), _char("2", 45)], id="two words"),
        pytest.param([_char("B", 15, top=120), _char("A", 10, top=100), _char("C", 20, top=101)], id="two lines"),
        pytest.param([_char("A", 10), _char("B", 15, top=102), _char("C", 20, top=104), _char("D", 25, top=106)],
                     id="tops chained over one line"),
        pytest.param([_char("A", 10), _char("B", 30, top=102.5), _char("C", 60, top=99)], id="words of uneven tops"),
        pytest.param([_char("A", 10), _char(" ", 15), _char("B", 17)], id="a drawn space"),
        pytest.param([_char("ﬁ", 10), _char("x", 15)], id="a ligature"),
        pytest.param([_char("2", 15), _char("1", 10), _char("3", 15)], id="same x0 out of order"),
        pytest.param([_char("A", 10, top=200), _char("B", 10, top=100), _char("C", 15, top=200)], id="lines out of order"),
        pytest.param([_char(" ", 10), _char(" ", 15)], id="blanks only"),
        pytest.param([_char("A", 10), _char("B", 17)], id="gap of 2 pt: one word at 3, two at 1.5"),
        pytest.param([_char("A", 10), _char("B", 15, top=102.5)], id="top 2.5 lower: two lines at 2"),
    ],
)
def test_lines_and_words_are_pdfplumbers(chars: list[dict[str, Any]]) -> None:
    assert text_lines(chars) == _reference(chars)
    for x_tolerance, y_tolerance in ((1.5, 2), (3, 3)):
        assert words(chars, x_tolerance, y_tolerance) == [
            (w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
            for w in utils.extract_words(chars, x_tolerance=x_tolerance, y_tolerance=y_tolerance)]


@pytest.mark.parametrize(
    "chars",
    [
        pytest.param([_char("A", 10), _char("B", 15, upright=False)], id="rotated"),
        pytest.param([_char("A", 10), _char("", 15)], id="a character without text"),
        pytest.param([_char("A", 10), _char(" B", 15)], id="a character with a blank in its text"),
    ],
)
def test_text_the_rule_does_not_cover_is_left_to_pdfplumber(chars: list[dict[str, Any]]) -> None:
    assert text_lines(chars) is None and words(chars) is None
