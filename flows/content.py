"""What one run publishes, assembled from the per-document results.

A plain function (tested without Prefect): every rule family over every published
document, the cross-document rules, the extra resources and the report page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from checks.accounting_rules import check_accounting
from checks.citation import cite
from checks.cross_document import check_across_documents
from checks.document_rules import check_document
from checks.empty_tables import check_empty_tables
from checks.narrative_rules import check_narrative
from checks.performance_rules import check_performance
from checks.reference_rules import reference_findings
from checks.structure_rules import check_booklet
from checks.text_rules import check_text
from core.records import PUBLISHED, Finding, LineItem
from datapackage.changelog import CHANGELOG_NAME, changelog_text
from datapackage.changes import package_changes
from datapackage.descriptor import utc_timestamp
from datapackage.package_readme import README_NAME, package_readme
from datapackage.publish import Attachment, PackageContent
from datapackage.report import render_report
from datapackage.resources_dictionary import DEPARTMENT_KEY, dictionary_resources
from datapackage.resources_narrative import narrative_resources
from datapackage.resources_reference import LINE_ITEM_REFERENCE_KEYS, reference_resources
from datapackage.resources_report import report_resources
from datapackage.resources_tables import tables_resources
from datapackage.workbook import WORKBOOK_NAME
from flows.background_workbook import start_workbook
from flows.settings import PACKAGE_URL
from normalize.departments import departments
from normalize.documents import DocumentResult
from normalize.spool import LineItemView
from schemas.rules import load_rules

REPORT_PAGE = "report/index.html"


def document_findings(result: DocumentResult, disclosure_items: Sequence[LineItem] | None = None) -> list[Finding]:
    """Every within-document rule family for one published document.

    `disclosure_items`: the line items of every file of the document's disclosure (one
    department, year and kind published as a narrative file and a table file): the
    narrative is checked against the tables wherever they were printed.
    """
    doc_id, kind = result.document.doc_id, result.document.doc_kind
    titles = {t.table_code: t.title for t in result.tables if t.title}
    findings = check_document(doc_id, result.line_items, kind, printed_empty=result.table_notes, titles=titles)
    findings += check_performance(doc_id, result.performance_indicators)
    findings += reference_findings(doc_id, result.line_items)
    findings += check_accounting(doc_id, result)
    findings += check_text(doc_id, result.text_issues, kind)
    findings += check_booklet(result, disclosure_items)  # years, as-of dates, narrative sections
    findings += check_empty_tables(doc_id, result)  # 决算 and 预算: the rule's doc_kinds
    # the narrative's figures against the tables of its kind (a budget quotes 预算数; the rules'
    # doc_kinds decide which run): a narrative-only file is checked against its disclosure's table
    # file, a booklet with tables against its own (two full booklets of one disclosure are not mixed)
    tables = result.line_items if result.line_items or disclosure_items is None else disclosure_items
    findings += check_narrative(doc_id, result.narrative_figures, tables, kind)
    return findings


def within_document_findings(results: Sequence[DocumentResult]) -> list[Finding]:
    """document_findings of every published document, in input order.

    One disclosure at a time (its files loaded together: a narrative file is checked against
    its table file), so only one disclosure's line items are in memory (normalize/spool.py).
    """
    groups: dict[str, list[int]] = {}
    for n, r in enumerate(results):
        if r.document.status in PUBLISHED:
            groups.setdefault(r.document.disclosure_id or r.document.doc_id, []).append(n)
    by_index: dict[int, list[Finding]] = {}
    for members in groups.values():
        disclosure_items = [i for n in members for i in results[n].line_items]
        for n in members:
            by_index[n] = document_findings(results[n], disclosure_items)
    return [f for n in sorted(by_index) for f in by_index[n]]


def package_content(results: Sequence[DocumentResult], run_info: Mapping[str, str],
                    previous: Path | None = None) -> PackageContent:
    """Everything to publish. Line items are a LineItemView: read document by document from
    `results` (spooled or not) by each stage that needs them, never all held at once.

    `previous`: the package this one replaces (its workbook is kept when made from the same inputs)."""
    findings = within_document_findings(results)
    findings += check_across_documents(results)
    documents = [r.document for r in results]
    findings = cite(findings, documents)
    items = LineItemView(results)
    tables, figures, indicators = [], [], []
    for r in results:  # one read of each spooled result for the small per-document records
        tables += r.tables
        if r.document.status in PUBLISHED:
            figures += r.narrative_figures
            indicators += r.performance_indicators
    extra = [
        *tables_resources(tables),
        *dictionary_resources(departments(d.department for d in documents)),
        *reference_resources(items),
        *narrative_resources(figures, indicators),
        *report_resources(documents, findings),
    ]
    content = PackageContent(
        documents=documents,
        line_items=items,
        findings=findings,
        run_info=dict(run_info),
        extra_resources=extra,
        line_item_foreign_keys=(*LINE_ITEM_REFERENCE_KEYS, DEPARTMENT_KEY),
        attachments={REPORT_PAGE: render_report(documents, items, findings, load_rules(), tables)},
    )
    return with_release_files(content, previous)


def with_release_files(content: PackageContent, previous: Path | None = None) -> PackageContent:
    """Add the Excel workbook (made in another process meanwhile, or `previous`'s when made from the
    same inputs: flows/background_workbook.py) and the package's README.md to its attachments."""
    extra: dict[str, Attachment] = {
        WORKBOOK_NAME: start_workbook(content, None if previous is None else Path(previous) / WORKBOOK_NAME),
        README_NAME: package_readme(content, url=PACKAGE_URL),
    }
    return replace(content, attachments={**content.attachments, **extra})


def with_changelog(content: PackageContent, out: Path) -> PackageContent:
    """Add CHANGELOG.md: what changed since the package now in `out` (call just before publishing there)."""
    changes = package_changes(out, content, created=utc_timestamp())
    try:
        previous: str | None = (Path(out) / CHANGELOG_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        previous = None
    return replace(content, attachments={**content.attachments, CHANGELOG_NAME: changelog_text(changes, previous)})
