"""The producer matrix as data: which sample each fixture prints, with which producer and options.

Why data: each fixture combines several of the ways real booklets differ (producer,
code style, thousands separators, the mark for nothing, unit, Kangxi text layer,
repeated headers, rules). Keeping the combinations in one table makes MATRIX.md a
rendering of it, not a second description that can drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.booklet_data import load_sample
from samples.producers.logical import Options

JIANGXI = "jiangxi_trade_unions_2024"
CULTURE = "synthetic_culture_bureau_2023"
WATER = "synthetic_water_bureau_2024"
PRODUCERS = ("calc", "chromium", "word")


@dataclass(frozen=True)
class Variant:
    """One fixture PDF: a sample printed by one producer with these options."""

    name: str
    sample: str
    producer: str  # calc | chromium | word
    options: Options
    font: str = ""  # calc: the cell font; chromium: the CSS font-family list
    ruled: bool = True  # chromium: cell borders drawn
    row_space: float = 0.0  # calc: body row height (pt, 0 = fit); chromium: cell padding (pt)
    shade_header: bool = True  # word: header cells on a grey filled rectangle
    note: str = ""

    def describe(self) -> dict[str, str]:
        """The columns of MATRIX.md."""
        o = self.options
        codes = {"whole": "whole (2012901)", "split": "split 类/款/项 cells", "merged": "merged cell over 类/款/项"}
        return {
            "pdf": f"`{self.name}.pdf`",
            "producer": {"calc": "LibreOffice Calc (xlsx)", "chromium": "Chromium (HTML)",
                         "word": "Word-style rectangles"}[self.producer],
            "sample": self.sample,
            "codes": codes[o.code_style],
            "1,000s": "yes" if o.thousands else "no",
            "nothing": f"`{o.nothing}`" if o.nothing else "blank",
            "unit": o.unit or load_sample(self.sample).settings.unit,
            "Kangxi": "yes" if o.kangxi else "no",
            "repeat header": "yes" if o.repeat_header else "no",
            "other": self.note,
        }


MATRIX: tuple[Variant, ...] = (
    Variant(
        "calc_jiangxi_merged", JIANGXI, "calc",
        Options(code_style="merged", thousands=True, nothing="", repeat_header=True),
        font="Noto Serif CJK SC", row_space=22.0,
        note="print titles (title…header rows) repeated; fitToWidth; 22pt rows so 01/04/06 continue",
    ),
    Variant(
        "calc_culture_split_yuan", CULTURE, "calc",
        Options(code_style="split", thousands=False, nothing="-", unit="元", repeat_header=False),
        font="Noto Sans CJK SC", row_space=24.0,
        note="万元 data printed in 元; no print titles; 24pt rows",
    ),
    Variant(
        "calc_water_kangxi", WATER, "calc",
        Options(code_style="whole", thousands=True, nothing="——", kangxi=True, repeat_header=True,
                table_labels=False),
        font="Noto Serif CJK SC",
        note="Kangxi radicals in the text layer; no 公开NN表 labels; Calc sizes rows",
    ),
    Variant(
        "chromium_jiangxi_colspan", JIANGXI, "chromium",
        Options(code_style="merged", thousands=True, nothing="——", repeat_header=True),
        font='"Liberation Serif", "Droid Sans Fallback"', row_space=5.0,
        note="code `<td colspan=3>`; `<thead>` repeated; TrueType CID fonts",
    ),
    Variant(
        "chromium_culture_kangxi", CULTURE, "chromium",
        Options(code_style="split", thousands=False, nothing="-", kangxi=True, repeat_header=True),
        font='"Noto Serif CJK SC"', row_space=4.0,
        note="Kangxi radicals; OpenType/CFF font printed as Type 3 fonts",
    ),
    Variant(
        "chromium_water_borderless", WATER, "chromium",
        Options(code_style="whole", thousands=True, nothing="", repeat_header=True),
        font='"Liberation Serif", "Droid Sans Fallback"', ruled=False, row_space=4.0,
        note="no rules at all: text aligned in columns",
    ),
    Variant(
        "chromium_jiangxi_yuan_noheader", JIANGXI, "chromium",
        Options(code_style="whole", thousands=True, nothing="-", unit="元", repeat_header=False),
        font='"Liberation Serif", "Droid Sans Fallback"', row_space=7.0,
        note="万元 data printed in 元; header printed once (`thead` as a row group)",
    ),
    Variant(
        "word_jiangxi_merged", JIANGXI, "word",
        Options(code_style="merged", thousands=True, nothing="-", repeat_header=True),
        note="borders = 0.5pt filled rectangles; grey header fills",
    ),
    Variant(
        "word_water_split", WATER, "word",
        Options(code_style="split", thousands=False, nothing="——", repeat_header=False, table_labels=False),
        note="borders = 0.5pt filled rectangles; grey header fills; no 公开NN表 labels",
    ),
)


def variant(name: str) -> Variant:
    for v in MATRIX:
        if v.name == name:
            return v
    raise KeyError(f"no variant {name!r}; known: {[v.name for v in MATRIX]}")
