"""One file in, one published result out: the document record, its line items.

This is the unit of work the flow caches (by file hash and code version): a plain
function of the file's bytes, so it is tested without Prefect.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from core.records import (
    AccountingGap,
    DocStatus,
    DocumentRecord,
    LineItem,
    NarrativeFigure,
    NarrativeOutline,
    PerformanceIndicator,
    QuarantineReason,
    RawTable,
    TableRecord,
    TableStatus,
    TextIssue,
    YearMention,
)
from extract.document import ExtractedDocument, extract_document, sha256_of
from extract.headings import narrative_outline, year_mentions
from extract.hygiene import text_issues
from extract.narrative import narrative_figures
from extract.pdfium_pages import PdfiumPages
from extract.text import squash
from normalize.departments import canonical_name, department_id, disclosure_id
from normalize.line_items import UNIT_FACTORS, line_items
from normalize.rows import with_rows
from normalize.subjects import normalize_subjects
from normalize.table_outcomes import accounting_gaps, missing_record, table_record
from schemas.table_specs import TableSpec, expected_tables, load_specs


@dataclass
class DocumentResult:
    document: DocumentRecord
    line_items: list[LineItem] = field(default_factory=list)
    reasons: list[QuarantineReason] = field(default_factory=list)
    #: table_code → its 空表说明 ("" when none is printed), for standard tables printed with no value
    table_notes: dict[str, str] = field(default_factory=dict)
    #: table_code → first page of every standard table found (for the report and the 空表 rule)
    table_pages: dict[str, int] = field(default_factory=dict)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    performance_indicators: list[PerformanceIndicator] = field(default_factory=list)
    #: one row per standard table printed (or expected and missing): the `tables` resource
    tables: list[TableRecord] = field(default_factory=list)
    #: printed amounts not read and published values not printed, per table page (findings)
    accounting_gaps: list[AccountingGap] = field(default_factory=list)
    #: proof-reading slips of the prose (placeholders, doubled marks and words, odd percentages)
    text_issues: list[TextIssue] = field(default_factory=list)
    #: years printed by its headings and titles, and its as-of dates (extract/headings.py)
    year_mentions: list[YearMention] = field(default_factory=list)
    #: what its 情况说明 covers (extract/headings.py)
    outline: NarrativeOutline = field(default_factory=NarrativeOutline)


def doc_id_for(sha256: str) -> str:
    """Content-addressed: the same bytes are the same document wherever they were found.

    The `doc-` prefix keeps Excel from reading a hex id such as `1234e567` as a number.
    """
    return f"doc-{sha256[:16]}"


NARRATIVE_ONLY = (
    "narrative only: no standard table is printed in this file (its tables are often published "
    "as a separate file, which can be ingested alongside it)"
)


def process_document(
    path: Path, source_file: str, source_url: str = "", pages: PdfiumPages | None = None
) -> DocumentResult:
    """Read one file; every table gets an outcome, and the document publishes what was read.

    `pages`: the file already open in pdfium (by the limits' probe), its loaded pages reused."""
    # pandera and pandas (0.3 s to import, ~40 MB) only where documents are read: the run's own
    # process imports this module for its records and never validates (the forkserver preloads it)
    from schemas.validation import validate_table

    extracted = extract_document(path, pages)
    doc_id = doc_id_for(extracted.sha256)
    if extracted.reason:
        return DocumentResult(_record(extracted, source_file, source_url, [extracted.reason], "", []), [],
                              [extracted.reason])
    specs = {s.code: s for s in load_specs(extracted.spec_set)}
    unit = _document_unit(extracted)
    items: list[LineItem] = []
    records: list[TableRecord] = []
    gaps: list[AccountingGap] = []
    reasons: list[QuarantineReason] = []
    per_table: list[tuple[RawTable, list[LineItem], list[QuarantineReason]]] = []
    for table in extracted.tables:
        spec = specs[table.table_code]
        problems = [p for p in table.problems if p.code != "table_repeated"]
        problems += _unit_problem(table, spec, unit)
        problems += validate_table(table, spec)
        unreadable = any(p.code in _TABLE_FATAL for p in problems)
        table_items = [] if unreadable else _table_items(extracted, table, spec, unit)
        per_table.append((table, table_items, problems))
        items += table_items
    items = normalize_subjects(items, specs)
    dept_id, disc_id = _ids(extracted)
    items = with_rows(items, extracted.identity.doc_kind, dept_id, disc_id)
    by_table: dict[str, list[LineItem]] = {}
    for item in items:
        by_table.setdefault(item.table_code, []).append(item)
    for table, _, problems in per_table:
        table_items = by_table.get(table.table_code, [])
        matched, table_gaps = accounting_gaps(table, table_items)
        record = table_record(
            doc_id, table, specs[table.table_code], table_items, problems, table_gaps, matched,
            table.table_code in extracted.listed,
        )
        records.append(record)
        gaps += table_gaps
        if record.status in (TableStatus.UNREAD.value, TableStatus.PARTIAL.value):
            reasons += problems or [QuarantineReason(record.reason_code, record.reason, table.table_code)]
    found = {t.table_code for t in extracted.tables}
    narrative_only = not extracted.tables and sum(n for _, _, n in extracted.other_tables) < 3
    if not narrative_only:
        expected = set(expected_tables(extracted.spec_set)) | set(extracted.listed)
        records += [missing_record(doc_id, specs[c], c in extracted.listed) for c in sorted(expected - found)]
    if not extracted.tables and not narrative_only:
        reasons.append(_no_table_data(extracted))
    return DocumentResult(
        _record(extracted, source_file, source_url, reasons, unit, records, narrative_only),
        items,
        reasons,
        table_notes={t.table_code: t.empty_note for t in extracted.tables if not t.cells},
        table_pages={t.table_code: min(t.pages) for t in extracted.tables if t.pages},
        narrative_figures=narrative_figures(doc_id, extracted.page_texts),
        performance_indicators=[replace(p, doc_id=doc_id) for p in extracted.performance],
        tables=records,
        accounting_gaps=gaps,
        text_issues=text_issues(extracted.page_texts),
        year_mentions=year_mentions(extracted.page_texts),
        outline=narrative_outline(extracted.page_texts),
    )


#: Problems after which nothing of a table can be published (its cells would be wrong).
_TABLE_FATAL = {"header_unrecognized", "unit_unknown"}


def _ids(doc: ExtractedDocument) -> tuple[str, str]:
    """(department_id, disclosure_id) of a document, from its department as printed."""
    identity = doc.identity
    dept_id = department_id(canonical_name(identity.department)[0]) if identity.department else ""
    kind = identity.doc_kind if identity.scope == "department" else f"{identity.doc_kind}/unit"
    return dept_id, disclosure_id(dept_id, identity.fiscal_year, kind)


def text_fingerprint(page_texts: list[str]) -> str:
    """SHA-256 of the text layer, whitespace removed: equal for the same booklet re-exported."""
    if not any(t.strip() for t in page_texts):
        return ""
    return hashlib.sha256("".join(squash(t) for t in page_texts).encode("utf-8")).hexdigest()


def _document_unit(doc: ExtractedDocument) -> str:
    units = Counter(t.unit for t in doc.tables if t.unit in UNIT_FACTORS)
    return units.most_common(1)[0][0] if units else ""


def _unit_problem(table: RawTable, spec: TableSpec, unit: str) -> list[QuarantineReason]:
    money_cells = [c for c in table.cells if not c.count_unit]
    if money_cells and table.unit not in UNIT_FACTORS and not unit:
        return [
            QuarantineReason(
                "unit_unknown",
                f"{spec.name}: no 金额单位 (万元/元) found near the title; amounts cannot be converted to yuan",
                spec.code,
                table.pages[0] if table.pages else None,
            )
        ]
    return []


def _no_table_data(doc: ExtractedDocument) -> QuarantineReason:
    where = "; ".join(f"p{page} {title or '(untitled ruled table)'}: {n} amounts" for title, page, n in doc.other_tables[:5])
    return QuarantineReason(
        "no_table_data",
        f"no standard table title was recognized, but tables with amounts are printed ({where}); "
        "run `opendisclosure debug-page FILE PAGE` and add the title to schemas/data",
    )


def _table_items(doc: ExtractedDocument, table: RawTable, spec: TableSpec, unit: str) -> list[LineItem]:
    identity = doc.identity
    return line_items(
        doc_id_for(doc.sha256), identity.department, identity.fiscal_year, table, spec.subject_system, unit
    )


def _record(
    doc: ExtractedDocument,
    source_file: str,
    source_url: str,
    reasons: list[QuarantineReason],
    unit: str,
    tables: list[TableRecord],
    narrative_only: bool = False,
) -> DocumentRecord:
    identity = doc.identity
    printed_tables = [t for t in tables if t.status != TableStatus.MISSING.value]
    printed = sum(t.amounts_printed for t in printed_tables)
    read = sum(t.amounts_read for t in printed_tables)
    if doc.reason:
        status = DocStatus.QUARANTINED
    elif reasons:
        status = DocStatus.PARTIAL
    else:
        status = DocStatus.OK
    notes = list(doc.notes) + ([NARRATIVE_ONLY] if narrative_only else [])
    notes += [f"p{page}: {n} amounts in {title or 'a ruled table under no title'} (not a standard table)"
              for title, page, n in doc.other_tables]
    return DocumentRecord(
        doc_id=doc_id_for(doc.sha256),
        source_file=source_file,
        source_url=source_url,
        sha256=doc.sha256,
        text_sha256=text_fingerprint(doc.page_texts),
        department_id=_ids(doc)[0],
        disclosure_id=_ids(doc)[1],
        doc_scope=identity.scope,
        department=identity.department,
        fiscal_year=identity.fiscal_year,
        doc_kind=identity.doc_kind,
        pages=identity.pages,
        status=status.value,
        error=" | ".join(str(r) for r in reasons),
        error_code=reasons[0].code if reasons else "",
        producer=identity.producer,
        unit=unit,
        tables_found=",".join(sorted(t.table_code for t in doc.tables if t.cells or t.empty_note)),
        tables_absent=",".join(t.table_code for t in tables if t.status == TableStatus.MISSING.value),
        notes=" | ".join(notes),
        tables_read=sum(t.status in (TableStatus.READ.value, TableStatus.EMPTY.value) for t in tables),
        tables_partial=sum(t.status == TableStatus.PARTIAL.value for t in tables),
        tables_unread=sum(t.status == TableStatus.UNREAD.value for t in tables),
        tables_missing=sum(t.status == TableStatus.MISSING.value for t in tables),
        amounts_printed=printed,
        amounts_read=read,
        coverage=(Decimal(read) / Decimal(printed)).quantize(Decimal("0.0001")) if printed else None,
        amounts_outside_tables=sum(n for _, _, n in doc.other_tables),
    )


def quarantined_result(
    path: Path, source_file: str, source_url: str, reason: QuarantineReason, sha256: str = ""
) -> DocumentResult:
    """A document that publishes nothing, recorded with its typed reason (never dropped).

    Used when the file could not be processed at all: our bug, a time or memory
    limit, a file that is not a regular file. `sha256` is computed when not given
    and the path can be read; an unreadable path gets the hash of its name.
    """
    if not sha256:
        try:
            sha256 = sha256_of(path)
        except OSError:
            import hashlib

            sha256 = hashlib.sha256(("unreadable:" + source_file).encode("utf-8", "surrogateescape")).hexdigest()
    record = DocumentRecord(
        doc_id=doc_id_for(sha256),
        source_file=source_file,
        source_url=source_url,
        sha256=sha256,
        department="",
        fiscal_year=None,
        doc_kind="unknown",
        pages=0,
        status=DocStatus.QUARANTINED.value,
        error=str(reason),
        error_code=reason.code,
    )
    return DocumentResult(record, [], [reason])


def process_document_safely(
    path: Path, source_file: str, source_url: str = "", pages: PdfiumPages | None = None
) -> DocumentResult:
    """Like process_document, but a bug in our code quarantines the file instead of ending the run."""
    try:
        return process_document(path, source_file, source_url, pages)
    except Exception as exc:  # a broken extractor must not lose the document
        reason = QuarantineReason(
            "extractor_error",
            f"opendisclosure failed on this file ({type(exc).__name__}: {str(exc)[:200]}); "
            "please report it with the file attached",
        )
        return quarantined_result(path, source_file, source_url, reason)


def deduplicate(results: Sequence[DocumentResult]) -> list[DocumentResult]:
    """The same booklet found twice: keep the first, record the other as a quarantined duplicate.

    Same bytes (`duplicate_file`), or different bytes with the same text
    (`duplicate_text`: a portal re-exported the file, Jiangsu's 检察院 2017 booklet is
    published twice): its figures are published once, under the first file.
    """
    seen: dict[str, str] = {}
    texts: dict[str, str] = {}
    out: list[DocumentResult] = []
    for result in results:
        doc = result.document
        same_text = texts.get(doc.text_sha256) if doc.text_sha256 and doc.status != DocStatus.QUARANTINED else None
        if doc.doc_id not in seen and same_text is None:
            seen[doc.doc_id] = doc.source_file
            if doc.text_sha256 and doc.status != DocStatus.QUARANTINED:
                texts[doc.text_sha256] = doc.source_file
            out.append(result)
            continue
        if same_text is not None and doc.doc_id not in seen:
            new_id = doc.doc_id
            reason = QuarantineReason(
                "duplicate_text",
                f"different bytes but the same text as {same_text} (the booklet published twice); "
                "its figures are published once, under that file",
            )
        else:
            n = 2
            while f"{doc.doc_id}-{n}" in seen:
                n += 1
            new_id = f"{doc.doc_id}-{n}"
            reason = QuarantineReason(
                "duplicate_file", f"same bytes as {seen[doc.doc_id]}; its figures are published once, under that file"
            )
        seen[new_id] = doc.source_file
        out.append(
            DocumentResult(
                replace(doc, doc_id=new_id, status=DocStatus.QUARANTINED.value, error=str(reason), error_code=reason.code),
                [],
                [reason],
            )
        )
    return out
