"""What changed between two packages: documents added / removed / revised, figures that changed.

    changes = package_changes(Path("out"), content)       # the package in --out → the one being published
    changes = compare_packages(Path("old"), Path("new"))  # two published folders (`opendisclosure diff`)
    print(render_changes(changes))

Documents are matched by `doc_id` (content-addressed: the same bytes are the same document).
An old and a new document with different bytes are one document *revised* when they share the
source address, else the file name, else (department, fiscal year, kind) when exactly one
document on each side has it; the others are *added* or *removed*.

A figure is one line item keyed by (department, fiscal_year, doc_kind, table_code, subject_code
or else line_label, measure), the department by its `department_id` (the same department under
another printed name, 江苏省委办公厅 / 中共江苏省委办公厅, is the same key; a package written
before department ids falls back to the name), with its amount (`amount_yuan`, or `quantity` for counts); when a
key repeats (the same label twice in one table, two files of one disclosure) the repeats are
numbered in (file name, row) order. Keys in both packages whose amount differs are *changed*;
keys in one package only are counted as added / removed. Only the Parquet files are read
(pyarrow), the columns needed and nothing else; columns an older package lacks are empty.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import ConfigurationError
from core.records import items_of_documents
from datapackage.descriptor import DESCRIPTOR_NAME, RUN_PROPERTY, is_published_package
from datapackage.publish import DATA_DIR, PackageContent

DOC_FIELDS = ("doc_id", "sha256", "department", "fiscal_year", "doc_kind", "source_file", "source_url", "status",
              "department_id")
ITEM_FIELDS = ("doc_id", "table_code", "row_index", "subject_code", "line_label", "measure", "amount_yuan", "quantity")
KIND_ZH = {"final_account": "决算", "budget": "预算"}
#: rows of the previous package read at a time
BATCH_ROWS = 10_000

#: (department_id or name, fiscal_year, doc_kind, table_code, subject_code or line_label, measure, repeat)
FigureKey = tuple[str, int | None, str, str, str, str, int]


@dataclass(frozen=True)
class DocRef:
    doc_id: str
    sha256: str
    department: str
    fiscal_year: int | None
    doc_kind: str
    source_file: str
    source_url: str
    status: str
    department_id: str = ""

    @property
    def department_key(self) -> str:
        return self.department_id or self.department

    def describe(self) -> str:
        year = f" {self.fiscal_year}" if self.fiscal_year else ""
        kind = KIND_ZH.get(self.doc_kind, self.doc_kind)
        return f"{self.department or '（部门未识别）'}{year} {kind} — {self.source_file}"


@dataclass(frozen=True)
class FigureChange:
    key: FigureKey
    old: Decimal | None
    new: Decimal | None
    department: str = ""  # the department's printed name in the newer package (the key holds its id)

    @property
    def difference(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old


#: the line items (as mappings of ITEM_FIELDS) of the documents with the given ids, in any order
ItemsOf = Callable[[Sequence[str]], Iterable[Mapping[str, Any]]]

#: the documents whose figures share their key's first three parts (department, year, kind)
GroupKey = tuple[str, int | None, str]


@dataclass(frozen=True)
class Snapshot:
    """What a comparison needs of one package: its documents, and their line items on demand.

    The figures are compared one group of documents at a time (one department's disclosure
    of one year and kind), so a comparison holds the figures of a group or a few, never
    every line item of both packages.
    """

    documents: Sequence[DocRef]
    items_of: ItemsOf
    #: every group of documents with its rows, in the order the package can give them cheapest
    groups: Callable[[], Iterator[tuple[GroupKey, list[Mapping[str, Any]]]]]
    version: Mapping[str, str]  # created, code_version, …


def group_of(doc: DocRef) -> GroupKey:
    return (doc.department_key, doc.fiscal_year, doc.doc_kind)


@dataclass(frozen=True)
class Changes:
    current: Mapping[str, str]
    previous: Mapping[str, str] | None  # None: no package to compare with
    added: Sequence[DocRef] = ()
    removed: Sequence[DocRef] = ()
    revised: Sequence[tuple[DocRef, DocRef]] = ()
    status_changed: Sequence[tuple[DocRef, DocRef]] = ()
    figures_changed: Sequence[FigureChange] = ()
    figures_added: int = 0
    figures_removed: int = 0
    notes: Sequence[str] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.revised or self.status_changed or self.figures_changed
                    or self.figures_added or self.figures_removed)


def _doc(row: Mapping[str, Any]) -> DocRef:
    values: dict[str, Any] = {f: row.get(f) or "" for f in DOC_FIELDS}
    values["fiscal_year"] = row.get("fiscal_year")
    return DocRef(**values)


def _figures(docs: Mapping[str, DocRef], items: Iterable[Mapping[str, Any]]) -> dict[FigureKey, Decimal | None]:
    rows = []
    for item in items:
        doc = docs.get(item["doc_id"])
        if doc is None:
            continue
        # interned: a few hundred distinct labels and measures repeat over every document's rows
        line = intern(item.get("subject_code") or item.get("line_label") or "")
        amount = item.get("amount_yuan")
        amount = item.get("quantity") if amount is None else amount
        base = (doc.department_key, doc.fiscal_year, doc.doc_kind, intern(item["table_code"]), line,
                intern(item["measure"]))
        rows.append((base, (doc.source_file, doc.doc_id, item.get("row_index") or 0), amount))
    rows.sort(key=lambda r: (repr(r[0]), r[1]))
    seen: Counter[tuple[Any, ...]] = Counter()
    figures: dict[FigureKey, Decimal | None] = {}
    for base, _, amount in rows:
        seen[base] += 1
        figures[(*base, seen[base])] = amount
    return figures


def snapshot_of_content(content: PackageContent, created: str = "") -> Snapshot:
    documents = [_doc({f: getattr(d, f) for f in DOC_FIELDS}) for d in content.documents]
    of_document = items_of_documents(content.line_items)

    def items_of(doc_ids: Sequence[str]) -> Iterator[Mapping[str, Any]]:
        for doc_id in doc_ids:
            for item in of_document(doc_id):
                yield {f: getattr(item, f) for f in ITEM_FIELDS}

    def groups() -> Iterator[tuple[GroupKey, list[Mapping[str, Any]]]]:
        for group, doc_ids in _by_group(documents).items():
            yield group, list(items_of(doc_ids))

    version = {**({"created": created} if created else {}), **dict(content.run_info)}
    return Snapshot(documents, items_of, groups, version)


class _PackageItems:
    """A published package's line items, read from its Parquet file one record batch at a time.

    `groups` streams them once, in file order, handing over each group of documents as soon
    as the file has passed the group's last row (found first from the `doc_id` column
    alone). A package writes each document's rows together and its documents in order, so
    only a group or two is held at a time. `items_of` reads given documents' rows (the newer
    package of `opendisclosure diff`) from the row groups that hold them.
    """

    def __init__(self, path: Path, documents: Sequence[DocRef]) -> None:
        self._group = {d.doc_id: group_of(d) for d in documents}
        self._row_groups: dict[str, list[int]] | None = None  # doc_id → the row groups holding its rows
        self._decoded: dict[int, list[dict[str, Any]]] = {}
        self._file = pq.ParquetFile(path)

    def _batches(self, wanted: Sequence[str]) -> Iterator[pa.RecordBatch]:
        return self._file.iter_batches(batch_size=BATCH_ROWS, columns=_present(self._file, wanted))

    def _last_rows(self) -> dict[GroupKey, int]:
        last: dict[GroupKey, int] = {}
        row = 0
        for batch in self._batches(["doc_id"]):
            for doc_id in batch.column(0).to_pylist():
                group = self._group.get(doc_id)
                if group is not None:
                    last[group] = row
                row += 1
        return last

    def groups(self) -> Iterator[tuple[GroupKey, list[Mapping[str, Any]]]]:
        last = self._last_rows()
        open_rows: dict[GroupKey, list[Mapping[str, Any]]] = {}
        row = 0
        for batch in self._batches(ITEM_FIELDS):
            for item in batch.to_pylist():
                group = self._group.get(item["doc_id"])
                if group is not None:
                    open_rows.setdefault(group, []).append(item)
                    if last[group] == row:
                        yield group, open_rows.pop(group)
                row += 1
        yield from open_rows.items()  # none: every group ends at its last row

    def items_of(self, doc_ids: Sequence[str]) -> Iterator[Mapping[str, Any]]:
        """The rows of these documents, from the row groups that hold them (the last two decoded are kept)."""
        if self._row_groups is None:
            self._row_groups = {}
            for index in range(self._file.num_row_groups):
                for doc_id in set(self._file.read_row_group(index, columns=["doc_id"]).column(0).to_pylist()):
                    self._row_groups.setdefault(doc_id, []).append(index)
        wanted = set(doc_ids)
        for index in sorted({i for doc_id in wanted for i in self._row_groups.get(doc_id, [])}):
            yield from (item for item in self._row_group(index) if item["doc_id"] in wanted)

    def _row_group(self, index: int) -> list[dict[str, Any]]:
        if index not in self._decoded:
            columns = _present(self._file, ITEM_FIELDS)
            self._decoded[index] = self._file.read_row_group(index, columns=columns).to_pylist()
            while len(self._decoded) > 2:
                self._decoded.pop(next(iter(self._decoded)))
        return self._decoded[index]


def _present(file: pq.ParquetFile, wanted: Sequence[str]) -> list[str]:
    """The wanted columns a file has: an older package lacks some (they read as empty)."""
    return [c for c in wanted if c in file.schema_arrow.names]


def _read_rows(path: Path, wanted: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file, the columns wanted, read one record batch at a time."""
    file = pq.ParquetFile(path)
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=_present(file, wanted)):
        yield from batch.to_pylist()


