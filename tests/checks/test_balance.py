"""Balance identities of the 决算 summary tables (BALANCE_01_INCOME, BALANCE_01_EXPENDITURE, BALANCE_04_FUND,
BALANCE_07_08_ROW): real extracted booklets (samples/pdfs, the real Shanghai 2024 决算) pass; one changed cell
fails with the right rule, table, code and page.

Stands for every 决算 booklet printing the national 01/04/07/08 layout (lines keyed by line_key).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from checks.document_rules import check_document
from core.records import Finding, LineItem

RULES = ("BALANCE_01_INCOME", "BALANCE_01_EXPENDITURE", "BALANCE_04_FUND", "BALANCE_07_08_ROW")


def _balance(items: list[LineItem]) -> list[Finding]:
    return [f for f in check_document("doc", items) if f.rule_id in RULES]


def _set(items: list[LineItem], table: str, key: str, measure: str, value: str, nth: int = 0) -> list[LineItem]:
    """The items with one cell (table, line_key, measure; the nth such) printed as `value`."""
    hits = [i for i in items if (i.table_code, i.line_key, i.measure) == (table, key, measure)]
    target = hits[nth]
    return [replace(i, value_original=Decimal(value)) if i is target else i for i in items]


def _shape(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.rule_id, f.severity, f.table_code, f.subject_code, f.expected, f.actual, f.difference, f.page)
            for f in findings]


@pytest.mark.parametrize(
    "name", ["jiangxi_trade_unions_2024.pdf", "synthetic_culture_bureau_2023.pdf", "synthetic_water_bureau_2024.pdf"]
)
def test_consistent_samples_pass(name: str, sample_items: dict[str, list[LineItem]]) -> None:
    assert _balance(sample_items[name]) == []


def test_shanghai_2024_final_passes(shanghai_items: list[LineItem]) -> None:
    assert _balance(shanghai_items) == []


def test_01_income_total_beyond_tolerance_is_an_error(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "01", "年初结转和结余", "income_amount", "106.00")  # printed 105.00
    assert _shape(_balance(items)) == [
        ("BALANCE_01_INCOME", "error", "01", "", Decimal("7779.30"), Decimal("7778.30"), Decimal("-1.00"), 4)
    ]


def test_01_income_within_tolerance_is_info(shanghai_items: list[LineItem]) -> None:
    items = _set(shanghai_items, "01", "年初结转和结余", "income_amount", "49.15")  # printed 49.14: 尾数误差
    assert _shape(_balance(items)) == [
        ("BALANCE_01_INCOME", "info", "01", "", Decimal("2995.40"), Decimal("2995.39"), Decimal("-0.01"), 7)
    ]


def test_01_expenditure_total_beyond_tolerance_is_an_error(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "01", "年末结转和结余", "expenditure_amount", "36.00")  # printed 35.00
    assert _shape(_balance(items)) == [
        ("BALANCE_01_EXPENDITURE", "error", "01", "", Decimal("7779.30"), Decimal("7778.30"), Decimal("-1.00"), 4)
    ]


def test_01_side_with_an_unknown_line_is_not_checked(culture_items: list[LineItem]) -> None:
    """False-alarm guard: a line the rule does not know (another template's) may or may not add to 总计."""
    items = _set(culture_items, "01", "年初结转和结余", "income_amount", "106.00")
    items = [replace(i, line_key="某未知收入项目", line_label="某未知收入项目")
             if (i.table_code, i.line_key) == ("01", "使用非财政拨款结余(含专用结余)") else i for i in items]
    assert [f.rule_id for f in _balance(items)] == []


def test_04_fund_closing_balance_is_an_error(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "04", "年末财政拨款结转和结余", "expenditure_government_fund", "16.00")
    assert _shape(_balance(items)) == [
        ("BALANCE_04_FUND", "error", "04", "", Decimal("15.00"), Decimal("16.00"), Decimal("1.00"), 12)
    ]
    assert "政府性基金预算财政拨款" in _balance(items)[0].message


def test_shanghai_04_opening_fund_line_is_an_error(shanghai_items: list[LineItem]) -> None:
    # the second 一般公共预算财政拨款 line is the fund's 年初 line (under 年初财政拨款结转和结余)
    items = _set(shanghai_items, "04", "一般公共预算财政拨款", "income_amount", "20.63", nth=1)
    assert _shape(_balance(items)) == [
        ("BALANCE_04_FUND", "error", "04", "", Decimal("20.63"), Decimal("21.63"), Decimal("1.00"), 13)
    ]


def test_04_opening_without_fund_lines_is_not_checked(culture_items: list[LineItem]) -> None:
    """False-alarm guard: a 年初 total printed without its per-fund lines cannot be attributed to a fund."""
    items = [i for i in culture_items if not (i.table_code == "04" and i.row_index in (6, 7, 8))]
    items = _set(items, "04", "年末财政拨款结转和结余", "expenditure_government_fund", "16.00")
    assert [f.rule_id for f in _balance(items)] == []


def test_07_row_balance_is_an_error(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "07", "207", "closing_balance", "14.00")  # printed 15.00
    assert _shape(_balance(items)) == [
        ("BALANCE_07_08_ROW", "error", "07", "207", Decimal("15.00"), Decimal("14.00"), Decimal("-1.00"), 17)
    ]


def test_expenditure_only_08_is_not_checked(jiangxi_items: list[LineItem]) -> None:
    """False-alarm guard: the seed prints 08 as 国有资本经营预算财政拨款支出决算表 (no balance columns)."""
    assert any(i.table_code == "08" and i.measure == "current_expenditure" for i in jiangxi_items)
    assert _balance(jiangxi_items) == []


def test_finding_shape(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "07", "207", "closing_balance", "14.00")
    items = _set(items, "01", "年初结转和结余", "income_amount", "106.00")
    findings = _balance(items)
    assert {f.rule_id for f in findings} == {"BALANCE_01_INCOME", "BALANCE_07_08_ROW"}
    for f in findings:
        assert f.doc_id == "doc" and f.category == "arithmetic"
        assert isinstance(f.expected, Decimal) and isinstance(f.actual, Decimal)
        assert f.difference == f.actual - f.expected != 0
        assert isinstance(f.page, int) and "年" in f.message and " / " in f.message
