"""A table's parts → logical rows → RawCells: codes joined, wrapped names joined, units per row.

Stage after the finder (extract/tables.py): every part's grid is read through its
column map; rows of continuation pages follow in order; the values keep their page.
"""

from __future__ import annotations

import re

from core.records import QuarantineReason, RawCell, RawTable
from extract.empty_notes import empty_note
from extract.headers import ROW_LABEL, ColumnGroup
from extract.numbers import code_digits, is_blank, join_code, parse_amount
from extract.table_parts import LogicalRow, OpenTable, Part
from extract.text import squash_printed
from schemas.table_specs import TableSpec, count_units

_CODE_AND_NAME = re.compile(r"^(\d{3,7})(\D.*)$")
_COUNT_UNIT = re.compile(r"[（(]([^（()）]*)[)）]$")

def build_raw_table(table: OpenTable) -> RawTable:
    spec = table.spec
    rows: list[LogicalRow] = []
    problems = list(table.problems)
    wide = False
    for part in table.parts:
        for g_index, group in enumerate(part.columns.groups):
            if group.is_wide:
                wide = True
                rows.extend(_wide_rows(part, group, g_index, spec.wide_leaf_is_label))
            else:
                rows.extend(_long_rows(part, group, g_index, spec, problems))
        for col, path in part.columns.unknown:
            if any(
                part.grid.origin[r][col] and parse_amount(part.grid.text[r][col]) is not None
                for r in range(part.start_row, part.grid.n_rows)
            ):
                problems.append(
                    QuarantineReason(
                        "unknown_column",
                        f"column {path!r} holds numbers but matches no measure of {spec.name}; "
                        "add its header to the table's spec in schemas/data/",
                        spec.code,
                        part.grid.page,
                    )
                )
    if table.assigned_by_header:
        problems.append(
            QuarantineReason(
                "assigned_by_header",
                f"no title was recognized above this table; its header matches {spec.name} (and no other "
                "standard table), so it was read as that table — check its title on the page",
                spec.code,
                table.page,
            )
        )
    rows.sort(key=lambda r: r.group)  # group order, stable within a group (reading order)
    rows = _join_wrapped(rows, spec)
    cells = _cells(rows, spec, problems)
    return RawTable(
        table_code=spec.code,
        title=table.title,
        pages=sorted({p.grid.page for p in table.parts} | {table.page}),
        unit=table.unit,
        cells=cells,
        row_count=len({c.row_index for c in cells}),
        empty_note=empty_note(table.notes, table.parts),
        layout="wide" if wide else "long",
        problems=problems,
        printed=list(table.printed),
        strategy="+".join(sorted({p.grid.strategy for p in table.parts})),
    )


def _long_rows(
    part: Part, group: ColumnGroup, g_index: int, spec: TableSpec, problems: list[QuarantineReason]
) -> list[LogicalRow]:
    grid = part.grid
    out: list[LogicalRow] = []
    for r in range(part.start_row, grid.n_rows):
        texts = grid.text[r]
        code, source, code_text = _row_code(texts, grid.origin[r], group)
        # several label columns (a group name merged down, an item beside it): join them
        label = "/".join(dict.fromkeys(texts[c] for c in group.label_cols if texts[c])) or code_text
        if not code and label:
            m = _CODE_AND_NAME.match(label)
            if m and spec.subject_system:
                code, source, label = m.group(1), "printed", m.group(2)
        values: list[tuple[str, str, str]] = []
        for mc in group.measures:
            text = grid.value_text(r, mc.col)
            if is_blank(text):
                continue
            if parse_amount(text) is None:
                problems.append(
                    QuarantineReason(
                        "unparseable_cell",
                        f"cell {text!r} in column {mc.measure_zh!r}, row {label or code!r} is not a number",
                        spec.code,
                        grid.page,
                    )
                )
                continue
            values.append((mc.measure, squash_printed(mc.measure_zh), text))
        if not (code or label or values):
            continue
        first = r == part.start_row and part.continuation
        out.append(LogicalRow(g_index, grid.page, code, source, label, values, part_start=first))
    return out


