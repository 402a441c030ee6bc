"""The narrative rules on 部门预算 / 单位预算 (issue 9 §3, issue 10 §1): a budget's 情况说明 against its
budget tables ([kinds.budget] of schemas/data/narrative_figures.toml) and against its own arithmetic.

Real Jiangsu budgets (../shared/realdocs) raise exactly their real misprints, each verified in the PDF
text; one changed figure or cell (dataclasses.replace) fails with the right rule, table, figures and page;
and the false alarms the 决算 bindings would give are guarded: a budget's 三公 figure is read against the
09 budget column (not 决算数), a 上年 / other-year figure is compared with no cell of this year's tables,
and the 2017 政协 narrative file checked against its table file raises nothing.

Stands for: Jiangsu 2017–2019 部门预算, as one booklet (检察院, 法院, 人大 2017/2018) or as a narrative
file (…部门预算文本, …部门预算公开文件) beside its table file (…预算公开表, …公开表格) of one disclosure;
totals printed by several tables (基本支出 in 01, 03, 04, 05); 三公 table with 会议费 / 培训费.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest
from support import realdoc_result

from checks.narrative_rules import check_narrative
from core.records import Finding, LineItem, NarrativeFigure
from extract.narrative import narrative_text
from extract.narrative_kinds import kind_cells, kind_rules
from flows.content import document_findings
from normalize.documents import DocumentResult
from schemas.rules import load_rules

ZX_TEXT = "js_budget_2017_江苏省政协办公厅_部门预算文本"
ZX_TABLES = "js_budget_2017_江苏省政协办公厅_预算公开表"
NARRATIVE_RULES = {r for r, row in load_rules().items() if row.category == "narrative"} | {"TEXT_CONTRADICTORY_WORDING"}

#: every error/warning the narrative rules raise on the real budgets: (rule, page, printed figure),
#: each read in the PDF (pdftotext -layout -f N -l N)
REAL_MISPRINTS: dict[str, list[tuple[str, int, Decimal | None]]] = {
    # p.19 "基本支出预算数为 12323.46 万元" while the same page's 支出 section and 03 print 12323.48;
    # p.22 3401.59 on 2630.96 (6032.55 − 3401.59) is 129.29%, printed 129.97%
    "js_budget_2017_江苏省人民检察院_部门预算": [
        ("NARR_TABLE_MISMATCH", 19, Decimal("12323.46")), ("NARR_GROWTH", 22, Decimal("129.97")),
    ],
    # p.22 提租补贴 865.57 on 1094.42 (1959.99 − 865.57) is 79.09%, printed 79.05%
    "js_budget_2017_江苏省高级人民法院": [("NARR_GROWTH", 22, Decimal("79.05"))],
    # p.26 一般行政管理事务 21.8 on 3644.2 is 0.60%, printed 0.06%
    "js_budget_2018_江苏省人民检察院": [("NARR_GROWTH", 26, Decimal("0.06"))],
    # p.8 行政运行 101.48 on 6005.51 is 1.69%, printed 1.66%
    "js_budget_江苏省委办公厅_江苏省委办公厅2017年部门预算": [("NARR_GROWTH", 8, Decimal("1.66"))],
    # p.21 单位预留机动经费 1557.29 on 128.43 is 1212.56%, printed 1312.56%; the template's
    # "增加（减少）0万元，增长（减少）0%" left on pp.19, 20, 28, 29
    "js_budget_江苏省人大办公厅_省人大办公厅2018预算公开": [
        ("NARR_GROWTH", 21, Decimal("1312.56")),
        *[("TEXT_CONTRADICTORY_WORDING", p, None) for p in (19, 19, 19, 19, 20, 20, 20, 20, 28, 28, 29, 29, 29)],
    ],
    "js_budget_江苏省人大办公厅_江苏省人大常委会2019年度部门预算公开": [
        ("TEXT_CONTRADICTORY_WORDING", p, None) for p in (9, 9, 9, 9, 9, 9, 10, 10, 16, 16)
    ],
    "js_budget_江苏省人大办公厅_江苏省人大办公厅2017年度预算公开": [],
    "js_budget_2019_江苏省高级人民法院": [],
    ZX_TEXT: [],
    "js_budget_2018_江苏省政协办公厅_部门预算文本": [],
    "js_budget_江苏省委办公厅_江苏省委办公厅2018年度部门预算公开文件": [],
    "js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开文件": [],
}
#: the narrative file of a disclosure → its table file
TABLE_FILES = {
    ZX_TEXT: ZX_TABLES,
    "js_budget_2018_江苏省政协办公厅_部门预算文本": "js_budget_2018_江苏省政协办公厅_预算公开表",
    "js_budget_江苏省人大办公厅_江苏省人大常委会2019年度部门预算公开": "js_budget_江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表",
    "js_budget_江苏省委办公厅_江苏省委办公厅2017年部门预算": "js_budget_江苏省委办公厅_江苏省委办公厅2017年预算公开表格",
    "js_budget_江苏省委办公厅_江苏省委办公厅2018年度部门预算公开文件": "js_budget_江苏省委办公厅_江苏省委办公厅2018年度部门预算公开表",
    "js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开文件": "js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格",
}

_result = realdoc_result  # one extraction per session, shared with the other modules


def _disclosure(prefix: str) -> tuple[DocumentResult, list[LineItem]]:
    """A file and the line items of every file of its disclosure."""
    result = _result(prefix)
    items = list(result.line_items)
    if prefix in TABLE_FILES:
        tables = _result(TABLE_FILES[prefix])
        assert tables.document.disclosure_id == result.document.disclosure_id
        items += tables.line_items
    return result, items


def _raised(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id in NARRATIVE_RULES and f.severity != "info"]


@pytest.fixture(scope="module")
def zx() -> tuple[DocumentResult, list[LineItem]]:
    return _disclosure(ZX_TEXT)


def _check(figures: list[NarrativeFigure], items: list[LineItem]) -> list[Finding]:
    return _raised(check_narrative("d", figures, items, "budget"))


def _figure(figures: list[NarrativeFigure], subject: str, page: int | None = None) -> NarrativeFigure:
    return next(f for f in figures if f.subject == subject and f.kind == "amount" and page in (None, f.page))


def _with(figures: list[NarrativeFigure], target: NarrativeFigure, **changes: object) -> list[NarrativeFigure]:
    return [replace(f, **changes) if f is target else f for f in figures]  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", sorted(REAL_MISPRINTS))
def test_real_budgets_raise_only_their_misprints(prefix: str) -> None:
    result, items = _disclosure(prefix)
    assert result.document.doc_kind == "budget"
    assert result.narrative_figures, "the 情况说明 is read"
    raised = _raised(document_findings(result, items))
    assert sorted((f.rule_id, f.page or 0, f.actual) for f in raised) == sorted(
        (r, p, a) for r, p, a in REAL_MISPRINTS[prefix]
    ), [f.message for f in raised]


def test_the_table_files_raise_nothing() -> None:
    for prefix in sorted(set(TABLE_FILES.values())):
        tables, items = _result(prefix), _disclosure(prefix)[1]
        assert _raised(document_findings(tables, items)) == [], prefix


def test_zx_2017_pair_passes_and_is_compared(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    """The 2017 政协 narrative file against its table file: nothing raised, and the totals and every
    三公 line are bound to a budget cell (not just skipped)."""
    result, items = zx
    assert result.line_items == []  # a narrative-only file
    assert _check(result.narrative_figures, items) == []
    rules, year = kind_rules("budget"), 2017
    bound = {f.subject for f in result.narrative_figures if kind_cells(f, rules, year)}
    assert {
        "收入预算总计", "支出预算总计", "财政拨款收入预算总计", "基本支出", "项目支出", "单位预留机动经费",
        "一般公共预算财政拨款支出预算", "一般公共预算财政拨款基本支出预算", "一般公共预算机关运行经费支出预算",
        "因公出国（境）费支出", "因公出国（境）费预算支出", "公务接待费预算支出", "公务用车运行维护费",
        "一般公共预算拨款安排的会议费预算支出",
    } <= bound
    # not bound soundly: class/item lines (the section names the table) and 人员经费 (no 06 row)
    assert "政协事务（款）行政运行（项）支出" not in bound and "人员经费" not in bound


def test_budget_total_mismatch_output_shape(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    result, items = zx
    target = _figure(result.narrative_figures, "一般公共预算财政拨款支出预算")
    (finding,) = _check(_with(result.narrative_figures, target, value=Decimal("9066.89")), items)
    assert (finding.rule_id, finding.severity, finding.category, finding.table_code, finding.page) == (
        "NARR_TABLE_MISMATCH", "warning", "narrative", "05", 13
    )
    assert (finding.expected, finding.actual, finding.difference) == (
        Decimal("9066.79"), Decimal("9066.89"), Decimal("0.10")
    )
    assert "05表 合计" in finding.message


def test_a_total_printed_by_several_tables_agrees_with_any(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    """基本支出 is printed by 03 (all funds), 01 and 04 (财政拨款): the figure passes when it repeats one,
    and is reported against the nearest when it repeats none."""
    result, items = zx
    changed = [
        replace(i, amount_yuan=Decimal("59000000.00")) if (i.table_code, i.measure) == ("03", "basic_expenditure") else i
        for i in items
    ]
    assert _check(result.narrative_figures, changed) == []  # 01 一、基本支出 still prints 5916.27
    target = _figure(result.narrative_figures, "基本支出", page=8)
    (finding,) = _check(_with(result.narrative_figures, target, value=Decimal("5916.37")), items)
    assert (finding.rule_id, finding.expected, finding.actual, finding.page) == (
        "NARR_TABLE_MISMATCH", Decimal("5916.27"), Decimal("5916.37"), 8
    )


def test_budget_sangong_figure_is_read_against_the_budget_column(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    """"因公出国（境）费支出76万元" is a budget amount: 09's 预算数 (the 决算 binding would read 决算数)."""
    result, items = zx
    target = _figure(result.narrative_figures, "因公出国（境）费支出")
    assert target.measure == "final_amount"  # the figure's own (决算) binding
    (cell,) = kind_cells(target, kind_rules("budget"), 2017)
    assert (cell.table, cell.measure) == ("09", "budget")
    changed = [
        replace(i, amount_yuan=Decimal("780000.00")) if i.table_code == "09" and i.line_label.endswith("因公出国（境）费")
        else i
        for i in items
    ]
    findings = _check(result.narrative_figures, changed)  # "76万元": one unit is 1 万元
    assert [(f.rule_id, f.table_code, f.expected, f.actual, f.page) for f in findings] == [
        ("NARR_SANGONG_MISMATCH", "09", Decimal("78.00"), Decimal("76"), 18),
        ("NARR_SANGONG_MISMATCH", "09", Decimal("78.00"), Decimal("76"), 19),
    ]
    assert "预算数" in findings[0].message


