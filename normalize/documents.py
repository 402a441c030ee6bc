"""One file in, one published result out: the document record, its line items.

This is the unit of work the flow caches (by file hash and code version): a plain
function of the file's bytes, so it is tested without Prefect.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.records import (
    DocStatus,
    DocumentRecord,
    LineItem,
    NarrativeFigure,
    PerformanceIndicator,
    QuarantineReason,
)
from extract.document import ExtractedDocument, extract_document, sha256_of
from extract.narrative import narrative_figures
from extract.performance import performance_indicators
from normalize.line_items import UNIT_FACTORS, line_items
from normalize.subjects import normalize_subjects
from schemas.table_specs import TableSpec, load_specs
from schemas.validation import validate_table


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


def doc_id_for(sha256: str) -> str:
    """Content-addressed: the same bytes are the same document wherever they were found.

    The `doc-` prefix keeps Excel from reading a hex id such as `1234e567` as a number.
    """
    return f"doc-{sha256[:16]}"


def process_document(path: Path, source_file: str, source_url: str = "") -> DocumentResult:
    extracted = extract_document(path)
    reasons = [extracted.reason] if extracted.reason else []
    items: list[LineItem] = []
    unit = ""
    if not reasons:
        specs = {s.code: s for s in load_specs(extracted.spec_set)}
        unit = _document_unit(extracted)
        reasons += _table_reasons(extracted, specs, unit)
        if not reasons:
            items = _items(extracted, specs, unit)
    return DocumentResult(
        _record(extracted, source_file, source_url, reasons, unit),
        items,
        reasons,
        table_notes={t.table_code: t.empty_note for t in extracted.tables if not t.cells},
        table_pages={t.table_code: min(t.pages) for t in extracted.tables if t.pages},
        narrative_figures=narrative_figures(doc_id_for(extracted.sha256), extracted.page_texts) if not reasons else [],
        performance_indicators=(
            performance_indicators(doc_id_for(extracted.sha256), extracted.path, extracted.page_texts)
            if not reasons
            else []
        ),
    )


def _document_unit(doc: ExtractedDocument) -> str:
    units = Counter(t.unit for t in doc.tables if t.unit in UNIT_FACTORS)
    return units.most_common(1)[0][0] if units else ""


def _table_reasons(doc: ExtractedDocument, specs: dict[str, TableSpec], unit: str) -> list[QuarantineReason]:
    reasons: list[QuarantineReason] = []
    for table in doc.tables:
        spec = specs[table.table_code]
        reasons += table.problems
        money_cells = [c for c in table.cells if not c.count_unit]
        if money_cells and table.unit not in UNIT_FACTORS and not unit:
            reasons.append(
                QuarantineReason(
                    "unit_unknown",
                    f"{spec.name}: no 金额单位 (万元/元) found near the title; amounts cannot be converted to yuan",
                    spec.code,
                    table.pages[0] if table.pages else None,
                )
            )
        reasons += validate_table(table, spec)
    return [r for r in reasons if r.code != "table_repeated"]


def _items(doc: ExtractedDocument, specs: dict[str, TableSpec], unit: str) -> list[LineItem]:
    identity = doc.identity
    items: list[LineItem] = []
    for table in doc.tables:
        items += line_items(
            doc_id_for(doc.sha256),
            identity.department,
            identity.fiscal_year,
            table,
            specs[table.table_code].subject_system,
            unit,
        )
    return normalize_subjects(items, specs)


def _record(
    doc: ExtractedDocument, source_file: str, source_url: str, reasons: list[QuarantineReason], unit: str
) -> DocumentRecord:
    identity = doc.identity
    return DocumentRecord(
        doc_id=doc_id_for(doc.sha256),
        source_file=source_file,
        source_url=source_url,
        sha256=doc.sha256,
        department=identity.department,
        fiscal_year=identity.fiscal_year,
        doc_kind=identity.doc_kind,
        pages=identity.pages,
        status=(DocStatus.QUARANTINED if reasons else DocStatus.OK).value,
        error=" | ".join(str(r) for r in reasons),
        error_code=reasons[0].code if reasons else "",
        producer=identity.producer,
        unit=unit,
        tables_found=",".join(sorted(t.table_code for t in doc.tables if t.cells or t.empty_note)),
        tables_absent=",".join(doc.absent),
        notes=" | ".join(doc.notes),
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


def process_document_safely(path: Path, source_file: str, source_url: str = "") -> DocumentResult:
    """Like process_document, but a bug in our code quarantines the file instead of ending the run."""
    try:
        return process_document(path, source_file, source_url)
    except Exception as exc:  # a broken extractor must not lose the document
        reason = QuarantineReason(
            "extractor_error",
            f"opendisclosure failed on this file ({type(exc).__name__}: {str(exc)[:200]}); "
            "please report it with the file attached",
        )
        return quarantined_result(path, source_file, source_url, reason)


def deduplicate(results: list[DocumentResult]) -> list[DocumentResult]:
    """The same bytes found twice: keep one, record the other as a quarantined duplicate."""
    seen: dict[str, str] = {}
    out: list[DocumentResult] = []
    for result in results:
        doc = result.document
        if doc.doc_id not in seen:
            seen[doc.doc_id] = doc.source_file
            out.append(result)
            continue
        n = 2
        while f"{doc.doc_id}-{n}" in seen:
            n += 1
        new_id = f"{doc.doc_id}-{n}"
        seen[new_id] = doc.source_file
        reason = QuarantineReason(
            "duplicate_file", f"same bytes as {seen[doc.doc_id]}; its figures are published once, under that file"
        )
        out.append(
            DocumentResult(
                replace(doc, doc_id=new_id, status=DocStatus.QUARANTINED.value, error=str(reason), error_code=reason.code),
                [],
                [reason],
            )
        )
    return out
