"""The 部门预算 / 单位预算 rules (issue 9 §3): BUDGET_SUMMARY_BALANCE, BUDGET_EXPENDITURE_SPLIT, BUDGET_BASIC_SPLIT,
BUDGET_04_EQUALS_05_07_08, BUDGET_06_EQUALS_05_BASIC, and SANGONG_SUM on budgets.

Real budget booklets (../shared/realdocs) pass; one changed cell (dataclasses.replace) fails with the right
rule, table, code, severity, figures and page; and the ties that hold only for some departments (01 = 04,
03 = 05), a table that is not printed, 会议费/培训费 beside the 三公 items, and the Jiangsu 07 printed empty
are never reported.

Stands for: Jiangsu 2017–2019 部门预算 (01/04 closing on 收入合计 / 支出合计, 03 one 合计 row with 单位预留机动经费,
05 one amount column, no 08, 三公 table with 会议费 and 培训费, amounts in 万元) and Shanghai 2023–2025
部门预算 / 单位预算 (04 per-fund columns, 07/08 printed empty with their note, 06 人员经费/公用经费 columns,
单位预算 01 split into 人员经费/公用经费/项目支出, amounts in 元, 三公 table in 万元).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import realdoc_result

from checks.document_rules import check_document
from checks.sangong import line_role, table_sums
from core.records import Finding, LineItem
from flows.content import document_findings
from normalize.documents import DocumentResult

RULES = {
    "BUDGET_SUMMARY_BALANCE",
    "BUDGET_EXPENDITURE_SPLIT",
    "BUDGET_BASIC_SPLIT",
    "BUDGET_04_EQUALS_05_07_08",
    "BUDGET_06_EQUALS_05_BASIC",
    "SANGONG_SUM",
}
JIANGSU = "js_budget_2017_江苏省人民检察院_部门预算"  # 万元; 07 printed empty; no 08
SHANGHAI_UNIT = "sh_budget_2025_普陀区人民政府办公室_单位预算"  # 元 with decimals; 01 split; 07/08 empty
SHANGHAI_2023 = "sh_budget_2023_普陀区万里街道办事处"  # whole 元; 三公 vehicle parts 购置费 / 运行费
REAL = [
    JIANGSU,
    "js_budget_2018_江苏省人民检察院",
    "js_budget_2019_江苏省高级人民法院",
    SHANGHAI_UNIT,
    SHANGHAI_2023,
    "sh_budget_2024_",
    "sh_budget_2025_普陀区商务委员会_单位预算",
    "sh_budget_2025_普陀区财政局",
]

_result = realdoc_result  # one extraction per session, shared with the other modules


@pytest.fixture(scope="module")
def jiangsu() -> DocumentResult:
    return _result(JIANGSU)


@pytest.fixture(scope="module")
def shanghai_unit() -> DocumentResult:
    return _result(SHANGHAI_UNIT)


@pytest.fixture(scope="module")
def shanghai_2023() -> DocumentResult:
    return _result(SHANGHAI_2023)


def _findings(result: DocumentResult, items: list[LineItem] | None = None,
              empty_tables: set[str] | None = None) -> list[Finding]:
    findings = check_document(
        result.document.doc_id,
        result.line_items if items is None else items,
        "budget",
        printed_empty=result.table_notes if empty_tables is None else empty_tables,
    )
    return [f for f in findings if f.rule_id in RULES]


def _shape(findings: list[Finding]) -> set[tuple[object, ...]]:
    return {(f.rule_id, f.table_code, f.subject_code, f.severity, f.expected, f.actual, f.page) for f in findings}


def _set(items: list[LineItem], table: str, key: str, measure: str, value: str) -> list[LineItem]:
    """The items with one cell (table, line_key, measure) printed as `value` (document unit)."""
    hits = [i for i in items if (i.table_code, i.line_key, i.measure) == (table, key, measure)]
    assert len(hits) == 1, (table, key, measure, hits)
    target = hits[0]
    factor = target.amount_yuan / target.value_original if target.amount_yuan and target.value_original else Decimal(1)
    new = replace(target, value_original=Decimal(value), amount_yuan=Decimal(value) * factor)
    return [new if i is target else i for i in items]


def _cell(items: list[LineItem], table: str, key: str, measure: str) -> Decimal:
    (value,) = [i.value_original for i in items if (i.table_code, i.line_key, i.measure) == (table, key, measure)]
    return value


# --- pass: every real budget booklet is consistent ------------------------------------------------------------


@pytest.mark.parametrize("prefix", REAL)
def test_real_budgets_raise_nothing(prefix: str) -> None:
    result = _result(prefix)
    assert result.document.doc_kind == "budget"
    assert _findings(result) == []


# --- BUDGET_SUMMARY_BALANCE ------------------------------------------------------------------------------


def test_summary_balance_jiangsu_01_fails(jiangsu: DocumentResult) -> None:
    items = _set(jiangsu.line_items, "01", "支出合计", "expenditure_by_use_amount", "18001.68")  # printed 17,996.68
    assert _shape(_findings(jiangsu, items)) == {
        ("BUDGET_SUMMARY_BALANCE", "01", "", "error", Decimal("17996.68"), Decimal("18001.68"), 10),
    }


def test_summary_balance_within_rounding_is_info(jiangsu: DocumentResult) -> None:
    items = _set(jiangsu.line_items, "04", "收入合计", "income_amount", "17981.69")  # printed 17,981.68
    (finding,) = _findings(jiangsu, items)
    assert (finding.rule_id, finding.table_code, finding.severity, finding.difference) == (
        "BUDGET_SUMMARY_BALANCE", "04", "info", Decimal("-0.01"))


def test_summary_balance_shanghai_04_output_shape(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "04", "收入总计", "income_amount", "91016785.35")  # +10 元
    (finding,) = _findings(shanghai_unit, items)
    assert finding.doc_id == shanghai_unit.document.doc_id
    assert (finding.rule_id, finding.category, finding.table_code, finding.subject_code, finding.severity) == (
        "BUDGET_SUMMARY_BALANCE", "arithmetic", "04", "", "error")
    assert (finding.expected, finding.actual, finding.difference, finding.page) == (
        Decimal("91016785.35"), Decimal("91016775.35"), Decimal("-10.00"), 13)
    assert "支出总计" in finding.message and "收入总计" in finding.message and "differs from" in finding.message


# --- BUDGET_EXPENDITURE_SPLIT --------------------------------------------------------------------------


def test_expenditure_split_jiangsu_03_counts_the_reserve_fund(jiangsu: DocumentResult) -> None:
    """Jiangsu 03: 合计 = 基本支出 + 项目支出 + 单位预留机动经费 (the spec's columns), its one row has no code."""
    row = next(i for i in jiangsu.line_items if i.table_code == "03" and i.measure == "reserve_fund")
    items = [replace(i, value_original=Decimal("145.20")) if i is row else i for i in jiangsu.line_items]
    assert _shape(_findings(jiangsu, items)) == {
        ("BUDGET_EXPENDITURE_SPLIT", "03", "", "error", Decimal("18001.68"), Decimal("17996.68"), 11),
    }


def test_expenditure_split_shanghai_05_row(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "05", "2010301", "project_expenditure", "110010.00")  # +10 元
    total = _cell(items, "05", "2010301", "total_expenditure")
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_EXPENDITURE_SPLIT", "05", "2010301", "error", total + 10, total, 14),
    }


