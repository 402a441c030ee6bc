"""项目支出绩效自评表 of the seed sample: every row equals samples/ground_truth/*.performance.csv."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from support import ROOT

from core.records import PerformanceIndicator
from extract.document import extract_document
from extract.performance import performance_indicators, title_pages
from normalize.documents import process_document

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"
TRUTH = ROOT / "samples" / "ground_truth" / "jiangxi_trade_unions_2024.performance.csv"
DECIMALS = ("weight", "score", "initial_budget", "full_year_budget", "executed")


def _truth() -> list[dict[str, str]]:
    with TRUTH.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _as_truth(row: PerformanceIndicator) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in _truth_columns():
        value = getattr(row, name)
        out[name] = "" if value is None else str(value)
    return out


def _truth_columns() -> list[str]:
    with TRUTH.open(encoding="utf-8") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def rows() -> list[PerformanceIndicator]:
    return performance_indicators("doc", SEED, extract_document(SEED).page_texts)


def test_seed_sample_rows_equal_ground_truth(rows: list[PerformanceIndicator]) -> None:
    got = [_as_truth(r) for r in rows]
    assert got == _truth()


def test_seed_sample_tables_in_print_order(rows: list[PerformanceIndicator]) -> None:
    firsts = {(r.table_instance, r.project, r.page) for r in rows if r.row_index == 1}
    assert firsts == {(1, "省劳模专项补助资金", 18), (2, "工人文化宫土地划拨款", 19), (3, "省劳模专项补助资金", 20)}


def test_jiangxi_2024_p21_continuation_carries_merged_levels(rows: list[PerformanceIndicator]) -> None:
    """The second 省劳模 table runs onto page 21, whose first row prints blank 一级/二级 cells."""
    row = next(r for r in rows if r.table_instance == 3 and r.page == 21)
    assert (row.level1, row.level2, row.level3) == ("产出指标", "时效指标", "指标3：特殊困难帮扶发放时间")
    assert (row.weight, row.score) == (Decimal(3), Decimal(3))


def test_numbers_are_decimal_and_dashes_none(rows: list[PerformanceIndicator]) -> None:
    funds = [r for r in rows if r.section == "funds" and r.table_instance == 2]
    assert funds[0].initial_budget == Decimal(0) and funds[0].full_year_budget == Decimal("5010.6")
    assert funds[0].execution_rate == "100%" and funds[1].weight is None  # "—"
    for r in rows:
        for name in DECIMALS:
            assert getattr(r, name) is None or isinstance(getattr(r, name), Decimal)


def test_title_pages_are_found_by_title(rows: list[PerformanceIndicator]) -> None:
    texts = extract_document(SEED).page_texts
    assert title_pages(texts) == [18, 19, 20]  # page 21 is a continuation, found by reading on
    assert title_pages(["（一）部门整体支出绩效自评表\n"]) == [1] and title_pages(["绩效自评结果如下：\n"]) == []


def test_process_document_fills_performance_indicators(tmp_path: Path) -> None:
    result = process_document(SEED, SEED.name)
    assert len(result.performance_indicators) == len(_truth())
    assert {r.doc_id for r in result.performance_indicators} == {result.document.doc_id}


def test_pipeline_reads_the_tables_in_its_one_page_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """extract_document parses every page at most once, 绩效 pages included (the finder gets the grids)."""
    import extract.document as document
    import extract.tables as tables

    parsed: list[int] = []
    real = document.page_grids

    def counting(page: object, number: int) -> object:
        parsed.append(number)
        return real(page, number)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "page_grids", counting)
    monkeypatch.setattr(tables, "page_grids", None)  # the finder must not parse a page again
    extracted = document.extract_document(SEED)
    assert len(parsed) == len(set(parsed))
    assert set(title_pages(extracted.page_texts)) <= set(parsed)
    assert [_as_truth(r) for r in extracted.performance] == _truth()
