"""Cross-document rules: XDOC_DUPLICATE_PUBLICATION, XDOC_UNIT_SCALE, XDOC_EMPTY_DOCUMENT.

The bundled samples (processed once per module) are three departments that agree with
nothing but themselves; defects are injected with dataclasses.replace.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import ROOT

from checks.cross_document import check_across_documents, grand_total
from core.records import DocStatus, LineItem
from normalize.documents import DocumentResult, process_document

SAMPLES = ROOT / "samples" / "pdfs"
JIANGXI, CULTURE, WATER = (
    "jiangxi_trade_unions_2024.pdf",
    "synthetic_culture_bureau_2023.pdf",
    "synthetic_water_bureau_2024.pdf",
)


@pytest.fixture(scope="module")
def results() -> dict[str, DocumentResult]:
    return {p.name: process_document(p, p.name) for p in sorted(SAMPLES.glob("*.pdf"))}


def _copy(
    result: DocumentResult,
    doc_id: str,
    *,
    year: int | None = None,
    department: str | None = None,
    scale: Decimal = Decimal(1),
    items: list[LineItem] | None = None,
) -> DocumentResult:
    """Another file of `result`: new id and file name, optionally another year, department or unit scale."""
    doc = result.document
    year = doc.fiscal_year if year is None else year
    department = doc.department if department is None else department
    source = items if items is not None else result.line_items
    new_items = [
        replace(
            i,
            doc_id=doc_id,
            fiscal_year=year,
            department=department,
            amount_yuan=i.amount_yuan * scale if i.amount_yuan is not None else None,
            value_original=i.value_original * scale,
        )
        for i in source
    ]
    return replace(
        result,
        document=replace(doc, doc_id=doc_id, source_file=f"{doc_id}.pdf", fiscal_year=year, department=department),
        line_items=new_items,
    )


def _rule(findings: list, rule_id: str) -> list:
    return [f for f in findings if f.rule_id == rule_id]


def test_samples_have_no_cross_document_findings(results: dict[str, DocumentResult]) -> None:
    assert check_across_documents(list(results.values())) == []


def test_grand_total_is_01_income_side(results: dict[str, DocumentResult]) -> None:
    total = grand_total(results[CULTURE].line_items)
    assert total is not None
    assert (total.measure, total.value_original, total.amount_yuan, total.page) == (
        "income_amount", Decimal("7778.30"), Decimal("77783000.00"), 4
    )


# --- XDOC_DUPLICATE_PUBLICATION ---------------------------------------------------------------------


def test_same_figures_in_another_file_pass(results: dict[str, DocumentResult]) -> None:
    culture = results[CULTURE]
    assert check_across_documents([culture, _copy(culture, "doc-again")]) == []


def test_published_twice_with_different_numbers(results: dict[str, DocumentResult]) -> None:
    culture = results[CULTURE]
    changed = [
        replace(i, value_original=Decimal("7779.30"), amount_yuan=Decimal("77793000.00"))
        if i.table_code == "01" and i.line_label == "总计"
        else i
        for i in culture.line_items
    ]
    findings = check_across_documents([culture, _copy(culture, "doc-second", items=changed)])
    assert [(f.rule_id, f.table_code, f.expected, f.actual, f.difference) for f in findings] == [
        ("XDOC_DUPLICATE_PUBLICATION", "01", Decimal("77783000.00"), Decimal("77793000.00"), Decimal("10000.00"))
    ]
    assert culture.document.source_file in findings[0].message and "doc-second.pdf" in findings[0].message
    assert "样例市文化广电旅游局 2023" in findings[0].message


def test_another_year_is_not_a_duplicate(results: dict[str, DocumentResult]) -> None:
    culture = results[CULTURE]
    other_year = _copy(culture, "doc-2024", year=2024, scale=Decimal("1.1"))
    assert _rule(check_across_documents([culture, other_year]), "XDOC_DUPLICATE_PUBLICATION") == []


# --- XDOC_UNIT_SCALE ----------------------------------------------------------------------------------


def test_department_year_10000x_off(results: dict[str, DocumentResult]) -> None:
    culture = results[CULTURE]
    docs = [
        _copy(culture, "doc-2021", year=2021, scale=Decimal("0.9")),
        culture,
        _copy(culture, "doc-2022", year=2022, scale=Decimal("10000")),  # 元 figures printed under 万元
    ]
    findings = check_across_documents(docs)
    assert [(f.rule_id, f.table_code, f.expected, f.actual) for f in findings] == [
        ("XDOC_UNIT_SCALE", "01", Decimal("77783000.00"), Decimal("777830000000.00"))
    ]
    assert "doc-2022" in findings[0].message and "10000" in findings[0].message


def test_same_year_departments_1000x_off(results: dict[str, DocumentResult]) -> None:
    # three departments of 2024; the third prints yuan under a 万元 header
    docs = [results[JIANGXI], results[WATER], _copy(results[CULTURE], "doc-c", year=2024, scale=Decimal(10000))]
    findings = _rule(check_across_documents(docs), "XDOC_UNIT_SCALE")
    assert len(findings) == 1
    f = findings[0]
    assert (f.expected, f.actual) == (Decimal("126538200.00"), Decimal("777830000000.00"))  # median = 江西省总工会
    assert f.difference == f.actual - f.expected
    assert "doc-c" in f.message


def test_same_year_needs_three_documents(results: dict[str, DocumentResult]) -> None:
    docs = [results[JIANGXI], _copy(results[CULTURE], "doc-c", year=2024, scale=Decimal(10000))]
    assert _rule(check_across_documents(docs), "XDOC_UNIT_SCALE") == []


# --- XDOC_EMPTY_DOCUMENT ------------------------------------------------------------------------------


def test_ok_document_without_line_items(results: dict[str, DocumentResult]) -> None:
    empty = replace(results[WATER], line_items=[])
    findings = check_across_documents([results[JIANGXI], empty])
    assert [(f.rule_id, f.table_code, f.expected, f.actual) for f in findings] == [
        ("XDOC_EMPTY_DOCUMENT", "", None, None)
    ]
    assert results[WATER].document.source_file in findings[0].message


def test_quarantined_document_without_line_items_is_not_reported(results: dict[str, DocumentResult]) -> None:
    quarantined = replace(
        results[WATER],
        document=replace(results[WATER].document, status=DocStatus.QUARANTINED.value),
        line_items=[],
    )
    assert check_across_documents([quarantined]) == []


def test_cross_document_output_shape(results: dict[str, DocumentResult]) -> None:
    culture = results[CULTURE]
    docs = [culture, _copy(culture, "doc-b", scale=Decimal(2)), replace(results[WATER], line_items=[])]
    findings = check_across_documents(docs)
    assert [f.rule_id for f in findings] == ["XDOC_DUPLICATE_PUBLICATION", "XDOC_EMPTY_DOCUMENT"]  # registry order
    for f in findings:
        assert f.doc_id == "" and f.category == "cross-document" and f.severity == "warning"
        assert f.page is None and f.subject_code == ""
        assert " / " in f.message  # Chinese / English
