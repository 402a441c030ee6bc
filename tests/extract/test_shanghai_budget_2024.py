"""The real Shanghai 2024 部门预算 (万里街道办事处): continuation pages and title wording."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support import realdoc

from normalize.documents import process_document


@pytest.fixture(scope="module")
def items():
    path = realdoc("sh_budget_2024_")
    result = process_document(path, path.name)
    assert result.document.status == "ok", result.document.error
    assert (result.document.doc_kind, result.document.fiscal_year) == ("budget", 2024)
    return result.line_items


def test_shanghai_budget_2024_p15_total_row_on_its_own_page(items) -> None:
    """The 合计 row alone on p.15 merges the code and name columns: 6 columns, not 9."""
    total = {i.measure: i.value_original for i in items if i.table_code == "02" and i.line_label == "合计"}
    assert total["total_income"] == Decimal("156211123")
    assert total["fiscal_appropriation_income"] == Decimal("156211123")
    pages = {i.page for i in items if i.table_code == "02" and i.line_label == "合计"}
    assert pages == {15}


def test_shanghai_budget_2024_totals_equal_sum_of_classes(items) -> None:
    """02 and 03 span four pages; every 类 row is read once, so they add up to 合计."""
    for table, measure in (("02", "total_income"), ("03", "total_expenditure")):
        classes = [
            i.value_original
            for i in items
            if i.table_code == table and i.measure == measure and len(i.subject_code) == 3
        ]
        total = next(
            i.value_original
            for i in items
            if i.table_code == table and i.measure == measure and i.line_label == "合计"
        )
        assert sum(classes) == total


def test_shanghai_budget_2024_p31_sangong_title_with_department_word(items) -> None:
    labels = {i.line_label for i in items if i.table_code == "09"}
    assert labels, "部门“三公”经费和机关运行经费预算表 was not found"


def test_shanghai_budget_2024_p29_kuan_printed_without_leading_zero(items) -> None:
    """p.29 prints `301 | 2 津贴补贴` and `301 | 7 绩效工资`: the codes are 30102 and 30107."""
    codes = {i.line_label: i.subject_code for i in items if i.table_code == "06" and i.page == 29}
    assert codes["津贴补贴"] == "30102" and codes["绩效工资"] == "30107"
