"""Each document in a separate process, under a wall-time, memory and page limit.

    outcome = process_isolated(path, "a.pdf", "", Limits(timeout_s=60))
    outcome.result      # a DocumentResult, always: the document's, or a typed quarantine
    outcome.packed      # the same as a PackedResult (normalize/packed.py): what crosses the pipe and the cache

Why a process: a hostile PDF can hang pdfminer for ever (a `/MediaBox` that is a reference
cycle), inflate a 4 MB stream to GiBs, or crash a C library. Only a process can be stopped at any
instant, and only its own address space can be capped (RLIMIT_AS). The processes come from a
multiprocessing *forkserver* that imported the extraction stack once (`set_forkserver_preload`):
each is a cheap fork of that quiet, single-threaded server, never a fork of the caller (whose
Prefect and httpx threads make `fork` unsafe) and never a fresh interpreter re-importing
everything (`spawn`, ~3 s a document).

Each such process is a *document worker*: it reads documents one after the other, as long as
each ends cleanly, so a document pays neither a process's fork, start and exit nor the caches a
new process fills again (9.6–10.3 s of CPU for the 39 corpus files in one worker, 12.2–12.8 s
one process each). A document is still judged as if it had its own process: a limit or a crash
ends the worker; a memory limit or crash in a worker that had read other documents first is
tried again in a new worker, whose outcome is final; a worker ends after WORKER_DOCUMENTS
documents or WORKER_GROWTH of address space (which counts against the cap); each document's
peak RSS is its own. `close_idle()` ends the idle workers (the run calls it before publishing).

What a limit does to the document (the run goes on; the codes are stable):

    timeout          still running after `timeout_s` seconds: killed
    memory_limit     a stream inflates beyond memory_bytes / 4 (checked before parsing, flows/probes.py),
                     or an allocation failed (MemoryError) under the address-space cap `memory_bytes`
    too_many_pages   more than `max_pages` pages (counted with pdfium before any parse)
    too_many_objects a page holds more than `max_page_objects` objects (paths, text runs, images;
                     counted with pdfium before pdfplumber turns each into a Python dict)
    worker_crashed   the child died without an answer (a signal; pdfium aborts with SIGABRT when an
                     allocation fails under the cap, so a bomb the probe missed ends here)

Results are the same objects `normalize.documents.process_document_safely` returns in-process,
pickled once by the child (a PackedResult) and unpickled only where they are read, so a parallel
run publishes exactly what a sequential one does.

`stop_all()` (on Ctrl-C / SIGTERM) kills every worker at once; a caller still waiting on
one gets `Interrupted`, never a quarantine, so an interrupted document is not cached as bad.
Children also die with the forkserver (PR_SET_PDEATHSIG), which dies with the caller.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from core.records import QuarantineReason
from extract.pdfium_pages import PdfiumPages
from flows.probes import busiest_page, count_pages, inflates_beyond
from normalize.documents import DocumentResult, process_document_safely, quarantined_result
from normalize.packed import PackedResult

GIB = 1024**3
MIB = 1024**2
#: seconds a child may take to start (the forkserver's first imports, a busy machine), before --timeout runs
STARTUP_TIMEOUT_S = 120.0
#: a document worker reads at most this many documents, and ends once its address space grew by
#: more than this (its RSS grew 127 → 201 MiB over the 39 corpus files, then stayed)
WORKER_DOCUMENTS = 64
WORKER_GROWTH = 256 * 1024**2
#: one stream may inflate to at most memory_bytes / INFLATE_SHARE (512 MiB of the default 2 GiB)
INFLATE_SHARE = 4

#: the quarantines a limit gives (never cached: flows/run.py)
LIMIT_CODES = frozenset({"timeout", "memory_limit", "too_many_pages", "too_many_objects", "worker_crashed"})

#: imported once by the forkserver, so each document's child starts warm ("__main__" too: without it
#: every child would re-import the main script, as spawn does); flows.child_warmup reads a bundled
#: booklet there, so the lazy imports and caches of a first document are paid once, not per document
PRELOAD = ["__main__", "normalize.documents", "schemas.validation", "flows.probes", "pypdfium2", "pdfplumber",
           "pdfminer.high_level", "flows.child_warmup"]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass(frozen=True)
class Limits:
    """What one document may cost. Defaults are far above what real booklets need.

    Measured on ../shared/realdocs + samples (30 files, 12–35 pages, bench/README.md): at most
    3.3 s and ~230 MB per document, so the defaults leave ~100× time and ~8× memory headroom
    while still stopping a hang within minutes and a bomb before the machine swaps.

    timeout_s     wall seconds per document (300: a 2,000-page booklet at ~10 pages/s fits)
    memory_bytes  address-space cap of the document's process (2 GiB)
    max_pages     pages per document (2,000; the largest real booklet seen has 35)
    max_page_objects  objects on one page (50,000; the busiest real page seen has 2,717: 200,000
                  rectangles cost pdfplumber > 15 s and > 400 MiB, pdfium counts them in 0.4 s)
    workers       documents processed at once (default: the CPUs this process may use)
    """

    timeout_s: float = 300.0
    memory_bytes: int = 2 * GIB
    max_pages: int = 2000
    workers: int = 0  # 0 = default_workers()
    max_page_objects: int = 50_000

    def __post_init__(self) -> None:
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {self.timeout_s}")
        if self.memory_bytes < 64 * MIB:
            raise ValueError(f"memory_bytes must be at least 64 MiB, got {self.memory_bytes}")
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be >= 1, got {self.max_pages}")
        if self.max_page_objects < 1:
            raise ValueError(f"max_page_objects must be >= 1, got {self.max_page_objects}")
        if self.workers < 0:
            raise ValueError(f"workers must be >= 0 (0 = one per CPU), got {self.workers}")
        if self.workers == 0:
            object.__setattr__(self, "workers", default_workers())


class Interrupted(BaseException):
    """The run is being stopped (Ctrl-C / SIGTERM): no result, and nothing to cache.

    A BaseException, like KeyboardInterrupt, so no `except Exception` turns it into a result.
    """


@dataclass(frozen=True)
class IsolatedOutcome:
    """One document's result and what it cost (for the summary and the benchmark)."""

    packed: PackedResult
    limit: str  # "" or the limit code (timeout, memory_limit, too_many_pages, too_many_objects, worker_crashed)
    seconds: float
    peak_rss_bytes: int  # the child's high-water mark as last seen (0 if never seen)

    @cached_property
    def result(self) -> DocumentResult:
        """The DocumentResult, unpickled on first use (the flow passes `packed` on instead)."""
        return self.packed.unpack()


