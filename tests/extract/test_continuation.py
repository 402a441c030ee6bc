"""Which grid continues a table across a page break (geometry only, no PDF needed)."""

from __future__ import annotations

from extract.grid import Grid, align_columns
from extract.headers import ColumnMap
from extract.tables import OpenTable, Part, TableFinder
from schemas.table_specs import load_specs

SPEC = {s.code: s for s in load_specs()}["02"]


def _grid(page: int, xs: list[float], rows: list[list[str]]) -> Grid:
    return Grid(
        page=page, top=100, bottom=300, text=rows, origin=[[True] * len(r) for r in rows],
        raw=[list(r) for r in rows], xs=xs, right=800,
    )


def _finder_with_open_table(first: Grid) -> TableFinder:
    finder = TableFinder((SPEC,))
    finder.open = OpenTable(spec=SPEC, title="收入决算表", page=first.page, top=50)
    finder.open.parts.append(Part(first, ColumnMap([], [], 0, first.n_cols), 0))
    return finder


def test_merged_total_row_lines_up_with_the_table() -> None:
    first = _grid(8, [50, 100, 150, 300, 500], [["201", "06", "01", "行政运行", "1.00"]])
    total = _grid(9, [50, 300, 500], [["合计", "合计", "2.00"]])
    aligned = align_columns(total, first)
    assert aligned is not None
    assert aligned.text[0] == ["合计", "合计", "合计", "合计", "2.00"]
    assert aligned.origin[0] == [True, False, False, True, True]


def test_grid_whose_columns_do_not_line_up_is_noted_not_silently_dropped() -> None:
    first = _grid(8, [50, 100, 150, 300, 500], [["201", "06", "01", "行政运行", "1.00"]])
    other = _grid(9, [50, 120, 420], [["x", "y", "3.00"]])
    finder = _finder_with_open_table(first)
    assert finder.open is not None
    assert finder._continuation(finder.open, other, [], 9) is None
    assert finder.notes and "p9" in finder.notes[0] and "收入决算表" in finder.notes[0]
