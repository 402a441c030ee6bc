"""narrative_figures / performance_indicators publish as valid Frictionless resources."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from support import ROOT

from core.records import PerformanceIndicator
from datapackage.publish import PackageContent, publish_package
from datapackage.resources_narrative import narrative_resources
from normalize.documents import process_document


def test_package_with_narrative_resources_validates(tmp_path: Path) -> None:
    pdf = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"
    result = process_document(pdf, pdf.name)
    doc_id = result.document.doc_id
    indicator = PerformanceIndicator(
        doc_id, "省劳模专项补助资金", 1, 17, 1, "funds", "年度资金总额", "", "", "", "", Decimal(10), Decimal(10),
        Decimal("1964.5"), Decimal("1964.5"), Decimal("1964.5"), "100%",
    )
    content = PackageContent(
        documents=[result.document],
        line_items=result.line_items,
        findings=[],
        run_info={"run_id": "t"},
        extra_resources=narrative_resources(result.narrative_figures, [indicator]),
    )
    published = publish_package(content, tmp_path / "out")  # raises PublishError unless frictionless validates
    assert published.rows["narrative_figures"] == len(result.narrative_figures) > 50
    assert published.rows["performance_indicators"] == 1
