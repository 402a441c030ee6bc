"""Within-table arithmetic: parents = Σ children, row total = Σ parts, summary tables balance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row
from core.records import Finding
from schemas.rules import Rule

FUNCTION_TABLES = ("02", "03", "05", "07", "08")
ECONOMIC_TABLE = "06"
LEVEL_ZH = {3: "类", 5: "款", 7: "项"}
LEVEL_EN = {3: "classes (类)", 5: "sections (款)", 7: "items (项)"}

# 06: the two printed totals and the economic classes they add up.
PERSONNEL_TOTAL = "人员经费合计"
PUBLIC_TOTAL = "公用经费合计"
PERSONNEL_CLASSES = ("301", "303")

# Row total = Σ parts, per table: (total measure, part measures).
ROW_TOTALS: dict[str, tuple[str, tuple[str, ...]]] = {
    "02": (
        "total_income",
        (
            "fiscal_appropriation_income",
            "superior_subsidy_income",
            "business_income",
            "operating_income",
            "subordinate_remittance_income",
            "other_income",
        ),
    ),
    "03": (
        "total_expenditure",
        (
            "basic_expenditure",
            "project_expenditure",
            "remittance_to_superior",
            "operating_expenditure",
            "subsidy_to_subordinate",
        ),
    ),
    "04": (
        "expenditure_total",
        ("expenditure_general_budget", "expenditure_government_fund", "expenditure_state_capital"),
    ),
    "05": ("total_expenditure", ("basic_expenditure", "project_expenditure")),
    "07": ("current_expenditure", ("basic_expenditure", "project_expenditure")),
    "08": ("current_expenditure", ("basic_expenditure", "project_expenditure")),
}

# Summary tables: (income measure, expenditure measure) of the two 总计 lines.
SUMMARY_TABLES: dict[str, tuple[str, str]] = {
    "01": ("income_amount", "expenditure_amount"),
    "04": ("income_amount", "expenditure_total"),
}


@dataclass(frozen=True)
class SumGroup:
    parent: Row
    children: tuple[Row, ...]
    zh: str  # "Σ款"
    en: str  # "the sum of sections (款)"


def _function_groups(doc: DocumentView, table: str) -> list[SumGroup]:
    coded = doc.coded_rows(table)
    groups: list[SumGroup] = []
    for code, row in coded.items():
        child_len = {3: 5, 5: 7}.get(len(code))
        if child_len is None:
            continue
        children = tuple(r for c, r in coded.items() if len(c) == child_len and c.startswith(code))
        groups.append(SumGroup(row, children, f"Σ{LEVEL_ZH[child_len]}", f"the sum of {LEVEL_EN[child_len]}"))
    total = doc.total_row(table)
    if total is not None:
        classes = tuple(r for c, r in coded.items() if len(c) == 3)
        groups.append(SumGroup(total, classes, "Σ类", "the sum of classes (类)"))
    return groups


def _economic_groups(doc: DocumentView) -> list[SumGroup]:
    coded = doc.coded_rows(ECONOMIC_TABLE)
    groups: list[SumGroup] = []
    for code, row in coded.items():
        if len(code) == 3:
            children = tuple(r for c, r in coded.items() if len(c) == 5 and c.startswith(code))
            groups.append(SumGroup(row, children, "Σ款", "the sum of sections (款)"))
    classes = {c: r for c, r in coded.items() if len(c) == 3}
    personnel = doc.labelled(ECONOMIC_TABLE, PERSONNEL_TOTAL, "amount")
    if personnel is not None:
        kids = tuple(r for c, r in classes.items() if c in PERSONNEL_CLASSES)
        groups.append(SumGroup(personnel, kids, "Σ(301+303)", "the sum of classes 301 + 303"))
    public = doc.labelled(ECONOMIC_TABLE, PUBLIC_TOTAL, "amount")
    if public is not None:
        kids = tuple(r for c, r in classes.items() if c not in PERSONNEL_CLASSES)
        codes = "+".join(r.subject_code for r in kids)
        groups.append(SumGroup(public, kids, f"Σ({codes})", f"the sum of classes {codes.replace('+', ' + ')}"))
    return groups


def _check_groups(doc: DocumentView, rule_row: Rule, table: str, groups: list[SumGroup]) -> list[Finding]:
    findings: list[Finding] = []
    for group in groups:
        if not group.children:
            continue  # only where the parent has at least one child printed
        measures = list(group.parent.cells)
        for child in group.children:
            measures += [m for m in child.cells if m not in measures]
        for measure in measures:
            parent_item = group.parent.cells.get(measure)
            child_values = [v for c in group.children if (v := c.value(measure)) is not None]
            actual = parent_item.value_original if parent_item else Decimal(0)
            expected = sum(child_values, Decimal(0))
            measure_zh = parent_item.measure_zh if parent_item else measure
            printed = child_values + ([actual] if parent_item else [])
            finding = compare(
                doc_id=doc.doc_id,
                rule=rule_row,
                unit=doc.unit,
                table_code=table,
                subject_code=group.parent.subject_code,
                actual=actual,
                expected=expected,
                printed=printed,
                terms=len(child_values),
                page=parent_item.page if parent_item else group.parent.page,
                actual_desc=f"{group.parent.describe()} {measure_zh}",
                expected_desc_zh=group.zh,
                expected_desc_en=group.en,
            )
            if finding:
                findings.append(finding)
    return findings


@rule("ARITH_PARENT_SUM")
def parent_equals_sum_of_children(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table in FUNCTION_TABLES:
        findings += _check_groups(doc, rule_row, table, _function_groups(doc, table))
    findings += _check_groups(doc, rule_row, ECONOMIC_TABLE, _economic_groups(doc))
    return findings


@rule("ARITH_ROW_TOTAL")
def row_total_equals_sum_of_parts(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table, (total_measure, parts) in ROW_TOTALS.items():
        for row in doc.rows(table):
            part_values = [v for m in parts if (v := row.value(m)) is not None]
            total_item = row.cells.get(total_measure)
            if total_item is None and not part_values:
                continue
            actual = total_item.value_original if total_item else Decimal(0)
            expected = sum(part_values, Decimal(0))
            finding = compare(
                doc_id=doc.doc_id,
                rule=rule_row,
                unit=doc.unit,
                table_code=table,
                subject_code=row.subject_code,
                actual=actual,
                expected=expected,
                printed=part_values + ([actual] if total_item else []),
                terms=len(part_values),
                page=total_item.page if total_item else row.page,
                actual_desc=f"{row.describe()} {total_item.measure_zh if total_item else total_measure}",
                expected_desc_zh="Σ各列",
                expected_desc_en="the sum of " + " + ".join(parts),
            )
            if finding:
                findings.append(finding)
    return findings


@rule("SUMMARY_BALANCE")
def summary_tables_balance(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table, (income_measure, expenditure_measure) in SUMMARY_TABLES.items():
        income = doc.labelled(table, "总计", income_measure)
        expenditure = doc.labelled(table, "总计", expenditure_measure)
        if income is None or expenditure is None:
            continue
        income_item = income.cells[income_measure]
        expenditure_item = expenditure.cells[expenditure_measure]
        finding = compare(
            doc_id=doc.doc_id,
            rule=rule_row,
            unit=doc.unit,
            table_code=table,
            subject_code="",
            actual=expenditure_item.value_original,
            expected=income_item.value_original,
            printed=[income_item.value_original, expenditure_item.value_original],
            terms=1,
            page=expenditure_item.page,
            actual_desc=f"{table} 支出总计",
            expected_desc_zh="收入总计",
            expected_desc_en="the income side's 总计",
        )
        if finding:
            findings.append(finding)
    return findings
