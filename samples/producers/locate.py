"""Find, after rendering, the physical page each table and each body row landed on.

Why: LibreOffice and Chromium paginate themselves, so the ground truth's `page`
cannot be known before the PDF exists. This reads the render — pdfplumber's text
per page — and nothing of our extractor: a table starts on the first page (after
the previous table's start) that has its title as a line of its own, and its body
rows are found in print order by their first printed key (code, else the start of
the label), each searched from where the previous row was found. Rows print in
order, so a forward-only cursor over the pages cannot place a row before the one
above it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from samples.grid import Cell, TableSheet
from samples.producers.logical import RADICAL_EQUIVALENTS
from samples.render import PlacedTruth, TableRecord

_WS = re.compile(r"\s+")
_QUOTES = re.compile("[\"'“”‘’]")  # a title's quotes may print in another font, off the line
KEY_LENGTH = 6  # label prefix used as a row key: short enough to sit on a wrapped label's first line


class LocateError(RuntimeError):
    """The rendered PDF does not show a table or row where the locating step expects it."""


_UNRADICAL = str.maketrans(RADICAL_EQUIVALENTS)


def squash(text: str) -> str:
    """No whitespace, radical look-alikes folded: a font that shares one glyph between 八 and ⼋
    (Chromium's Type 3 Noto) prints ⼋ whether or not we asked for it, so both sides are folded."""
    text = text.translate(_UNRADICAL)
    return _WS.sub("", "".join(unicodedata.normalize("NFKC", c) if "\u2e80" <= c <= "\u2fdf" else c for c in text))


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as pdfplumber reads it (lines kept)."""
    with pdfplumber.open(pdf) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def row_key(sheet: TableSheet, row: tuple[Cell, ...]) -> str:
    """What to search for a row: its printed code (split parts joined), else its label's start."""
    code = ""
    for cell in sorted(row, key=lambda c: c.col):  # the first printed code (06: of the first list)
        if sheet.columns[cell.col].role.startswith("code") and cell.text:
            code += cell.text
        elif code:
            break
    if code:
        return squash(code)
    for cell in row:
        if sheet.columns[cell.col].role == "label" and cell.text:
            return squash(cell.text)[:KEY_LENGTH]
    return ""


@dataclass
class Located:
    """Pages of each table and each truth, as read off the PDF."""

    tables: list[TableRecord] = field(default_factory=list)
    truths: list[PlacedTruth] = field(default_factory=list)


def _title_page(lines: list[list[str]], title: str, start: int, pdf: Path) -> int:
    key = _QUOTES.sub("", squash(title))
    for p in range(start, len(lines)):
        if key in lines[p]:
            return p
    raise LocateError(f"{pdf.name}: title {title!r} not found on pages {start + 1}…{len(lines)}")


def locate(pdf: Path, sheets: tuple[TableSheet, ...], end_marker: str, repeat_header: bool) -> Located:
    """Place every table and truth of `sheets` on the pages of `pdf` (1-based pages)."""
    texts = page_texts(pdf)
    lines = [[_QUOTES.sub("", squash(line)) for line in t.splitlines()] for t in texts]
    flat = [squash(t) for t in texts]
    starts: list[int] = []
    for sheet in sheets:
        starts.append(_title_page(lines, sheet.title, starts[-1] + 1 if starts else 0, pdf))
    end = next((p for p in range(starts[-1], len(texts)) if squash(end_marker) in flat[p]), len(texts))
    out = Located()
    for k, sheet in enumerate(sheets):
        last = (starts[k + 1] if k + 1 < len(sheets) else end) - 1
        page, pos = starts[k], 0
        for row in sheet.body:
            key = row_key(sheet, row)
            truths = [c.truth for c in row if c.truth]
            if not key:
                if truths:
                    raise LocateError(f"{pdf.name}: table {sheet.code} has a figure row with no key")
                continue
            while (hit := flat[page].find(key, pos)) < 0:
                page, pos = page + 1, 0
                if page > last:
                    raise LocateError(f"{pdf.name}: table {sheet.code} row {key!r} not found")
            pos = hit + len(key)
            out.truths += [PlacedTruth(sheet.code, page + 1, t) for t in truths]
        pages = list(range(starts[k] + 1, last + 2))
        out.tables.append(TableRecord(sheet.code, sheet.title, pages, repeat_header and len(pages) > 1))
    return out
