"""Documents in limited child processes: hostile files end typed, good files exactly as in-process."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from badpdfs import decompression_bomb_pdf, html_as_pdf, many_pages_pdf, mediabox_cycle_pdf

from flows import isolation
from flows.isolation import GIB, MIB, Interrupted, Limits, process_isolated
from flows.probes import count_pages, inflates_beyond
from flows.settings import SAMPLES_DIR
from normalize.documents import process_document_safely

#: small limits keep the suite fast; good sample documents need ~2 s and ~150 MB
TEST_LIMITS = Limits(timeout_s=4, memory_bytes=768 * MIB, max_pages=50, workers=2)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hostile")
    return {
        "cycle": mediabox_cycle_pdf(d / "cycle.pdf"),
        "bomb": decompression_bomb_pdf(d / "bomb.pdf", inflated_bytes=1 << 30),
        "many": many_pages_pdf(d / "many.pdf", pages=5000),
        "html": html_as_pdf(d / "html.pdf"),
    }


def test_limits_have_documented_defaults_and_check_themselves() -> None:
    limits = Limits()
    assert (limits.timeout_s, limits.memory_bytes, limits.max_pages) == (300.0, 2 * GIB, 2000)
    assert limits.workers == isolation.default_workers() >= 1
    for bad in ({"timeout_s": 0}, {"memory_bytes": MIB}, {"max_pages": 0}, {"workers": -1}):
        with pytest.raises(ValueError):
            Limits(**bad)  # type: ignore[arg-type]


def test_hostile_files_are_stopped_with_their_reason(hostile: dict[str, Path]) -> None:
    expected = {"cycle": "timeout", "bomb": "memory_limit", "many": "too_many_pages"}
    for name, code in expected.items():
        t0 = time.monotonic()
        outcome = process_isolated(hostile[name], f"{name}.pdf", "", TEST_LIMITS)
        doc = outcome.result.document
        assert (outcome.limit, doc.status, doc.error_code) == (code, "quarantined", code), doc.error
        assert time.monotonic() - t0 < TEST_LIMITS.timeout_s + 8
        assert outcome.peak_rss_bytes < TEST_LIMITS.memory_bytes
    assert "raise --timeout" in process_isolated(hostile["cycle"], "c.pdf", "", TEST_LIMITS).result.document.error


def test_bad_files_keep_the_extractors_reason(hostile: dict[str, Path]) -> None:
    outcome = process_isolated(hostile["html"], "html.pdf", "", TEST_LIMITS)
    assert outcome.limit == "" and outcome.result == process_document_safely(hostile["html"], "html.pdf")


def test_a_child_that_dies_is_worker_crashed(hostile: dict[str, Path]) -> None:
    def killer() -> None:
        for _ in range(200):
            pids = isolation.live_children()
            if pids:
                time.sleep(0.5)
                os.kill(pids[0], signal.SIGKILL)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    outcome = process_isolated(hostile["cycle"], "cycle.pdf", "", Limits(timeout_s=30, memory_bytes=768 * MIB))
    thread.join()
    assert outcome.limit == "worker_crashed" and "SIGKILL" in outcome.result.document.error


def test_parallel_isolated_results_equal_the_sequential_in_process_ones() -> None:
    samples = sorted(SAMPLES_DIR.glob("*.pdf"))
    sequential = [process_document_safely(p, p.name, "https://example.org/" + p.name) for p in samples]
    limits = Limits(timeout_s=120, workers=2)
    with ThreadPoolExecutor(limits.workers) as pool:
        outcomes = list(pool.map(lambda p: process_isolated(p, p.name, "https://example.org/" + p.name, limits), samples))
    assert [o.limit for o in outcomes] == [""] * len(samples)
    assert [o.result for o in outcomes] == sequential
    assert all(r.document.status == "ok" and r.line_items for r in sequential)


def test_children_start_warm_and_frozen() -> None:
    """Children are forked from a forkserver that read a booklet and froze its objects
    (flows/child_warmup.py): the first document's lazy imports are paid once, and the children's
    collector skips the imported modules."""
    from flows import child_warmup

    with isolation._context().Pool(1) as pool:
        warmed, frozen, virtual = pool.apply(child_warmup.state)
    assert warmed
    assert frozen > 50_000  # every imported module's objects (~120k with pandas, pdfminer, pandera)
    # what a child starts with counts against its --memory-limit (RLIMIT_AS): ~445 MB, not the
    # 1.5 GB it would be with Arrow's mimalloc reservation
    assert 0 < virtual < 800 * MIB
    assert not child_warmup.warm(SAMPLES_DIR / "missing.pdf")  # no sample: cold children, no error


def test_stop_all_interrupts_a_waiting_caller_without_a_result(hostile: dict[str, Path]) -> None:
    timer = threading.Timer(1.0, isolation.stop_all)
    timer.start()
    try:
        t0 = time.monotonic()
        with pytest.raises(Interrupted):
            process_isolated(hostile["cycle"], "cycle.pdf", "", Limits(timeout_s=60, memory_bytes=768 * MIB))
        assert time.monotonic() - t0 < 10
        assert isolation.live_children() == []
        with pytest.raises(Interrupted):  # nothing new starts once stopping
            process_isolated(hostile["html"], "html.pdf", "", TEST_LIMITS)
    finally:
        timer.join()
        isolation.reset()


def test_probes_are_cheap_and_bounded(hostile: dict[str, Path]) -> None:
    t0 = time.monotonic()
    assert count_pages(hostile["many"]) == 5000
    assert count_pages(hostile["html"]) is None
    assert inflates_beyond(hostile["bomb"], 64 * MIB) is not None
    for sample in SAMPLES_DIR.glob("*.pdf"):
        assert inflates_beyond(sample, 64 * MIB) is None
    assert time.monotonic() - t0 < 5
