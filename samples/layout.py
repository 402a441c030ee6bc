"""Turn one table's data rows into a grid of cells: columns, merged header cells, body rows.

Why apart from drawing: what a table *is* (which cell spans which, which cell is a
number and which measure it belongs to) is decided here once, and both the PDF
renderer and the ground truth read the same `TableSheet`, so they cannot disagree.
Header texts and measure keys follow schemas/data/final_account_tables.toml; the
header paths they produce (e.g. `项目/支出功能分类科目编码/类`, `支出/合计`,
`本年支出/小计`) are the ones that spec matches.
"""

from __future__ import annotations

from typing import Any

from samples.booklet_data import DASH, Sample, SampleDataError, check_cell, is_number
from samples.grid import NUM, USABLE_WIDTH, Cell, Column, TableSheet, Truth

SPACED_XIANGMU = "项    目"  # real headers letter-space short labels; extractors squash whitespace


def _clean(label: str) -> str:
    """`line_label` as the ground truth records it: whitespace removed."""
    return "".join(label.split())


def _scaled(widths: list[float], orientation: str) -> list[float]:
    """Stretch column widths so the table fills the usable page width."""
    factor = USABLE_WIDTH[orientation] / sum(widths)
    return [w * factor for w in widths]


def _value_cell(col: int, text: str, where: str, truth: Truth | None) -> Cell:
    text = check_cell(text, where)
    if text == DASH:
        return Cell(0, col, text, align="center")
    truth = truth if is_number(text) else None
    return Cell(0, col, text, align="right", font=NUM, truth=truth, is_value=True)


def _rows(raw: dict[str, Any], width: int, where: str) -> list[list[Any]]:
    rows: list[list[Any]] = list(raw.get("rows", []))
    for i, row in enumerate(rows):
        if len(row) != width:
            raise SampleDataError(f"{where} row {i + 1}: {len(row)} cells, expected {width}")
    return rows


# ---------------------------------------------------------------- function-code tables
# Measures: (header, measure key) or (group header, [(header, key), ...]).
MeasureSpec = tuple[str, Any]

FUNCTION_TABLES: dict[str, list[MeasureSpec]] = {
    "02": [
        ("本年收入合计", "total_income"),
        ("财政拨款收入", "fiscal_appropriation_income"),
        ("上级补助收入", "superior_subsidy_income"),
        ("事业收入", "business_income"),
        ("经营收入", "operating_income"),
        ("附属单位上缴收入", "subordinate_remittance_income"),
        ("其他收入", "other_income"),
    ],
    "03": [
        ("本年支出合计", "total_expenditure"),
        ("基本支出", "basic_expenditure"),
        ("项目支出", "project_expenditure"),
        ("上缴上级支出", "remittance_to_superior"),
        ("经营支出", "operating_expenditure"),
        ("对附属单位补助支出", "subsidy_to_subordinate"),
    ],
    "05": [
        ("本年支出合计", "total_expenditure"),
        ("基本支出", "basic_expenditure"),
        ("项目支出", "project_expenditure"),
    ],
    "07": [
        ("年初结转和结余", "opening_balance"),
        ("本年收入", "current_income"),
        (
            "本年支出",
            [
                ("小计", "current_expenditure"),
                ("基本支出", "basic_expenditure"),
                ("项目支出", "project_expenditure"),
            ],
        ),
        ("年末结转和结余", "closing_balance"),
    ],
    "08": [
        ("合计", "current_expenditure"),
        ("基本支出", "basic_expenditure"),
        ("项目支出", "project_expenditure"),
    ],
}

# Column widths in points before scaling to the page: code columns by code style, then
# the name and measure columns by table (narrow enough that long names wrap, as in print).
_CODE_WIDTHS = {"whole": [62.0], "split": [30.0, 24.0, 24.0]}
_NAME_WIDTH = {"02": 140.0, "03": 140.0, "05": 172.0, "07": 118.0, "08": 172.0}
_MEASURE_WIDTH = {"02": 76.0, "03": 88.0, "05": 85.0, "07": 53.0, "08": 85.0}


