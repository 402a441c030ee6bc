"""One `.xlsx` workbook per package, for Excel users (issue 10 §4).

    data = workbook_bytes(content)      # PackageContent → the bytes of opendisclosure.xlsx

Sheets, in order:
- `说明`: what the workbook holds, one line per sheet (a link, its contents, its rows).
- one sheet per tabular resource of the package (`documents`, `line_items`, `consistency`, then
  every `extra_resources` entry), named as the resource. Row 1 holds the Chinese part of each
  field's title (the column header), row 2 the field's English name as in the CSV/Parquet files
  (the autofilter sits on it), the rows follow; both header rows are frozen. A resource of more
  rows than a sheet holds continues on `<name>_2`, `<name>_3` …
- one sheet per published document: its tables as printed (datapackage/workbook_layout.py).

Values follow datapackage/workbook_cells.py: text as text (codes keep their leading zeros),
decimals as numbers shown with their own decimal places when Excel holds them exactly, else as
text. The sheets are written with XlsxWriter in constant-memory mode: each row goes to a
temporary file when the next one starts, so memory does not grow with the rows or sheets, and
a cell costs a few µs (openpyxl's write-only mode took ~15 µs; `bench/publish_scale.py`).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from core.records import PUBLISHED, items_of_documents
from datapackage.publish import PackageContent
from datapackage.resources import CONSISTENCY, DOCUMENTS, LINE_ITEMS, FieldDef, ResourceDef
from datapackage.workbook_cells import (
    NAME_FONT,
    TITLE_FONT,
    Sheet,
    Style,
    display_width,
    header_cell,
    text_cell,
    value_cell,
)
from datapackage.workbook_inputs import INPUTS_PROPERTY
from datapackage.workbook_layout import KIND_ZH, write_document_sheet

WORKBOOK_NAME = "opendisclosure.xlsx"
INDEX_SHEET = "说明"
MAX_SHEET_NAME = 31
#: Data rows of one sheet: Excel's 1,048,576 rows less the two header rows.
MAX_SHEET_ROWS = 1_048_576 - 2
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
_LINK = Style(color="#0563C1")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_title(fd: FieldDef) -> str:
    """The Chinese part of a field title (`Document id 文档编号` → `文档编号`); the whole title without one."""
    words = fd.title.split()
    return words[-1] if words and _CJK.search(words[-1]) else fd.title


def resources_of(content: PackageContent) -> list[tuple[ResourceDef, Sequence[Any]]]:
    """Every tabular resource the package publishes, in descriptor order, with its records."""
    return [
        (DOCUMENTS, content.documents),
        (LINE_ITEMS, content.line_items),
        (CONSISTENCY, content.findings),
        *content.extra_resources,
    ]


class SheetNames:
    """Sheet names Excel accepts: ≤ 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        base = _BAD_SHEET_CHARS.sub("_", wanted).strip("' ") or "sheet"
        name, n = base[:MAX_SHEET_NAME], 1
        while name.casefold() in self._taken:
            n += 1
            suffix = f"~{n}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        self._taken.add(name.casefold())
        return name


@dataclass(frozen=True)
class SheetPlan:
    name: str
    what: str
    rows: int
    description: str = ""


def _widths(rd: ResourceDef, records: Sequence[Any]) -> list[float]:
    widths: list[float] = []
    for fd in rd.fields:
        sample = [getattr(r, fd.name) for r in records[:WIDTH_SAMPLE]]
        longest = max([display_width(chinese_title(fd)), len(fd.name), *(display_width(str(v)) for v in sample if v is not None)])
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return widths


def _chunks(records: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, max(len(records), 1), MAX_SHEET_ROWS):
        yield records[start : start + MAX_SHEET_ROWS]


