"""One comparison (a printed value against its expected value) → a Finding, or None when they agree."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from checks.tolerance import quantize, severity, tolerance
from core.records import Finding
from schemas.rules import Rule


def compare(
    *,
    doc_id: str,
    rule: Rule,
    unit: str,
    table_code: str,
    subject_code: str,
    actual: Decimal,
    expected: Decimal,
    printed: Iterable[Decimal],
    terms: int,
    page: int | None,
    actual_desc: str,
    expected_desc_zh: str,
    expected_desc_en: str,
) -> Finding | None:
    """A Finding when `actual` differs from `expected`.

    `printed` are the printed values the comparison reads (they set the rounding
    place), `terms` the number of summed terms on the expected side.
    """
    difference = quantize(actual - expected)
    if difference == 0:
        return None
    allowed = tolerance(printed, unit, terms)
    level = severity(difference, allowed, rule.severity)
    expected_q, actual_q = quantize(expected), quantize(actual)
    message = (
        f"{actual_desc} {actual_q} ≠ {expected_desc_zh} {expected_q}（差额 {difference}{unit}，容差 {allowed}）"
        f" / {actual_desc} {actual_q} differs from {expected_desc_en} {expected_q}"
        f" by {difference} {unit} (tolerance {allowed})"
    )
    return Finding(
        doc_id=doc_id,
        rule_id=rule.rule_id,
        severity=level,
        category=rule.category,
        table_code=table_code,
        subject_code=subject_code,
        expected=expected_q,
        actual=actual_q,
        difference=difference,
        message=message,
        page=page,
    )
