"""rule_id → the function that evaluates it. Register with `@rule("RULE_ID")`.

A rule function takes the document view and its registry row and returns only the
failing comparisons, as Findings.
"""

from __future__ import annotations

from collections.abc import Callable

from checks.view import DocumentView
from core.records import Finding
from schemas.rules import Rule

RuleFunction = Callable[[DocumentView, Rule], list[Finding]]

RULE_FUNCTIONS: dict[str, RuleFunction] = {}


def rule(rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
    def register(fn: RuleFunction) -> RuleFunction:
        if rule_id in RULE_FUNCTIONS:
            raise ValueError(f"rule {rule_id} registered twice")
        RULE_FUNCTIONS[rule_id] = fn
        return fn

    return register


#: Rules that read more than one document's line items (narrative figures, 绩效 indicators):
#: scope → rule_id → function. `check_document` skips them; each scope has its own entry point
#: (checks.narrative_rules.check_narrative, checks.performance_rules.check_performance,
#: checks.empty_tables.check_empty_tables, checks.cross_document.check_across_documents,
#: checks.text_rules.check_text).
SCOPED_FUNCTIONS: dict[str, dict[str, Callable[..., list[Finding]]]] = {}
SCOPED_CATEGORIES = {"narrative", "performance", "completeness", "cross-document", "reference", "text"}


def scoped_rule(scope: str, rule_id: str) -> Callable[[Callable[..., list[Finding]]], Callable[..., list[Finding]]]:
    def register(fn: Callable[..., list[Finding]]) -> Callable[..., list[Finding]]:
        functions = SCOPED_FUNCTIONS.setdefault(scope, {})
        if rule_id in functions or rule_id in RULE_FUNCTIONS:
            raise ValueError(f"rule {rule_id} registered twice")
        functions[rule_id] = fn
        return fn

    return register
