"""Cheap looks at a file before the extractor parses it: how many pages, and whether a stream is a bomb.

Both run inside the document's limited child process (flows/isolation.py), before
`process_document_safely`, and never parse page content:

- `count_pages`: pdfium reads the page tree only (~1 ms for 5,000 pages).
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
