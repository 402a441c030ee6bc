"""Figures quoted by a booklet's narrative (情况说明, 预算编制说明) → `NarrativeFigure` records.

    figures = narrative_figures(doc_id, page_texts)

How: the narrative's sections ([[section]] of `schemas/data/narrative_figures.toml`: Jiangsu's
第三部分…情况说明, Shanghai's 预算编制说明 and 其他相关情况说明) are joined into one text by
extract/narrative_pages.py (a figure's page is the page its number is printed on). Every
number followed by a unit (万元, 元, %, 个, 辆 …) is a figure; what kind of figure it is, and what
it is about, is read from the words just before it in its clause by the patterns of the data file
(first match wins). A figure that names no subject (`比上年增加…`, `占…%`, `决算数…`,
`2023年当年预算执行数为…`, `2024年预算安排…`) belongs to the subject of the clause before it.
The subject's table cell comes from the same file; a 类/款/项 line ("X支出（类）Y（款）Z（项）",
Shanghai 2025's "“X支出-Y-Z”科目") names its table by its section heading or by the list lead it
follows ([[list]]: "财政拨款支出主要内容如下").

The figure's own binding is the 决算 tables'; extract/narrative_kinds.py rebinds a figure for
another kind ([kinds.budget]: a budget's totals, 类/款/项 lines, 三公 lines in the 预算数 column;
nothing for another year's clause).

Real layouts: pdfium's text keeps the figures of the Shanghai ONLYOFFICE 决算 inside their
sentences (pdfplumber's word order does not), so page texts from pdfium are the input.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from core.records import NarrativeFigure
from extract.narrative_pages import HEADING, NUMBER, NarrativeText, fold, narrative_text

__all__ = ["class_path", "fold", "narrative_figures", "narrative_text", "subject_key", "vocabulary"]

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data" / "narrative_figures.toml"

_SENTENCE_END = "。；;"
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")  # "3,233.03": the comma groups digits, it ends no clause
_CLAUSE_END = "，,：:、"
_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．])")
_PREFIX = re.compile(r"^.*(?:20\d{2}年度|20\d{2}年|本部门|本单位|其中|主要用于以下方面|主要用于|具体构成)")
#: a lead that names no subject: "与上年相比减少81万元" is about the item before it
_NO_SUBJECT = re.compile(r"(?:与|较|比)(?:上年度?|\d{4}年度?)(?:相比|同期)?")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_BASE_MARK = re.compile(r"其中|具体构成|主要用于")
_BASE_NAMED = re.compile(r"(本年收入|本年支出)的具体构成")
#: "X支出（类）", "X支出（类）Y（款）Z（项）": a 类 row, or a 项 row by its names (label "X/Y/Z").
_PATH = re.compile(r"(?P<lei>[^（(]+?支出)[（(]类[)）](?:(?P<kuan>[^（(]+?)[（(]款[)）])?(?:(?P<xiang>[^（(]+?)[（(]项[)）])?")
#: Shanghai 2025: "“X支出-Y-Z”科目" (类-款-项 by name, quotes removed by subject_key)
_DASH_PATH = re.compile(r"(?P<lei>[^-－]+?支出)[-－](?P<kuan>[^-－]+)[-－](?P<xiang>[^-－]+?)(?:科目)?")
_MEASURES_09 = {
    "年初预算数": "initial_budget",
    "全年预算数": "full_year_budget",
    "预算数": "budget",
    "决算数": "final_amount",
}
_JUNK_SUBJECTS = {"", "支出", "收入", "金额", "为", "共", "共计", "合计", "其中", "分别为", "全年"}
_ASPECTS = {
    "年初预算数": "年初预算数",
    "年初预算为": "年初预算数",
    "年初预算": "年初预算数",
    "全年预算数": "全年预算数",
    "全年预算为": "全年预算数",
    "预算数": "预算数",
    "预算为": "预算数",
    "预算": "预算数",
    "决算数": "决算数",
    "决算为": "决算数",
    "支出决算为": "决算数",
    "支出决算": "决算数",
    "上年决算数": "上年数",
    "上年决算": "上年数",
    "上年数": "上年数",
    # Shanghai budgets: "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元" (last year's 执行数, this year's 预算)
    "上年预算执行数": "上年数",
    "当年预算执行数": "上年数",
    "上年执行数": "上年数",
    "预算安排为": "预算数",
    "预算安排": "预算数",
}


@dataclass(frozen=True)
class Pattern:
    kind: str
    units: frozenset[str]
    lead: re.Pattern[str]


@dataclass(frozen=True)
class SubjectRef:
    name: str
    table: str
    measure: str
    label: str = ""
    code: str = ""


@dataclass(frozen=True)
class Vocabulary:
    patterns: tuple[Pattern, ...]
    flat: re.Pattern[str]
    subjects: dict[str, SubjectRef]  # normalized alias → ref
    class_tables: tuple[tuple[str, str, str], ...]  # heading word, table, measure
    other_funds: re.Pattern[str]
    comparisons: tuple[re.Pattern[str], ...] = ()
    #: a clause that opens a list of 类/款/项 lines → the table (and measure) its lines repeat
    lists: tuple[tuple[re.Pattern[str], str, str], ...] = ()


@cache
def vocabulary(path: Path = DATA) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    patterns = tuple(
        Pattern(p["kind"], frozenset(p["units"]), re.compile(p["lead"] + r"\Z")) for p in data["pattern"]
    )
    subjects: dict[str, SubjectRef] = {}
    for s in data["subject"]:
        ref = SubjectRef(s["name"], s["table"], s["measure"], s.get("label", ""), s.get("code", ""))
        for alias in [s["name"], *s["aliases"]]:
            subjects[subject_key(alias)] = ref
    class_tables = tuple((word, t, m) for word, (t, m) in data["class_tables"].items())
    return Vocabulary(
        patterns,
        re.compile(data["flat"]["lead"]),
        subjects,
        class_tables,
        re.compile(data["other_funds"]["heading"]),
        tuple(re.compile(c["lead"]) for c in data.get("comparison", [])),
        tuple((re.compile(x["lead"]), x["table"], x["measure"]) for x in data.get("list", [])),
    )


def subject_key(text: str) -> str:
    """NFKC, no quotes or whitespace: the key subjects are looked up by."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def _clean_subject(raw: str) -> str:
    subject = _PREFIX.sub("", raw)
    subject = _ORDINAL.sub("", subject)
    return subject.strip("：:，,、。；;（(")


