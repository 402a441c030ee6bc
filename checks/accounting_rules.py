"""Number accounting as findings: amounts printed and not read, values read and not printed, tables missing.

These read `DocumentResult.accounting_gaps` and `.tables` (normalize/table_outcomes.py),
not line items: what the package does *not* hold is a finding a reader must see
beside the ones about what it holds.

    from checks.accounting_rules import check_accounting
    findings = check_accounting(result.document.doc_id, result)
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from checks.registry import scoped_rule
from core.records import Finding, TableStatus
from schemas.rules import load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

SCOPE = "document-tables"
_SAMPLE = 10


def check_accounting(doc_id: str, result: DocumentResult) -> list[Finding]:
    rules = load_rules()
    names = {t.table_code: t.table_name for t in result.tables}
    findings: list[Finding] = []
    for gap in result.accounting_gaps:
        rule = rules["TABLE_AMOUNT_NOT_READ" if gap.kind == "not_read" else "TABLE_VALUE_NOT_PRINTED"]
        shown = "、".join(gap.texts[:_SAMPLE]) + ("…" if len(gap.texts) > _SAMPLE else "")
        name = names.get(gap.table_code, "")
        if gap.kind == "not_read":
            message = (f"{gap.table_code} {name} 第{gap.page}页印刷的 {len(gap.texts)} 个数字未读取：{shown}"
                       f" / {len(gap.texts)} amount(s) printed on page {gap.page} were not read: {shown}")
        else:
            message = (f"{gap.table_code} {name} 第{gap.page}页未印刷已发布的数值：{shown}"
                       f" / published value(s) not printed on page {gap.page}: {shown}")
        findings.append(
            Finding(doc_id=doc_id, rule_id=rule.rule_id, severity=rule.severity, category=rule.category,
                    table_code=gap.table_code, subject_code="", expected=None,
                    actual=Decimal(len(gap.texts)), difference=None, message=message, page=gap.page)
        )
    missing = rules["TABLE_MISSING"]
    for table in result.tables:
        if table.status != TableStatus.MISSING.value:
            continue
        where = "目录列出但未印刷" if table.listed_in_contents == "true" else "未找到"
        findings.append(
            Finding(doc_id=doc_id, rule_id=missing.rule_id, severity=missing.severity, category=missing.category,
                    table_code=table.table_code, subject_code="", expected=None, actual=None, difference=None,
                    message=f"{table.table_code} {table.table_name} {where} / {table.reason}", page=None)
        )
    return findings


for _rule_id in ("TABLE_AMOUNT_NOT_READ", "TABLE_VALUE_NOT_PRINTED", "TABLE_MISSING"):
    scoped_rule(SCOPE, _rule_id)(check_accounting)
