"""The real Jiangsu 2017 人大办公厅 budget: its 收支预算总表 runs over pages 7–9."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support import realdoc

from normalize.documents import process_document


@pytest.fixture(scope="module")
def summary_rows():
    path = realdoc("js_budget_江苏省人大办公厅_江苏省人大办公厅2017年度预算公开")
    result = process_document(path, path.name)
    assert result.document.status == "ok", result.document.error
    return {(i.line_label, i.measure): (i.value_original, i.page) for i in result.line_items if i.table_code == "01"}


def test_jiangsu_2017_p8_cell_cut_by_the_page_break_is_joined(summary_rows) -> None:
    """p.7 ends with `八、社会保障和就`; p.8 starts with `业支出` in the same column."""
    assert summary_rows[("八、社会保障和就业支出", "expenditure_amount")] == (Decimal("1608.51"), 7)
    assert not any(label.endswith("和就") for label, _ in summary_rows)


def test_jiangsu_2017_p9_rows_with_merged_columns_continue_the_table(summary_rows) -> None:
    """p.9's grid has 4 columns where pp.7–8 have 6; its totals still belong to the table."""
    assert summary_rows[("收入合计", "income_amount")] == (Decimal("13649.07"), 9)
    assert summary_rows[("支出合计", "expenditure_by_use_amount")] == (Decimal("13649.07"), 9)
    # a genuine empty row at the top of p.9 is not glued to the row above
    assert ("当年支出小计", "expenditure_by_use_amount") in summary_rows
