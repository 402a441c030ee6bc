"""The package's workbook, made in another process while this one writes and validates the package.

    workbook = start_workbook(content, previous=out / WORKBOOK_NAME)   # LateBytes (or bytes, see below)
    ...                                    # the report, the changelog, the resource files, validation
    workbook.result()                      # the .xlsx bytes; publish_package asks last

Why: a run's last steps — the workbook (≈5 s for 300 documents: xlsxwriter writes cell by cell)
and the resource files with their validation (≈4 s) — ran one after the other under this process's
one GIL while the machine's second core had nothing to do (measured on a warm 300-document run,
where they are most of the run after Prefect's start-up). Made in a child, the two overlap.

The child is a forkserver child, the same warm forkserver the documents' children come from
(flows/isolation.py): not a fork of this process and its threads, and not a copy of its memory.
It gets the content with its line items by reference (normalize/spool.SpooledItems: the spool's
folder and records) and reads them from the spool's files; only the finished bytes come back.
Whatever goes wrong in the child (a crash, a signal, an error), the workbook is made here, as
before: a package is never published without it, and it is the same workbook either way.

Content whose line items are not a spool's view (a list in memory: tests, small callers) is
made here at once: pickling every line item to a child would cost what it saves.

And when the workbook `previous` (the published package's) was made from exactly these inputs —
the same content, line items, run_info and layout code (datapackage/workbook_inputs.py) — it is
that workbook, so its bytes are taken and nothing is made: a `--force` run over unchanged files
no longer pays ≈4 s of CPU for a file it already has (run_info holds every input's hash, so new
bytes, or nightly's new crawl, always make a new one).
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import signal
import sys
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

from datapackage.publish import PackageContent
from datapackage.workbook import workbook_bytes
from datapackage.workbook_inputs import inputs_key, made_from
from flows import isolation
from normalize.spool import SpooledItems, by_reference

#: seconds between checks that the child is still alive while waiting for its bytes
POLL_S = 0.5


_log = logging.getLogger(__name__)


def start_workbook(content: PackageContent, previous: Path | None = None) -> BackgroundWorkbook | bytes:
    """The workbook of `content`: `previous`'s bytes when it was made from the same inputs, else
    started in a child when the line items are spooled, else made now."""
    reference = by_reference(content.line_items)
    # the items go by reference: the child reads them from the spool's files, the key hashes those
    portable = replace(content, line_items=[] if reference else content.line_items, attachments={})
    try:
        payload = pickle.dumps(portable, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - content that does not pickle has no key and no child
        return workbook_bytes(content)
    if reference is None:
        key = inputs_key(payload)
    else:
        key = inputs_key(payload + pickle.dumps((reference.entries, reference.start, reference.stop)),
                         reference.files())
    kept = _same_workbook(previous, key)
    if kept is not None:
        return kept
    if reference is None:
        return workbook_bytes(content, key)
    return BackgroundWorkbook(content, reference, payload, key)


def _same_workbook(previous: Path | None, key: str) -> bytes | None:
    """`previous`'s bytes when it was made from `key`'s inputs (checked on the bytes read: the
    package may be swapped meanwhile); None otherwise."""
    if previous is None or made_from(previous) != key:
        return None
    try:
        data = previous.read_bytes()
    except OSError:
        return None
    if made_from(data) != key:
        return None
    _log.info("workbook: made from the same inputs as %s, kept as it is", previous)
    return data


class BackgroundWorkbook:
    """A workbook being made in a forkserver child; `result()` waits for it (LateBytes)."""

    def __init__(self, content: PackageContent, reference: SpooledItems, payload: bytes, key: str) -> None:
        self._content = content
        self._key = key
        self._bytes: bytes | None = None
        self.fallback_reason = ""  # why the workbook was made here after all ("" if it was not)
        context = isolation._context()
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(target=_make_in_child, args=(writer, payload, reference, key), daemon=True)
        try:
            self._process.start()
        except Exception as exc:  # noqa: BLE001 - no child, no overlap: made here at result()
            self.fallback_reason = f"the child did not start: {type(exc).__name__}: {exc}"
            self._process = None
        writer.close()
        # a run that fails before publishing never asks: its child must not outlive it
        if self._process is not None:
            weakref.finalize(self, _stop, self._process)

    def result(self) -> bytes:
        if self._bytes is None:
            self._bytes = self._from_child() or workbook_bytes(self._content, self._key)
        return self._bytes

    def _from_child(self) -> bytes | None:
        process, self._process = self._process, None
        if process is None:
            return None
        try:
            while not self._reader.poll(POLL_S):
                if not process.is_alive():
                    break
            if self._reader.poll(0):
                data: bytes = self._reader.recv_bytes()
                process.join()
                if process.exitcode == 0 and data[:2] == b"PK":
                    return data
            process.join()
            self.fallback_reason = f"the child ended with status {process.exitcode} and no workbook"
        except (EOFError, OSError) as exc:
            self.fallback_reason = f"the child's pipe broke: {exc}"
        finally:
            _stop(process)
            self._reader.close()
        print(f"workbook: {self.fallback_reason}; made in this process instead", file=sys.stderr)
        return None

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (a cache, a process pool): the plain bytes
        return (bytes, (self.result(),))


def _stop(process: Any) -> None:
    with contextlib.suppress(Exception):
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def _make_in_child(writer: Any, payload: bytes, reference: SpooledItems, key: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches the whole group
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    isolation._die_with_parent()
    portable: PackageContent = pickle.loads(payload)  # noqa: S301 - pickled by our parent just now
    writer.send_bytes(workbook_bytes(replace(portable, line_items=reference.view()), key))
    writer.close()
