"""The files one run ingests, as the flow and the pre-flight checks see them (no Prefect here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.records import QuarantineReason
from flows.discover import SourceEntry, discover_sources
from flows.names import publishable_name


@dataclass(frozen=True)
class DocumentInput:
    """One file to ingest: where it is, its name in the package, and where it came from.

    `problem` set: the entry is not a readable regular file (flows/discover.py); it is recorded
    as quarantined with that reason and never opened.
    """

    path: Path
    source_file: str
    source_url: str = ""
    problem: QuarantineReason | None = None


def inputs_from(source: Path, entries: list[SourceEntry] | None = None) -> list[DocumentInput]:
    """Every *.pdf entry under `source`, named in the package by its path relative to `source`.

    `entries`: `discover_sources(source)` when the caller has it already (the folder is walked once)."""
    base = source if source.is_dir() else source.parent
    return [
        DocumentInput(e.path, publishable_name(e.path.relative_to(base).as_posix()), "", e.problem)
        for e in (discover_sources(source) if entries is None else entries)
    ]


def largest_first(inputs: dict[int, DocumentInput]) -> list[int]:
    """The keys of `inputs`, their files largest first (ties in key order): the order documents are
    submitted in.

    Why: the pool's last minutes are its longest documents. Submitted in folder order, a 100-page
    booklet that comes last runs alone on one core while the other idles; submitted first, the
    short ones fill in around it (longest-processing-time-first scheduling, with bytes standing in
    for the time, which is known only after). The results are gathered by input index, so the
    package does not depend on this order. A file that cannot be sized goes last (its task then
    reports why it cannot be read).
    """

    def size(index: int) -> int:
        try:
            return inputs[index].path.stat().st_size
        except OSError:
            return -1

    return sorted(inputs, key=lambda index: (-size(index), index))