_lock = threading.Lock()
_live: set[Any] = set()
_stopping = threading.Event()


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def warm_up() -> None:
    """Start the forkserver (and its imports, ~2–3 s) now, e.g. while Prefect starts its server."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def stop_all() -> int:
    """Kill every running child now; later and waiting calls raise Interrupted. Returns how many."""
    _stopping.set()
    with _lock:
        procs = list(_live)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.kill()
    return len(procs)


def reset() -> None:
    """Allow new children after stop_all() (tests, long-lived callers)."""
    _stopping.clear()


def live_children() -> list[int]:
    """The pids of the workers reading a document now."""
    with _lock:
        return [w.proc.pid for w in _busy if w.proc.pid is not None]


# ---- the child ---------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: the kernel kills us if the forkserver (our parent) dies (Linux only)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _peak_rss_self() -> int:
    """This process's resident high-water mark since its current document began (VmHWM, reset
    per document by _reset_peak), or since it started where /proc says nothing."""
    return status_bytes("self", "VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> None:
    """Start VmHWM again from the current RSS (Linux: "5" to clear_refs), so a worker that read
    other documents reports this document's peak."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")


def _is_memory_error(result: DocumentResult) -> bool:
    doc = result.document
    return doc.error_code == "extractor_error" and "MemoryError" in doc.error


