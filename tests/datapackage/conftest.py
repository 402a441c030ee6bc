"""Record factories for the publishing tests: small, valid by default, override any field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from core.records import DocumentRecord, Finding, LineItem
from datapackage.publish import PackageContent

DOC = DocumentRecord(
    doc_id="d2023a",
    source_file="某部门2023年度部门决算.pdf",
    source_url="https://example.gov.cn/a.pdf",
    sha256="ab" * 32,
    department="上海市某局",
    fiscal_year=2023,
    doc_kind="final_account",
    pages=40,
    status="ok",
    error="",
    unit="万元",
    tables_found="01,02,03",
    tables_absent="10",
)
ITEM = LineItem(
    doc_id="d2023a",
    department="上海市某局",
    fiscal_year=2023,
    table_code="03",
    row_index=0,
    subject_system="function",
    subject_code="2012901",
    code_source="printed",
    subject_name="行政运行",
    line_label="行政运行",
    measure="total_expenditure",
    measure_zh="本年支出合计",
    amount_yuan=Decimal("1234500.00"),
    quantity=None,
    value_original=Decimal("123.45"),
    unit_original="万元",
    page=12,
)
FINDING = Finding(
    doc_id="d2023a",
    rule_id="parent_equals_children",
    severity="info",
    category="within_table",
    table_code="03",
    subject_code="201",
    expected=Decimal("100.00"),
    actual=Decimal("100.01"),
    difference=Decimal("0.01"),
    message="尾数误差 0.01 万元",
    page=12,
)


@pytest.fixture(scope="session")
def doc() -> Callable[..., DocumentRecord]:
    return lambda **kw: replace(DOC, **kw)


@pytest.fixture(scope="session")
def item() -> Callable[..., LineItem]:
    return lambda **kw: replace(ITEM, **kw)


@pytest.fixture(scope="session")
def finding() -> Callable[..., Finding]:
    return lambda **kw: replace(FINDING, **kw)


@pytest.fixture
def content() -> PackageContent:
    """Two documents (one quarantined), money and count cells, two findings."""
    items = [
        replace(ITEM, row_index=0),
        replace(
            ITEM,
            row_index=1,
            subject_code="20129",
            amount_yuan=Decimal("-1.50"),
            value_original=Decimal("-0.00015"),
        ),
        replace(
            ITEM,
            row_index=2,
            subject_code="",
            subject_system="",
            line_label="=SUM(A1)",
            amount_yuan=Decimal("0.00"),
            value_original=Decimal("0"),
        ),
        replace(
            ITEM,
            table_code="06",
            row_index=0,
            subject_system="economic",
            subject_code="30101",
            measure="amount",
            measure_zh="决算数",
            amount_yuan=Decimal("999999999999999999.99"),
            value_original=Decimal("99999999999999.999999"),
        ),
        replace(
            ITEM,
            table_code="10",
            row_index=0,
            subject_system="",
            subject_code="",
            line_label="车辆",
            measure="quantity",
            measure_zh="决算数",
            amount_yuan=None,
            quantity=Decimal("3"),
            value_original=Decimal("3"),
            unit_original="辆",
        ),
    ]
    documents = [
        DOC,
        replace(
            DOC,
            doc_id="d-scan",
            source_file="扫描件.pdf",
            sha256="cd" * 32,
            department="",
            fiscal_year=None,
            doc_kind="unknown",
            pages=3,
            status="quarantined",
            error="no text layer: the PDF is a scanned image",
            error_code="no_text_layer",
            tables_found="",
            tables_absent="",
        ),
    ]
    findings = [
        FINDING,
        replace(
            FINDING,
            doc_id="",
            rule_id="code_name_differs",
            severity="warning",
            category="cross_document",
            table_code="",
            expected=None,
            actual=None,
            difference=None,
            message="-同一编码名称不同",
            page=None,
        ),
    ]
    return PackageContent(
        documents, items, findings, {"run_id": "run-1", "code_version": "0.1.0", "source": "samples"}
    )


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (relative path → bytes), to prove nothing changed."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def snap() -> Callable[[Path], dict[str, bytes]]:
    return snapshot
