"""Resource definitions stay in step with the records and the output contract (DESIGN.md §4)."""

from __future__ import annotations

import dataclasses
import re

import pyarrow as pa
import pytest

from datapackage.resources import RESOURCES, SUBJECT_CODE_PATTERN, TABLE_CODE_LIST_PATTERN

CONTRACT = {
    "documents": "doc_id source_file source_url sha256 department fiscal_year doc_kind pages status error",
    "line_items": "doc_id department fiscal_year table_code row_index subject_system subject_code"
    " subject_name line_label measure measure_zh amount_yuan quantity unit_original page",
    "consistency": "doc_id rule_id severity table_code subject_code expected actual message page",
}
MONEY = {"amount_yuan", "value_original", "quantity", "expected", "actual", "difference", "coverage"}
#: counts of the number accounting (documents): integers like pages
INTEGERS = {"fiscal_year", "pages", "page", "row_index", "tables_read", "tables_partial", "tables_unread",
            "tables_missing", "amounts_printed", "amounts_read", "amounts_outside_tables"}


@pytest.mark.parametrize("rd", RESOURCES, ids=lambda rd: rd.name)
def test_every_record_field_is_published(rd) -> None:
    assert rd.field_names == [f.name for f in dataclasses.fields(rd.record_type)]


@pytest.mark.parametrize("rd", RESOURCES, ids=lambda rd: rd.name)
def test_contract_columns_present_in_contract_order(rd) -> None:
    names = rd.field_names
    contract = CONTRACT[rd.name].split()
    assert [n for n in names if n in contract] == contract


@pytest.mark.parametrize("rd", RESOURCES, ids=lambda rd: rd.name)
def test_types_follow_the_column_kind(rd) -> None:
    for fd in rd.fields:
        assert fd.title and fd.description
        if fd.name in MONEY:
            assert fd.type == "number" and pa.types.is_decimal128(fd.arrow_type), fd.name
        elif fd.name in INTEGERS:
            assert fd.type == "integer" and fd.arrow_type == pa.int32(), fd.name
        else:
            assert fd.type == "string" and fd.arrow_type == pa.string(), fd.name
    assert set(rd.primary_key) <= set(rd.field_names)


def test_yuan_type_holds_1e18_with_fen() -> None:
    yuan = next(f for f in RESOURCES[1].fields if f.name == "amount_yuan").arrow_type
    assert yuan.scale == 2 and yuan.precision - yuan.scale >= 19


@pytest.mark.parametrize("code", ["201", "20129", "2012901", "301", "30101"])
def test_subject_code_pattern_accepts_3_5_7_digits(code: str) -> None:
    assert re.fullmatch(SUBJECT_CODE_PATTERN, code)


@pytest.mark.parametrize("code", ["2012", "310111"])
def test_subject_code_pattern_keeps_misprinted_codes_as_printed(code: str) -> None:
    """The seed prints `310111` for 31011: published as printed, flagged by the report."""
    assert re.fullmatch(SUBJECT_CODE_PATTERN, code)


@pytest.mark.parametrize("code", ["20", "20129011", "2012901 ", "类201"])
def test_subject_code_pattern_rejects_non_codes(code: str) -> None:
    assert not re.fullmatch(SUBJECT_CODE_PATTERN, code)


def test_patterns_survive_frictionless_anchoring() -> None:
    """frictionless wraps a pattern as ^…$; a top-level | would escape the anchors."""
    for pattern in (SUBJECT_CODE_PATTERN, TABLE_CODE_LIST_PATTERN):
        assert "|" not in pattern
    assert re.match(f"^{TABLE_CODE_LIST_PATTERN}$", "01,02,10")
    assert not re.match(f"^{TABLE_CODE_LIST_PATTERN}$", "1,2")


def test_free_text_fields_document_the_csv_guard() -> None:
    for rd in RESOURCES:
        for fd in rd.fields:
            if fd.guarded:
                assert "single quote" in fd.description, (rd.name, fd.name)
