"""Fiscal Data Package annotations: which measures are revenue or expenditure, which phase.

Why here and as data: `line_items` mixes revenue, expenditure, carry-over balances
and counts in one `amount_yuan` column, so the direction cannot be one field
annotation; it is published per (table_code, measure) in the resource property
`opendisclosure:measures`. The rules are ordered lookups so a new measure key
usually needs no change (its name says `income`/`expenditure`/`balance`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from core.records import DocumentRecord, LineItem

#: documents.doc_kind → Fiscal Data Package phase.
PHASE_BY_DOC_KIND: dict[str, str] = {"final_account": "executed", "budget": "approved"}

#: Measure keys whose direction the name does not say.
DIRECTION_BY_MEASURE: dict[str, str] = {"quantity": "count"}
#: Substrings of measure keys, first match wins.
DIRECTION_BY_KEYWORD: tuple[tuple[str, str], ...] = (
    ("balance", "balance"),
    ("income", "revenue"),
    ("revenue", "revenue"),
    ("expenditure", "expenditure"),
)
#: Fallback by table: tables that hold only one direction (06 基本支出, 09 三公经费 …).
DIRECTION_BY_TABLE: dict[str, str] = {
    "02": "revenue",
    "03": "expenditure",
    "05": "expenditure",
    "06": "expenditure",
    "08": "expenditure",
    "09": "expenditure",
    "10": "count",
}

DIRECTION_NOTES: dict[str, str] = {
    "revenue": "money received (收入)",
    "expenditure": "money spent (支出)",
    "balance": "carry-over balance (结转和结余), a stock rather than a flow",
    "count": "a count, not money: see quantity",
    "unspecified": "direction not known for this measure",
}

MAX_LABELS = 5


def direction(table_code: str, measure: str) -> str:
    """revenue / expenditure / balance / count / unspecified for one measure of one table."""
    if measure in DIRECTION_BY_MEASURE:
        return DIRECTION_BY_MEASURE[measure]
    for keyword, value in DIRECTION_BY_KEYWORD:
        if keyword in measure:
            return value
    return DIRECTION_BY_TABLE.get(table_code, "unspecified")


def measures_note(items: Iterable[LineItem]) -> list[dict[str, Any]]:
    """One entry per (table_code, measure) present, with direction, headers seen and row count."""
    rows: Counter[tuple[str, str]] = Counter()
    labels: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        key = (item.table_code, item.measure)
        rows[key] += 1
        if item.measure_zh:
            labels[key].add(item.measure_zh)
    note: list[dict[str, Any]] = []
    for table_code, measure in sorted(rows):
        kind = direction(table_code, measure)
        entry: dict[str, Any] = {"table_code": table_code, "measure": measure, "kind": kind}
        if kind in ("revenue", "expenditure"):
            entry["fdp:direction"] = kind
        entry["note"] = DIRECTION_NOTES[kind]
        entry["measure_zh"] = sorted(labels[(table_code, measure)])[:MAX_LABELS]
        entry["rows"] = rows[(table_code, measure)]
        note.append(entry)
    return note


def phase_annotations(documents: Sequence[DocumentRecord]) -> dict[str, Any]:
    """`fdp:phase` when every published document has the same kind, and always the mapping."""
    kinds = {d.doc_kind for d in documents if d.status in ("ok", "partial")}
    phases = {PHASE_BY_DOC_KIND.get(k) for k in kinds}
    out: dict[str, Any] = {"opendisclosure:phaseByDocKind": dict(PHASE_BY_DOC_KIND)}
    if len(phases) == 1 and None not in phases:
        out["fdp:phase"] = phases.pop()
    return out
