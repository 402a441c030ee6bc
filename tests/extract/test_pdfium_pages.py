"""One pdfium document per file (extract/pdfium_pages.py): each page loaded once, the same reading.

The limits' object count, the page texts and the table pages' geometry each used to open the
file and load its pages again. With a shared PdfiumPages a page is loaded by the first pass
and reused by the next ones; past the object bound it is closed and loaded again, and the
document reads the same either way.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from support import ROOT, realdoc

from extract.document import extract_document
from extract.pdfium_pages import PdfiumPages
from flows.probes import busiest_page

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


def _reading(doc):  # type: ignore[no-untyped-def]
    return (doc.reason, doc.identity, [(t.table_code, t.pages, t.cells) for t in doc.tables], doc.page_texts)


def test_the_count_the_texts_and_the_geometry_load_each_page_once(monkeypatch: pytest.MonkeyPatch) -> None:
    path = realdoc("sh_final_2024")
    loaded: list[int] = []
    get_page = pdfium.PdfDocument.get_page
    monkeypatch.setattr(pdfium.PdfDocument, "get_page", lambda self, i: loaded.append(i) or get_page(self, i))
    pages = PdfiumPages(path)
    try:
        assert busiest_page(path, 50_000, pages) is None
        doc = extract_document(path, pages)
        assert doc.reason is None and doc.tables
        assert sorted(loaded) == list(range(doc.identity.pages))  # every page loaded, once, by any pass
    finally:
        pages.close()
    monkeypatch.undo()
    assert _reading(doc) == _reading(extract_document(path))


def test_past_the_bound_pages_are_loaded_again_and_read_the_same() -> None:
    reference = extract_document(SEED)
    pages = PdfiumPages(SEED, keep_objects=0)  # no page is kept between passes
    try:
        doc = extract_document(SEED, pages)
        summary = next(e for e in doc.events if "geometry read by" in e)
        converted = int(summary.split()[0])
        assert converted > 0, summary
        assert pages.loads >= len(pages) + converted  # the table pages were loaded again for their geometry
    finally:
        pages.close()
    assert _reading(doc) == _reading(reference)


def test_a_page_past_the_object_limit_is_not_kept() -> None:
    pages = PdfiumPages(SEED)
    try:
        busy = busiest_page(SEED, 10, pages)  # every table page has more than 10 objects
        assert busy is not None and busy[1] > 10
        assert busy[0] - 1 not in pages.kept()
    finally:
        pages.close()
