"""The consistency-rule registry (`schemas/data/rules.csv`) as frozen dataclasses.

Like the DATA Act Broker's `sqlRules.csv`: one row per rule with a stable id, a
message in Chinese and English, the severity when a difference is beyond
tolerance, a category and the tables it reads. The function that evaluates a
rule lives in `checks/` and is registered under the same id.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_CSV = Path(__file__).parent / "data" / "rules.csv"

SEVERITIES = {"error", "warning", "info"}
CATEGORIES = {"arithmetic", "cross-table", "completeness", "narrative", "performance", "reference", "cross-document", "text"}
COLUMNS = ("rule_id", "description_zh", "description_en", "severity", "category", "tables", "tolerance", "doc_kinds")
DOC_KINDS = ("final_account", "budget")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    description_zh: str
    description_en: str
    severity: str  # severity when the difference is beyond tolerance
    category: str
    tables: tuple[str, ...]
    tolerance: str  # the tolerance, in words (computed by checks/tolerance.py)
    #: document kinds the rule applies to: 决算 table equalities do not hold for 预算 tables
    doc_kinds: tuple[str, ...] = DOC_KINDS

    def applies_to(self, doc_kind: str) -> bool:
        return doc_kind in self.doc_kinds

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.rule_id}: unknown severity {self.severity!r}")
        if unknown := set(self.doc_kinds) - set(DOC_KINDS):
            raise ValueError(f"rule {self.rule_id}: unknown document kinds {sorted(unknown)}")
        if self.category not in CATEGORIES:
            raise ValueError(f"rule {self.rule_id}: unknown category {self.category!r}")


@cache
def load_rules(path: Path = RULES_CSV) -> dict[str, Rule]:
    """The registry keyed by rule_id, in file order."""
    rules: dict[str, Rule] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {', '.join(COLUMNS)}, found {reader.fieldnames}")
        for row in reader:
            rule = Rule(
                rule_id=row["rule_id"].strip(),
                description_zh=row["description_zh"].strip(),
                description_en=row["description_en"].strip(),
                severity=row["severity"].strip(),
                category=row["category"].strip(),
                tables=tuple(t.strip() for t in row["tables"].split(";") if t.strip()),
                tolerance=row["tolerance"].strip(),
                doc_kinds=tuple(k.strip() for k in (row.get("doc_kinds") or "").split(";") if k.strip())
                or DOC_KINDS,
            )
            if rule.rule_id in rules:
                raise ValueError(f"{path}: rule {rule.rule_id} listed twice")
            rules[rule.rule_id] = rule
    return rules
