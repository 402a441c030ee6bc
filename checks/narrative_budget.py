"""A budget's narrative figures against the cells that print them ([kinds.budget] of
schemas/data/narrative_figures.toml): NARR_TABLE_MISMATCH and NARR_SANGONG_MISMATCH on 部门预算 / 单位预算.

    from checks.narrative_budget import rebound_amounts
    findings = rebound_amounts(view, rule, sangong=False)   # called by checks/narrative_rules.py

Each figure is bound by `extract.narrative_kinds.kind_cells` to the cells a budget may print it in: a
total's rows by label (01/02/03/04/05 …), a 09 line by its role or label, a 类/款/项 line by its
names in the coded rows of 10/05/07/08 or 02's 财政拨款收入 column. The figure is compared when at
least one of them is printed and reported only when it repeats none: a budget narrative does not
say which of the tables printing a total it quotes. Another year's clause (上年…, 2023年当年预算执行数,
比2024年预算…) binds no cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from checks.compare import compare
from checks.sangong import TABLE as SANGONG_TABLE
from checks.sangong import line_role, sangong_rows, table_sums
from checks.view import DocumentView, normalize_name
from core.records import Finding, LineItem, NarrativeFigure
from extract.narrative_kinds import CellRef, KindRules, kind_cells
from schemas.rules import Rule

UNIT_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_COLUMN_ZH = {"budget": "预算数", "initial_budget": "年初预算数", "full_year_budget": "全年预算数", "final_amount": "决算数"}


class BudgetFigures(Protocol):
    doc_id: str
    figures: Sequence[NarrativeFigure]
    tables: DocumentView

    @property
    def rules(self) -> KindRules: ...

    @property
    def fiscal_year(self) -> int | None: ...


def labelled_cell(view: DocumentView, ref: CellRef) -> LineItem | None:
    """A cell by its row label ("" = the unlabelled, uncoded total row) or by a regex on the label."""
    for row in view.rows(ref.table):
        if row.subject_code or ref.measure not in row.cells:
            continue
        label = normalize_name(row.line_label)
        if (re.search(ref.label_match, label) if ref.label_match else label == normalize_name(ref.label)):
            return row.cells[ref.measure]
    return None


def path_cell(view: DocumentView, ref: CellRef) -> LineItem | None:
    """The cell of the coded row whose 类/款/项 names are `ref.label` ("X支出/Y/Z"): each level a
    child of the one before (two 一般行政管理事务 rows of different 款 are told apart)."""
    names = [_name(n) for n in ref.label.split("/")]
    rows = view.coded_rows(ref.table)
    code = ""
    for depth, name in enumerate(names):
        length = 3 + 2 * depth
        code = next(
            (c for c, r in rows.items() if len(c) == length and c.startswith(code) and _name(r.name) == name), ""
        )
        if not code:
            return None
    return rows[code].cells.get(ref.measure)


def sangong_value(view: DocumentView, role: str, measure: str) -> tuple[Decimal, LineItem | None] | None:
    """The yuan of a 09 line role in `measure` (a blank cell of a printed column is 0); None when
    09 is not read or prints no cell in that column."""
    rows = view.rows(SANGONG_TABLE)
    if not role or not any(measure in row.cells for row in rows):
        return None
    row = sangong_rows(view, table_sums(view.doc_kind)).get(role)
    cell = row.cells.get(measure) if row else None
    if cell is None:
        return Decimal(0), None
    return (cell.amount_yuan, cell) if cell.amount_yuan is not None else None


def closest(findings: list[Finding | None]) -> Finding | None:
    """None when the figure repeats one of its cells, else the finding of the nearest one."""
    if any(f is None for f in findings) or not findings:
        return None
    return min((f for f in findings if f is not None), key=lambda f: abs(f.difference or Decimal(0)))


def _where(view: DocumentView, ref: CellRef) -> tuple[Decimal, str, str, str] | None:
    """(yuan, where in Chinese, where in English, subject code) of the cell `ref` names, or None."""
    if ref.table == SANGONG_TABLE and not ref.label_match:
        found = sangong_value(view, ref.role or line_role(ref.label, table_sums(view.doc_kind)), ref.measure)
        if found is None:
            return None
        yuan, cell = found
        column = _COLUMN_ZH.get(ref.measure, ref.measure)  # a budget 09's measure_zh is its line
        zh = f"{SANGONG_TABLE}表 {cell.line_label if cell else ref.role} {column}" + ("" if cell else "（空白，按0计）")
        en = f"table {SANGONG_TABLE} {ref.role or ref.label} {ref.measure}" + ("" if cell else " (blank: 0)")
        return yuan, zh, en, ""
    item = path_cell(view, ref) if ref.path else labelled_cell(view, ref)
    if item is None or item.amount_yuan is None:
        return None
    where = item.subject_code or item.line_label or "合计"
    return (
        item.amount_yuan,
        f"{item.table_code}表 {where} {item.measure_zh}",
        f"table {item.table_code} {item.subject_code or item.line_label or 'total'} {item.measure}",
        item.subject_code,
    )


def rebound_amounts(view: BudgetFigures, rule: Rule, sangong: bool) -> list[Finding]:
    """Each figure against the cells [kinds.*] lists for it (the 09 cells when `sangong`, else the others)."""
    findings: list[Finding] = []
    for figure in view.figures:
        if figure.unit not in UNIT_YUAN:
            continue
        cells = [c for c in kind_cells(figure, view.rules, view.fiscal_year) if (c.table == SANGONG_TABLE) == sangong]
        candidates: list[Finding | None] = []
        for ref in cells:
            found = _where(view.tables, ref)
            if found is None:
                continue
            yuan, where_zh, where_en, code = found
            candidates.append(compare(
                doc_id=view.doc_id, rule=rule, unit=figure.unit, table_code=ref.table, subject_code=code,
                actual=figure.value, expected=round_like(yuan / UNIT_YUAN[figure.unit], figure.value),
                printed=[figure.value], terms=1,
                page=figure.page, actual_desc=f"情况说明「{figure.sentence}」{figure.subject}{figure.aspect}",
                expected_desc_zh=where_zh, expected_desc_en=where_en,
            ))
        finding = closest(candidates)
        if finding:
            findings.append(finding)
    return findings


def compared(view: BudgetFigures) -> list[tuple[NarrativeFigure, bool]]:
    """A `rebind` kind's figures compared with at least one printed cell, and whether each repeats one
    exactly after rounding (for tests and debugging: what is compared, not skipped)."""
    out: list[tuple[NarrativeFigure, bool]] = []
    for figure in view.figures:
        if figure.unit not in UNIT_YUAN:
            continue
        values = [round_like(found[0] / UNIT_YUAN[figure.unit], figure.value) for ref in kind_cells(figure, view.rules, view.fiscal_year)
                  if (found := _where(view.tables, ref)) is not None]
        if values:
            out.append((figure, figure.value in values))
    return out


def round_like(value: Decimal, printed: Decimal) -> Decimal:
    """`value` rounded half-up to the places `printed` shows: a 元 cell quoted in 万元 to 0.01 agrees
    when the quote is its correct rounding."""
    return value.quantize(Decimal(1).scaleb(min(int(printed.as_tuple().exponent), 0)), rounding=ROUND_HALF_UP)


def _name(text: str) -> str:
    """A 类/款/项 name as compared: 其它 and 其他 are one word (财政局 2025 prints 其它行政事业单位养老支出)."""
    return normalize_name(text).replace("其它", "其他")
