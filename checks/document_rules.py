"""Within-document consistency checks (DESIGN.md §3): every registry rule over one document's line items.

    from checks.document_rules import check_document
    findings = check_document(doc_id, items)
"""

from __future__ import annotations

from collections.abc import Sequence

from checks import arithmetic, cross_table  # noqa: F401  (importing registers the rule functions)
from checks.registry import RULE_FUNCTIONS
from checks.view import DocumentView
from core.records import Finding, LineItem
from schemas.rules import load_rules


def check_document(doc_id: str, items: Sequence[LineItem]) -> list[Finding]:
    """All findings of every registered rule, in registry order; an empty list when the document is consistent."""
    view = DocumentView(doc_id, items)
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        function = RULE_FUNCTIONS.get(rule_id)
        if function is None:
            raise LookupError(f"rule {rule_id} is in schemas/data/rules.csv but has no function in checks/")
        findings += function(view, rule_row)
    return findings
