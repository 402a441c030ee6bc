"""A table whose title is not recognized is still read when its header is one spec's alone."""

from __future__ import annotations

from dataclasses import replace

import pdfplumber
from support import ROOT

from extract.tables import TableFinder
from schemas.table_specs import load_specs

WATER = ROOT / "samples" / "pdfs" / "synthetic_water_bureau_2024.pdf"


def _read(specs: tuple) -> dict:
    finder = TableFinder(specs)
    with pdfplumber.open(WATER) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            finder.feed_page(page, number)
    return {t.table_code: t for t in finder.finish()}


def test_water_02_under_an_unknown_title_is_assigned_by_its_header() -> None:
    """Stands for every booklet whose title wording no spec lists yet (a new province or year)."""
    specs = load_specs()
    known = _read(specs)
    renamed = tuple(replace(s, titles=("某某新格式收入表",)) if s.code == "02" else s for s in specs)
    tables = _read(renamed)
    assert "02" in tables
    table = tables["02"]
    assert [p.code for p in table.problems] == ["assigned_by_header"]
    assert {(c.subject_code, c.measure, c.value) for c in table.cells} == {
        (c.subject_code, c.measure, c.value) for c in known["02"].cells
    }


def test_a_header_shared_by_several_specs_is_not_guessed() -> None:
    """05 and 08 print the same columns (合计/基本支出/项目支出): with both titles unknown, neither is guessed."""
    specs = load_specs()
    renamed = tuple(replace(s, titles=(f"未知标题{s.code}",)) if s.code in ("05", "08") else s for s in specs)
    tables = _read(renamed)
    assert "05" not in tables and "08" not in tables
