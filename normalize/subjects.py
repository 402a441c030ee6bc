"""Line items → classification codes and names checked against the reference (schemas/reference.py).

For each printed row of a table (all its cells share one code and name):

- a row with a code (printed whole or joined from 类/款/项 columns) keeps it, always: its
  name becomes the reference name when the printed one is that name, a known variant or a
  fragment of it (a wrapped or truncated cell); otherwise the printed name is kept
  (normalized) and the row is flagged `name_mismatch`. A code absent from the reference
  for the document's year is flagged `unknown_code`, one whose length fits no level
  (the seed's `310111`) `invalid_length`;
- a row of a coded table (02, 03, 05–08) printed with a name but no code gets its code
  from the name, searched within the context of the previous coded row (its children,
  then its siblings, then its 类's 款, then the 类 list), `code_source` = `inferred`; no
  single match → `unmatched_name`, no code;
- the expenditure class lines of the summary tables 01/04 (`一、一般公共服务支出`) get their
  类 code from the name, `code_source` = `inferred`; a summary line matching no class is
  left alone (budgets print `一、基本支出` there), not flagged.

Totals (合计, 总计, 人员经费合计 …), funding-source rows (一般公共预算资金, 其他资金: a 预算 02
lists where the money comes from; normalize/rows.py) and the item tables 09/10 are left as
they are.
Every row keeps the printed name in `subject_name_printed`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from core.records import LineItem
from normalize.rows import is_fund_source
from schemas.reference import (
    Reference,
    level_of,
    load_reference,
    normalize_name,
    parent_of,
    system_of,
    valid_length,
)
from schemas.table_specs import TableSpec, load_specs

MIN_PREFIX = 4
TOTAL_LABEL = re.compile(r"合计|总计|小计")
CLASS_NUMBERING = re.compile(r"^[一二三四五六七八九十百零〇]+[、.．]")


class SubjectFlag(StrEnum):
    NONE = ""
    UNKNOWN_CODE = "unknown_code"
    NAME_MISMATCH = "name_mismatch"
    UNMATCHED_NAME = "unmatched_name"
    INVALID_LENGTH = "invalid_length"


class CodeSource(StrEnum):
    PRINTED = "printed"
    JOINED = "joined"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Resolution:
    """What one printed row resolves to; applied to each of its cells."""

    code: str
    code_source: str
    system: str
    name: str
    name_printed: str
    level: str = ""
    parent_code: str = ""
    flag: str = SubjectFlag.NONE


def final_account_specs() -> dict[str, TableSpec]:
    return {s.code: s for s in load_specs()}


def class_name(label: str) -> str:
    """'八、社会保障和就业支出' → '社会保障和就业支出'; '' without 一、 numbering."""
    label = normalize_name(label)
    match = CLASS_NUMBERING.match(label)
    return label[match.end() :] if match else ""


def _printed(item: LineItem) -> str:
    return item.subject_name or item.line_label


def resolve_coded(item: LineItem, ref: Reference, system: str) -> Resolution:
    """A row printed with a code: check it and its name; the code is never changed."""
    code, printed = item.subject_code, _printed(item)
    system = item.subject_system or system or system_of(code)
    base = Resolution(code, item.code_source, system, normalize_name(printed), item.subject_name)
    if not valid_length(code, system):
        return replace(base, flag=SubjectFlag.INVALID_LENGTH)
    level, parent = level_of(code), parent_of(code)
    subject = ref.get(code)
    if subject is None or not subject.valid_for(item.fiscal_year):
        return replace(base, level=level, parent_code=parent, flag=SubjectFlag.UNKNOWN_CODE)
    if printed and subject.name_match(printed) == "mismatch":
        return replace(base, level=level, parent_code=parent, flag=SubjectFlag.NAME_MISMATCH)
    return replace(base, name=subject.name, level=subject.level, parent_code=subject.parent_code)


def _scopes(context: str) -> list[str]:
    """Parent codes to search, nearest first: children of the context row, its siblings, …, the 类 list."""
    scopes: list[str] = []
    code = context
    while code:
        scopes.append(code)
        code = parent_of(code)
    scopes.append("")
    return scopes


def infer_code(name: str, context: str, ref: Reference, system: str, year: int | None) -> str:
    """The single reference code named `name` in the nearest scope of `context`; "" if none or ambiguous.

    A name that is only the start of a reference name (a wrapped cell's first line, at least
    MIN_PREFIX characters) matches when no whole name does and it is unique in its scope.
    """
    def usable(code: str) -> bool:
        s = ref.get(code)
        return s is not None and s.system == system and s.valid_for(year)

    whole = [c for c in ref.codes_named(name) if usable(c)]
    key = normalize_name(name)
    for scope in _scopes(context):
        here = [c for c in whole if (s := ref.get(c)) is not None and s.parent_code == scope]
        if not here and len(key) >= MIN_PREFIX:
            here = [
                s.code for s in ref.children(scope)
                if usable(s.code) and any(n.startswith(key) for n in s.names())
            ]
        if here:
            return here[0] if len(here) == 1 else ""
    return ""


def _inferred(item: LineItem, code: str, ref: Reference, printed: str) -> Resolution:
    subject = ref.get(code)
    assert subject is not None
    return Resolution(
        code, CodeSource.INFERRED, subject.system, subject.name, printed, subject.level, subject.parent_code
    )


def _unmatched(item: LineItem, printed: str) -> Resolution:
    return Resolution(
        "", item.code_source, "", normalize_name(printed), item.subject_name or printed, flag=SubjectFlag.UNMATCHED_NAME
    )


def _unchanged(item: LineItem) -> Resolution:
    return Resolution("", item.code_source, item.subject_system, item.subject_name, item.subject_name)


RowKey = tuple[str, int, str]


def row_key(item: LineItem) -> RowKey:
    """A printed row: 01/04 print an income and an expenditure line side by side in one row."""
    return (item.table_code, item.row_index, item.line_label)


def resolve_rows(
    items: Sequence[LineItem], ref: Reference, specs: Mapping[str, TableSpec]
) -> dict[RowKey, Resolution]:
    """(table_code, row_index, line_label) → Resolution for every printed row, in row order."""
    systems = {code: spec.subject_system for code, spec in specs.items() if spec.subject_system}
    summaries = {code for code, spec in specs.items() if spec.row_key == "summary"}
    rows: dict[str, dict[tuple[int, str], list[LineItem]]] = defaultdict(dict)
    for item in items:
        rows[item.table_code].setdefault((item.row_index, item.line_label), []).append(item)
    out: dict[RowKey, Resolution] = {}
    for table_code, table_rows in rows.items():
        system = systems.get(table_code, "")
        context = ""
        for row_index, label in sorted(table_rows):
            cells = table_rows[(row_index, label)]
            first = cells[0]
            printed = _printed(first)
            if first.subject_code:
                res = resolve_coded(first, ref, system)
                context = res.code if res.level else context
            elif system and printed and is_fund_source(first.line_label):
                res = _unchanged(first)  # where the money comes from, not a subject: no code, no flag
            elif system and printed and not TOTAL_LABEL.search(normalize_name(first.line_label)):
                code = infer_code(printed, context, ref, system, first.fiscal_year)
                res = _inferred(first, code, ref, printed) if code else _unmatched(first, printed)
                context = code or context
            elif (
                table_code in summaries
                and any(c.measure.startswith("expenditure") for c in cells)
                and (name := class_name(first.line_label))
                and (code := infer_code(name, "", ref, "function", first.fiscal_year))
            ):
                # a summary table's lines are not all classes (一、基本支出 in budgets): no match, no flag
                res = _inferred(first, code, ref, name)
            else:
                res = _unchanged(first)
            out[(table_code, row_index, label)] = res
    return out


def normalize_subjects(
    items: Sequence[LineItem],
    specs: Mapping[str, TableSpec] | None = None,
    reference: Reference | None = None,
) -> list[LineItem]:
    """Every line item with its code, names, level, parent and flag resolved (see module docstring).

    `specs` (table_code → TableSpec of the document's table set; default: the 决算 set) say
    which tables are function/economic-coded and which are summaries (01/04).
    """
    ref = reference or load_reference()
    resolved = resolve_rows(items, ref, specs if specs is not None else final_account_specs())
    out: list[LineItem] = []
    for item in items:
        res = resolved[row_key(item)]
        out.append(
            replace(
                item,
                subject_code=res.code or item.subject_code,
                code_source=str(res.code_source),
                subject_system=res.system if (res.code or item.subject_code) else item.subject_system,
                subject_name=res.name,
                subject_name_printed=res.name_printed,
                subject_level=res.level,
                parent_code=res.parent_code,
                subject_flag=str(res.flag),
            )
        )
    return out
