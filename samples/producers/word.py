"""Word-style producer: tables whose borders are thin filled rectangles, header cells shaded.

Why: Word 2007 and WPS export a table border not as a stroked line but as a
filled rectangle ~0.5pt wide per border segment, and cell shading as a filled
rectangle underneath — so a reader that only looks for stroked lines sees no grid
at all. Drawn with reportlab (samples/render.py's Booklet: same pagination,
deterministic bytes, exact pages), only the cell drawing differs. Every border
segment is drawn once, as Word does, not once per neighbouring cell.
"""

from __future__ import annotations

from pathlib import Path

from samples.grid import Cell, TableSheet
from samples.producers.logical import Booklet as PrintedBooklet
from samples.render import CELL_LEADING, CELL_SIZE, FONT, PAD_X, Booklet, Metadata

BORDER = 0.5  # width of a border rectangle, points
HEADER_FILL = (0.85, 0.85, 0.85)

Segment = tuple[float, float, float, float]  # x0, y0, x1, y1 of a border line (horizontal or vertical)


class RectBooklet(Booklet):
    """A Booklet whose table cells are drawn with filled rectangles only (no strokes)."""

    def __init__(self, path: Path, meta: Metadata, shade_header: bool) -> None:
        super().__init__(path, meta, thousands_separator=False)  # texts arrive formatted
        self.shade_header = shade_header
        self._header: tuple[Cell, ...] = ()

    def table(self, sheet: TableSheet, repeat_header: bool, same_page: bool, heading: str = "") -> None:
        self._header = sheet.header
        super().table(sheet, repeat_header, same_page, heading)

    def _draw_cells(self, cells: tuple[Cell, ...], heights: list[float], xs: list[float]) -> None:
        tops = [self.y]
        for h in heights:
            tops.append(tops[-1] - h)
        c = self.canvas
        boxes = [(xs[k.col], tops[k.row + k.rowspan], xs[k.col + k.colspan], tops[k.row]) for k in cells]
        if self.shade_header and cells is self._header:
            c.setFillColorRGB(*HEADER_FILL)
            for x0, y0, x1, y1 in boxes:
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        segments: set[Segment] = set()
        for x0, y0, x1, y1 in boxes:
            segments |= {(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)}
        c.setFillColorRGB(0, 0, 0)
        h = BORDER / 2
        for x0, y0, x1, y1 in sorted(segments):
            if y0 == y1:
                c.rect(x0 - h, y0 - h, x1 - x0 + BORDER, BORDER, stroke=0, fill=1)
            else:
                c.rect(x0 - h, y0 - h, BORDER, y1 - y0 + BORDER, stroke=0, fill=1)
        for cell, (x0, bottom, x1, top) in zip(cells, boxes, strict=True):
            lines = self._lines(cell, x1 - x0)
            if not lines:
                continue
            c.setFont(FONT[cell.font], CELL_SIZE)
            block_top = top - (top - bottom - len(lines) * CELL_LEADING) / 2
            for k, line in enumerate(lines):
                base = block_top - k * CELL_LEADING - CELL_LEADING / 2 - CELL_SIZE * 0.35
                if cell.align == "left":
                    c.drawString(x0 + PAD_X, base, line)
                elif cell.align == "right":
                    c.drawRightString(x1 - PAD_X, base, line)
                else:
                    c.drawCentredString((x0 + x1) / 2, base, line)
        self.y = tops[-1]


def render(booklet: PrintedBooklet, shade_header: bool, pdf: Path) -> RectBooklet:
    """Draw the booklet to `pdf`; the returned Booklet holds each truth's page and each table's pages."""
    meta = Metadata(
        title=f"{booklet.department}{booklet.fiscal_year}年度部门决算",
        author=booklet.department,
        subject="部门决算 — opendisclosure producer-matrix fixture (Word-style rectangle borders)",
        keywords="producer matrix",
    )
    b = RectBooklet(pdf, meta, shade_header)
    dept, year = booklet.cover()
    b.new_page("portrait")
    b.y = 842.0 * 0.64
    b.centred(dept, 28, 30)
    b.centred(year, 24, 0)
    b.new_page("portrait")
    b.centred(booklet.part_heading(1), 18, 20)
    b.paragraph(booklet.overview)
    for i, sheet in enumerate(booklet.sheets):
        heading = booklet.part_heading(2) if i == 0 else ""
        b.table(sheet, booklet.options.repeat_header, same_page=False, heading=heading)
    b.new_page("portrait")
    b.centred(booklet.part_heading(3), 18, 20)
    b.paragraph(booklet.explanation())
    b.close()
    return b

