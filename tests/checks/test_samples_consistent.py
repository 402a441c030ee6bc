"""The bundled sample booklets are consistent: no error or warning finding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checks.document_rules import check_document
from core.records import Finding, LineItem
from schemas.rules import load_rules

SAMPLE_NAMES = ["jiangxi_trade_unions_2024.pdf", "synthetic_culture_bureau_2023.pdf", "synthetic_water_bureau_2024.pdf"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_has_no_error_or_warning(name: str, sample_items: dict[str, list[LineItem]]) -> None:
    findings = check_document(name, sample_items[name])
    assert [f for f in findings if f.severity != "info"] == []
    # the samples add up exactly, so not even a rounding note
    assert findings == []


def test_finding_shape(jiangxi_items: list[LineItem]) -> None:
    import dataclasses

    bumped = [
        dataclasses.replace(i, value_original=i.value_original + Decimal("0.01"))
        if (i.table_code, i.subject_code, i.measure) == ("03", "2012901", "basic_expenditure")
        else i
        for i in jiangxi_items
    ]
    findings = check_document("jx", bumped)
    assert findings
    rules = load_rules()
    for f in findings:
        assert isinstance(f, Finding) and f.doc_id == "jx"
        assert f.category == rules[f.rule_id].category
        assert f.severity in {"info", rules[f.rule_id].severity}
        assert isinstance(f.expected, Decimal) and isinstance(f.actual, Decimal)
        assert f.difference == f.actual - f.expected != 0
        assert isinstance(f.page, int) and f.message
