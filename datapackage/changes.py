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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import ConfigurationError
from datapackage.descriptor import DESCRIPTOR_NAME, RUN_PROPERTY, is_published_package
from datapackage.publish import DATA_DIR, PackageContent

DOC_FIELDS = ("doc_id", "sha256", "department", "fiscal_year", "doc_kind", "source_file", "source_url", "status",
              "department_id")
ITEM_FIELDS = ("doc_id", "table_code", "row_index", "subject_code", "line_label", "measure", "amount_yuan", "quantity")
KIND_ZH = {"final_account": "决算", "budget": "预算"}
#: rows of the previous package read at a time
BATCH_ROWS = 50_000

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


@dataclass(frozen=True)
class Snapshot:
    """What a comparison needs of one package."""

    documents: Sequence[DocRef]
    figures: Mapping[FigureKey, Decimal | None]
    version: Mapping[str, str]  # created, code_version, …


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


def _figures(documents: Sequence[DocRef], items: Iterable[Mapping[str, Any]]) -> dict[FigureKey, Decimal | None]:
    docs = {d.doc_id: d for d in documents}
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
    items = ({f: getattr(i, f) for f in ITEM_FIELDS} for i in content.line_items)
    version = {**({"created": created} if created else {}), **dict(content.run_info)}
    return Snapshot(documents, _figures(documents, items), version)


def _read_rows(path: Path, wanted: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file, the columns wanted, read one record batch at a time."""
    file = pq.ParquetFile(path)
    columns = [c for c in wanted if c in file.schema_arrow.names]
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        yield from batch.to_pylist()


def snapshot_of_package(directory: Path) -> Snapshot:
    """Read a published package's documents and line items (Parquet); ConfigurationError if it is none."""
    directory = Path(directory)
    if not is_published_package(directory):
        raise ConfigurationError(f"{directory} holds no opendisclosure package (no {DESCRIPTOR_NAME} written by us)")
    try:
        descriptor = json.loads((directory / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
        documents = [_doc(r) for r in _read_rows(directory / DATA_DIR / "documents.parquet", DOC_FIELDS)]
        figures = _figures(documents, _read_rows(directory / DATA_DIR / "line_items.parquet", ITEM_FIELDS))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise ConfigurationError(f"cannot read the package in {directory}: {exc}") from exc
    version = {"created": str(descriptor.get("created", "")), **descriptor.get(RUN_PROPERTY, {})}
    return Snapshot(documents, figures, version)


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
    changed = [
        FigureChange(k, v, new.figures[k], names.get(k[0], k[0]))
        for k, v in old.figures.items()
        if k in new.figures and v != new.figures[k]
    ]
    changed.sort(key=lambda c: (-abs(c.difference or Decimal(0)), repr(c.key)))
    return Changes(
        current=new.version,
        previous=old.version,
        added=came,
        removed=gone,
        revised=revised,
        status_changed=status,
        figures_changed=changed,
        figures_added=sum(k not in old.figures for k in new.figures),
        figures_removed=sum(k not in new.figures for k in old.figures),
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
