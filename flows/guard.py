"""A run never publishes less by accident.

A cron job or `nightly` with a wrong `--source` / `--store` would otherwise replace a good package
with an empty or a much smaller one and exit 0. Before anything is extracted:

- a source with no readable PDF is refused, unless `allow_empty`;
- a source with fewer than half as many entries as the package it would replace has documents
  (`SHRINK_RATIO`, read from the previous package's `documents` row count) is refused, unless
  `allow_shrink`. Half: a department's folder losing a year or a portal dropping a few files
  passes; a wrong or half-mounted folder does not.

A refusal raises `SourceRefused` (the CLI exits with status 3); the previous package is untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.errors import OpenDisclosureError

SHRINK_RATIO = 0.5
EXIT_REFUSED = 3


class SourceRefused(OpenDisclosureError):
    """The run would publish (far) less than the package in --out; nothing was published."""


def previous_document_count(out: Path) -> int | None:
    """Rows of the `documents` resource of the package in `out`; None when there is none."""
    try:
        descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for res in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
        if isinstance(res, dict) and res.get("name") == "documents":
            rows = res.get("opendisclosure:rowCount")
            return rows if isinstance(rows, int) else None
    return None


def check_source(
    entries: int, readable: int, out: Path, what: str, *, allow_empty: bool = False, allow_shrink: bool = False
) -> None:
    """Refuse an empty or shrinking source; `what` names it in the message (e.g. "--source ~/pdfs")."""
    if readable == 0 and not allow_empty:
        raise SourceRefused(
            f"{what} holds no readable PDF file ({entries} *.pdf entries), so nothing was published and"
            f" {out} was left unchanged. Check the path; pass --allow-empty to publish an empty package."
        )
    previous = previous_document_count(out)
    if previous and entries < previous * SHRINK_RATIO and not allow_shrink:
        raise SourceRefused(
            f"{what} holds {entries} PDF files but the package in {out} has {previous} documents"
            f" (fewer than {SHRINK_RATIO:.0%} would remain), so nothing was published and {out} was left"
            " unchanged. Check the path; pass --allow-shrink to publish the smaller package."
        )
