"""项目支出绩效自评表 pages of a sample booklet: data, grid layout, drawing and ground truth.

Why a module of its own: the self-evaluation tables are not standard tables (no 公开NN表
title, no unit caption, merged cells down the 一级/二级 indicator columns), so they get
their own layout, drawn with the same ruled-cell primitives as the standard tables
(`Booklet.grid_table`). The data is the `[performance]` section of samples/data/<name>.toml.

One grid of ten columns carries every block of the table; each block spans the columns
it needs, as the real tables do:

    项目名称 | name
    主管部门 | dept | 实施单位 | implementer
    项目资金（万元）| (label) | 年初预算数 | 全年预算数A | 全年执行数B | 分值 | 执行率 | 得分   + 4 rows
    年度总体目标 | 预期目标 | 实际完成情况                                                   + 1 row
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…  + n rows
    总分 | 分值 | 得分 |

A table longer than the page (or with `page_break_before`) continues on the next page
without repeating a header; a merged cell cut by the page break prints its text only
on the first part, as Word does.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samples.booklet_data import DATA_DIR, SampleDataError
from samples.grid import CJK, NUM, Cell

#: Column widths (points) of the one grid all blocks share; they sum to the portrait USABLE_WIDTH.
WIDTHS = (22.0, 48.0, 58.0, 62.0, 60.0, 62.0, 62.0, 30.0, 30.0, 71.0)
FUNDS_HEADER = ("年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分")
INDICATOR_HEADER = (
    ("一级指标", 1, 1),
    ("二级指标", 2, 1),
    ("三级指标", 3, 2),
    ("年度指标值", 5, 1),
    ("实际完成值", 6, 1),
    ("分值", 7, 1),
    ("得分", 8, 1),
    ("偏差原因分析及改进措施", 9, 1),
)
TRUTH_COLUMNS = (
    "table_instance", "project", "implementer", "page", "row_index", "section", "level1", "level2", "level3",
    "target", "actual", "weight", "score", "initial_budget", "full_year_budget", "executed", "execution_rate",
    "deviation",
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Project:
    name: str
    department: str
    implementer: str
    goal_expected: str
    goal_actual: str
    funds: tuple[tuple[str, ...], ...]  # [label, 年初, A, B, 分值, 执行率, 得分]
    indicators: tuple[tuple[str, ...], ...]  # [一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差]
    total: tuple[str, str]  # 总分 分值, 得分


@dataclass(frozen=True)
class Printing:
    project: Project
    page_break_before: int  # 1-based indicator row starting a new page, 0 = none


@dataclass(frozen=True)
class PerformanceData:
    title: str
    printings: tuple[Printing, ...]


@dataclass(frozen=True)
class RowTruth:
    """One table row as the extractor must read it (text whitespace-removed)."""

    section: str
    values: dict[str, str]


@dataclass(frozen=True)
class PerformanceSheet:
    """One printing laid out: the grid cells, and the truth of each grid row (or None)."""

    title: str
    subtitle: str
    cells: tuple[Cell, ...]
    n_rows: int
    truths: tuple[RowTruth | None, ...]  # per grid row
    forced_breaks: frozenset[int]  # grid rows that start a new page


def _rows(raw: Any, width: int, where: str) -> tuple[tuple[str, ...], ...]:
    rows = tuple(tuple(str(x) for x in row) for row in raw)
    for row in rows:
        if len(row) != width:
            raise SampleDataError(f"{where}: row {list(row)} must have {width} cells")
    return rows


def load_performance(name: str, data_dir: Path = DATA_DIR) -> PerformanceData | None:
    """The `[performance]` section of samples/data/<name>.toml, or None when it has none."""
    path = data_dir / f"{name}.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("performance")
    if raw is None:
        return None
    projects: dict[str, Project] = {}
    for p in raw["projects"]:
        where = f"{path} performance project {p['name']}"
        total = tuple(str(x) for x in p["total"])
        if len(total) != 2:
            raise SampleDataError(f"{where}: total must be [分值, 得分]")
        projects[p["name"]] = Project(
            name=p["name"],
            department=p["department"],
            implementer=p["implementer"],
            goal_expected=p["goal_expected"],
            goal_actual=p["goal_actual"],
            funds=_rows(p["funds"], 7, where),
            indicators=_rows(p["indicators"], 8, where),
            total=(total[0], total[1]),
        )
    printings = []
    for entry in raw["print_order"]:
        if entry["project"] not in projects:
            raise SampleDataError(f"{path}: print_order names unknown project {entry['project']!r}")
        printings.append(Printing(projects[entry["project"]], int(entry.get("page_break_before", 0))))
    return PerformanceData(raw.get("title", "项目支出绩效自评表"), tuple(printings))


def _font(text: str) -> str:
    return NUM if _NUMBER.match(text) else CJK


def _cell(row: int, col: int, text: str, colspan: int = 1, rowspan: int = 1, align: str = "center") -> Cell:
    return Cell(row=row, col=col, text=text, rowspan=rowspan, colspan=colspan, align=align, font=_font(text))


def _squash(text: str) -> str:
    return _WS.sub("", text)


def _number(text: str) -> str:
    """The truth of a numeric column: the number as printed, "" for blanks and dashes."""
    s = _squash(text)
    return s if _NUMBER.match(s) and not s.endswith("%") else ""


def _runs(keys: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def layout(printing: Printing, fiscal_year: int, title: str) -> PerformanceSheet:
    """Cells of one printed table (rows numbered from 0 over the whole table)."""
    p = printing.project
    cells: list[Cell] = [
        _cell(0, 0, "项目名称", 2),
        _cell(0, 2, p.name, 8, align="left"),
        _cell(1, 0, "主管部门", 2),
        _cell(1, 2, p.department, 3, align="left"),
        _cell(1, 5, "实施单位"),
        _cell(1, 6, p.implementer, 4, align="left"),
        _cell(2, 0, "项目资金（万元）", 2, rowspan=1 + len(p.funds)),
        _cell(2, 2, "", 2),
    ]
    truths: list[RowTruth | None] = [None, None, None]
    cells += [_cell(2, 4 + i, h) for i, h in enumerate(FUNDS_HEADER)]
    for k, fund in enumerate(p.funds):
        r = 3 + k
        cells.append(_cell(r, 2, fund[0], 2, align="left"))
        cells += [_cell(r, 4 + i, v) for i, v in enumerate(fund[1:])]
        truths.append(
            RowTruth(
                "funds",
                {
                    "level1": _squash(fund[0]),
                    "initial_budget": _number(fund[1]),
                    "full_year_budget": _number(fund[2]),
                    "executed": _number(fund[3]),
                    "weight": _number(fund[4]),
                    "execution_rate": _squash(fund[5]),
                    "score": _number(fund[6]),
                },
            )
        )
    g = 3 + len(p.funds)
    cells += [
        _cell(g, 0, "年度总体目标", 2, rowspan=2),
        _cell(g, 2, "预期目标", 4),
        _cell(g, 6, "实际完成情况", 4),
        _cell(g + 1, 2, p.goal_expected, 4, align="left"),
        _cell(g + 1, 6, p.goal_actual, 4, align="left"),
    ]
    truths += [None, None]
    h = g + 2
    n = len(p.indicators)
    cells.append(_cell(h, 0, "绩效指标", rowspan=1 + n))
    cells += [_cell(h, col, text, span) for text, col, span in INDICATOR_HEADER]
    truths.append(None)
    first = h + 1
    for start, length in _runs([(ind[0],) for ind in p.indicators]):
        cells.append(_cell(first + start, 1, p.indicators[start][0], rowspan=length))
    for start, length in _runs([(ind[0], ind[1]) for ind in p.indicators]):
        cells.append(_cell(first + start, 2, p.indicators[start][1], rowspan=length))
    for k, ind in enumerate(p.indicators):
        r = first + k
        cells.append(_cell(r, 3, ind[2], 2, align="left"))
        cells += [_cell(r, 5 + i, v) for i, v in enumerate(ind[3:])]
        truths.append(
            RowTruth(
                "indicator",
                {
                    "level1": _squash(ind[0]),
                    "level2": _squash(ind[1]),
                    "level3": _squash(ind[2]),
                    "target": _squash(ind[3]),
                    "actual": _squash(ind[4]),
                    "weight": _number(ind[5]),
                    "score": _number(ind[6]),
                    "deviation": _squash(ind[7]),
                },
            )
        )
    t = first + n
    cells += [_cell(t, 0, "总分", 7), _cell(t, 7, p.total[0]), _cell(t, 8, p.total[1]), _cell(t, 9, "")]
    truths.append(RowTruth("total", {"level1": "总分", "weight": _number(p.total[0]), "score": _number(p.total[1])}))
    breaks = frozenset({first + printing.page_break_before - 1} if printing.page_break_before else set())
    return PerformanceSheet(title, f"（{fiscal_year}年度）", tuple(cells), t + 1, tuple(truths), breaks)


def truth_rows(
    instance: int, project: Project, sheet: PerformanceSheet, row_pages: list[int]
) -> list[tuple[object, ...]]:
    """Ground-truth rows (TRUTH_COLUMNS) of one printed table."""
    out: list[tuple[object, ...]] = []
    index = 0
    for r, truth in enumerate(sheet.truths):
        if truth is None:
            continue
        index += 1
        values = {"project": project.name, "implementer": project.implementer, "section": truth.section}
        values |= truth.values
        values |= {"table_instance": str(instance), "page": str(row_pages[r]), "row_index": str(index)}
        out.append(tuple(values.get(c, "") for c in TRUTH_COLUMNS))
    return out
