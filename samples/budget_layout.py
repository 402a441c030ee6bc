"""Turn a 部门预算 sample's table rows into grids, from header data (samples/data/standard_budget_tables.toml).

Why apart from samples/layout.py: the 决算 grids follow one national template and are
built by code there; the budget tables differ by province and year, so what each one
prints over its figures (header groups, column headers, code levels) is data, and this
module only knows three shapes of grid:

    summary  01 / 04: an income side and an expenditure side next to each other
    coded    02 / 03 / 05 / 06 / 07 / 08: rows keyed by a code split over 类/款(/项) columns
    wide     09: one row of figures under a tree of header cells (each leaf is a line)

The header paths these grids produce are the ones schemas/data/budget_tables.toml matches;
the ground truth is read off the same cells that are drawn (`Cell.truth`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from samples.booklet_data import Sample, SampleDataError, StandardTable, check_cell, is_number
from samples.grid import NUM, Cell, Column, TableSheet, Truth
from samples.layout import _clean, _rows, _scaled, _sheet, _split_code, _value_cell

#: labels printed centred in a summary table (the closing lines of each side)
_CENTRED = ("总计", "合计")


def _unit(sample: Sample, std: StandardTable) -> str:
    return std.unit or sample.settings.unit


def _measures(std: StandardTable, key: str = "measures") -> list[tuple[str, str]]:
    return [(str(h), str(k)) for h, k in std.layout[key]]


# ---------------------------------------------------------------- 01 / 04
def summary_table(sample: Sample, std: StandardTable) -> TableSheet:
    """Two sides, each: a label column and its measure columns, under the side's head."""
    s = sample.settings
    code = std.code
    unit = _unit(sample, std)
    sides: list[dict[str, Any]] = std.layout["sides"]
    widths = _scaled([float(w) for w in std.layout["widths"]], std.orientation)
    columns: list[Column] = []
    header: list[Cell] = []
    for side in sides:
        c0 = len(columns)
        measures = [(str(h), str(k)) for h, k in side["measures"]]
        columns.append(Column(widths[c0], "label"))
        columns += [Column(widths[c0 + 1 + i], "measure", k) for i, (_, k) in enumerate(measures)]
        header.append(Cell(0, c0, side["head"], colspan=1 + len(measures)))
        header.append(Cell(1, c0, side["label"]))
        header += [Cell(1, c0 + 1 + i, h) for i, (h, _) in enumerate(measures)]
    if len(columns) != len(widths):
        raise SampleDataError(f"table {code}: {len(widths)} widths for {len(columns)} columns")

    where = f"{s.name} table {code}"
    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(_rows(sample.tables[code], len(columns), where)):
        here = f"{where} row {i + 1}"
        cells: list[Cell] = []
        col = 0
        for side in sides:
            label = str(row[col])
            keys = [str(k) for _, k in side["measures"]]
            values = [str(v) for v in row[col + 1 : col + 1 + len(keys)]]
            if not label and any(is_number(check_cell(v, here)) for v in values):
                raise SampleDataError(f"{here}: a number without a row label")
            centred = label.endswith(_CENTRED)
            cells.append(Cell(0, col, label, align="center" if centred else "left"))
            for j, (key, text) in enumerate(zip(keys, values, strict=True)):
                truth = Truth("", _clean(label), key, text, unit)
                cells.append(_value_cell(col + 1 + j, text, here, truth))
            col += 1 + len(keys)
        body.append(tuple(cells))
    return _sheet(sample, code, columns, 2, header, body)


