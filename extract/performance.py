"""项目支出绩效自评表 (project performance self-evaluation tables) → `PerformanceIndicator` records.

    reading = PerformancePass(doc_id, page_texts)      # fed by extract/document.py's page pass
    indicators = performance_indicators(doc_id, pdf_path, page_texts)   # or a pass of its own

How: pages whose text has a line matching a title of `schemas/data/performance_tables.toml`
(项目支出绩效自评表, 项目绩效自评表, 部门整体支出绩效自评表) are opened with pdfplumber and
their ruled grids read by `extract.grid.page_grids` (merged cells resolved). A table starts
at a grid row `项目名称 | name`; a grid that starts without one continues the open table (the
next page of a long table, header not repeated): it is re-expressed in the previous grid's
columns (`align_columns`) and the pages after a titled page are read while a table is open.

Within a table, rows are read by the header rows they follow, never by position:
- the funds block (`年初预算数 | 全年预算数A | 全年执行数B | 分值 | 执行率 | 得分`): one
  `funds` row per line (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金);
- the 年度总体目标 block is skipped;
- the indicator block (`一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
  偏差原因…`): one `indicator` row per line; 一级/二级 cells merged down are repeated on every
  row (a merged cell cut by a page break prints blank on the next page: carried down);
- the `总分` row ends the table (`total`).

Texts are as printed with whitespace removed; 分值/得分/amounts are Decimal where a number is
printed (dashes and blanks are None); 执行率 is kept as printed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber

from core.records import PerformanceIndicator
from extract.grid import Grid, align_columns, page_grids
from extract.numbers import parse_amount
from extract.text import squash

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data" / "performance_tables.toml"


@dataclass(frozen=True)
class PerformanceLayout:
    """The patterns of performance_tables.toml, compiled."""

    titles: tuple[re.Pattern[str], ...]
    project: re.Pattern[str]
    implementer: re.Pattern[str]
    funds_header: re.Pattern[str]
    goal: re.Pattern[str]
    indicator_header: re.Pattern[str]
    total: re.Pattern[str]
    funds_block_label: re.Pattern[str]
    funds_columns: tuple[tuple[str, re.Pattern[str]], ...]
    indicator_columns: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def layout(path: Path = DATA) -> PerformanceLayout:
    raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return PerformanceLayout(
        titles=tuple(re.compile(t) for t in raw["titles"]),
        project=re.compile(raw["project"]),
        implementer=re.compile(raw["implementer"]),
        funds_header=re.compile(raw["funds_header"]),
        goal=re.compile(raw["goal"]),
        indicator_header=re.compile(raw["indicator_header"]),
        total=re.compile(raw["total"]),
        funds_block_label=re.compile(raw["funds_block_label"]),
        funds_columns=tuple((k, re.compile(v)) for k, v in raw["funds_columns"].items()),
        indicator_columns=tuple((k, re.compile(v)) for k, v in raw["indicator_columns"].items()),
    )


def title_pages(page_texts: Sequence[str], spec: PerformanceLayout | None = None) -> list[int]:
    """1-based pages with a line matching a 绩效自评表 title."""
    spec = spec or layout()
    return [
        number
        for number, text in enumerate(page_texts, start=1)
        if any(t.search(squash(line)) for line in text.splitlines() for t in spec.titles)
    ]


@dataclass
class _Table:
    """One printing being read: its identity, the column maps of its blocks, the rows so far."""

    instance: int
    project: str = ""
    implementer: str = ""
    state: str = "head"  # head / funds / goal / indicators / done
    funds_cols: dict[str, int] = field(default_factory=dict)
    indicator_cols: dict[str, int] = field(default_factory=dict)
    rows: list[PerformanceIndicator] = field(default_factory=list)
    last_grid: Grid | None = None
    level1: str = ""
    level2: str = ""


def _cells(grid: Grid, r: int) -> list[str]:
    """The distinct cells of a row, left to right (a merged cell once)."""
    out: list[str] = []
    for c in range(grid.n_cols):
        if grid.origin[r][c] or (c == 0) or grid.text[r][c] != grid.text[r][c - 1]:
            out.append(grid.text[r][c])
    return out


def _columns(grid: Grid, r: int, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> dict[str, int]:
    """measure → the first column of the header cell matching its pattern in row r."""
    found: dict[str, int] = {}
    for c in range(grid.n_cols):
        if c and grid.text[r][c] == grid.text[r][c - 1]:
            continue  # the same merged header cell
        key = squash(grid.text[r][c])
        for name, pattern in patterns:
            if name not in found and key and pattern.search(key):
                found[name] = c
                break
    return found


def _text(grid: Grid, r: int, cols: dict[str, int], name: str) -> str:
    return grid.text[r][cols[name]] if name in cols else ""


def _number(text: str) -> Decimal | None:
    return parse_amount(text)


class _Reader:
    def __init__(self, doc_id: str, spec: PerformanceLayout) -> None:
        self.doc_id = doc_id
        self.spec = spec
        self.tables: list[_Table] = []
        self.open: _Table | None = None
        self.grids_read = 0

    def feed(self, grid: Grid) -> None:
        starts = any(self.spec.project.search(squash(grid.text[r][0])) for r in range(min(grid.n_rows, 3)))
        if not starts:
            if self.open is None:
                return
            reference = self.open.last_grid
            aligned = align_columns(grid, reference) if reference is not None else None
            if aligned is not None:
                grid = aligned
            elif reference is not None and grid.n_cols != reference.n_cols:
                return  # a ruled box that is not this table's continuation
        self.grids_read += 1
        for r in range(grid.n_rows):
            self._row(grid, r)
        if self.open is not None:
            self.open.last_grid = grid

    def _row(self, grid: Grid, r: int) -> None:
        spec = self.spec
        cells = _cells(grid, r)
        first = squash(cells[0]) if cells else ""
        if spec.project.search(first):
            self.open = _Table(instance=len(self.tables) + 1, project=cells[1] if len(cells) > 1 else "")
            self.tables.append(self.open)
            return
        table = self.open
        if table is None:
            return
        for i, text in enumerate(cells[:-1]):
            if spec.implementer.search(squash(text)):
                table.implementer = cells[i + 1]
        joined = squash("".join(cells))
        if table.state in ("head", "funds") and spec.funds_header.search(joined):
            table.funds_cols = _columns(grid, r, spec.funds_columns)
            table.state = "funds"
            return
        if table.state in ("head", "funds") and spec.goal.search(first):
            table.state = "goal"
            return
        if table.state != "done" and spec.indicator_header.search(joined) and "三级指标" in joined:
            table.indicator_cols = _columns(grid, r, spec.indicator_columns)
            table.state = "indicators"
            return
        if table.state in ("funds", "goal", "indicators") and spec.total.search(first):
            cols = table.indicator_cols or table.funds_cols
            self._add(
                table, grid, r, "total", "总分",
                weight=_number(_text(grid, r, cols, "weight")), score=_number(_text(grid, r, cols, "score")),
            )
            table.state = "done"
            self.open = None
            return
        if table.state == "funds":
            self._funds(table, grid, r)
        elif table.state == "indicators":
            self._indicator(table, grid, r)

    def _funds(self, table: _Table, grid: Grid, r: int) -> None:
        cols = table.funds_cols
        first_measure = min(cols.values()) if cols else grid.n_cols
        labels = [
            t for c, t in enumerate(grid.text[r][:first_measure])
            if t and not self.spec.funds_block_label.search(squash(t)) and (c == 0 or t != grid.text[r][c - 1])
        ]
        if not labels:
            return
        self._add(
            table, grid, r, "funds", labels[-1],
            initial_budget=_number(_text(grid, r, cols, "initial_budget")),
            full_year_budget=_number(_text(grid, r, cols, "full_year_budget")),
            executed=_number(_text(grid, r, cols, "executed")),
            weight=_number(_text(grid, r, cols, "weight")),
            score=_number(_text(grid, r, cols, "score")),
            execution_rate=_text(grid, r, cols, "execution_rate"),
        )

    def _indicator(self, table: _Table, grid: Grid, r: int) -> None:
        cols = table.indicator_cols
        values = {name: _text(grid, r, cols, name) for name in cols}
        if not any(values.values()):
            return
        level1, level2 = values.get("level1", ""), values.get("level2", "")
        if not level1:  # a merged 一级 cell cut by the page break: blank on the continuation
            level1 = table.level1
            level2 = level2 or table.level2
        table.level1, table.level2 = level1, level2
        self._add(
            table, grid, r, "indicator", level1,
            level2=level2,
            level3=values.get("level3", ""),
            target=values.get("target", ""),
            actual=values.get("actual", ""),
            weight=_number(values.get("weight", "")),
            score=_number(values.get("score", "")),
            deviation=values.get("deviation", ""),
        )

    def _add(self, table: _Table, grid: Grid, r: int, section: str, level1: str, **values: Any) -> None:
        table.rows.append(
            PerformanceIndicator(
                doc_id=self.doc_id,
                project=table.project,
                table_instance=table.instance,
                page=grid.page,
                row_index=len(table.rows) + 1,
                section=section,
                level1=level1,
                level2=values.pop("level2", ""),
                level3=values.pop("level3", ""),
                target=values.pop("target", ""),
                actual=values.pop("actual", ""),
                weight=values.pop("weight", None),
                score=values.pop("score", None),
                implementer=table.implementer,
                **values,
            )
        )


def _page_texts_of(pdf: Any) -> list[str]:
    return [page.extract_text() or "" for page in pdf.pages]


class PerformancePass:
    """The 绩效自评表 reader as one more consumer of the document's single page pass.

    extract/document.py walks the pages once; for each page this says whether it is
    wanted (a titled page, or the page after one while a table is still open) and is
    fed the same ruled grids the table finder reads, so a 绩效 page is parsed by
    pdfminer once, not once per reader.
    """

    def __init__(self, doc_id: str, page_texts: Sequence[str], spec: PerformanceLayout | None = None) -> None:
        self.spec = spec or layout()
        self.reader = _Reader(doc_id, self.spec)
        self.titled = set(title_pages(page_texts, self.spec))
        self.last = 0  # the last page fed

    def wants(self, number: int) -> bool:
        return number in self.titled or (self.reader.open is not None and number == self.last + 1)

    def feed_page(self, number: int, grids: Sequence[Grid]) -> None:
        """Read a wanted page's grids; a continuation page that adds no grid ends the open table."""
        before = self.reader.grids_read
        if number in self.titled and number != self.last + 1:
            self.reader.open = None  # a new titled run does not continue an earlier table
        for grid in grids:
            self.reader.feed(grid)
        if number not in self.titled and self.reader.grids_read == before:
            self.reader.open = None
        self.last = number

    def indicators(self) -> list[PerformanceIndicator]:
        return [row for table in self.reader.tables for row in table.rows]


def performance_indicators(
    doc_id: str, pdf_path: Path, page_texts: Sequence[str] | None = None
) -> list[PerformanceIndicator]:
    """Every row of every 绩效自评表 in the PDF, tables in print order (a standalone pass over the file).

    `page_texts` (pdfium text of every page, as `ExtractedDocument.page_texts`) picks the
    pages to open; without it pdfplumber reads every page's text first (slower). The
    pipeline does not call this: extract/document.py feeds a `PerformancePass` from its
    own page pass.
    """
    if page_texts is not None and not title_pages(page_texts):
        return []  # no 绩效 title: the PDF is not opened
    with pdfplumber.open(pdf_path) as pdf:
        texts = list(page_texts) if page_texts is not None else _page_texts_of(pdf)
        reading = PerformancePass(doc_id, texts)
        for number, page in enumerate(pdf.pages, start=1):
            if reading.wants(number):
                reading.feed_page(number, page_grids(page, number))
            page.close()
    return reading.indicators()
