"""Where a table printed without values carries its 空表说明, and reading it there.

The note's wordings are data (schemas/data/empty_table_notes.toml); this module knows
where on the page it may be printed:

- a line under the table's grid: `注：本部门无相关收支项目`, `说明：…`, `（无政府性基金支出）`
  (`notes_under`, up to the next title on the page);
- the first lines of the next page when the grid ends at a page's foot (`notes_atop`);
- inside the grid: a merged row or a stamp in a cell (`此表为空`, `grid_note`).

The finder (extract/tables.py) collects the lines into `OpenTable.notes`; the note
recorded (`RawTable.empty_note`) is the first of them in an empty-note wording, else
the grid's own stamp.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.table_parts import PageLine, Part
from schemas.empty_notes import empty_note_form

#: lines under a table that are its notes whatever they say (`注`, `说明`, a numbered second note)
_NOTE_START = ("注", "2.", "2．", "说明")
_PAGE_NUMBER = re.compile(r"^[—\-–─\s\d第页/共]*$")


def is_note_line(text: str) -> bool:
    return text.startswith(_NOTE_START) or bool(empty_note_form(text))


def notes_under(lines: Iterable[PageLine], bottom: float, until: float = float("inf")) -> list[str]:
    """The note lines between a grid's bottom and `until` (the next title or grid on the page)."""
    return [ln.text for ln in lines if bottom - 1 <= ln.top < until and is_note_line(ln.text)]


def notes_atop(lines: Iterable[PageLine], until: float = float("inf")) -> list[str]:
    """The empty-table notes a page starts with (above `until`), page numbers skipped.

    Only lines in an empty-note wording, and only until the first other line: the page's
    own prose or headings are not the previous table's note.
    """
    found: list[str] = []
    for ln in sorted(lines, key=lambda ln: ln.top):
        if ln.top >= until:
            break
        if _PAGE_NUMBER.match(ln.text):
            continue
        if not empty_note_form(ln.text):
            break
        found.append(ln.text)
    return found


def grid_note(parts: Iterable[Part]) -> str:
    """The first cell of the table's grids worded as an empty-table note (a stamp or a merged row)."""
    for part in parts:
        for row in part.grid.text:
            for text in row:
                if text and empty_note_form(text):
                    return text
    return ""


def empty_note(notes: Iterable[str], parts: Iterable[Part]) -> str:
    """The 空表说明 recorded for a table: its first note in an empty-note wording, else the grid's stamp."""
    return next((n for n in notes if empty_note_form(n)), "") or grid_note(parts)
