"""Table 09 (财政拨款“三公”经费支出决算表): the 三公 total and the vehicle subtotal add up.

    三公 total               = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费
    公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费

in every money column (年初预算数 / 全年预算数 / 决算数, or Shanghai's 预算数 / 决算数).
Rows are recognised by their printed label, whatever the layout: the long layout's
rows (`一、“三公”经费支出`, `2.公务用车购置及运行维护费`, `（1）公务用车购置费` …) and
Shanghai's wide layout, where each header path names a line (`合计`,
`公务用车购置及运行费/小计`, `公务用车购置及运行费/公务用车运行费` …).
Count rows (团组数, 人次, 辆) are not money and never enter the sums.
"""

from __future__ import annotations

import re
from decimal import Decimal

from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row, normalize_name
from core.records import Finding
from schemas.rules import Rule

TABLE = "09"

# A line's leading numbering: 一、 / 1. / （1） / 其中：
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[.、]|[(（]\d+[)）]|其中[:：])+")

TOTAL, ABROAD, VEHICLE, PURCHASE, RUNNING, RECEPTION = (
    "total", "abroad", "vehicle", "purchase", "running", "reception"
)
_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (TOTAL, re.compile(r"^(合计|总计|.*三公.*)$")),
    (ABROAD, re.compile(r"^因公出国[(（]?境[)）]?费(用)?$")),
    (VEHICLE, re.compile(r"^公务用车购置及运行(维护)?费$")),
    (PURCHASE, re.compile(r"^公务用车购置费$")),
    (RUNNING, re.compile(r"^公务用车运行(维护)?费$")),
    (RECEPTION, re.compile(r"^公务接待费$")),
)

# (parent role, child roles, Chinese and English description of the sum)
GROUPS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        TOTAL,
        (ABROAD, VEHICLE, RECEPTION),
        "因公出国（境）费+公务用车购置及运行维护费+公务接待费",
        "因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
    ),
    (VEHICLE, (PURCHASE, RUNNING), "公务用车购置费+运行维护费", "公务用车购置费 + 公务用车运行维护费"),
)


def line_role(label: str) -> str:
    """The 三公 line a printed label names ('' when none): '2.公务用车购置及运行维护费' → 'vehicle'."""
    parts = [_NUMBERING.sub("", p) for p in normalize_name(label).replace("“", "").replace("”", "").split("/")]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    name = parts[-1]
    if name == "小计" and len(parts) > 1:
        name = parts[-2]  # Shanghai: 公务用车购置及运行费/小计
    elif name == "小计":
        return ""
    for role, pattern in _ROLE_PATTERNS:
        if pattern.match(name):
            return role
    return ""


def sangong_rows(doc: DocumentView) -> dict[str, Row]:
    """The first money row of table 09 printed for each 三公 line."""
    rows: dict[str, Row] = {}
    for row in doc.rows(TABLE):
        role = line_role(row.line_label)
        if role:
            rows.setdefault(role, row)
    return rows


@rule("SANGONG_SUM")
def sangong_sums(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    rows = sangong_rows(doc)
    findings: list[Finding] = []
    for parent_role, child_roles, zh, en in GROUPS:
        parent = rows.get(parent_role)
        children = [rows[r] for r in child_roles if r in rows]
        if parent is None or not children:
            continue  # only where the parent line and at least one of its parts are printed
        measures = list(parent.cells)
        for child in children:
            measures += [m for m in child.cells if m not in measures]
        for measure in measures:
            parent_item = parent.cells.get(measure)
            child_values = [v for c in children if (v := c.value(measure)) is not None]
            actual = parent_item.value_original if parent_item else Decimal(0)
            measure_zh = parent_item.measure_zh if parent_item else measure
            finding = compare(
                doc_id=doc.doc_id,
                rule=rule_row,
                unit=doc.unit,
                table_code=TABLE,
                subject_code="",
                actual=actual,
                expected=sum(child_values, Decimal(0)),
                printed=child_values + ([actual] if parent_item else []),
                terms=len(child_values),
                page=parent_item.page if parent_item else parent.page,
                actual_desc=f"09 {normalize_name(parent.line_label)} {measure_zh}",
                expected_desc_zh=f"Σ({zh})",
                expected_desc_en=f"the sum {en}",
            )
            if finding:
                findings.append(finding)
    return findings
