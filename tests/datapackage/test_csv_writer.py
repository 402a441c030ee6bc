"""CSV cells: formula guard on text only, exact numbers, BOM."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from datapackage.columns import build_columns
from datapackage.csv_writer import format_cell, guard_text, write_csv
from datapackage.resources import LINE_ITEMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+86 10", "'+86 10"),
        ("-1.5", "'-1.5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+1", "'＝1+1"),
        ("行政运行", "行政运行"),
        ("2012901", "2012901"),
        ("06", "06"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_guard_text(text: str, expected: str) -> None:
    assert guard_text(text) == expected


def test_numbers_are_never_guarded() -> None:
    assert format_cell(Decimal("-1.5"), guarded=True) == "-1.5"
    assert format_cell(-3, guarded=True) == "-3"
    assert format_cell(None, guarded=True) == ""


def test_file_starts_with_bom_and_uses_crlf(item, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write_csv(build_columns(LINE_ITEMS, [item(line_label="多行\n标签")]), path)
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8 + b"doc_id,")
    assert raw.endswith(b"\r\n") and '"多行\n标签"'.encode() in raw
