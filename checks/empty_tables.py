"""An empty 07/08/09 table must carry its 空表说明 (rule EMPTY_TABLE_NOTE), 决算 and 预算 alike.

A department with no government-fund (07), state-capital (08) or 三公 (09) spending
still prints the table, empty, with a note saying why (“本单位无政府性基金预算财政拨款
收入、支出，故本表为空表”; Jiangsu's budgets: “注：本部门无相关收支项目”, a `此表为空`
stamp in the grid). Line items cannot tell an empty table from a missing one, so this
rule reads `DocumentResult.table_notes` (table_code → the note found, for the tables
printed with no value; the note's wordings and places: extract/empty_notes.py).

Only a note printed with the table counts. A 情况说明 that explains the empty table
(`本部门无政府性基金预算`, in the same booklet or in the disclosure's narrative file)
does not: a reader of the table does not see it, and the template asks for the note on
the table. The finding stays a warning and its message says so.

A note that names another table's fund and none of its own (a 08 国有资本经营 table
noting “本部门无政府性基金预算财政拨款安排的预算”: copied from 07's page) is
EMPTY_TABLE_NOTE_WRONG_FUND; which words name which table's fund is data
(`[fund_words]` in schemas/data/empty_table_notes.toml). A note naming no fund
(“本部门无相关收支项目”) is not judged.

    from checks.empty_tables import check_empty_tables
    findings = check_empty_tables(result.document.doc_id, result)  # both rules
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checks.registry import scoped_rule
from core.records import Finding
from schemas.empty_notes import fund_words, named_funds
from schemas.rules import Rule, load_rules
from schemas.table_specs import table_names

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

RULE_ID = "EMPTY_TABLE_NOTE"
WRONG_FUND_ID = "EMPTY_TABLE_NOTE_WRONG_FUND"
SCOPE = "document-tables"


def check_empty_tables(doc_id: str, result: DocumentResult) -> list[Finding]:
    """EMPTY_TABLE_NOTE, then EMPTY_TABLE_NOTE_WRONG_FUND."""
    return missing_notes(doc_id, result) + wrong_fund_notes(doc_id, result)


def _finding(doc_id: str, rule_row: Rule, code: str, message: str, page: int | None) -> Finding:
    return Finding(
        doc_id=doc_id,
        rule_id=rule_row.rule_id,
        severity=rule_row.severity,
        category=rule_row.category,
        table_code=code,
        subject_code="",
        expected=None,
        actual=None,
        difference=None,
        message=message,
        page=page,
    )


def wrong_fund_notes(doc_id: str, result: DocumentResult) -> list[Finding]:
    """One finding per empty 07/08/09 whose 空表说明 names another table's fund and not its own."""
    rule_row = load_rules()[WRONG_FUND_ID]
    kind = result.document.doc_kind
    if not rule_row.applies_to(kind):
        return []
    names, words = table_names(kind), fund_words()
    findings: list[Finding] = []
    for code, note in sorted(result.table_notes.items()):
        if code not in rule_row.tables or code not in words or not note.strip():
            continue
        named = named_funds(note)
        others = sorted(named - {code})
        if code in named or not others:
            continue
        own, other = words[code][0], "、".join(words[c][0] for c in others)
        findings.append(_finding(
            doc_id, rule_row, code,
            f"{code} {names.get(code, '')} 的空表说明“{note.strip()}”说的是{other}，而非本表的{own}（疑套用他表说明）"
            f" / the note of the empty table {code} names {other} ({', '.join(others)}), not its own {own}:"
            f" it looks copied from table {'/'.join(others)}'s page; word it for {own}",
            result.table_pages.get(code),
        ))
    return findings


def missing_notes(doc_id: str, result: DocumentResult) -> list[Finding]:
    """One finding per 07/08/09 table (the rule's tables) printed with no value and no 空表说明."""
    rule_row = load_rules()[RULE_ID]
    kind = result.document.doc_kind
    if not rule_row.applies_to(kind):
        return []
    names = table_names(kind)
    findings: list[Finding] = []
    for code, note in sorted(result.table_notes.items()):
        if code not in rule_row.tables or note.strip():
            continue
        name = names.get(code, "")
        findings.append(_finding(
            doc_id, rule_row, code,
            f"{code} {name} 无数据，但表上未附空表说明（情况说明中的解释不能代替：读表者看不到）"
            f" / table {code} is printed without any value and without a note on the table saying why it"
            " is empty; where the narrative (情况说明) explains it, it does so elsewhere: print the note"
            " under the table",
            result.table_pages.get(code),
        ))
    return findings


scoped_rule(SCOPE, RULE_ID)(missing_notes)
scoped_rule(SCOPE, WRONG_FUND_ID)(wrong_fund_notes)
