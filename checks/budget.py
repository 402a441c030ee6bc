"""Identities of the 部门预算 / 单位预算 table set (issue 9 §3; registry rows with doc_kinds `budget`).

    BUDGET_SUMMARY_BALANCE     01 and 04: 收入总计 = 支出总计 (Jiangsu 2017–2019: 收入合计 = 支出合计), in every
                               expenditure column that prints the total (功能分类 / 支出用途 / 合计)
    BUDGET_EXPENDITURE_SPLIT   03/05/07/08 per row: 合计 = the part columns its spec declares (基本支出 + 项目支出
                               + 单位预留机动经费 + 结转下年资金); 04 per row: 合计 = its three fund columns
    BUDGET_BASIC_SPLIT         06 per row: 合计 = 人员经费 + 公用经费; 01 (单位预算, Shanghai 2025) per expenditure
                               line: 合计 = 人员经费 + 公用经费 + 项目支出
    BUDGET_04_EQUALS_05_07_08  04 支出总计 per fund column = 05 / 07 / 08 合计; a 04 without fund columns:
                               its 支出总计 = 05 合计 + 07 合计 + 08 合计
    BUDGET_06_EQUALS_05_BASIC  06 合计 = 05 合计 基本支出

SUMMARY_BALANCE and ARITH_ROW_TOTAL (checks/arithmetic.py) are the 决算 forms: their 总计
lines and column sets are the 决算 template's, so they stay final_account only.

A table that is not printed is not assumed to be 0 (its figures are unknown and a tie
through it is not checked); a table printed empty (`DocumentView.empty_tables`) is 0.
A blank cell in a printed column counts as 0. Not checked, because they hold only for
some departments: 01 = 04 (a department with 其他资金 or 财政专户 income has 01 > 04) and
03 = 05 (03 counts every source, 05 only the general budget).
"""

from __future__ import annotations

from decimal import Decimal

from checks.balance import key
from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row
from core.records import Finding
from schemas.rules import Rule
from schemas.table_specs import SPEC_SET_BY_KIND, load_specs

SUMMARY_TABLES = ("01", "04")
#: the lines that close each side of a summary table, in order of preference (line_key)
INCOME_TOTALS = ("收入总计", "收入合计", "总计")
EXPENDITURE_TOTALS = ("支出总计", "支出合计", "总计")
#: the expenditure columns of 01/04 that print a side total (not its fund or 基本/项目 split columns)
EXPENDITURE_TOTAL_MEASURES = ("expenditure_amount", "expenditure_by_use_amount", "expenditure_total")

#: 04's expenditure columns by fund, and the table that details each fund
FUND_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("05", "expenditure_general_budget", "一般公共预算"),
    ("07", "expenditure_government_fund", "政府性基金预算"),
    ("08", "expenditure_state_capital", "国有资本经营预算"),
)
DETAIL_TOTAL = "total_expenditure"

#: row splits: table → (total measure, part measures); 03/05/07/08's parts are every other measure its spec declares
SPLIT_TABLES = ("03", "05", "07", "08")
BASIC_SPLITS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # table: (total, parts, the parts at least one of which the table must print to be checked)
    "06": ("amount", ("personnel_expenditure", "public_expenditure"), ("personnel_expenditure", "public_expenditure")),
    "01": ("expenditure_amount", ("expenditure_personnel", "expenditure_public", "expenditure_project"),
           ("expenditure_personnel", "expenditure_public")),
}


def _unit(doc: DocumentView, row: Row) -> str:
    return next((i.unit_original for i in row.cells.values() if i.unit_original), doc.unit)


def _line(doc: DocumentView, table: str, keys: tuple[str, ...], measures: tuple[str, ...]) -> Row | None:
    """The first row of `table` whose line_key is the first of `keys` printed, carrying any of `measures`."""
    rows = [r for r in doc.rows(table) if any(m in r.cells for m in measures)]
    for wanted in keys:
        row = next((r for r in rows if key(r) == wanted), None)
        if row is not None:
            return row
    return None


def _prints(doc: DocumentView, table: str, measures: tuple[str, ...]) -> bool:
    return any(m in row.cells for row in doc.rows(table) for m in measures)


def _row_split(doc: DocumentView, rule_row: Rule, table: str, row: Row, total: str,
               parts: tuple[str, ...]) -> Finding | None:
    """A row's total column = the sum of its part columns (a blank cell counts as 0)."""
    part_values = [v for m in parts if (v := row.value(m)) is not None]
    total_item = row.cells.get(total)
    if total_item is None and not part_values:
        return None
    actual = total_item.value_original if total_item else Decimal(0)
    names = [row.cells[m].measure_zh or m for m in parts if m in row.cells]
    return compare(
        doc_id=doc.doc_id,
        rule=rule_row,
        unit=_unit(doc, row),
        table_code=table,
        subject_code=row.subject_code,
        actual=actual,
        expected=sum(part_values, Decimal(0)),
        printed=part_values + ([actual] if total_item else []),
        terms=len(part_values),
        page=total_item.page if total_item else row.page,
        actual_desc=f"{row.describe()} {total_item.measure_zh if total_item else total}",
        expected_desc_zh="＋".join(names),
        expected_desc_en="the sum of " + " + ".join(names),
    )


