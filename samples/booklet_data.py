"""Load a sample booklet's data file (samples/data/<name>.toml) into typed values.

Why a separate module: the figures are data (one TOML per sample document), and the
layout and rendering code should only ever see checked, typed values. Every printed
cell is kept as the text it prints *without* thousands separators ("12653.82",
"0.00", "0", "" for a blank cell, "——" for a dash cell) so the ground truth can
repeat it exactly; `Decimal` is the only numeric type used.

A sample is a 部门决算 or a 部门预算 booklet (`kind` in its [document]; 决算 when absent).
What every booklet of a kind prints around its figures — cover and part headings, table
titles, captions, notes, and for the budget tables their header rows — is data too:
samples/data/standard_tables.toml (决算) and standard_budget_tables.toml (预算).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
STANDARD_TABLES_FILE = DATA_DIR / "standard_tables.toml"
#: the boilerplate file of each booklet kind (`kind` in a sample's [document])
STANDARD_FILES = {
    "final_account": STANDARD_TABLES_FILE,
    "budget": DATA_DIR / "standard_budget_tables.toml",
}
KINDS = tuple(STANDARD_FILES)

DASH = "——"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class SampleDataError(ValueError):
    """A sample data file is malformed; the message names the file and the place."""


def check_cell(text: object, where: str) -> str:
    """Return a printed cell text after checking it is blank, a dash or a plain number."""
    if not isinstance(text, str):
        raise SampleDataError(f"{where}: cell {text!r} must be a string")
    if text in ("", DASH) or _NUMBER.match(text):
        return text
    raise SampleDataError(f"{where}: cell {text!r} is neither blank, '——' nor a plain decimal")


def is_number(text: str) -> bool:
    """True when a printed cell holds a number (blank and '——' cells do not)."""
    return bool(_NUMBER.match(text))


def format_cell(text: str, thousands_separator: bool) -> str:
    """The text drawn on the page: numbers get thousands separators if the document uses them."""
    if not is_number(text) or not thousands_separator:
        return text
    return f"{Decimal(text):,}"


def share(part: Decimal, whole: Decimal) -> str:
    """A percentage as Chinese narratives print it: two decimals, half-up, with '%'."""
    if whole == 0:
        return "0.00%"
    pct = (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{pct}%"


@dataclass(frozen=True)
class StandardTable:
    """Boilerplate printed around one standard table (title, label, unit caption, notes).

    `title` and `notes` may hold `{year}`. `shape` and `layout` describe the grid of a table
    whose header rows are data (the budget tables: samples/budget_layout.py); the 决算
    tables' grids are built by samples/layout.py and leave them empty. `unit` overrides the
    document's money unit for this table (Shanghai prints its 三公 table in 万元).
    """

    code: str
    title: str
    label: str
    unit_caption: str  # "money" → the booklet's money caption (金额单位：<unit>); else printed as is
    orientation: str  # portrait | landscape
    notes: tuple[str, ...]
    shape: str = ""
    layout: dict[str, Any] = field(default_factory=dict)
    unit: str = ""


@dataclass(frozen=True)
class BookletText:
    """What a booklet of one kind prints around its tables; each text may hold {year}, {department}.

    The caption is the line under a table's title: left, centre, right (the right one
    also {unit}); an empty text is not printed.
    """

    kind: str  # final_account | budget
    kind_zh: str  # 部门决算 | 部门预算
    cover: str  # 2024年度部门决算
    tables_part: str  # 第二部分 2024年度部门决算表
    narrative_part: str  # 第三部分 2024年度部门决算情况说明
    caption: tuple[str, str, str]

    def text(self, template: str, settings: DocumentSettings, unit: str = "") -> str:
        return template.format(year=settings.fiscal_year, department=settings.department, unit=unit or settings.unit)


@dataclass(frozen=True)
class DocumentSettings:
    """How one booklet prints: department, year, unit and the layout variants it uses."""

    name: str
    department: str
    fiscal_year: int
    unit: str  # 万元 | 元
    code_style: str  # whole | split
    table_labels: bool
    thousands_separator: bool
    repeat_header: bool
    same_page: frozenset[str]
    cover_date: str
    synthetic: bool
    source: str
    omit: frozenset[str] = frozenset()  # tables left out of the booklet (a defect fixture's missing table)
    kind: str = "final_account"  # final_account (部门决算) | budget (部门预算)


@dataclass(frozen=True)
class Section:
    """A narrative section: a heading and its paragraphs (may hold {{…}} placeholders)."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    """One sample booklet: settings, narrative and the raw rows of its standard tables."""

    settings: DocumentSettings
    overview: tuple[Section, ...]
    explanation: tuple[Section, ...]
    tables: dict[str, dict[str, Any]]
    standard: dict[str, StandardTable]
    booklet: BookletText | None = None

    @property
    def wording(self) -> BookletText:
        """The booklet wording of the sample's kind."""
        return self.booklet or load_booklet_text(STANDARD_FILES[self.settings.kind])


