"""The Excel workbook: opened with openpyxl, as a journalist's Excel would read it."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook as ReadWorkbook

from core.records import TableRecord
from datapackage.publish import PackageContent, publish_package
from datapackage.resources import DOCUMENTS, LINE_ITEMS
from datapackage.resources_tables import tables_resources
from datapackage.workbook import (
    INDEX_SHEET,
    MAX_SHEET_NAME,
    WORKBOOK_NAME,
    SheetNames,
    chinese_title,
    workbook_bytes,
)
from datapackage.workbook_cells import excel_text, fits_excel

TABLE = TableRecord(
    doc_id="d2023a", table_code="03", table_name="支出决算表", title="支出决算表", pages="12", status="read",
    reason_code="", reason="", cells=4, amounts_printed=4, amounts_read=4, coverage=Decimal("1.0000"),
)


@pytest.fixture
def wb_content(content: PackageContent) -> PackageContent:
    """The conftest package plus the amounts of the issue and an extra resource."""
    items = [
        *content.line_items,
        replace(content.line_items[0], row_index=3, subject_code="2013101", line_label="党委办公厅（室）及相关机构事务",
                value_original=Decimal("12653.82"), amount_yuan=Decimal("126538200.00")),
        replace(content.line_items[0], row_index=3, subject_code="2013101", line_label="党委办公厅（室）及相关机构事务", measure="basic_expenditure",
                measure_zh="基本支出", value_original=Decimal("1234567890123.45"),
                amount_yuan=Decimal("1234567890123.45")),
    ]
    return replace(content, line_items=items, extra_resources=tables_resources([TABLE]))


@pytest.fixture
def book(wb_content: PackageContent) -> ReadWorkbook:
    return load_workbook(io.BytesIO(workbook_bytes(wb_content)))


def _rows(ws) -> list[list]:  # type: ignore[no-untyped-def]
    return [list(r) for r in ws.iter_rows()]


def test_sheets_are_the_index_every_resource_and_each_published_document(book: ReadWorkbook) -> None:
    assert book.sheetnames == [INDEX_SHEET, "documents", "line_items", "consistency", "tables", "2023决算 上海市某局"]
    index = [r[0].value for r in _rows(book[INDEX_SHEET]) if r and isinstance(r[0].value, str)]
    assert any("#'2023决算 上海市某局'!A1" in v for v in index)  # a link to each sheet


def test_headers_are_chinese_titles_over_field_names_frozen_and_filtered(book: ReadWorkbook) -> None:
    ws = book["line_items"]
    rows = _rows(ws)
    assert [c.value for c in rows[0]] == [chinese_title(f) for f in LINE_ITEMS.fields]
    assert [c.value for c in rows[1]] == LINE_ITEMS.field_names
    assert rows[0][0].value == "文档编号" and chinese_title(DOCUMENTS.fields[3]) == "SHA-256"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:")
    assert ws.column_dimensions["A"].width >= 8


def test_codes_and_ids_are_text_and_a_formula_stays_text(book: ReadWorkbook) -> None:
    rows = _rows(book["line_items"])
    col = {c.value: i for i, c in enumerate(rows[1])}
    codes = [(r[col["table_code"]], r[col["subject_code"]]) for r in rows[2:]]
    table_06 = next(t for t, _ in codes if t.value == "06")
    assert table_06.data_type == "s" and table_06.number_format == "@"
    assert all(s.value is None or (isinstance(s.value, str) and s.number_format == "@") for _, s in codes)
    labels = [r[col["line_label"]] for r in rows[2:]]
    formula = next(c for c in labels if c.value == "=SUM(A1)")
    assert formula.data_type == "s"  # shown as text, never run


@pytest.mark.parametrize("printed", ["12653.82", "1234567890123.45"])
def test_decimals_are_numbers_that_show_as_printed(book: ReadWorkbook, printed: str) -> None:
    rows = _rows(book["line_items"])
    col = {c.value: i for i, c in enumerate(rows[1])}
    cell = next(r[col["value_original"]] for r in rows[2:] if r[col["value_original"]].value == float(printed))
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert Decimal(repr(cell.value)) == Decimal(printed)  # the double shows the printed digits again


def test_a_decimal_beyond_15_digits_is_exact_text(book: ReadWorkbook) -> None:
    rows = _rows(book["line_items"])
    col = {c.value: i for i, c in enumerate(rows[1])}
    values = [r[col["value_original"]].value for r in rows[2:]]
    assert "99999999999999.999999" in values and "999999999999999999.99" in [
        r[col["amount_yuan"]].value for r in rows[2:]
    ]
    assert fits_excel(Decimal("1234567890123.45")) and not fits_excel(Decimal("1234567890123.456"))


def test_document_sheet_lays_out_each_table_as_printed(wb_content: PackageContent, book: ReadWorkbook) -> None:
    rows = [[c.value for c in r] for r in book["2023决算 上海市某局"].iter_rows()]
    assert rows[0][0].startswith("上海市某局　2023年部门决算　某部门2023年度部门决算.pdf")
    start = next(i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith("表03 支出决算表"))
    assert "第12页" in rows[start][0] and "单位：万元" in rows[start][0]
    header = rows[start + 1]
    assert header[:4] == ["行", "科目编码", "项目", "页码"]
    assert header[4:6] == ["本年支出合计", "基本支出"]  # measure_zh in the spec's order
    block = {r[0]: r for r in rows[start + 2 : start + 6]}
    for item in (i for i in wb_content.line_items if i.table_code == "03"):
        row = block[item.row_index]
        assert (row[1] or "", row[2] or "", row[3]) == (item.subject_code, item.line_label, item.page)
        value = row[header.index(item.measure_zh)]
        assert (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) == item.value_original


def test_sheet_names_are_valid_and_unique() -> None:
    names = SheetNames()
    taken = [names.take(n) for n in ["a/b:c*?[x]\\", "中国共产党江苏省委员会办公厅" * 3, "中国共产党江苏省委员会办公厅" * 3, "A", "a", ""]]
    assert len({t.casefold() for t in taken}) == len(taken)
    assert all(len(t) <= MAX_SHEET_NAME and not set(t) & set("[]:*?/\\") and t for t in taken)
    assert taken[0] == "a_b_c___x__" and taken[2].endswith("~2") and taken[4] == "a~2"


def test_text_xml_cannot_carry_is_replaced() -> None:
    assert excel_text("a\x01b") == "a\ufffdb"
    assert len(excel_text("x" * 40_000)) == 32_767


def test_workbook_is_published_as_an_attachment(wb_content: PackageContent, tmp_path: Path) -> None:
    content = replace(wb_content, attachments={WORKBOOK_NAME: workbook_bytes(wb_content)})
    published = publish_package(content, tmp_path / "out")
    book = load_workbook(published.out_dir / WORKBOOK_NAME, read_only=True)
    assert "line_items" in book.sheetnames
