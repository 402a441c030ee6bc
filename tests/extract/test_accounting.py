"""Number accounting: what a table region prints, read from words, against what was published.

Each case names the class of documents it stands for; the pages are real-format PDFs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from support import ROOT, realdoc

from core.records import PrintedNumber
from extract.accounting import page_words, printed_numbers, unmatched
from normalize.documents import deduplicate, process_document

SAMPLES = ROOT / "samples" / "pdfs"


def _numbers(pdf: Path, page: int) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        numbers, _ = printed_numbers(page_words(p), page, 0, float(p.height), [(0, 0, float(p.width), float(p.height))])
    return [n.text for n in numbers]


def test_seed_p14_sangong_line_numbers_are_not_amounts() -> None:
    """The 三公 table's 栏次 column (1, 2, 3 … under `栏次`/`行次`) is layout: national 决算 template.

    The seed prints its 三公 figures as `——` (no 三公 spending): only indexes are on the page.
    """
    assert _numbers(SAMPLES / "jiangxi_trade_unions_2024.pdf", 14) == []
    # the 10 table beside it: counts (0, 3 …) are amounts, its 栏次 numbers are not
    assert _numbers(SAMPLES / "jiangxi_trade_unions_2024.pdf", 15).count("0") >= 8


def test_seed_p7_table04_stacked_hangci_column_is_not_counted() -> None:
    """04 prints `行`/`次` one character per line over its row numbers; they are not amounts."""
    texts = _numbers(SAMPLES / "jiangxi_trade_unions_2024.pdf", 7)
    assert "11,953.82" in texts and "33" not in texts and "1" not in texts


def test_unmatched_by_value_and_multiplicity() -> None:
    printed = [PrintedNumber(3, t, Decimal(t.replace(",", "")), 0, 0, True) for t in ("1.00", "1.00", "2,000.00")]
    missed, extra = unmatched(printed, [Decimal("1.00"), Decimal("2000"), Decimal("5")])
    assert [m.text for m in missed] == ["1.00"] and extra == [Decimal("5")]


@pytest.mark.parametrize("name", ["jiangxi_trade_unions_2024", "synthetic_culture_bureau_2023", "synthetic_water_bureau_2024"])
def test_samples_every_printed_amount_read(name: str) -> None:
    result = process_document(SAMPLES / f"{name}.pdf", f"{name}.pdf")
    doc = result.document
    assert doc.amounts_printed > 0 and doc.amounts_printed == doc.amounts_read, result.accounting_gaps[:3]
    assert {t.status for t in result.tables} <= {"read", "empty"}


@pytest.mark.realdocs
def test_jiangsu_2019_procurement_table_is_not_counted_against_table_12() -> None:
    """`2019年政府采购预算表` has no spec: it ends table 12 and its amounts are reported apart (Jiangsu 预算)."""
    result = process_document(realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格"), "x.pdf")
    doc = result.document
    assert doc.status == "ok" and doc.amounts_read == doc.amounts_printed
    assert doc.amounts_outside_tables > 0 and "政府采购预算表" in doc.notes


@pytest.mark.realdocs
def test_jiangsu_2017_court_p12_row_without_top_rule_is_read() -> None:
    """Word drops the top border of a continuation page's first row (Jiangsu 2017 法院 p.12): read it."""
    result = process_document(realdoc("js_budget_2017_江苏省高级人民法院"), "x.pdf")
    items = {(i.table_code, i.page, i.line_label, str(i.value_original)) for i in result.line_items}
    assert ("01", 12, "四、公共安全支出", "23513.11") in items
    assert result.document.coverage == Decimal("1.0000"), result.accounting_gaps[:3]


@pytest.mark.realdocs
def test_jiangsu_2017_procuratorate_sangong_title_over_three_lines() -> None:
    """`…培训费支出预` / `“”` / `算表`: a 三公 title wrapped with its quotes on a line of their own."""
    result = process_document(realdoc("js_budget_2017_江苏省人民检察院_部门预算.pdf"[:-4]), "x.pdf")
    statuses = {t.table_code: t.status for t in result.tables}
    assert statuses["09"] == "read"


@pytest.mark.realdocs
def test_jiangsu_2017_procuratorate_published_twice_is_one_document() -> None:
    """The same booklet with different bytes (two commits of one portal file): `duplicate_text`."""
    first = realdoc("js_budget_2017_江苏省人民检察院_部门预算.pdf"[:-4])
    second = realdoc("js_budget_2017_江苏省人民检察院_部门预算_v0")
    assert first != second
    results = deduplicate([process_document(first, first.name), process_document(second, second.name)])
    assert [r.document.status for r in results] == ["ok", "quarantined"]
    assert results[1].document.error_code == "duplicate_text" and results[1].line_items == []
