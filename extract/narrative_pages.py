"""Which lines of a booklet are its narrative, joined into one text with the page of every character.

    narrative = narrative_text(page_texts)    # NarrativeText(text, pages, headings)

The narrative is read from the sections of `[[section]]` in schemas/data/narrative_figures.toml
(data, not code): Jiangsu's "第三部分 …情况说明" (its heading possibly wrapped over two lines),
Shanghai's "（2025年）部门预算编制说明" / "单位预算编制说明" before the tables and "其他相关情况说明"
after them. Each section starts at the last line matching its `start` (a 目录 prints the heading
first), ends before the first line matching its `end` or starting another section, and every
section found is read in page order. Lines are joined with their whitespace removed, so a sentence
wrapped over lines or pages reads whole; page-number lines are dropped; a section heading and a
numbered heading end their sentence.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data" / "narrative_figures.toml"

NUMBER = re.compile(
    # at most 4 decimals: a longer run is an amount glued to a code by the text layer
    # (`729.002010106` on Jiangsu's narrative pages), not a figure
    # a minus sign is kept ("增加-5.00万元" is a negative change); a hyphen after a digit is a range
    r"(?<![\d.])(?P<value>[-－−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d+(?:\.\d{1,4})?))"
    r"(?P<unit>万元|亿元|元|%|人次|个|人|辆|台（套）|台\(套\)|台|套|批次|批|项)"
)
#: a page number line: "22", "- 22 -", "─12─" (Jiangsu's Word footers), "第22页", "22/30"
FOOTER = re.compile(r"[—\-–─━－·\d第页/共\s]*")
HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\D{0,40}$")


@dataclass(frozen=True)
class Section:
    """A part of the booklet the narrative is read from ([[section]] of the data file).

    It starts at the last line matching `start` (a 目录 repeats the heading first) or at a heading
    wrapped over two lines (`part` then, on the next non-empty line, `rest`), and ends before the
    first line matching `end` or starting another section.
    """

    name: str
    start: re.Pattern[str]
    end: re.Pattern[str]
    part: re.Pattern[str] | None = None
    rest: re.Pattern[str] | None = None

    def starts(self, lines: Sequence[str], i: int) -> bool:
        line = lines[i]
        if self.start.search(line):
            return True
        if self.part is None or self.rest is None or not self.part.search(line) or self.end.search(line):
            return False
        following = next((text for text in lines[i + 1 : i + 3] if text), "")
        return bool(self.rest.search(following))


@cache
def booklet_sections(path: Path = DATA) -> tuple[Section, ...]:
    """The [[section]] entries of the data file, in order (the first is the fallback's end)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Section(
            sec["name"], re.compile(sec["start"]), re.compile(sec["end"]),
            re.compile(sec["part"]) if "part" in sec else None, re.compile(sec["rest"]) if "rest" in sec else None,
        )
        for sec in data["section"]
    )


def fold(text: str) -> str:
    """Fold full-width digits, ％, ． and Kangxi radicals; keep other printed characters (（）、：)."""
    out = []
    for ch in text:
        if "\uff10" <= ch <= "\uff19" or ch in "％．" or "\u2e80" <= ch <= "\u2fdf":
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out)


@dataclass
class NarrativeText:
    """The 情况说明 as one string, with the page of every character."""

    text: str
    pages: list[int]
    #: the section headings (each ends its sentence): a new section, a new whole
    headings: frozenset[str] = frozenset()


def narrative_text(page_texts: Sequence[str], sections: Sequence[Section] | None = None) -> NarrativeText:
    """Join the 情况说明 pages: lines without whitespace, a heading line ends its sentence.

    Every [[section]] found is read, in page order; a booklet with none is read from its first
    page to the first section's end (a narrative file without its part heading).
    """
    sections = booklet_sections() if sections is None else sections
    lines: list[tuple[int, str]] = [
        (number, re.sub(r"\s+", "", fold(line)))
        for number, text in enumerate(page_texts, start=1)
        for line in text.splitlines()
    ]
    texts = [line for _, line in lines]
    begins = sorted(
        {max(found) for section in sections if (found := [i for i in range(len(texts)) if section.starts(texts, i)])}
    )
    spans: list[tuple[int, int]] = []
    for begin in begins or [0]:
        section = next((s for s in sections if s.starts(texts, begin)), sections[0])
        end = next(
            (i for i in range(begin + 1, len(texts)) if section.end.search(texts[i]) or i in begins), len(texts)
        )
        spans.append((begin, end))
    text: list[str] = []
    pages: list[int] = []
    headings: set[str] = set()
    for begin, end in spans:
        for index in range(begin, end):
            number, line = lines[index]
            if not line or FOOTER.fullmatch(line):
                continue  # page numbers and footers: a sentence (or a 类/款/项 heading) goes on across them
            if index == begin and begins:
                headings.add(line)
                line += "。"  # a section's heading: the sentence ends
            elif HEADING.match(line) and not NUMBER.search(line):
                line += "。"
            text.append(line)
            pages += [number] * len(line)
    return NarrativeText("".join(text), pages, frozenset(headings))
