"""Cheap looks at a file before the extractor parses it: pages, objects per page, whether a stream is a bomb.

Both run inside the document's limited child process (flows/isolation.py), before
`process_document_safely`, and never parse page content:

- `count_pages`: pdfium reads the page tree only (~1 ms for 5,000 pages).
- `busiest_page`: pdfium counts the objects of each page (a page of 200,000 rectangles would
  take pdfplumber minutes and GiBs; pdfium counts them in a fraction of a second).
- `inflates_beyond`: every Flate stream of the file is inflated *counting* bytes, never keeping
  them, and stops at `bound`. A raw scan for `stream` keywords, no object parsing, so a hostile
  `/Length` or object graph cannot make it loop; linear in the file size (real booklets: a few ms
  to ~0.1 s). A 1 MB stream that inflates to 1 GiB is caught after `bound` bytes, before pdfium or
  pdfminer try to hold it whole. Nested filters and encrypted streams are not looked into; the
  address-space cap of the child is the backstop for those.
"""

from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extract.pdfium_pages import PdfiumPages

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IN_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20


def count_pages(path: Path) -> int | None:
    """Pages per pdfium; None when pdfium cannot open the file (the extractor then says why)."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except Exception:  # not a PDF, encrypted, damaged: process_document_safely gives the precise reason
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _inflated_size(data: bytes | mmap.mmap, start: int, bound: int) -> int:
    """Bytes the zlib stream at `start` inflates to, counting stops just past `bound`; 0 if not zlib."""
    inflater = zlib.decompressobj()
    total, pos = 0, start
    pending = data[pos : pos + _IN_CHUNK]
    pos += _IN_CHUNK
    try:
        while True:
            total += len(inflater.decompress(pending, _OUT_CHUNK))
            if total > bound or inflater.eof:
                return total
            pending = inflater.unconsumed_tail
            if not pending:
                if pos >= len(data):
                    return total
                pending = data[pos : pos + _IN_CHUNK]
                pos += _IN_CHUNK
    except zlib.error:
        return total


def inflates_beyond(path: Path, bound: int) -> int | None:
    """The byte offset of the first stream inflating to more than `bound` bytes, or None."""
    with path.open("rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return None
        with data:
            for match in _STREAM.finditer(data):
                if _inflated_size(data, match.end(), bound) > bound:
                    return match.end()
    return None


def busiest_page(path: Path, bound: int, pages: PdfiumPages | None = None) -> tuple[int, int] | None:
    """(1-based page, objects) of the first page holding more than `bound` page objects, or None.

    pdfium loads each page (its content parsed in C: ~2 ms a real page, 0.4 s for 200,000
    rectangles) and counts its objects, those inside form XObjects included; pdfplumber would
    spend minutes and GiBs turning each into a Python dict. Counting stops at `bound`.
    With `pages` (the file open for the extractor) the loaded pages are kept for its text and
    geometry passes instead of being loaded again.
    """
    import pypdfium2

    from extract.pdfium_pages import PdfiumPages

    own = pages is None
    if pages is None:
        try:
            pages = PdfiumPages(path)
        except Exception:  # the extractor says why
            return None
    try:
        for index in range(len(pages)):
            try:
                page = pages.page(index)
            except pypdfium2.PdfiumError:  # a page pdfium cannot load: the extractor says why
                continue
            try:
                total = _objects(page, bound)
            finally:
                pages.release(index)
            if total > bound:
                pages.done(index)  # never given to the extractor
                return index + 1, total
    finally:
        if own:
            pages.close()
    return None


def _objects(page: Any, bound: int) -> int:
    """The page's objects, those inside form XObjects included; counting stops past `bound`."""
    import pypdfium2.raw as pdfium_c

    total = pdfium_c.FPDFPage_CountObjects(page.raw)
    if total > bound:
        return total
    total, todo = 0, [pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(total)]
    while todo and total <= bound:
        obj = todo.pop()
        total += 1
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = min(pdfium_c.FPDFFormObj_CountObjects(obj), bound + 1)
            todo += [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(max(inner, 0))]
    return total
