"""The narrative rules on Shanghai 部门预算 / 单位预算: their 预算编制说明 (before the tables) and
其他相关情况说明 (after them) are read ([[section]] of schemas/data/narrative_figures.toml), their
figures bound to the budget tables ([kinds.budget]) and checked against them and their own arithmetic.

Real Shanghai budgets (../shared/realdocs) raise exactly their real misprints, each verified on the
page (pdftotext -layout -f N -l N); their figures are compared, not skipped (counts below); one changed
figure fails with the finding's shape; and the false alarms are guarded: last year's 执行数 is compared
with no cell of this year's tables, "比2024年预算减少…" binds nothing, a 元 cell quoted in 万元 agrees
when the quote is its rounding, and the 目录's "四、部门预算编制说明……" starts no narrative.

Stands for: Shanghai district budgets 2023–2025 (WPS), 部门预算 (sh_budget_…部门预算, 万里街道 2024) and
单位预算 (…单位预算); 类/款/项 lines printed as "X（类）Y（款）Z（项）" or "“X-Y-Z”科目"; last year's
预算执行数 quoted beside this year's 预算安排 with a rate; 三公 and 机关运行经费 in one 09 table.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import realdoc_result

from checks.narrative_budget import compared
from checks.narrative_rules import NarrativeView, check_narrative
from checks.view import DocumentView
from core.records import Finding, NarrativeFigure
from extract.narrative import narrative_figures, narrative_text
from extract.narrative_kinds import kind_cells, kind_rules
from flows.content import document_findings
from normalize.documents import DocumentResult
from schemas.rules import load_rules

NARRATIVE_RULES = {r for r, row in load_rules().items() if row.category == "narrative"} | {"TEXT_CONTRADICTORY_WORDING"}
WANLI_2023 = "sh_budget_2023_普陀区万里街道办事处_部门预算"
WANLI_2024 = "sh_budget_2024_上海市普陀区人民政府万里街道办事处"
GOV_DEPT = "sh_budget_2025_普陀区人民政府办公室_部门预算"
GOV_UNIT = "sh_budget_2025_普陀区人民政府办公室_单位预算"
COMMERCE = "sh_budget_2025_普陀区商务委员会_单位预算"
FINANCE = "sh_budget_2025_普陀区财政局_部门预算"

#: every error/warning the narrative rules raise on the real Shanghai budgets: (rule, page, printed figure)
REAL_MISPRINTS: dict[str, list[tuple[str, int, Decimal | None]]] = {
    # p.6 item 3 群众团体事务: 11.67 → 45.41 is +289.12%, printed 314.82%;
    # p.6 item 2 专项普查活动 and p.8 item 17 其他行政事业单位养老支出: "执行数为0万元 … 增加100.00%" (no rate on 0);
    # p.7 item 16 职业年金 220.63万元 (05: 2,206,272元) then "2023年预算安排441.25万元，比2022年预算执行数增加60.54%":
    # item 15's figures copied (132.59 → 220.63 is +66.40%);
    # p.6 "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元" (the line before's change copied: last year −1421.25)
    WANLI_2023: [
        ("NARR_GROWTH", 6, Decimal("314.82")), ("NARR_ZERO_BASE", 6, Decimal("100.00")),
        ("NARR_IMPOSSIBLE_CHANGE", 6, Decimal("1421.25")),
        ("NARR_TABLE_MISMATCH", 7, Decimal("441.25")), ("NARR_GROWTH", 7, Decimal("60.54")),
        ("NARR_ZERO_BASE", 8, Decimal("100.00")),
    ],
    # p.9 item 31 住房公积金 350.35万元 (05: 3,503,499元; the rate 0.53% is of 350.35) then "2024年预算安排352.67万元";
    # p.7 item 9 其他教育支出 "执行数为0.00万元 … 增加100.00%"
    WANLI_2024: [("NARR_ZERO_BASE", 7, Decimal("100.00")), ("NARR_TABLE_MISMATCH", 9, Decimal("352.67"))],
    GOV_DEPT: [],
    GOV_UNIT: [],
    COMMERCE: [],
    # p.7 item 7 职业年金 "887.36万元" against 05 2080506 873,617.00元 (87.36万元); p.8 prints the page again
    FINANCE: [("NARR_TABLE_MISMATCH", 7, Decimal("887.36")), ("NARR_TABLE_MISMATCH", 8, Decimal("887.36"))],
}
#: figures compared with a printed cell, and how many repeat one exactly (after rounding to the quote's places)
COMPARED = {
    WANLI_2023: (79, 78), WANLI_2024: (81, 80), GOV_DEPT: (24, 24), GOV_UNIT: (24, 24),
    COMMERCE: (28, 28), FINANCE: (38, 28),
}

_result = realdoc_result  # one extraction per session, shared with the other modules


def _raised(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id in NARRATIVE_RULES and f.severity != "info"]


def _view(result: DocumentResult, figures: list[NarrativeFigure] | None = None) -> NarrativeView:
    doc = result.document
    return NarrativeView(doc.doc_id, result.narrative_figures if figures is None else figures,
                         DocumentView(doc.doc_id, result.line_items, doc.doc_kind))


def _check(result: DocumentResult, figures: list[NarrativeFigure]) -> list[Finding]:
    return _raised(check_narrative("d", figures, result.line_items, "budget"))


def _with(figures: list[NarrativeFigure], target: NarrativeFigure, **changes: object) -> list[NarrativeFigure]:
    return [replace(f, **changes) if f is target else f for f in figures]  # type: ignore[arg-type]


def _amount(figures: list[NarrativeFigure], subject: str, aspect: str = "") -> NarrativeFigure:
    return next(f for f in figures if f.kind == "amount" and subject in f.subject and f.aspect == aspect)


@pytest.mark.parametrize("prefix", sorted(REAL_MISPRINTS))
def test_real_shanghai_budgets_raise_only_their_misprints(prefix: str) -> None:
    result = _result(prefix)
    assert result.document.doc_kind == "budget"
    raised = _raised(document_findings(result, result.line_items))
    assert sorted((f.rule_id, f.page or 0, f.actual) for f in raised) == sorted(REAL_MISPRINTS[prefix]), [
        f.message for f in raised
    ]


@pytest.mark.parametrize("prefix", sorted(COMPARED))
def test_real_shanghai_budget_figures_are_compared(prefix: str) -> None:
    """Not skipped: the totals, the 类/款/项 lines, the 三公 lines and 机关运行经费 meet a printed cell."""
    pairs = compared(_view(_result(prefix)))
    assert (len(pairs), sum(ok for _, ok in pairs)) == COMPARED[prefix]
    subjects = {f.subject for f, _ in pairs}
    assert {"财政拨款收入", "支出预算", "财政拨款支出预算", "一般公共预算拨款支出预算"} <= subjects
    assert any(s.endswith("收入预算") for s in subjects)  # "<部门>收入预算9,101.68万元"
    assert any("（项）" in s or "科目" in s for s in subjects)  # 类/款/项 lines against 05 / 02
    assert any(s.endswith("机关运行经费") for s in subjects)  # 09's 机关运行经费预算数
    assert any("公务接待费" in s for s in subjects)


def test_shanghai_narrative_sections_are_the_explanations_not_the_contents() -> None:
    """万里 2024: 编制说明 pp.6–9 and 其他相关情况说明 p.32; the 目录 (p.2) and the tables are not read."""
    pages = {f.page for f in _result(WANLI_2024).narrative_figures}
    assert pages == {6, 7, 8, 9, 32}
    text = narrative_text([
        "目录\n四、部门预算编制说明……………\n六、其他相关情况说明………",
        "2025年部门预算编制说明\n支出预算100.00万元。",
        "2025年部门财务收支预算总表\n编制部门：某局 单位：元\n收入总计 1,000,000",
        "其他相关情况说明\n一、2025年“三公”经费预算情况说明\n“三公”经费预算数为1.00万元。",
        "项目经费情况说明\n第一季度用款计划158.05万元。",
    ])
    assert "支出预算100.00万元" in text.text and "三公" in text.text
    assert "收入总计" not in text.text and "158.05" not in text.text and "目录" not in text.text
    assert set(text.pages) == {2, 4}


def test_shanghai_total_mismatch_output_shape() -> None:
    result = _result(GOV_DEPT)
    target = _amount(result.narrative_figures, "收入预算")
    (finding,) = _check(result, _with(result.narrative_figures, target, value=Decimal("9101.86")))
    assert (finding.rule_id, finding.severity, finding.category, finding.page) == (
        "NARR_TABLE_MISMATCH", "warning", "narrative", 6
    )
    assert (finding.expected, finding.actual, finding.difference) == (
        Decimal("9101.68"), Decimal("9101.86"), Decimal("0.18")
    )
    assert finding.table_code in ("01", "02")


def test_shanghai_item_line_mismatch_names_its_row() -> None:
    """"“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元" is 05's 2010301."""
    result = _result(GOV_DEPT)
    target = next(f for f in result.narrative_figures if f.value == Decimal("1202.95"))
    (finding,) = _check(result, _with(result.narrative_figures, target, value=Decimal("1220.95")))
    assert (finding.rule_id, finding.subject_code, finding.expected, finding.page) == (
        "NARR_TABLE_MISMATCH", "2010301", Decimal("1202.95"), 6
    )


