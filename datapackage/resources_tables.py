"""The `tables` resource: one row per standard table of each document, and how well it was read.

A journalist filters it for `status != read` to see what the package does not hold;
an analyst joins it to `line_items` on (doc_id, table_code) before trusting a sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from core.records import TableRecord, TableStatus
from datapackage.resources import _DOC_ID_REF, ForeignKey, ResourceDef, _dec, _int, _text

COVERAGE = pa.decimal128(6, 4)

_COUNT = {"minimum": 0}

TABLES = ResourceDef(
    name="tables",
    title="Tables 表格读取情况",
    description=(
        "One row per standard table printed in each published document (and per expected table that is"
        " missing): its title and pages as printed, whether it was read (read / partial / unread / empty /"
        " missing) and why not, and the number accounting: amounts printed in the table's region,"
        " amounts a published cell accounts for, and their ratio `coverage`."
    ),
    record_type=TableRecord,
    primary_key=("doc_id", "table_code"),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    fields=(
        _text("doc_id", "Document id 文档编号", _DOC_ID_REF, required=True, dictionary=True),
        _text("table_code", "Table 表号", "Standard table code (01…12) in the document kind's table set.",
              required=True, constraints={"pattern": "[0-9]{2}"}, dictionary=True),
        _text("table_name", "Table name 表名", "Standard name of the table in its set (决算 or 预算).",
              dictionary=True),
        _text("title", "Title as printed 印刷标题", "The title line as printed, whitespace removed; empty when missing."),
        _text("pages", "Pages 页码", "Physical pages the table is printed on, separated by `;`."),
        _text("status", "Status 状态",
              "read = every printed amount published; partial = some not read; unread = printed, nothing"
              " published; empty = printed without amounts; missing = expected or listed in the 目录, not found.",
              required=True, constraints={"enum": [s.value for s in TableStatus]}, dictionary=True),
        _text("reason_code", "Reason code 原因代码", "Stable code of why the table is not fully read; empty when read.",
              dictionary=True),
        _text("reason", "Reason 原因", "What happened and what can be done (file, table, page)."),
        _int("cells", "Cells published 发布单元格数", "Line items published from this table.", required=True,
             constraints=_COUNT),
        _int("amounts_printed", "Amounts printed 印刷数字数",
             "Amounts printed in the table's region (codes, 行次/栏次 indexes and years excluded).",
             required=True, constraints=_COUNT),
        _int("amounts_read", "Amounts read 已读数字数", "Printed amounts that a published cell accounts for.",
             required=True, constraints=_COUNT),
        _dec("coverage", COVERAGE, "Coverage 覆盖率",
             "amounts_read / amounts_printed (1 = complete); empty when nothing is printed."),
        _text("listed_in_contents", "Listed in 目录 目录列出",
                              "true when the booklet's 目录 lists this table.",
                              constraints={"enum": ["true", "false"]}),
        _text("unread_sample", "Unread amounts 未读数字示例",
              "The first printed amounts not read, as `p<page>:<text>`, for checking against the PDF."),
        _text("strategy", "Reading strategy 读取方式",
              "How the table's grid was found: lines = ruled (stroked lines or filled-rectangle borders),"
              " text = aligned words of a table printed without rules; empty when not printed.",
              dictionary=True),
    ),
)


def tables_rows(tables: Sequence[TableRecord]) -> list[Any]:
    return list(tables)


def tables_resources(tables: Sequence[TableRecord]) -> list[tuple[ResourceDef, list[Any]]]:
    """The `tables` resource for `PackageContent(extra_resources=...)`."""
    return [(TABLES, tables_rows(tables))]
