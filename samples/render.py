"""Draw a booklet with reportlab: pages, ruled tables with merged cells, narrative text.

Why hand-drawn grids instead of reportlab's `Table`: real 决算 and 预算 tables are ruled
cell by cell, merged header cells have no rule inside them, a table continues on
the next page with or without its header, and the ground truth needs the physical
page of every number. Drawing each cell's four borders ourselves keeps all of that
explicit, and pdfplumber's lines strategy then finds exactly the grid drawn here.

Chinese text uses reportlab's built-in CID font STSong-Light (not embedded, so the
PDFs stay small and need no system font); figures and codes use Times-Roman.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from samples.booklet_data import format_cell
from samples.grid import CJK, USABLE_WIDTH, Cell, TableSheet, Truth

FONT = {CJK: "STSong-Light", "num": "Times-Roman"}
PAGE_SIZE = {"portrait": (595.0, 842.0), "landscape": (842.0, 595.0)}
TOP_MARGIN = {"portrait": 50.0, "landscape": 40.0}
BOTTOM_MARGIN = {"portrait": 56.0, "landscape": 48.0}
FOOTER_Y = 28.0

CELL_SIZE = 9.0  # font size inside tables
CELL_LEADING = 11.0
PAD_X = 3.0
PAD_Y = 3.2
RULE_WIDTH = 0.6

TEXT_SIZE = 12.0  # narrative
TEXT_LEADING = 21.0

pdfmetrics.registerFont(UnicodeCIDFont(FONT[CJK]))


_TOKEN = re.compile(r"[0-9A-Za-z.,%+\-]+|.", re.S)
_NO_LINE_START = frozenset("，。；：、？！）》」』”’%")


def wrap(text: str, font: str, size: float, width: float, kinsoku: bool = False) -> list[str]:
    """Break text into lines no wider than `width`.

    Chinese breaks between any two characters, but a run of digits or Latin letters
    (12653.82, 2024) stays whole as Word keeps it; with `kinsoku`, closing
    punctuation never starts a line (it may overhang, so only for running text).
    """
    lines: list[str] = []
    for para in text.split("\n"):
        tokens: list[str] = []
        for tok in _TOKEN.findall(para):
            too_wide = pdfmetrics.stringWidth(tok, font, size) > width
            tokens.extend(tok if too_wide else [tok])
        line = ""
        for tok in tokens:
            hangs = kinsoku and tok in _NO_LINE_START
            if line and not hangs and pdfmetrics.stringWidth(line + tok, font, size) > width:
                lines.append(line)
                line = ""
            line += tok
        lines.append(line)
    return lines


@dataclass(frozen=True)
class PlacedTruth:
    """A ground-truth cell with the physical page it was drawn on."""

    table_code: str
    page: int
    truth: Truth


@dataclass
class TableRecord:
    """Where a table landed: its pages and whether the continuation repeats the header."""

    code: str
    title: str
    pages: list[int] = field(default_factory=list)
    header_repeated: bool = False


@dataclass(frozen=True)
class Metadata:
    """PDF document information; fixed values so re-rendering gives identical bytes."""

    title: str
    author: str
    subject: str
    keywords: str


class Booklet:
    """A PDF being written page by page, with a cursor and the truths placed so far."""

    def __init__(self, path: Path, meta: Metadata, thousands_separator: bool) -> None:
        self.canvas = Canvas(str(path), invariant=1, pageCompression=1)
        self.canvas.setTitle(meta.title)
        self.canvas.setAuthor(meta.author)
        self.canvas.setSubject(meta.subject)
        self.canvas.setKeywords(meta.keywords)
        self.canvas.setCreator("opendisclosure samples.generator")
        self.thousands = thousands_separator
        self.page = 0
        self.orientation = "portrait"
        self.y = 0.0
        self.truths: list[PlacedTruth] = []
        self.tables: list[TableRecord] = []

    # ------------------------------------------------------------ pages
    @property
    def width(self) -> float:
        return PAGE_SIZE[self.orientation][0]

    @property
    def left(self) -> float:
        return (self.width - USABLE_WIDTH[self.orientation]) / 2

    @property
    def bottom(self) -> float:
        return BOTTOM_MARGIN[self.orientation]

    def new_page(self, orientation: str) -> None:
        """Close the current page (with its footer) and open a fresh one."""
        if self.page:
            self._finish_page()
        self.page += 1
        self.orientation = orientation
        self.canvas.setPageSize(PAGE_SIZE[orientation])
        self.y = PAGE_SIZE[orientation][1] - TOP_MARGIN[orientation]

    def _finish_page(self) -> None:
        self.canvas.setFont(FONT[CJK], 10.5)
        self.canvas.drawCentredString(self.width / 2, FOOTER_Y, f"— {self.page} —")
        self.canvas.showPage()

    def close(self) -> None:
        self._finish_page()
        self.canvas.save()

    # ------------------------------------------------------------ text
    def centred(self, text: str, size: float, gap_after: float) -> None:
        self.canvas.setFont(FONT[CJK], size)
        self.canvas.drawCentredString(self.width / 2, self.y - size, text)
        self.y -= size + gap_after

    def paragraph(self, text: str, size: float = TEXT_SIZE, indent: bool = True) -> None:
        """A narrative paragraph, first line indented by two characters, wrapped to the page."""
        width = USABLE_WIDTH[self.orientation]
        prefix = "\u3000\u3000" if indent else ""
        for line in wrap(prefix + text, FONT[CJK], size, width, kinsoku=True):
            if self.y - TEXT_LEADING < self.bottom:
                self.new_page(self.orientation)
            self.canvas.setFont(FONT[CJK], size)
            self.canvas.drawString(self.left, self.y - size, line)
            self.y -= TEXT_LEADING

    # ------------------------------------------------------------ tables
    def _lines(self, cell: Cell, width: float) -> list[str]:
        text = format_cell(cell.text, self.thousands) if cell.is_value else cell.text
        if not text:
            return []
        return wrap(text, FONT[cell.font], CELL_SIZE, width - 2 * PAD_X)

    def _row_heights(self, cells: tuple[Cell, ...], nrows: int, xs: list[float]) -> list[float]:
        """Heights of a block of grid rows, grown so every (merged) cell fits its text."""
        heights = [CELL_LEADING + 2 * PAD_Y] * nrows
        for cell in sorted(cells, key=lambda c: c.rowspan):
            need = len(self._lines(cell, xs[cell.col + cell.colspan] - xs[cell.col])) * CELL_LEADING
            need += 2 * PAD_Y
            span = range(cell.row, cell.row + cell.rowspan)
            have = sum(heights[r] for r in span)
            if need > have:
                heights[span[-1]] += need - have
        return heights

    def _draw_cells(self, cells: tuple[Cell, ...], heights: list[float], xs: list[float]) -> None:
        """Draw a block of rows starting at the cursor: borders, then text."""
        tops = [self.y]
        for h in heights:
            tops.append(tops[-1] - h)
        c = self.canvas
        c.setLineWidth(RULE_WIDTH)
        c.setStrokeColorRGB(0, 0, 0)
        for cell in cells:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            top, bottom = tops[cell.row], tops[cell.row + cell.rowspan]
            c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
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

    def table(self, sheet: TableSheet, repeat_header: bool, same_page: bool, heading: str = "") -> None:
        """Draw one standard table, continuing it over as many pages as it needs."""
        widths = [0.0]
        for col in sheet.columns:
            widths.append(widths[-1] + col.width)
        header_h = self._row_heights(sheet.header, sheet.header_rows, widths)
        body_h = [self._row_heights(row, 1, widths)[0] for row in sheet.body]
        title_block = (24.0 if heading else 0.0) + 16 + 10 + (16 if sheet.label else 0) + 20
        first = title_block + sum(header_h) + (body_h[0] if body_h else 0)
        if not (same_page and sheet.orientation == self.orientation and self.y - 30 - first > self.bottom):
            self.new_page(sheet.orientation)
        else:
            self.y -= 30
        xs = [self.left + w for w in widths]
        record = TableRecord(sheet.code, sheet.title, [self.page], header_repeated=repeat_header)
        self.tables.append(record)

        if heading:
            self.centred(heading, 15, 12)
        self.centred(sheet.title, 16, 10)
        c = self.canvas
        right = xs[-1]
        if sheet.label:
            c.setFont(FONT[CJK], 10.5)
            c.drawRightString(right, self.y - 10.5, sheet.label)
            self.y -= 16
        c.setFont(FONT[CJK], 10.5)
        dept, year, unit = sheet.caption  # a budget prints no year here: an empty text is not drawn
        if dept:
            c.drawString(xs[0], self.y - 10.5, dept)
        if year:
            c.drawCentredString((xs[0] + right) / 2, self.y - 10.5, year)
        if unit:
            c.drawRightString(right, self.y - 10.5, unit)
        self.y -= 20
        self._draw_cells(sheet.header, header_h, xs)

        for row, h in zip(sheet.body, body_h, strict=True):
            if self.y - h < self.bottom:
                self.new_page(sheet.orientation)
                record.pages.append(self.page)
                if repeat_header:
                    self._draw_cells(sheet.header, header_h, xs)
            self._draw_cells(row, [h], xs)
            self.truths += [PlacedTruth(sheet.code, self.page, cell.truth) for cell in row if cell.truth]

        self.y -= 6
        for note in sheet.notes:
            for line in wrap(note, FONT[CJK], 9.5, right - xs[0]):
                if self.y - 14 < self.bottom:
                    self.new_page(sheet.orientation)
                c.setFont(FONT[CJK], 9.5)
                c.drawString(xs[0], self.y - 9.5, line)
                self.y -= 14

    # ------------------------------------------------------------ free-form ruled tables
    def grid_table(
        self,
        title: str,
        subtitle: str,
        cells: tuple[Cell, ...],
        n_rows: int,
        widths: tuple[float, ...],
        forced_breaks: frozenset[int] = frozenset(),
    ) -> list[int]:
        """Draw a ruled table of merged cells on a new portrait page; return each grid row's page.

        Rows flow onto further pages (no header repeated) when the page is full or at a row
        in `forced_breaks`; a merged cell cut by a page break is split (`split_cells`).
        """
        self.new_page("portrait")
        self.centred(title, 16, 6)
        self.centred(subtitle, 11, 10)
        rel = [0.0]
        for w in widths:
            rel.append(rel[-1] + w)
        xs = [self.left + x for x in rel]
        heights = self._row_heights(cells, n_rows, rel)
        pages: list[int] = []
        start = 0
        room = self.y
        for r in range(n_rows + 1):
            if r == n_rows or (r > start and (r in forced_breaks or room - heights[r] < self.bottom)):
                self._draw_cells(split_cells(cells, start, r), heights[start:r], xs)
                pages += [self.page] * (r - start)
                if r == n_rows:
                    break
                self.new_page("portrait")
                start, room = r, self.y
            room -= heights[r]
        return pages


def split_cells(cells: tuple[Cell, ...], start: int, stop: int) -> tuple[Cell, ...]:
    """The cells of grid rows [start, stop), renumbered from 0.

    A merged cell cut by the range keeps its text only in the part holding its first row.
    """
    out: list[Cell] = []
    for cell in cells:
        top, bottom = max(cell.row, start), min(cell.row + cell.rowspan, stop)
        if top >= bottom:
            continue
        text = cell.text if cell.row >= start else ""
        out.append(
            Cell(
                row=top - start, col=cell.col, text=text, rowspan=bottom - top, colspan=cell.colspan,
                align=cell.align, font=cell.font,
            )
        )
    return tuple(out)


