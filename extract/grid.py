"""A pdfplumber table as a rectangular grid with merged cells resolved.

pdfplumber reports a merged cell once, at its top-left position, and `None` at the
positions it covers. Header reading needs to know what covers every position (a
`收入` spanning four columns belongs to each of them); value reading needs to know
which positions are origins (a value is never copied into the columns it spans).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extract.cell_text import table_text
from extract.ruled_cells import find_tables
from extract.text import squash_printed

#: Table settings: ruled 决算 tables are read exactly by the lines strategy (DESIGN §5).
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}

_EPS = 1.0


@dataclass
class Grid:
    """One table on one page: `text[r][c]` with merges filled, `origin[r][c]` true at a cell's start."""

    page: int  # 1-based
    top: float
    bottom: float
    text: list[list[str]]
    origin: list[list[bool]]
    raw: list[list[str | None]]  # as pdfplumber extracted it, for debugging
    xs: list[float] = field(default_factory=list)  # left edge of every column
    right: float = 0.0  # right edge of the last column
    strategy: str = "lines"  # how it was found: lines (ruled, also filled-rectangle borders) / text (alignment)

    @property
    def n_cols(self) -> int:
        return len(self.text[0]) if self.text else 0

    @property
    def n_rows(self) -> int:
        return len(self.text)

    def value_text(self, r: int, c: int) -> str:
        """Text of a position only if a cell starts there (no copies of merged values)."""
        return self.text[r][c] if self.origin[r][c] else ""


def _is_invisible(obj: dict[str, Any]) -> bool:
    """White or unstroked rules draw nothing but still split pdfplumber's cells."""
    if obj.get("object_type") not in ("line", "rect", "curve"):
        return False
    color = obj.get("stroking_color")
    if obj.get("object_type") == "rect" and not obj.get("stroke", True):
        color = obj.get("non_stroking_color")
    if isinstance(color, (int, float)):
        color = (color,)
    if isinstance(color, (list, tuple)) and color:
        values = [float(v) for v in color if isinstance(v, (int, float))]
        if len(values) == 1 and values[0] >= 0.99:
            return True
        if len(values) == 3 and min(values) >= 0.99:
            return True
        if len(values) == 4 and max(values) <= 0.01:  # CMYK white
            return True
    return False


def page_grids(page: Any, page_number: int) -> list[Grid]:
    """Every ruled table on a pdfplumber page, top to bottom."""
    if not (page.lines or page.rects or page.curves):
        return []
    visible = page.filter(lambda obj: not _is_invisible(obj))
    tables = find_tables(visible, TABLE_SETTINGS)
    missing = _missing_rules(visible, tables)
    if missing:
        tables = find_tables(visible, dict(TABLE_SETTINGS, explicit_horizontal_lines=missing))
    grids: list[Grid] = []
    for table in tables:
        grid = _grid(table, page_number)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.top)
    return grids


def _missing_rules(page: Any, tables: list[Any]) -> list[float]:
    """Where a table's outer rule is not drawn although its column rules go on.

    Word and WPS draw a continuation page's first row without its top border (the
    border belongs to the page before): the column rules rise above the table that
    pdfplumber finds, and the row there would be lost. The missing rule is put back
    at the height where the column rules end.
    """
    edges = [e for e in page.edges if e.get("orientation") == "v"]
    ys: list[float] = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        inside = [e for e in edges if x0 - 1 <= e["x0"] <= x1 + 1]
        above = [e["top"] for e in inside if e["top"] < top - 5 and e["bottom"] >= top - 1]
        below = [e["bottom"] for e in inside if e["bottom"] > bottom + 5 and e["top"] <= bottom + 1]
        if len(above) >= 2:
            ys.append(float(min(above)))
        if len(below) >= 2:
            ys.append(float(max(below)))
    return ys


def _grid(table: Any, page_number: int) -> Grid | None:
    raw = table_text(table)  # = table.extract(), by bisection (extract/cell_text.py)
    rows = table.rows
    if not raw or not rows:
        return None
    xs = sorted({round(c[0], 1) for c in table.cells})
    tops = [row.bbox[1] for row in rows]
    n_rows, n_cols = len(raw), len(xs)
    text = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    origin = [[False for _ in range(n_cols)] for _ in range(n_rows)]
    for r, row in enumerate(rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None or c >= n_cols:
                continue
            value = squash_printed(raw[r][c]) if raw[r][c] else ""
            origin[r][c] = True
            x0, top, x1, bottom = bbox
            cols = [j for j in range(n_cols) if x0 - _EPS <= xs[j] < x1 - _EPS]
            spanned_rows = [i for i in range(n_rows) if top - _EPS <= tops[i] < bottom - _EPS]
            for i in spanned_rows or [r]:
                for j in cols or [c]:
                    text[i][j] = value
    return Grid(
        xs=[float(x) for x in xs],
        right=float(table.bbox[2]),
        page=page_number,
        top=float(table.bbox[1]),
        bottom=float(table.bbox[3]),
        text=text,
        origin=origin,
        raw=raw,
    )


def align_columns(grid: Grid, reference: Grid, tolerance: float = 3.0) -> Grid | None:
    """Re-express `grid` in `reference`'s columns, or None if their rules do not line up.

    A continuation page whose last rows merge cells (a `合计` spanning the code and
    name columns) has fewer columns than the page before; when each of its column
    edges is one of the reference's, every reference column still has exactly one
    cell above it.
    """
    if abs(grid.right - reference.right) > tolerance or not grid.xs or not reference.xs:
        return None
    if abs(grid.xs[0] - reference.xs[0]) > tolerance:
        return None
    if not all(any(abs(x - rx) <= tolerance for rx in reference.xs) for x in grid.xs):
        return None
    owner = [max(i for i, x in enumerate(grid.xs) if x <= rx + tolerance) for rx in reference.xs]
    starts = [any(abs(x - rx) <= tolerance for x in grid.xs) for rx in reference.xs]
    text = [[row[owner[j]] for j in range(len(reference.xs))] for row in grid.text]
    origin = [
        [grid.origin[r][owner[j]] and starts[j] for j in range(len(reference.xs))] for r in range(grid.n_rows)
    ]
    return Grid(
        page=grid.page,
        top=grid.top,
        bottom=grid.bottom,
        text=text,
        origin=origin,
        raw=grid.raw,
        xs=list(reference.xs),
        right=reference.right,
    )
