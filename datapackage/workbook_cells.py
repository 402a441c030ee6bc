"""Values → write-only openpyxl cells that Excel shows exactly as published.

Why these rules (README "Excel workbook, package README and CHANGELOG"):
- Text (ids, codes such as subject_code `06`, labels) is written as a string cell with
  number format `@`: Excel never turns `06` into 6 nor `2012901` into a number, also when
  the cell is edited. A string beginning with `=` is still a string cell, never a formula
  (openpyxl would otherwise write it as one), so no formula guard is needed here.
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

from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from datapackage.columns import utf8_safe

#: Significant digits Excel keeps in a number cell (IEEE double shown to 15 digits).
EXCEL_DIGITS = 15
#: Characters one Excel cell can hold.
EXCEL_CELL_CHARS = 32_767
TEXT_FORMAT = "@"
CUT_NOTE = "…（超出 Excel 单元格长度，全文见 CSV/Parquet）"

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
NAME_FONT = Font(italic=True, color="808080", size=9)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
RIGHT = Alignment(horizontal="right")


def excel_text(value: str) -> str:
    """`value` as text an .xlsx cell accepts: no XML-illegal characters, at most 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", utf8_safe(value))
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


def text_cell(ws: WriteOnlyWorksheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=excel_text(value))
    cell.data_type = "s"  # never a formula, whatever the first character
    cell.number_format = TEXT_FORMAT
    if font is not None:
        cell.font = font
    return cell


def decimal_cell(ws: WriteOnlyWorksheet, value: Decimal) -> WriteOnlyCell:
    if fits_excel(value):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = number_format_for(value)
        return cell
    cell = text_cell(ws, format(value, "f"))
    cell.alignment = RIGHT
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """One published value as a cell (or a plain value when no style is needed)."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(ws, value)
    if isinstance(value, Decimal):
        return decimal_cell(ws, value)
    return value  # int: a plain number


def header_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = text_cell(ws, value, BOLD)
    cell.fill = HEADER_FILL
    return cell


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
