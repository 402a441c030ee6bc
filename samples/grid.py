"""The grid vocabulary shared by the layout and the renderer: columns, cells, sheets.

Why a module of its own: `layout.py` decides what a table holds and `render.py`
draws it; both speak in these small frozen records, and the ground truth is read
off the same `Cell.truth` values that are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

CJK = "cjk"  # text font (STSong-Light)
NUM = "num"  # digits font (Times-Roman), as real booklets print figures

# Usable width (points) between the side margins of an A4 page; render.py uses the same.
USABLE_WIDTH = {"portrait": 505.0, "landscape": 762.0}


@dataclass(frozen=True)
class Truth:
    """Ground truth of one printed number (the page is added when it is drawn)."""

    subject_code: str
    line_label: str
    measure: str
    value: str
    unit: str


@dataclass(frozen=True)
class Column:
    """One grid column: its width and what it holds (role from the table spec)."""

    width: float
    role: str  # code | code_lei | code_kuan | code_xiang | label | line_no | measure
    measure: str = ""


@dataclass(frozen=True)
class Cell:
    """A cell of the grid; `row` counts within its block (header, or 0 for a body row)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"  # left | right | center
    font: str = CJK
    truth: Truth | None = None
    is_value: bool = False  # a figure cell: printed with the document's thousands separators


@dataclass(frozen=True)
class TableSheet:
    """Everything needed to draw one standard table and to write its ground truth."""

    code: str
    title: str
    label: str  # "公开02表" or "" when the document prints none
    caption: tuple[str, str, str]  # 部门：…, YYYY年度, 金额单位：…
    orientation: str
    columns: tuple[Column, ...]
    header_rows: int
    header: tuple[Cell, ...]
    body: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]
