"""The layer every producer shares: a Sample → the tables as one producer prints them.

Why: the LibreOffice, Chromium and Word-style renderers must print the same figures
and write the same ground truth, differing only in *how* a producer draws them. So
the choice of what is printed (code style, thousands separators, the mark for
"nothing", 元 or 万元, Kangxi-radical look-alikes) is made here once, on the
`TableSheet`s of samples/layout.py, and each renderer prints `Cell.text` verbatim.
`Cell.truth` keeps the value and label in the spec's terms (value without
separators, label in ordinary characters): that is what the extractor must report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from samples.booklet_data import DASH, Sample, format_cell, load_sample
from samples.grid import Cell, Column, TableSheet
from samples.layout import build_sheets

# WPS/Word exports of Chinese text sometimes map a glyph to the Kangxi radical (or
# CJK radical supplement) code point that looks the same. The first group folds
# under NFKC, ⻔ and ⻓ (U+2ED4, U+2ED3) do not.
KANGXI = str.maketrans(
    {
        "一": "\u2f00",  # ⼀
        "二": "\u2f06",  # ⼆
        "人": "\u2f08",  # ⼈
        "入": "\u2f0a",  # ⼊
        "工": "\u2f2f",  # ⼯
        "支": "\u2f40",  # ⽀
        "文": "\u2f42",  # ⽂
        "用": "\u2f64",  # ⽤
        "目": "\u2f6c",  # ⽬
        "行": "\u2f8f",  # ⾏
        "金": "\u2fa6",  # ⾦
        "门": "\u2ed4",  # ⻔
        "长": "\u2ed3",  # ⻓
    }
)
# CJK Radicals Supplement look-alikes with no NFKC mapping, radical → ideograph. A font
# that shares one glyph between the two (Noto CJK printed by Chromium as Type 3) puts
# the radical in the text layer by itself; locate.py folds them back to find rows.
_SUPPLEMENT = "⺠民⻅见⻋车⻔门⻓长⻝食⻛风⻢马⻉贝⻚页⻘青⻜飞⻥鱼⻦鸟⻩黄⻬齐⻮齿⻳龟⻰龙⻄西⺟母⻣骨⻤鬼⻨麦⻆角"
RADICAL_EQUIVALENTS = dict(zip(_SUPPLEMENT[::2], _SUPPLEMENT[1::2], strict=True))
CODE_ROLES = ("code_lei", "code_kuan", "code_xiang")
CODE_STYLES = ("whole", "split", "merged")


@dataclass(frozen=True)
class Options:
    """How one producer prints a sample's tables."""

    code_style: str = "whole"  # whole: 2012901 | split: 201 | 29 | 01 | merged: 类/款/项 header, one cell
    thousands: bool = True
    nothing: str = "——"  # printed for a blank or dash cell of a labelled row: "", "-", "——"
    unit: str = ""  # "" keeps the sample's unit; "元" converts a 万元 sample (exactly, ×10000)
    kangxi: bool = False
    repeat_header: bool = True  # continuation pages repeat the header rows
    table_labels: bool = True  # print 公开NN表

    def __post_init__(self) -> None:
        if self.code_style not in CODE_STYLES:
            raise ValueError(f"code_style {self.code_style!r} not in {CODE_STYLES}")
        if self.nothing not in ("", "-", DASH):
            raise ValueError(f"nothing mark {self.nothing!r} must be '', '-' or '——'")
        if self.unit not in ("", "元", "万元"):
            raise ValueError(f"unit {self.unit!r} must be '', 元 or 万元")

    def text(self, text: str) -> str:
        """Chinese text as this producer's text layer holds it."""
        return text.translate(KANGXI) if self.kangxi else text


@dataclass(frozen=True)
class Booklet:
    """A sample as one producer prints it: front matter texts and the ten tables."""

    name: str
    department: str
    fiscal_year: int
    unit: str
    sheets: tuple[TableSheet, ...]
    overview: str  # one paragraph of 第一部分
    options: Options

    def cover(self) -> tuple[str, str]:
        return self.options.text(self.department), self.options.text(f"{self.fiscal_year}年度部门决算")

    def part_heading(self, part: int) -> str:
        y = self.fiscal_year
        headings = {
            1: f"第一部分 {self.department}概况",
            2: f"第二部分 {y}年度部门决算表",
            3: f"第三部分 {y}年度部门决算情况说明",
        }
        return self.options.text(headings[part])

    def explanation(self) -> str:
        return self.options.text(
            f"本部门{self.fiscal_year}年度收入、支出及结转结余情况详见第二部分各表，本说明从略。"
        )


