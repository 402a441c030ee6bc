"""Appropriation ties between 01, 02, 04 and 07/08 (issue 9 §2): a pass, a fail and its shape, and the guards."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from checks.document_rules import check_document
from checks.fund_ties import current_income_lines
from checks.view import DocumentView
from core.records import Finding, LineItem

RULES = {"XTABLE_02_04_APPROPRIATION", "XTABLE_01_04_INCOME", "XTABLE_07_08_FUND_EMPTY"}
FIVE = Decimal("5.00")


def _mine(items: list[LineItem]) -> list[Finding]:
    return [f for f in check_document("doc", items) if f.rule_id in RULES]


def _bump(items: list[LineItem], table: str, key: str, measure: str, nth: int = 0) -> list[LineItem]:
    """`items` with the nth cell of (table, line_key, measure) raised by 5."""
    out, seen = [], 0
    for i in items:
        if (i.table_code, i.line_key, i.measure) == (table, key, measure):
            if seen == nth:
                i = replace(i, value_original=i.value_original + FIVE)
            seen += 1
        out.append(i)
    assert seen > nth, (table, key, measure, seen)
    return out


def _shape(f: Finding) -> tuple[object, ...]:
    return (f.rule_id, f.severity, f.table_code, f.subject_code, f.expected, f.actual, f.page)


@pytest.mark.parametrize("fixture", ["jiangxi_items", "culture_items", "shanghai_items"])
def test_consistent_booklets_pass_and_are_compared(fixture: str, request: pytest.FixtureRequest) -> None:
    items: list[LineItem] = request.getfixturevalue(fixture)
    assert _mine(items) == []
    funds, subtotal = current_income_lines(DocumentView("doc", items), "04")
    assert funds and subtotal is not None  # the rule had lines to compare, it did not pass by default


def test_02_appropriation_differs_from_04(shanghai_items: list[LineItem]) -> None:
    items = _bump(shanghai_items, "02", "合计", "fiscal_appropriation_income")
    (finding,) = _mine(items)
    assert _shape(finding) == (
        "XTABLE_02_04_APPROPRIATION", "warning", "02,04", "", Decimal("2940.05"), Decimal("2945.05"), 8
    )
    assert "04 本年收入合计" in finding.message


def test_01_fund_line_differs_from_04(jiangxi_items: list[LineItem]) -> None:
    items = _bump(jiangxi_items, "01", "国有资本经营预算财政拨款收入", "income_amount")
    (finding,) = _mine(items)
    assert _shape(finding) == ("XTABLE_01_04_INCOME", "warning", "01,04", "", Decimal("700.00"), Decimal("705.00"), 4)
    assert "国有资本经营预算财政拨款" in finding.message


def test_04_opening_fund_line_is_not_this_years_income(shanghai_items: list[LineItem]) -> None:
    """04 prints 一、一般公共预算财政拨款 twice: under 本年收入 and under 年初结转和结余; the second is no income."""
    items = _bump(shanghai_items, "04", "一般公共预算财政拨款", "income_amount", nth=1)
    assert _mine(items) == []


def test_one_cent_is_info(shanghai_items: list[LineItem]) -> None:
    items = [
        replace(i, value_original=i.value_original + Decimal("0.01"))
        if (i.table_code, i.line_key, i.measure) == ("02", "合计", "fiscal_appropriation_income") else i
        for i in shanghai_items
    ]
    assert [f.severity for f in _mine(items)] == ["info"]


def _without_state_capital_in_04(items: list[LineItem]) -> list[LineItem]:
    return [
        i for i in items
        if not (i.table_code == "04" and (i.measure == "expenditure_state_capital"
                                           or i.line_key.startswith("国有资本经营")))
    ]


def test_08_with_values_while_04_prints_nothing_for_the_fund(jiangxi_items: list[LineItem]) -> None:
    items = _without_state_capital_in_04(jiangxi_items)
    findings = check_document("doc", items)
    (empty,) = [f for f in findings if f.rule_id == "XTABLE_07_08_FUND_EMPTY"]
    assert _shape(empty) == ("XTABLE_07_08_FUND_EMPTY", "warning", "04,08", "", Decimal("700.00"), Decimal(0), 13)
    assert "国有资本经营预算财政拨款" in empty.message
    # said once: the 04↔08 total comparison leaves it to this rule
    assert not [f for f in findings if f.rule_id == "XTABLE_04_08"]


def test_empty_07_raises_nothing(jiangxi_items: list[LineItem]) -> None:
    """jiangxi prints no 政府性基金 anywhere and an empty 07: consistent, nothing to say."""
    assert not [i for i in jiangxi_items if i.table_code == "07"]
    assert not [f for f in check_document("doc", jiangxi_items) if f.rule_id == "XTABLE_07_08_FUND_EMPTY"]
