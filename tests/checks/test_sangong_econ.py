"""XTABLE_06_09_SANGONG: 06's 三公 款 lines (basic expenditure) are at most 09's same items, when 09's funds
include 06's (read off the printed titles).

Stands for every 决算 booklet of the national template (06 一般公共预算财政拨款, 09 财政拨款) and the
Shanghai and Jiangsu 预算 templates (Shanghai: 06 in 元, 09 in 万元); learned on the culture sample and the
real Shanghai 2025 财政局 部门预算 (p20 30217 公务接待费 9,500.00 元, p21 公务接待费 0.95 万元).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import ROOT, realdoc

from checks.document_rules import check_document
from checks.sangong import table_sums
from checks.sangong_econ import bounds
from core.records import Finding, LineItem
from normalize.documents import DocumentResult, process_document
from schemas.table_specs import fund_scope

RULE = "XTABLE_06_09_SANGONG"
CULTURE = ROOT / "samples" / "pdfs" / "synthetic_culture_bureau_2023.pdf"


@pytest.fixture(scope="module")
def culture() -> DocumentResult:
    return process_document(CULTURE, CULTURE.name)


@pytest.fixture(scope="module")
def sh_budget() -> DocumentResult:
    path = realdoc("sh_budget_2025_普陀区财政局_")
    return process_document(path, path.name)


def _titles(result: DocumentResult) -> dict[str, str]:
    return {t.table_code: t.title for t in result.tables if t.title}


def _run(result: DocumentResult, items: list[LineItem] | None = None, titles: dict[str, str] | None = None,
         empty: dict[str, str] | None = None) -> list[Finding]:
    findings = check_document(
        result.document.doc_id, result.line_items if items is None else items, result.document.doc_kind,
        printed_empty=result.table_notes if empty is None else empty,
        titles=_titles(result) if titles is None else titles,
    )
    return [f for f in findings if f.rule_id == RULE]


def _set06(items: list[LineItem], code: str, value: str) -> list[LineItem]:
    """The items with 06's `amount` of `code` printed as `value` (its unit)."""
    [target] = [i for i in items if i.table_code == "06" and i.subject_code == code and i.measure == "amount"]
    assert target.amount_yuan is not None
    factor = target.amount_yuan / target.value_original
    new = replace(target, value_original=Decimal(value), amount_yuan=Decimal(value) * factor)
    return [new if i is target else i for i in items]


def _drop09(items: list[LineItem], *labels: str) -> list[LineItem]:
    return [i for i in items if not (i.table_code == "09" and (not labels or i.line_label in labels))]


def _shape(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.rule_id, f.severity, f.table_code, f.subject_code, f.expected, f.actual, f.difference, f.page)
            for f in findings]


@pytest.mark.parametrize(
    ("kind", "code", "title", "funds"),
    [
        ("final_account_tables", "06", "一般公共预算财政拨款基本支出决算表", {"一般公共预算"}),
        ("final_account_tables", "09", "财政拨款“三公”经费支出决算表", {"一般公共预算", "政府性基金", "国有资本经营"}),
        ("final_account_tables", "09", "一般公共预算财政拨款“三公”经费支出决算表", {"一般公共预算"}),
        ("final_account_tables", "09", "三公经费支出决算表", set()),  # no fund named: unknown
        ("budget_tables", "06", "2025年部门一般公共预算基本支出部门预算经济分类预算表", {"一般公共预算"}),
        ("budget_tables", "09", "十一、一般公共预算三公经费、会议费、培训费支出预“”算表", {"一般公共预算"}),
        ("budget_tables", "09", "“三公”经费、会议费、培训费支出预算表", {"一般公共预算"}),
        ("budget_tables", "09", "2025年部门“三公”经费和机关运行经费预算表", {"一般公共预算", "政府性基金", "国有资本经营"}),
    ],
)
def test_fund_scope_read_off_the_title(kind: str, code: str, title: str, funds: set[str]) -> None:
    assert fund_scope(kind, code, title) == funds


def test_bounds_run_up_the_line_sums() -> None:
    assert bounds("running", table_sums("final_account")) == ["running", "vehicle", "total"]
    assert bounds("abroad", table_sums("budget")) == ["abroad", "total", "grand_total"]


def test_consistent_culture_passes(culture: DocumentResult) -> None:
    assert _run(culture) == []


def test_shanghai_2025_budget_yuan_against_wan_passes(sh_budget: DocumentResult) -> None:
    assert _run(sh_budget) == []


def test_06_above_09_is_a_warning(culture: DocumentResult) -> None:
    items = _set06(culture.line_items, "30217", "7.76")  # 09 公务接待费 决算数 7.74 万元
    assert _shape(_run(culture, items)) == [
        (RULE, "warning", "06,09", "30217", Decimal("77400.00"), Decimal("77600.00"), Decimal("200.00"), 15)
    ]
    assert "09 3.公务接待费 7.74万元" in _run(culture, items)[0].message


def test_06_below_09_passes(culture: DocumentResult) -> None:
    assert _run(culture, _set06(culture.line_items, "30217", "5.00")) == []


def test_yuan_against_wan_within_the_coarser_place_is_info(sh_budget: DocumentResult) -> None:
    items = _set06(sh_budget.line_items, "30217", "9550.00")  # 09 0.95 万元: one place is 100 元
    assert _shape(_run(sh_budget, items)) == [
        (RULE, "info", "06,09", "30217", Decimal("9500.00"), Decimal("9550.00"), Decimal("50.00"), 20)
    ]
    items = _set06(sh_budget.line_items, "30217", "9700.00")
    assert [f.severity for f in _run(sh_budget, items)] == ["warning"]


def test_line_not_printed_is_bounded_by_its_parent(culture: DocumentResult) -> None:
    items = _drop09(culture.line_items, "（2）公务用车运行维护费")  # 2.公务用车购置及运行维护费 25.12 bounds it
    assert _run(culture, _set06(items, "30231", "25.12")) == []
    [finding] = _run(culture, _set06(items, "30231", "25.20"))
    assert (finding.expected, finding.actual, finding.page) == (Decimal("251200.00"), Decimal("252000.00"), 16)
    assert "公务用车购置及运行维护费" in finding.message


def test_09_printed_empty_bounds_by_zero(culture: DocumentResult) -> None:
    items = _drop09(culture.line_items)
    assert _run(culture, items) == []  # 09 not read: nothing is known of it
    empty = {**culture.table_notes, "09": "注：本部门无财政拨款“三公”经费支出，故本表为空表。"}
    assert [(f.subject_code, f.expected) for f in _run(culture, items, empty=empty)] == [
        ("30217", Decimal(0)), ("30231", Decimal(0))
    ]


@pytest.mark.parametrize(
    "titles",
    [
        {},  # titles not known
        {"06": "一般公共预算财政拨款基本支出决算表", "09": "三公经费支出决算表"},  # 09's funds not named
        {"06": "财政拨款基本支出决算表", "09": "一般公共预算财政拨款三公经费支出决算表"},  # 06 wider than 09
    ],
)
def test_scopes_not_known_to_nest_are_not_compared(culture: DocumentResult, titles: dict[str, str]) -> None:
    assert _run(culture, _set06(culture.line_items, "30217", "9.00"), titles=titles) == []
