from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from checks.tolerance import quantize, severity, tolerance


def test_wanyuan_two_decimals_is_one_cent_per_term() -> None:
    assert tolerance([D("171.07"), D("21.21"), D("0.09")], "万元", 12) == D("0.12")
    assert tolerance([D("326.71"), D("326.72")], "万元", 1) == D("0.01")


def test_whole_yuan_is_one_yuan_per_term_and_yuan_with_decimals_one_cent() -> None:
    assert tolerance([D("1200"), D("35")], "元", 5) == D(5)
    assert tolerance([D("1200"), D("35")], "元", 1) == D(1)
    assert tolerance([D("1200.50"), D("35.25")], "元", 2) == D("0.02")


def test_one_yuan_rounding_in_a_yuan_document_is_info_two_is_not() -> None:
    one_term = tolerance([D("1200"), D("1201")], "元", 1)
    assert severity(D("1"), one_term, "error") == "info"
    assert severity(D("2"), one_term, "error") == "error"


def test_severity_info_within_tolerance_else_registry_severity() -> None:
    assert severity(D("-0.02"), D("0.12"), "error") == "info"
    assert severity(D("0.02"), D("0.01"), "warning") == "warning"
    assert severity(D("1"), D("0"), "error") == "error"


@given(st.decimals(allow_nan=False, allow_infinity=False, places=9, min_value=-10**9, max_value=10**9))
def test_quantize_keeps_at_most_six_places(value: D) -> None:
    q = quantize(value)
    assert int(q.as_tuple().exponent) >= -6
    assert abs(q - value) <= D("0.0000005")
