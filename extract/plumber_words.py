"""pdfplumber's word and line rules, run without its word, word-map and text-map objects.

pdfplumber builds a dict per word, a (word, chars) tuple list and a tuple per character
for every text it extracts; on a table page that object churn, not the rule, is the cost
(`extract_text_lines` was 7% of extraction, `extract_words` 4%, a cell's `extract_text` 21 µs). These
functions apply the same rule to upright text with pdfplumber's defaults (x and y
tolerance 3 or the caller's, no blank characters kept, ligatures expanded) and return None where they
do not apply (rotated text, a character without text or with surrounding blanks), so the
caller asks pdfplumber. tests/extract/test_plumber_words.py compares them with pdfplumber
on every page of the corpus files and on edge cases built for the rule.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from pdfplumber.utils.clustering import cluster_list
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

Char = dict[str, Any]
#: a word: its text, x0, x1, top and bottom
Box = tuple[str, float, float, float, float]
#: a text line: its text, top and bottom
Line = tuple[str, float, float]


def plain(chars: list[Char]) -> bool:
    """Text the rule here covers: every character upright, with text and no blank around it."""
    for char in chars:
        text = char["text"]
        if not char["upright"] or not isinstance(text, str) or not text or "\n" in text:
            return False
        if text != text.strip() and not text.isspace():
            return False
    return True


def words_of_line(ordered: list[Char], x_tolerance: float = DEFAULT_X_TOLERANCE,
                  y_tolerance: float = DEFAULT_Y_TOLERANCE) -> list[Box]:
    """One line's characters (sorted by x0) as pdfplumber's words (text, x0, x1, top, bottom):
    a word ends at a blank, a step back, a gap wider than the x tolerance or a top more than
    the y tolerance from the previous character's."""
    words: list[Box] = []
    letters: list[str] = []
    x0 = x1 = top = bottom = 0.0
    before: Char | None = None
    for char in ordered:
        text = char["text"]
        if text.isspace():
            if letters:
                words.append(("".join(letters), x0, x1, top, bottom))
            letters, before = [], None
            continue
        if before is not None and (
            char["x0"] < before["x0"] or char["x0"] > before["x1"] + x_tolerance
            or abs(char["top"] - before["top"]) > y_tolerance
        ):
            words.append(("".join(letters), x0, x1, top, bottom))
            letters = []
        if not letters:
            x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        else:
            x0, x1 = min(x0, char["x0"]), max(x1, char["x1"])
            top, bottom = min(top, char["top"]), max(bottom, char["bottom"])
        letters.append(LIGATURES.get(text) or text)
        before = char
    if letters:
        words.append(("".join(letters), x0, x1, top, bottom))
    return words


def words(chars: list[Char], x_tolerance: float = DEFAULT_X_TOLERANCE,
          y_tolerance: float = DEFAULT_Y_TOLERANCE) -> list[Box] | None:
    """`page.extract_words(x_tolerance=…, y_tolerance=…)` as (text, x0, x1, top, bottom), or None
    where the rule here does not apply: lines by top (chained within the y tolerance, in
    increasing order, page order within a line), each line's words in x order."""
    if not chars or not plain(chars):
        return None if chars else []
    line_of = _clusters([c["top"] for c in chars], y_tolerance)
    by_line = sorted(chars, key=lambda c: line_of[c["top"]])  # stable: page order within a line
    found: list[Box] = []
    for _, line in groupby(by_line, key=lambda c: line_of[c["top"]]):
        found += words_of_line(sorted(line, key=_x0), x_tolerance, y_tolerance)
    return found


def _x0(char: Char) -> float:
    return float(char["x0"])


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's cluster id of each value (chained within `tolerance`, in increasing order)."""
    return {value: i for i, group in enumerate(cluster_list(list(set(values)), tolerance)) for value in group}


def page_words(page: Any, x_tolerance: float, y_tolerance: float) -> list[Box]:
    """The words of a pdfplumber page, by `words` where it applies, else by pdfplumber."""
    found = words(page.chars, x_tolerance, y_tolerance)
    if found is not None:
        return found
    return [(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
            for w in page.extract_words(x_tolerance=x_tolerance, y_tolerance=y_tolerance, keep_blank_chars=False)]


def text_lines(chars: list[Char]) -> list[Line] | None:
    """`page.extract_text_lines(layout=False, strip=True)` as (text, top, bottom), or None
    where the rule here does not apply.

    pdfplumber reads the page's words (`words`, default tolerances), then clusters those
    words by their tops again (keeping their order) and joins each run of one cluster with spaces.
    """
    found = words(chars)
    if found is None:
        return None
    word_line = _clusters([w[3] for w in found], DEFAULT_Y_TOLERANCE)
    lines: list[Line] = []
    for _, run in groupby(found, key=lambda w: word_line[w[3]]):
        members = list(run)
        lines.append((" ".join(w[0] for w in members), min(w[3] for w in members), max(w[4] for w in members)))
    return lines


def cell_text(chars: list[Char]) -> str | None:
    """`utils.extract_text(chars)` (no options) of one line of characters, or None.

    A cell on one line (every top within the y tolerance of the others): its words joined
    with spaces. Several lines are left to pdfplumber (None)."""
    if not plain(chars):
        return None
    tops = [c["top"] for c in chars]
    if max(tops) - min(tops) > DEFAULT_Y_TOLERANCE:
        return None
    return " ".join(w[0] for w in words_of_line(sorted(chars, key=_x0)))
