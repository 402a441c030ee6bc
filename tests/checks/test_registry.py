"""The rules registry (schemas/data/rules.csv) and the rule functions in checks/ match one to one."""

from __future__ import annotations

from checks.document_rules import RULE_FUNCTIONS, check_document
from schemas.rules import CATEGORIES, SEVERITIES, load_rules


def test_every_registry_row_has_a_function_and_vice_versa() -> None:
    assert set(load_rules()) == set(RULE_FUNCTIONS)


def test_registry_rows_are_complete() -> None:
    for rule in load_rules().values():
        assert rule.rule_id.isupper() and rule.description_zh and rule.description_en and rule.tolerance
        assert rule.severity in SEVERITIES and rule.category in CATEGORIES
        assert rule.tables and all(len(t) == 2 and t.isdigit() for t in rule.tables)
        # errors within a table, warnings across tables (DESIGN.md §3)
        assert rule.severity == ("error" if rule.category == "arithmetic" else "warning")


def test_no_items_no_findings() -> None:
    assert check_document("empty", []) == []
