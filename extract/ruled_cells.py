"""pdfplumber's ruled-table finder with its cell search indexed: the same tables, found faster.

`pdfplumber.table.intersections_to_cells` looks, for every intersection of rules, through
all later intersections for those below and to the right, and compares the rules meeting
at two points by building both sets of edge boxes anew (and evaluating the type hints of a
nested function) on every comparison. On a ruled table page that was a fifth of the time
of reading its grids. `cells` does the same search with each point's edge boxes built once
and the points of a column and of a row looked up by index; the order in which points,
candidates and cells are visited is pdfplumber's, so the cells and tables are the same
(tests/extract/test_ruled_cells.py compares them on every page of the corpus files).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Box]:
    """Every smallest rectangular cell the intersections describe (pdfplumber's rule)."""
    v_boxes = {pt: {_box(e) for e in found["v"]} for pt, found in intersections.items()}
    h_boxes = {pt: {_box(e) for e in found["h"]} for pt, found in intersections.items()}
    points = sorted(intersections)
    rows: dict[float, list[Point]] = {}
    for pt in points:  # sorted by (x, top): each row's points in x order
        rows.setdefault(pt[1], []).append(pt)

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not v_boxes[p1].isdisjoint(v_boxes[p2]):
            return True
        return p1[1] == p2[1] and not h_boxes[p1].isdisjoint(h_boxes[p2])

    found: list[Box] = []
    n_points = len(points)
    for i, pt in enumerate(points[:-1]):
        below: list[Point] = []
        j = i + 1
        while j < n_points and points[j][0] == pt[0]:  # the same column: right after pt in sort order
            below.append(points[j])
            j += 1
        row = rows[pt[1]]
        right = row[bisect_right(row, pt):]
        cell = _smallest(pt, below, right, intersections, connects)
        if cell is not None:
            found.append(cell)
    return found


def _smallest(pt: Point, below: list[Point], right: list[Point], intersections: dict[Point, Any],
              connects: Any) -> Box | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            bottom_right = (right_pt[0], below_pt[1])
            if bottom_right in intersections and connects(bottom_right, right_pt) and connects(
                bottom_right, below_pt
            ):
                return (pt[0], pt[1], bottom_right[0], bottom_right[1])
    return None


def _box(edge: dict[str, Any]) -> Box:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])


class _Finder(TableFinder):
    """pdfplumber's TableFinder: its edges and intersections, the cells from `cells`."""

    def __init__(self, page: Any, settings: TableSettings) -> None:
        self.page = page
        self.settings = settings
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        )
        self.cells = cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def find_tables(page: Any, settings: dict[str, Any]) -> list[Table]:
    """`page.find_tables(settings)`, the same tables."""
    return _Finder(page, TableSettings.resolve(settings)).tables
