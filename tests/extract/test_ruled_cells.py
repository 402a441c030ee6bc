"""extract/ruled_cells.py finds pdfplumber's tables: the same edges and cells, in the same order.

The reference is pdfplumber's own `page.find_tables` on the same page and settings, over
every ruled page of documents drawn by different producers (Excel lines, Word rectangles,
LibreOffice, Chromium, a booklet of each province), with and without the rule put back
where a continuation page left it out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, TableSettings
from support import ROOT, realdoc

from extract.grid import TABLE_SETTINGS, _is_invisible
from extract.pdfium_geometry import PdfiumGeometry
from extract.ruled_cells import cells, find_tables, lean_edges

PRODUCERS = ROOT / "samples" / "producers" / "pdfs"


def _edges(edges: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What the intersections read of an edge: its position, length and orientation."""
    return [(e["x0"], e["x1"], e["top"], e["bottom"], e["orientation"],
             e["height"] if e["orientation"] == "v" else e["width"]) for e in edges]


def _tables(tables: list[Any]) -> list[tuple[Any, ...]]:
    return [(t.bbox, t.cells, [r.cells for r in t.rows]) for t in tables]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(lambda: realdoc("sh_final_2024"), id="shanghai-final (ruled lines)"),
        pytest.param(lambda: realdoc("js_budget_2019_江苏省高级"), id="jiangsu-court (Word rectangles)"),
        pytest.param(lambda: PRODUCERS / "calc_jiangxi_merged.pdf", id="libreoffice-calc (merged cells)"),
        pytest.param(lambda: PRODUCERS / "chromium_jiangxi_colspan.pdf", id="chromium (colspans)"),
        pytest.param(lambda: PRODUCERS / "word_water_split.pdf", id="word layout (split tables)"),
    ],
)
def test_the_tables_are_pdfplumbers(path: Any) -> None:
    file: Path = path()
    pdf = pdfplumber.open(file)
    geometry = PdfiumGeometry(file)
    ruled = 0
    for index, page in enumerate(pdf.pages):
        geometry.attach(page, index)
        if not (page.lines or page.rects):
            continue
        visible = page.filter(lambda obj: not _is_invisible(obj))
        theirs = visible.find_tables(TABLE_SETTINGS)
        assert _tables(find_tables(visible, TABLE_SETTINGS)) == _tables(theirs), f"page {index + 1}"
        settings = TableSettings.resolve(TABLE_SETTINGS)
        assert _edges(lean_edges(visible, settings)) == _edges(TableFinder(visible, settings).edges)
        if theirs:
            ruled += 1
            top = [float(theirs[0].bbox[1]) - 12.0]  # a rule put back above the first table
            settings = dict(TABLE_SETTINGS, explicit_horizontal_lines=top)
            assert _tables(find_tables(visible, settings)) == _tables(visible.find_tables(settings))
    assert ruled >= 5, "the document no longer has ruled tables"


def test_cells_of_a_grid_with_a_merged_cell() -> None:
    """Two rows of three columns whose first row's right two cells are merged: the merged
    cell is one cell, its missing inner rule leaves no cell of its own."""
    def edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, float]:
        return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}

    h = [edge(0, y, 30, y) for y in (0, 10, 20)]
    v = [edge(0, 0, 0, 20), edge(10, 0, 10, 20), edge(20, 10, 20, 20), edge(30, 0, 30, 20)]
    intersections: dict[tuple[float, float], dict[str, list[dict[str, float]]]] = {}
    for ve in v:
        for he in h:
            if ve["top"] <= he["top"] <= ve["bottom"]:
                point = intersections.setdefault((ve["x0"], he["top"]), {"v": [], "h": []})
                point["v"].append(ve)
                point["h"].append(he)
    assert cells(intersections) == [(0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20),
                                    (20, 10, 30, 20)]
