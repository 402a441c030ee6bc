"""What a run reports when it ends (printed by the CLI, returned by the flows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.unchanged import PublishedState


@dataclass
class RunSummary:
    out: Path
    documents_ok: int
    documents_quarantined: int
    line_items: int
    findings: int
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    descriptor: Path | None = None
    documents_partial: int = 0
    amounts_printed: int = 0  # number accounting over every published document's standard tables
    amounts_read: int = 0
    partial: list[tuple[str, str]] = field(default_factory=list)  # (file, what was not read)
    #: set when nothing changed: the `created` time of the package in --out, which was kept
    unchanged_since: str = ""

    @property
    def coverage(self) -> float | None:
        return self.amounts_read / self.amounts_printed if self.amounts_printed else None


def unchanged_summary(out: Path, state: PublishedState) -> RunSummary:
    """The summary of a run that found the package in `out` already made from its inputs
    (the same figures `flows.run.summarize` gave when it was published)."""
    docs = state.documents
    published = [d for d in docs if d["status"] != "quarantined"]
    return RunSummary(
        out=out,
        documents_ok=sum(d["status"] == "ok" for d in docs),
        documents_quarantined=len(docs) - len(published),
        line_items=state.line_items,
        findings=state.findings,
        quarantined=[(d["source_file"], d["error"] or "") for d in docs if d["status"] == "quarantined"],
        descriptor=Path(out) / "datapackage.json",
        documents_partial=sum(d["status"] == "partial" for d in docs),
        amounts_printed=sum(d["amounts_printed"] or 0 for d in published),
        amounts_read=sum(d["amounts_read"] or 0 for d in published),
        partial=[
            (d["source_file"], f"{d['amounts_read']}/{d['amounts_printed']} amounts read; {d['error'] or ''}")
            for d in docs
            if d["status"] == "partial"
        ],
        unchanged_since=state.created,
    )
