"""Table 09 (the 三公 table): its total and the vehicle subtotal add up, as its table set declares.

    决算:  三公 total               = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费
           公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费
    预算:  the same two, and (Jiangsu) 合计 = “三公”经费小计 + 会议费 + 培训费

in every money column (年初预算数 / 全年预算数 / 决算数, or Shanghai's 预算数 / 决算数).
Which printed line plays which role, and which roles sum, is data: `line_roles` and
`line_sums` of table 09 in schemas/data/<kind>_tables.toml (a Jiangsu 预算 prints 会议费
and 培训费 beside the 三公 items, and its 合计 is not the 三公 total). Rows are recognised
by their printed label, whatever the layout: the long layout's rows (`一、“三公”经费支出`,
`2.公务用车购置及运行维护费`, `（1）公务用车购置费` …) and the wide layout, where each
header path names a line (`合计`, `公务用车购置及运行费/小计` …). Count rows (团组数, 人次,
辆) are not money and never enter the sums.
"""

from __future__ import annotations

import re
from decimal import Decimal

from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row, normalize_name
from core.records import Finding
from schemas.rules import Rule
from schemas.table_specs import SPEC_SET_BY_KIND, LineSums, line_sums

TABLE = "09"

# A line's leading numbering: 一、 / 1. / （1） / 其中：
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[.、]|[(（]\d+[)）]|其中[:：])+")


def table_sums(doc_kind: str = "final_account") -> LineSums:
    """The 09 line roles and sums of the table set a document of this kind is read with."""
    return line_sums(SPEC_SET_BY_KIND.get(doc_kind, SPEC_SET_BY_KIND["final_account"]), TABLE)


def line_path(label: str) -> str:
    """'（1）公务用车购置费' → '公务用车购置费'; '“三公”经费/小计' → '三公经费' ('' for a lone 小计)."""
    parts = [_NUMBERING.sub("", p) for p in normalize_name(label).replace("“", "").replace("”", "").split("/")]
    parts = [p for p in parts if p]
    if parts and parts[-1] == "小计":
        parts = parts[:-1]  # 公务用车购置及运行费/小计 is the 公务用车购置及运行费 line
    return "/".join(parts)


def line_role(label: str, sums: LineSums | None = None) -> str:
    """The 三公 line a printed label names ('' when none): '2.公务用车购置及运行维护费' → 'vehicle'."""
    path = line_path(label)
    return (sums or table_sums()).role(path) if path else ""


def sangong_rows(doc: DocumentView, sums: LineSums | None = None) -> dict[str, Row]:
    """The first money row of table 09 printed for each line role."""
    sums = sums or table_sums(doc.doc_kind)
    rows: dict[str, Row] = {}
    for row in doc.rows(TABLE):
        role = line_role(row.line_label, sums)
        if role:
            rows.setdefault(role, row)
    return rows


@rule("SANGONG_SUM")
def sangong_sums(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    sums = table_sums(doc.doc_kind)
    rows = sangong_rows(doc, sums)
    findings: list[Finding] = []
    for line_sum in sums.sums:
        parent = rows.get(line_sum.total)
        children = [rows[r] for r in line_sum.parts if r in rows]
        if parent is None or not children:
            continue  # only where the parent line and at least one of its parts are printed
        names = [line_path(c.line_label).split("/")[-1] for c in children]
        measures = list(parent.cells)
        for child in children:
            measures += [m for m in child.cells if m not in measures]
        for measure in measures:
            parent_item = parent.cells.get(measure)
            child_values = [v for c in children if (v := c.value(measure)) is not None]
            actual = parent_item.value_original if parent_item else Decimal(0)
            measure_zh = parent_item.measure_zh if parent_item else measure
            # the 三公 table is often printed in 万元 in a booklet whose other tables are in 元
            unit = parent_item.unit_original if parent_item and parent_item.unit_original else doc.unit
            finding = compare(
                doc_id=doc.doc_id,
                rule=rule_row,
                unit=unit,
                table_code=TABLE,
                subject_code="",
                actual=actual,
                expected=sum(child_values, Decimal(0)),
                printed=child_values + ([actual] if parent_item else []),
                terms=len(child_values),
                page=parent_item.page if parent_item else parent.page,
                actual_desc=f"09 {normalize_name(parent.line_label)} {measure_zh}",
                expected_desc_zh=f"Σ({'+'.join(names)})",
                expected_desc_en=f"the sum {' + '.join(names)}",
            )
            if finding:
                findings.append(finding)
    return findings