def _same_subject(a: str, b: str, vocab: Vocabulary) -> bool:
    """Two wordings of one subject ("“三公”经费支出", "“三公”经费财政拨款支出")."""
    ka, kb = subject_key(a), subject_key(b)
    if ka == kb:
        return True
    ra, rb = vocab.subjects.get(ka), vocab.subjects.get(kb)
    return ra is not None and ra == rb


def _ref(subject: str, vocab: Vocabulary, section: str, listed: tuple[str, str] | None = None) -> SubjectRef | None:
    """The cell a subject repeats; the list lead or the section heading decides which table's 类 rows a class means."""
    key = subject_key(subject)
    if key in vocab.subjects:
        ref = vocab.subjects[key]
        return None if ref.table in ("01", "02", "03") and vocab.other_funds.search(section) else ref
    match = _PATH.fullmatch(key) or _DASH_PATH.fullmatch(key)
    if match:
        names = [n for n in match.group("lei", "kuan", "xiang") if n]
        table, measure = listed or next(
            ((t, m) for w, t, m in vocab.class_tables if w in section), ("03", "total_expenditure")
        )
        return SubjectRef(subject, table, measure, label="/".join(names))
    return None


def class_path(subject: str) -> tuple[str, ...]:
    """The 类/款/项 names a subject prints ("X支出（类）Y（款）Z（项）", "“X支出-Y-Z”科目"), () for another
    subject; a level it skips is "" ("X支出（类）Z（项）" → ("X支出", "", "Z"))."""
    key = subject_key(subject)
    match = _PATH.fullmatch(key) or _DASH_PATH.fullmatch(key)
    names = [n or "" for n in match.group("lei", "kuan", "xiang")] if match else []
    while names and not names[-1]:
        names.pop()
    return tuple(names)