def snapshot_of_package(directory: Path) -> Snapshot:
    """Read a published package's documents (its line items are read when compared); ConfigurationError
    if it is none or cannot be read."""
    directory = Path(directory)
    if not is_published_package(directory):
        raise ConfigurationError(f"{directory} holds no opendisclosure package (no {DESCRIPTOR_NAME} written by us)")
    items_path = directory / DATA_DIR / "line_items.parquet"
    try:
        descriptor = json.loads((directory / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
        documents = [_doc(r) for r in _read_rows(directory / DATA_DIR / "documents.parquet", DOC_FIELDS)]
        items = _PackageItems(items_path, documents)  # an unreadable file fails here, not mid-compare
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ConfigurationError(f"cannot read the package in {directory}: {exc}") from exc
    version = {"created": str(descriptor.get("created", "")), **descriptor.get(RUN_PROPERTY, {})}
    return Snapshot(documents, items.items_of, items.groups, version)


def _pair(old: list[DocRef], new: list[DocRef]) -> list[tuple[DocRef, DocRef]]:
    """Pair old and new documents of different bytes that are one document revised (see module doc)."""
    pairs: list[tuple[DocRef, DocRef]] = []
    keys = (
        lambda d: d.source_url or None,
        lambda d: d.source_file or None,
        lambda d: (d.department_key, d.fiscal_year, d.doc_kind) if d.department_key and d.fiscal_year else None,
    )
    for key in keys:
        old_by: dict[Any, list[DocRef]] = {}
        new_by: dict[Any, list[DocRef]] = {}
        for d in old:
            old_by.setdefault(key(d), []).append(d)
        for d in new:
            new_by.setdefault(key(d), []).append(d)
        for k, olds in old_by.items():
            news = new_by.get(k, [])
            if k is not None and len(olds) == 1 and len(news) == 1:
                pairs.append((olds[0], news[0]))
                old.remove(olds[0])
                new.remove(news[0])
    return pairs


def _by_group(documents: Sequence[DocRef]) -> dict[GroupKey, list[str]]:
    groups: dict[GroupKey, list[str]] = {}
    for d in documents:
        groups.setdefault(group_of(d), []).append(d.doc_id)
    return groups


def _compare_figures(old: Snapshot, new: Snapshot, names: Mapping[str, str]) -> tuple[list[FigureChange], int, int]:
    """(changed, added, removed) figures, one group of documents at a time (see Snapshot)."""
    changed: list[FigureChange] = []
    added = removed = 0
    new_docs = _by_group(new.documents)
    old_ids, new_ids = {d.doc_id: d for d in old.documents}, {d.doc_id: d for d in new.documents}
    seen: set[GroupKey] = set()

    def compare_group(group: GroupKey, old_rows: Iterable[Mapping[str, Any]]) -> None:
        nonlocal added, removed
        seen.add(group)
        before = _figures(old_ids, old_rows)
        after = _figures(new_ids, new.items_of(new_docs.get(group, [])))
        changed.extend(
            FigureChange(k, v, after[k], names.get(k[0], k[0])) for k, v in before.items() if k in after and v != after[k]
        )
        added += sum(k not in before for k in after)
        removed += sum(k not in after for k in before)

    for group, rows in old.groups():
        compare_group(group, rows)
    for group in new_docs:
        if group not in seen:
            compare_group(group, ())
    changed.sort(key=lambda c: (-abs(c.difference or Decimal(0)), repr(c.key)))
    return changed, added, removed


def compare(old: Snapshot | None, new: Snapshot, notes: Sequence[str] = ()) -> Changes:
    if old is None:
        return Changes(current=new.version, previous=None, notes=tuple(notes))
    old_ids = {d.doc_id: d for d in old.documents}
    new_ids = {d.doc_id: d for d in new.documents}
    gone = [d for i, d in old_ids.items() if i not in new_ids]
    came = [d for i, d in new_ids.items() if i not in old_ids]
    revised = _pair(gone, came)
    status = [(old_ids[i], d) for i, d in new_ids.items() if i in old_ids and old_ids[i].status != d.status]
    names = {d.department_key: d.department for d in [*old.documents, *new.documents] if d.department}
    changed, added, removed = _compare_figures(old, new, names)
    return Changes(
        current=new.version,
        previous=old.version,
        added=came,
        removed=gone,
        revised=revised,
        status_changed=status,
        figures_changed=changed,
        figures_added=added,
        figures_removed=removed,
        notes=tuple(notes),
    )


def package_changes(old_dir: Path, new_content: PackageContent, created: str = "") -> Changes:
    """Changes from the package in `old_dir` (if any) to `new_content`; an unreadable old one is a note."""
    new = snapshot_of_content(new_content, created)
    if not is_published_package(Path(old_dir)):
        return compare(None, new)
    try:
        old = snapshot_of_package(old_dir)
    except ConfigurationError as exc:
        return compare(None, new, notes=[f"The previous package could not be read, so nothing is compared: {exc}"])
    return compare(old, new)


def compare_packages(old_dir: Path, new_dir: Path) -> Changes:
    """Changes between two published package folders (ConfigurationError when one is not a package)."""
    return compare(snapshot_of_package(old_dir), snapshot_of_package(new_dir))
