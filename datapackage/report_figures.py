"""The figures the report charts per department, read from published line items.

    figures = document_figures(items_of_one_document, phase)
    svgs = department_charts("dept-3", [(doc, figures), ...])

Definitions (printed on the page, `DEFINITIONS`), chosen so that nothing is counted twice:
- 支出合计: table 03's 合计 row, 合计 column (`total_expenditure`) — 支出决算表 in a 决算,
  支出预算总表 in a 预算; without a 合计 row, the sum of 03's 类 rows (3-digit codes). Income and
  carry-over lines are not added.
- 基本支出 / 项目支出: the same 03 合计 row's `basic_expenditure` / `project_expenditure`
  (05's 合计 row when 03 has none).
- 三公: table 09's 因公出国（境）费, 公务用车购置及运行维护费 (or 购置费 + 运行维护费 when only
  those are printed) and 公务接待费; 决算数 in a 决算, 预算数 in a 预算.
When one year and phase has several files (a 部门预算 and its 单位预算, a re-published file),
the one with the largest 支出合计 is drawn (a 部门预算 includes its units).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.records import DocumentRecord, LineItem
from datapackage.charts import Row, Series, grouped_bars, stacked_bars

PHASE_ZH = {"budget": "预算", "final_account": "决算"}
DEFINITIONS = (
    "支出合计：03 表（支出决算表／支出预算总表）合计行的“合计”列；无合计行时取 03 表类级科目之和；不加收入、结转结余。"
    "基本支出／项目支出：同一合计行（03 表无合计行时取 05 表）。三公：09 表因公出国（境）费、公务用车购置及运行维护费、"
    "公务接待费，决算取决算数、预算取预算数。同一年度同一阶段有多份文件时，取支出合计最大的一份（部门预算包含其单位预算）。"
)
DEFINITIONS_EN = (
    "Total expenditure: table 03's 合计 row, 合计 column (the sum of its class rows when no 合计 row is read); "
    "income and carry-over lines are not added. Basic / project: the same row (05's when 03 has none). "
    "三公: table 09's three items, 决算数 for final accounts and 预算数 for budgets. One file per year and phase: "
    "the one with the largest total."
)
TOTAL_SERIES = (Series("budget", "预算 budget", "#8fb3d9"), Series("final_account", "决算 final", "#1f5f99"))
SPLIT_SERIES = (Series("basic", "基本支出 basic", "#2e7d32"), Series("project", "项目支出 project", "#e0a100"))
SANGONG_SERIES = (
    Series("abroad", "因公出国（境）", "#6a1b9a"),
    Series("vehicles", "公务用车", "#00838f"),
    Series("reception", "公务接待", "#ef6c00"),
)
SANGONG_MEASURES = {
    "final_account": ("final_amount", "budget", "full_year_budget"),
    "budget": ("budget", "full_year_budget", "initial_budget"),
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、．]|[（(]\d+[）)])")
_TOTAL_LABELS = {"", "合计", "总计", "本年支出合计"}


@dataclass
class Figures:
    """What one document contributes to its department's charts (amounts in yuan)."""

    total: Decimal | None = None
    total_source: str = ""
    basic: Decimal | None = None
    project: Decimal | None = None
    split_source: str = ""
    sangong: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    title_zh: str
    title_en: str
    svg: str  # escaped by charts.py


def _total_row(items: Sequence[LineItem], table: str, measure: str) -> LineItem | None:
    cells = [i for i in items if i.table_code == table and i.measure == measure and i.amount_yuan is not None]
    by_role = [i for i in cells if getattr(i, "row_role", "") == "total"]
    if by_role:
        return min(by_role, key=lambda i: i.row_index)
    labelled = [i for i in cells if not i.subject_code and i.line_label in _TOTAL_LABELS]
    return min(labelled, key=lambda i: i.row_index) if labelled else None


def _sangong_item(label: str) -> str | None:
    segments = [_NUMBERING.sub("", s) for s in label.split("/")]
    last, parent = segments[-1], (segments[-2] if len(segments) > 1 else "")
    vehicle = "公务用车" in last or "公务用车" in parent
    if "出国" in last:
        return "abroad"
    if "接待" in last:
        return "reception"
    if ("公务用车" in last and "购置及运行" in last) or (last == "小计" and "公务用车" in parent):
        return "vehicles"
    if vehicle and "购置" in last and "运行" not in last:
        return "vehicle_purchase"
    if vehicle and "运行" in last:
        return "vehicle_running"
    return None


