"""The defect fixtures (samples/defects/): one injected problem per rule family, each reported once, nothing else.

The whole pipeline runs on the committed PDF (extraction, validation, every rule family
and the cross-document rules). Expected findings come from the defect file, written by
hand from the edit; their pages from the fixture's ground truth or from the page text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from checks.cross_document import check_across_documents
from flows.content import document_findings
from normalize.documents import process_document
from samples.defects import PDF_DIR, DefectSet, Expected, defect_names, edited_data, load_defects

NAMES = defect_names()
_WS = re.compile(r"\s+")


def _truth_page(pdf: Path, at: dict[str, str]) -> int:
    with pdf.with_suffix(".csv").open(encoding="utf-8") as f:
        rows = [
            r for r in csv.DictReader(f)
            if r["table_code"] == at["table_code"] and r["measure"] == at["measure"]
            and at.get("line_label", r["line_label"]) == r["line_label"]
            and at.get("subject_code", r["subject_code"]) == r["subject_code"]
        ]
    assert len(rows) == 1, (at, rows)
    return int(rows[0]["page"])


def _text_page(pdf: Path, text: str) -> int:
    with pdfplumber.open(pdf) as doc:
        pages = [n for n, p in enumerate(doc.pages, start=1) if text in _WS.sub("", p.extract_text() or "")]
    assert len(pages) == 1, (text, pages)
    return pages[0]


def _key(pdf: Path, e: Expected) -> tuple[str, str, str, int | None]:
    page = _truth_page(pdf, e.at) if e.at else _text_page(pdf, e.at_text) if e.at_text else None
    return (e.rule_id, e.table_code, e.subject_code, page)


def test_every_defect_file_has_its_committed_pdf() -> None:
    assert NAMES and sorted(p.stem for p in PDF_DIR.glob("*.pdf")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_edit_applies_once_and_covers_a_family_once(name: str) -> None:
    defects: DefectSet = load_defects(name)
    edited_data(defects)  # raises when an edit no longer matches the base sample exactly once
    families = [d.family for d in defects.defects]
    assert len(families) == len(set(families))


@pytest.mark.parametrize("name", NAMES)
def test_each_injected_problem_is_reported_once_and_nothing_else(name: str) -> None:
    pdf = PDF_DIR / f"{name}.pdf"
    result = process_document(pdf, pdf.name)
    assert result.document.status == "ok", result.document.error
    findings = document_findings(result, result.line_items) + check_across_documents([result])
    reported = Counter(
        (f.rule_id, f.table_code, f.subject_code, f.page) for f in findings if f.severity in ("error", "warning")
    )
    expected = Counter(_key(pdf, e) for d in load_defects(name).defects for e in d.expected)
    assert reported == expected
