"""Each hostile kind alone under the one-run test's limits: its outcome, its time, its memory.

The table this prints (`pytest tests/flows/test_hostile_limits.py -s`) is README's "Limits,
parallelism and interruption" table of hostile inputs. Every kind must end within the timeout
plus a margin, with the child's peak RSS under PEAK_BOUND — far under the 768 MiB cap, which
would stop it anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from badpdfs import (
    broken_page_tree_pdf,
    cid_font_pdf,
    deep_nesting_pdf,
    deep_page_tree_pdf,
    length_cycle_pdf,
    many_rects_pdf,
)

from flows.isolation import MIB, Limits, process_isolated

LIMITS = Limits(timeout_s=8, memory_bytes=768 * MIB, max_pages=50, workers=1)
#: the highest child peak measured for these kinds is ~170 MiB (the 200k-rectangle page's pdfium count)
PEAK_BOUND = 400 * MIB

KINDS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "deep_nesting_100k": (lambda p: deep_nesting_pdf(p, depth=100_000), "not_a_disclosure"),
    "deep_page_tree_5000": (lambda p: deep_page_tree_pdf(p, depth=5000), "corrupt_pdf"),
    "rects_200k": (lambda p: many_rects_pdf(p, rects=200_000), "too_many_objects"),
    "length_cycle": (length_cycle_pdf, "timeout"),
    "broken_page_tree": (broken_page_tree_pdf, "corrupt_pdf"),
    "cid_font": (cid_font_pdf, "no_unicode_map"),
    "cid_font_glyph_ids": (lambda p: cid_font_pdf(p, glyph_ids=True), "no_unicode_map"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_kind_ends_typed_within_the_limits(kind: str, tmp_path: Path) -> None:
    make, code = KINDS[kind]
    path = make(tmp_path / f"{kind}.pdf")
    started = time.monotonic()
    outcome = process_isolated(path, path.name, "", LIMITS)
    seconds = time.monotonic() - started
    doc = outcome.result.document
    print(f"\n| {kind} | {path.stat().st_size:,} B | {doc.error_code} | {seconds:.1f} s |"
          f" {outcome.peak_rss_bytes / MIB:.0f} MiB |")
    assert (doc.status, doc.error_code) == ("quarantined", code), doc.error
    assert seconds < LIMITS.timeout_s + 8
    assert 0 < outcome.peak_rss_bytes < PEAK_BOUND


def test_the_object_count_is_far_above_real_pages() -> None:
    """The default --max-page-objects leaves >15× the busiest real page (2,717 objects)."""
    from flows.probes import busiest_page
    from flows.settings import SAMPLES_DIR

    assert Limits().max_page_objects == 50_000
    for pdf in sorted(SAMPLES_DIR.glob("*.pdf")):
        assert busiest_page(pdf, 2_000) is None, pdf.name


def test_broken_page_tree_says_no_readable_page(tmp_path: Path) -> None:
    """Damaged files whose page tree lost its pages: named a broken file, never 'a scan'."""
    from extract.document import extract_document

    doc = extract_document(broken_page_tree_pdf(tmp_path / "broken.pdf"))
    assert doc.reason is not None and doc.reason.code == "corrupt_pdf"
    assert "no readable page" in doc.reason.message and "pdfium read 12" in doc.reason.message


def test_cid_disclosure_is_no_unicode_map_not_another_reason(tmp_path: Path) -> None:
    """部门决算 tables in a font without a Unicode map: the reason says so (issue 12 §6)."""
    from extract.document import extract_document

    for glyph_ids in (False, True):
        doc = extract_document(cid_font_pdf(tmp_path / f"cid{glyph_ids}.pdf", glyph_ids=glyph_ids))
        assert doc.reason is not None and doc.reason.code == "no_unicode_map", doc.reason
