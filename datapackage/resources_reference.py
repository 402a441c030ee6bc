"""The reference resources `subjects` and `measures`, and the foreign keys from `line_items` to them.

    content = PackageContent(..., extra_resources=reference_resources(line_items),
                             line_item_foreign_keys=LINE_ITEM_REFERENCE_KEYS)

`subjects` holds every code of the reference data (schemas/data/subjects*.csv) plus every
code a published document printed that the reference does not know (status `unknown`,
source `document:<doc_id>`), so the foreign key line_items.subject_code → subjects.code
always holds while unknown codes are still published exactly as printed; empty codes are
missing values, which a foreign key does not check. `measures` is the closed set of
measure keys (schemas/data/measures.csv).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.records import LineItem
from datapackage.resources import (
    MEASURE_PATTERN,
    SUBJECT_CODE_PATTERN,
    FieldDef,
    ForeignKey,
    ResourceDef,
    _int,
    _text,
)
from schemas.reference import Reference, level_of, load_measures, load_reference, normalize_name, parent_of

SUBJECT_STATUSES = ("reference", "unknown")


@dataclass(frozen=True)
class SubjectRecord:
    code: str
    name: str
    level: str
    parent_code: str
    system: str
    valid_from: int | None
    valid_to: int | None
    source: str
    variants: str
    years_seen: str
    status: str


@dataclass(frozen=True)
class MeasureRecord:
    key: str
    tables: str
    budget_tables: str
    labels_zh: str
    description_en: str
    description_zh: str
    direction: str
    kind: str


_YEARS = {"minimum": 1949, "maximum": 2100}


def _fields_subjects() -> tuple[FieldDef, ...]:
    return (
        _text("code", "Subject code 科目编码", "Classification code (function 3/5/7 digits, economic 3/5), as text.",
              required=True, constraints={"pattern": SUBJECT_CODE_PATTERN}),
        _text("name", "Name 科目名称", "Reference name (the official one when an official list was imported)."),
        _text("level", "Level 级次", "类 / 款 / 项 (3/5/7 digits); empty for a code whose length fits no level.",
              constraints={"enum": ["类", "款", "项"]}, dictionary=True),
        _text("parent_code", "Parent code 上级科目编码", "The code's prefix one level up; empty for a 类.",
              constraints={"pattern": SUBJECT_CODE_PATTERN}),
        _text("system", "Classification 科目体系", "function = 支出功能分类; economic = 支出经济分类.",
              constraints={"enum": ["function", "economic"]}, dictionary=True),
        _int("valid_from", "Valid from 起始年度", "First fiscal year the code is valid for; empty = not known to be limited.",
             constraints=_YEARS),
        _int("valid_to", "Valid to 终止年度", "Last fiscal year the code is valid for; empty = still valid / not known.",
             constraints=_YEARS),
        _text("source", "Source 来源", "Provenance, `;`-separated: official:<file>, curated:<topic>, seed:<booklet>,"
              " observed:<collection>:<file>, document:<file or doc_id>."),
        _text("variants", "Variants 名称变体", "Other spellings printed for this code (truncated, bracket forms,"
              " older names), `|`-separated; each with its provenance in schemas/data/subject_variants.csv."),
        _text("years_seen", "Years seen 出现年度", "Fiscal years of the documents that printed the code, `;`-separated."),
        _text("status", "Status 状态", "reference = in the reference data; unknown = printed by a published document"
              " but absent from the reference (its line items carry subject_flag).",
              required=True, constraints={"enum": list(SUBJECT_STATUSES)}, dictionary=True),
    )


SUBJECTS = ResourceDef(
    name="subjects",
    title="Classification subjects 政府收支分类科目",
    description=(
        "支出功能分类 (function: 类/款/项) and 支出经济分类 (economic: 类/款) codes with their reference name,"
        " level, parent, validity and provenance, plus the codes printed by the published documents that the"
        " reference does not know (status unknown). line_items.subject_code refers to subjects.code: sum"
        " amount_yuan by subject_code across departments for a cross-department view."
    ),
    record_type=SubjectRecord,
    primary_key=("code",),
    fields=_fields_subjects(),
)

MEASURES = ResourceDef(
    name="measures",
    title="Measures 指标",
    description="The closed set of measure keys of line_items: tables, Chinese column headers seen, meaning, direction.",
    record_type=MeasureRecord,
    primary_key=("key",),
    fields=(
        _text("key", "Measure 指标", "Stable snake_case key (line_items.measure).", required=True,
              constraints={"pattern": MEASURE_PATTERN}),
        _text("tables", "Tables 表号", "部门决算 tables using the key, `;`-separated codes \"01\"…\"10\"."),
        _text("budget_tables", "Budget tables 预算表号", "部门预算 tables using the key, `;`-separated codes (their own numbering)."),
        _text("labels_zh", "Chinese labels 栏目名称", "Column headers (or header paths) mapped to the key, `|`-separated."),
        _text("description_en", "Description (English)", "What the measure is."),
        _text("description_zh", "Description (Chinese) 说明", "指标含义."),
        _text("direction", "Direction 方向", "revenue / expenditure / balance / count.",
              constraints={"enum": ["revenue", "expenditure", "balance", "count"]}, dictionary=True),
        _text("kind", "Kind 类型", "money (amount_yuan); count (quantity); mixed (money, with count rows in table 09).",
              constraints={"enum": ["money", "count", "mixed"]}, dictionary=True),
    ),
)

#: Pass to PackageContent(line_item_foreign_keys=…) together with reference_resources(…).
LINE_ITEM_REFERENCE_KEYS: tuple[ForeignKey, ...] = (
    ForeignKey(("subject_code",), SUBJECTS.name, ("code",)),
    ForeignKey(("measure",), MEASURES.name, ("key",)),
)


def subject_records(items: Sequence[LineItem], reference: Reference | None = None) -> list[SubjectRecord]:
    """Every reference subject, then every code printed in `items` that the reference lacks."""
    ref = reference or load_reference()
    out = [
        SubjectRecord(
            code=s.code, name=s.name, level=s.level, parent_code=s.parent_code, system=s.system,
            valid_from=s.valid_from, valid_to=s.valid_to, source=s.source, variants="|".join(s.variants),
            years_seen=s.years_seen, status="reference",
        )
        for s in ref.subjects.values()
    ]
    names: defaultdict[str, Counter[str]] = defaultdict(Counter)
    docs: defaultdict[str, set[str]] = defaultdict(set)
    systems: dict[str, str] = {}
    years: defaultdict[str, set[int]] = defaultdict(set)
    for item in items:
        if item.subject_code and item.subject_code not in ref.subjects:
            names[item.subject_code][normalize_name(item.subject_name_printed or item.subject_name)] += 1
            docs[item.subject_code].add(item.doc_id)
            systems.setdefault(item.subject_code, item.subject_system)
            if item.fiscal_year:
                years[item.subject_code].add(item.fiscal_year)
    for code in sorted(names):
        ranked = [n for n, _ in names[code].most_common() if n]
        out.append(
            SubjectRecord(
                code=code, name=ranked[0] if ranked else "", level=level_of(code), parent_code=parent_of(code),
                system=systems[code] if systems[code] in ("function", "economic") else "",
                valid_from=None, valid_to=None, source=";".join(f"document:{d}" for d in sorted(docs[code])),
                variants="|".join(ranked[1:]), years_seen=";".join(str(y) for y in sorted(years[code])),
                status="unknown",
            )
        )
    return out


def measure_records() -> list[MeasureRecord]:
    return [
        MeasureRecord(
            key=m.key, tables=";".join(m.tables), budget_tables=";".join(m.budget_tables), labels_zh="|".join(m.labels_zh), description_en=m.description_en,
            description_zh=m.description_zh, direction=m.direction, kind=m.kind,
        )
        for m in load_measures().values()
    ]


def reference_resources(items: Sequence[LineItem]) -> list[tuple[ResourceDef, list[Any]]]:
    """`subjects` and `measures` with their records, for PackageContent(extra_resources=…)."""
    return [(SUBJECTS, list(subject_records(items))), (MEASURES, list(measure_records()))]

