"""The rules registry (schemas/data/rules.csv) and the rule functions in checks/ match one to one."""

from __future__ import annotations

import importlib
import pkgutil

import checks
from checks.document_rules import RULE_FUNCTIONS, check_document
from checks.registry import SCOPED_CATEGORIES, SCOPED_FUNCTIONS
from schemas.rules import CATEGORIES, SEVERITIES, load_rules


def test_every_registry_row_has_a_function_and_vice_versa() -> None:
    for module in pkgutil.iter_modules(checks.__path__):  # importing a rule module registers its rules
        importlib.import_module(f"checks.{module.name}")
    scoped = {rule_id for functions in SCOPED_FUNCTIONS.values() for rule_id in functions}
    assert set(load_rules()) == set(RULE_FUNCTIONS) | scoped
    assert not set(RULE_FUNCTIONS) & scoped
    for rule_id, rule in load_rules().items():  # check_document skips exactly the scoped categories
        assert (rule_id in scoped) == (rule.category in SCOPED_CATEGORIES), rule_id


def test_registry_rows_are_complete() -> None:
    for rule in load_rules().values():
        assert rule.rule_id.isupper() and rule.description_zh and rule.description_en and rule.tolerance
        assert rule.severity in SEVERITIES and rule.category in CATEGORIES
        # 绩效自评表 are no standard table (no 公开NN表 code): performance rules list none; nor do the
        # text-hygiene rules, which read the prose
        assert rule.tables or rule.category in {"performance", "text"}, rule.rule_id
        assert all(len(t) == 2 and t.isdigit() for t in rule.tables)
        # errors within a table, warnings across tables (DESIGN.md §3); a table printed twice is
        # no disagreement between figures, so PERF_DUPLICATE_TABLE is info (warning if the copies differ);
        # a code missing from an incomplete reference is a note, never above a real disagreement
        expected = "error" if rule.category == "arithmetic" else "warning"
        notes = {"PERF_DUPLICATE_TABLE", "REF_UNKNOWN_CODE"}
        assert rule.severity == expected or (rule.rule_id in notes and rule.severity == "info"), rule.rule_id


def test_no_items_no_findings() -> None:
    assert check_document("empty", []) == []