def test_expenditure_split_04_fund_columns(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "04", "221", "expenditure_total", "3609135.22")  # +10 元
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_EXPENDITURE_SPLIT", "04", "221", "error", Decimal("3609125.22"), Decimal("3609135.22"), 13),
    }


def test_expenditure_split_not_checked_on_a_total_only_table(jiangsu: DocumentResult) -> None:
    """Jiangsu 05 prints one amount column (合计): there is no split to check, whatever it prints."""
    items = _set(jiangsu.line_items, "05", "2040401", "total_expenditure", "7999.99")
    assert [f for f in _findings(jiangsu, items) if f.rule_id == "BUDGET_EXPENDITURE_SPLIT"] == []


# --- BUDGET_BASIC_SPLIT ------------------------------------------------------------------------------------


def test_basic_split_06_row(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "06", "30201", "public_expenditure", "259500.00")  # +100 元
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_BASIC_SPLIT", "06", "30201", "error", Decimal("259500.00"), Decimal("259400.00"), 18),
    }


def test_basic_split_unit_budget_01_line(shanghai_unit: DocumentResult) -> None:
    """单位预算 01: each expenditure line's 合计 = 人员经费 + 公用经费 + 项目支出."""
    items = _set(shanghai_unit.line_items, "01", "201", "expenditure_project", "66400000.00")  # −10,000 元
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_BASIC_SPLIT", "01", "201", "error", Decimal("82086797.42"), Decimal("82096797.42"), 8),
    }


def test_basic_split_not_checked_without_the_split_columns(jiangsu: DocumentResult) -> None:
    """Jiangsu 06 prints one amount column; its 01 prints 基本支出 as a line, not as columns."""
    items = _set(jiangsu.line_items, "06", "301", "amount", "5000.00")
    assert [f for f in _findings(jiangsu, items) if f.rule_id == "BUDGET_BASIC_SPLIT"] == []