def _sangong(items: Sequence[LineItem], phase: str) -> dict[str, Decimal]:
    cells = sorted((i for i in items if i.table_code == "09" and i.amount_yuan is not None),
                   key=lambda i: (i.row_index, i.measure))
    for measure in SANGONG_MEASURES.get(phase, ("budget",)):
        found: dict[str, Decimal] = {}
        for i in cells:
            key = _sangong_item(i.line_label)
            if i.measure == measure and key and key not in found and i.amount_yuan is not None:
                found[key] = i.amount_yuan
        if found:
            if "vehicles" not in found and ({"vehicle_purchase", "vehicle_running"} & found.keys()):
                found["vehicles"] = found.get("vehicle_purchase", Decimal(0)) + found.get("vehicle_running", Decimal(0))
            return {k: v for k, v in found.items() if k in {"abroad", "vehicles", "reception"}}
    return {}


#: the tables document_figures reads (03/05 totals and splits, 09 三公)
FIGURE_TABLES = frozenset({"03", "05", "09"})


def is_figure_item(item: LineItem) -> bool:
    """Could document_figures read this item? (The report keeps only these, not every line item.)"""
    return item.table_code in FIGURE_TABLES and item.amount_yuan is not None


def document_figures(items: Sequence[LineItem], phase: str) -> Figures:
    figures = Figures()
    row = _total_row(items, "03", "total_expenditure")
    if row is not None:
        figures.total, figures.total_source = row.amount_yuan, f"03 表合计行，第 {row.page} 页"
    else:
        classes = [i for i in items if i.table_code == "03" and i.measure == "total_expenditure"
                   and len(i.subject_code) == 3 and i.amount_yuan is not None]
        if classes:
            figures.total = sum((i.amount_yuan for i in classes if i.amount_yuan is not None), Decimal(0))
            figures.total_source = "03 表类级科目之和"
    for table in ("03", "05"):
        basic = _total_row(items, table, "basic_expenditure")
        project = _total_row(items, table, "project_expenditure")
        if basic is not None or project is not None:
            figures.basic = basic.amount_yuan if basic else None
            figures.project = project.amount_yuan if project else None
            figures.split_source = f"{table} 表合计行"
            break
    figures.sangong = _sangong(items, phase)
    return figures


def _label(year: int | None, phase: str) -> str:
    return f"{year if year is not None else '年度未识别'} {PHASE_ZH.get(phase, phase)}"


def _chosen(documents: Iterable[tuple[DocumentRecord, Figures]]) -> dict[tuple[int, str], Figures]:
    """One document's figures per (year, phase): the largest 支出合计, then any with figures."""
    chosen: dict[tuple[int, str], Figures] = {}
    for doc, fig in documents:
        key = (doc.fiscal_year if doc.fiscal_year is not None else -1, doc.doc_kind)
        if not (fig.total is not None or fig.basic is not None or fig.sangong):
            continue
        best = chosen.get(key)
        if best is None or (fig.total or Decimal(-1)) > (best.total or Decimal(-1)):
            chosen[key] = fig
    return chosen


def department_charts(anchor: str, documents: Sequence[tuple[DocumentRecord, Figures]]) -> list[Chart]:
    """The department's three charts ([] when none of its documents has a figure)."""
    chosen = _chosen(documents)
    if not chosen:
        return []
    keys = sorted(chosen)
    years = sorted({y for y, _ in keys})
    totals = [
        Row(
            str(y) if y >= 0 else "年度未识别",
            tuple((p, chosen[(y, p)].total if (y, p) in chosen else None) for p in ("budget", "final_account")),
        )
        for y in years
    ]
    split = [
        Row(_label(y if y >= 0 else None, p), (("basic", chosen[(y, p)].basic), ("project", chosen[(y, p)].project)))
        for y, p in keys
    ]
    sangong = [
        Row(_label(y if y >= 0 else None, p), tuple((s.key, chosen[(y, p)].sangong.get(s.key)) for s in SANGONG_SERIES))
        for y, p in keys
    ]
    titles = (
        ("支出合计（按年度与阶段）", "Total expenditure by year and phase"),
        ("基本支出与项目支出", "Basic vs project expenditure"),
        ("“三公”经费（按项目）", "三公 by item"),
    )
    svgs = (
        grouped_bars(f"{anchor}-totals", " ".join(titles[0]), totals, TOTAL_SERIES),
        stacked_bars(f"{anchor}-split", " ".join(titles[1]), split, SPLIT_SERIES),
        stacked_bars(f"{anchor}-sangong", " ".join(titles[2]), sangong, SANGONG_SERIES),
    )
    return [Chart(zh, en, svg) for (zh, en), svg in zip(titles, svgs, strict=True)]
