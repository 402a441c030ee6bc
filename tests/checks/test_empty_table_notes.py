"""EMPTY_TABLE_NOTE on 部门预算: every real 空表说明 form is read where it is printed.

Stands for every booklet whose 07/08/09 table is printed empty: the note may be a `注` or
`说明` line under the grid, a bracketed line (`（无政府性基金支出）`), a stamp inside the grid
(`此表为空`) or the first line of the next page; its wordings are data
(schemas/data/empty_table_notes.toml). Real Jiangsu budgets (../shared/realdocs), each
processed once per module.
"""

from __future__ import annotations

import pdfplumber
import pytest
from support import realdoc, realdoc_result

from checks.empty_tables import check_empty_tables
from extract.empty_notes import empty_note, grid_note, notes_atop, notes_under
from extract.grid import page_grids
from extract.table_parts import PageLine, Part
from flows.content import document_findings
from schemas.empty_notes import empty_note_form, note_forms

#: (file prefix, the note printed under its empty 07 table, as recorded)
PRINTED_NOTES = [
    ("js_budget_2017_江苏省政协办公厅_预算公开表", "注:我单位无2017年政府性基金支出安排。"),
    ("js_budget_2018_江苏省政协办公厅_预算公开表", "注:本部门无该项目"),
    ("js_budget_江苏省人大办公厅_江苏省人大办公厅2017年度预算公开", "(无政府性基金支出)"),
    ("js_budget_江苏省人大办公厅_省人大办公厅2018预算公开", "注:本部门无相关收支项目"),
    ("js_budget_江苏省委办公厅_江苏省委办公厅2018年度部门预算公开表", "注:本部门无相关收支项目"),
    ("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格", "注:本部门无相关收支项目"),
    # prints `此表为空` in the grid and `说明：本部门无相关收支项目。` under it: the explanation is recorded
    ("js_budget_2018_江苏省人民检察院_部门预算", "说明:本部门无相关收支项目。"),
]

#: (file prefix, page of its 07 table): printed empty with no note on the table (checked on the page image;
#: the 情况说明 says why elsewhere: in the booklet, or in the disclosure's narrative file)
NO_NOTE = [
    ("js_budget_2017_江苏省人民检察院_部门预算", 13),  # sorts before _v0; 情况说明 p21: 本部门无政府性基金预算
    ("js_budget_2017_江苏省人民检察院_部门预算_v0", 13),  # the same booklet, other bytes
    ("js_budget_2017_江苏省高级人民法院_部门预算", 15),  # 情况说明 only: 支出 0 万元
    ("js_budget_江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表", 10),  # narrative file: 本部门无此项支出
    ("js_budget_江苏省委办公厅_江苏省委办公厅2017年预算公开表格", 7),  # narrative file: 本部门无政府性基金预算
]

_result = realdoc_result  # one extraction per session, shared with the other modules


# --- the wordings (data) --------------------------------------------------------------------------


def test_every_form_matches_its_examples() -> None:
    forms = note_forms()
    assert {f.name for f in forms} >= {"stamp", "nothing_to_report"}
    for form in forms:
        assert form.examples and all(empty_note_form(e) for e in form.examples)


@pytest.mark.parametrize(
    "text",
    [
        "注：本表金额单位为万元",
        "合计",
        "功能科目代码",
        "本表反映本部门2019年政府性基金预算支出情况",
        "无偿援助支出",  # a subject name
        "无形资产购置支出",
        "2080504 未归口管理的行政单位离退休",
    ],
)
def test_false_alarm_guard_not_a_note(text: str) -> None:
    assert empty_note_form(text) == ""


# --- where the note is printed ----------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "note"), PRINTED_NOTES)
def test_jiangsu_budget_07_note_is_read(prefix: str, note: str) -> None:
    result = _result(prefix)
    assert result.document.doc_kind == "budget"
    assert result.table_notes.get("07") == note
    assert check_empty_tables(result.document.doc_id, result) == []
    assert not [f for f in document_findings(result, result.line_items) if f.rule_id == "EMPTY_TABLE_NOTE"]


def test_jiangsu_2018_procuratorate_p19_stamp_inside_the_grid() -> None:
    """`此表为空` is a cell of the grid's third row (not a line under it): read there too."""
    path = realdoc("js_budget_2018_江苏省人民检察院_部门预算")
    with pdfplumber.open(path) as pdf:
        grids = page_grids(pdf.pages[18], 19)
    empty = [g for g in grids if any("合计" in t for row in g.text for t in row) and g.n_rows == 5]
    assert empty, [g.text for g in grids]
    parts = [Part(grid=empty[0], columns=None, start_row=1)]  # type: ignore[arg-type]
    assert grid_note(parts) == "此表为空"
    assert empty_note([], parts) == "此表为空"  # no line under the grid: the stamp is the note
    assert empty_note(["说明:本部门无相关收支项目。"], parts) == "说明:本部门无相关收支项目。"


def test_note_atop_the_next_page() -> None:
    """A grid ending at a page's foot: its note opens the next page, after the page number."""
    lines = [
        PageLine("─ 12 ─", 20, 30),
        PageLine("注：本部门无国有资本经营预算财政拨款支出，故本表为空表。", 40, 52),
        PageLine("九、“三公”经费支出预算表", 80, 95),
    ]
    assert notes_atop(lines) == ["注：本部门无国有资本经营预算财政拨款支出，故本表为空表。"]
    # the page's own prose is not the previous table's note, even when it says 无 … 支出 further down
    prose = [PageLine("三、一般公共预算支出情况", 40, 52), PageLine("本部门无政府性基金预算支出。", 60, 72)]
    assert notes_atop(prose) == []


def test_notes_under_stop_at_the_next_title() -> None:
    lines = [PageLine("(无政府性基金支出）", 300, 312), PageLine("注：本部门无相关收支项目", 420, 432)]
    assert notes_under(lines, bottom=290, until=400) == ["(无政府性基金支出）"]


# --- a table printed empty with no note ------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "page"), NO_NOTE)
def test_jiangsu_budget_07_without_note_is_found(prefix: str, page: int) -> None:
    result = _result(prefix)
    assert result.table_notes == {"07": ""}
    findings = [f for f in document_findings(result, result.line_items) if f.rule_id == "EMPTY_TABLE_NOTE"]
    assert [(f.rule_id, f.table_code, f.page, f.severity) for f in findings] == [
        ("EMPTY_TABLE_NOTE", "07", page, "warning")
    ]
    message = findings[0].message
    assert "政府性基金预算支出预算表" in message and "情况说明" in message and "空表说明" in message


def test_shanghai_budgets_empty_tables_carry_their_note() -> None:
    """Shanghai's budget template: `注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。`"""
    result = _result("sh_budget_2024_")
    assert set(result.table_notes) == {"07", "08"}
    assert all("故本表为空表" in n for n in result.table_notes.values())
    assert check_empty_tables(result.document.doc_id, result) == []
