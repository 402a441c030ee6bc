"""Grids: what counts as a rule of the table."""

from __future__ import annotations

import pdfplumber
import pytest
from support import realdoc

from extract.grid import page_grids


@pytest.mark.realdocs
def test_jiangsu_2019_p5_white_background_boxes_are_not_cells() -> None:
    """Distiller drew white filled boxes behind the title; they once swallowed the header."""
    path = realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格")
    with pdfplumber.open(path) as pdf:
        grids = page_grids(pdf.pages[4], 5)
    assert len(grids) == 1
    grid = grids[0]
    assert grid.text[0] == ["功能科目编码", "功能科目名称", "金额"]
    assert grid.text[1][1:] == ["合计", "27,664.22"]
    assert grid.text[4] == ["2013101", "行政运行", "9,370.12"]
