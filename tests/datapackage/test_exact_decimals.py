"""Property: a Decimal amount survives Arrow, Parquet and CSV exactly (never through float)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from core.records import DocumentRecord, LineItem
from datapackage.columns import build_columns, decimal_fits
from datapackage.csv_writer import format_cell
from datapackage.parquet_writer import arrow_table
from datapackage.publish import PackageContent, publish_package
from datapackage.resources import FINE, LINE_ITEMS, YUAN

BOUND = Decimal(10) ** 18
yuan = st.decimals(min_value=-BOUND, max_value=BOUND, places=2, allow_nan=False, allow_infinity=False)
# Decimals with 0–2 places written in different forms: 1E+3, 1.5, -0.00, 0E-2 …
forms = st.one_of(
    yuan,
    yuan.map(lambda d: d.normalize()),
    st.sampled_from([Decimal("0"), Decimal("-0.00"), Decimal("0E-2"), Decimal("1E+3"), Decimal("-1.5")]),
)


@given(forms)
def test_csv_text_is_exact_and_never_an_exponent(value: Decimal) -> None:
    text = format_cell(value, guarded=False)
    assert "E" not in text.upper() and not text.startswith("'")
    assert Decimal(text) == value


@given(st.lists(forms, min_size=1, max_size=20))
def test_arrow_decimal128_is_exact(item: Callable[..., LineItem], values: list[Decimal]) -> None:
    items = [item(row_index=i, amount_yuan=v, value_original=v) for i, v in enumerate(values)]
    table = arrow_table(build_columns(LINE_ITEMS, items))
    assert table.schema.field("amount_yuan").type == YUAN
    assert table.schema.field("value_original").type == FINE
    assert table.column("amount_yuan").to_pylist() == values
    assert table.column("value_original").to_pylist() == values


@given(forms)
def test_two_decimal_values_up_to_1e18_fit_the_yuan_type(value: Decimal) -> None:
    assert decimal_fits(value, YUAN)


@settings(max_examples=10, deadline=None)
@given(st.lists(yuan, min_size=1, max_size=30))
def test_published_files_hold_the_same_exact_amounts(
    doc: Callable[..., DocumentRecord], item: Callable[..., LineItem], values: list[Decimal]
) -> None:
    items = [item(row_index=i, amount_yuan=v, value_original=v) for i, v in enumerate(values)]
    with tempfile.TemporaryDirectory() as tmp:
        published = publish_package(PackageContent([doc()], items, [], {"run_id": "h"}), Path(tmp) / "out")
        parquet = pq.read_table(published.parquet["line_items"]).column("amount_yuan").to_pylist()
        text = published.csv["line_items"].read_text(encoding="utf-8-sig")
        csv_values = [Decimal(r["amount_yuan"]) for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert parquet == values
    assert csv_values == values
