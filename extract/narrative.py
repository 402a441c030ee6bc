"""Figures quoted by 第三部分 情况说明 → `NarrativeFigure` records.

    figures = narrative_figures(doc_id, page_texts)

How: the pages from the last `第三部分…情况/说明` heading up to `第四部分` (or the first
项目支出绩效自评表) are joined line by line with the whitespace removed, so a sentence wrapped
over lines or pages reads whole (a figure's page is the page its number is printed on). Every
number followed by a unit (万元, 元, %, 个, 辆 …) is a figure; what kind of figure it is, and what
it is about, is read from the words just before it in its clause by the patterns of
`schemas/data/narrative_figures.toml` (data, first match wins). A figure that names no subject
(`比上年增加…`, `占…%`, `决算数…`) belongs to the subject of the clause before it. The subject's
table cell comes from the same file.

The figure's own binding is the 决算 tables'; `kind_cells` rebinds a figure for another kind
([kinds.budget]: a budget's totals, 三公 lines in the 预算数 column; nothing for another year's clause).
A 第三部分 heading wrapped over two lines ("第三部分 …2017 年度" + "部门预算情况说明") starts it too.

Real layouts: pdfium's text keeps the figures of the Shanghai ONLYOFFICE 决算 inside their
sentences (pdfplumber's word order does not), so page texts from pdfium are the input.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from core.records import NarrativeFigure

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data" / "narrative_figures.toml"

_NUMBER = re.compile(
    # at most 4 decimals: a longer run is an amount glued to a code by the text layer
    # (`729.002010106` on Jiangsu's narrative pages), not a figure
    # a minus sign is kept ("增加-5.00万元" is a negative change); a hyphen after a digit is a range
    r"(?<![\d.])(?P<value>[-－−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d+(?:\.\d{1,4})?))"
    r"(?P<unit>万元|亿元|元|%|人次|个|人|辆|台（套）|台\(套\)|台|套|批次|批|项)"
)
_SENTENCE_END = "。；;"
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")  # "3,233.03": the comma groups digits, it ends no clause
#: a page number line: "22", "- 22 -", "─12─" (Jiangsu's Word footers), "第22页", "22/30"
_FOOTER = re.compile(r"[—\-–─━－·\d第页/共\s]*")
_CLAUSE_END = "，,：:、"
_START = re.compile(r"^第三部分.*(情况|说明)")
#: "第三部分 江苏省高级人民法院 2017 年度" + "部门预算情况说明": a heading wrapped over two lines
_START_PART = re.compile(r"^第三部分")
_START_REST = re.compile(r"^(?![一二三四五六七八九十]+、|[（(]).{0,30}(情况说明|说明)$")
_END = re.compile(r"^(第四部分|第五部分|项目支出绩效自评表|名词解释)")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\D{0,40}$")
_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．])")
_PREFIX = re.compile(r"^.*(?:20\d{2}年度|20\d{2}年|本部门|本单位|其中|主要用于以下方面|主要用于|具体构成)")
#: a lead that names no subject: "与上年相比减少81万元" is about the item before it
_NO_SUBJECT = re.compile(r"(?:与|较|比)(?:上年度?|\d{4}年度?)(?:相比|同期)?")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_BASE_MARK = re.compile(r"其中|具体构成|主要用于")
_BASE_NAMED = re.compile(r"(本年收入|本年支出)的具体构成")
#: "X支出（类）", "X支出（类）Y（款）Z（项）": a 类 row, or a 项 row by its names (label "X/Y/Z").
_PATH = re.compile(r"(?P<lei>[^（(]+?支出)[（(]类[)）](?:(?P<kuan>[^（(]+?)[（(]款[)）])?(?:(?P<xiang>[^（(]+?)[（(]项[)）])?")
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
class CellRef:
    """A cell a figure may repeat: a row by label ("" = the unlabelled total row) or by 09 line role."""

    table: str
    measure: str
    label: str = ""
    role: str = ""


@dataclass(frozen=True)
class KindRules:
    """How figures are bound to the tables of one document kind ([kinds.<kind>] of the data file)."""

    aspects: tuple[str, ...]
    other_years: re.Pattern[str]
    sangong_measures: dict[str, str]
    rebind: bool
    subjects: tuple[tuple[re.Pattern[str], tuple[CellRef, ...]], ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    patterns: tuple[Pattern, ...]
    flat: re.Pattern[str]
    subjects: dict[str, SubjectRef]  # normalized alias → ref
    class_tables: tuple[tuple[str, str, str], ...]  # heading word, table, measure
    other_funds: re.Pattern[str]
    comparisons: tuple[re.Pattern[str], ...] = ()
    kinds: dict[str, KindRules] = field(default_factory=dict)


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
    kinds = {
        kind: KindRules(
            tuple(k["aspects"]),
            re.compile(k["other_years"]),
            dict(k["sangong_measures"]),
            bool(k["rebind"]),
            tuple(
                (re.compile(s["match"]), tuple(CellRef(c["table"], c["measure"], c.get("label", ""), c.get("role", "")) for c in s["cells"]))
                for s in k.get("subject", [])
            ),
        )
        for kind, k in data.get("kinds", {}).items()
    }
    return Vocabulary(
        patterns,
        re.compile(data["flat"]["lead"]),
        subjects,
        class_tables,
        re.compile(data["other_funds"]["heading"]),
        tuple(re.compile(c["lead"]) for c in data.get("comparison", [])),
        kinds,
    )


def kind_rules(doc_kind: str) -> KindRules:
    """The binding rules of a document kind (a kind without its own are read as 决算)."""
    kinds = vocabulary().kinds
    return kinds.get(doc_kind) or kinds["final_account"]


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
    for pattern, cells in rules.subjects:
        if pattern.fullmatch(key):
            return cells
    measure = rules.sangong_measures.get(figure.measure, "")
    if figure.table_code == "09" and measure:
        return (CellRef("09", measure, figure.line_label),)
    return ()


def subject_key(text: str) -> str:
    """NFKC, no quotes or whitespace: the key subjects are looked up by."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


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


