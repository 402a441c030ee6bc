"""An empty 07/08/09 table must carry its 空表说明 (rule EMPTY_TABLE_NOTE).

A department with no government-fund (07), state-capital (08) or 三公 (09) spending
still prints the table, empty, with a note saying why (“本单位无政府性基金预算财政拨款
收入、支出，故本表为空表”). Line items cannot tell an empty table from a missing one,
so this rule reads `DocumentResult.table_notes` (table_code → the note found, for the
tables printed with no value).

    from checks.empty_tables import check_empty_tables
    findings = check_empty_tables(result.document.doc_id, result)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checks.registry import scoped_rule
from core.records import Finding
from schemas.rules import load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

RULE_ID = "EMPTY_TABLE_NOTE"
SCOPE = "document-tables"
TABLES = {"07": "政府性基金预算财政拨款收入支出决算表", "08": "国有资本经营预算财政拨款支出决算表",
          "09": "财政拨款“三公”经费支出决算表"}


def check_empty_tables(doc_id: str, result: DocumentResult) -> list[Finding]:
    """One finding per 07/08/09 table printed with no value and no 空表说明."""
    rule_row = load_rules()[RULE_ID]
    findings: list[Finding] = []
    for code, note in sorted(result.table_notes.items()):
        if code not in TABLES or note.strip():
            continue
        findings.append(
            Finding(
                doc_id=doc_id,
                rule_id=rule_row.rule_id,
                severity=rule_row.severity,
                category=rule_row.category,
                table_code=code,
                subject_code="",
                expected=None,
                actual=None,
                difference=None,
                message=(
                    f"{code} {TABLES[code]} 无数据，但未附空表说明"
                    f" / table {code} is printed without any value and without a note saying why it is empty"
                ),
                page=result.table_pages.get(code),
            )
        )
    return findings


scoped_rule(SCOPE, RULE_ID)(check_empty_tables)
