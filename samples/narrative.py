"""Fill the narrative's {{…}} placeholders with figures taken from the tables.

Why: 第三部分 情况说明 quotes table figures ("本年收入合计12653.82万元") and shares
("占13.69%"); the synthetic samples write those quotes as references to table cells
so the text always agrees with the tables it describes (the checks stage compares
them). Quotes print plain digits, no thousands separators, as the narratives do.

    {{02|合计|total_income}}                               → 7673.30
    {{share|03|合计|basic_expenditure|03|合计|total_expenditure}} → 60.69%
"""

from __future__ import annotations

import re
from decimal import Decimal

from samples.booklet_data import SampleDataError, share
from samples.grid import TableSheet

_PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")


def cell_index(sheets: list[TableSheet]) -> dict[tuple[str, str, str], str]:
    """(table code, row code or label, measure) → printed value; the first row wins."""
    index: dict[tuple[str, str, str], str] = {}
    for sheet in sheets:
        for row in sheet.body:
            for cell in row:
                t = cell.truth
                if t is None:
                    continue
                for key in filter(None, (t.subject_code, t.line_label)):
                    index.setdefault((sheet.code, key, t.measure), t.value)
    return index


def fill(text: str, index: dict[tuple[str, str, str], str], where: str) -> str:
    """Replace every placeholder in `text`; an unknown reference is a data error."""

    def lookup(parts: list[str]) -> str:
        key = (parts[0], parts[1], parts[2])
        if key not in index:
            raise SampleDataError(f"{where}: no printed cell {'|'.join(parts)} to quote")
        return index[key]

    def replace(match: re.Match[str]) -> str:
        parts = match.group(1).split("|")
        if parts[0] == "share" and len(parts) == 7:
            return share(Decimal(lookup(parts[1:4])), Decimal(lookup(parts[4:7])))
        if len(parts) == 3:
            return lookup(parts)
        raise SampleDataError(f"{where}: malformed placeholder {match.group(0)}")

    return _PLACEHOLDER.sub(replace, text)
