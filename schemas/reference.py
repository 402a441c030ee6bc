"""Reference data for classification codes (政府收支分类科目) and measures, as data.

Files in `schemas/data/` (regenerate the first two with `python -m schemas.build_reference`):

- `subjects.csv` — one row per code: code, name (the reference spelling), level (类/款/项),
  parent_code, system (function = 支出功能分类, economic = 支出经济分类), valid_from / valid_to
  (fiscal years; empty = not known to be limited), years_seen (fiscal years of the documents
  that printed it) and source (provenance, `;`-separated: `curated:…`, `seed:jiangxi-2024`,
  `observed:GovBudgetChecker:<file>`, `document:<file>`).
- `subject_variants.csv` — code, variant, source: every other spelling printed for a code
  (truncated, bracket forms, older names, abbreviations), with where it was printed.
- `subjects_official.csv` — written by `import_official` from a user's official list; its
  rows take precedence over the built ones when loaded (the built name becomes a variant).
- `measures.csv` — the closed set of measure keys (see `load_measures`).

Names are compared after `normalize_name` (NFKC, brackets made full-width, whitespace
removed), so `维修(护)费` and `维修（护）费` are one name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SUBJECTS_CSV = DATA_DIR / "subjects.csv"
VARIANTS_CSV = DATA_DIR / "subject_variants.csv"
OFFICIAL_CSV = DATA_DIR / "subjects_official.csv"
MEASURES_CSV = DATA_DIR / "measures.csv"

SUBJECT_COLUMNS = ("code", "name", "level", "parent_code", "system", "valid_from", "valid_to", "years_seen", "source")
VARIANT_COLUMNS = ("code", "variant", "source")
OFFICIAL_COLUMNS = ("code", "name", "level", "parent_code", "system", "valid_from", "valid_to", "variants", "source")
MEASURE_COLUMNS = ("key", "tables", "budget_tables", "labels_zh", "description_en", "description_zh", "direction", "kind")

LEVEL_BY_LENGTH = {3: "类", 5: "款", 7: "项"}
VALID_LENGTHS = {"function": {3, 5, 7}, "economic": {3, 5}}
SYSTEM_BY_FIRST_DIGIT = {"2": "function", "3": "economic"}
#: A printed name shorter than this is never taken as a truncation of a reference name.
MIN_FRAGMENT = 2

_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "［", "]": "］"})
_SPACE = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """NFKC (Kangxi radicals, full-width letters), brackets full-width, whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_BRACKETS)


def level_of(code: str) -> str:
    """类 / 款 / 项 by length (3/5/7 digits); "" for any other length."""
    return LEVEL_BY_LENGTH.get(len(code), "") if code.isdigit() else ""


def parent_of(code: str) -> str:
    """A code's parent is its prefix two digits shorter; "" for a 类 or an odd length."""
    return code[:-2] if level_of(code) in ("款", "项") else ""


def system_of(code: str) -> str:
    return SYSTEM_BY_FIRST_DIGIT.get(code[:1], "")


def valid_length(code: str, system: str) -> bool:
    return code.isdigit() and len(code) in VALID_LENGTHS.get(system, {3, 5, 7})


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    level: str
    parent_code: str
    system: str
    valid_from: int | None = None
    valid_to: int | None = None
    years_seen: str = ""
    source: str = ""
    variants: tuple[str, ...] = ()

    def valid_for(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or year >= self.valid_from) and (
            self.valid_to is None or year <= self.valid_to
        )

    def name_match(self, printed: str) -> str:
        """exact / variant / truncated (a fragment of the name, e.g. a wrapped cell) / mismatch."""
        name = normalize_name(printed)
        if name == normalize_name(self.name):
            return "exact"
        if name in {normalize_name(v) for v in self.variants}:
            return "variant"
        if len(name) >= MIN_FRAGMENT and any(
            name in normalize_name(n) for n in (self.name, *self.variants)
        ):
            return "truncated"
        return "mismatch"

    def names(self) -> set[str]:
        return {normalize_name(n) for n in (self.name, *self.variants)}


