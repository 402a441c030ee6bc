"""Rows that say what they are: phase, row role and a stable line key on every line item.

A naive SUM over a table adds 合计 + 类 + 款 + 项 four times over; budgets and final
accounts share table codes. So each row carries:

- `phase`: budget / final_account, the document's kind (never sum across phases);
- `row_role`: total (the table's 合计/总计), subtotal (小计, 本年收入合计, 人员经费合计 …),
  class / kuan / xiang (a coded row at 类/款/项 level), item (an uncoded line: 01/04
  lines, 三公 items), memo (`其中：` lines, already counted in the line above), fund_source (a
  funding-source row such as 一般公共预算资金 / 其他资金 in a 预算 02: where the money comes from,
  not a classification subject; schemas/data/fund_sources.csv);
- `line_key`: the code, or the label without its numbering and punctuation variants
  (`（1）公务用车购置费` → `公务用车购置费`), stable across documents and years.

Summing `row_role = 'total'` per table and measure gives each table's printed total;
summing one level (`class`) gives it again without double counting.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from core.records import LineItem
from extract.text import title_key

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[)）])+")
_MEMO = re.compile(r"^其中[:：]?")
_TOTAL = re.compile(r"^(合计|总计|收入总计|支出总计|收支总计|收入支出总计|三公经费(支出)?(合计)?|三公经费支出合计)$")
_SUBTOTAL = re.compile(r"(小计|合计)$")
_LEVEL_ROLE = {"类": "class", "款": "kuan", "项": "xiang"}
FUND_SOURCES = Path(__file__).resolve().parent.parent / "schemas" / "data" / "fund_sources.csv"


@cache
def fund_source_labels() -> frozenset[str]:
    with FUND_SOURCES.open(encoding="utf-8") as f:
        return frozenset(title_key(row["label"]) for row in csv.DictReader(f))


def is_fund_source(label: str) -> bool:
    """Whether a printed row label names a funding source (一般公共预算资金, 其他资金 …), not a subject."""
    last = _NUMBERING.sub("", _MEMO.sub("", title_key(label).split("/")[-1]))
    return last in fund_source_labels()


def line_key(item: LineItem) -> str:
    if item.subject_code:
        return item.subject_code
    label = title_key(item.line_label)  # NFKC, no whitespace, no quotes
    parts = [_NUMBERING.sub("", _MEMO.sub("", part)) for part in label.split("/")]
    return "/".join(p for p in parts if p)


def row_role(item: LineItem) -> str:
    if item.subject_code and item.subject_level in _LEVEL_ROLE:
        return _LEVEL_ROLE[item.subject_level]
    label = title_key(item.line_label)
    if _MEMO.match(label):
        return "memo"
    last = label.split("/")[-1]
    bare = _NUMBERING.sub("", last)
    if _TOTAL.match(bare) or (label.count("/") == 0 and _TOTAL.match(_NUMBERING.sub("", label))):
        return "total"
    if _SUBTOTAL.search(bare):
        return "subtotal"
    if not item.subject_code and is_fund_source(label):
        return "fund_source"
    if item.subject_code:
        return "item"  # a code of an odd length: published as printed, flagged by the reference rules
    return "item"


def with_rows(items: Iterable[LineItem], doc_kind: str, department_id: str, disclosure_id: str) -> list[LineItem]:
    """The items with phase, row role, line key and the department and disclosure ids set."""
    phase = doc_kind if doc_kind in ("budget", "final_account") else ""
    return [
        replace(
            item,
            phase=phase,
            row_role=row_role(item),
            line_key=line_key(item),
            department_id=department_id,
            disclosure_id=disclosure_id,
        )
        for item in items
    ]
