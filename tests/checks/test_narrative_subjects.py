"""NARR_SUBJECT_NAME_MISMATCH: a 类/款/项 path the narrative prints that names no row of the tables
(peer V33-227 / BUD-109).

Stands for: 决算 情况说明 items "X支出（类）Y（款）Z（项）" against 05/03, Shanghai budgets' "“X-Y-Z”科目"
and quoted paths against 05/02 (real: 万里 2023, whose 34 paths all name printed rows, and one misspelt
by hand). Guards: a 类 no table prints, tables not read to the path's depth, a reference name or a known
variant, a wrapped (part-read) table name, 其它/其他, a path that skips its 款.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import count

from support import realdoc

from checks.narrative_rules import check_narrative
from core.records import Finding, LineItem
from extract.narrative import class_path, narrative_figures
from flows.content import document_findings
from normalize.documents import process_document

HEAD = "第三部分 2024年度部门决算情况说明\n五、一般公共预算财政拨款支出决算情况说明\n"
RULE = "NARR_SUBJECT_NAME_MISMATCH"
_ROWS = count()


def item(code: str, name: str, table: str = "05") -> LineItem:
    index = next(_ROWS)
    return LineItem(
        doc_id="d", department="", fiscal_year=2024, table_code=table, row_index=index, subject_system="function",
        subject_code=code, code_source="printed", subject_name=name, line_label=name, measure="total_expenditure",
        measure_zh="合计", amount_yuan=Decimal(10000), quantity=None, value_original=Decimal(10000),
        unit_original="元", page=3,
    )


TABLE = [
    item("201", "一般公共服务支出"), item("20106", "财政事务"), item("2010601", "行政运行"),
    item("2010602", "一般行政管理事务"), item("208", "社会保障和就业支出"), item("20805", "行政事业单位养老支出"),
    item("2080599", "其他行政事业单位养老支出"),
]


def findings(path: str, items: list[LineItem] | None = None) -> list[Finding]:
    figures = narrative_figures("d", [HEAD + f"1、{path}。年初预算为1.00万元，支出决算为1.00万元。"])
    return [f for f in check_narrative("d", figures, TABLE if items is None else items) if f.rule_id == RULE]


def test_class_path() -> None:
    assert class_path("一般公共服务支出（类）财政事务（款）行政运行（项）") == ("一般公共服务支出", "财政事务", "行政运行")
    assert class_path("“一般公共服务支出-财政事务-行政运行”科目") == ("一般公共服务支出", "财政事务", "行政运行")
    assert class_path("住房改革支出（类）住房公积金（项）") == ("住房改革支出", "", "住房公积金")
    assert class_path("一般公共服务支出（类）") == ("一般公共服务支出",)
    assert class_path("基本支出") == ()


def test_paths_naming_printed_rows_pass() -> None:
    assert findings("一般公共服务支出（类）财政事务（款）行政运行（项）") == []
    assert findings("一般公共服务支出（类）财政事务（款）") == []
    assert findings("社会保障和就业支出（类）行政事业单位养老支出（款）其它行政事业单位养老支出（项）") == []


def test_misspelt_kuan_is_reported() -> None:
    (finding,) = findings("一般公共服务支出（类）财政事物（款）行政运行（项）")
    assert (finding.rule_id, finding.severity, finding.category, finding.page) == (RULE, "warning", "narrative", 1)
    assert "财政事物" in finding.message and "20106 财政事务" in finding.message


def test_misspelt_xiang_is_reported() -> None:
    (finding,) = findings("一般公共服务支出（类）财政事务（款）行政远行（项）")
    assert "项" in finding.message and "行政远行" in finding.message and "2010601 行政运行" in finding.message


def test_output_shape() -> None:
    (finding,) = findings("一般公共服务支出（类）财政事物（款）行政运行（项）")
    assert (finding.actual, finding.expected, finding.difference, finding.table_code) == (None, None, None, "")
    assert " / " in finding.message  # Chinese, then English


def test_guards() -> None:
    # the 类 is printed by no table, or no table is read: nothing to judge against
    assert findings("教育支出（类）普通教育（款）小学教育（项）") == []
    assert findings("一般公共服务支出（类）财政事物（款）行政运行（项）", items=[]) == []
    # the tables print the 类 only (a summary read without its 款 rows): not read that deep
    assert findings("一般公共服务支出（类）财政事物（款）", items=[item("201", "一般公共服务支出")]) == []
    # a valid reference 款 of the 类 the tables do not print: not a misspelling
    assert findings("一般公共服务支出（类）统计信息事务（款）统计管理（项）") == []
    # a table name wrapped over two lines and read in part
    wrapped = [*TABLE[:1], item("20106", "财政"), *TABLE[2:]]
    assert findings("一般公共服务支出（类）财政事务（款）行政运行（项）", items=wrapped) == []
    # a path that skips its 款 (Jiangsu 2019 人大 p.14 "住房改革支出（类）住房公积金（项）"): not judged
    assert findings("一般公共服务支出（类）行政远行（项）") == []
    # economic codes (301…) are not function rows
    assert findings("工资福利支出（类）基本工资（款）", items=[item("301", "工资福利支出"), item("30101", "基本工资")]) == []


def test_real_wanli_2023_paths_all_name_rows_and_a_misspelt_one_is_reported() -> None:
    path = realdoc("sh_budget_2023_普陀区万里街道办事处_部门预算")
    result = process_document(path, path.name)
    assert [f for f in document_findings(result, result.line_items) if f.rule_id == RULE] == []
    target = next(f for f in result.narrative_figures if "统计信息事务（款）统计管理（项）" in f.subject)
    misspelt = target.subject.replace("统计信息事务", "统计信息事物")
    figures = [replace(f, subject=misspelt) if f.subject == target.subject else f for f in result.narrative_figures]
    (finding,) = [f for f in check_narrative("d", figures, result.line_items, "budget") if f.rule_id == RULE]
    assert finding.page == target.page and "统计信息事物" in finding.message and "20105" in finding.message
