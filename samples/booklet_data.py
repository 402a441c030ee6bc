"""Load a sample booklet's data file (samples/data/<name>.toml) into typed values.

Why a separate module: the figures are data (one TOML per sample document), and the
layout and rendering code should only ever see checked, typed values. Every printed
cell is kept as the text it prints *without* thousands separators ("12653.82",
"0.00", "0", "" for a blank cell, "——" for a dash cell) so the ground truth can
repeat it exactly; `Decimal` is the only numeric type used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
STANDARD_TABLES_FILE = DATA_DIR / "standard_tables.toml"
TABLE_CODES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10")

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
    """Boilerplate printed around one standard table (title, label, unit caption, notes)."""

    code: str
    title: str
    label: str
    unit_caption: str  # "money" → 金额单位：<unit>; else printed as is
    orientation: str  # portrait | landscape
    notes: tuple[str, ...]


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


@dataclass(frozen=True)
class Section:
    """A narrative section: a heading and its paragraphs (may hold {{…}} placeholders)."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    """One sample booklet: settings, narrative and the raw rows of its ten tables."""

    settings: DocumentSettings
    overview: tuple[Section, ...]
    explanation: tuple[Section, ...]
    tables: dict[str, dict[str, Any]]
    standard: dict[str, StandardTable]


def sample_names() -> list[str]:
    """Every sample shipped under samples/data/ (all TOML files but the shared boilerplate)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml") if p != STANDARD_TABLES_FILE)


def load_standard_tables(path: Path = STANDARD_TABLES_FILE) -> dict[str, StandardTable]:
    """Read the per-table boilerplate shared by every booklet."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["tables"]
    out: dict[str, StandardTable] = {}
    for code in TABLE_CODES:
        t = raw[code]
        if t["orientation"] not in ("portrait", "landscape"):
            raise SampleDataError(f"{path}: table {code} orientation {t['orientation']!r}")
        out[code] = StandardTable(
            code=code,
            title=t["title"],
            label=t["label"],
            unit_caption=t["unit_caption"],
            orientation=t["orientation"],
            notes=tuple(t["notes"]),
        )
    return out


def _sections(raw: list[dict[str, Any]]) -> tuple[Section, ...]:
    return tuple(Section(s["heading"], tuple(s["paragraphs"])) for s in raw)


def load_sample(name: str, data_dir: Path = DATA_DIR) -> Sample:
    """Read and check samples/data/<name>.toml."""
    path = data_dir / f"{name}.toml"
    if not path.is_file():
        raise SampleDataError(f"no sample data file {path}; known samples: {sample_names()}")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    doc = raw["document"]
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
    )
    tables = raw["tables"]
    missing = [c for c in TABLE_CODES if c not in tables]
    if missing:
        raise SampleDataError(f"{path}: tables {missing} missing")
    return Sample(
        settings=settings,
        overview=_sections(raw.get("overview", [])),
        explanation=_sections(raw.get("explanation", [])),
        tables=tables,
        standard=load_standard_tables(),
    )
