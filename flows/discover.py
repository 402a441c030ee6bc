"""Which files a run ingests: every PDF under the source folder, in a stable order."""

from __future__ import annotations

from pathlib import Path


def discover_pdfs(source: Path) -> list[Path]:
    """Every *.pdf (any case) under source; a single file is accepted too."""
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
