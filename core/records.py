"""Typed records passed between stages.

Why dataclasses rather than DataFrames: each stage hands the next a small, typed,
immutable value whose fields are the output contract (DESIGN.md §4); the
publishing stage turns them into Arrow tables in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class DocStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # some printed tables (or amounts) not read; the rest is published
    QUARANTINED = "quarantined"


#: Document statuses whose line items are published.
PUBLISHED = frozenset({DocStatus.OK.value, DocStatus.PARTIAL.value})


class TableStatus(StrEnum):
    READ = "read"  # every amount printed in its region was published
    PARTIAL = "partial"  # some published, some printed amounts not read
    UNREAD = "unread"  # printed, nothing published (reason says why)
    EMPTY = "empty"  # printed without any amount (an 空表)
    MISSING = "missing"  # expected for the document's kind (or listed in its 目录) but not printed


class DocKind(StrEnum):
    FINAL_ACCOUNT = "final_account"
    BUDGET = "budget"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class QuarantineReason:
    """Why a document (or one of its tables) could not be published.

    `code` is stable (never renamed once published); `message` tells the user
    what happened and what they can do.
    """

    code: str
    message: str
    table_code: str = ""
    page: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.table_code:
            where += f" [table {self.table_code}"
            where += f", page {self.page}]" if self.page else "]"
        elif self.page:
            where += f" [page {self.page}]"
        return f"{self.code}: {self.message}{where}"


@dataclass(frozen=True)
class PrintedNumber:
    """One amount printed on a page, where it is, and its exact value (number accounting)."""

    page: int
    text: str
    value: Decimal
    top: float
    x0: float
    in_grid: bool  # inside a ruled table drawn on the page


@dataclass(frozen=True)
class RawCell:
    """One numeric cell as read from the PDF, before unit conversion."""

    row_index: int
    line_label: str
    subject_code: str
    code_source: str  # printed / joined / inferred / "" (no code)
    subject_name: str
    measure: str
    measure_zh: str
    value: Decimal
    text: str  # the cell text as printed
    page: int
    count_unit: str = ""  # set when the cell is a count (辆, 台套, 个, 人次), not money


@dataclass
class RawTable:
    """One standard table found in a document, cells in reading order."""

    table_code: str
    title: str
    pages: list[int]
    unit: str  # 万元 / 元 / 台、辆、套 …
    cells: list[RawCell] = field(default_factory=list)
    row_count: int = 0
    empty_note: str = ""  # the 空表说明 when the table carries no data
    layout: str = ""  # long / wide: which reading of the header matched
    problems: list[QuarantineReason] = field(default_factory=list)
    #: every amount printed in the table's region (extract/accounting.py PrintedNumber), read or not
    printed: list[PrintedNumber] = field(default_factory=list)
    strategy: str = ""  # how its grids were found: lines (ruled or rectangle borders) / text (alignment)


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    source_file: str
    source_url: str
    sha256: str
    department: str
    fiscal_year: int | None
    doc_kind: str
    pages: int
    status: str
    error: str
    error_code: str = ""
    producer: str = ""
    unit: str = ""
    tables_found: str = ""  # comma-separated table codes
    tables_absent: str = ""
    notes: str = ""  # non-fatal extraction notes, e.g. a ruled table after a standard one left unread
    tables_read: int = 0
    tables_partial: int = 0
    tables_unread: int = 0
    tables_missing: int = 0
    amounts_printed: int = 0
    amounts_read: int = 0
    coverage: Decimal | None = None
    amounts_outside_tables: int = 0  # printed under titles of tables no spec knows
    text_sha256: str = ""  # SHA-256 of the text layer (whitespace removed): the same booklet re-exported
    department_id: str = ""  # normalize/departments.py: one id for every name a department is printed under
    disclosure_id: str = ""  # one department, year and kind: its files published separately share it
    doc_scope: str = "department"  # department (部门预算/决算) or unit (单位预算/决算: one budget unit)


@dataclass(frozen=True)
class TableRecord:
    """One standard table of one document: what was printed, what was read, and why not.

    `amounts_printed` counts the amounts printed in the table's region (number
    accounting, extract/accounting.py); `amounts_read` those a published cell
    accounts for; `coverage` their ratio (None when nothing is printed).
    """

    doc_id: str
    table_code: str
    table_name: str
    title: str
    pages: str  # ";"-joined physical pages
    status: str
    reason_code: str
    reason: str
    cells: int
    amounts_printed: int
    amounts_read: int
    coverage: Decimal | None
    listed_in_contents: str = "false"  # "true" when the booklet's 目录 lists the table
    unread_sample: str = ""
    strategy: str = ""  # reading strategy of its grids: lines / text / lines+text  # the first amounts not read, with their pages


@dataclass(frozen=True)
class AccountingGap:
    """Amounts of one table page that the accounting could not match (for the findings).

    kind `not_read`: printed, no published cell has the value; `not_printed`: a
    published value that its page does not print (a reading error).
    """

    table_code: str
    page: int
    kind: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class TextIssue:
    """A proof-reading slip in the booklet's prose (extract/hygiene.py): placeholder, doubled_punctuation,
    doubled_word or percent_precision; `text` is what is printed, `context` the characters around it."""

    page: int
    kind: str
    text: str
    context: str


@dataclass(frozen=True)
class LineItem:
    doc_id: str
    department: str
    fiscal_year: int | None
    table_code: str
    row_index: int
    subject_system: str  # function / economic / ""
    subject_code: str
    code_source: str
    subject_name: str
    line_label: str
    measure: str
    measure_zh: str
    amount_yuan: Decimal | None
    quantity: Decimal | None
    value_original: Decimal
    unit_original: str
    page: int
    # Set by normalize/subjects.py against the reference data (schemas/reference.py):
    subject_name_printed: str = ""  # the subject name as printed; subject_name is the normalized one
    subject_level: str = ""  # 类 / 款 / 项, "" without a (valid) code
    parent_code: str = ""  # the code's prefix one level up (款 → 类, 项 → 款)
    subject_flag: str = ""  # "" / unknown_code / name_mismatch / unmatched_name / invalid_length
    # Set by normalize/rows.py and normalize/departments.py: what the row is, whose it is
    phase: str = ""  # budget / final_account (the document's kind): never sum across phases
    row_role: str = ""  # total / subtotal / class / kuan / xiang / item / memo (normalize/rows.py)
    line_key: str = ""  # stable key of the line: the code, or the label without its numbering
    department_id: str = ""
    disclosure_id: str = ""


@dataclass(frozen=True)
class Finding:
    doc_id: str
    rule_id: str
    severity: str
    category: str
    table_code: str
    subject_code: str
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    message: str
    page: int | None
    # Set when the package is assembled (flows/content.py → checks/citation.py)
    finding_id: str = ""  # stable across runs for the same finding (a hash of what and where)
    unit: str = ""  # unit of expected / actual / difference: 万元, 元, %, 分, 个
    department_id: str = ""
    disclosure_id: str = ""


@dataclass(frozen=True)
class NarrativeFigure:
    """One figure quoted by the 情况说明 (第三部分), with the table cell it should repeat when known.

    `kind`: amount / share / growth_amount / growth_rate / completion_rate / count.
    `aspect`: what of the subject an amount is (年初预算数 / 全年预算数 / 决算数, "" = the amount itself).
    `group` numbers the run of figures about one subject (an amount, its share, growth, completion);
    `base_subject` / `base_value` are the whole a share is taken of (value as quoted, when quoted).
    `table_code`, `measure`, `line_label`, `subject_code` name the cell; empty when unknown.
    """

    doc_id: str
    page: int
    position: int  # order in the narrative, from 1
    group: int
    sentence: str
    subject: str
    aspect: str
    kind: str
    value: Decimal
    unit: str
    direction: str  # 增加 / 减少 / 持平 / 增长 / 下降 or ""
    base_subject: str = ""
    base_value: Decimal | None = None
    table_code: str = ""
    measure: str = ""
    line_label: str = ""
    subject_code: str = ""


@dataclass(frozen=True)
class PerformanceIndicator:
    """One row of a 项目支出绩效自评表: a funds line or an indicator (一级/二级/三级指标)."""

    doc_id: str
    project: str
    table_instance: int  # 1, 2, … in print order
    page: int
    row_index: int
    section: str  # funds / indicator / total
    level1: str
    level2: str
    level3: str
    target: str  # 年度指标值 as printed (funds rows: "")
    actual: str  # 实际完成值 as printed
    weight: Decimal | None  # 分值
    score: Decimal | None  # 得分
    initial_budget: Decimal | None = None  # 年初预算数
    full_year_budget: Decimal | None = None  # 全年预算数 A
    executed: Decimal | None = None  # 全年执行数 B
    execution_rate: str = ""  # 执行率 as printed
    implementer: str = ""  # 实施单位 as printed
    deviation: str = ""  # 偏差原因分析及改进措施 as printed


@dataclass
class Department:
    """One row of the `departments` resource."""

    department_id: str
    name: str  # canonical
    names_printed: str  # every name printed, ";"-joined, in first-seen order
    level: str  # province / city / district / ""
    region: str  # the place prefix (`江苏省`, `上海市普陀区`), "" when none
    alias_source: str = ""  # provenance of the alias rows used, ";"-joined
    printed: list[str] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class YearMention:
    """A year printed where it names the booklet's own year (extract/headings.py).

    `kind`: part_heading (第二部分 2024年度部门决算表), table_title (2024年部门收入预算总表),
    cover_title (2024年度部门决算) or as_of_date (截至2024年12月31日, with `month` and `day`);
    `text` is the heading or date as printed (whitespace removed); `context` the sentence
    around an as-of date; `assets` is true when that sentence reports holdings (资产, 车辆, 房屋, 设备).
    """

    page: int
    kind: str
    year: int
    text: str
    month: int | None = None
    day: int | None = None
    context: str = ""
    assets: bool = False


@dataclass(frozen=True)
class NarrativeOutline:
    """What a booklet's 情况说明 covers (extract/headings.py), for the completeness of the narrative.

    `has_narrative`: a 情况说明 is printed (a heading outside the 目录 with prose after it);
    `omitted`: the booklet says its narrative is left out (`本说明从略`);
    `covered`: topics the narrative reports (a heading or a sentence with an amount), e.g. sangong;
    `mentioned`: topics the booklet names anywhere (目录, a table, the glossary);
    `first_page`: the page of the first narrative heading (None without a narrative).
    """

    has_narrative: bool = False
    omitted: bool = False
    covered: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    first_page: int | None = None


def items_of_documents(items: Sequence[Any]) -> Callable[[str], Sequence[Any]]:
    """`doc_id → its line items`. A run's items are a view that reads them per document
    (normalize.spool.LineItemView.of_document); a plain list is grouped once."""
    of_document: Callable[[str], Sequence[Any]] | None = getattr(items, "of_document", None)
    if of_document is not None:
        return of_document
    grouped: dict[str, list[Any]] = {}
    for item in items:
        grouped.setdefault(item.doc_id, []).append(item)
    return lambda doc_id: grouped.get(doc_id, [])