def test_budget_meeting_fee_mismatch(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    result, items = zx
    target = _figure(result.narrative_figures, "一般公共预算拨款安排的会议费预算支出")
    (finding,) = _check(_with(result.narrative_figures, target, value=Decimal("1094.26")), items)
    assert (finding.rule_id, finding.expected, finding.actual, finding.page) == (
        "NARR_SANGONG_MISMATCH", Decimal("1094.62"), Decimal("1094.26"), 19
    )


def test_last_years_figure_is_not_compared_with_this_years_cell(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    result, items = zx
    target = _figure(result.narrative_figures, "一般公共预算财政拨款支出预算")
    for sentence in ("上年一般公共预算财政拨款支出预算8,568.07万元", "2016年度一般公共预算财政拨款支出预算8,568.07万元"):
        figures = _with(result.narrative_figures, target, value=Decimal("8568.07"), sentence=sentence)
        assert not kind_cells(next(f for f in figures if f.sentence == sentence), kind_rules("budget"), 2017)
        assert [f for f in _check(figures, items) if f.rule_id == "NARR_TABLE_MISMATCH"] == []
    # "上年数" is no budget's own aspect either
    assert not kind_cells(replace(target, aspect="上年数"), kind_rules("budget"), 2017)


def test_budget_growth_rate_misprint_injected(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    """基本支出预算数为5,916.27万元，与上年相比增加498.72万元，增长9.21%: a budget's 预算数 is its own amount."""
    result, items = zx
    rate = next(f for f in result.narrative_figures if f.subject == "基本支出" and f.kind == "growth_rate")
    (finding,) = _check(_with(result.narrative_figures, rate, value=Decimal("9.12")), items)
    assert (finding.rule_id, finding.expected, finding.actual, finding.page) == (
        "NARR_GROWTH", Decimal("9.21"), Decimal("9.12"), 8
    )


def test_budget_share_misprint_injected(zx: tuple[DocumentResult, list[LineItem]]) -> None:
    result, items = zx
    share = next(f for f in result.narrative_figures if f.subject == "基本支出" and f.kind == "share")
    (finding,) = _check(_with(result.narrative_figures, share, value=Decimal("64.86")), items)
    assert (finding.rule_id, finding.expected, finding.actual) == ("NARR_SHARE", Decimal("64.68"), Decimal("64.86"))


def test_final_account_rules_left_out_of_budgets() -> None:
    """完成预算 and 决算数大于预算数 are 决算 notions: not run on budgets."""
    rules = load_rules()
    for rule_id in ("NARR_COMPLETION", "NARR_COMPARISON_WORDING"):
        assert not rules[rule_id].applies_to("budget")
    for rule_id in NARRATIVE_RULES - {"NARR_COMPLETION", "NARR_COMPARISON_WORDING", "NARR_SECTION_MISSING"}:
        assert rules[rule_id].applies_to("budget") and rules[rule_id].applies_to("final_account"), rule_id


def test_jiangsu_2017_court_p22_part_heading_wrapped_over_two_lines() -> None:
    """"第三部分 江苏省高级人民法院 2017 年度" + "部门预算情况说明": the narrative starts at the heading,
    not at the 目录 line (stands for Jiangsu booklets whose part heading wraps: 法院 2017, 人大 2017)."""
    pages = [
        "目录\n第三部分 某某厅 2017 年度部门预算情况说明\n第四部分 名词解释",
        "第三部分 某某厅 2017 年度\n2017 年度部门预算情况说明\n一、收支预算总表情况说明\n收入预算总计100万元。",
        "第四部分 名词解释\n基本支出100万元。",
    ]
    narrative = narrative_text(pages)
    assert "收入预算总计100万元" in narrative.text and "名词解释" not in narrative.text
    by_page: dict[int, int] = defaultdict(int)
    for page in narrative.pages:
        by_page[page] += 1
    assert set(by_page) == {2}


def test_the_package_checks_a_narrative_file_against_its_table_file() -> None:
    """As published (flows.content.package_content): the 2017 政协 narrative file, whose own file has no
    table, is checked against its disclosure's table file — a table cell changed there is reported on
    the narrative file, with the narrative file's department and disclosure ids."""
    from flows.content import package_content

    narrative, tables = _result(ZX_TEXT), _result(ZX_TABLES)
    changed = replace(tables, line_items=[
        replace(i, value_original=i.value_original + Decimal("1.00"), amount_yuan=(i.amount_yuan or 0) + 10000)
        if (i.table_code, i.line_key, i.measure) == ("05", "合计", "total_expenditure") else i
        for i in tables.line_items
    ])
    content = package_content([narrative, changed], {"run_id": "t", "source": "t"})
    on_narrative = [f for f in content.findings if f.doc_id == narrative.document.doc_id
                    and f.rule_id == "NARR_TABLE_MISMATCH" and f.severity == "warning"]
    assert [(f.table_code, f.actual, f.expected) for f in on_narrative] == [
        ("05", Decimal("9066.79"), Decimal("9067.79"))
    ]
    assert on_narrative[0].disclosure_id == narrative.document.disclosure_id == tables.document.disclosure_id
    clean = package_content([narrative, tables], {"run_id": "t", "source": "t"})
    assert not [f for f in clean.findings if f.doc_id == narrative.document.doc_id and f.severity == "warning"
                and f.rule_id.startswith("NARR_")]
