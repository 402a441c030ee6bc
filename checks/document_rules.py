"""Within-document consistency checks (DESIGN.md §3): every registry rule over one document's line items.

    from checks.document_rules import check_document
    findings = check_document(doc_id, items)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from checks import (  # noqa: F401  (importing registers the rule functions)
    arithmetic,
    balance,
    budget,
    cross_document,
    cross_table,
    empty_tables,
    fund_ties,
    sangong,
    sangong_econ,
    unit_rules,
)
from checks.registry import RULE_FUNCTIONS, SCOPED_CATEGORIES
from checks.view import DocumentView
from core.records import Finding, LineItem
from schemas.rules import load_rules


def check_document(doc_id: str, items: Sequence[LineItem], doc_kind: str = "final_account",
                   printed_empty: Collection[str] = (), titles: Mapping[str, str] | None = None) -> list[Finding]:
    """All findings of every registered rule, in registry order; an empty list when the document is consistent.

    Only the rules whose registry row lists `doc_kind` run: a 预算 table set does not
    obey the 决算 tables' equalities (its 05 has one amount column, its 三公 table adds
    会议费 and 培训费). `printed_empty`: the tables printed with no value (`DocumentResult.table_notes`),
    whose figures the cross-table rules read as 0 (a table not printed at all is not assumed 0).
    `titles`: table_code → the title printed (the funds a table covers are read off it).
    """
    view = DocumentView(doc_id, items, doc_kind, printed_empty, titles)
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        if rule_row.category in SCOPED_CATEGORIES or not rule_row.applies_to(doc_kind):
            continue  # they read narrative figures / 绩效 indicators: check_narrative, check_performance
        function = RULE_FUNCTIONS.get(rule_id)
        if function is None:
            raise LookupError(f"rule {rule_id} is in schemas/data/rules.csv but has no function in checks/")
        findings += function(view, rule_row)
    return findings
