"""bench/publish_scale.py measures what it says: its copies are distinct published documents."""

from __future__ import annotations

from bench.publish_scale import copy_of
from flows.content import package_content
from flows.settings import SAMPLES_DIR
from normalize.documents import deduplicate, process_document_safely


def test_copies_are_distinct_documents_published_with_the_same_figures() -> None:
    pdf = SAMPLES_DIR / "synthetic_water_bureau_2024.pdf"
    base = process_document_safely(pdf, pdf.name)
    results = deduplicate([base, copy_of(base, 1), copy_of(base, 2)])
    assert [r.document.status for r in results] == [base.document.status] * 3  # none is a duplicate
    ids = {r.document.doc_id for r in results}
    assert len(ids) == 3
    assert len({r.document.department_id for r in results}) == 3
    for copy in results[1:]:
        assert {i.doc_id for i in copy.line_items} == {copy.document.doc_id}  # every record renamed
        assert [i.amount_yuan for i in copy.line_items] == [i.amount_yuan for i in base.line_items]
    content = package_content(results, {"code_version": "test", "source": "test"})
    assert len(content.line_items) == 3 * len(base.line_items)