def test_shanghai_sangong_mismatch_against_the_budget_column() -> None:
    result = _result(GOV_DEPT)
    target = _amount(result.narrative_figures, "公务接待费")
    (finding,) = _check(result, _with(result.narrative_figures, target, value=Decimal("28.05")))
    assert (finding.rule_id, finding.table_code, finding.expected, finding.actual, finding.page) == (
        "NARR_SANGONG_MISMATCH", "09", Decimal("28.50"), Decimal("28.05"), 21
    )
    assert "预算数" in finding.message


def test_last_years_execution_is_not_compared_with_this_years_cell() -> None:
    """"2023年当年预算执行数为60.13万元" is last year's: no cell of the 2024 tables; changing it to anything
    raises no table finding (only the rate recomputed from it moves)."""
    result = _result(WANLI_2024)
    rules = kind_rules("budget")
    last = _amount(result.narrative_figures, "专项普查活动", aspect="上年数")
    assert last.value == Decimal("60.13") and kind_cells(last, rules, 2024) == ()
    def table_findings(figures: list[NarrativeFigure]) -> list[tuple[int | None, Decimal | None]]:
        return [(f.page, f.actual) for f in _check(result, figures) if f.rule_id in ("NARR_TABLE_MISMATCH", "NARR_SANGONG_MISMATCH")]

    changed = _with(result.narrative_figures, last, value=Decimal("25.77"))
    assert table_findings(changed) == table_findings(result.narrative_figures) == [(9, Decimal("352.67"))]
    # "比2024年预算减少2,389.52万元" (the change against last year's budget) binds nothing either
    change = next(f for f in _result(GOV_DEPT).narrative_figures if f.value == Decimal("2389.52"))
    assert change.kind == "growth_amount" and kind_cells(change, rules, 2025) == ()


