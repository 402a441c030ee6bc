"""Resources derived from the findings for the report: per-rule counts per department.

    content = PackageContent(..., extra_resources=report_resources(documents, findings))

`rule_counts` has one row per (document, rule, severity) with at least one finding;
cross-document findings (doc_id "") are counted on rows with empty department,
fiscal_year and doc_id. A document with no findings has no row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.records import DocumentRecord, Finding, Severity
from datapackage.resources import _DOC_ID_REF, _YEAR_RANGE, ForeignKey, ResourceDef, _int, _text

SEVERITY_ORDER = {s.value: i for i, s in enumerate(Severity)}


@dataclass(frozen=True)
class RuleCount:
    department: str
    fiscal_year: int | None
    doc_id: str
    rule_id: str
    severity: str
    count: int


RULE_COUNTS = ResourceDef(
    name="rule_counts",
    title="Findings per rule and department 各部门规则检查结果统计",
    description=(
        "How many findings each consistency rule produced for each document (department and year),"
        " by severity; one row per document, rule and severity with at least one finding. Rows with an"
        " empty doc_id count the cross-document findings. The findings themselves are in `consistency`."
    ),
    record_type=RuleCount,
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    fields=(
        _text("department", "Department 部门", "Publishing department (部门) as printed; empty for cross-document rows.",
              dictionary=True),
        _int("fiscal_year", "Fiscal year 年度", "Fiscal year (年度) of the document.", constraints=_YEAR_RANGE),
        _text("doc_id", "Document id 文档编号", _DOC_ID_REF + " Empty for cross-document findings.", dictionary=True),
        _text("rule_id", "Rule 规则", "Stable identifier of the rule (schemas/data/rules.csv).", required=True,
              dictionary=True),
        _text(
            "severity",
            "Severity 严重程度",
            "error / warning / info.",
            required=True,
            constraints={"enum": [s.value for s in Severity]},
            dictionary=True,
        ),
        _int("count", "Findings 条数", "Number of findings.", required=True, constraints={"minimum": 1}),
    ),
)


def rule_counts(documents: Sequence[DocumentRecord], findings: Sequence[Finding]) -> list[RuleCount]:
    """Counts per (document, rule, severity), ordered by department, year, document, rule, severity."""
    by_id = {d.doc_id: d for d in documents}
    counts = Counter((f.doc_id, f.rule_id, f.severity) for f in findings)
    rows: list[RuleCount] = []
    for (doc_id, rule_id, severity), count in counts.items():
        doc = by_id.get(doc_id)
        rows.append(
            RuleCount(
                department=doc.department if doc else "",
                fiscal_year=doc.fiscal_year if doc else None,
                doc_id=doc_id,
                rule_id=rule_id,
                severity=severity,
                count=count,
            )
        )
    rows.sort(
        key=lambda r: (
            r.doc_id == "",
            r.department,
            r.fiscal_year or 0,
            r.doc_id,
            r.rule_id,
            SEVERITY_ORDER.get(r.severity, 9),
        )
    )
    return rows


def report_resources(
    documents: Sequence[DocumentRecord], findings: Sequence[Finding]
) -> list[tuple[ResourceDef, list[Any]]]:
    """The report's tabular resources, for `PackageContent(extra_resources=...)`."""
    return [(RULE_COUNTS, list(rule_counts(documents, findings)))]