def sample_kind(path: Path) -> str:
    """The `kind` a sample data file declares in its [document] (final_account when absent)."""
    kind = tomllib.loads(path.read_text(encoding="utf-8")).get("document", {}).get("kind", "final_account")
    if kind not in STANDARD_FILES:
        raise SampleDataError(f"{path}: kind must be one of {KINDS}, not {kind!r}")
    return str(kind)


def sample_names(kind: str | None = None) -> list[str]:
    """Every sample shipped under samples/data/ (all TOML files but the shared boilerplate), or those of `kind`."""
    boilerplate = set(STANDARD_FILES.values())
    paths = sorted(p for p in DATA_DIR.glob("*.toml") if p not in boilerplate)
    return [p.stem for p in paths if kind is None or sample_kind(p) == kind]


def load_booklet_text(path: Path = STANDARD_TABLES_FILE) -> BookletText:
    """The [booklet] wording of a boilerplate file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["booklet"]
    caption = tuple(raw["caption"])
    if len(caption) != 3:
        raise SampleDataError(f"{path}: [booklet] caption needs three texts (left, centre, right)")
    return BookletText(
        kind=raw["kind"],
        kind_zh=raw["kind_zh"],
        cover=raw["cover"],
        tables_part=raw["tables_part"],
        narrative_part=raw["narrative_part"],
        caption=(caption[0], caption[1], caption[2]),
    )


def load_standard_tables(path: Path = STANDARD_TABLES_FILE) -> dict[str, StandardTable]:
    """Read the per-table boilerplate shared by every booklet of a kind, in booklet order."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["tables"]
    out: dict[str, StandardTable] = {}
    for code in sorted(raw):
        t = raw[code]
        if t["orientation"] not in ("portrait", "landscape"):
            raise SampleDataError(f"{path}: table {code} orientation {t['orientation']!r}")
        layout = {k: v for k, v in t.items() if k not in _BOILERPLATE_KEYS}
        out[code] = StandardTable(
            code=code,
            title=t["title"],
            label=t.get("label", ""),
            unit_caption=t["unit_caption"],
            orientation=t["orientation"],
            notes=tuple(t["notes"]),
            shape=t.get("shape", ""),
            layout=layout,
            unit=t.get("unit", ""),
        )
    return out


_BOILERPLATE_KEYS = frozenset({"title", "label", "unit_caption", "orientation", "notes", "shape", "unit"})


def _sections(raw: list[dict[str, Any]]) -> tuple[Section, ...]:
    return tuple(Section(s["heading"], tuple(s["paragraphs"])) for s in raw)


def load_sample(name: str, data_dir: Path = DATA_DIR) -> Sample:
    """Read and check samples/data/<name>.toml."""
    path = data_dir / f"{name}.toml"
    if not path.is_file():
        raise SampleDataError(f"no sample data file {path}; known samples: {sample_names()}")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    doc = raw["document"]
    kind = sample_kind(path)
    if doc["unit"] not in ("万元", "元"):
        raise SampleDataError(f"{path}: unit must be 万元 or 元, not {doc['unit']!r}")
    if doc["code_style"] not in ("whole", "split"):
        raise SampleDataError(f"{path}: code_style must be whole or split")
    settings = DocumentSettings(
        name=name,
        department=doc["department"],
        fiscal_year=int(doc["fiscal_year"]),
        unit=doc["unit"],
        code_style=doc["code_style"],
        table_labels=bool(doc["table_labels"]),
        thousands_separator=bool(doc["thousands_separator"]),
        repeat_header=bool(doc["repeat_header"]),
        same_page=frozenset(doc.get("same_page", [])),
        cover_date=doc["cover_date"],
        synthetic=bool(doc["synthetic"]),
        source=doc["source"],
        omit=frozenset(doc.get("omit", [])),
        kind=kind,
    )
    standard = load_standard_tables(STANDARD_FILES[kind])
    tables = raw["tables"]
    missing = [c for c in standard if c not in tables]
    if missing:
        raise SampleDataError(f"{path}: tables {missing} missing")
    return Sample(
        settings=settings,
        overview=_sections(raw.get("overview", [])),
        explanation=_sections(raw.get("explanation", [])),
        tables=tables,
        standard=standard,
        booklet=load_booklet_text(STANDARD_FILES[kind]),
    )
