"""Read a table's header rows into column roles and measure keys, using a TableSpec.

Each column's header path is the text of every header cell above it (merged cells
included), consecutive repeats removed: `收入/金额`, `本年支出/小计`,
`项目/支出功能分类科目编码/类`. The spec's ordered regex rules turn a path into a
role or a measure key. A label or code column seen after a measure column starts a
new column group (the two sides of 01/04, the side-by-side lists of 06).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.grid import Grid
from extract.numbers import is_blank, parse_amount
from extract.text import title_key
from schemas.table_specs import TableSpec

_LINE_NO_WORDS = {"栏次", "行次"}
_CODE_PART_WORDS = {"类", "款", "项"}
#: Row labels that start the data part of a table (not header text).
ROW_LABEL = re.compile(
    r"^(合计|总计|[一二三四五六七八九十]+、|\d+[.、．]|[（(]\d+[)）]|其中|本年|年初|年末|使用|结余|人员经费|公用经费)"
)
_CODE_START = re.compile(r"^\d{3,7}(?![\d年])")


@dataclass
class MeasureColumn:
    col: int
    measure: str
    measure_zh: str  # leaf header as printed, whitespace removed
    path: str


@dataclass
class ColumnGroup:
    label_cols: list[int] = field(default_factory=list)
    code_cols: list[tuple[int, str]] = field(default_factory=list)  # (col, role)
    line_no_cols: list[int] = field(default_factory=list)
    measures: list[MeasureColumn] = field(default_factory=list)

    @property
    def is_wide(self) -> bool:
        """No label or code column: the header above each value names its line."""
        return not self.label_cols and not self.code_cols


@dataclass
class ColumnMap:
    groups: list[ColumnGroup]
    unknown: list[tuple[int, str]]  # columns no rule matched: (col, path)
    header_rows: int
    n_cols: int


def is_line_no_row(cells: list[str]) -> bool:
    """The `栏次 1 2 3` row under the headers: layout indexes, not values.

    Printed with its word (`栏次`, `行次`) or, in some templates, as the bare
    numbers 1, 2, 3 … under each column: both are column numbers.
    """
    filled = [c for c in cells if c]
    if not filled:
        return False
    has_word = any(title_key(c) in _LINE_NO_WORDS or title_key(c).startswith("栏次") for c in filled)
    numbers = [c for c in filled if c.isdigit()]
    others = [c for c in filled if not c.isdigit() and title_key(c) not in _LINE_NO_WORDS]
    if has_word:
        return not others and len(numbers) >= 1
    distinct = [int(c) for c in dict.fromkeys(numbers)]  # merged cells repeat a number
    return not others and len(distinct) >= 3 and distinct == list(range(distinct[0], distinct[0] + len(distinct)))


def is_data_row(cells: list[str], origins: list[bool]) -> bool:
    """A row that carries values or a row label, as opposed to header text.

    Header rows can contain words that are also row labels (`合计` over a column
    group, `本年收入合计` as a measure), so a row label only starts the data when
    it is the row's first cell and every other cell is a number or blank.
    """
    if is_line_no_row(cells):
        return False
    filled = [t for t, is_origin in zip(cells, origins, strict=True) if is_origin and t]
    if not filled:
        return False
    if any(parse_amount(t) is not None and ("." in t or "," in t) for t in filled):
        return True
    first = filled[0]
    if _CODE_START.match(first):
        return True
    if ROW_LABEL.match(first):
        return all(parse_amount(t) is not None or is_blank(t) for t in filled[1:])
    return False


def header_row_count(grid: Grid) -> int:
    """Rows before the first data row (0 for a continuation without a header).

    The `栏次 1 2 3` row is the header's last row wherever it is printed: rows under it
    are data even when they carry only 行次 numbers and labels (04's empty lines).
    """
    for r in range(grid.n_rows):
        if is_line_no_row(grid.text[r]):
            return r + 1
        if is_data_row(grid.text[r], grid.origin[r]):
            return r
    return grid.n_rows


def _path(grid: Grid, col: int, header_rows: int) -> list[str]:
    parts: list[str] = []
    for r in range(header_rows):
        if is_line_no_row(grid.text[r]):
            continue  # `栏次 1 2 3`: layout indexes, part of no column's name
        text = grid.text[r][col]
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return parts


def read_columns(grid: Grid, spec: TableSpec, header_rows: int) -> ColumnMap:
    """Map every column of a grid to a role or measure by the spec's rules."""
    absorbed = _absorb_code_part_headers(grid, header_rows)
    groups: list[ColumnGroup] = [ColumnGroup()]
    unknown: list[tuple[int, str]] = []
    for col in range(grid.n_cols):
        parts = _path(grid, col, header_rows)
        if col in absorbed:
            parts.append(absorbed[col])
        path = "/".join(parts)
        rule = spec.classify(title_key(path).replace("／", "/"))
        if rule is None:
            if path:
                unknown.append((col, path))
            continue
        current = groups[-1]
        if rule.role in ("label", "code", "code_lei") and current.measures:
            current = ColumnGroup()
            groups.append(current)
        if rule.role == "label":
            current.label_cols.append(col)
        elif rule.role == "line_no":
            current.line_no_cols.append(col)
        elif rule.role:
            current.code_cols.append((col, rule.role))
        else:
            leaf = parts[-1] if parts else ""
            current.measures.append(MeasureColumn(col, rule.measure, leaf, path))
    for group in groups:
        _name_code_parts(group)
    groups = [g for g in groups if g.measures]
    return ColumnMap(groups=groups, unknown=unknown, header_rows=header_rows, n_cols=grid.n_cols)


def _absorb_code_part_headers(grid: Grid, header_rows: int) -> dict[int, str]:
    """`类 款 项` printed in the first data row's code cells (a missing rule merged the rows).

    They are header text: moved into the column's path and blanked in the data.
    """
    if header_rows >= grid.n_rows or header_rows == 0:
        return {}
    row = grid.text[header_rows]
    absorbed = {c: t for c, t in enumerate(row) if t in _CODE_PART_WORDS}
    for c in absorbed:
        row[c] = ""
    return absorbed


def _name_code_parts(group: ColumnGroup) -> None:
    """Several plain `科目编码` columns side by side are 类/款/项 in order."""
    plain = [c for c, role in group.code_cols if role == "code"]
    if len(plain) > 1:
        order = ["code_lei", "code_kuan", "code_xiang"]
        group.code_cols = [(c, order[i] if i < 3 else "code_xiang") for i, c in enumerate(plain)]