"""Every document's result on disk as it arrives; in memory, only its record.

    spool = ResultSpool()
    spool.put(index, result)              # as each document's task finishes, in any order (a
                                          # DocumentResult or its PackedResult: bytes written as they are)
    results = spool.results()             # input order: SpooledResult per document
    items = LineItemView(results)         # every line item, read document by document

Why: a run used to hold every DocumentResult (≈0.26 MiB per published document, 90% line items)
from extraction until publishing, so its memory grew with the number of documents — a province's
~1,100 documents are ~300 MiB of Python objects before any is written. A SpooledResult carries
the DocumentRecord (what deduplication, the report and the documents resource read) and loads
the rest from its pickle when asked, a few at a time (a small LRU), so the checks and the
writers go over the documents one by one instead of all at once. The folder is a temporary
directory removed with the spool (or at interpreter exit).
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, overload

from core.records import DocumentRecord, LineItem
from normalize.documents import DocumentResult
from normalize.packed import PackedResult

#: results always kept unpickled, whatever their size: a disclosure group (narrative file + table
#: file) and the document a rule loop is on stay in memory; a pass over all documents reads each once
CACHED_RESULTS = 8
#: and more of them while their pickles total at most this: the rules, report, workbook and writers
#: pass over the documents ~12 times, and re-reading every pickle each time cost 1.2 s of a warm
#: 300-document run (502 reads of 44 results). Unpickled, a result takes ~3.8× its pickle (measured
#: on the bench corpus), so the cap is ~30 MiB of memory at most — the same at 40 or 40,000
#: documents, which keeps the run's memory flat in the number of documents
CACHED_PICKLE_BYTES = 8 * 2**20


#: the spools of this process whose folders are still there: a signal's os._exit skips the
#: TemporaryDirectory's cleanup, so flows/interrupt.py removes these itself (`remove_all`)
_open: weakref.WeakSet[ResultSpool] = weakref.WeakSet()


def remove_all() -> None:
    """Remove every spool folder this process still has (the signal handler's way out)."""
    for spool in list(_open):
        with contextlib.suppress(Exception):
            spool.close()


def spool_file(directory: Path, index: int) -> Path:
    """Where a spool keeps the result of input `index`."""
    return directory / f"{index:08d}.pickle"


class ResultSpool:
    """DocumentResults pickled to a temporary folder, indexed by their input position."""

    def __init__(self, directory: Path | None = None, prefix: str = "opendisclosure-spool-",
                 existing: Path | None = None) -> None:
        """A new spool in a temporary folder under `directory`; or, with `existing`, a reader of
        another process's spool folder (never removed by this one)."""
        self._tmp = None if existing else tempfile.TemporaryDirectory(prefix=prefix, dir=directory)
        self.directory = existing or Path(self._tmp.name)  # type: ignore[union-attr]
        self._records: dict[int, DocumentRecord] = {}
        self._counts: dict[int, int] = {}
        self._cache: OrderedDict[int, tuple[DocumentResult, int]] = OrderedDict()  # result, pickle size
        self._cached_bytes = 0
        self.loads = 0  # how many pickles were read (the benchmark reports it)
        if self._tmp is not None:
            _open.add(self)

    def _path(self, index: int) -> Path:
        return spool_file(self.directory, index)

    def put(self, index: int, result: DocumentResult | PackedResult) -> None:
        """Spool one result; a PackedResult's bytes are written as they are (never unpickled here)."""
        packed = PackedResult.of(result)
        self._path(index).write_bytes(packed.payload)
        self._records[index] = packed.document
        self._counts[index] = packed.item_count
        self._forget(index)

    def _forget(self, index: int) -> None:
        dropped = self._cache.pop(index, None)
        if dropped is not None:
            self._cached_bytes -= dropped[1]

    def load(self, index: int) -> DocumentResult:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached[0]
        payload = self._path(index).read_bytes()
        result: DocumentResult = pickle.loads(payload)  # noqa: S301 - our own files
        self.loads += 1
        self._cache[index] = (result, len(payload))
        self._cached_bytes += len(payload)
        while len(self._cache) > CACHED_RESULTS and self._cached_bytes > CACHED_PICKLE_BYTES:
            self._forget(next(iter(self._cache)))
        return result

    def __len__(self) -> int:
        return len(self._records)

    def results(self) -> list[SpooledResult]:
        """One SpooledResult per document put, in index (input) order."""
        return [SpooledResult(self, i, self._records[i], self._counts[i]) for i in sorted(self._records)]

    def close(self) -> None:
        self._cache.clear()
        self._cached_bytes = 0
        _open.discard(self)
        if self._tmp is not None:
            self._tmp.cleanup()


class SpooledResult(DocumentResult):
    """A DocumentResult whose record is in memory and whose other fields are read from the spool.

    A subclass, so every function that takes a DocumentResult takes it. Pickled, it is the plain
    DocumentResult it stands for.
    """

    item_count: int
    _spool: ResultSpool
    _index: int

    def __init__(self, spool: ResultSpool, index: int, document: DocumentRecord, item_count: int) -> None:
        # no dataclass __init__: the loaded fields are the class's properties below
        self.__dict__.update(document=document, _spool=spool, _index=index, item_count=item_count)

    def loaded(self) -> DocumentResult:
        return self._spool.load(self._index)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole (a cache, a process pool): the plain result
        loaded = self.loaded()
        return (DocumentResult, tuple(getattr(loaded, f.name) for f in fields(DocumentResult)))

    def __repr__(self) -> str:
        return f"SpooledResult({self.document.source_file!r}, {self.item_count} line items)"


def _loaded_field(name: str) -> property:
    return property(lambda self: getattr(self.loaded(), name), doc=f"`{name}`, read from the spool")


for _field in fields(DocumentResult):
    if _field.name != "document":
        setattr(SpooledResult, _field.name, _loaded_field(_field.name))


class ResultList(Sequence[DocumentResult]):
    """The results of a run, in input order, as a task parameter.

    Not a list: Prefect walks a task's list, tuple, dict and dataclass parameters to find futures
    in them, which would read every spooled result and every line item once more.
    """

    def __init__(self, results: Sequence[DocumentResult]) -> None:
        self._results = list(results)

    def __len__(self) -> int:
        return len(self._results)

    @overload
    def __getitem__(self, index: int) -> DocumentResult: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DocumentResult]: ...

    def __getitem__(self, index: int | slice) -> DocumentResult | Sequence[DocumentResult]:
        return self._results[index]

    def __iter__(self) -> Iterator[DocumentResult]:
        return iter(self._results)