class _Reader:
    """Walks the clauses of the narrative, keeping the current subject, group and share base."""

    def __init__(self, doc_id: str, narrative: NarrativeText, vocab: Vocabulary) -> None:
        self.doc_id = doc_id
        self.narrative = narrative
        self.vocab = vocab
        self.figures: list[NarrativeFigure] = []
        self.subject = ""
        self.group = 0
        self.base: tuple[str, Decimal | None] = ("", None)
        self.last_amount: tuple[str, Decimal] | None = None
        self.section = ""
        self.listed: tuple[str, str] | None = None  # the table a list lead names for its 类/款/项 lines

    def read(self) -> list[NarrativeFigure]:
        text = self.narrative.text
        sentence_start = 0
        for i, ch in enumerate(text + "。"):
            if ch in _SENTENCE_END:
                self._sentence(sentence_start, i)
                sentence_start = i + 1
        return self.figures

    def _sentence(self, start: int, end: int) -> None:
        text = self.narrative.text
        sentence = text[start:end]
        if (HEADING.match(sentence) and not NUMBER.search(sentence)) or sentence in self.narrative.headings:
            self.section = sentence
            self.base = ("", None)  # a new section: shares are of another whole
            self.subject = ""
            self.listed = None
            return
        clause_start = start
        for i in range(start, end + 1):
            if i == end or (text[i] in _CLAUSE_END and not _THOUSANDS.match(text, i - 1)):
                self._clause(clause_start, i)
                clause_start = i + 1

    def _clause(self, start: int, end: int) -> None:
        text = self.narrative.text
        clause = text[start:end]
        named = _BASE_NAMED.search(clause)
        mark = _BASE_MARK.search(clause)
        if named:
            self.base = (named.group(1) + "合计", None)
        elif mark and self.last_amount and not NUMBER.search(clause[: mark.start()]):
            self.base = self.last_amount
        cursor = 0
        found = False
        for match in NUMBER.finditer(clause):
            found = True
            lead = clause[cursor : match.start()]
            cursor = match.end()
            self._figure(lead, match, start, clause)
        if not found:
            flat = self.vocab.flat.search(clause)
            if flat:
                subject = _clean_subject(flat.group("subject"))
                direction = (flat.group("direction") or "") + "持平"
                self._add(start, clause, subject, "", "growth_amount", Decimal(0), "", direction)
            elif _PATH.search(clause):
                self.subject = _clean_subject(clause)  # "1、X（类）Y（款）Z（项）": the figures follow
                self.group += 1
            else:
                opened = next(((t, m) for p, t, m in self.vocab.lists if p.search(clause)), None)
                self.listed = opened or self.listed
        self._comparison(clause)

    def _comparison(self, clause: str) -> None:
        """"决算数小于预算数": the word goes to the direction of the item's 决算数 figure."""
        match = next((m for c in self.vocab.comparisons if (m := c.search(clause))), None)
        if match is None:
            return
        subject = _clean_subject(match.group("subject"))
        group = self.group
        if subject not in _JUNK_SUBJECTS and not _NO_SUBJECT.fullmatch(subject):  # the item is named again
            group = next((f.group for f in reversed(self.figures) if _same_subject(f.subject, subject, self.vocab)), 0)
        for i, figure in enumerate(self.figures):
            if figure.group == group and figure.kind == "amount" and figure.aspect == "决算数" and not figure.direction:
                budget, word = match.group("aspect") + "数", match.group("word")
                printed = f"与{budget}{word}" if "与" in match.group(0)[len(match.group("subject")):] else f"{word}{budget}"
                self.figures[i] = replace(figure, direction=printed)  # "小于预算数", "与预算数基本持平"
                return

    def _figure(self, lead: str, match: re.Match[str], offset: int, clause: str) -> None:
        value = Decimal(match.group("value").replace(",", "").replace("－", "-").replace("−", "-"))
        unit = match.group("unit").replace("(", "（").replace(")", "）")
        for pattern in self.vocab.patterns:
            if unit not in pattern.units:
                continue
            m = pattern.lead.search(lead)
            if m is None:
                continue
            groups = m.groupdict()
            subject = _clean_subject(groups.get("subject") or "")
            aspect = _ASPECTS.get(groups.get("aspect") or "", "")
            if pattern.kind == "completion_rate":
                aspect = {"年初预算": "年初预算数", "全年预算": "全年预算数"}.get(groups.get("aspect") or "", "预算数")
            base_subject, base_value = "", None
            if pattern.kind == "share":
                named = _clean_subject(groups.get("base") or "")
                base_subject, base_value = (named, None) if named else self.base
            self._add(
                offset + match.start(),
                clause,
                subject,
                aspect,
                pattern.kind,
                value,
                unit,
                groups.get("direction") or "",
                base_subject,
                base_value,
            )
            return

    def _add(
        self,
        position: int,
        clause: str,
        subject: str,
        aspect: str,
        kind: str,
        value: Decimal,
        unit: str,
        direction: str,
        base_subject: str = "",
        base_value: Decimal | None = None,
    ) -> None:
        if subject in _JUNK_SUBJECTS or subject == self.subject or _NO_SUBJECT.fullmatch(subject):
            subject = self.subject
        else:
            self.subject = subject
            self.group += 1
        if not subject:
            return
        ref = _ref(subject, self.vocab, self.section, self.listed) if kind == "amount" else None
        if ref is not None and ref.table == "09":
            ref = replace(ref, measure=_MEASURES_09.get(aspect, ref.measure))
        elif aspect not in ("", "决算数") and not (ref is not None and self.listed and ref.table == self.listed[0]):
            ref = None  # a budget figure: the final-account tables do not print it (a listed line's table does)
        if kind == "amount" and aspect in ("", "决算数"):
            self.last_amount = (subject, value)
        ref_for_aspect = ref
        self.figures.append(
            NarrativeFigure(
                doc_id=self.doc_id,
                page=self.narrative.pages[min(position, len(self.narrative.pages) - 1)],
                position=len(self.figures) + 1,
                group=self.group,
                sentence=clause,
                subject=subject,
                aspect=aspect,
                kind=kind,
                value=value,
                unit=unit,
                direction=direction,
                base_subject=base_subject,
                base_value=base_value,
                table_code=ref_for_aspect.table if ref_for_aspect else "",
                measure=ref_for_aspect.measure if ref_for_aspect else "",
                line_label=ref_for_aspect.label if ref_for_aspect else "",
                subject_code=ref_for_aspect.code if ref_for_aspect else "",
            )
        )


def narrative_figures(doc_id: str, page_texts: Sequence[str]) -> list[NarrativeFigure]:
    """Every figure the 情况说明 quotes, in reading order."""
    narrative = narrative_text(page_texts)
    if not narrative.text:
        return []
    return _Reader(doc_id, narrative, vocabulary()).read()
