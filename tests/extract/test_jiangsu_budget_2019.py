"""A real 部门预算: 中共江苏省委办公厅 2019 table file, every cell against hand-made ground truth."""

from __future__ import annotations

import pytest
from support import GROUND_TRUTH, accuracy, realdoc

from normalize.documents import process_document


@pytest.fixture(scope="module")
def result():
    path = realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格")
    return process_document(path, path.name)


def test_budget_document_is_read(result) -> None:
    doc = result.document
    assert doc.status == "ok", doc.error
    assert (doc.doc_kind, doc.fiscal_year, doc.department) == ("budget", 2019, "中共江苏省委办公厅")


def test_every_cell_matches_ground_truth(result) -> None:
    acc = accuracy(GROUND_TRUTH / "js_budget_2019_jiangsu_party_office.csv", result.line_items)
    assert acc.recall == 1.0 and acc.precision == 1.0, acc.report()