def _row_code(texts: list[str], origins: list[bool], group: ColumnGroup) -> tuple[str, str, str]:
    """(code, code_source, non-code text found in code cells).

    A code cell merged across the 类/款/项 columns (the national 决算 template, as
    LibreOffice and Chromium print it) is one code: the columns it covers are
    copies, not parts.
    """
    parts: dict[str, str] = {}
    other = ""
    for col, role in group.code_cols:
        if not origins[col]:
            continue
        text = texts[col]
        digits = code_digits(text)
        if digits:
            parts.setdefault(role, digits)
        elif text and not other:
            m = _CODE_AND_NAME.match(text)
            if m and role == "code":
                parts.setdefault(role, m.group(1))
                other = squash_printed(m.group(2))
            else:
                other = text
    if "code" in parts:
        return parts["code"], "printed", other
    if "code_lei" in parts:
        code = join_code(parts["code_lei"], parts.get("code_kuan", ""), parts.get("code_xiang", ""))
        source = "joined" if len(code) > len(parts["code_lei"]) else "printed"
        return code, source, other
    return "", "", other


def _wide_rows(part: Part, group: ColumnGroup, g_index: int, leaf_is_label: bool) -> list[LogicalRow]:
    """Shanghai's 09: one data row; the header above each value names its line.

    The leaf is the measure (`预算数`/`决算数`) unless the spec says the leaf is the
    line itself (Jiangsu's 三公 budget: `公务用车购置费` over one amount).
    """
    paths = [mc.path.split("/") + ([""] if leaf_is_label else []) for mc in group.measures]
    shared = 0
    while all(len(p) > shared + 1 for p in paths) and len({p[shared] for p in paths}) == 1:
        shared += 1
    grid = part.grid
    by_label: dict[str, LogicalRow] = {}
    for r in range(part.start_row, grid.n_rows):
        for mc, path in zip(group.measures, paths, strict=True):
            text = grid.value_text(r, mc.col)
            if is_blank(text) or parse_amount(text) is None:
                continue
            label = "/".join(squash_printed(p) for p in path[shared:-1])
            row = by_label.setdefault(label, LogicalRow(g_index, grid.page, "", "", label, []))
            row.values.append((mc.measure, squash_printed(mc.measure_zh), text))
    order = {"/".join(squash_printed(x) for x in p[shared:-1]): i for i, p in enumerate(paths)}
    return sorted(by_label.values(), key=lambda row: order.get(row.label, 0))


def _join_wrapped(rows: list[LogicalRow], spec: TableSpec) -> list[LogicalRow]:
    """A name wrapped onto its own row (empty code, no values) belongs to the row above.

    In coded tables any such row after a coded row is a wrapped name. In the summary
    tables, whose rows legitimately carry no value, only a fragment at the top of a
    continuation page is one: the cell that the page break cut
    (Jiangsu 2017 p.7–8: `八、社会保障和就` / `业支出`).
    """
    out: list[LogicalRow] = []
    for row in rows:
        prev = out[-1] if out else None
        fragment = (
            prev is not None
            and prev.group == row.group
            and not row.code
            and not row.values
            and bool(row.label)
            and not ROW_LABEL.match(row.label)
        )
        if fragment and prev is not None and (prev.code if spec.subject_system else row.part_start):
            prev.label += row.label
            continue
        out.append(row)
    return out


def _cells(rows: list[LogicalRow], spec: TableSpec, problems: list[QuarantineReason]) -> list[RawCell]:
    cells: list[RawCell] = []
    units = count_units()
    section_unit = ""
    for index, row in enumerate(rows, start=1):
        count_unit = ""
        if spec.kind == "count" or (spec.count_label_pattern and spec.count_label_pattern.search(row.label)):
            m = _COUNT_UNIT.search(row.label)
            printed = m.group(1) if m else ""
            if printed in units:
                count_unit = units[printed]
                if ROW_LABEL.match(row.label) and not row.label[0].isdigit():
                    section_unit = count_unit
            else:
                count_unit = section_unit or units.get("台、辆", "")
        for measure, measure_zh, text in row.values:
            value = parse_amount(text)
            if value is None:  # pragma: no cover - filtered when the row was read
                continue
            cells.append(
                RawCell(
                    row_index=index,
                    line_label=row.label,
                    subject_code=row.code,
                    code_source=row.code_source,
                    subject_name=row.label if row.code else "",
                    measure=measure,
                    measure_zh=measure_zh,
                    value=value,
                    text=text,
                    page=row.page,
                    count_unit=count_unit,
                )
            )
    return cells
