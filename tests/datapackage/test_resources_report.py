"""rule_counts: per-rule counts per document/department, published next to the contract's resources."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import frictionless

from core.records import DocumentRecord, Finding
from datapackage.publish import PackageContent, publish_package
from datapackage.report import render_report
from datapackage.resources_report import RULE_COUNTS, RuleCount, report_resources, rule_counts
from schemas.rules import load_rules


def test_counts_per_document_rule_and_severity(
    doc: Callable[..., DocumentRecord], finding: Callable[..., Finding]
) -> None:
    docs = [doc(doc_id="a", department="甲局", fiscal_year=2024), doc(doc_id="b", department="乙局", fiscal_year=2023)]
    findings = [
        finding(doc_id="b", rule_id="ARITH_PARENT_SUM", severity="info"),
        finding(doc_id="a", rule_id="XTABLE_01_03", severity="warning"),
        finding(doc_id="a", rule_id="ARITH_PARENT_SUM", severity="info"),
        finding(doc_id="a", rule_id="ARITH_PARENT_SUM", severity="error"),
        finding(doc_id="a", rule_id="ARITH_PARENT_SUM", severity="info"),
        finding(doc_id="", rule_id="XDOC_UNIT_SCALE", severity="warning"),
    ]
    assert rule_counts(docs, findings) == [
        RuleCount("乙局", 2023, "b", "ARITH_PARENT_SUM", "info", 1),
        RuleCount("甲局", 2024, "a", "ARITH_PARENT_SUM", "error", 1),
        RuleCount("甲局", 2024, "a", "ARITH_PARENT_SUM", "info", 2),
        RuleCount("甲局", 2024, "a", "XTABLE_01_03", "warning", 1),
        RuleCount("", None, "", "XDOC_UNIT_SCALE", "warning", 1),
    ]


def test_no_findings_no_rows(doc: Callable[..., DocumentRecord]) -> None:
    assert rule_counts([doc()], []) == []
    assert report_resources([doc()], []) == [(RULE_COUNTS, [])]


def test_published_with_report_page_and_valid(content: PackageContent, tmp_path: Path) -> None:
    findings = [*content.findings, replace(content.findings[0], doc_id="", rule_id="XDOC_EMPTY_DOCUMENT")]
    html = render_report(content.documents, content.line_items, findings, load_rules())
    full = replace(
        content,
        findings=findings,
        extra_resources=report_resources(content.documents, findings),
        attachments={"report/index.html": html},
    )
    published = publish_package(full, tmp_path / "out")
    report = frictionless.validate(str(published.descriptor))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert published.rows["rule_counts"] == len(rule_counts(content.documents, findings))
    with published.csv["rule_counts"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["department", "fiscal_year", "doc_id", "rule_id", "severity", "count"]
    assert any(r["doc_id"] == "" and r["rule_id"] == "XDOC_EMPTY_DOCUMENT" and r["count"] == "1" for r in rows)
    assert (published.out_dir / "report" / "index.html").read_text(encoding="utf-8") == html
