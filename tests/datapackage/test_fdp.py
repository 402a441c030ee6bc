"""Fiscal Data Package annotations: direction per measure, phase per document kind."""

from __future__ import annotations

import pytest

from datapackage.fdp import direction, measures_note, phase_annotations


@pytest.mark.parametrize(
    ("table", "measure", "expected"),
    [
        ("01", "income_amount", "revenue"),
        ("01", "expenditure_amount", "expenditure"),
        ("02", "business_income", "revenue"),
        ("03", "remittance_to_superior", "expenditure"),
        ("06", "amount", "expenditure"),
        ("07", "opening_balance", "balance"),
        ("09", "final_amount", "expenditure"),
        ("10", "quantity", "count"),
        ("01", "something_new", "unspecified"),
    ],
)
def test_direction(table: str, measure: str, expected: str) -> None:
    assert direction(table, measure) == expected


def test_measures_note_counts_and_labels(item) -> None:
    note = measures_note(
        [item(), item(row_index=1, measure_zh="合计"), item(table_code="10", measure="quantity")]
    )
    assert note[0] == {
        "table_code": "03",
        "measure": "total_expenditure",
        "kind": "expenditure",
        "fdp:direction": "expenditure",
        "note": "money spent (支出)",
        "measure_zh": ["合计", "本年支出合计"],
        "rows": 2,
    }
    assert "fdp:direction" not in note[1]


def test_phase_only_when_all_published_documents_agree(doc) -> None:
    assert phase_annotations([doc()])["fdp:phase"] == "executed"
    assert (
        phase_annotations([doc(), doc(doc_kind="unknown", status="quarantined")])["fdp:phase"] == "executed"
    )
    assert "fdp:phase" not in phase_annotations([doc(), doc(doc_kind="budget")])
    assert phase_annotations([])["opendisclosure:phaseByDocKind"]["budget"] == "approved"