def _worker(conn: Any, memory_bytes: int) -> None:
    """A document worker: reads documents one by one, as the parent sends them, until it is told to
    stop, a document ends in a limit, or it has read its share (_retire_after)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches the whole group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    start_size, documents = status_bytes("self", "VmSize"), 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            job = None
        if job is None:
            break
        _reset_peak()
        message = _one_document(conn, *job)
        documents += 1
        reusable = message[0] == "result" and not _retire_after(documents, start_size)
        try:
            try:
                conn.send((*message, reusable))
            except MemoryError:
                conn.send(("limit", ("memory_limit", "the result itself did not fit in memory"), 0, False))
        except (BrokenPipeError, ConnectionResetError):
            # nobody waits any more: the parent was stopped (e.g. a Dask worker closing on Ctrl-C)
            os._exit(0)
        if not reusable:
            break
    conn.close()


def _retire_after(documents: int, start_size: int) -> bool:
    """Whether a worker should end now rather than read another document: after
    WORKER_DOCUMENTS, or once its address space grew WORKER_GROWTH past its start (what a
    reused worker holds counts against the --memory-limit cap; a new worker starts clean)."""
    grown = status_bytes("self", "VmSize") - start_size
    return documents >= WORKER_DOCUMENTS or grown > WORKER_GROWTH


def _one_document(
    conn: Any, path: str, source_file: str, source_url: str, memory_bytes: int, max_pages: int, max_objects: int
) -> tuple[str, Any, int]:
    conn.send(("started", os.getpid(), 0))  # the parent's clock starts now, not while the worker starts
    try:
        pages = count_pages(Path(path))
        bomb = inflates_beyond(Path(path), memory_bytes // INFLATE_SHARE)
        if pages is not None and pages > max_pages:
            return ("limit", ("too_many_pages", pages), _peak_rss_self())
        if bomb is not None:
            detail = f"a stream at byte {bomb} inflates to more than {memory_bytes // INFLATE_SHARE // MIB} MiB"
            return ("limit", ("memory_limit", detail), _peak_rss_self())
        return _counted_and_read(Path(path), source_file, source_url, max_objects, pages is not None)
    except MemoryError as exc:
        return ("limit", ("memory_limit", f"an allocation failed ({exc or 'MemoryError'})"), _peak_rss_self())


def _counted_and_read(
    path: Path, source_file: str, source_url: str, max_objects: int, pdfium_opens: bool
) -> tuple[str, Any, int]:
    """The objects of every page counted, then the document read, over one pdfium document:
    the pages the count loaded are the ones the extractor's text and geometry passes use."""
    shared = _open_pages(path) if pdfium_opens else None
    try:
        if (busy := busiest_page(path, max_objects, shared)) is not None:
            return ("limit", ("too_many_objects", busy), _peak_rss_self())
        result = process_document_safely(path, source_file, source_url, shared)
    finally:
        if shared is not None:
            shared.close()
    if _is_memory_error(result):
        return ("limit", ("memory_limit", "an allocation failed"), _peak_rss_self())
    return ("result", PackedResult.of(result), _peak_rss_self())


def _open_pages(path: Path) -> PdfiumPages | None:
    try:
        return PdfiumPages(path)
    except Exception:  # pdfium opened it a moment ago; if not now, each pass opens it and says why
        return None


# ---- the parent --------------------------------------------------------------------------------


def status_bytes(pid: int | str | None, field: str) -> int:
    """A memory figure of /proc/<pid>/status in bytes (`VmHWM`, `VmRSS`, `VmSize`; pid "self"), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _rss_high_water(pid: int | None) -> int:
    return status_bytes(pid, "VmHWM")


def limit_reason(code: str, limits: Limits, detail: Any = None) -> QuarantineReason:
    """The typed reason for a limit, with what the user can do about it."""
    if code == "timeout":
        text = (
            f"processing took longer than {limits.timeout_s:g} s and was stopped; the file may be hostile"
            " (e.g. a reference cycle) or very large: raise --timeout to try again"
        )
    elif code == "memory_limit":
        text = (
            f"{detail or 'processing needed more memory than allowed'} (--memory-limit"
            f" {limits.memory_bytes / MIB:.0f} MiB), so it was stopped; the file may be a decompression bomb:"
            " raise --memory-limit to try again"
        )
    elif code == "too_many_pages":
        text = f"the file has {detail} pages, more than --max-pages {limits.max_pages}; raise it to read the file"
    elif code == "too_many_objects":
        page, count = detail
        text = (
            f"page {page} holds more than --max-page-objects {limits.max_page_objects} objects (at least {count}:"
            " paths, text runs, images; a hostile or machine-drawn page); raise it to read the file"
        )
    else:
        text = (
            f"the process reading this file died ({detail}); opendisclosure went on without it."
            " Please report it with the file attached"
        )
    return QuarantineReason(code, text)


def _kill(proc: Any) -> None:
    with contextlib.suppress(Exception):
        proc.kill()
    proc.join(timeout=5)


def _describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit status"
    if exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-exitcode).name}"
        return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


@dataclass(eq=False)
class _Worker:
    """A document worker process and the parent's end of its pipe."""

    proc: Any
    conn: Any
    memory_bytes: int
    documents: int = 0  # read cleanly so far

    def usable(self, limits: Limits) -> bool:
        return self.memory_bytes == limits.memory_bytes and self.proc.is_alive()


#: idle workers, the most recently used last
_idle: list[_Worker] = []
#: workers reading a document now (live_children)
_busy: set[_Worker] = set()


def _start_worker(limits: Limits) -> _Worker:
    ctx = _context()
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=_worker, args=(theirs, limits.memory_bytes), name="opendisclosure-document-worker",
                       daemon=True)
    with _lock:
        proc.start()
        _live.add(proc)
    theirs.close()
    return _Worker(proc, ours, limits.memory_bytes)


