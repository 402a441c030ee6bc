"""Text hygiene of the prose (issue 9 §6): one rule per kind of slip found by extract/hygiene.py.

    from checks.text_rules import check_text
    findings = check_text(result.document.doc_id, result.text_issues)

A template (sh_template_final_2024) is quarantined before any rule runs, so its `XX局`
are never reported here: only a published, filled booklet's leftovers are.
"""

from __future__ import annotations

from collections.abc import Sequence

from checks.registry import SCOPED_FUNCTIONS, scoped_rule
from core.records import Finding, TextIssue
from schemas.rules import Rule, load_rules

SCOPE = "text"
WHAT = {
    "placeholder": ("模板占位符未替换", "a template placeholder left in the filled booklet"),
    "doubled_punctuation": ("标点重复", "a punctuation mark printed twice"),
    "doubled_word": ("词语重复", "a word printed twice in a row"),
    "percent_precision": ("百分比小数位数超过两位", "a percentage printed with more than two decimals"),
    "percent_unit": ("占比缺少百分号", "a share printed without its %"),
}


def _findings(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue], kind: str) -> list[Finding]:
    zh, en = WHAT[kind]
    return [
        Finding(
            doc_id=doc_id,
            rule_id=rule_row.rule_id,
            severity=rule_row.severity,
            category=rule_row.category,
            table_code="",
            subject_code="",
            expected=None,
            actual=None,
            difference=None,
            message=f"第{i.page}页{zh}：“{i.text}”（…{i.context}…） / page {i.page}: {en}: “{i.text}” in “{i.context}”",
            page=i.page,
        )
        for i in issues
        if i.kind == kind
    ]


@scoped_rule(SCOPE, "TEXT_PLACEHOLDER")
def placeholders(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue]) -> list[Finding]:
    return _findings(doc_id, rule_row, issues, "placeholder")


@scoped_rule(SCOPE, "TEXT_DOUBLED_PUNCTUATION")
def doubled_punctuation(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue]) -> list[Finding]:
    return _findings(doc_id, rule_row, issues, "doubled_punctuation")


@scoped_rule(SCOPE, "TEXT_DOUBLED_WORD")
def doubled_words(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue]) -> list[Finding]:
    return _findings(doc_id, rule_row, issues, "doubled_word")


@scoped_rule(SCOPE, "TEXT_PERCENT_PRECISION")
def percent_precision(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue]) -> list[Finding]:
    return _findings(doc_id, rule_row, issues, "percent_precision")


@scoped_rule(SCOPE, "TEXT_PERCENT_UNIT")
def percent_unit(doc_id: str, rule_row: Rule, issues: Sequence[TextIssue]) -> list[Finding]:
    return _findings(doc_id, rule_row, issues, "percent_unit")


def check_text(doc_id: str, issues: Sequence[TextIssue], doc_kind: str = "final_account") -> list[Finding]:
    """Every text-hygiene rule that applies to `doc_kind`, in registry order."""
    rules = load_rules()
    findings: list[Finding] = []
    for rule_id, function in SCOPED_FUNCTIONS[SCOPE].items():
        if rules[rule_id].applies_to(doc_kind):
            findings += function(doc_id, rules[rule_id], issues)
    return findings