@dataclass(frozen=True)
class SpooledItems:
    """A LineItemView by reference, for another process on this machine: the spool's folder and
    which of its results, instead of every line item pickled (flows/background_workbook.py)."""

    directory: Path
    entries: tuple[tuple[int, DocumentRecord, int], ...]  # (spool index, record, line-item count)
    start: int
    stop: int

    def files(self) -> list[Path]:
        """The spool's files these line items are read from, in order."""
        return [spool_file(self.directory, i) for i, _, _ in self.entries]

    def view(self) -> LineItemView:
        spool = ResultSpool(existing=self.directory)
        return LineItemView([SpooledResult(spool, i, record, n) for i, record, n in self.entries], self.start, self.stop)


def by_reference(items: Sequence[LineItem]) -> SpooledItems | None:
    """`items` as SpooledItems when it is a view over one spool's results; None otherwise.

    Results held in memory without line items (a duplicate or a quarantined file, recorded
    anew by `deduplicate`) add no item to the view and are left out of the reference."""
    if not isinstance(items, LineItemView):
        return None
    spooled = [r for r in items._results if isinstance(r, SpooledResult)]
    if any(not isinstance(r, SpooledResult) and r.line_items for r in items._results):
        return None  # some line items are only in this process
    spools = {id(r._spool) for r in spooled}
    if len(spools) != 1:
        return None
    entries = tuple((r._index, r.document, r.item_count) for r in spooled)
    return SpooledItems(spooled[0]._spool.directory, entries, items._start, items._stop)


def item_count(result: DocumentResult) -> int:
    """Line items of `result`, without reading a spooled one."""
    return result.item_count if isinstance(result, SpooledResult) else len(result.line_items)


class LineItemView(Sequence[LineItem]):
    """Every line item of `results` in order, read result by result when iterated.

    A Sequence (len, index, slice) so it stands where a list of line items stood; iterating it
    holds one document's items at a time. A slice is another view (the workbook's sheet chunks).
    """

    def __init__(self, results: Sequence[DocumentResult], start: int = 0, stop: int | None = None) -> None:
        self._results = results
        self._counts = [item_count(r) for r in results]
        total = sum(self._counts)
        self._start = max(0, min(start, total))
        self._stop = total if stop is None else max(self._start, min(stop, total))
        self._by_doc = {r.document.doc_id: n for n, r in enumerate(results)}

    def __len__(self) -> int:
        return self._stop - self._start

    def __iter__(self) -> Iterator[LineItem]:
        offset = 0
        for result, count in zip(self._results, self._counts, strict=True):
            low, high = max(self._start - offset, 0), min(self._stop - offset, count)
            offset += count
            if low < high:
                yield from result.line_items[low:high]
            if offset >= self._stop:
                return

    @overload
    def __getitem__(self, index: int) -> LineItem: ...

    @overload
    def __getitem__(self, index: slice) -> LineItemView: ...

    def __getitem__(self, index: int | slice) -> LineItem | LineItemView:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a LineItemView slice takes no step")
            return LineItemView(self._results, self._start + start, self._start + stop)
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return next(iter(LineItemView(self._results, self._start + position, self._start + position + 1)))

    def of_document(self, doc_id: str) -> list[LineItem]:
        """The line items of one document (all of them: a slice's bounds do not apply)."""
        n = self._by_doc.get(doc_id)
        return [] if n is None else list(self._results[n].line_items)
