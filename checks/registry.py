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
