"""BALANCE_04_SIDES: each side of 04 reaches its 总计 — 本年收入合计 + 年初财政拨款结转和结余 (its per-fund lines
are its parts) on the income side, 本年支出合计 + 年末财政拨款结转和结余 in every expenditure column.

Stands for every 决算 booklet printing the national 04 layout (lines keyed by line_key); learned on the culture
sample (年初 with one fund line) and the real Shanghai 2024 决算 (年初 21.63 with its fund line).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from checks.document_rules import check_document
from core.records import Finding, LineItem

RULE = "BALANCE_04_SIDES"


def _sides(items: list[LineItem]) -> list[Finding]:
    return [f for f in check_document("doc", items) if f.rule_id == RULE]


def _set(items: list[LineItem], key: str, measure: str, value: str) -> list[LineItem]:
    [target] = [i for i in items if (i.table_code, i.line_key, i.measure) == ("04", key, measure)]
    return [replace(i, value_original=Decimal(value)) if i is target else i for i in items]


def _shape(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.rule_id, f.severity, f.table_code, f.expected, f.actual, f.difference, f.page) for f in findings]


@pytest.mark.parametrize(
    "name", ["jiangxi_trade_unions_2024.pdf", "synthetic_culture_bureau_2023.pdf", "synthetic_water_bureau_2024.pdf"]
)
def test_consistent_samples_pass(name: str, sample_items: dict[str, list[LineItem]]) -> None:
    assert _sides(sample_items[name]) == []


def test_shanghai_2024_final_passes(shanghai_items: list[LineItem]) -> None:
    assert _sides(shanghai_items) == []


def test_income_side_beyond_tolerance_is_an_error(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "本年收入合计", "income_amount", "7584.55")  # printed 7574.55
    assert _shape(_sides(items)) == [
        (RULE, "error", "04", Decimal("7629.55"), Decimal("7619.55"), Decimal("-10.00"), 12)
    ]
    assert "年初财政拨款结转和结余" in _sides(items)[0].message


def test_expenditure_fund_column_is_checked(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "年末财政拨款结转和结余", "expenditure_government_fund", "16.00")  # printed 15.00
    [finding] = _sides(items)
    assert (finding.severity, finding.expected, finding.actual, finding.page) == (
        "error", Decimal("324.00"), Decimal("323.00"), 12
    )
    assert "政府性基金" in finding.message


def test_rounding_difference_is_info(culture_items: list[LineItem]) -> None:
    items = _set(culture_items, "总计", "income_amount", "7619.56")
    assert [f.severity for f in _sides(items)] == ["info"]


def test_per_fund_lines_are_parts_of_the_carry_over_not_terms(shanghai_items: list[LineItem]) -> None:
    fund_lines = [i for i in shanghai_items if i.table_code == "04" and i.line_key == "一般公共预算财政拨款"]
    assert len(fund_lines) == 2  # this year's income, and 年初's part: summed once, as 年初
    assert _sides(shanghai_items) == []


def test_fund_lines_without_their_carry_over_line_are_not_checked(culture_items: list[LineItem]) -> None:
    items = [i for i in culture_items if not (i.table_code == "04" and i.line_key == "年初财政拨款结转和结余")]
    assert _sides(items) == []  # 年初's fund line is printed, its total not read


def test_unknown_line_is_not_checked(culture_items: list[LineItem]) -> None:
    [subtotal] = [i for i in culture_items if (i.table_code, i.line_key, i.measure) == ("04", "本年收入合计",
                                                                                     "income_amount")]
    extra = replace(subtotal, row_index=6, line_label="使用其他资金", line_key="使用其他资金", value_original=Decimal(3))
    items = [*culture_items, extra]  # an unknown line between 本年收入合计 and 总计
    assert _sides(items) == []
