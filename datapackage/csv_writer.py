"""Columns → CSV for journalists opening the file in Excel.

Why these choices:
- UTF-8 with a BOM: Chinese-locale Excel reads BOM-less UTF-8 as GBK and garbles
  every Han character (DESIGN.md §5). Frictionless strips the BOM when reading.
- Decimals are written with `format(value, "f")`: the exact digits, never an
  exponent and never through float. Integers as plain digits. Missing values
  are empty cells (the Table Schema's missing value).
- Formula guard: a *string* cell beginning with a character Excel (or another
  spreadsheet) treats as the start of a formula gets a leading single quote
  (OWASP "CSV injection"). Numeric columns are never touched, so `-1.50` stays
  the number −1.50. The guard is documented in each free-text field's
  description; the Parquet twin holds the unguarded value.
- RFC 4180 quoting and CRLF line ends: what Excel and the csv module expect.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from datapackage.columns import Columns
from datapackage.resources import ResourceDef

#: First characters that make a spreadsheet cell a formula (ASCII and full-width forms).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
GUARD = "'"


def guard_text(value: str) -> str:
    """Prefix a quote to text a spreadsheet could run as a formula; other text unchanged."""
    return GUARD + value if value.startswith(FORMULA_PREFIXES) else value


def format_cell(value: Any, *, guarded: bool) -> str:
    """One cell's text: exact decimals, plain ints, empty for missing, guarded strings."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return guard_text(value) if guarded else value
    return str(value)


def write_csv(columns: Columns, path: Path) -> None:
    """Write header and rows of `columns` to `path` as UTF-8 with BOM."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        append = csv_appender(columns.resource, handle)
        append(columns)


def csv_appender(resource: ResourceDef, handle: TextIO) -> Callable[[Columns], None]:
    """Write the BOM and the header of `resource` to `handle`; returns a function appending a batch's rows."""
    fields = resource.fields
    guarded = [f.type == "string" for f in fields]
    names = [f.name for f in fields]
    handle.write(codecs.BOM_UTF8.decode("utf-8"))
    writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)

    def append(columns: Columns) -> None:
        data = [columns.values[name] for name in names]
        for row in zip(*data, strict=True):
            writer.writerow([format_cell(v, guarded=g) for v, g in zip(row, guarded, strict=True)])

    return append
