"""A DocumentResult as pickled bytes, with the little a run reads before (or instead of) the rest.

    packed = PackedResult.of(result)     # in the document's child: pickled once
    packed.document, packed.item_count   # what deduplication and the documents resource read
    packed.unpack()                      # the DocumentResult again, where its rows are needed

Why: a document's result crosses three boundaries on its way to the package: the child's pipe,
Prefect's result store (written on a cold run, read twice on a warm one: its cache check and its
read each unpickle the record) and the run's spool. As a plain object it was pickled or unpickled
at each of them, five times in the run's own process, under its one GIL, while the children
wanted the CPU. Packed, it is pickled once in the child; everything after moves bytes, and only
a published document's result is ever unpickled by the run (a province's copies, duplicates and
quarantines never are).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from core.records import DocumentRecord
from normalize.documents import DocumentResult


@dataclass(frozen=True, eq=False)
class PackedResult:
    """One document's result: its record and line-item count in the open, the rest pickled."""

    document: DocumentRecord
    item_count: int
    payload: bytes  # pickle of the whole DocumentResult (our own bytes: never from outside)

    @classmethod
    def of(cls, result: DocumentResult | PackedResult) -> PackedResult:
        if isinstance(result, PackedResult):
            return result
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(result.document, len(result.line_items), payload)

    def unpack(self) -> DocumentResult:
        result: DocumentResult = pickle.loads(self.payload)  # noqa: S301 - pickled by PackedResult.of
        return result

    def __repr__(self) -> str:
        return f"PackedResult({self.document.source_file!r}, {self.item_count} line items, {len(self.payload)} bytes)"
