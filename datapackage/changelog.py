"""`Changes` as Markdown: one entry of the package's CHANGELOG.md, and what `opendisclosure diff` prints.

    entry = render_changes(changes)                         # "## <created> · code <version>" …
    text = changelog_text(changes, previous_changelog)       # the new entry above the older ones

The CHANGELOG keeps the newest `MAX_ENTRIES` entries; each entry lists at most `limit` changed
figures, largest difference first (the count is always complete).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from datapackage.changes import Changes, DocRef, FigureChange

CHANGELOG_NAME = "CHANGELOG.md"
CHANGELOG_TITLE = "# CHANGELOG"
MAX_ENTRIES = 50
FIGURE_LIMIT = 200


def _version(version: Mapping[str, str]) -> str:
    created = version.get("created") or "(time not recorded)"
    code = version.get("code_version")
    return f"{created}" + (f" · code {code}" if code else "")


def _doc(d: DocRef) -> str:
    return f"{d.describe()} (`{d.doc_id}`, sha256 `{d.sha256[:12]}…`)"


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _figure(c: FigureChange) -> str:
    key, year, kind, table, line, measure, repeat = c.key
    department = c.department or key
    again = f" (#{repeat})" if repeat > 1 else ""
    cells = [department, str(year or ""), kind, table, f"{line}{again}", measure,
             _amount(c.old), _amount(c.new), _amount(c.difference)]
    return "| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |"


def render_changes(changes: Changes, limit: int = FIGURE_LIMIT) -> str:
    """One Markdown entry; `limit` changed figures at most are listed (0: all)."""
    lines = [f"## {_version(changes.current)}", ""]
    lines += [f"_{note}_" for note in changes.notes] + ([""] if changes.notes else [])
    if changes.previous is None:
        lines += ["First package in this folder: there is no previous package to compare with.", ""]
        return "\n".join(lines)
    lines += [
        f"Compared with the previous package: {_version(changes.previous)}.",
        "",
        f"- Documents: {len(changes.added)} added, {len(changes.removed)} removed, {len(changes.revised)} revised,"
        f" {len(changes.status_changed)} with a new status",
        f"- Figures (line items): {len(changes.figures_changed)} changed, {changes.figures_added} added,"
        f" {changes.figures_removed} removed",
        "",
    ]
    if changes.empty:
        lines += ["No document and no figure changed.", ""]
    sections = [
        ("Documents added", [f"- {_doc(d)}" for d in changes.added]),
        ("Documents removed", [f"- {_doc(d)}" for d in changes.removed]),
        ("Documents revised (same address, file name or department/year/kind; new bytes)",
         [f"- {o.describe()}: `{o.doc_id}` (sha256 `{o.sha256[:12]}…`) → `{n.doc_id}` (sha256 `{n.sha256[:12]}…`)"
          + (f", file now {n.source_file}" if n.source_file != o.source_file else "") for o, n in changes.revised]),
        ("Documents with a new status", [f"- {_doc(n)}: {o.status} → {n.status}" for o, n in changes.status_changed]),
    ]
    for title, entries in sections:
        if entries:
            lines += [f"### {title}", "", *entries, ""]
    if changes.figures_changed:
        shown = changes.figures_changed if limit <= 0 else changes.figures_changed[:limit]
        lines += [
            "### Figures changed (amount in 元, counts in their unit; largest difference first)",
            "",
            "| department | fiscal_year | doc_kind | table_code | subject_code / line_label | measure | old | new"
            " | difference |",
            "|---|---|---|---|---|---|---:|---:|---:|",
            *(_figure(c) for c in shown),
            "",
        ]
        if len(shown) < len(changes.figures_changed):
            lines += [f"… and {len(changes.figures_changed) - len(shown)} more"
                      " (`opendisclosure diff OLD NEW --limit 0` lists them all).", ""]
    return "\n".join(lines)


def changelog_text(changes: Changes, previous: str | None = None, limit: int = FIGURE_LIMIT) -> str:
    """CHANGELOG.md: the new entry, then the previous CHANGELOG's entries (newest `MAX_ENTRIES` in all)."""
    older: list[str] = []
    if previous:
        body = previous.split("\n## ")
        older = ["## " + part.strip() + "\n" for part in body[1:] if part.strip()]
    entries = [render_changes(changes, limit), *older][:MAX_ENTRIES]
    header = (f"{CHANGELOG_TITLE}\n\nWhat changed in this data package from one publication to the next"
              " (newest first), made when the package was published.\n\n")
    return header + "\n".join(entries)