def write_resource_sheet(ws: Sheet, rd: ResourceDef, records: Sequence[Any]) -> None:
    """Header rows (Chinese titles, field names), frozen and filtered, then one row per record."""
    for index, width in enumerate(_widths(rd, records)):
        ws.width(index, width)
    ws.freeze_header(2)
    ws.autofilter(1, len(records) + 1, len(rd.fields) - 1)
    ws.append([header_cell(chinese_title(fd)) for fd in rd.fields])
    ws.append([text_cell(fd.name, NAME_FONT) for fd in rd.fields])
    names = rd.field_names
    for record in records:
        ws.append([value_cell(getattr(record, name)) for name in names])


def _document_sheet_name(doc: Any) -> str:
    year = str(doc.fiscal_year or "")
    return f"{year}{KIND_ZH.get(doc.doc_kind, '')} {doc.department or doc.doc_id}"


def _write_index(ws: Sheet, plans: Sequence[SheetPlan], run_info: dict[str, str]) -> None:
    for column, width in enumerate((34, 60, 12)):
        ws.width(column, width)
    ws.append([text_cell("opendisclosure 部门预算/部门决算公开数据", TITLE_FONT)])
    version = "，".join(f"{k}: {v}" for k, v in sorted(run_info.items()))
    ws.append([text_cell(f"版本 {version}")])
    ws.append([text_cell("资源工作表：第1行为中文列名，第2行为字段名（与 CSV/Parquet 相同）；编码均为文本；"
                             "金额为精确数值（超过15位有效数字的以文本保存）。文件工作表按原表排列，数值为原始单位。")])
    ws.append([])
    ws.append([header_cell(h) for h in ("工作表", "内容", "行数", "说明")])
    for plan in plans:
        target = plan.name.replace("'", "''")
        link = f"=HYPERLINK(\"#'{target}'!A1\",\"{plan.name.replace(chr(34), chr(34) * 2)}\")"
        ws.append([(link, "f", _LINK), text_cell(plan.what), plan.rows, text_cell(plan.description[:500])])


def workbook_bytes(content: PackageContent, inputs: str = "") -> bytes:
    """The workbook of `content` as .xlsx bytes (see the module docstring for its sheets); `inputs`,
    the key of what it is made from, is kept as a custom property (datapackage/workbook_inputs.py)."""
    names = SheetNames()
    index_name = names.take(INDEX_SHEET)
    resource_sheets: list[tuple[str, ResourceDef, Sequence[Any]]] = []
    plans: list[SheetPlan] = []
    for rd, records in resources_of(content):
        for n, chunk in enumerate(_chunks(records), start=1):
            name = names.take(rd.name if n == 1 else f"{rd.name}_{n}")
            resource_sheets.append((name, rd, chunk))
            plans.append(SheetPlan(name, rd.title, len(chunk), rd.description))
    items_of = items_of_documents(content.line_items)  # per document, not all at once
    item_counts = Counter(item.doc_id for item in content.line_items)
    published = sorted(
        (d for d in content.documents if d.status in PUBLISHED),
        key=lambda d: (d.department, d.fiscal_year or 0, d.doc_kind, d.source_file),
    )
    doc_sheets = []
    for doc in published:
        name = names.take(_document_sheet_name(doc))
        doc_sheets.append((name, doc))
        plans.append(SheetPlan(name, f"{doc.source_file}（按原表排列）", item_counts.get(doc.doc_id, 0),
                               f"{doc.doc_id} · {doc.status}"))

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"author": "opendisclosure", "title": "opendisclosure data package"})
    if inputs:
        wb.set_custom_property(INPUTS_PROPERTY, inputs)
    formats: dict[Style, Any] = {}
    _write_index(Sheet(wb, wb.add_worksheet(index_name), formats), plans, dict(content.run_info))
    for name, rd, records in resource_sheets:
        write_resource_sheet(Sheet(wb, wb.add_worksheet(name), formats), rd, records)
    for name, doc in doc_sheets:
        write_document_sheet(Sheet(wb, wb.add_worksheet(name), formats), doc, items_of(doc.doc_id))
    wb.close()
    return buffer.getvalue()
