"""上海市普陀区财政局 2024 部门决算: the rounding disagreements printed in the real document.

Expectations are recomputed here from the printed values (the 类/款 rows), not copied
from the checker's output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from checks.document_rules import check_document
from core.records import Finding, LineItem

pytestmark = pytest.mark.realdocs


@pytest.fixture(scope="module")
def findings(shanghai_items: list[LineItem]) -> list[Finding]:
    return check_document("sh_putuo_finance_2024", shanghai_items)


def value(items: list[LineItem], table: str, code: str, measure: str, label: str = "") -> Decimal:
    (item,) = [
        i for i in items
        if i.table_code == table and i.subject_code == code and i.measure == measure
        and (not label or i.line_label == label)
    ]
    return item.value_original


def children_sum(items: list[LineItem], table: str, parent: str, length: int, measure: str) -> Decimal:
    return sum(
        (i.value_original for i in items
         if i.table_code == table and i.measure == measure and len(i.subject_code) == length
         and i.subject_code.startswith(parent)),
        Decimal(0),
    )


def one(findings: list[Finding], rule_id: str, table: str, code: str, actual: Decimal) -> Finding:
    matches = [f for f in findings if (f.rule_id, f.table_code, f.subject_code, f.actual) == (rule_id, table, code, actual)]
    assert len(matches) == 1, matches
    return matches[0]


def test_no_error_or_warning_only_rounding(findings: list[Finding]) -> None:
    assert findings
    assert {f.severity for f in findings} == {"info"}


@pytest.mark.parametrize(
    ("table", "measure"),
    [("02", "total_income"), ("02", "fiscal_appropriation_income"),
     ("03", "total_expenditure"), ("03", "basic_expenditure"),
     ("05", "total_expenditure"), ("05", "basic_expenditure")],
)
def test_total_row_differs_from_sum_of_classes_by_one_cent(
    findings: list[Finding], shanghai_items: list[LineItem], table: str, measure: str
) -> None:
    actual = value(shanghai_items, table, "", measure, "合计")
    expected = children_sum(shanghai_items, table, "", 3, measure)
    assert expected - actual == Decimal("0.01")
    f = one(findings, "ARITH_PARENT_SUM", table, "", actual)
    assert (f.expected, f.difference, f.severity) == (expected, actual - expected, "info")
    assert f.page == {"02": 8, "03": 10, "05": 15}[table]


def test_printed_totals_are_the_reported_ones(findings: list[Finding]) -> None:
    got = {(f.table_code, f.actual, f.expected) for f in findings if f.rule_id == "ARITH_PARENT_SUM" and not f.subject_code}
    assert ("02", Decimal("2946.25"), Decimal("2946.26")) in got
    assert ("02", Decimal("2940.05"), Decimal("2940.06")) in got
    assert ("03", Decimal("2940.05"), Decimal("2940.06")) in got
    assert ("03", Decimal("2336.91"), Decimal("2336.92")) in got
    assert ("05", Decimal("2940.05"), Decimal("2940.06")) in got
    assert ("05", Decimal("2336.91"), Decimal("2336.92")) in got


@pytest.mark.parametrize(("code", "printed", "summed", "terms"), [("301", "2082.85", "2082.86", 8), ("302", "171.07", "171.09", 12)])
def test_06_class_differs_from_sum_of_sections(
    findings: list[Finding], shanghai_items: list[LineItem], code: str, printed: str, summed: str, terms: int
) -> None:
    sections = [i for i in shanghai_items if i.table_code == "06" and len(i.subject_code) == 5 and i.subject_code.startswith(code)]
    assert len(sections) == terms
    expected = sum((i.value_original for i in sections), Decimal(0))
    assert expected == Decimal(summed)
    f = one(findings, "ARITH_PARENT_SUM", "06", code, Decimal(printed))
    assert f.expected == expected and f.difference == Decimal(printed) - expected
    # 0.02 over 12 terms is within 0.01 per term: a rounding note, not an error
    assert f.severity == "info" and f.page == 16


def test_06_totals_hold_personnel_301_303_public_302_310(shanghai_items: list[LineItem], findings: list[Finding]) -> None:
    personnel = value(shanghai_items, "06", "", "amount", "人员经费合计")
    public = value(shanghai_items, "06", "", "amount", "公用经费合计")
    assert personnel == value(shanghai_items, "06", "301", "amount") + value(shanghai_items, "06", "303", "amount")
    assert public == value(shanghai_items, "06", "302", "amount") + value(shanghai_items, "06", "310", "amount")
    assert not [f for f in findings if f.table_code == "06" and not f.subject_code]
    assert not [f for f in findings if f.rule_id == "XTABLE_05_06"]


def test_01_and_04_print_208_one_cent_below_03_and_05(findings: list[Finding], shanghai_items: list[LineItem]) -> None:
    in_01 = value(shanghai_items, "01", "208", "expenditure_amount", "八、社会保障和就业支出")
    in_03 = value(shanghai_items, "03", "208", "total_expenditure")
    assert (in_01, in_03) == (Decimal("326.71"), Decimal("326.72"))
    f = one(findings, "XTABLE_01_03", "01,03", "208", in_01)
    # a single term: tolerance 0.01, and the difference is exactly 0.01 → info
    assert (f.expected, f.difference, f.severity, f.page) == (in_03, Decimal("-0.01"), "info", 6)
    in_04 = value(shanghai_items, "04", "208", "expenditure_general_budget", "八、社会保障和就业支出")
    in_05 = value(shanghai_items, "05", "208", "total_expenditure")
    g = one(findings, "XTABLE_04_05", "04,05", "208", in_04)
    assert (g.expected, g.difference, g.severity, g.page) == (in_05, Decimal("-0.01"), "info", 12)


def test_exactly_the_known_disagreements(findings: list[Finding]) -> None:
    assert sorted((f.rule_id, f.table_code, f.subject_code) for f in findings) == sorted([
        ("ARITH_PARENT_SUM", "02", ""), ("ARITH_PARENT_SUM", "02", ""),
        ("ARITH_PARENT_SUM", "03", ""), ("ARITH_PARENT_SUM", "03", ""),
        ("ARITH_PARENT_SUM", "05", ""), ("ARITH_PARENT_SUM", "05", ""),
        ("ARITH_PARENT_SUM", "06", "301"), ("ARITH_PARENT_SUM", "06", "302"),
        ("XTABLE_01_03", "01,03", "208"), ("XTABLE_04_05", "04,05", "208"),
    ])
    assert "02 合计 本年收入合计 2946.25 ≠ Σ类 2946.26" in "\n".join(f.message for f in findings)
