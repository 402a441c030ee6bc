"""Values are checked once, before writing: exact decimals only, never float, required present."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from core.errors import PublishError
from datapackage.columns import build_columns, decimal_fits
from datapackage.resources import CONSISTENCY, DOCUMENTS, LINE_ITEMS


def test_columns_keep_field_order_and_values(item) -> None:
    columns = build_columns(LINE_ITEMS, [item(), item(row_index=1)])
    assert list(columns.values) == LINE_ITEMS.field_names
    assert columns.rows == 2 and columns.values["row_index"] == [0, 1]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_yuan": 1.5}, "never float"),
        ({"amount_yuan": Decimal("0.001")}, "at most 2 decimals"),
        ({"amount_yuan": Decimal("NaN")}, "does not fit"),
        ({"amount_yuan": Decimal("1E+30")}, "does not fit"),
        ({"value_original": None}, "is required"),
        ({"page": True}, "expected int"),
        ({"row_index": 2**40}, "outside int32"),
        ({"subject_code": 201}, "expected str"),
    ],
)
def test_bad_values_are_refused_with_where_and_why(item, overrides, message) -> None:
    with pytest.raises(PublishError, match=message) as info:
        build_columns(LINE_ITEMS, [item(**overrides)])
    assert "line_items row 0 (doc_id='d2023a'" in str(info.value)


def test_all_problems_are_reported_together(item) -> None:
    bad = [item(row_index=i, amount_yuan=0.5) for i in range(30)]
    with pytest.raises(PublishError, match=r"(?s)30 value\(s\).*and 10 more"):
        build_columns(LINE_ITEMS, bad)


def test_wrong_record_type_is_refused(doc) -> None:
    with pytest.raises(PublishError, match="expected LineItem, got DocumentRecord"):
        build_columns(LINE_ITEMS, [doc()])


def test_optional_values_may_be_missing(finding, doc) -> None:
    build_columns(CONSISTENCY, [finding(expected=None, actual=None, difference=None, page=None)])
    build_columns(DOCUMENTS, [doc(fiscal_year=None)])


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        ("1.50", True),
        ("1.500", True),
        ("1.505", False),
        ("-0.00", True),
        ("9" * 22 + ".99", True),
        ("1" + "0" * 22, False),
        ("Infinity", False),
    ],
)
def test_decimal_fits(value: str, fits: bool) -> None:
    assert decimal_fits(Decimal(value), pa.decimal128(24, 2)) is fits
