"""Values → XlsxWriter cells that Excel shows exactly as published.

Why these rules (README "Excel workbook, package README and CHANGELOG"):
- Text (ids, codes such as subject_code `06`, labels) is written as a string cell with
  number format `@`: Excel never turns `06` into 6 nor `2012901` into a number, also when
  the cell is edited. A string beginning with `=` is still a string cell (`write_string`),
  never a formula, so no formula guard is needed here.
- An exact decimal is written as a number when Excel can hold and show it exactly: Excel
  keeps 15 significant digits, and every decimal of at most 15 significant digits converts
  to a double that shows the same digits again. Its number format has as many decimal
  places as the value carries (`Decimal("12653.82")` → `#,##0.00`), so the cell shows
  12,653.82 and sums like a number. A decimal of more digits (e.g. 99999999999999.999999)
  would be rounded by Excel, so it is written as text (right-aligned) with its exact digits.
- Characters XML cannot carry (control characters, lone surrogates) become U+FFFD / `\\xNN`;
  text longer than Excel's 32,767-character cell limit is cut with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any

from datapackage.columns import utf8_safe

#: Significant digits Excel keeps in a number cell (IEEE double shown to 15 digits).
EXCEL_DIGITS = 15
#: Characters one Excel cell can hold.
EXCEL_CELL_CHARS = 32_767
TEXT_FORMAT = "@"
CUT_NOTE = "…（超出 Excel 单元格长度，全文见 CSV/Parquet）"
#: what XML 1.0 cannot carry (as openpyxl's ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Style:
    """How a cell looks; one XlsxWriter format is made per distinct style (Sheet.append)."""

    num_format: str = ""
    bold: bool = False
    italic: bool = False
    size: float = 0.0
    color: str = ""
    fill: str = ""
    align: str = ""

    def options(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.num_format:
            out["num_format"] = self.num_format
        if self.bold:
            out["bold"] = True
        if self.italic:
            out["italic"] = True
        if self.size:
            out["font_size"] = self.size
        if self.color:
            out["font_color"] = self.color
        if self.fill:
            out.update(pattern=1, bg_color=self.fill)
        if self.align:
            out["align"] = self.align
        return out


TEXT = Style(num_format=TEXT_FORMAT)
BOLD = Style(bold=True)
TITLE_FONT = Style(bold=True, size=13)
NAME_FONT = Style(italic=True, color="#808080", size=9)
HEADER_FILL = "#DDEBF7"

#: one cell: (value, "s" text, "n" number or "f" formula, style); None for an empty cell; int for a plain number
Cell = tuple[Any, str, Style | None]


def excel_text(value: str) -> str:
    """`value` as text an .xlsx cell accepts: no XML-illegal characters, at most 32,767 characters."""
    text = _ILLEGAL.sub("\ufffd", utf8_safe(value))
    if len(text) > EXCEL_CELL_CHARS:
        text = text[: EXCEL_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE
    return text


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def fits_excel(value: Decimal) -> bool:
    """True when Excel holds and shows `value` exactly as a number (≤ 15 significant digits)."""
    return value.is_finite() and len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS


def number_format_for(value: Decimal) -> str:
    places = decimal_places(value)
    return "#,##0" + ("." + "0" * places if places else "")


@cache
def _number_style(num_format: str) -> Style:
    return Style(num_format=num_format)


def text_cell(value: str, style: Style | None = None) -> Cell:
    """A string cell, never a formula whatever its first character, in number format `@`."""
    return (excel_text(value), "s", TEXT if style is None else replace(style, num_format=TEXT_FORMAT))


def decimal_cell(value: Decimal) -> Cell:
    if fits_excel(value):
        return (float(value), "n", _number_style(number_format_for(value)))
    return (excel_text(format(value, "f")), "s", _RIGHT_TEXT)


_RIGHT_TEXT = Style(num_format=TEXT_FORMAT, align="right")
_HEADER = Style(num_format=TEXT_FORMAT, bold=True, fill=HEADER_FILL)


def value_cell(value: Any) -> Cell | int | None:
    """One published value as a cell (a plain int needs no style)."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(value)
    if isinstance(value, Decimal):
        return decimal_cell(value)
    return value  # int: a plain number


def header_cell(value: str) -> Cell:
    return (excel_text(value), "s", _HEADER)


class Sheet:
    """Rows appended in order to one XlsxWriter worksheet (constant-memory mode: a row is
    written out when the next one starts), each distinct Style made a format once."""

    def __init__(self, workbook: Any, worksheet: Any, formats: dict[Style, Any]) -> None:
        self._workbook = workbook
        self._ws = worksheet
        self._formats = formats
        self.row = 0

    def width(self, column: int, width: float) -> None:
        """Column `column` (0-based) `width` characters wide."""
        self._ws.set_column(column, column, width)

    def freeze_header(self, rows: int) -> None:
        self._ws.freeze_panes(rows, 0)

    def autofilter(self, first_row: int, last_row: int, last_column: int) -> None:
        self._ws.autofilter(first_row, 0, last_row, last_column)

    def _format(self, style: Style | None) -> Any:
        if style is None:
            return None
        fmt = self._formats.get(style)
        if fmt is None:
            fmt = self._formats[style] = self._workbook.add_format(style.options())
        return fmt

    def append(self, cells: Iterable[Any]) -> None:
        ws, r = self._ws, self.row
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            if isinstance(cell, tuple):
                value, kind, style = cell
                if kind == "s":
                    ws.write_string(r, c, value, self._format(style))
                elif kind == "f":  # our own formulas only (the index's links); data is never one
                    ws.write_formula(r, c, value, self._format(style))
                else:
                    ws.write_number(r, c, value, self._format(style))
            elif isinstance(cell, (int, float)):
                ws.write_number(r, c, cell)
            else:  # no field type gives another value; shown, never lost
                ws.write_string(r, c, excel_text(str(cell)), self._format(TEXT))
        self.row += 1


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