# ---------------------------------------------------------------- 02 / 03 / 05 / 06 / 07 / 08
def coded_table(sample: Sample, std: StandardTable) -> TableSheet:
    """Code columns (one per level when split, one when whole), a name column, measure columns.

    Header (split): top over code + name | group over the measures; the code header over the
    levels, the name and every measure header down to the level row; then the levels.
    A row without a code is the 合计 row: its label spans the code and name columns.
    """
    s = sample.settings
    code = std.code
    unit = _unit(sample, std)
    lay = std.layout
    levels = [(str(name), int(digits)) for name, digits in lay["levels"]]
    measures = _measures(std)
    split = s.code_style == "split"
    ncode = len(levels) if split else 1
    nrows = 3 if split else 2
    w = lay["widths"]
    raw_widths = [float(w["level"])] * ncode if split else [float(w["level"]) * 2]
    widths = _scaled(raw_widths + [float(w["name"])] + [float(w["measure"])] * len(measures), std.orientation)
    roles = ["code_lei", "code_kuan", "code_xiang"][: len(levels)] if split else ["code"]
    columns = [Column(x, r) for x, r in zip(widths, roles, strict=False)]
    columns.append(Column(widths[ncode], "label"))
    columns += [Column(x, "measure", k) for x, (_, k) in zip(widths[ncode + 1 :], measures, strict=True)]

    header = [
        Cell(0, 0, lay["top"], colspan=ncode + 1),
        Cell(0, ncode + 1, lay["group"], colspan=len(measures)),
        Cell(1, 0, lay["code"], colspan=ncode, rowspan=1 if split else nrows - 1),
        Cell(1, ncode, lay["name"], rowspan=nrows - 1),
    ]
    header += [Cell(1, ncode + 1 + i, h, rowspan=nrows - 1) for i, (h, _) in enumerate(measures)]
    if split:
        header += [Cell(2, i, name) for i, (name, _) in enumerate(levels)]

    where = f"{s.name} table {code}"
    digits = tuple(d for _, d in levels)
    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(_rows(sample.tables[code], 2 + len(measures), where)):
        subject, name = str(row[0]), str(row[1])
        if subject:
            parts = _split_code(subject, digits) if split else [subject]
            cells = [Cell(0, j, p, align="center" if split else "left", font=NUM) for j, p in enumerate(parts)]
            cells.append(Cell(0, ncode, name, align="left"))
        else:
            cells = [Cell(0, 0, name, colspan=ncode + 1, align="center")]
        for j, ((_, key), text) in enumerate(zip(measures, row[2:], strict=True)):
            truth = Truth(subject, _clean(name), key, str(text), unit)
            cells.append(_value_cell(ncode + 1 + j, str(text), f"{where} row {i + 1}", truth))
        body.append(tuple(cells))
    return _sheet(sample, code, columns, nrows, header, body)


# ---------------------------------------------------------------- 09
def _depth(nodes: list[dict[str, Any]]) -> int:
    return max(1 + (_depth(n["children"]) if n.get("children") else 0) for n in nodes)


def _header_tree(
    nodes: list[dict[str, Any]], row: int, col: int, depth: int, path: tuple[str, ...], out: list[Cell],
    leaves: list[str],
) -> int:
    """Place the header cells of `nodes` from (row, col); a leaf reaches down to the last header row."""
    for node in nodes:
        here = (*path, str(node["text"]))
        children = node.get("children") or []
        if children:
            start = col
            col = _header_tree(children, row + 1, col, depth, here, out, leaves)
            out.append(Cell(row, start, node["text"], colspan=col - start))
        else:
            out.append(Cell(row, col, node["text"], rowspan=depth - row))
            leaves.append("/".join(here))
            col += 1
    return col


def wide_table(sample: Sample, std: StandardTable) -> TableSheet:
    """A tree of header cells over one (or more) rows of figures; each leaf's header path is its line."""
    s = sample.settings
    code = std.code
    unit = _unit(sample, std)
    tree: list[dict[str, Any]] = std.layout["header"]
    depth = _depth(tree)
    header: list[Cell] = []
    leaves: list[str] = []
    _header_tree(tree, 0, 0, depth, (), header, leaves)
    widths = _scaled([float(std.layout["widths"]["leaf"])] * len(leaves), std.orientation)
    measure = str(std.layout["measure"])
    columns = [Column(x, "measure", measure) for x in widths]

    where = f"{s.name} table {code}"
    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(_rows(sample.tables[code], len(leaves), where)):
        cells = [
            _value_cell(j, str(text), f"{where} row {i + 1}", Truth("", _clean(line), measure, str(text), unit))
            for j, (line, text) in enumerate(zip(leaves, row, strict=True))
        ]
        body.append(tuple(cells))
    return _sheet(sample, code, columns, depth, header, body)


SHAPES: dict[str, Callable[[Sample, StandardTable], TableSheet]] = {
    "summary": summary_table,
    "coded": coded_table,
    "wide": wide_table,
}


def build_budget_sheets(sample: Sample) -> list[TableSheet]:
    """The standard tables of a budget sample, in booklet order, each built by its shape."""
    sheets: list[TableSheet] = []
    for code, std in sample.standard.items():
        if std.shape not in SHAPES:
            raise SampleDataError(f"table {code}: shape {std.shape!r} is none of {sorted(SHAPES)}")
        sheets.append(SHAPES[std.shape](sample, std))
    return sheets
