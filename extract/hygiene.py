"""Text hygiene of a booklet's prose (issue 9 §6): page texts → the slips a proof-reader would mark.

    from extract.hygiene import text_issues
    issues = text_issues(page_texts)   # [TextIssue(page, kind, text, context), …]

Kinds (each checked by one rule in checks/text_rules.py):

- `placeholder`: a template leftover in a filled booklet — `XX局`, `XXX`, `××`, `待填写`, `（略）`;
- `doubled_punctuation`: `。。`, `，，`, `，。` … (a run of three or more of one mark is a leader or
  an ellipsis, not a slip: 目录 leaders print as `……`, `···` or `。。。。`);
- `doubled_word`: a run of 2–4 Chinese characters printed twice in a row (`决算决算`);
- `percent_precision`: a percentage printed with more than two decimals (`12.345%`);
- `percent_unit`: a share printed without its % (`占支出合计的比重为76.23。`, `占比76.23，`): only after
  占比 / 比重 (为/是/达) with the clause ending right after the number, never in a clause about a count
  or an area (人数, 人次, 户数, 面积, 占地, 占用); none of the 27 real booklets prints one.

Only prose is read: a line is prose when it carries a sentence mark (，。；); a prose line is
joined to the line before and the line after it (a sentence wraps), whitespace removed. Table rows are
never joined to each other, so header cells (`小计 小计`, `支出 支出`) and a 绩效 table's
target and actual columns (`平稳有序 平稳有序`) are not read as doubled words.

A narrative mixing `12.3%` and `45.67%` is not reported: on the real booklets every
one-decimal rate among two-decimal ones is a two-decimal rate with its trailing zero
dropped (`增长8.8 %` for 8.80%, `15.3%` for 15.30%), which the text alone cannot tell
from a real change of precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from core.records import TextIssue

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[XＸ]{2,}|[×✕]{2,})(?![A-Za-z])|待填写|待补充|请填写|此处填写|[（(]略[)）]"
)
DOUBLED_PUNCTUATION = re.compile(r"(?<![。，、；！？])(?:([。，、；！？])\1|[。，；][。，；])(?![。，、；！？])")
DOUBLED_WORD = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
PERCENT = re.compile(r"(?<![\d.])\d+\.(\d+)\s*[%％]")
PROSE = re.compile(r"[，。；]")
#: a share without its %: the number ends the clause right after 占比 / 比重 (a unit, a % or a ratio would follow it)
PERCENT_UNIT = re.compile(r"(?:占比|比重)(?:为|是|达到|达)?(?P<value>\d+(?:\.\d+)?)(?=[，。；,;]|$)")
#: a clause about a count or an area: its share may be printed as a bare number of people or ㎡
NOT_A_SHARE = re.compile(r"人数|人次|户数|面积|占地|占用")

#: Doubled runs that are Chinese, not slips. None was printed by the 27 real booklets and the samples
#: inside prose; listed here when a real booklet teaches one (AABB/ABAB reduplication such as 研究研究).
LEGITIMATE_DOUBLES: frozenset[str] = frozenset({"研究研究", "讨论讨论", "看一看看一看"})
#: Budget terms that begin with the word ending the term before them: `9名在职人员人员经费` is
#: 在职人员 + 人员经费 (Jiangsu 2018 政协 budget p.4), no doubled word. Listed as real booklets teach them.
TERMS_AFTER_A_TERM: tuple[str, ...] = ("人员经费", "人员支出", "经费支出")


def _doubled_words(page: int, run: str) -> list[TextIssue]:
    issues = []
    for match in DOUBLED_WORD.finditer(run):
        second = run[match.start() + len(match.group(1)):]
        if match.group(0) in LEGITIMATE_DOUBLES or second.startswith(TERMS_AFTER_A_TERM):
            continue
        context = run[max(0, match.start() - CONTEXT):match.end() + CONTEXT]
        issues.append(TextIssue(page, "doubled_word", match.group(0), context))
    return issues

CONTEXT = 12  # characters of context either side


def prose_runs(text: str) -> Iterator[str]:
    """The page's prose as runs of joined lines, whitespace removed; table rows are left out."""
    run: list[str] = []
    previous = ""  # a line without a mark may begin the sentence the next line ends
    for line in text.splitlines():
        squashed = re.sub(r"\s+", "", line)
        if PROSE.search(squashed):
            run = run or ([previous] if previous else [])
            run.append(squashed)
        elif run:  # the last line of a wrapped sentence carries no mark of its own
            run.append(squashed)
            yield "".join(run)
            run = []
        previous = "" if run else squashed
    if run:
        yield "".join(run)


def _issues(page: int, kind: str, pattern: re.Pattern[str], text: str) -> Iterator[TextIssue]:
    for match in pattern.finditer(text):
        context = text[max(0, match.start() - CONTEXT):match.end() + CONTEXT]
        yield TextIssue(page, kind, match.group(0), context)


def page_issues(page: int, text: str) -> list[TextIssue]:
    """Every slip on one page (numbered from 1), in reading order per kind."""
    issues: list[TextIssue] = []
    for line in text.splitlines():  # a placeholder is a leftover wherever it is printed (cover, table title)
        issues += _issues(page, "placeholder", PLACEHOLDER, re.sub(r"\s+", "", line))
    for run in prose_runs(text):
        issues += _issues(page, "doubled_punctuation", DOUBLED_PUNCTUATION, run)
        issues += _doubled_words(page, run)
        issues += [i for i in _issues(page, "percent_precision", PERCENT, run) if _places(i.text) > 2]
        issues += _bare_shares(page, run)
    return issues


def _bare_shares(page: int, run: str) -> list[TextIssue]:
    issues = []
    for match in PERCENT_UNIT.finditer(run):
        clause = re.split(r"[，。；,;]", run[: match.start()])[-1]
        if NOT_A_SHARE.search(clause + match.group(0)):
            continue
        context = run[max(0, match.start() - CONTEXT):match.end() + CONTEXT]
        issues.append(TextIssue(page, "percent_unit", match.group(0), context))
    return issues


def _places(percentage: str) -> int:
    match = PERCENT.fullmatch(percentage)
    return len(match.group(1)) if match else 0


def text_issues(page_texts: Sequence[str]) -> list[TextIssue]:
    """The slips of every page, page by page."""
    return [issue for number, text in enumerate(page_texts, start=1) for issue in page_issues(number, text)]
