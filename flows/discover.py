"""Which files a run ingests: every *.pdf entry under the source folder, in a stable order.

Every entry named *.pdf (any case) gets a `documents` row, including those that cannot be read:
a dangling symbolic link, a FIFO, a socket or a device is `not_a_regular_file`; a file we may not
open is `unreadable_file`. Discovery only calls `stat` and, for regular files, opens and closes
them: it never opens a FIFO (that would block until a writer comes). Symbolic links to folders are
not followed (no loops); a link to a regular file is read like the file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from core.records import QuarantineReason


@dataclass(frozen=True)
class SourceEntry:
    """One *.pdf entry: its path and, when it cannot be read, why (then it is never opened)."""

    path: Path
    problem: QuarantineReason | None = None


def _can_open(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    os.close(fd)
    return True


def classify(path: Path) -> QuarantineReason | None:
    """None for a readable regular file (or a link to one), else the typed reason."""
    try:
        info = os.stat(path)  # follows a symbolic link
    except FileNotFoundError:
        target = os.readlink(path) if os.path.islink(path) else "?"
        return QuarantineReason(
            "not_a_regular_file", f"a symbolic link to {target!s}, which does not exist; fix or remove the link"
        )
    except OSError as exc:
        return QuarantineReason("unreadable_file", f"cannot look at the file ({exc.strerror}); check its permissions")
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode)
            else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device" if stat.S_ISBLK(info.st_mode) or stat.S_ISCHR(info.st_mode)
            else "not a regular file"
        )
        return QuarantineReason("not_a_regular_file", f"{kind}, not a PDF file; it was not opened")
    if not _can_open(path):
        return QuarantineReason("unreadable_file", "the file cannot be opened for reading; check its permissions")
    return None


def discover_sources(source: Path) -> list[SourceEntry]:
    """Every *.pdf entry under `source` (recursively; a single file is accepted too), sorted by path."""
    if not source.is_dir():
        return [SourceEntry(source, classify(source))]
    entries: list[SourceEntry] = []
    for folder, dirs, files in os.walk(source, followlinks=False):
        dirs.sort()
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            if path.suffix.lower() == ".pdf":
                entries.append(SourceEntry(path, classify(path)))
    return sorted(entries, key=lambda e: e.path)


def discover_pdfs(source: Path) -> list[Path]:
    """The readable PDF files only (what the benchmark reads)."""
    return [e.path for e in discover_sources(source) if e.problem is None]
