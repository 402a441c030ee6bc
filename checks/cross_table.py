"""The same figure printed in two tables agrees (01↔02, 01↔03, 04↔05/07/08, 05↔06).

`actual` is the figure of the first-named (summary) table, `expected` the figure of
the detail table it should repeat; `page` is the page of the actual value.
"""

from __future__ import annotations

from decimal import Decimal

from checks.arithmetic import PERSONNEL_TOTAL, PUBLIC_TOTAL
from checks.compare import compare
from checks.fund_ties import FUND_TABLES, fund_printed_in_04
from checks.registry import rule
from checks.view import DocumentView, Row, class_name, normalize_name
from core.records import Finding
from schemas.rules import Rule

INCOME_TOTAL = "本年收入合计"
EXPENDITURE_TOTAL = "本年支出合计"


def _agree(
    doc: DocumentView,
    rule_row: Rule,
    tables: str,
    subject_code: str,
    actual_row: Row,
    actual_measure: str,
    expected_parts: list[tuple[Row, str]],
    actual_desc: str,
    expected_zh: str,
    expected_en: str,
) -> Finding | None:
    """Compare one printed figure with the sum of figures printed elsewhere (a blank cell counts as 0)."""
    actual_item = actual_row.cells.get(actual_measure)
    expected_values = [v for row, m in expected_parts if (v := row.value(m)) is not None]
    if actual_item is None and not expected_values:
        return None
    actual = actual_item.value_original if actual_item else Decimal(0)
    return compare(
        doc_id=doc.doc_id,
        rule=rule_row,
        unit=doc.unit,
        table_code=tables,
        subject_code=subject_code,
        actual=actual,
        expected=sum(expected_values, Decimal(0)),
        printed=expected_values + ([actual] if actual_item else []),
        terms=len(expected_parts),
        page=actual_item.page if actual_item else actual_row.page,
        actual_desc=actual_desc,
        expected_desc_zh=expected_zh,
        expected_desc_en=expected_en,
    )


def _expenditure_line(doc: DocumentView, table: str, label: str) -> Row | None:
    """A summary-table expenditure line carrying any expenditure measure."""
    wanted = normalize_name(label)
    for row in doc.rows(table):
        if normalize_name(row.line_label) == wanted and any(m.startswith("expenditure") for m in row.cells):
            return row
    return None


def _class_lines(
    doc: DocumentView,
    rule_row: Rule,
    summary: str,
    summary_measure: str,
    detail: str,
    detail_measure: str,
) -> list[Finding]:
    """Each 'N、<class name>' expenditure line of a summary table = the detail table's 类 row of that name."""
    findings: list[Finding] = []
    classes = doc.class_rows_by_name(detail)
    for row in doc.rows(summary):
        name = class_name(row.line_label)
        if not name or not any(m.startswith("expenditure") for m in row.cells):
            continue
        detail_row = classes.get(name)
        if detail_row is None or detail_measure not in detail_row.cells:
            continue  # no 类 row of that name printed: nothing to compare
        finding = _agree(
            doc, rule_row, f"{summary},{detail}", detail_row.subject_code, row, summary_measure,
            [(detail_row, detail_measure)],
            actual_desc=f"{summary} {normalize_name(row.line_label)}",
            expected_zh=f"{detail} 类 {detail_row.subject_code} {detail_row.name}",
            expected_en=f"{detail} class {detail_row.subject_code} {detail_row.name}",
        )
        if finding:
            findings.append(finding)
    return findings


@rule("XTABLE_01_02")
def income_total_01_02(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    line = doc.labelled("01", INCOME_TOTAL, "income_amount")
    total = doc.total_row("02")
    if line is None or total is None:
        return []
    finding = _agree(
        doc, rule_row, "01,02", "", line, "income_amount", [(total, "total_income")],
        actual_desc=f"01 {INCOME_TOTAL}", expected_zh="02 合计 本年收入合计", expected_en="02 合计 total income",
    )
    return [finding] if finding else []


@rule("XTABLE_01_03")
def expenditure_01_03(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    line = doc.labelled("01", EXPENDITURE_TOTAL, "expenditure_amount")
    total = doc.total_row("03")
    if line is not None and total is not None:
        finding = _agree(
            doc, rule_row, "01,03", "", line, "expenditure_amount", [(total, "total_expenditure")],
            actual_desc=f"01 {EXPENDITURE_TOTAL}", expected_zh="03 合计 本年支出合计",
            expected_en="03 合计 total expenditure",
        )
        if finding:
            findings.append(finding)
    findings += _class_lines(doc, rule_row, "01", "expenditure_amount", "03", "total_expenditure")
    return findings


@rule("XTABLE_04_05")
def general_budget_04_05(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    line = _expenditure_line(doc, "04", EXPENDITURE_TOTAL)
    total = doc.total_row("05")
    if line is not None and total is not None:
        finding = _agree(
            doc, rule_row, "04,05", "", line, "expenditure_general_budget", [(total, "total_expenditure")],
            actual_desc=f"04 {EXPENDITURE_TOTAL} 一般公共预算财政拨款", expected_zh="05 合计",
            expected_en="05 合计 total expenditure",
        )
        if finding:
            findings.append(finding)
    findings += _class_lines(doc, rule_row, "04", "expenditure_general_budget", "05", "total_expenditure")
    return findings


def _fund_total(doc: DocumentView, rule_row: Rule, measure: str, detail: str, zh: str) -> list[Finding]:
    line = _expenditure_line(doc, "04", EXPENDITURE_TOTAL)
    total = doc.total_row(detail)
    if line is None or total is None or "current_expenditure" not in total.cells:
        return []
    fund, column, _ = FUND_TABLES[detail]
    if not fund_printed_in_04(doc, fund, column):
        return []  # 04 prints nothing for the fund at all: XTABLE_07_08_FUND_EMPTY says so once
    finding = _agree(
        doc, rule_row, f"04,{detail}", "", line, measure, [(total, "current_expenditure")],
        actual_desc=f"04 {EXPENDITURE_TOTAL} {zh}", expected_zh=f"{detail} 合计 本年支出",
        expected_en=f"{detail} 合计 current expenditure",
    )
    return [finding] if finding else []


@rule("XTABLE_04_07")
def government_fund_04_07(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    return _fund_total(doc, rule_row, "expenditure_government_fund", "07", "政府性基金预算财政拨款")


@rule("XTABLE_04_08")
def state_capital_04_08(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    return _fund_total(doc, rule_row, "expenditure_state_capital", "08", "国有资本经营预算财政拨款")


@rule("XTABLE_05_06")
def basic_expenditure_05_06(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    total = doc.total_row("05")
    personnel = doc.labelled("06", PERSONNEL_TOTAL, "amount")
    public = doc.labelled("06", PUBLIC_TOTAL, "amount")
    if total is None or personnel is None or public is None:
        return []
    finding = _agree(
        doc, rule_row, "05,06", "", total, "basic_expenditure", [(personnel, "amount"), (public, "amount")],
        actual_desc="05 合计 基本支出", expected_zh=f"06 {PERSONNEL_TOTAL}+{PUBLIC_TOTAL}",
        expected_en=f"06 {PERSONNEL_TOTAL} + {PUBLIC_TOTAL}",
    )
    return [finding] if finding else []