def _leaf_measures(specs: list[MeasureSpec]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for head, key in specs:
        out.extend(key if isinstance(key, list) else [(head, key)])
    return out


def _split_code(code: str, parts: tuple[int, ...]) -> list[str]:
    """`2012901` → [`201`, `29`, `01`]; economic `30101` → [`301`, `01`]."""
    out, pos = [], 0
    for i, n in enumerate(parts):
        last = i == len(parts) - 1
        out.append(code[pos:] if last else code[pos : pos + n])
        pos += n
    return out


def _code_header(split: bool, ncode: int, top: str, code_text: str, nrows: int) -> list[Cell]:
    """Header cells over the code and name columns (whole: 2 rows, split: 3 rows)."""
    cells = [Cell(0, 0, top, colspan=ncode + 1)]
    if split:
        cells.append(Cell(1, 0, code_text, colspan=ncode))
        cells.append(Cell(1, ncode, "科目名称", rowspan=nrows - 1))
        cells.extend(Cell(2, i, t) for i, t in enumerate(("类", "款", "项")[:ncode]))
    else:
        cells.append(Cell(1, 0, code_text, rowspan=nrows - 1))
        cells.append(Cell(1, 1, "科目名称", rowspan=nrows - 1))
    return cells


def function_table(sample: Sample, code: str) -> TableSheet:
    """02/03/05/07/08: rows keyed by function code (whole or split 类/款/项)."""
    s = sample.settings
    std = sample.standard[code]
    split = s.code_style == "split"
    specs = FUNCTION_TABLES[code]
    leaves = _leaf_measures(specs)
    code_roles = ["code_lei", "code_kuan", "code_xiang"] if split else ["code"]
    ncode = len(code_roles)
    nrows = 3 if split else 2
    widths = _CODE_WIDTHS[s.code_style] + [_NAME_WIDTH[code]] + [_MEASURE_WIDTH[code]] * len(leaves)
    widths = _scaled(widths, std.orientation)
    columns = [Column(w, r) for w, r in zip(widths, code_roles, strict=False)]
    columns.append(Column(widths[ncode], "label"))
    columns += [Column(w, "measure", key) for w, (_, key) in zip(widths[ncode + 1 :], leaves, strict=True)]

    header = _code_header(split, ncode, SPACED_XIANGMU, "支出功能分类科目编码", nrows)
    col = ncode + 1
    for head, key in specs:
        if isinstance(key, list):
            header.append(Cell(0, col, head, colspan=len(key)))
            header.extend(Cell(1, col + i, sub, rowspan=nrows - 1) for i, (sub, _) in enumerate(key))
            col += len(key)
        else:
            header.append(Cell(0, col, head, rowspan=nrows))
            col += 1
    header.append(Cell(nrows, 0, "栏次", colspan=ncode + 1))
    header.extend(Cell(nrows, ncode + 1 + i, str(i + 1)) for i in range(len(leaves)))

    where = f"{s.name} table {code}"
    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(_rows(sample.tables[code], 2 + len(leaves), where)):
        subject, name = str(row[0]), str(row[1])
        cells: list[Cell] = []
        if not subject and not split:
            cells.append(Cell(0, 0, name, colspan=2, align="center"))
        else:
            parts = _split_code(subject, (3, 2, 2)) if split and subject else [subject] + [""] * (ncode - 1)
            cells += [Cell(0, j, p, align="left", font=NUM) for j, p in enumerate(parts)]
            cells.append(Cell(0, ncode, name, align="center" if not subject else "left"))
        for j, ((_, key), text) in enumerate(zip(leaves, row[2:], strict=True)):
            truth = Truth(subject, _clean(name), key, text, s.unit)
            cells.append(_value_cell(ncode + 1 + j, text, f"{where} row {i + 1}", truth))
        body.append(tuple(cells))
    return _sheet(sample, code, columns, nrows + 1, header, body)


# ---------------------------------------------------------------- summary tables 01 / 04
SUMMARY_MEASURES: dict[str, list[tuple[str, str]]] = {
    "01": [("金额", "expenditure_amount")],
    "04": [
        ("合计", "expenditure_total"),
        ("一般公共预算财政拨款", "expenditure_general_budget"),
        ("政府性基金预算财政拨款", "expenditure_government_fund"),
        ("国有资本经营预算财政拨款", "expenditure_state_capital"),
    ],
}


def summary_table(sample: Sample, code: str) -> TableSheet:
    """01/04: income side and expenditure side next to each other, each with 行次."""
    s = sample.settings
    std = sample.standard[code]
    exp = SUMMARY_MEASURES[code]
    base = [150.0, 20.0, 80.0, 160.0, 20.0] if code == "04" else [150.0, 24.0, 78.0, 150.0, 24.0]
    widths = _scaled(base + ([83.0] * len(exp) if code == "04" else [78.0]), std.orientation)
    roles = ["label", "line_no", "measure", "label", "line_no"]
    keys = ["", "", "income_amount", "", ""]
    columns = [Column(w, r, k) for w, r, k in zip(widths, roles, keys, strict=False)]
    columns += [Column(w, "measure", k) for w, (_, k) in zip(widths[5:], exp, strict=True)]

    header = [
        Cell(0, 0, "收    入", colspan=3),
        Cell(0, 3, "支    出", colspan=2 + len(exp)),
        Cell(1, 0, SPACED_XIANGMU),
        Cell(1, 1, "行次"),
        Cell(1, 2, "金额"),
        Cell(1, 3, "项目（按功能分类）"),
        Cell(1, 4, "行次"),
    ]
    header += [Cell(1, 5 + i, h) for i, (h, _) in enumerate(exp)]
    header += [Cell(2, 0, "栏    次", colspan=2), Cell(2, 2, "1"), Cell(2, 3, "栏    次", colspan=2)]
    header += [Cell(2, 5 + i, str(2 + i)) for i in range(len(exp))]

    where = f"{s.name} table {code}"
    rows = _rows(sample.tables[code], 3 + len(exp), where)
    n = len(rows)
    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(rows):
        in_label, in_value, ex_label = str(row[0]), str(row[1]), str(row[2])
        here = f"{where} row {i + 1}"
        for label, values in ((in_label, [row[1]]), (ex_label, row[3:])):
            if not label and any(is_number(check_cell(v, here)) for v in values):
                raise SampleDataError(f"{here}: a number without a row label")
        cells = [
            Cell(0, 0, in_label, align="left"),
            Cell(0, 1, str(i + 1), font=NUM),
            _value_cell(2, in_value, here, Truth("", _clean(in_label), "income_amount", in_value, s.unit)),
            Cell(0, 3, ex_label, align="left"),
            Cell(0, 4, str(n + i + 1), font=NUM),
        ]
        for j, ((_, key), text) in enumerate(zip(exp, row[3:], strict=True)):
            cells.append(_value_cell(5 + j, text, here, Truth("", _clean(ex_label), key, text, s.unit)))
        body.append(tuple(cells))
    return _sheet(sample, code, columns, 3, header, body)


# ---------------------------------------------------------------- 06: economic codes
def basic_expenditure_table(sample: Sample) -> TableSheet:
    """06: two or three side-by-side (code, name, amount) lists; totals on the last row."""
    s = sample.settings
    std = sample.standard["06"]
    raw = sample.tables["06"]
    where = f"{s.name} table 06"
    split = s.code_style == "split"
    groups: list[list[Any]] = raw["columns"]
    heads: list[str] = raw["heads"]
    if len(heads) != len(groups):
        raise SampleDataError(f"{where}: {len(heads)} heads for {len(groups)} column groups")
    code_roles = ["code_lei", "code_kuan"] if split else ["code"]
    ncode = len(code_roles)
    group_widths = ([28.0, 24.0] if split else [50.0]) + [128.0 - (2.0 if split else 0.0), 76.0]
    widths = _scaled(group_widths * len(groups), std.orientation)
    per = ncode + 2
    columns: list[Column] = []
    for g in range(len(groups)):
        w = widths[g * per : (g + 1) * per]
        columns += [Column(x, r) for x, r in zip(w, code_roles, strict=False)]
        columns += [Column(w[ncode], "label"), Column(w[ncode + 1], "measure", "amount")]

    nrows = 3 if split else 2
    header: list[Cell] = []
    g = 0
    while g < len(groups):  # merge equal neighbouring heads: 公用经费 spans two lists
        span = 1
        while g + span < len(groups) and heads[g + span] == heads[g]:
            span += 1
        header.append(Cell(0, g * per, heads[g], colspan=span * per))
        g += span
    for g in range(len(groups)):
        c0 = g * per
        if split:
            header.append(Cell(1, c0, "经济分类科目编码", colspan=2))
            header += [Cell(2, c0, "类"), Cell(2, c0 + 1, "款")]
        else:
            header.append(Cell(1, c0, "经济分类科目编码", rowspan=nrows - 1))
        header.append(Cell(1, c0 + ncode, "科目名称", rowspan=nrows - 1))
        header.append(Cell(1, c0 + ncode + 1, "金额", rowspan=nrows - 1))

    body: list[tuple[Cell, ...]] = []
    for r in range(max(len(grp) for grp in groups)):
        cells: list[Cell] = []
        for g, grp in enumerate(groups):
            c0 = g * per
            if r >= len(grp):
                cells += [Cell(0, c0 + k, "") for k in range(per)]
                continue
            if len(grp[r]) != 3:
                raise SampleDataError(f"{where} list {g + 1} row {r + 1}: expected [code, name, amount]")
            subject, name, text = (str(x) for x in grp[r])
            parts = _split_code(subject, (3, 2)) if split else [subject]
            cells += [Cell(0, c0 + k, p, align="left", font=NUM) for k, p in enumerate(parts)]
            cells.append(Cell(0, c0 + ncode, name, align="left"))
            truth = Truth(subject, _clean(name), "amount", text, s.unit)
            cells.append(_value_cell(c0 + ncode + 1, text, f"{where} list {g + 1} row {r + 1}", truth))
        body.append(tuple(cells))

    (p_label, p_value), (c_label, c_value) = raw["totals"]
    last = len(columns) - 1
    total_row = [
        Cell(0, 0, p_label, colspan=ncode + 1),
        _value_cell(ncode + 1, p_value, where, Truth("", _clean(p_label), "amount", p_value, s.unit)),
        Cell(0, per, c_label, colspan=last - per),
        _value_cell(last, c_value, where, Truth("", _clean(c_label), "amount", c_value, s.unit)),
    ]
    body.append(tuple(total_row))
    return _sheet(sample, "06", columns, nrows, header, body)


# ---------------------------------------------------------------- 09 / 10: item rows
def item_table(sample: Sample, code: str) -> TableSheet:
    """09 (三公 money and counts) and 10 (asset counts): label, 栏次, measures."""
    s = sample.settings
    std = sample.standard[code]
    where = f"{s.name} table {code}"
    if code == "09":
        measures = [
            ("年初预算数", "initial_budget"),
            ("全年预算数", "full_year_budget"),
            ("决算数", "final_amount"),
        ]
        base = [235.0, 34.0] + [78.7] * 3
    else:
        measures = [("决算数", "quantity")]
        base = [330.0, 40.0, 135.0]
    widths = _scaled(base, std.orientation)
    columns = [Column(widths[0], "label"), Column(widths[1], "line_no")]
    columns += [Column(w, "measure", k) for w, (_, k) in zip(widths[2:], measures, strict=True)]
    header = [Cell(0, 0, "项目" if code == "09" else SPACED_XIANGMU), Cell(0, 1, "栏次")]
    header += [Cell(0, 2 + i, h) for i, (h, _) in enumerate(measures)]
    header_rows = 1
    if code == "09":
        header += [Cell(1, 0, "行次", colspan=2)] + [Cell(1, 2 + i, str(i + 1)) for i in range(3)]
        header_rows = 2

    body: list[tuple[Cell, ...]] = []
    for i, row in enumerate(_rows(sample.tables[code], len(measures) + 2, where)):
        label, unit = str(row[0]), str(row[-1])
        if code == "10" and not unit:
            raise SampleDataError(f"{where} row {i + 1}: table 10 rows need a count unit")
        cells = [Cell(0, 0, label, align="left"), Cell(0, 1, str(i + 1), font=NUM)]
        for j, ((_, key), text) in enumerate(zip(measures, row[1:-1], strict=True)):
            truth = Truth("", _clean(label), key, text, unit or s.unit)
            cells.append(_value_cell(2 + j, text, f"{where} row {i + 1}", truth))
        body.append(tuple(cells))
    return _sheet(sample, code, columns, header_rows, header, body)


# ---------------------------------------------------------------- assembly
def _sheet(
    sample: Sample,
    code: str,
    columns: list[Column],
    header_rows: int,
    header: list[Cell],
    body: list[tuple[Cell, ...]],
) -> TableSheet:
    s = sample.settings
    std = sample.standard[code]
    wording = sample.wording
    left, centre, right = (wording.text(t, s, std.unit) for t in wording.caption)
    unit = right if std.unit_caption == "money" else std.unit_caption
    extra = sample.tables[code].get("notes", [])  # a sample's own notes (an empty table's 空表说明)
    return TableSheet(
        code=code,
        title=wording.text(std.title, s),
        label=std.label if s.table_labels else "",
        caption=(left, centre, unit),
        orientation=std.orientation,
        columns=tuple(columns),
        header_rows=header_rows,
        header=tuple(header),
        body=tuple(body),
        notes=tuple(wording.text(n, s) for n in (*std.notes, *extra)),
    )


def build_sheets(sample: Sample) -> list[TableSheet]:
    """The standard tables of a sample, in booklet order (a budget's: samples/budget_layout.py)."""
    if sample.settings.kind == "budget":
        from samples.budget_layout import build_budget_sheets

        return build_budget_sheets(sample)
    return final_account_sheets(sample)


def final_account_sheets(sample: Sample) -> list[TableSheet]:
    """The ten standard tables of a 决算 sample, in booklet order."""
    return [
        summary_table(sample, "01"),
        function_table(sample, "02"),
        function_table(sample, "03"),
        summary_table(sample, "04"),
        function_table(sample, "05"),
        basic_expenditure_table(sample),
        function_table(sample, "07"),
        function_table(sample, "08"),
        item_table(sample, "09"),
        item_table(sample, "10"),
    ]
