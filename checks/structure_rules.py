"""Completeness of the narrative (issue 9 §8), and the booklet-level rules' one entry point.

    from checks.structure_rules import check_booklet
    findings = check_booklet(result, disclosure_items)   # year rules + NARR_SECTION_MISSING

- NARR_SECTION_MISSING — a booklet that prints a 情况说明 does not report a required topic in it:
  `三公` 经费 always (every 决算 and 预算 narrative states it, if only as `无“三公”经费`);
  机关运行经费 when the booklet (its 目录, a table, the glossary) or its disclosure's table file names
  it — Jiangxi's 决算 template has no 机关运行经费 at all, Shanghai's and Jiangsu's report it.
  A topic is reported by a numbered heading naming it or a sentence naming it with an amount (or
  `无`) after the first 情况说明 heading (extract/headings.py). Not checked: a file without a
  narrative (the table file of a two-file disclosure: its narrative is the other file, checked on its
  own), a booklet whose narrative says it is left out (`本说明从略`).

What TABLE_MISSING (checks/accounting_rules.py) already covers: a table of the template's `expected`
set (schemas/data/*_tables.toml) or listed in the 目录 and not printed; a narrative-only file is
exempt. A table printed but outside the set is not reported: every such table of the real booklets is
a legitimate extra (政府采购预算表, 绩效自评表, project tables); nor a table printed twice, whose second
copy's numbers the finder does not keep (it reads the first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from checks.registry import SCOPED_FUNCTIONS, scoped_rule
from checks.year_rules import check_years
from core.records import Finding, LineItem, NarrativeOutline
from schemas.rules import Rule, load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

SCOPE = "booklet-structure"
TOPICS = {
    "sangong": ("“三公”经费说明", "the 三公 expenses (因公出国（境）费, 公务用车, 公务接待)"),
    "jiguan": ("机关运行经费说明", "the 机关运行经费 (running costs of the administrative organs)"),
}


def _named_by_tables(items: Sequence[LineItem]) -> set[str]:
    named: set[str] = set()
    for item in items:
        text = item.measure_zh + item.line_label
        if "机关运行" in text:
            named.add("jiguan")
        if "三公" in text:
            named.add("sangong")
    return named


@scoped_rule(SCOPE, "NARR_SECTION_MISSING")
def missing_sections(doc_id: str, rule_row: Rule, outline: NarrativeOutline,
                     disclosure_items: Sequence[LineItem]) -> list[Finding]:
    if not outline.has_narrative or outline.omitted:
        return []
    mentioned = set(outline.mentioned) | _named_by_tables(disclosure_items)
    required = ["sangong"] + (["jiguan"] if "jiguan" in mentioned else [])
    findings: list[Finding] = []
    for topic in required:
        if topic in outline.covered:
            continue
        zh, en = TOPICS[topic]
        findings.append(Finding(
            doc_id=doc_id, rule_id=rule_row.rule_id, severity=rule_row.severity, category=rule_row.category,
            table_code="", subject_code="", expected=None, actual=None, difference=None,
            message=f"情况说明（自第{outline.first_page}页）缺少{zh} / the narrative (from page"
                    f" {outline.first_page}) does not report {en}",
            page=outline.first_page,
        ))
    return findings


def check_structure(result: DocumentResult, disclosure_items: Sequence[LineItem] | None = None) -> list[Finding]:
    doc = result.document
    items = list(result.line_items) + list(disclosure_items or [])
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        function = SCOPED_FUNCTIONS[SCOPE].get(rule_id)
        if function is not None and rule_row.applies_to(doc.doc_kind):
            findings += function(doc.doc_id, rule_row, result.outline, items)
    return findings


def check_booklet(result: DocumentResult, disclosure_items: Sequence[LineItem] | None = None) -> list[Finding]:
    """The rules over the booklet's headings, dates and narrative outline (years, then structure)."""
    return check_years(result) + check_structure(result, disclosure_items)
