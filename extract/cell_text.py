"""The text of every cell of a pdfplumber table: `Table.extract()`, without its quadratic scan.

pdfplumber's `Table.extract()` tests every character of the page against every row, then every
character of a row against every cell: 5.6 million midpoint tests over the 39 bench files, ~5%
of extraction. Here the characters are sorted once by their vertical midpoint and each row takes
its band by bisection. The rule is pdfplumber's (a character belongs to a box when its midpoint
is inside: x0 ≤ h < x1, top ≤ v < bottom) and each cell's characters keep the page's order, so
the text is the same: on all 526 tables of the corpus files, and in tests/extract/test_cell_text.py
(every table of the producer matrix and two real booklets, ruled and text-cut).

Most cells hold one line: `cell_text` reads those by pdfplumber's own rule without its word
and text-map objects (extract/plumber_words.py: 7 µs a cell instead of 21), and hands every
other cell to `utils.extract_text`.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pdfplumber import utils

from extract import plumber_words


def table_text(table: Any) -> list[list[str | None]]:
    """What `table.extract()` returns (no layout options): rows of cell texts, None where no cell."""
    chars = table.page.chars
    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=v_mid.__getitem__)
    v_sorted = [v_mid[i] for i in order]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        band = order[bisect_left(v_sorted, top) : bisect_left(v_sorted, bottom)]
        in_row = sorted(i for i in band if x0 <= h_mid[i] < x1)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside = [chars[i] for i in in_row if cx0 <= h_mid[i] < cx1 and ctop <= v_mid[i] < cbottom]
            texts.append(cell_text(inside) if inside else "")
        rows.append(texts)
    return rows


def cell_text(chars: list[dict[str, Any]]) -> str:
    """`utils.extract_text(chars)` (no options) of a cell's characters, in page order."""
    fast = plumber_words.cell_text(chars)
    return fast if fast is not None else str(utils.extract_text(chars))
