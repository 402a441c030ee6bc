"""One pdfium document for every pass over a file, each page loaded once.

Loading a page is pdfium parsing its content stream (in C, ~1–5 ms a table page), and a
file is looked at three times before pdfplumber sees it: the limits' object count of every
page (flows/probes.py), the text of every page (triage, identity, page choice) and the
objects of the table pages (extract/pdfium_geometry.py). Each pass opening the file and
loading its pages again cost ~11% of extraction on the bench corpus. Here a page is loaded
by the first pass that needs it and kept, with its text page, for the next ones, until a
pass says it is `done` with it.

Kept pages are bounded by their object count (`keep_objects`), so a booklet of thousands of
busy pages does not hold them all: past the bound a page is closed after use and loaded
again when the next pass asks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

#: page objects kept loaded at most (the busiest real page seen has 2,717; a booklet ~30,000)
KEEP_OBJECTS = 200_000


class PdfiumPages:
    """The pages of one open pdfium document, loaded once and kept for the passes that follow."""

    def __init__(self, path: Path, keep_objects: int = KEEP_OBJECTS) -> None:
        self.path = path
        self._pdf = pdfium.PdfDocument(str(path))
        self._keep = keep_objects
        self._kept_objects = 0
        self._pages: dict[int, tuple[Any, int]] = {}  # index → (page, its object count)
        self._texts: dict[int, Any] = {}
        self.loads = 0

    def __len__(self) -> int:
        return len(self._pdf)

    def page(self, index: int) -> Any:
        """The loaded page (raises pdfium.PdfiumError when pdfium cannot load it)."""
        kept = self._pages.get(index)
        if kept is not None:
            return kept[0]
        page = self._pdf[index]
        self.loads += 1
        objects = max(int(pdfium_c.FPDFPage_CountObjects(page.raw)), 1)
        self._pages[index] = (page, objects)
        self._kept_objects += objects
        return page

    def textpage(self, index: int) -> Any:
        """The page's text page (pdfium's characters), built once."""
        text = self._texts.get(index)
        if text is None:
            text = self.page(index).get_textpage()
            self._texts[index] = text
        return text

    def kept(self) -> set[int]:
        """The indexes of the pages loaded now."""
        return set(self._pages)

    def release(self, index: int) -> None:
        """A pass is through with the page: close it if keeping it would pass the bound."""
        if self._kept_objects > self._keep:
            self.done(index)

    def done(self, index: int) -> None:
        """No later pass needs the page: close it and its text page."""
        text = self._texts.pop(index, None)
        if text is not None:
            text.close()
        kept = self._pages.pop(index, None)
        if kept is not None:
            kept[0].close()
            self._kept_objects -= kept[1]

    def close(self) -> None:
        for index in list(self._pages):
            self.done(index)
        self._pdf.close()
