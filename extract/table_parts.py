"""The pieces a table is assembled from while the finder walks the pages.

A title line, a grid assigned to a table (`Part`), the table being read (`OpenTable`),
a table under a title no spec knows (`OtherTable`), and one logical row of values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.records import PrintedNumber, QuarantineReason
from extract.grid import Grid
from extract.headers import ColumnMap
from schemas.table_specs import TableSpec


@dataclass
class PageLine:
    text: str
    top: float
    bottom: float


@dataclass
class Part:
    grid: Grid
    columns: ColumnMap
    start_row: int  # first data row
    continuation: bool = False  # read from a page after the table's first grid


@dataclass
class OpenTable:
    spec: TableSpec
    title: str
    page: int
    top: float
    unit: str = ""
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[QuarantineReason] = field(default_factory=list)
    printed: list[PrintedNumber] = field(default_factory=list)  # amounts its region prints
    index_bands: list[tuple[float, float, float]] = field(default_factory=list)  # code/行次 columns
    assigned_by_header: bool = False  # no title was recognized: the header matched this spec alone


@dataclass
class OtherTable:
    """A table under a title no spec knows: its amounts are recorded, not read."""

    title: str
    page: int
    printed: list[PrintedNumber] = field(default_factory=list)
    index_bands: list[tuple[float, float, float]] = field(default_factory=list)
    assigned: OpenTable | None = None  # the standard table its header turned out to be


@dataclass
class LogicalRow:
    group: int
    page: int
    code: str
    code_source: str
    label: str
    values: list[tuple[str, str, str]]  # (measure, measure_zh, text)
    part_start: bool = False  # the first row read from a continuation page
