"""Codes and names against the reference: joined, inferred, normalized, flagged — never silently changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import ROOT, realdoc

from checks.reference_rules import cross_document_name_findings, reference_findings
from core.records import LineItem
from extract.numbers import join_code
from normalize.documents import process_document
from normalize.subjects import normalize_subjects
from schemas.reference import load_reference, valid_length

SAMPLES = sorted((ROOT / "samples" / "pdfs").glob("*.pdf"))

# --- code joining (extract.numbers.join_code) ------------------------------------------

LEI = st.from_regex(r"[23][0-9]{2}", fullmatch=True)
PART = st.from_regex(r"[0-9]{2}", fullmatch=True)


@given(LEI, PART, PART)
def test_join_code_concatenates_lei_kuan_xiang(lei: str, kuan: str, xiang: str) -> None:
    assert join_code(lei, kuan, xiang) == lei + kuan + xiang
    assert join_code(lei, kuan) == lei + kuan
    assert join_code(lei) == lei


@given(LEI, PART, PART)
def test_join_code_accepts_parts_printed_as_full_codes(lei: str, kuan: str, xiang: str) -> None:
    full = lei + kuan + xiang
    assert join_code(lei, lei + kuan, full) == full
    assert join_code(lei, kuan, full) == full


@given(LEI, PART, PART)
def test_joined_codes_have_a_valid_length_and_prefix_chain(lei: str, kuan: str, xiang: str) -> None:
    code = join_code(lei, kuan, xiang)
    assert valid_length(code, "function") and code.startswith(join_code(lei, kuan))


# --- the samples and the real Shanghai 决算 ----------------------------------------------


def _items(path: Path) -> list[LineItem]:
    result = process_document(path, path.name)
    assert result.document.status == "ok", result.document.error
    return result.line_items


@pytest.fixture(scope="module")
def documents() -> dict[str, list[LineItem]]:
    docs = {p.stem: _items(p) for p in SAMPLES}
    try:
        sh = realdoc("sh_final_2024_")
    except pytest.skip.Exception:
        return docs
    docs["sh_final_2024"] = _items(sh)
    return docs


def _rows(items: list[LineItem]) -> dict[tuple[str, int, str], LineItem]:
    return {(i.table_code, i.row_index, i.line_label): i for i in items}


def test_every_classified_row_has_a_valid_code_whose_chain_is_in_subjects(documents) -> None:
    ref = load_reference()
    for name, items in documents.items():
        for item in _rows(items).values():
            if not item.subject_system:
                assert not item.subject_code, (name, item)
                continue
            if item.subject_flag == "invalid_length":  # printed so (310111), published as printed, reported
                assert item.subject_code == "310111", (name, item)
                continue
            assert item.subject_flag == "", (name, item)
            assert valid_length(item.subject_code, item.subject_system), (name, item)
            assert ref.chain_exists(item.subject_code), (name, item.subject_code)
            subject = ref.get(item.subject_code)
            assert subject is not None and subject.system == item.subject_system
            assert (item.subject_level, item.parent_code, item.subject_name) == (
                subject.level, subject.parent_code, subject.name
            )


def test_class_lines_of_01_and_04_are_inferred_and_match_03(documents) -> None:
    for name, items in documents.items():
        rows = _rows(items)
        classes_03 = {i.subject_code for i in rows.values() if i.table_code == "03" and len(i.subject_code) == 3}
        inferred = {i.subject_code for i in rows.values() if i.table_code == "01" and i.code_source == "inferred"}
        assert inferred and inferred <= classes_03 | {"223"}, name  # 223 国有资本经营预算支出 is printed in 08
        for item in rows.values():
            if item.code_source == "inferred":
                assert item.table_code in {"01", "04"} and item.line_label.endswith(item.subject_name)
                assert any(i.measure.startswith("expenditure") for i in items if (i.table_code, i.row_index,
                           i.line_label) == (item.table_code, item.row_index, item.line_label))


def test_printed_codes_are_never_changed(documents) -> None:
    for items in documents.values():
        for item in items:
            if item.code_source in ("printed", "joined"):
                assert item.subject_code and item.subject_name_printed is not None


def test_jiangxi_seed_misprint_is_kept_and_reported(documents) -> None:
    items = documents["jiangxi_trade_unions_2024"]
    (row,) = [i for i in _rows(items).values() if i.subject_code == "310111"]
    assert (row.subject_flag, row.subject_level, row.subject_name) == ("invalid_length", "", "地上附着物和青苗补偿")
    findings = reference_findings("jx", items)
    assert [(f.rule_id, f.subject_code, f.severity, f.category) for f in findings] == [
        ("REF_INVALID_CODE_LENGTH", "310111", "warning", "reference")
    ]


def test_variant_names_become_the_reference_name_and_the_printed_one_is_kept(documents) -> None:
    rows = _rows(documents["jiangxi_trade_unions_2024"])
    (item,) = [i for i in rows.values() if i.subject_code == "30111"]
    assert (item.subject_name, item.subject_name_printed) == ("公务员医疗补助缴费", "公务员医疗补助缴款")


def test_counts_per_document(documents, capsys) -> None:
    """The figures reported in the change note: inferred codes and flags per document (printed rows)."""
    for name, items in documents.items():
        rows = _rows(items).values()
        sources = Counter(i.code_source for i in rows if i.code_source)
        flags = Counter(i.subject_flag for i in rows if i.subject_flag)
        with capsys.disabled():
            print(f"\n{name}: rows {len(rows)}, codes {dict(sources)}, flags {dict(flags)}")


# --- two documents: same code, different names; a name without a code --------------------


def _printed(items: list[LineItem]) -> list[LineItem]:
    """The items as extraction hands them over (before normalize_subjects)."""
    return [
        replace(i, subject_name=i.subject_name_printed, subject_name_printed="", subject_level="", parent_code="",
                subject_flag="")
        if i.code_source != "inferred"
        else replace(i, subject_code="", code_source="", subject_system="", subject_name="", subject_level="",
                     parent_code="", subject_name_printed="")
        for i in items
    ]


def test_two_documents_same_code_different_names_and_a_name_without_code(documents) -> None:
    jx = _printed(documents["jiangxi_trade_unions_2024"])
    other = []
    for item in jx:
        item = replace(item, doc_id="doc-other", department="某市总工会")
        if item.subject_code == "2012901":  # printed with another name
            item = replace(item, subject_name="机关运行", line_label="机关运行")
        elif item.subject_code == "2012999":  # printed with its name but without a code
            item = replace(item, subject_code="", code_source="", subject_system="", subject_name="")
        elif item.subject_code == "2080501":  # a code unknown to the reference
            item = replace(item, subject_code="2080598")
        elif item.table_code == "03" and item.subject_code == "2101101":  # a name matching nothing
            item = replace(item, subject_code="", code_source="", subject_system="", subject_name="",
                           line_label="不存在的科目")
        other.append(item)
    a, b = normalize_subjects(jx), normalize_subjects(other)

    inferred = [i for i in b if i.line_label == "其他群众团体事务支出" and i.table_code == "03"]
    assert inferred and all(
        (i.subject_code, i.code_source, i.subject_system, i.parent_code, i.subject_flag)
        == ("2012999", "inferred", "function", "20129", "")
        for i in inferred
    )
    mismatch = [i for i in b if i.subject_code == "2012901"]
    assert mismatch and all(
        (i.subject_flag, i.subject_name, i.code_source) == ("name_mismatch", "机关运行", "printed") for i in mismatch
    )
    unknown = [i for i in b if i.subject_code == "2080598"]
    assert unknown and all((i.subject_flag, i.subject_level, i.parent_code) == ("unknown_code", "项", "20805")
                           for i in unknown)
    unmatched = [i for i in b if i.line_label == "不存在的科目"]
    assert unmatched and all((i.subject_code, i.subject_flag) == ("", "unmatched_name") for i in unmatched)

    findings = reference_findings("doc-other", b)
    # a code missing from the (incomplete) reference is a note; a misprinted code a warning
    assert {f.rule_id: f.severity for f in findings}["REF_UNKNOWN_CODE"] == "info"
    assert {f.rule_id: f.severity for f in findings}["REF_INVALID_CODE_LENGTH"] == "warning"
    rules = Counter(f.rule_id for f in findings)
    tables_with_2012901 = len({i.table_code for i in b if i.subject_code == "2012901"})
    assert rules == {
        "REF_NAME_MISMATCH": tables_with_2012901,
        "REF_UNKNOWN_CODE": len({i.table_code for i in b if i.subject_code == "2080598"}),
        "REF_UNMATCHED_NAME": 1,
        "REF_INVALID_CODE_LENGTH": 1,
    }

    cross = cross_document_name_findings(a + b)
    assert [(f.rule_id, f.doc_id, f.subject_code, f.category) for f in cross] == [
        ("XDOC_SAME_CODE_DIFFERENT_NAME", "", "2012901", "cross-document")
    ]
    assert "机关运行" in cross[0].message and "行政运行" in cross[0].message and "某市总工会" in cross[0].message
    # the same document twice, or one document alone, gives no cross-document finding
    assert cross_document_name_findings(a) == []
    # a rename between fiscal years (the classification's own revisions) is no inconsistency
    b_2023 = [replace(i, fiscal_year=2023) for i in b]
    assert [f.subject_code for f in cross_document_name_findings(a + b_2023)] == []
    assert "2024" in cross[0].message
