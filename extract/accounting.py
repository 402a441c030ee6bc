"""Number accounting: which amounts a table region prints, independently of how it was read.

The extractor reads cells through a grid; this module reads the same page as plain
words, so a reading that silently lost a column, a row, a continuation page or a
whole table shows up as printed numbers nobody published. What is not an amount:

- classification codes and row numbers: an integer followed on its line by a name
  (`2010101 行政运行`, `201 06 01 行政运行`, `1 收入`);
- column indexes: a `栏次` row, a row of bare 1 2 3 …, integers under a `行次` header;
- years (`2024`) and page footers (`— 12 —`, `第 3 页`).

Everything else that parses as a number is counted: decimals, thousands-separated
figures, and bare integers (counts in 09/10, amounts printed without decimals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.records import PrintedNumber
from extract import plumber_words
from extract.numbers import parse_amount
from extract.text import title_key

_CJK = re.compile(r"^[\u2e80-\u2fdf\u3400-\u9fff（(]")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_FOOTER = re.compile(r"^[—\-–_\s\d第页/共]*$")
_INDEX_WORDS = {"行次", "栏次"}
_PROSE = re.compile(r"[，。；：,;]|^(万元|元|亿元|%)")
_LINE_TOLERANCE = 3.0


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def page_words(page: Any) -> list[Word]:
    """Words of a pdfplumber page; a tight x tolerance keeps neighbouring cells apart
    (pdfplumber's `extract_words` rule, extract/plumber_words.py)."""
    return [Word(str(text), float(x0), float(x1), float(top), float(bottom))
            for text, x0, x1, top, bottom in plumber_words.page_words(page, 1.5, 2)]


def _lines(words: Iterable[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _is_integer(text: str) -> bool:
    return text.isdigit()


#: Header words over columns that hold layout numbers or codes, not amounts.
_BAND_WORDS = {"行次", "栏次", "序号", "类", "款", "项", "科目编码", "编码", "代码", "科目代码", "功能科目编码"}
_STACKED = {"行": "次", "栏": "次"}  # a narrow header printed one character per line


def _is_index_row(line: list[Word]) -> bool:
    """A `栏次 1 2 3` row (the word may be split: `栏 次`) or a bare run 1, 2, 3 …"""
    texts = [title_key(w.text) for w in line]
    joined = "".join(texts)
    if "栏次" in joined or "行次" in joined:
        rest = [t for t in texts if t not in ("栏", "次", "行") and t not in _INDEX_WORDS]
        return all(t.isdigit() for t in rest)
    numbers = [int(t) for t in texts if t.isdigit()]
    return (
        len(numbers) == len(texts)
        and len(numbers) >= 3
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


def _header_bands(lines: list[list[Word]]) -> list[tuple[float, float, float]]:
    """(x0, x1, below) of every header over codes or indexes: integers under it are not amounts."""
    bands: list[tuple[float, float, float]] = []
    for n, line in enumerate(lines):
        texts = [title_key(w.text) for w in line]
        for i in range(len(line)):
            for j in range(i, min(i + 4, len(line))):
                if "".join(texts[i : j + 1]) in _BAND_WORDS:
                    bands.append((line[i].x0 - 8, line[j].x1 + 8, line[j].bottom))
                    break
            second = _STACKED.get(texts[i])
            if second:
                for below in lines[n + 1 : n + 4]:
                    match = next(
                        (w for w in below if title_key(w.text) == second and abs(w.x0 - line[i].x0) <= 4), None
                    )
                    if match is not None and match.top - line[i].bottom < 25:
                        bands.append((line[i].x0 - 8, line[i].x1 + 8, match.bottom))
                        break
    return bands


def _codes(line: list[Word]) -> set[int]:
    """Positions of integers that are codes or row numbers, not amounts.

    An integer that leads a name (`2010101 行政运行`, also split: `201 06 01 名称`),
    and the run of integers that starts a line when its first one has a code's
    length (the name printed a little higher, vertically centred in its cell).
    """
    out: set[int] = set()
    follows_name = False
    for i in range(len(line) - 1, -1, -1):
        text = line[i].text
        if _is_integer(text) and follows_name:
            out.add(i)
            continue  # an integer before a code is a code part (`201 06 01 名称`)
        follows_name = bool(_CJK.match(text))
    if line and _is_integer(line[0].text) and len(line[0].text) in (3, 5, 7):
        for i, word in enumerate(line):
            if not _is_integer(word.text) or (i and len(word.text) > 2 and len(word.text) not in (5, 7)):
                break
            out.add(i)
    return out


def printed_numbers(
    words: list[Word],
    page: int,
    top: float,
    bottom: float,
    grids: list[tuple[float, float, float, float]],
    inherited: list[tuple[float, float, float]] | None = None,
) -> tuple[list[PrintedNumber], list[tuple[float, float, float]]]:
    """The amounts printed between `top` and `bottom` (a table's region on one page).

    `grids` are the (x0, top, x1, bottom) boxes of the ruled tables on the page:
    outside them a line counts only when it looks like a table row (a label or a
    code and at least one free-standing number), so prose never adds amounts.
    """
    region = [w for w in words if w.top >= top - 1 and w.bottom <= bottom + 1]
    lines = _lines(region)
    found_bands = _header_bands(lines)
    bands = found_bands + [(x0, x1, -1.0) for x0, x1, _ in inherited or []]
    out: list[PrintedNumber] = []
    for line in lines:
        joined = "".join(w.text for w in line)
        inside = all(_in_boxes(w, grids) for w in line)
        if _FOOTER.match(joined) and len(line) <= 3 and "." not in joined and not inside:
            continue  # a page number (`— 12 —`); inside a ruled table a lone `0` is a cell
        if _is_index_row(line):
            continue
        codes = _codes(line)
        found: list[PrintedNumber] = []
        for i, word in enumerate(line):
            value = parse_amount(word.text)
            if value is None or i in codes:
                continue
            plain_integer = _is_integer(word.text.lstrip("-"))
            if plain_integer and _YEAR.match(word.text):
                continue
            centre = (word.x0 + word.x1) / 2
            if plain_integer and any(x0 <= centre <= x1 and word.top >= below for x0, x1, below in bands):
                continue
            in_grid = any(gx0 - 1 <= centre <= gx1 + 1 and gt - 1 <= word.top <= gb + 1 for gx0, gt, gx1, gb in grids)
            found.append(PrintedNumber(page, word.text, value, word.top, word.x0, in_grid))
        if all(n.in_grid for n in found) or _row_like(line, len(found)):
            out.extend(found)
    return out, found_bands


def _in_boxes(word: Word, grids: list[tuple[float, float, float, float]]) -> bool:
    centre = (word.x0 + word.x1) / 2
    return any(gx0 - 1 <= centre <= gx1 + 1 and gt - 1 <= word.top <= gb + 1 for gx0, gt, gx1, gb in grids)


def _row_like(line: list[Word], numbers: int) -> bool:
    """Outside a grid: several numbers, or one beside short labels, never prose (`1234.56 万元，比上年`)."""
    if numbers >= 2:
        return True
    return numbers == 1 and not any(_PROSE.search(w.text) for w in line)


def unmatched(printed: list[PrintedNumber], read: list[Decimal]) -> tuple[list[PrintedNumber], list[Decimal]]:
    """(printed amounts no published value accounts for, published values not printed), by value."""
    remaining: dict[Decimal, int] = {}
    for value in read:
        remaining[value] = remaining.get(value, 0) + 1
    missed: list[PrintedNumber] = []
    for number in printed:
        if remaining.get(number.value, 0) > 0:
            remaining[number.value] -= 1
        else:
            missed.append(number)
    extra = [value for value, n in remaining.items() for _ in range(n)]
    return missed, extra
