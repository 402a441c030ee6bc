"""The published tables as data: one `ResourceDef` per resource, one `FieldDef` per column.

Why data and not code: the Frictionless schema (CSV), the Arrow schema (Parquet),
the value checks and the documentation are all generated from these definitions,
so a new column is one entry here and the writers cannot disagree with the
descriptor. Column names and order follow DESIGN.md §4 and every field of the
records in `core.records`; `tests/datapackage` asserts both stay in step.

Patterns are written unanchored: Table Schema patterns match the whole value
(frictionless wraps them in `^…$`, so a top-level `|` would break anchoring).
Empty CSV cells are missing values, so patterns and enums only apply to
non-empty values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa

from core.records import DocKind, DocStatus, DocumentRecord, Finding, LineItem, Severity

FieldType = Literal["string", "integer", "number"]

#: Yuan to the fen (分): 2 decimals, 22 integer digits (beyond ±10^18 yuan).
YUAN = pa.decimal128(24, 2)
#: Values printed in 万元: 1 分 = 0.000001 万元, hence 6 decimals; 22 integer digits.
FINE = pa.decimal128(28, 6)
INT = pa.int32()
TEXT = pa.string()

#: 01–10: the standard 决算 tables (公开NN表) and the 部门预算 tables of the same concept;
#: 11–12: budget tables some provinces add (schemas/data/budget_tables.toml).
TABLE_CODES: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 13))
#: Function codes have 3/5/7 digits (类/款/项), economic codes 3/5 (类/款). A code is
#: published as printed, so a misprint such as the seed's `310111` must still fit:
#: the package accepts 3–7 digits and the consistency report flags the odd lengths.
SUBJECT_CODE_PATTERN = "[0-9]{3,7}"
TABLE_CODE_LIST_PATTERN = "[0-9]{2}(,[0-9]{2})*"
MEASURE_PATTERN = "[a-z][a-z0-9_]*"
SHA256_PATTERN = "[0-9a-f]{64}"

#: Appended to free-text fields: the CSV writer's formula guard (see csv_writer.py).
CSV_GUARD_NOTE = (
    " In the CSV file a value beginning with =, +, -, @, a tab or a carriage return"
    " (or their full-width forms ＝＋－＠) starts with an added single quote (') so"
    " spreadsheet programs show it as text instead of running it as a formula;"
    " the Parquet file holds the value unchanged."
)

CNY_YUAN: dict[str, Any] = {"fdp:currency": "CNY", "fdp:factor": 1, "opendisclosure:unit": "元"}


@dataclass(frozen=True)
class FieldDef:
    """One column: its Table Schema type, Arrow type, documentation and checks."""

    name: str
    type: FieldType
    arrow_type: pa.DataType
    title: str
    description: str
    required: bool = False
    constraints: dict[str, Any] = field(default_factory=dict)
    annotations: dict[str, Any] = field(default_factory=dict)  # custom keys (fdp:*, …)
    dictionary: bool = False  # Parquet dictionary page encoding (few distinct values)

    @property
    def guarded(self) -> bool:
        """Free text that may begin with a formula character (constrained fields cannot)."""
        return self.type == "string" and not ({"enum", "pattern"} & self.constraints.keys())

    @property
    def decimal(self) -> pa.Decimal128Type | None:
        return self.arrow_type if isinstance(self.arrow_type, pa.Decimal128Type) else None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class ResourceDef:
    """One tabular resource, published as `data/<name>.csv` and `data/<name>.parquet`."""

    name: str
    title: str
    description: str
    record_type: type
    fields: tuple[FieldDef, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def arrow_schema(self) -> pa.Schema:
        """Arrow schema of the Parquet twin; field metadata carries the docs for analysts."""
        return pa.schema(
            [
                pa.field(
                    f.name,
                    f.arrow_type,
                    nullable=not (f.required or f.name in self.primary_key),
                    metadata={"description": f.description, "title": f.title},
                )
                for f in self.fields
            ],
            metadata={"resource": self.name, "title": self.title},
        )


def _text(name: str, title: str, description: str, **kw: Any) -> FieldDef:
    fd = FieldDef(name, "string", TEXT, title, description, **kw)
    if fd.guarded:
        fd = FieldDef(name, "string", TEXT, title, description + CSV_GUARD_NOTE, **kw)
    return fd


def _int(name: str, title: str, description: str, **kw: Any) -> FieldDef:
    return FieldDef(name, "integer", INT, title, description, **kw)


def _dec(name: str, arrow: pa.Decimal128Type, title: str, description: str, **kw: Any) -> FieldDef:
    scale_note = (
        f" Exact decimal with at most {arrow.scale} decimal places"
        f" (Parquet: decimal128({arrow.precision}, {arrow.scale}); CSV: plain digits, never an exponent)."
    )
    return FieldDef(name, "number", arrow, title, description + scale_note, **kw)


_DOC_ID_REF = "Identifier of the document (see resource `documents`)."


def _owner_fields() -> tuple[FieldDef, FieldDef]:
    """department_id and disclosure_id: on documents, line_items and consistency alike."""
    return (
        _text("department_id", "Department id 部门编号",
              "Stable id of the department (resource `departments`): one id for every name it is printed under.",
              dictionary=True),
        _text("disclosure_id", "Disclosure id 公开编号",
              "One department, year and kind: the files it was published as (narrative and tables) share it.",
              dictionary=True),
    )
_YEAR_RANGE = {"minimum": 1949, "maximum": 2100}

DOCUMENTS = ResourceDef(
    name="documents",
    title="Documents 文档",
    description=(
        "One row per input file, good or bad. Documents that could not be read are kept"
        " with status `quarantined` and the reason in `error`/`error_code`; they have no line items."
    ),
    record_type=DocumentRecord,
    primary_key=("doc_id",),
    fields=(
        _text(
            "doc_id",
            "Document id 文档编号",
            "Stable identifier of the input document, unique in the package.",
            required=True,
        ),
        _text("source_file", "Source file 文件名", "File name of the PDF as found in the source folder."),
        _text(
            "source_url", "Source URL 来源网址", "Address the PDF was downloaded from; empty for local files."
        ),
        _text(
            "sha256",
            "SHA-256",
            "SHA-256 of the PDF's bytes (lower-case hex): identifies the exact file.",
            constraints={"pattern": SHA256_PATTERN},
        ),
        _text("department", "Department 部门", "Publishing department (部门) as printed.", dictionary=True),
        _int(
            "fiscal_year",
            "Fiscal year 年度",
            "Fiscal year (年度) the document reports on.",
            constraints=_YEAR_RANGE,
        ),
        _text(
            "doc_kind",
            "Document kind 文档类型",
            "final_account = 部门决算 (executed); budget = 部门预算 (approved); unknown when not recognised.",
            required=True,
            constraints={"enum": [k.value for k in DocKind]},
            dictionary=True,
        ),
        _int("pages", "Pages 页数", "Number of pages in the PDF.", required=True, constraints={"minimum": 0}),
        _text(
            "status",
            "Status 状态",
            "ok = published; partial = published, but some printed tables or amounts were not read (see"
            " error and resource `tables`); quarantined = nothing published (see error).",
            required=True,
            constraints={"enum": [s.value for s in DocStatus]},
            dictionary=True,
        ),
        _text(
            "error", "Error 错误",
            "Why the document was quarantined or partly read, and what can be done; empty when ok."
        ),
        _text(
            "error_code",
            "Error code 错误代码",
            "Stable code of the quarantine reason; empty when ok.",
            dictionary=True,
        ),
        _text(
            "producer",
            "Producer 生成软件",
            "Software that produced the file, from its metadata.",
            dictionary=True,
        ),
        _text(
            "unit",
            "Unit 金额单位",
            "Unit the document's tables are printed in (万元 or 元).",
            dictionary=True,
        ),
        _text(
            "tables_found",
            "Tables found 已识别表",
            "Comma-separated codes of the standard tables found.",
            constraints={"pattern": TABLE_CODE_LIST_PATTERN},
        ),
        _text(
            "tables_absent",
            "Tables absent 缺失表",
            "Comma-separated codes of the standard tables not found.",
            constraints={"pattern": TABLE_CODE_LIST_PATTERN},
        ),
        _text(
            "notes",
            "Extraction notes 提取说明",
            "Non-fatal notes from reading the document, e.g. a ruled table right after a standard table "
            "whose columns did not line up and was therefore not read (check that page by hand).",
        ),
        _int("tables_read", "Tables read 已读表数", "Standard tables read completely (or printed empty).",
             constraints={"minimum": 0}),
        _int("tables_partial", "Tables partly read 部分读取表数", "Standard tables with some printed amounts not read.",
             constraints={"minimum": 0}),
        _int("tables_unread", "Tables unread 未读表数", "Standard tables printed but not read at all.",
             constraints={"minimum": 0}),
        _int("tables_missing", "Tables missing 缺失表数",
             "Standard tables expected for the document kind (or listed in its 目录) and not found.",
             constraints={"minimum": 0}),
        _int("amounts_printed", "Amounts printed 印刷数字数",
             "Amounts printed in the standard tables' regions (see resource `tables`).", constraints={"minimum": 0}),
        _int("amounts_read", "Amounts read 已读数字数", "Printed amounts a published cell accounts for.",
             constraints={"minimum": 0}),
        _dec("coverage", pa.decimal128(6, 4), "Coverage 覆盖率",
             "amounts_read / amounts_printed over the document's standard tables; empty when none is printed."),
        _int("amounts_outside_tables", "Amounts outside standard tables 标准表外数字数",
             "Amounts printed under titles of tables that are not standard tables (e.g. 政府采购预算表), or in"
             " ruled tables under no title; listed in `notes`.", constraints={"minimum": 0}),
        _text("text_sha256", "Text SHA-256 文本指纹",
              "SHA-256 of the PDF's text layer with whitespace removed: two files with different bytes and the"
              " same text are one booklet published twice (the second is quarantined `duplicate_text`).",
              constraints={"pattern": SHA256_PATTERN}),
        *_owner_fields(),
        _text("doc_scope", "Scope 范围",
              "department = a 部门 booklet (all its units); unit = a 单位预算/单位决算 (one budget unit). A"
              " department publishes both, with different figures: two disclosures.",
              constraints={"enum": ["department", "unit"]}, dictionary=True),
    ),
)

LINE_ITEMS = ResourceDef(
    name="line_items",
    title="Line items 表格数据",
    description=(
        "One row per numeric cell of every standard table (公开01表…公开10表). Money cells carry"
        " `amount_yuan` (converted to 元 from the unit printed); count cells (table 10, the counts"
        " in table 09) leave it empty and carry `quantity`. The measure list with each measure's"
        " direction (revenue / expenditure / balance / count) is in this resource's"
        " `opendisclosure:measures` property."
    ),
    record_type=LineItem,
    primary_key=("doc_id", "table_code", "row_index", "measure"),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    fields=(
        _text("doc_id", "Document id 文档编号", _DOC_ID_REF, required=True, dictionary=True),
        _text("department", "Department 部门", "Publishing department (部门) as printed.", dictionary=True),
        _int(
            "fiscal_year", "Fiscal year 年度", "Fiscal year (年度) of the document.", constraints=_YEAR_RANGE
        ),
        _text(
            "table_code",
            "Table code 表号",
            'Standard table number as text, "01"…"10" (公开NN表; for 部门预算 documents see schemas/data/budget_tables.toml, which adds "11"/"12"). Spreadsheets opening the CSV directly may show 06 as 6; import the column as text or use the Parquet file.',
            required=True,
            constraints={"enum": list(TABLE_CODES)},
            dictionary=True,
        ),
        _int(
            "row_index",
            "Row index 行序号",
            "Position of the row within its table (reading order).",
            required=True,
            constraints={"minimum": 0},
        ),
        _text(
            "subject_system",
            "Classification 科目体系",
            "function = 支出功能分类; economic = 支出经济分类; empty when the row has no code.",
            constraints={"enum": ["function", "economic"]},
            dictionary=True,
        ),
        _text(
            "subject_code",
            "Subject code 科目编码",
            "Full classification code (function: 3/5/7 digits 类/款/项; economic: 3/5 digits 类/款), as text.",
            constraints={"pattern": SUBJECT_CODE_PATTERN},
            dictionary=True,
        ),
        _text(
            "code_source",
            "Code source 编码来源",
            "How the code was obtained: printed (whole), joined (from 类/款/项 columns), inferred (from the printed name, looked up in the reference data within the context of the previous coded row; the 01/04 class lines 一、…); empty without a code.",
            dictionary=True,
        ),
        _text(
            "subject_name",
            "Subject name 科目名称",
            "Name of the classification subject, normalized (see subject_name_printed for the printed form).",
            dictionary=True,
        ),
        _text(
            "line_label", "Line label 行标签", "Row label as printed, whitespace removed.", dictionary=True
        ),
        _text(
            "measure",
            "Measure 指标",
            "Stable snake_case key of the column (e.g. total_expenditure).",
            required=True,
            constraints={"pattern": MEASURE_PATTERN},
            dictionary=True,
        ),
        _text(
            "measure_zh",
            "Measure (Chinese) 栏目",
            "Column header as printed, whitespace removed.",
            dictionary=True,
        ),
        _dec(
            "amount_yuan",
            YUAN,
            "Amount (yuan) 金额（元）",
            "Amount in 元 (CNY), converted exactly from the document's unit; empty for counts. Phase: executed (决算) or approved (预算) according to documents.doc_kind.",
            annotations=CNY_YUAN,
        ),
        _dec(
            "quantity",
            YUAN,
            "Quantity 数量",
            "Count for cells that are not money (vehicles 辆, equipment 台套, groups 个, person-trips 人次); unit in unit_original; empty for money.",
        ),
        _dec(
            "value_original",
            FINE,
            "Value as printed 原始数值",
            "The number as printed, in unit_original.",
            required=True,
        ),
        _text(
            "unit_original",
            "Unit as printed 原始单位",
            "Unit of value_original: 万元 or 元 for money, 辆/台套/个/人次 for counts.",
            dictionary=True,
        ),
        _int(
            "page",
            "Page 页码",
            "1-based page of the PDF the cell was read from.",
            required=True,
            constraints={"minimum": 1},
        ),
        _text(
            "subject_name_printed",
            "Subject name as printed 科目名称（原文）",
            "The subject name exactly as printed (subject_name is its normalized form: NFKC, full-width"
            " brackets, no spaces, and the reference name when the printed one is a known variant or a"
            " truncated/wrapped fragment of it).",
            dictionary=True,
        ),
        _text(
            "subject_level",
            "Subject level 科目级次",
            "类 / 款 / 项 from the code's length (3/5/7 digits); empty without a valid code.",
            constraints={"enum": ["类", "款", "项"]},
            dictionary=True,
        ),
        _text(
            "parent_code",
            "Parent code 上级科目编码",
            "The code's parent (its prefix one level up: 款 → 类, 项 → 款); empty for a 类 or without a code.",
            constraints={"pattern": SUBJECT_CODE_PATTERN},
            dictionary=True,
        ),
        _text(
            "subject_flag",
            "Reference flag 科目核对标记",
            "Empty when the code and name agree with the reference data (resource `subjects`);"
            " unknown_code = code not in the reference for the fiscal year; name_mismatch = the printed"
            " name contradicts the reference name of the code; unmatched_name = a row printed without a"
            " code whose name matches no single reference subject; invalid_length = a code whose length"
            " fits no level. Flagged values are published as printed, never changed.",
            constraints={"enum": ["unknown_code", "name_mismatch", "unmatched_name", "invalid_length"]},
            dictionary=True,
        ),
        _text("phase", "Phase 阶段",
              "budget = 预算 (approved), final_account = 决算 (executed): the document's kind. Never add the two:"
              " the same table code means a different table in each (resource `table_types`).",
              constraints={"enum": ["budget", "final_account"]}, dictionary=True),
        _text("row_role", "Row role 行类型",
              "total = the table's 合计/总计 line; subtotal = 小计, 本年收入合计, 人员经费合计 …; class / kuan /"
              " xiang = a coded row at 类/款/项 level; item = an uncoded line (01/04 lines, 三公 items); memo ="
              " a `其中` line already counted above; fund_source = a funding-source row (一般公共预算资金, 其他资金) of a"
              " 预算 收入表, not a subject. Sum one role (e.g. class, or total) to avoid double counting.",
              constraints={"enum": ["total", "subtotal", "class", "kuan", "xiang", "item", "memo", "fund_source"]},
              dictionary=True),
        _text("line_key", "Line key 行键",
              "Stable key of the line across documents: the code, or the label without its numbering"
              " (`（1）公务用车购置费` → `公务用车购置费`), full-width forms folded.", dictionary=True),
        *_owner_fields(),
    ),
)

CONSISTENCY = ResourceDef(
    name="consistency",
    title="Consistency findings 一致性检查",
    description=(
        "One row per finding of the consistency rules (parents = sum of children, row totals,"
        " balances, cross-table and narrative agreement). Severity: error = beyond the rounding"
        " tolerance within a table; warning = beyond it across tables or text; info = within the"
        " tolerance (尾数误差). Zero rows means no findings."
    ),
    record_type=Finding,
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    fields=(
        _text(
            "doc_id",
            "Document id 文档编号",
            _DOC_ID_REF + " Empty for cross-document findings.",
            dictionary=True,
        ),
        _text(
            "rule_id",
            "Rule 规则",
            "Stable identifier of the rule; never renamed once published.",
            required=True,
            dictionary=True,
        ),
        _text(
            "severity",
            "Severity 严重程度",
            "error / warning / info.",
            required=True,
            constraints={"enum": [s.value for s in Severity]},
            dictionary=True,
        ),
        _text(
            "category",
            "Category 类别",
            "Group of the rule (within a table, across tables, narrative, across documents…).",
            dictionary=True,
        ),
        _text(
            "table_code",
            "Table code 表号",
            'Table(s) concerned, comma-separated codes "01"…"10" as text; empty when not one table.',
            constraints={"pattern": TABLE_CODE_LIST_PATTERN},
            dictionary=True,
        ),
        _text(
            "subject_code",
            "Subject code 科目编码",
            "Classification code concerned, as text; empty when none.",
            constraints={"pattern": SUBJECT_CODE_PATTERN},
            dictionary=True,
        ),
        _dec(
            "expected",
            FINE,
            "Expected 应为",
            "Value the rule expects (unit as in the message: 万元, 元 or %).",
        ),
        _dec("actual", FINE, "Actual 实际", "Value found in the document (same unit as expected)."),
        _dec(
            "difference",
            FINE,
            "Difference 差额",
            "Difference between actual and expected as computed by the rule (same unit).",
        ),
        _text("message", "Message 说明", "What was found, where, and what it means."),
        _int(
            "page",
            "Page 页码",
            "1-based page of the PDF; empty when not one page.",
            constraints={"minimum": 1},
        ),
        _text("finding_id", "Finding id 问题编号",
              "Stable id of the finding: the same finding (rule, document, table, code, page) has the same id in"
              " every run, so it can be cited."),
        _text("unit", "Unit 单位",
              "Unit of expected, actual and difference: 万元 / 元 (the document's unit), % (shares, rates), 分"
              " (scores), 个 (counts of amounts).", dictionary=True),
        *_owner_fields(),
    ),
)

RESOURCES: tuple[ResourceDef, ...] = (DOCUMENTS, LINE_ITEMS, CONSISTENCY)
