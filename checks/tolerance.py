"""Rounding tolerance (DESIGN.md §3, 尾数误差).

Amounts printed in 万元 with two decimals may differ by rounding: at most one unit
of the last printed decimal place (0.01) per summed term. Documents in whole 元 are
exact (tolerance 0) unless their values carry decimals, in which case the same
per-term rule applies to the last printed place.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.records import Severity

EXACT_UNITS = {"元"}
MAX_PLACES = Decimal("0.000001")


def last_place(values: Iterable[Decimal]) -> Decimal:
    """One unit of the finest printed decimal place among `values` (0.01 for "2946.25"; 1 for "12")."""
    exponents = [int(v.as_tuple().exponent) for v in values if v.is_finite()]
    exponent = min(exponents, default=0)
    return Decimal(1).scaleb(min(exponent, 0))


def tolerance(values: Iterable[Decimal], unit: str, terms: int) -> Decimal:
    """The largest rounding difference allowed when comparing a printed value with a sum of `terms` printed values."""
    values = list(values)
    place = last_place(values)
    if unit in EXACT_UNITS and place >= 1:
        return Decimal(0)
    return place * max(terms, 1)


def severity(difference: Decimal, allowed: Decimal, beyond: str) -> str:
    """`info` within tolerance, the rule's registry severity beyond it."""
    return Severity.INFO.value if abs(difference) <= allowed else beyond


def quantize(value: Decimal) -> Decimal:
    """At most 6 decimal places (values with fewer keep theirs)."""
    if int(value.as_tuple().exponent) < -6:
        return value.quantize(MAX_PLACES)
    return value