@rule("BUDGET_SUMMARY_BALANCE")
def summary_balance(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table in SUMMARY_TABLES:
        income = _line(doc, table, INCOME_TOTALS, ("income_amount",))
        spending = _line(doc, table, EXPENDITURE_TOTALS, EXPENDITURE_TOTAL_MEASURES)
        if income is None or spending is None:
            continue
        income_item = income.cells["income_amount"]
        for measure in EXPENDITURE_TOTAL_MEASURES:
            item = spending.cells.get(measure)
            if item is None:
                continue
            finding = compare(
                doc_id=doc.doc_id,
                rule=rule_row,
                unit=_unit(doc, spending),
                table_code=table,
                subject_code="",
                actual=item.value_original,
                expected=income_item.value_original,
                printed=[income_item.value_original, item.value_original],
                terms=1,
                page=item.page,
                actual_desc=f"{table} {key(spending)}（{item.measure_zh or measure}）",
                expected_desc_zh=key(income),
                expected_desc_en=f"the income side's {key(income)}",
            )
            if finding:
                findings.append(finding)
    return findings


@rule("BUDGET_EXPENDITURE_SPLIT")
def expenditure_split(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    specs = {s.code: s for s in load_specs(SPEC_SET_BY_KIND["budget"])}
    splits = [(t, DETAIL_TOTAL, tuple(m for m in specs[t].measures if m != DETAIL_TOTAL)) for t in SPLIT_TABLES]
    splits.append(("04", "expenditure_total", tuple(column for _, column, _ in FUND_COLUMNS)))
    findings: list[Finding] = []
    for table, total, parts in splits:
        if not _prints(doc, table, parts):
            continue  # a table printing its total column alone (Jiangsu 05) has no split to check
        for row in doc.rows(table):
            if finding := _row_split(doc, rule_row, table, row, total, parts):
                findings.append(finding)
    return findings


@rule("BUDGET_BASIC_SPLIT")
def basic_split(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table, (total, parts, gate) in BASIC_SPLITS.items():
        if not _prints(doc, table, gate):
            continue
        for row in doc.rows(table):
            if finding := _row_split(doc, rule_row, table, row, total, parts):
                findings.append(finding)
    return findings


def _detail_total(doc: DocumentView, table: str) -> tuple[Decimal, bool] | None:
    """A detail table's 合计 and whether it is printed (False: the table is printed empty, 0); None: unknown."""
    if table in doc.empty_tables:
        return Decimal(0), False
    total = doc.total_row(table)
    value = total.value(DETAIL_TOTAL) if total is not None else None
    return (value, True) if value is not None else None


@rule("BUDGET_04_EQUALS_05_07_08")
def fund_totals_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    spending = _line(doc, "04", EXPENDITURE_TOTALS, (*EXPENDITURE_TOTAL_MEASURES, *(c for _, c, _ in FUND_COLUMNS)))
    if spending is None:
        return []
    details = {table: _detail_total(doc, table) for table, _, _ in FUND_COLUMNS}
    findings: list[Finding] = []
    if _prints(doc, "04", tuple(c for _, c, _ in FUND_COLUMNS)):
        printed_funds = [v for _, c, _ in FUND_COLUMNS if (v := spending.value(c)) is not None]
        # a blank fund cell is 0 where 04 itself says so: its 合计 is the sum of the fund cells it prints
        blank_is_zero = spending.value("expenditure_total") == sum(printed_funds, Decimal(0))
        for table, column, name in FUND_COLUMNS:
            detail = details[table]
            item = spending.cells.get(column)
            if detail is None or (item is None and not blank_is_zero):
                continue
            actual = item.value_original if item is not None else Decimal(0)
            finding = compare(
                doc_id=doc.doc_id, rule=rule_row, unit=_unit(doc, spending), table_code=f"04,{table}",
                subject_code="", actual=actual, expected=detail[0],
                printed=[v for v, shown in ((actual, item is not None), detail) if shown], terms=1,
                page=item.page if item is not None else spending.page,
                actual_desc=f"04 {key(spending)}（{name}）",
                expected_desc_zh=f"{table}表合计" if detail[1] else f"{table}表（空表）",
                expected_desc_en=f"the {table} 合计" if detail[1] else f"table {table} (printed empty)",
            )
            if finding:
                findings.append(finding)
        return findings
    measure = next((m for m in EXPENDITURE_TOTAL_MEASURES if m in spending.cells), None)
    if measure is None or any(d is None for d in details.values()):
        return []  # a detail table not printed: the total cannot be told apart by fund
    known = [d for d in details.values() if d is not None]
    item = spending.cells[measure]
    finding = compare(
        doc_id=doc.doc_id, rule=rule_row, unit=_unit(doc, spending), table_code="04,05,07,08", subject_code="",
        actual=item.value_original, expected=sum((v for v, _ in known), Decimal(0)),
        printed=[item.value_original, *(v for v, shown in known if shown)],
        terms=max(sum(1 for _, shown in known if shown), 1), page=item.page,
        actual_desc=f"04 {key(spending)}", expected_desc_zh="05、07、08表合计之和",
        expected_desc_en="the sum of the 05, 07 and 08 totals",
    )
    return [finding] if finding else []


@rule("BUDGET_06_EQUALS_05_BASIC")
def basic_06_05(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    total_06, total_05 = doc.total_row("06"), doc.total_row("05")
    if total_06 is None or total_05 is None:
        return []
    item_06, item_05 = total_06.cells.get("amount"), total_05.cells.get("basic_expenditure")
    if item_06 is None or item_05 is None or item_06.unit_original != item_05.unit_original:
        return []  # 05 without a 基本支出 column (Jiangsu) has nothing to tie
    finding = compare(
        doc_id=doc.doc_id, rule=rule_row, unit=_unit(doc, total_06), table_code="06,05", subject_code="",
        actual=item_06.value_original, expected=item_05.value_original,
        printed=[item_06.value_original, item_05.value_original], terms=1, page=item_06.page,
        actual_desc="06 合计", expected_desc_zh="05表合计基本支出", expected_desc_en="the 05 合计 basic expenditure",
    )
    return [finding] if finding else []
