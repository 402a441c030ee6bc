"""How a narrative figure is bound to the tables of one document kind ([kinds.<kind>] of
schemas/data/narrative_figures.toml).

    rules = kind_rules("budget")
    cells = kind_cells(figure, rules, fiscal_year=2025)   # the CellRefs the figure may repeat

A 决算's figures keep the binding the reader gave them (extract/narrative.py). A `rebind` kind
(budgets) binds an amount of its own year and kind by [[kinds.*.subject]] (first full match on the
subject key), a 类/款/项 line by [[kinds.*.path]] (only where its list lead or section names the
table), a 三公 line by its 09 role; an other-year clause (上年…, 执行数, 2016年… in a 2017 budget)
binds nothing: last year's amounts are no cell of this year's tables.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from core.records import NarrativeFigure
from extract.narrative import subject_key

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data" / "narrative_figures.toml"


@dataclass(frozen=True)
class CellRef:
    """A cell a figure may repeat: a row by label ("" = the unlabelled total row), by a regex on its
    label (`label_match`: "2025年机关运行经费预算数"), by 09 line role, or (`path`) the coded row
    whose 类/款/项 names are `label` ("X支出/Y/Z")."""

    table: str
    measure: str
    label: str = ""
    role: str = ""
    label_match: str = ""
    path: bool = False


@dataclass(frozen=True)
class KindRules:
    """How figures are bound to the tables of one document kind ([kinds.<kind>] of the data file)."""

    aspects: tuple[str, ...]
    other_years: re.Pattern[str]
    sangong_measures: dict[str, str]
    rebind: bool
    subjects: tuple[tuple[re.Pattern[str], tuple[CellRef, ...]], ...] = ()
    #: a 类/款/项 figure's own table (from its section or list lead) → the tables whose row of that path it repeats
    paths: dict[str, tuple[CellRef, ...]] = field(default_factory=dict)


@cache
def kinds(path: Path = DATA) -> dict[str, KindRules]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        kind: KindRules(
            tuple(k["aspects"]),
            re.compile(k["other_years"]),
            dict(k["sangong_measures"]),
            bool(k["rebind"]),
            tuple(
                (re.compile(s["match"]), tuple(
                    CellRef(c["table"], c["measure"], c.get("label", ""), c.get("role", ""), c.get("label_match", ""))
                    for c in s["cells"]
                ))
                for s in k.get("subject", [])
            ),
            {
                p["table"]: tuple(CellRef(c["table"], c["measure"], path=True) for c in p["cells"])
                for p in k.get("path", [])
            },
        )
        for kind, k in data.get("kinds", {}).items()
    }


def kind_rules(doc_kind: str) -> KindRules:
    """The binding rules of a document kind (a kind without its own are read as 决算)."""
    by_kind = kinds()
    return by_kind.get(doc_kind) or by_kind["final_account"]


#: a year a clause names: "2016年…" in a 2017 budget quotes last year's amount
YEAR = re.compile(r"((?:19|20)\d{2})年")


def kind_cells(figure: NarrativeFigure, rules: KindRules, fiscal_year: int | None) -> tuple[CellRef, ...]:
    """The cells an amount of a `rebind` kind's narrative may repeat; () when none is bound soundly.

    Not bound: an aspect that is not the document's own (上年数), a clause about another year
    ("上年预算…", "2016年…" when the tables are 2017's), a subject no [[kinds.*.subject]] names
    (the 决算 bindings, class paths included) unless it is a 09 line with a column for this kind.
    """
    if figure.kind != "amount" or figure.aspect not in rules.aspects:
        return ()
    if rules.other_years.search(figure.sentence) or any(
        fiscal_year is None or int(y) != fiscal_year for y in YEAR.findall(figure.sentence)
    ):
        return ()
    key = subject_key(figure.subject)
    if "/" in figure.line_label or (figure.line_label and figure.table_code in rules.paths):
        # a 类/款/项 line: bound only where its list or section names the table it repeats
        return tuple(replace(c, label=figure.line_label) for c in rules.paths.get(figure.table_code, ()))
    for pattern, cells in rules.subjects:
        if pattern.fullmatch(key):
            return cells
    measure = rules.sangong_measures.get(figure.measure, "")
    if figure.table_code == "09" and measure:
        return (CellRef("09", measure, figure.line_label),)
    return ()
