"""A booklet's outline from its page texts: the years its headings print, its as-of dates, what its
情况说明 covers (issue 9 §7 years, §8 narrative sections).

    from extract.headings import year_mentions, narrative_outline
    mentions = year_mentions(page_texts)    # [YearMention(page, kind, year, text, …), …]
    outline = narrative_outline(page_texts)  # NarrativeOutline(has_narrative, covered, mentioned, …)

Years are read only where a booklet names its own year — a 第N部分 heading, a table title ending
in 决算表/预算表, the cover title — and in `截至YYYY年M月D日` dates. Prose is never read for
years: `与2023年度相比`, `比2022年预算增加`, `2023年当年预算执行数` are prior-year
comparisons, and a budget's narrative quotes the year before on every page. A year is a
four-digit `20YY` followed by 年 and not part of a range (`2017-2019年`) or an amount
(`2083.68`); `财库〔2013〕189号` carries no 年.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.records import NarrativeOutline, YearMention
from extract.text import squash

#: A year as the booklet names itself: not the end of a range, not inside a number, not a date's year.
YEAR = re.compile(r"(?<![\d\-－—~～至.])(20\d{2})年(?!\d{1,2}月)")
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分(?P<rest>.*)$")
NUMBERING = r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)][、.．]?|\d{1,2}[、.．]|公开\d{1,2}表[:：]?)"
#: A table title: optional numbering, up to 30 characters of department name, the year, and a title
#: ending in 决算表 / 预算表 (a bracketed note after it allowed: `(功能科目)`).
TABLE_TITLE = re.compile(
    rf"^{NUMBERING}?(?P<pre>[^，。；：:\d]{{0,30}}?)(?P<year>20\d{{2}})年度?(?P<rest>[^，。；\d]*?)"
    r"(?P<kind>决算|预算)(?:总)?表(?:[（(][^）)]*[）)])?$"
)
COVER_TITLE = re.compile(
    r"^(?P<pre>[^，。；：:\d]{0,40}?)(?P<year>20\d{2})年度?(?:区级|市级|省级|县级)?(?:部门|单位)(?:决算|预算)"
    r"(?:公开)?(?:文件|文本|表格?)?$"
)
#: 目录 leaders and the page number after a contents line.
LEADERS = re.compile(r"[.·…。\-—_]{3,}\d*$|\d+$")
#: Words that make a title a comparison with another year, not the booklet's own (`2023年预算执行情况表`).
COMPARISON = re.compile(r"执行|上年|对比|比较|与|较")
AS_OF = re.compile(r"截[至止](20\d{2})年(\d{1,2})月(\d{1,2})日")
ASSETS = re.compile(r"资产|车辆|房屋|设备|用车")
SENTENCE_END = re.compile(r"[。；]")

#: Topic → the words naming it. `sangong`: 三公经费 (因公出国（境）费, 公务用车购置及运行费, 公务接待费);
#: `jiguan`: 机关运行经费.
TOPICS = {"sangong": re.compile(r"三公"), "jiguan": re.compile(r"机关运行经?费")}
NARRATIVE_HEADING = re.compile(r"情况说明")
HEADING_NUMBERING = re.compile(rf"^{NUMBERING}")
GLOSSARY = re.compile(r"[:：]指")
AMOUNT = re.compile(r"\d+(?:\.\d+)?万?元|[无未]|没有")
PROSE = re.compile(r"[，。；]")
OMITTED = re.compile(r"说明.{0,6}从略|从略")


def _lines(text: str) -> list[str]:
    return [line for line in (squash(raw) for raw in text.splitlines()) if line]


def is_contents_page(text: str) -> bool:
    """A 目录 page: `目录` printed in its first lines."""
    return any(line in ("目录", "目次") or line.startswith("目录") for line in _lines(text)[:4])


def _heading_year(line: str, page: int) -> YearMention | None:
    if PROSE.search(line):
        return None
    line = LEADERS.sub("", line)
    part = PART_HEADING.match(line)
    if part:
        rest = part.group("rest")
        match = YEAR.search(rest)
        # `第二部分 2024年度部门决算表`, or its first line when wrapped (`第三部分 江苏省高级人民法院 2017 年度`)
        if match and ("决算" in rest or "预算" in rest or re.search(r"年度?$", rest)) and not COMPARISON.search(rest):
            return YearMention(page, "part_heading", int(match.group(1)), line)
        return None
    for kind, pattern in (("table_title", TABLE_TITLE), ("cover_title", COVER_TITLE)):
        match = pattern.match(line)
        if match and not COMPARISON.search(line) and YEAR.search(line):
            return YearMention(page, kind, int(match.group("year")), line)
    return None


def _dates(page: int, text: str) -> list[YearMention]:
    joined = squash(text)
    out: list[YearMention] = []
    for match in AS_OF.finditer(joined):
        start = max((m.end() for m in SENTENCE_END.finditer(joined, 0, match.start())), default=0)
        end_match = SENTENCE_END.search(joined, match.end())
        end = end_match.end() if end_match else len(joined)
        sentence = joined[start:end][:160]
        # what the date dates: its own clause onwards (a heading before it, 国有资产占用情况说明, is not it)
        assets = bool(ASSETS.search(joined[match.end():end]))
        out.append(
            YearMention(page, "as_of_date", int(match.group(1)), match.group(0), int(match.group(2)),
                        int(match.group(3)), sentence, assets)
        )
    return out


def year_mentions(page_texts: Sequence[str]) -> list[YearMention]:
    """Headings and titles that print a year, and every `截至YYYY年M月D日`, page by page (from 1)."""
    mentions: list[YearMention] = []
    for number, text in enumerate(page_texts, start=1):
        for line in _lines(text):
            mention = _heading_year(line, number)
            if mention is not None:
                mentions.append(mention)
        mentions += _dates(number, text)
    return mentions


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；])", squash(text)) if s]


def _is_topic_heading(line: str, pattern: re.Pattern[str]) -> bool:
    return (
        bool(HEADING_NUMBERING.match(line))
        and bool(pattern.search(line))
        and len(line) <= 50
        and not line.endswith("表")
        and not GLOSSARY.search(line)
    )


def narrative_outline(page_texts: Sequence[str]) -> NarrativeOutline:
    """Whether a 情况说明 is printed, and which topics it covers and the booklet mentions."""
    first_page: int | None = None
    omitted = False
    mentioned: set[str] = set()
    covered: set[str] = set()
    for number, text in enumerate(page_texts, start=1):
        lines = _lines(text)
        joined = "".join(lines)
        mentioned |= {topic for topic, pattern in TOPICS.items() if pattern.search(joined)}
        if is_contents_page(text):
            continue
        if first_page is None:
            for index, line in enumerate(lines):
                # a heading naming the 情况说明, with prose after it on the page (a contents line has none)
                if NARRATIVE_HEADING.search(line) and not PROSE.search(line) and len(line) <= 60 and any(
                    PROSE.search(after) for after in lines[index + 1:]
                ):
                    first_page = number
                    break
        if first_page is None:
            continue
        if any(OMITTED.search(s) and "说明" in s for s in _sentences(text)):
            omitted = True
        for topic, pattern in TOPICS.items():
            if any(_is_topic_heading(line, pattern) for line in lines) or any(
                pattern.search(s) and AMOUNT.search(s) and not GLOSSARY.search(s)
                for s in _sentences(text)
            ):
                covered.add(topic)
    return NarrativeOutline(
        has_narrative=first_page is not None,
        omitted=omitted,
        covered=tuple(sorted(covered)),
        mentioned=tuple(sorted(mentioned)),
        first_page=first_page,
    )