# --- BUDGET_04_EQUALS_05_07_08 --------------------------------------------------------------------------------


def test_04_general_column_equals_05(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "05", "合计", "total_expenditure", "91016785.35")  # +10 元
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_04_EQUALS_05_07_08", "04,05", "", "warning", Decimal("91016785.35"), Decimal("91016775.35"), 13),
        ("BUDGET_EXPENDITURE_SPLIT", "05", "", "error", Decimal("91016775.35"), Decimal("91016785.35"), 15),
    }


def _with_04_fund_cell(items: list[LineItem], measure: str, value: str) -> list[LineItem]:
    """04 支出总计 printing `value` in a fund column it leaves blank, and its 合计 raised to match."""
    general = next(i for i in items if (i.table_code, i.line_key, i.measure) == ("04", "支出总计",
                                                                                 "expenditure_general_budget"))
    extra = replace(general, measure=measure, value_original=Decimal(value), amount_yuan=Decimal(value))
    total = _cell(items, "04", "支出总计", "expenditure_total")
    return [*_set(items, "04", "支出总计", "expenditure_total", str(total + Decimal(value))), extra]


def test_04_fund_column_against_a_table_printed_empty(shanghai_unit: DocumentResult) -> None:
    """07 printed empty (with its 空表说明) is 0: a 04 政府性基金 column printing 100 元 disagrees."""
    items = _with_04_fund_cell(shanghai_unit.line_items, "expenditure_government_fund", "100.00")
    findings = _findings(shanghai_unit, items)
    assert ("BUDGET_04_EQUALS_05_07_08", "04,07", "", "warning", Decimal(0), Decimal("100.00"), 13) in _shape(findings)
    assert "空表" in next(f for f in findings if f.table_code == "04,07").message


def test_04_fund_column_against_a_table_not_printed_is_not_checked(shanghai_unit: DocumentResult) -> None:
    """A 07 that is not printed at all is not assumed 0."""
    items = _with_04_fund_cell(shanghai_unit.line_items, "expenditure_government_fund", "100.00")
    not_printed = set(shanghai_unit.table_notes) - {"07"}
    assert not [f for f in _findings(shanghai_unit, items, not_printed) if f.table_code == "04,07"]


def test_04_without_fund_columns_needs_every_detail_table(jiangsu: DocumentResult) -> None:
    """Jiangsu 2017: 04 prints no fund columns and the booklet prints no 08, so 04 支出合计 = 05 + 07 + 08 is
    not checked; were 08 printed empty, 04 支出合计 (17,981.68) would be held to 05 合计 + 07 (empty) + 08 (empty)."""
    items = _set(jiangsu.line_items, "05", "合计", "total_expenditure", "17991.68")  # +10
    assert [f for f in _findings(jiangsu, items) if f.rule_id == "BUDGET_04_EQUALS_05_07_08"] == []
    with_08 = {*jiangsu.table_notes, "08"}
    assert [f for f in _shape(_findings(jiangsu, items, with_08)) if f[0] == "BUDGET_04_EQUALS_05_07_08"] == [
        ("BUDGET_04_EQUALS_05_07_08", "04,05,07,08", "", "warning", Decimal("17991.68"), Decimal("17981.68"), 12),
    ]
    assert _findings(jiangsu, empty_tables=with_08) == []  # as printed, the tie holds


# --- BUDGET_06_EQUALS_05_BASIC ---------------------------------------------------------------------------------


def test_06_equals_05_basic(shanghai_unit: DocumentResult) -> None:
    items = _set(shanghai_unit.line_items, "06", "合计", "amount", "24606785.35")  # +10 元
    assert _shape(_findings(shanghai_unit, items)) == {
        ("BUDGET_06_EQUALS_05_BASIC", "06,05", "", "warning", Decimal("24606775.35"), Decimal("24606785.35"), 19),
        ("BUDGET_BASIC_SPLIT", "06", "", "error", Decimal("24606775.35"), Decimal("24606785.35"), 19),
    }


def test_06_not_tied_to_a_05_without_basic_column(jiangsu: DocumentResult) -> None:
    """Jiangsu 05 prints no 基本支出 column: its 合计 (all of the general budget) is no figure for 06."""
    items = _set(jiangsu.line_items, "06", "合计", "amount", "12318.48")
    assert [f for f in _findings(jiangsu, items) if f.rule_id == "BUDGET_06_EQUALS_05_BASIC"] == []


