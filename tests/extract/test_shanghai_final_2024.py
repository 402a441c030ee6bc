"""The real Shanghai 2024 决算 (普陀区财政局): every numeric cell against hand-made ground truth."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support import GROUND_TRUTH, accuracy, realdoc

from normalize.documents import process_document


@pytest.fixture(scope="module")
def result():
    path = realdoc("sh_final_2024_")
    return process_document(path, path.name)


def test_every_cell_matches_ground_truth(result) -> None:
    acc = accuracy(GROUND_TRUTH / "sh_final_2024_putuo_finance.csv", result.line_items)
    assert acc.recall == 1.0 and acc.precision == 1.0, acc.report()
    assert len(acc.actual) == len(set(acc.actual)), "a cell was extracted twice"


def test_identity_read_from_the_document(result) -> None:
    doc = result.document
    assert doc.status == "ok", doc.error
    assert (doc.department, doc.fiscal_year, doc.doc_kind) == ("上海市普陀区财政局", 2024, "final_account")
    assert doc.pages == 25


def test_nine_table_set_is_complete_and_every_amount_read(result) -> None:
    """Shanghai prints the national nine tables; 10 (国有资产) is not expected, so nothing is missing."""
    assert result.document.tables_absent == ""
    assert set(result.document.tables_found.split(",")) == {f"0{i}" for i in range(1, 10)}
    # 07 and 08 are printed empty (no 政府性基金 / 国有资本经营 money): `empty`, the rest read
    expected = {f"0{i}": "read" for i in range(1, 10)} | {"07": "empty", "08": "empty"}
    assert {t.table_code: t.status for t in result.tables} == expected
    assert result.document.amounts_printed == result.document.amounts_read == 195
    assert all(t.listed_in_contents == "true" for t in result.tables)


def test_shanghai_2024_p8_split_codes_are_joined(result) -> None:
    rows = {(i.subject_code, i.code_source) for i in result.line_items if i.table_code == "02" and i.page == 8}
    assert ("2010601", "joined") in rows and ("201", "printed") in rows


def test_amounts_converted_from_wanyuan_exactly(result) -> None:
    total = next(
        i for i in result.line_items if i.table_code == "01" and i.line_label == "总计" and i.measure == "income_amount"
    )
    assert total.value_original == Decimal("2995.39")
    assert total.amount_yuan == Decimal("29953900.00")
    assert total.unit_original == "万元"
    assert all(isinstance(i.amount_yuan, Decimal) for i in result.line_items)


def test_shanghai_2024_p18_wide_sangong_table(result) -> None:
    cells = {(i.line_label, i.measure) for i in result.line_items if i.table_code == "09"}
    assert cells == {("合计", "budget"), ("公务接待费", "budget")}
