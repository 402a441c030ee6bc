"""Years of the booklet (issue 9 §7): a heading or an as-of date that names another year than the document's.

    from checks.year_rules import check_years
    findings = check_years(result)

- TEXT_YEAR_MISMATCH — a 第N部分 heading, a table title (…决算表 / …预算表) or the cover title printing a
  year other than the document's fiscal year (a 2024 booklet with `2023年度部门决算表`). Only headings
  are read (extract/headings.py): prose comparisons (`与2023年度相比`, `比2022年预算增加`) never are. The
  document's year must be confirmed by its own headings: when no heading prints it, or more headings print
  another year than print it, the fiscal year itself is in doubt (read from a file name) and nothing is reported.
- TEXT_DATE_MISMATCH — a `截至YYYY年M月D日` reporting holdings (资产, 车辆, 房屋, 设备 in its sentence) whose
  year is not the one the booklet reports on: for a 决算 the fiscal year's 12月31日 (other days are not
  read: `截至2025年6月30日` may date a later event); for a 预算 the year before (a budget is drawn up
  before its year: Shanghai's 2025 budgets print `截至2024年8月31日`, its 2023 budget `截止2022年12月31日`).
  A sentence that also prints the expected date compares two dates and is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from checks.registry import SCOPED_FUNCTIONS, scoped_rule
from core.records import Finding, YearMention
from schemas.rules import Rule, load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

SCOPE = "booklet-years"
HEADING_KINDS = {"part_heading": ("部分标题", "part heading"), "table_title": ("表格标题", "table title"),
                 "cover_title": ("封面标题", "cover title")}


def _finding(doc_id: str, rule_row: Rule, mention: YearMention, expected: int, message: str) -> Finding:
    return Finding(
        doc_id=doc_id,
        rule_id=rule_row.rule_id,
        severity=rule_row.severity,
        category=rule_row.category,
        table_code="",
        subject_code="",
        expected=Decimal(expected),
        actual=Decimal(mention.year),
        difference=Decimal(mention.year - expected),
        message=message,
        page=mention.page,
    )


@scoped_rule(SCOPE, "TEXT_YEAR_MISMATCH")
def heading_years(doc_id: str, rule_row: Rule, fiscal_year: int | None, doc_kind: str,
                  mentions: Sequence[YearMention]) -> list[Finding]:
    if fiscal_year is None:
        return []
    headings = [m for m in mentions if m.kind in HEADING_KINDS]
    confirming = sum(m.year == fiscal_year for m in headings)
    others = [m for m in headings if m.year != fiscal_year]
    if not confirming or len(others) > confirming:
        return []  # the document's year is not what its headings print: nothing to compare with
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for m in others:
        if (m.page, m.text) in seen:
            continue
        seen.add((m.page, m.text))
        zh, en = HEADING_KINDS[m.kind]
        findings.append(_finding(
            doc_id, rule_row, m, fiscal_year,
            f"第{m.page}页{zh}“{m.text}”的年度为{m.year}年，本文件为{fiscal_year}年度"
            f" / page {m.page}: the {en} “{m.text}” names {m.year}, the document is of {fiscal_year}",
        ))
    return findings


def _expected_as_of(fiscal_year: int, doc_kind: str) -> int:
    return fiscal_year - 1 if doc_kind == "budget" else fiscal_year


@scoped_rule(SCOPE, "TEXT_DATE_MISMATCH")
def as_of_dates(doc_id: str, rule_row: Rule, fiscal_year: int | None, doc_kind: str,
                mentions: Sequence[YearMention]) -> list[Finding]:
    if fiscal_year is None:
        return []
    expected = _expected_as_of(fiscal_year, doc_kind)
    findings: list[Finding] = []
    for m in mentions:
        if m.kind != "as_of_date" or not m.assets or m.year == expected:
            continue
        if doc_kind != "budget" and (m.month, m.day) != (12, 31):
            continue
        if re.search(rf"截[至止]{expected}年", m.context):
            continue  # two dates compared in one sentence
        basis_zh = f"预算年度{fiscal_year}年的上一年" if doc_kind == "budget" else f"决算年度{fiscal_year}年"
        basis_en = f"the year before the budget year {fiscal_year}" if doc_kind == "budget" else (
            f"the fiscal year {fiscal_year}")
        findings.append(_finding(
            doc_id, rule_row, m, expected,
            f"第{m.page}页“{m.text}”的年份{m.year}与本文件应报告的资产时点（{basis_zh}，{expected}年）不符：…{m.context[:60]}…"
            f" / page {m.page}: “{m.text}” dates the holdings in {m.year}, expected {expected} ({basis_en})",
        ))
    return findings


def check_years(result: DocumentResult) -> list[Finding]:
    """Every year rule that applies to the document's kind, in registry order."""
    doc = result.document
    functions = SCOPED_FUNCTIONS[SCOPE]
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        function = functions.get(rule_id)
        if function is not None and rule_row.applies_to(doc.doc_kind):
            findings += function(doc.doc_id, rule_row, doc.fiscal_year, doc.doc_kind, result.year_mentions)
    return findings
