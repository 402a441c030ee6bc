"""Pandera table models: a real table passes; each kind of damage is reported readably."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import realdoc

from extract.document import extract_document
from schemas.table_specs import load_specs
from schemas.validation import validate_table

SPECS = {s.code: s for s in load_specs()}


@pytest.fixture(scope="module")
def tables():
    doc = extract_document(realdoc("sh_final_2024_"))
    return {t.table_code: t for t in doc.tables}


def test_real_tables_are_valid(tables) -> None:
    for code, table in tables.items():
        assert validate_table(table, SPECS[code]) == [], code


def test_missing_total_row_is_reported(tables) -> None:
    table = tables["03"]
    damaged = replace(table, cells=[c for c in table.cells if c.line_label != "合计"])
    reasons = validate_table(damaged, SPECS["03"])
    assert [r.code for r in reasons] == ["table_invalid"]
    assert "合计" in reasons[0].message and reasons[0].table_code == "03"


def test_negative_amount_is_reported_with_its_row_and_page(tables) -> None:
    table = tables["05"]
    cells = list(table.cells)
    cells[3] = replace(cells[3], value=Decimal("-1.00"))
    reasons = validate_table(replace(table, cells=cells), SPECS["05"])
    assert len(reasons) == 1
    assert "≥ 0" in reasons[0].message and cells[3].line_label in reasons[0].message
    assert reasons[0].page == 15


def test_code_that_is_not_a_code_is_reported(tables) -> None:
    table = tables["02"]
    cells = [replace(c, subject_code="20A06") if c.subject_code == "20106" else c for c in table.cells]
    reasons = validate_table(replace(table, cells=cells), SPECS["02"])
    assert any("subject_code" in r.message for r in reasons)


def test_empty_table_with_its_note_is_valid(tables) -> None:
    assert tables["07"].cells == [] and "无" in tables["07"].empty_note
    assert validate_table(tables["07"], SPECS["07"]) == []


@pytest.mark.parametrize("column", ["subject_code", "line_label", "measure"])
def test_a_text_column_holding_something_else_is_reported(tables, column: str) -> None:
    table = tables["05"]
    cells = list(table.cells)
    cells[2] = replace(cells[2], **{column: 20106})  # type: ignore[arg-type]  # a number where text belongs
    reasons = validate_table(replace(table, cells=cells), SPECS["05"])
    assert any(f"not text' failed on {column}" in r.message for r in reasons), [r.message for r in reasons]
    assert all(r.table_code == "05" for r in reasons)
