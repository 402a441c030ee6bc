"""One document's line items indexed for the rules: tables → rows → cells by measure."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.records import LineItem

CLASS_NUMBERING = re.compile(r"^[一二三四五六七八九十百零〇]+[、.．]\s*")


def normalize_name(text: str) -> str:
    """NFKC, whitespace removed: the form used to match names across tables."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def class_name(label: str) -> str:
    """'八、社会保障和就业支出' → '社会保障和就业支出'; '' for a label without 一、 numbering."""
    label = normalize_name(label)
    match = CLASS_NUMBERING.match(label)
    return label[match.end():] if match else ""


@dataclass
class Row:
    """One printed row of a table: its label, code and the cells it carries."""

    table_code: str
    row_index: int
    subject_code: str
    subject_name: str
    line_label: str
    cells: dict[str, LineItem] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return min(i.page for i in self.cells.values())

    @property
    def name(self) -> str:
        return self.subject_name or self.line_label

    def value(self, measure: str) -> Decimal | None:
        item = self.cells.get(measure)
        return item.value_original if item else None

    def describe(self) -> str:
        """'03 2010601 行政运行' / '02 合计'."""
        return " ".join(p for p in (self.table_code, self.subject_code, self.name) if p)


class DocumentView:
    """Read-only index of one document's money line items."""

    def __init__(self, doc_id: str, items: Sequence[LineItem], doc_kind: str = "final_account",
                 empty_tables: Collection[str] = (), titles: Mapping[str, str] | None = None) -> None:
        self.doc_id = doc_id
        #: final_account / budget: which table set (schemas/data/<kind>_tables.toml) the items were read with
        self.doc_kind = doc_kind
        #: tables the booklet prints with no value (DocumentResult.table_notes): their figures are 0;
        #: a table neither here nor among the items is not printed, and its figures are unknown
        self.empty_tables = frozenset(empty_tables)
        #: table_code → its title as printed (TableRecord.title): which funds a table covers is read off it
        self.titles = dict(titles or {})
        self._rows: dict[str, dict[int, Row]] = {}
        units: Counter[str] = Counter()
        for item in items:
            if item.quantity is not None and item.amount_yuan is None:
                continue  # counts (辆, 人次) are not money
            rows = self._rows.setdefault(item.table_code, {})
            row = rows.get(item.row_index)
            if row is None:
                row = rows[item.row_index] = Row(
                    item.table_code, item.row_index, item.subject_code, item.subject_name, item.line_label
                )
            row.cells.setdefault(item.measure, item)
            units[item.unit_original] += 1
        self.unit = units.most_common(1)[0][0] if units else ""

    def rows(self, table_code: str) -> list[Row]:
        return [self._rows.get(table_code, {})[k] for k in sorted(self._rows.get(table_code, {}))]

    def coded_rows(self, table_code: str) -> dict[str, Row]:
        """Rows by subject code (the first row printed with each code)."""
        out: dict[str, Row] = {}
        for row in self.rows(table_code):
            if row.subject_code:
                out.setdefault(row.subject_code, row)
        return out

    def labelled(self, table_code: str, label: str, measure: str) -> Row | None:
        """The first row with this exact label (whitespace-insensitive) that carries `measure`."""
        wanted = normalize_name(label)
        for row in self.rows(table_code):
            if normalize_name(row.line_label) == wanted and measure in row.cells:
                return row
        return None

    def total_row(self, table_code: str) -> Row | None:
        """The `合计` row of a function-coded table (no code)."""
        for row in self.rows(table_code):
            if not row.subject_code and normalize_name(row.line_label) in {"合计", "总计"}:
                return row
        return None

    def class_rows_by_name(self, table_code: str) -> dict[str, Row]:
        """3-digit (类) rows by normalized name."""
        out: dict[str, Row] = {}
        for code, row in self.coded_rows(table_code).items():
            if len(code) == 3:
                out.setdefault(normalize_name(row.name), row)
        return out

    def tables(self) -> Iterator[str]:
        return iter(sorted(self._rows))
