"""Rounding tolerance (DESIGN.md §3, 尾数误差).

Amounts printed in 万元 with two decimals may differ by rounding: at most one unit
of the last printed decimal place (0.01) per summed term. Documents in whole 元 are
rounded too: their figures are kept in 元 and 角/分 by the finance system and printed
to the 元, so a sum may differ from its printed total by 1 元 per summed term (the real
Shanghai 单位预算 booklets do). The same rule therefore holds for every unit: one unit
of the last printed place per summed term; within it a finding is `info`, beyond it
the rule's severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.records import Severity

MAX_PLACES = Decimal("0.000001")


def last_place(values: Iterable[Decimal]) -> Decimal:
    """One unit of the finest printed decimal place among `values` (0.01 for "2946.25"; 1 for "12")."""
    exponents = [int(v.as_tuple().exponent) for v in values if v.is_finite()]
    exponent = min(exponents, default=0)
    return Decimal(1).scaleb(min(exponent, 0))


def tolerance(values: Iterable[Decimal], unit: str, terms: int) -> Decimal:
    """The largest rounding difference allowed when comparing a printed value with a sum of `terms` printed values."""
    del unit  # every unit is printed rounded to its last place (元 included)
    return last_place(values) * max(terms, 1)


def severity(difference: Decimal, allowed: Decimal, beyond: str) -> str:
    """`info` within tolerance, the rule's registry severity beyond it."""
    return Severity.INFO.value if abs(difference) <= allowed else beyond


def quantize(value: Decimal) -> Decimal:
    """At most 6 decimal places (values with fewer keep theirs)."""
    if int(value.as_tuple().exponent) < -6:
        return value.quantize(MAX_PLACES)
    return value