def narrative_text(page_texts: Sequence[str]) -> NarrativeText:
    """Join the 情况说明 pages: lines without whitespace, a heading line ends its sentence."""
    lines: list[tuple[int, str]] = [
        (number, re.sub(r"\s+", "", fold(line)))
        for number, text in enumerate(page_texts, start=1)
        for line in text.splitlines()
    ]
    starts = [i for i, (_, line) in enumerate(lines) if _START.match(line) or _wrapped_start(lines, i)]
    begin = starts[-1] if starts else 0
    end = next((i for i in range(begin + 1, len(lines)) if _END.match(lines[i][1])), len(lines))
    text: list[str] = []
    pages: list[int] = []
    for number, line in lines[begin:end]:
        if not line or _FOOTER.fullmatch(line):
            continue  # page numbers and footers: a sentence (or a 类/款/项 heading) goes on across them
        if _HEADING.match(line) and not _NUMBER.search(line):
            line += "。"
        text.append(line)
        pages += [number] * len(line)
    return NarrativeText("".join(text), pages)


def _wrapped_start(lines: list[tuple[int, str]], i: int) -> bool:
    """A 第三部分 heading whose 情况说明 is on the next non-empty line."""
    if not _START_PART.match(lines[i][1]) or _END.match(lines[i][1]):
        return False
    following = next((line for _, line in lines[i + 1 : i + 3] if line), "")
    return bool(_START_REST.match(following))


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


def _ref(subject: str, vocab: Vocabulary, section: str) -> SubjectRef | None:
    """The cell a subject repeats; the section heading decides which table's 类 rows a class means."""
    key = subject_key(subject)
    if key in vocab.subjects:
        ref = vocab.subjects[key]
        return None if ref.table in ("01", "02", "03") and vocab.other_funds.search(section) else ref
    match = _PATH.fullmatch(key)
    if match:
        names = [n for n in match.group("lei", "kuan", "xiang") if n]
        table, measure = next(((t, m) for w, t, m in vocab.class_tables if w in section), ("03", "total_expenditure"))
        return SubjectRef(subject, table, measure, label="/".join(names))
    return None


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
        if _HEADING.match(sentence) and not _NUMBER.search(sentence):
            self.section = sentence
            self.base = ("", None)  # a new section: shares are of another whole
            self.subject = ""
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
        elif mark and self.last_amount and not _NUMBER.search(clause[: mark.start()]):
            self.base = self.last_amount
        cursor = 0
        found = False
        for match in _NUMBER.finditer(clause):
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
        ref = _ref(subject, self.vocab, self.section) if kind == "amount" else None
        if ref is not None and ref.table == "09":
            ref = replace(ref, measure=_MEASURES_09.get(aspect, ref.measure))
        elif aspect not in ("", "决算数"):
            ref = None  # a budget figure: the final-account tables do not print it
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