@dataclass(frozen=True)
class Reference:
    """All subjects by code, with name lookups; built by `load_reference`."""

    subjects: dict[str, Subject]
    _by_name: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = {}
        for code, subject in self.subjects.items():
            for name in subject.names():
                index.setdefault(name, []).append(code)
        self._by_name.update({k: tuple(v) for k, v in index.items()})

    def get(self, code: str) -> Subject | None:
        return self.subjects.get(code)

    def children(self, parent_code: str) -> list[Subject]:
        """Subjects whose parent is `parent_code` ("" = the 类 list)."""
        return [s for s in self.subjects.values() if s.parent_code == parent_code]

    def codes_named(self, name: str) -> tuple[str, ...]:
        """Codes whose reference name or a known variant is `name` (after normalization)."""
        return self._by_name.get(normalize_name(name), ())

    def chain_exists(self, code: str) -> bool:
        """The code and every prefix above it (款 → 类) are in the reference."""
        while code:
            if code not in self.subjects:
                return False
            code = self.subjects[code].parent_code
        return True


def _read_csv(path: Path, columns: Iterable[str]) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}; expected {', '.join(columns)}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _subject(row: dict[str, str], variants: tuple[str, ...] = ()) -> Subject:
    code = row["code"]
    return Subject(
        code=code,
        name=row["name"],
        level=row.get("level") or level_of(code),
        parent_code=row.get("parent_code") or parent_of(code),
        system=row.get("system") or system_of(code),
        valid_from=_year(row.get("valid_from", "")),
        valid_to=_year(row.get("valid_to", "")),
        years_seen=row.get("years_seen", ""),
        source=row.get("source", ""),
        variants=variants,
    )


@cache
def load_reference(
    subjects_csv: Path = SUBJECTS_CSV, variants_csv: Path = VARIANTS_CSV, official_csv: Path = OFFICIAL_CSV
) -> Reference:
    """Built subjects + their variants, overlaid by the official list (official wins)."""
    variants: dict[str, list[str]] = {}
    for row in _read_csv(variants_csv, VARIANT_COLUMNS):
        variants.setdefault(row["code"], []).append(row["variant"])
    subjects = {
        row["code"]: _subject(row, tuple(dict.fromkeys(variants.get(row["code"], []))))
        for row in _read_csv(subjects_csv, SUBJECT_COLUMNS)
    }
    for row in _read_csv(official_csv, OFFICIAL_COLUMNS):
        official = _subject(row)
        built = subjects.get(official.code)
        extra = [v for v in row.get("variants", "").split("|") if v]
        if built is not None:
            extra += [built.name, *built.variants]
            official = replace(official, years_seen=built.years_seen, source=f"{official.source};{built.source}")
        names = [v for v in dict.fromkeys(extra) if normalize_name(v) != normalize_name(official.name)]
        subjects[official.code] = replace(official, variants=tuple(names))
    return Reference(dict(sorted(subjects.items())))


@dataclass(frozen=True)
class Measure:
    key: str
    tables: tuple[str, ...]  # 决算 tables (final_account_tables.toml) using the key
    budget_tables: tuple[str, ...]  # 预算 tables (budget_tables.toml) using the key
    labels_zh: tuple[str, ...]
    description_en: str
    description_zh: str
    direction: str  # revenue / expenditure / balance / mixed
    kind: str  # money / count / mixed


@cache
def load_measures(path: Path = MEASURES_CSV) -> dict[str, Measure]:
    """The closed set of measure keys (every key of the 决算 and 预算 table specs), in file order."""
    out: dict[str, Measure] = {}
    for row in _read_csv(path, MEASURE_COLUMNS):
        if row["key"] in out:
            raise ValueError(f"{path}: measure {row['key']} listed twice")
        out[row["key"]] = Measure(
            key=row["key"],
            tables=tuple(t for t in row["tables"].split(";") if t),
            budget_tables=tuple(t for t in row["budget_tables"].split(";") if t),
            labels_zh=tuple(t for t in row["labels_zh"].split("|") if t),
            description_en=row["description_en"],
            description_zh=row["description_zh"],
            direction=row["direction"],
            kind=row["kind"],
        )
    return out
