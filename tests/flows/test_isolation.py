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


def _kill_busy_workers(times: int) -> threading.Thread:
    """A thread that SIGKILLs the worker reading a document, `times` times (each a new worker)."""

    def killer() -> None:
        killed: set[int] = set()
        for _ in range(400):
            pids = [p for p in isolation.live_children() if p not in killed]
            if pids:
                time.sleep(0.3)
                os.kill(pids[0], signal.SIGKILL)
                killed.add(pids[0])
                if len(killed) == times:
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    return thread


def test_a_document_whose_process_dies_is_worker_crashed(hostile: dict[str, Path]) -> None:
    limits = Limits(timeout_s=30, memory_bytes=768 * MIB)
    process_isolated(SAMPLES_DIR / sorted(p.name for p in SAMPLES_DIR.glob("*.pdf"))[0], "warm.pdf", "", limits)
    thread = _kill_busy_workers(times=2)  # the reused worker, then the new one it is tried again in
    outcome = process_isolated(hostile["cycle"], "cycle.pdf", "", limits)
    thread.join()
    assert outcome.limit == "worker_crashed" and "SIGKILL" in outcome.result.document.error


def test_a_reused_worker_that_dies_is_replaced_and_the_document_read_whole() -> None:
    """What ran before a document never decides its outcome: a crash (or memory limit) in a worker
    that had read other documents is tried once more in a new worker."""
    first, second = sorted(SAMPLES_DIR.glob("*.pdf"))[:2]
    limits = Limits(timeout_s=60, memory_bytes=1024 * MIB)
    assert process_isolated(first, first.name, "", limits).limit == ""
    assert [documents for _, documents in isolation.idle_workers(limits)] == [1]
    thread = _kill_busy_workers(times=1)
    outcome = process_isolated(second, second.name, "", limits)
    thread.join()
    assert outcome.limit == ""
    assert outcome.result == process_document_safely(second, second.name)


def test_workers_read_document_after_document_and_a_limit_ends_one(hostile: dict[str, Path]) -> None:
    samples = sorted(SAMPLES_DIR.glob("*.pdf"), key=lambda p: -p.stat().st_size)  # the largest first
    limits = Limits(timeout_s=60, memory_bytes=896 * MIB, max_pages=50)
    isolation.close_idle()
    outcomes = [process_isolated(p, p.name, "", limits) for p in samples]
    assert [o.result for o in outcomes] == [process_document_safely(p, p.name) for p in samples]
    assert [documents for _, documents in isolation.idle_workers(limits)] == [len(samples)]
    assert all(o.peak_rss_bytes > 0 for o in outcomes)
    assert process_isolated(hostile["many"], "many.pdf", "", limits).limit == "too_many_pages"
    assert isolation.idle_workers(limits) == []  # the worker that met a limit ended
    isolation.close_idle()
    assert isolation.idle_workers(limits) == []


def test_a_workers_peak_starts_again_with_each_document() -> None:
    """A reused worker reports each document's own peak RSS, not the largest of all it read."""
    isolation._reset_peak()
    before = isolation._peak_rss_self()
    ballast = bytearray(256 * MIB)
    ballast[:: 4096] = b"x" * len(range(0, len(ballast), 4096))  # touched: resident
    grown = isolation._peak_rss_self()
    del ballast
    isolation._reset_peak()
    assert grown > before + 200 * MIB
    assert isolation._peak_rss_self() < grown - 200 * MIB


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