def _take_worker(limits: Limits, *, fresh: bool) -> _Worker:
    """An idle worker under the same memory cap (the most recent), or a new one."""
    while not fresh:
        with _lock:
            worker = next((w for w in reversed(_idle) if w.memory_bytes == limits.memory_bytes), None)
            if worker is None:
                break
            _idle.remove(worker)
        if worker.usable(limits):
            return worker
        _end(worker)
    return _start_worker(limits)


def _end(worker: _Worker, *, kill: bool = False) -> None:
    """Stop a worker (asked to, or killed) and forget it."""
    with contextlib.suppress(Exception):
        if kill:
            worker.proc.kill()
        else:
            worker.conn.send(None)
    worker.proc.join(timeout=5)
    if worker.proc.is_alive():
        _kill(worker.proc)
    with contextlib.suppress(Exception):
        worker.conn.close()
    with _lock:
        _live.discard(worker.proc)


def idle_workers(limits: Limits | None = None) -> list[tuple[int, int]]:
    """(pid, documents read) of each idle worker (under `limits`' memory cap), oldest first."""
    with _lock:
        return [(w.proc.pid, w.documents) for w in _idle
                if limits is None or w.memory_bytes == limits.memory_bytes]


def close_idle() -> None:
    """End every idle worker (after the run's documents: they hold memory while the package is published)."""
    with _lock:
        workers = list(_idle)
        _idle.clear()
    for worker in workers:
        _end(worker)


def process_isolated(path: Path, source_file: str, source_url: str, limits: Limits) -> IsolatedOutcome:
    """`process_document_safely` in a document worker under `limits`; a limit gives a typed quarantine.

    A worker reads documents one after the other while each ends cleanly (no fork, no cold
    caches per document: ~50 ms less CPU a document, measured on the 39 corpus files); a limit
    ends it. A memory limit or a crash in a worker that had read other documents first is tried
    once more in a new worker, whose outcome is final: a document is judged as if it had its own
    process, whatever ran before it."""
    if _stopping.is_set():
        raise Interrupted(source_file)
    outcome, reused = _attempt(path, source_file, source_url, limits, fresh=False)
    if reused and outcome.limit in ("memory_limit", "worker_crashed"):
        outcome, _ = _attempt(path, source_file, source_url, limits, fresh=True)
    return outcome


def _attempt(path: Path, source_file: str, source_url: str, limits: Limits, *, fresh: bool) -> tuple[IsolatedOutcome, bool]:
    worker = _take_worker(limits, fresh=fresh)
    reused = worker.documents > 0
    started = time.monotonic()
    message: tuple[Any, ...] | None = None
    peak, limit, detail = 0, "", None
    with _lock:
        _busy.add(worker)
    try:
        with contextlib.suppress(OSError):  # an idle worker that died meanwhile: its sentinel says so below
            worker.conn.send((os.fspath(path), source_file, source_url, limits.memory_bytes, limits.max_pages,
                              limits.max_page_objects))
        deadline = started + STARTUP_TIMEOUT_S + limits.timeout_s
        running = False
        while True:
            if _stopping.is_set():
                _end(worker, kill=True)
                raise Interrupted(source_file)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if running:
                    peak = max(peak, _rss_high_water(worker.proc.pid))
                limit = "timeout"
                break
            ready = multiprocessing.connection.wait([worker.conn, worker.proc.sentinel], timeout=min(remaining, 0.5))
            if running:  # before "started", a reused worker's high-water mark may still be its last document's
                peak = max(peak, _rss_high_water(worker.proc.pid))
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is not None and message[0] == "started" and not running:
                    running, message = True, None
                    started, deadline = time.monotonic(), time.monotonic() + limits.timeout_s
                    continue
                break
            if ready:  # the sentinel: the worker ended without an answer
                break
    finally:
        with _lock:
            _busy.discard(worker)
    reusable = bool(message is not None and message[0] == "result" and message[-1] and not _stopping.is_set())
    if reusable:
        worker.documents += 1
        with _lock:
            _idle.append(worker)
    else:
        _end(worker, kill=message is None)
    if _stopping.is_set():
        raise Interrupted(source_file)
    seconds = time.monotonic() - started
    if message is not None and message[0] == "result":
        return IsolatedOutcome(message[1], "", seconds, max(peak, message[2])), reused
    if message is not None:
        (limit, detail), peak = message[1], max(peak, message[2])
    elif not limit:
        limit, detail = "worker_crashed", _describe_exit(worker.proc.exitcode)
    result = quarantined_result(path, source_file, source_url, limit_reason(limit, limits, detail))
    return IsolatedOutcome(PackedResult.of(result), limit, seconds, peak), reused
