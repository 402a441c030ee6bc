"""EMPTY_TABLE_NOTE (07/08/09 printed empty must carry a 空表说明) and SANGONG_SUM (table 09 sums).

Real extracted documents (samples/pdfs, the real Shanghai 决算), each processed once per
module; defects are injected with dataclasses.replace.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from support import ROOT, realdoc

from checks.document_rules import check_document
from checks.empty_tables import check_empty_tables
from checks.sangong import line_role
from core.records import Finding, LineItem
from normalize.documents import DocumentResult, process_document

SAMPLES = ROOT / "samples" / "pdfs"


def _process(path: Path) -> DocumentResult:
    return process_document(path, path.name)


@pytest.fixture(scope="module")
def results() -> dict[str, DocumentResult]:
    return {p.name: _process(p) for p in sorted(SAMPLES.glob("*.pdf"))}


@pytest.fixture(scope="module")
def shanghai() -> DocumentResult:
    return _process(realdoc("sh_final_2024_"))


def _sangong(result: DocumentResult, items: list[LineItem] | None = None) -> list[Finding]:
    findings = check_document(result.document.doc_id, result.line_items if items is None else items)
    return [f for f in findings if f.rule_id == "SANGONG_SUM"]


def _set(items: list[LineItem], label: str, measure: str, value: str) -> list[LineItem]:
    """The items with one 09 cell (by printed label and measure) changed to `value` (document unit)."""
    hits = [i for i in items if i.table_code == "09" and i.line_label == label and i.measure == measure]
    assert len(hits) == 1, (label, measure, hits)
    target = hits[0]
    factor = target.amount_yuan / target.value_original if target.value_original else Decimal(10000)
    new = replace(target, value_original=Decimal(value), amount_yuan=Decimal(value) * factor)
    return [new if i is target else i for i in items]


# --- EMPTY_TABLE_NOTE ---------------------------------------------------------------------------


def test_empty_tables_with_their_note_pass(results: dict[str, DocumentResult]) -> None:
    jiangxi = results["jiangxi_trade_unions_2024.pdf"]
    assert set(jiangxi.table_notes) == {"07", "09"}  # the seed prints 07 and 09 empty, with the template note
    assert check_empty_tables(jiangxi.document.doc_id, jiangxi) == []


def test_shanghai_empty_tables_carry_their_note(shanghai: DocumentResult) -> None:
    assert set(shanghai.table_notes) == {"07", "08"}
    assert all("故本表无数据" in note for note in shanghai.table_notes.values())
    assert check_empty_tables(shanghai.document.doc_id, shanghai) == []


def test_empty_table_without_note_is_found(results: dict[str, DocumentResult]) -> None:
    jiangxi = results["jiangxi_trade_unions_2024.pdf"]
    defective = replace(jiangxi, table_notes={**jiangxi.table_notes, "09": ""})
    findings = check_empty_tables(jiangxi.document.doc_id, defective)
    assert [(f.rule_id, f.table_code, f.page, f.severity) for f in findings] == [
        ("EMPTY_TABLE_NOTE", "09", 14, "warning")
    ]


def test_empty_table_note_output_shape(results: dict[str, DocumentResult]) -> None:
    jiangxi = results["jiangxi_trade_unions_2024.pdf"]
    defective = replace(jiangxi, table_notes={"07": "", "08": "  ", "05": ""})  # 05 is not a 07/08/09 table
    findings = check_empty_tables("doc-x", defective)
    assert [f.table_code for f in findings] == ["07", "08"]
    for f in findings:
        assert f.doc_id == "doc-x" and f.category == "completeness" and f.subject_code == ""
        assert f.expected is None and f.actual is None and f.difference is None
        assert "空表说明" in f.message and "empty" in f.message


def test_water_bureau_07_note_on_shared_page(results: dict[str, DocumentResult]) -> None:
    water = results["synthetic_water_bureau_2024.pdf"]
    assert check_empty_tables(water.document.doc_id, water) == []


# --- SANGONG_SUM ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("一、“三公”经费支出", "total"),
        ("1.因公出国（境）费", "abroad"),
        ("2.公务用车购置及运行维护费", "vehicle"),
        ("（1）公务用车购置费", "purchase"),
        ("（2）公务用车运行维护费", "running"),
        ("3.公务接待费", "reception"),
        ("（1）国内接待费", ""),
        ("其中：外事接待费", ""),
        ("1.因公出国（境）团组数（个）", ""),
        # Shanghai's wide layout: the header path names the line
        ("合计", "total"),
        ("因公出国（境）费", "abroad"),
        ("公务用车购置及运行费/小计", "vehicle"),
        ("公务用车购置及运行费/公务用车购置费", "purchase"),
        ("公务用车购置及运行费/公务用车运行费", "running"),
        ("公务接待费", "reception"),
        ("小计", ""),
    ],
)
def test_line_roles(label: str, role: str) -> None:
    assert line_role(label) == role


def test_consistent_09_passes(results: dict[str, DocumentResult]) -> None:
    for name in ("synthetic_culture_bureau_2023.pdf", "synthetic_water_bureau_2024.pdf"):
        assert _sangong(results[name]) == [], name


def test_shanghai_wide_09_passes(shanghai: DocumentResult) -> None:
    assert _sangong(shanghai) == []


def test_total_beyond_tolerance_is_an_error(results: dict[str, DocumentResult]) -> None:
    culture = results["synthetic_culture_bureau_2023.pdf"]
    items = _set(culture.line_items, "3.公务接待费", "final_amount", "8.74")  # printed 7.74
    findings = _sangong(culture, items)
    assert [(f.table_code, f.severity, f.expected, f.actual, f.difference, f.page) for f in findings] == [
        ("09", "error", Decimal("33.86"), Decimal("32.86"), Decimal("-1.00"), 19)
    ]
    assert "一、“三公”经费支出 决算数" in findings[0].message


def test_vehicle_subtotal_beyond_tolerance_is_an_error(results: dict[str, DocumentResult]) -> None:
    water = results["synthetic_water_bureau_2024.pdf"]  # 元: exact, tolerance 0
    items = _set(water.line_items, "（2）公务用车运行维护费", "initial_budget", "329999.00")
    findings = _sangong(water, items)
    assert [(f.severity, f.expected, f.actual, f.difference, f.page) for f in findings] == [
        ("error", Decimal("329999.00"), Decimal("330000.00"), Decimal("1.00"), 14)
    ]


def test_rounding_difference_is_info(results: dict[str, DocumentResult]) -> None:
    culture = results["synthetic_culture_bureau_2023.pdf"]
    items = _set(culture.line_items, "3.公务接待费", "initial_budget", "10.51")  # printed 10.50
    findings = _sangong(culture, items)
    assert [(f.severity, f.expected, f.actual, f.difference) for f in findings] == [
        ("info", Decimal("38.51"), Decimal("38.50"), Decimal("-0.01"))
    ]


def test_shanghai_wide_09_defect_is_found(shanghai: DocumentResult) -> None:
    items = _set(shanghai.line_items, "公务接待费", "budget", "0.75")  # printed 0.95
    findings = _sangong(shanghai, items)
    assert [(f.table_code, f.severity, f.expected, f.actual, f.difference, f.page) for f in findings] == [
        ("09", "error", Decimal("0.75"), Decimal("0.95"), Decimal("0.20"), 18)
    ]


def test_sangong_output_shape(results: dict[str, DocumentResult]) -> None:
    culture = results["synthetic_culture_bureau_2023.pdf"]
    items = _set(culture.line_items, "（1）公务用车购置费", "full_year_budget", "1.00")
    findings = _sangong(culture, items)
    assert {f.expected - f.actual for f in findings} == {Decimal("1.00")}  # vehicle subtotal, then 三公 total
    assert len(findings) == 1
    f = findings[0]
    assert f.doc_id == culture.document.doc_id and f.category == "arithmetic" and f.subject_code == ""
    assert f.difference == f.actual - f.expected
    assert "≠" in f.message and "differs from" in f.message
