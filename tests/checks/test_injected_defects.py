"""One injected defect per rule on the seed sample (江西省总工会 2024): the exact findings it causes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from checks.document_rules import check_document
from core.records import Finding, LineItem

FIVE = Decimal("5.00")


def bump(items: list[LineItem], table: str, code: str, measure: str, label: str = "", delta: Decimal = FIVE) -> list[LineItem]:
    """A copy of `items` with one cell changed by `delta`."""
    out, hits = [], 0
    for i in items:
        if (i.table_code, i.subject_code, i.measure) == (table, code, measure) and (not label or i.line_label == label):
            hits += 1
            i = dataclasses.replace(i, value_original=i.value_original + delta)
        out.append(i)
    assert hits == 1, f"{table} {code} {label} {measure}: {hits} cells"
    return out


def cell(items: list[LineItem], table: str, code: str, measure: str, label: str = "") -> Decimal:
    (v,) = [i.value_original for i in items if (i.table_code, i.subject_code, i.measure) == (table, code, measure)
            and (not label or i.line_label == label)]
    return v


def keyed(findings: list[Finding]) -> set[tuple[str, str, str, str, Decimal, Decimal]]:
    return {(f.rule_id, f.table_code, f.subject_code, f.severity, f.expected, f.actual) for f in findings}  # type: ignore[misc]


def test_arith_parent_sum_03_xiang(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "03", "2012901", "total_expenditure")
    new = cell(items, "03", "2012901", "total_expenditure")
    kuan = cell(items, "03", "20129", "total_expenditure")
    sibling = cell(items, "03", "2012999", "total_expenditure")
    basic = cell(items, "03", "2012901", "basic_expenditure")
    assert keyed(check_document("jx", items)) == {
        ("ARITH_PARENT_SUM", "03", "20129", "error", new + sibling, kuan),
        ("ARITH_ROW_TOTAL", "03", "2012901", "error", basic, new),
    }


def test_arith_row_total_05_project(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "05", "2012999", "project_expenditure")
    total = cell(items, "05", "2012999", "total_expenditure")
    basic = cell(items, "05", "2012999", "basic_expenditure")
    project = cell(items, "05", "2012999", "project_expenditure")
    findings = check_document("jx", items)
    assert keyed(findings) == {
        ("ARITH_ROW_TOTAL", "05", "2012999", "error", basic + project, total),
        ("ARITH_PARENT_SUM", "05", "20129", "error", project, cell(items, "05", "20129", "project_expenditure")),
    }
    row_total = next(f for f in findings if f.rule_id == "ARITH_ROW_TOTAL")
    assert row_total.difference == -FIVE and row_total.page == 9


def test_summary_balance_01(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "01", "", "expenditure_amount", "总计")
    income = cell(items, "01", "", "income_amount", "总计")
    assert keyed(check_document("jx", items)) == {
        ("SUMMARY_BALANCE", "01", "", "error", income, income + FIVE),
        ("BALANCE_01_EXPENDITURE", "01", "", "error", income, income + FIVE),  # 总计 ≠ 本年支出合计 + …
    }


def test_xtable_01_02(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "01", "", "income_amount", "本年收入合计")
    in_02 = cell(items, "02", "", "total_income", "合计")
    assert keyed(check_document("jx", items)) == {
        ("XTABLE_01_02", "01,02", "", "warning", in_02, in_02 + FIVE),
        ("BALANCE_01_INCOME", "01", "", "error", in_02 + FIVE, in_02),  # 总计 ≠ 本年收入合计 + …
    }


def test_xtable_01_03_class_line(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "01", "208", "expenditure_amount", "八、社会保障和就业支出")
    in_03 = cell(items, "03", "208", "total_expenditure")
    findings = check_document("jx", items)
    assert keyed(findings) == {("XTABLE_01_03", "01,03", "208", "warning", in_03, in_03 + FIVE)}
    assert findings[0].page == 4 and "社会保障和就业支出" in findings[0].message


def test_xtable_04_05_total(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "05", "", "total_expenditure", "合计")
    in_04 = cell(items, "04", "", "expenditure_general_budget", "本年支出合计")
    classes = sum((cell(items, "05", c, "total_expenditure") for c in ("201", "208", "210")), Decimal(0))
    parts = cell(items, "05", "", "basic_expenditure", "合计") + cell(items, "05", "", "project_expenditure", "合计")
    assert keyed(check_document("jx", items)) == {
        ("XTABLE_04_05", "04,05", "", "warning", in_04 + FIVE, in_04),
        ("ARITH_PARENT_SUM", "05", "", "error", classes, in_04 + FIVE),
        ("ARITH_ROW_TOTAL", "05", "", "error", parts, in_04 + FIVE),
    }


def test_xtable_04_08(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "04", "", "expenditure_state_capital", "本年支出合计")
    in_08 = cell(items, "08", "", "current_expenditure", "合计")
    general = cell(items, "04", "", "expenditure_general_budget", "本年支出合计")
    total = cell(items, "04", "", "expenditure_total", "本年支出合计")
    assert keyed(check_document("jx", items)) == {
        ("XTABLE_04_08", "04,08", "", "warning", in_08, in_08 + FIVE),
        ("ARITH_ROW_TOTAL", "04", "", "error", general + in_08 + FIVE, total),
        ("BALANCE_04_FUND", "04", "", "error", -FIVE, Decimal(0)),  # 700 income − 705 spent ≠ 年末 (blank)
        ("BALANCE_04_SIDES", "04", "", "error", in_08 + FIVE, in_08),  # the column's 总计 ≠ 本年支出合计 + 年末
    }


def test_xtable_04_07(culture_items: list[LineItem]) -> None:
    items = bump(culture_items, "07", "", "current_expenditure", "合计")
    in_04 = cell(items, "04", "", "expenditure_government_fund", "本年支出合计")
    findings = check_document("culture", items)
    assert ("XTABLE_04_07", "04,07", "", "warning", in_04 + FIVE, in_04) in keyed(findings)
    assert ("ARITH_ROW_TOTAL", "07", "", "error", in_04, in_04 + FIVE) in keyed(findings)
    assert {f.severity for f in findings} <= {"error", "warning"}
    assert {f.rule_id for f in findings} <= {"XTABLE_04_07", "ARITH_ROW_TOTAL", "ARITH_PARENT_SUM", "BALANCE_07_08_ROW"}


def test_xtable_05_06(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "06", "", "amount", "人员经费合计")
    personnel = cell(items, "06", "", "amount", "人员经费合计")
    public = cell(items, "06", "", "amount", "公用经费合计")
    basic = cell(items, "05", "", "basic_expenditure", "合计")
    classes = cell(items, "06", "301", "amount") + cell(items, "06", "303", "amount")
    assert keyed(check_document("jx", items)) == {
        ("XTABLE_05_06", "05,06", "", "warning", personnel + public, basic),
        ("ARITH_PARENT_SUM", "06", "", "error", classes, personnel),
    }


def test_one_cent_is_a_rounding_note(jiangxi_items: list[LineItem]) -> None:
    items = bump(jiangxi_items, "06", "30103", "amount", delta=Decimal("0.01"))
    findings = check_document("jx", items)
    assert keyed(findings) == {
        ("ARITH_PARENT_SUM", "06", "301", "info", cell(jiangxi_items, "06", "301", "amount") + Decimal("0.01"),
         cell(items, "06", "301", "amount")),
    }


@pytest.mark.parametrize(("delta", "level"), [(Decimal("1"), "info"), (Decimal("-1"), "info"), (Decimal("-50"), "error")])
def test_whole_yuan_document_rounds_to_one_yuan_per_term(
    jiangxi_items: list[LineItem], delta: Decimal, level: str
) -> None:
    """301 = Σ 301xx, 1 元 of rounding per child: 1 元 off is a note (info), 50 元 an error."""
    children = {i.subject_code for i in jiangxi_items if i.table_code == "06" and i.subject_code.startswith("301")}
    assert 1 < len(children) - 1 < 50
    yuan = [dataclasses.replace(i, value_original=i.value_original * 10000, unit_original="元")
            for i in jiangxi_items if i.unit_original == "万元"]
    yuan = [dataclasses.replace(i, value_original=i.value_original.quantize(Decimal(1))) for i in yuan]
    assert check_document("jx", yuan) == []
    findings = check_document("jx", bump(yuan, "06", "30103", "amount", delta=delta))
    assert [(f.rule_id, f.table_code, f.subject_code, f.severity, f.difference) for f in findings] == [
        ("ARITH_PARENT_SUM", "06", "301", level, -delta)
    ]
