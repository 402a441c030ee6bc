"""EMPTY_TABLE_NOTE_WRONG_FUND: an empty 07/08/09's 空表说明 names its own fund, not only another table's.

Learned on the real Shanghai 2025 财政局 部门预算, p18: its 08 国有资本经营预算支出功能分类预算表 notes
“本部门2025年无政府性基金预算财政拨款安排的预算” (07's note, copied). Stands for every booklet printing
empty 07/08/09 tables with a templated note.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from support import ROOT, realdoc

from checks.empty_tables import wrong_fund_notes
from normalize.documents import DocumentResult, process_document
from schemas.empty_notes import named_funds

RULE = "EMPTY_TABLE_NOTE_WRONG_FUND"


def _process(prefix: str) -> DocumentResult:
    path = realdoc(prefix)
    return process_document(path, path.name)


@pytest.fixture(scope="module")
def finance() -> DocumentResult:
    return _process("sh_budget_2025_普陀区财政局_")


@pytest.mark.parametrize(
    ("note", "tables"),
    [
        ("注:本部门2025年无政府性基金预算财政拨款安排的预算,故本表为空表。", {"07"}),
        ("注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。", {"08"}),
        ("2.当此表数据为空时,即本部门(单位)无财政拨款“三公”经费支出。", {"09"}),
        ("注：本部门无政府性基金和国有资本经营预算支出。", {"07", "08"}),
        ("注：本部门无相关收支项目", set()),
    ],
)
def test_named_funds(note: str, tables: set[str]) -> None:
    assert named_funds(note) == tables


def test_shanghai_2025_finance_08_note_names_07s_fund(finance: DocumentResult) -> None:
    [finding] = wrong_fund_notes(finance.document.doc_id, finance)
    assert (finding.rule_id, finding.severity, finding.category, finding.table_code, finding.page) == (
        RULE, "warning", "completeness", "08", 18
    )
    assert (finding.expected, finding.actual, finding.difference) == (None, None, None)
    assert "政府性基金" in finding.message and "国有资本经营" in finding.message


def test_shanghai_2025_notes_worded_for_their_table_pass() -> None:
    office = _process("sh_budget_2025_普陀区人民政府办公室_部门预算")
    assert set(office.table_notes) == {"07", "08"}
    assert wrong_fund_notes(office.document.doc_id, office) == []


def test_template_notes_pass() -> None:
    path = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"
    result = process_document(path, path.name)
    assert set(result.table_notes) == {"07", "09"}
    assert wrong_fund_notes(result.document.doc_id, result) == []


@pytest.mark.parametrize(
    "note",
    [
        "",  # no note: EMPTY_TABLE_NOTE's
        "注：本部门无相关收支项目",  # names no fund
        "注：本部门无政府性基金和国有资本经营预算支出。",  # names its own too
        "注:本部门2025年无国有资本经营预算财政拨款安排的预算,故本表为空表。",
    ],
)
def test_notes_not_naming_another_fund_alone_pass(finance: DocumentResult, note: str) -> None:
    result = replace(finance, table_notes={**finance.table_notes, "08": note})
    assert wrong_fund_notes(result.document.doc_id, result) == []


def test_09_note_naming_a_fund_table_is_found(finance: DocumentResult) -> None:
    notes = {"07": "注:本部门无政府性基金预算。", "09": "注:本部门无政府性基金预算财政拨款安排的预算。"}
    result = replace(finance, table_notes=notes)
    assert [f.table_code for f in wrong_fund_notes(result.document.doc_id, result)] == ["09"]
