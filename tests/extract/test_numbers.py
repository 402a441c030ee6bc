"""Property tests for the one number parser and the code joiner."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import is_blank, join_code, parse_amount

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


def _printed(value: Decimal) -> str:
    """How a 决算 table prints an amount: thousands separators, two decimals."""
    return f"{value:,.2f}"


@given(amounts)
def test_printed_amount_parses_exactly(value: Decimal) -> None:
    parsed = parse_amount(_printed(value))
    assert parsed == value
    assert isinstance(parsed, Decimal)


@given(amounts)
def test_full_width_and_spaces_are_folded(value: Decimal) -> None:
    text = _printed(value).translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    assert parse_amount(f" {text}\n") == value


@given(st.sampled_from(["", " ", "-", "—", "——", "－", "\n"]))
def test_nothing_printed_is_blank_not_zero(text: str) -> None:
    assert parse_amount(text) is None
    assert is_blank(text)


@given(st.text(alphabet="行政运行合计类款项ABCabc（）", min_size=1))
def test_labels_are_not_numbers(text: str) -> None:
    assert parse_amount(text) is None


def test_zero_is_a_number() -> None:
    assert parse_amount("0.00") == Decimal("0.00")
    assert parse_amount("0") == Decimal(0)


lei = st.integers(200, 239).map(str)
two = st.integers(1, 99).map(lambda n: f"{n:02d}")


@given(lei, two, two)
def test_split_code_joins_to_seven_digits(a: str, b: str, c: str) -> None:
    assert join_code(a, b, c) == a + b + c
    assert join_code(a, b) == a + b
    assert join_code(a) == a


@given(lei, two, two)
def test_child_column_repeating_its_parent_is_not_doubled(a: str, b: str, c: str) -> None:
    assert join_code(a, a + b, a + b + c) == a + b + c


@given(lei, st.integers(1, 9), st.integers(1, 9))
def test_part_that_lost_its_leading_zero_is_padded(a: str, b: int, c: int) -> None:
    assert join_code(a, str(b), str(c)) == f"{a}0{b}0{c}"
