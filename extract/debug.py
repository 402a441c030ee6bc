"""What the extractor sees on one page, as text: for `opendisclosure debug-page`."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from extract.grid import page_grids
from extract.headers import header_row_count, read_columns
from extract.tables import page_lines
from extract.titles import match_title
from schemas.table_specs import load_specs


def describe_page(path: Path, page_number: int) -> str:
    specs = load_specs()
    out: list[str] = []
    with pdfplumber.open(path) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            return f"{path} has {len(pdf.pages)} pages; page {page_number} does not exist"
        page = pdf.pages[page_number - 1]
        out.append(f"page {page_number}: {page.width:.0f}x{page.height:.0f}, {len(page.chars)} chars, "
                   f"{len(page.lines)} lines, {len(page.rects)} rects")
        title_spec = None
        for line in page_lines(page):
            spec = match_title(line.text, specs)
            mark = f"  ← title of table {spec.code}" if spec else ""
            title_spec = spec or title_spec
            out.append(f"  y={line.top:6.1f}  {line.text}{mark}")
        for grid in page_grids(page, page_number):
            header = header_row_count(grid)
            out.append(f"grid y={grid.top:.0f}–{grid.bottom:.0f}: {grid.n_rows} rows × {grid.n_cols} cols, "
                       f"{header} header rows")
            for r, row in enumerate(grid.text[: min(grid.n_rows, 12)]):
                out.append(f"  r{r}: " + " | ".join(row))
            if title_spec:
                columns = read_columns(grid, title_spec, header)
                for g, group in enumerate(columns.groups):
                    out.append(f"  group {g}: labels {group.label_cols} codes {group.code_cols} "
                               f"measures {[(m.col, m.measure) for m in group.measures]}")
                for col, path_ in columns.unknown:
                    out.append(f"  unknown column {col}: {path_!r}")
    return "\n".join(out)
