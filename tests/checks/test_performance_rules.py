"""PERF_* rules on the seed sample's 绩效自评表 and on injected defects."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import ROOT

from checks.performance_rules import check_performance
from core.records import Finding, PerformanceIndicator
from extract.document import extract_document
from extract.performance import performance_indicators

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


@pytest.fixture(scope="module")
def rows() -> list[PerformanceIndicator]:
    return performance_indicators("doc", SEED, extract_document(SEED).page_texts)


def _edit(rows: list[PerformanceIndicator], instance: int, row_index: int, **changes: object) -> list[PerformanceIndicator]:
    return [
        replace(r, **changes) if (r.table_instance, r.row_index) == (instance, row_index) else r  # type: ignore[arg-type]
        for r in rows
    ]


def _shape(f: Finding) -> tuple[object, ...]:
    return (f.rule_id, f.severity, f.category, f.table_code, f.expected, f.actual, f.difference, f.page)


def test_seed_sample_only_the_duplicate(rows: list[PerformanceIndicator]) -> None:
    findings = check_performance("doc", rows)
    assert [_shape(f) for f in findings] == [
        ("PERF_DUPLICATE_TABLE", "info", "performance", "", None, None, None, 20)
    ]
    assert "第18页与第20页" in findings[0].message and "省劳模专项补助资金" in findings[0].message


def test_wrong_execution_rate(rows: list[PerformanceIndicator]) -> None:
    # 工人文化宫: B = 5010.6 of A = 5010.6 printed as 90%
    bad = _edit(rows, 2, 1, execution_rate="90%")
    found = [f for f in check_performance("doc", bad) if f.rule_id == "PERF_EXECUTION_RATE"]
    assert [_shape(f) for f in found] == [
        ("PERF_EXECUTION_RATE", "warning", "performance", "", Decimal("100.00"), Decimal(90), Decimal("-10.00"), 19)
    ]
    assert "工人文化宫土地划拨款" in found[0].message


def test_execution_rate_within_rounding_is_no_finding(rows: list[PerformanceIndicator]) -> None:
    ok = _edit(rows, 2, 1, executed=Decimal("4990.0"))  # 99.59 % prints as 100%
    assert not [f for f in check_performance("doc", ok) if f.rule_id == "PERF_EXECUTION_RATE"]
    off = _edit(rows, 2, 1, executed=Decimal("4980.0"))  # 99.39 %: more than half a point from 100%
    (finding,) = [f for f in check_performance("doc", off) if f.rule_id == "PERF_EXECUTION_RATE"]
    assert (finding.expected, finding.actual) == (Decimal("99.39"), Decimal(100))


def test_execution_rate_against_zero_budget(rows: list[PerformanceIndicator]) -> None:
    bad = _edit(rows, 2, 1, full_year_budget=Decimal(0))
    found = [f for f in check_performance("doc", bad) if f.rule_id == "PERF_EXECUTION_RATE"]
    assert [_shape(f) for f in found] == [
        ("PERF_EXECUTION_RATE", "warning", "performance", "", None, Decimal(100), None, 19)
    ]


def test_score_sum_off(rows: list[PerformanceIndicator]) -> None:
    # 工人文化宫 row 6 (归还土地面积) scores 8 instead of 10: Σ得分 = 98, 总分 still prints 100
    bad = _edit(rows, 2, 6, score=Decimal(8))
    found = [f for f in check_performance("doc", bad) if f.rule_id == "PERF_SCORE_SUM"]
    assert [_shape(f) for f in found] == [
        ("PERF_SCORE_SUM", "warning", "performance", "", Decimal(98), Decimal(100), Decimal(2), 19)
    ]


def test_weights_not_100(rows: list[PerformanceIndicator]) -> None:
    # 省劳模 (first printing) row 5 weight 6 → 8 and 总分 分值 printed 102: Σ分值 = 102 ≠ 100
    bad = _edit(_edit(rows, 1, 5, weight=Decimal(8)), 1, 21, weight=Decimal(102))
    found = [f for f in check_performance("doc", bad) if f.rule_id == "PERF_SCORE_SUM"]
    assert [_shape(f) for f in found] == [
        ("PERF_SCORE_SUM", "warning", "performance", "", Decimal(100), Decimal(102), Decimal(2), 18)
    ]
    assert "满分100" in found[0].message


def test_missing_duplicate(rows: list[PerformanceIndicator]) -> None:
    once = [r for r in rows if r.table_instance != 3]
    assert check_performance("doc", once) == []


def test_duplicate_with_different_content_is_a_warning(rows: list[PerformanceIndicator]) -> None:
    bad = _edit(rows, 3, 8, actual="6700人")
    (finding,) = [f for f in check_performance("doc", bad) if f.rule_id == "PERF_DUPLICATE_TABLE"]
    assert (finding.severity, finding.page) == ("warning", 20) and "内容不一致" in finding.message
