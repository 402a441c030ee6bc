"""What the extractor sees on one page, as text: for `opendisclosure debug-page`.

It reads the whole document (titles and continuations depend on the pages before),
then shows for the page: its text lines with the titles found, every grid with the
strategy that found it (ruled lines / word alignment) and its column map, the
finder's decisions, and the number accounting of each table printed there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber

from extract.accounting import unmatched
from extract.document import extract_document
from extract.grid import Grid, page_grids
from extract.headers import header_row_count, read_columns
from extract.pdfium_geometry import PdfiumGeometry, geometry_source
from extract.tables import page_lines
from extract.text_grid import text_grids
from extract.titles import match_title
from schemas.table_specs import load_specs


def _geometry(path: Path, page: Any, page_number: int) -> str:
    """Give the page pdfium's objects as extract_document does; say which source it shows."""
    if geometry_source() != "pdfium":
        return "geometry from pdfminer: OPENDISCLOSURE_GEOMETRY=pdfminer"
    geometry = PdfiumGeometry(path)
    try:
        if geometry.attach(page, page_number - 1):
            return "geometry from pdfium"
        return f"geometry from pdfminer: {next(iter(geometry.parsed))}"
    finally:
        geometry.close()


def describe_page(path: Path, page_number: int) -> str:
    doc = extract_document(path)
    specs = load_specs(doc.spec_set or "final_account_tables")
    out: list[str] = []
    with pdfplumber.open(path) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            return f"{path} has {len(pdf.pages)} pages; page {page_number} does not exist"
        page = pdf.pages[page_number - 1]
        source = _geometry(path, page, page_number)  # the objects the pipeline read, from the same source
        out.append(f"page {page_number}: {page.width:.0f}x{page.height:.0f}, {len(page.chars)} chars, "
                   f"{len(page.lines)} lines, {len(page.rects)} rects ({source}); document read as "
                   f"{doc.identity.doc_kind} ({doc.spec_set or 'no table set'})")
        title_spec = None
        for line in page_lines(page):
            spec = match_title(line.text, specs)
            mark = f"  ← title of table {spec.code}" if spec else ""
            title_spec = spec or title_spec
            out.append(f"  y={line.top:6.1f}  {line.text}{mark}")
        grids: list[Grid] = page_grids(page, page_number)
        if not grids:
            grids = text_grids(page, page_number, 0.0, float(page.height))
            for grid in grids:
                grid.strategy = "text"
        for grid in grids:
            header = header_row_count(grid)
            out.append(f"grid y={grid.top:.0f}–{grid.bottom:.0f} ({grid.strategy}): {grid.n_rows} rows × "
                       f"{grid.n_cols} cols, {header} header rows")
            for r, row in enumerate(grid.text[: min(grid.n_rows, 12)]):
                out.append(f"  r{r}: " + " | ".join(row))
            if title_spec:
                columns = read_columns(grid, title_spec, header)
                for g, group in enumerate(columns.groups):
                    out.append(f"  group {g}: labels {group.label_cols} codes {group.code_cols} "
                               f"measures {[(m.col, m.measure) for m in group.measures]}")
                for col, path_ in columns.unknown:
                    out.append(f"  unknown column {col}: {path_!r}")
    prefix = f"p{page_number}:"
    out += ["decisions:"] + [f"  {e}" for e in doc.events if e.startswith(prefix)]
    for table in doc.tables:
        printed = [n for n in table.printed if n.page == page_number]
        read = [c.value for c in table.cells if c.page == page_number]
        if not printed and not read:
            continue
        missed, extra = unmatched(printed, read)
        out.append(f"accounting {table.table_code} ({table.strategy or 'no grid'}): {len(printed)} amounts printed, "
                   f"{len(printed) - len(missed)} read" + (f"; not read: {', '.join(m.text for m in missed[:12])}"
                                                             if missed else "")
                   + (f"; read but not printed: {', '.join(str(v) for v in extra[:12])}" if extra else ""))
    return "\n".join(out)