def _scale(cell: Cell, money_unit: str) -> Cell:
    """A 万元 figure printed in 元: exact, two decimals kept."""
    truth = cell.truth
    if truth is None or truth.unit != money_unit:  # counts (辆, 台套) are not money
        return cell
    value = str((Decimal(truth.value) * 10000).quantize(Decimal("0.01")))
    return replace(cell, text=value, truth=replace(truth, value=value))


def _merge_codes(columns: tuple[Column, ...], row: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """Split code cells (201 | 29 | 01) → one cell over the code columns (2012901)."""
    codes = [c for c in row if c.colspan == 1 and columns[c.col].role in CODE_ROLES]
    if not codes:
        return row
    out: list[Cell] = []
    groups: list[list[Cell]] = []
    for cell in row:  # 06 has one (类, 款) pair per column group
        if cell in codes:
            if groups and groups[-1][-1].col == cell.col - 1:
                groups[-1].append(cell)
            else:
                groups.append([cell])
                out.append(cell)  # placeholder, replaced below
        else:
            out.append(cell)
    for group in groups:
        joined = replace(group[0], text="".join(c.text for c in group), colspan=len(group))
        out[out.index(group[0])] = joined
    return tuple(out)


def _printed(cell: Cell, opts: Options, labelled: bool) -> Cell:
    """The text the producer prints for one cell."""
    if cell.truth is not None:
        return replace(cell, text=format_cell(cell.text, opts.thousands))
    if (cell.is_value and cell.text == "") or cell.text == DASH:
        return replace(cell, text=opts.nothing if labelled else "", align="center")
    return replace(cell, text=opts.text(cell.text))


def _labelled(columns: tuple[Column, ...], row: tuple[Cell, ...]) -> bool:
    return any(c.text and columns[c.col].role in ("label", "code", *CODE_ROLES) for c in row)


def _print_sheet(sheet: TableSheet, opts: Options, money_unit: str) -> TableSheet:
    cols = sheet.columns
    body: list[tuple[Cell, ...]] = []
    for row in sheet.body:
        if money_unit != "":
            row = tuple(_scale(c, money_unit) for c in row)
        if opts.code_style == "merged":
            row = _merge_codes(cols, row)
        labelled = _labelled(cols, row)
        body.append(tuple(_printed(c, opts, labelled) for c in row))
    header = tuple(replace(c, text=opts.text(c.text)) for c in sheet.header)
    return replace(
        sheet,
        title=opts.text(sheet.title),
        label=opts.text(sheet.label) if opts.table_labels else "",
        caption=(opts.text(sheet.caption[0]), sheet.caption[1], opts.text(sheet.caption[2])),
        header=header,
        body=tuple(body),
        notes=tuple(opts.text(n) for n in sheet.notes),
    )


def build_booklet(name: str, opts: Options) -> Booklet:
    """Load samples/data/<name>.toml and lay its tables out as `opts` prints them."""
    sample: Sample = load_sample(name)
    s = sample.settings
    unit = opts.unit or s.unit
    if unit != s.unit and not (s.unit == "万元" and unit == "元"):
        raise ValueError(f"{name}: only 万元 → 元 converts exactly, not {s.unit} → {unit}")
    style = "split" if opts.code_style == "merged" else opts.code_style
    settings = replace(s, code_style=style, unit=unit, thousands_separator=False)
    sheets = build_sheets(replace(sample, settings=settings))
    money_unit = unit if unit != s.unit else ""
    overview = sample.overview[0].paragraphs[0] if sample.overview else ""
    return Booklet(
        name=name,
        department=s.department,
        fiscal_year=s.fiscal_year,
        unit=unit,
        sheets=tuple(_print_sheet(sh, opts, money_unit) for sh in sheets),
        overview=opts.text(overview),
        options=opts,
    )
