"""Build an .xlsx booklet the way 决算 spreadsheets are made: real merged cells, thin borders.

Why openpyxl and not a PDF library: LibreOffice (and Excel) print a merged cell as
one cell with no inner rules, text once at its top-left — the thing our extractor
has to cope with — only if the workbook really merges it. Each standard table is
a sheet of its own (so each starts on a new page), printed to fit the page width,
with the title, label and `部门：… 金额单位：…` rows above the header. Figures are
numeric cells with a number format, as in real workbooks; codes are text cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from samples.grid import Cell, TableSheet
from samples.producers.logical import Booklet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
POINTS_PER_CHAR = 5.6  # Excel column width unit ≈ one digit of the default font
CELL_SIZE = 9
A4 = 9


@dataclass(frozen=True)
class WorkbookStyle:
    """How the workbook prints: the CJK font, and whether header rows repeat on each page."""

    font: str = "Noto Serif CJK SC"
    repeat_header: bool = True
    row_height: float | None = None  # body row height in points; None lets Calc size rows to fit


def _font(style: WorkbookStyle, size: float = CELL_SIZE, bold: bool = False) -> Font:
    return Font(name=style.font, size=size, bold=bold)


def _number_format(value: str, thousands: bool) -> str:
    decimals = len(value.split(".")[1]) if "." in value else 0
    base = "#,##0" if thousands else "0"
    return base + ("." + "0" * decimals if decimals else "")


def _page_setup(ws: Worksheet, orientation: str) -> None:
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3


def _put(ws: Worksheet, row: int, col: int, cell: Cell, style: WorkbookStyle, thousands: bool) -> None:
    """Write one grid cell at 1-based (row, col), merging and bordering its whole span."""
    target = ws.cell(row=row, column=col)
    if cell.truth is not None:
        target.value = float(Decimal(cell.truth.value))
        target.number_format = _number_format(cell.truth.value, thousands)
    else:
        target.value = cell.text or None
        target.number_format = "@"
    target.font = _font(style)
    target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
    last_row, last_col = row + cell.rowspan - 1, col + cell.colspan - 1
    if cell.rowspan > 1 or cell.colspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            ws.cell(row=r, column=c).border = BORDER


def _wide_text(ws: Worksheet, row: int, ncols: int, text: str, font: Font, align: str, lines: int = 1) -> None:
    """A text row merged across the table (title, label, notes)."""
    ws.cell(row=row, column=1, value=text).font = font
    ws.cell(row=row, column=1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = max(lines, 1) * font.size * 1.5


def table_sheet(ws: Worksheet, sheet: TableSheet, style: WorkbookStyle, thousands: bool, heading: str) -> None:
    """Lay one standard table out on a worksheet."""
    n = len(sheet.columns)
    for i, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = col.width / POINTS_PER_CHAR
    row = 1
    if heading:
        _wide_text(ws, row, n, heading, _font(style, 14, bold=True), "center")
        row += 1
    first = row
    _wide_text(ws, row, n, sheet.title, _font(style, 16, bold=True), "center")
    row += 1
    if sheet.label:
        _wide_text(ws, row, n, sheet.label, _font(style, 10), "right")
        row += 1
    dept, year, unit = sheet.caption
    thirds = [1, n // 3 + 1, 2 * n // 3 + 1, n + 1]
    for text, align, a, b in zip((dept, year, unit), ("left", "center", "right"), thirds, thirds[1:], strict=False):
        ws.cell(row=row, column=a, value=text).font = _font(style, 10)
        ws.cell(row=row, column=a).alignment = Alignment(horizontal=align, vertical="center")
        if b - 1 > a:
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b - 1)
    ws.row_dimensions[row].height = 18
    row += 1
    for cell in sheet.header:
        _put(ws, row + cell.row, 1 + cell.col, cell, style, thousands)
    row += sheet.header_rows
    if style.repeat_header:
        ws.print_title_rows = f"{first}:{row - 1}"
    for body in sheet.body:
        for cell in body:
            _put(ws, row, 1 + cell.col, cell, style, thousands)
        if style.row_height:
            ws.row_dimensions[row].height = style.row_height
        row += 1
    total_width = sum(c.width for c in sheet.columns)
    for note in sheet.notes:
        lines = int(len(note) * 9.5 / total_width) + 1
        _wide_text(ws, row, n, note, _font(style, 9.5), "left", lines)
        row += 1
    _page_setup(ws, sheet.orientation)


def _text_sheet(wb: Workbook, title: str, style: WorkbookStyle, rows: list[tuple[str, float, int]]) -> None:
    """A cover or narrative page: wide merged text rows (text, size, line count)."""
    ws = wb.create_sheet(title)
    for i in range(1, 9):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 11
    for r, (text, size, lines) in enumerate(rows, start=1):
        _wide_text(ws, r, 8, text, _font(style, size), "center" if lines == 1 else "left", lines)
    _page_setup(ws, "portrait")


def build_workbook(booklet: Booklet, style: WorkbookStyle, path: Path) -> Path:
    """The whole booklet as one workbook: cover, 第一部分, the ten tables, 第三部分."""
    wb = Workbook()
    default = wb.active
    dept, year = booklet.cover()
    _text_sheet(wb, "封面", style, [("", 12, 12), (dept, 28, 1), ("", 12, 1), (year, 24, 1)])
    overview_lines = len(booklet.overview) // 38 + 1
    _text_sheet(wb, "概况", style, [(booklet.part_heading(1), 18, 1), (booklet.overview, 12, overview_lines)])
    for i, sheet in enumerate(booklet.sheets):
        ws = wb.create_sheet(f"公开{sheet.code}表")
        table_sheet(ws, sheet, style, booklet.options.thousands, booklet.part_heading(2) if i == 0 else "")
    _text_sheet(wb, "说明", style, [(booklet.part_heading(3), 18, 1), (booklet.explanation(), 12, 2)])
    wb.remove(default)
    wb.save(path)
    return path
