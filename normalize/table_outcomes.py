"""Per-table outcomes: each standard table read, partly read, unread, empty or missing.

Failure is per table, not per document: a table that cannot be read carries its
reason, and its siblings publish. Whether a table was read completely is decided
by number accounting (extract/accounting.py), not by the reader's own opinion: the
amounts its region prints against the values published from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.records import (
    AccountingGap,
    LineItem,
    PrintedNumber,
    QuarantineReason,
    RawTable,
    TableRecord,
    TableStatus,
)
from extract.accounting import unmatched
from schemas.table_specs import TableSpec

_SAMPLE = 8


def _by_page(numbers: Iterable[PrintedNumber]) -> dict[int, list[PrintedNumber]]:
    out: dict[int, list[PrintedNumber]] = {}
    for n in numbers:
        out.setdefault(n.page, []).append(n)
    return out


def accounting_gaps(table: RawTable, items: list[LineItem]) -> tuple[int, list[AccountingGap]]:
    """(amounts read, gaps per page): printed amounts against published values, page by page."""
    printed = _by_page(table.printed)
    read: dict[int, list[Decimal]] = {}
    for item in items:
        read.setdefault(item.page, []).append(item.value_original)
    gaps: list[AccountingGap] = []
    matched = 0
    for page in sorted(set(printed) | set(read)):
        missed, extra = unmatched(printed.get(page, []), read.get(page, []))
        matched += len(printed.get(page, [])) - len(missed)
        if missed:
            gaps.append(AccountingGap(table.table_code, page, "not_read", tuple(m.text for m in missed)))
        if extra and page in printed:  # a page the accounting saw: a value it does not print
            gaps.append(AccountingGap(table.table_code, page, "not_printed", tuple(str(v) for v in extra)))
    return matched, gaps


def table_record(
    doc_id: str,
    table: RawTable,
    spec: TableSpec,
    items: list[LineItem],
    problems: list[QuarantineReason],
    gaps: list[AccountingGap],
    amounts_read: int,
    listed: bool,
) -> TableRecord:
    printed = len(table.printed)
    not_read = [(g.page, t) for g in gaps if g.kind == "not_read" for t in g.texts]
    if not items:
        status = TableStatus.EMPTY if printed == 0 else TableStatus.UNREAD
    elif not_read:
        status = TableStatus.PARTIAL
    else:
        status = TableStatus.READ
    reasons = [p for p in problems if p.code != "table_repeated"]
    if status in (TableStatus.UNREAD, TableStatus.PARTIAL) and not reasons:
        reasons.append(
            QuarantineReason(
                "amounts_not_read",
                f"{len(not_read)} of {printed} amounts printed in {spec.name} were not read; "
                "run `opendisclosure debug-page FILE PAGE` on its pages to see the grid",
                spec.code,
                not_read[0][0] if not_read else None,
            )
        )
    not_printed = [t for g in gaps if g.kind == "not_printed" for t in g.texts]
    if not_printed:
        reasons.append(
            QuarantineReason(
                "values_not_printed",
                f"{len(not_printed)} published value(s) of {spec.name} are not printed on their page "
                f"({', '.join(not_printed[:_SAMPLE])}): a reading error, please report it",
                spec.code,
            )
        )
    return TableRecord(
        doc_id=doc_id,
        table_code=spec.code,
        table_name=spec.name,
        title=table.title,
        pages=";".join(str(p) for p in table.pages),
        status=status.value,
        reason_code=reasons[0].code if reasons else "",
        reason=" | ".join(str(r) for r in reasons),
        cells=len(items),
        amounts_printed=printed,
        amounts_read=amounts_read,
        coverage=(Decimal(amounts_read) / Decimal(printed)).quantize(Decimal("0.0001")) if printed else None,
        listed_in_contents="true" if listed else "false",
        unread_sample=", ".join(f"p{p}:{t}" for p, t in not_read[:_SAMPLE]),
        strategy=table.strategy,
    )


def missing_record(doc_id: str, spec: TableSpec, listed: bool) -> TableRecord:
    """A table the document's kind expects (or its 目录 lists) that is not printed."""
    where = "listed in the booklet's 目录 but" if listed else "expected in this kind of booklet but"
    reason = QuarantineReason(
        "table_listed_not_printed" if listed else "table_not_printed",
        f"{spec.name} is {where} not found; if it is printed under another title, add the title "
        "to the spec's titles in schemas/data",
        spec.code,
    )
    return TableRecord(
        doc_id=doc_id,
        table_code=spec.code,
        table_name=spec.name,
        title="",
        pages="",
        status=TableStatus.MISSING.value,
        reason_code=reason.code,
        reason=str(reason),
        cells=0,
        amounts_printed=0,
        amounts_read=0,
        coverage=None,
        listed_in_contents="true" if listed else "false",
    )