# --- SANGONG_SUM on budgets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("合计", "grand_total"),  # Jiangsu: 三公 + 会议费 + 培训费
        ("“三公”经费/小计", "total"),
        ("“三公”经费/因公出国（境）费", "abroad"),
        ("“三公”经费/公务用车购置及运行维护费/小计", "vehicle"),
        ("“三公”经费/公务用车购置及运行维护费/公务用车购置费", "purchase"),
        ("“三公”经费/公务用车购置及运行维护费/公务用车运行维护费", "running"),
        ("“三公”经费/公务接待费", "reception"),
        ("会议费", "meeting"),
        ("培训费", "training"),
        ("2023年“三公”经费预算数/合计", "total"),  # Shanghai
        ("2023年“三公”经费预算数/公务用车购置及运行费/小计", "vehicle"),
        ("2023年“三公”经费预算数/公务用车购置及运行费/购置费", "purchase"),
        ("2023年“三公”经费预算数/公务用车购置及运行费/运行费", "running"),
        ("2023年机关运行经费预算数", ""),
        ("机关运行经费预算数", ""),
    ],
)
def test_budget_sangong_line_roles(label: str, role: str) -> None:
    assert line_role(label, table_sums("budget")) == role


def test_sangong_jiangsu_meeting_and_training_are_not_sangong(jiangsu: DocumentResult) -> None:
    """Jiangsu's 合计 (1,452.35) is 三公 584.35 + 会议费 168 + 培训费 700: the 三公 total is the 三公 小计."""
    items = _set(jiangsu.line_items, "09", "三公经费/因公出国(境)费", "budget", "115.00")  # printed 110.00
    assert _shape(_findings(jiangsu, items)) == {
        ("SANGONG_SUM", "09", "", "error", Decimal("589.35"), Decimal("584.35"), 16),
    }


def test_sangong_jiangsu_grand_total(jiangsu: DocumentResult) -> None:
    items = _set(jiangsu.line_items, "09", "培训费", "budget", "701.00")
    assert _shape(_findings(jiangsu, items)) == {
        ("SANGONG_SUM", "09", "", "error", Decimal("1453.35"), Decimal("1452.35"), 16),
    }


def test_sangong_shanghai_vehicle_parts(shanghai_2023: DocumentResult) -> None:
    """Shanghai 2023: 公务用车购置及运行费/小计 = 购置费 + 运行费, in 万元 although the booklet's other tables are in 元."""
    key = "2023年三公经费预算数/公务用车购置及运行费/运行费"
    items = _set(shanghai_2023.line_items, "09", key, "budget", "21.60")  # printed 21.56
    (finding,) = _findings(shanghai_2023, items)
    assert (finding.rule_id, finding.table_code, finding.severity, finding.expected, finding.actual) == (
        "SANGONG_SUM", "09", "error", Decimal("21.60"), Decimal("21.56"))


def test_sangong_running_costs_beside_the_table_never_sum(shanghai_2023: DocumentResult) -> None:
    items = _set(shanghai_2023.line_items, "09", "2023年机关运行经费预算数", "budget", "1.00")
    assert _findings(shanghai_2023, items) == []


# --- guards -------------------------------------------------------------------------------------------


def test_ties_holding_for_some_departments_only_are_not_raised(jiangsu: DocumentResult) -> None:
    """Jiangsu 2017 检察院: 01 收入合计 17,996.68 ≠ 04 17,981.68 (15.00 其他资金) and 03 合计 17,996.68 ≠ 05 合计
    17,981.68: both are as printed and correct, and no rule compares them."""
    items = jiangsu.line_items
    assert _cell(items, "01", "收入合计", "income_amount") != _cell(items, "04", "收入合计", "income_amount")
    assert _cell(items, "03", "", "total_expenditure") != _cell(items, "05", "合计", "total_expenditure")
    findings = check_document(jiangsu.document.doc_id, items, "budget", printed_empty=jiangsu.table_notes)
    tables = [set(f.table_code.split(",")) for f in findings]
    assert not [t for t in tables if {"01", "04"} <= t or {"03", "05"} <= t]


def test_jiangsu_07_printed_empty_without_note_is_reported(jiangsu: DocumentResult) -> None:
    """EMPTY_TABLE_NOTE runs on budgets too (tests/checks/test_empty_table_notes.py): this booklet prints its 07
    empty with no note on the table (its 情况说明 says 本部门无政府性基金预算, which does not count)."""
    assert jiangsu.table_notes == {"07": ""}
    found = [(f.table_code, f.page) for f in document_findings(jiangsu) if f.rule_id == "EMPTY_TABLE_NOTE"]
    assert found == [("07", 13)]
