"""Per-document sheets of the workbook: each table laid out as printed, to compare with the PDF.

One sheet per published document (ok or partial). A title row names the department, year,
kind and file; then each table in code order is a block: a title line (table code and name,
pages, unit), a header row (行 / 科目编码 / 项目 / 页码, then the measures' printed headers
`measure_zh` in the table spec's order) and one row per `row_index` with `value_original`
in the printed unit. Only these line_items fields are read: doc_id, table_code, row_index,
subject_code, line_label, measure, measure_zh, value_original, unit_original, page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from datapackage.workbook_cells import BOLD, TITLE_FONT, Cell, Sheet, decimal_cell, header_cell, text_cell
from schemas.table_specs import SPEC_SET_BY_KIND, load_specs

KIND_ZH = {"final_account": "决算", "budget": "预算"}
ROW_HEADERS = ("行", "科目编码", "项目", "页码")
LAYOUT_WIDTHS = (6, 12, 40, 8)
MEASURE_WIDTH = 16


@cache
def _spec_measures(doc_kind: str) -> dict[str, tuple[str, ...]]:
    name = SPEC_SET_BY_KIND.get(doc_kind)
    return {s.code: s.measures for s in load_specs(name)} if name else {}


@cache
def _spec_names(doc_kind: str) -> dict[str, str]:
    name = SPEC_SET_BY_KIND.get(doc_kind)
    return {s.code: s.name for s in load_specs(name)} if name else {}


def measure_order(doc_kind: str, table_code: str, items: Iterable[Any]) -> list[str]:
    """The table spec's measure order, then any other measure in order of first appearance."""
    present = list(dict.fromkeys(i.measure for i in items))
    spec = [m for m in _spec_measures(doc_kind).get(table_code, ()) if m in present]
    return spec + [m for m in present if m not in spec]


def _pages(pages: Iterable[int]) -> str:
    ordered = sorted(set(pages))
    if not ordered:
        return ""
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"第{ordered[0]}–{ordered[-1]}页"
    return "第" + "、".join(str(p) for p in ordered) + "页"


def document_title(doc: Any) -> str:
    year = f"{doc.fiscal_year}年" if doc.fiscal_year else ""
    kind = KIND_ZH.get(doc.doc_kind, doc.doc_kind)
    return f"{doc.department or '（部门未识别）'}　{year}部门{kind}　{doc.source_file}　（{doc.doc_id}）"


def table_blocks(doc: Any, items: Sequence[Any]) -> list[list[Any]]:
    """Rows (plain values) of one document's sheet; cells are styled by `write_document_sheet`."""
    by_table: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        by_table[item.table_code].append(item)
    names = _spec_names(doc.doc_kind)
    rows: list[list[Any]] = [[("title", document_title(doc))]]
    if not by_table:
        rows.append([("text", "本文件没有发布表格数据（见 tables 工作表）。")])
    for code in sorted(by_table):
        cells = by_table[code]
        measures = measure_order(doc.doc_kind, code, cells)
        headers = {m: next((c.measure_zh for c in cells if c.measure == m and c.measure_zh), m) for m in measures}
        units = "、".join(dict.fromkeys(c.unit_original for c in cells if c.unit_original))
        title = f"表{code} {names.get(code, '')}　{_pages(c.page for c in cells)}　单位：{units}"
        rows.append([])
        rows.append([("bold", title)])
        rows.append([("header", h) for h in (*ROW_HEADERS, *headers.values())])
        by_row: dict[int, dict[str, Any]] = defaultdict(dict)
        first: dict[int, Any] = {}
        page: dict[int, int] = {}
        for c in cells:
            by_row[c.row_index][c.measure] = c.value_original
            first.setdefault(c.row_index, c)
            page[c.row_index] = min(page.get(c.row_index, c.page), c.page)
        for index in sorted(by_row):
            head = first[index]
            rows.append(
                [index, ("text", head.subject_code or ""), ("text", head.line_label or ""), page[index]]
                + [("decimal", by_row[index].get(m)) for m in measures]
            )
    return rows


def write_document_sheet(ws: Sheet, doc: Any, items: Sequence[Any]) -> None:
    for index, width in enumerate(LAYOUT_WIDTHS):
        ws.width(index, width)
    widest = max((len({i.measure for i in items if i.table_code == t}) for t in {i.table_code for i in items}),
                 default=0)
    for index in range(len(LAYOUT_WIDTHS), len(LAYOUT_WIDTHS) + widest):
        ws.width(index, MEASURE_WIDTH)
    for row in table_blocks(doc, items):
        ws.append([_cell(value) for value in row])


def _cell(value: Any) -> Cell | int | None:
    if not isinstance(value, tuple):
        return value
    kind, content = value
    if kind == "decimal":
        return None if content is None else decimal_cell(content)
    if kind == "header":
        return header_cell(content)
    return text_cell(content, {"title": TITLE_FONT, "bold": BOLD}.get(kind))