def test_rate_recomputed_from_the_quoted_execution() -> None:
    """"2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%":
    the rate is |25.77 − 60.13| ÷ 60.13; a misprinted one fails with the recomputation."""
    result = _result(WANLI_2024)
    rate = next(f for f in result.narrative_figures if f.kind == "growth_rate" and f.value == Decimal("57.14"))
    findings = _check(result, _with(result.narrative_figures, rate, value=Decimal("57.41")))
    (finding,) = [f for f in findings if f.rule_id == "NARR_GROWTH"]
    assert (finding.expected, finding.actual, finding.page) == (Decimal("57.14"), Decimal("57.41"), 6)
    assert "60.13" in finding.message


def test_growth_against_last_years_execution_stated_as_a_change() -> None:
    """"比2024年预算执行数增加X万元，增长Y%": last year's 执行数 = this year − X, printed nowhere in the tables;
    the rate recomputes from what the sentence quotes."""
    page = "2025年单位预算编制说明\n2025年，某委员会收入预算100.00万元，其中：财政拨款收入100.00万元，比2024年预算执行数增加20.00万元，增长{rate}%。"
    ok = narrative_figures("d", [page.format(rate="25.00")])
    assert [f.rule_id for f in _raised(check_narrative("d", ok, [], "budget"))] == []
    bad = narrative_figures("d", [page.format(rate="20.00")])
    (finding,) = _raised(check_narrative("d", bad, [], "budget"))
    assert (finding.rule_id, finding.expected, finding.actual) == ("NARR_GROWTH", Decimal("25.00"), Decimal("20.00"))


def test_zero_base_finding_shape() -> None:
    (finding,) = [f for f in _raised(document_findings(_result(WANLI_2024))) if f.rule_id == "NARR_ZERO_BASE"]
    assert (finding.severity, finding.page, finding.actual, finding.expected) == ("warning", 7, Decimal("100.00"), None)
    assert "其他教育支出" in finding.message


def test_yuan_cells_quoted_in_wan_yuan_agree_when_rounded() -> None:
    """单位预算 tables print 元 with fen (9,101,677.535…): 9,101.68万元 is its rounding, not even an info."""
    result = _result(GOV_UNIT)
    findings = check_narrative("d", result.narrative_figures, result.line_items, "budget")
    assert [f for f in findings if f.rule_id == "NARR_TABLE_MISMATCH"] == []
