"""Unknowns made visible: findings for the rows `normalize.subjects` flagged, and across documents.

Rule ids (registry: schemas/data/rules.csv, category `reference` / `cross-document`):

- REF_UNKNOWN_CODE      a printed code absent from the reference for the document's year
- REF_NAME_MISMATCH     a printed name that contradicts the reference name of its code
- REF_UNMATCHED_NAME    a row printed without a code whose name matches no single subject
- REF_INVALID_CODE_LENGTH  a code whose length fits no level (the seed's `310111`)
- XDOC_SAME_CODE_DIFFERENT_NAME  one code printed with different names by different documents

One finding per printed row (not per cell); values are kept as printed, never changed.
Entry points: `reference_findings(doc_id, items)` per document (the REF_* rules, scope
`reference`: check_document skips them) and `cross_document_name_findings(items)`, which
`checks.cross_document.check_across_documents` also runs (registered in its scope).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from checks.registry import scoped_rule
from core.records import Finding, LineItem
from schemas.reference import load_reference, normalize_name
from schemas.rules import Rule, load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

#: line_items.subject_flag (set by normalize.subjects) → rule id
RULE_BY_FLAG: dict[str, str] = {
    "unknown_code": "REF_UNKNOWN_CODE",
    "name_mismatch": "REF_NAME_MISMATCH",
    "unmatched_name": "REF_UNMATCHED_NAME",
    "invalid_length": "REF_INVALID_CODE_LENGTH",
}
XDOC_RULE = "XDOC_SAME_CODE_DIFFERENT_NAME"
REFERENCE = "reference"
CROSS_DOCUMENT = "cross-document"
#: scope of the REF_* rules in checks.registry (entry point: reference_findings)
SCOPE = "reference"
#: scope of checks.cross_document.check_across_documents, which runs XDOC_SAME_CODE_DIFFERENT_NAME
ACROSS_DOCUMENTS = "across-documents"


def row_key(item: LineItem) -> tuple[str, int, str]:
    return (item.table_code, item.row_index, item.line_label)


def _message(item: LineItem) -> str:
    where = f"{item.table_code}表第{item.page}页"
    where_en = f"table {item.table_code}, page {item.page}"
    printed = item.subject_name_printed or item.line_label
    code = item.subject_code
    flag = item.subject_flag
    if flag == "unknown_code":
        year = f"{item.fiscal_year}年度" if item.fiscal_year else ""
        return (
            f"{where}：科目编码 {code}（{printed}）不在{year}参考科目表中，按原文发布"
            f" / {where_en}: code {code} ({printed}) is not in the reference for fiscal year"
            f" {item.fiscal_year or '?'}; published as printed"
        )
    if flag == "name_mismatch":
        ref = load_reference().get(code)
        expected = ref.name if ref else ""
        return (
            f"{where}：科目 {code} 印为“{printed}”，参考名称为“{expected}”，按原文发布"
            f" / {where_en}: code {code} is printed as '{printed}' but the reference name is '{expected}';"
            " published as printed"
        )
    if flag == "unmatched_name":
        return (
            f"{where}：未印编码的科目“{printed}”在参考科目表中无唯一对应，编码留空"
            f" / {where_en}: '{printed}' is printed without a code and matches no single reference"
            " subject in its context; the code is left empty"
        )
    return (
        f"{where}：科目编码 {code}（{printed}）位数不符合类/款/项（3/5/7位），按原文发布"
        f" / {where_en}: code {code} ({printed}) has {len(code)} digits, which fits no level"
        " (类/款/项 = 3/5/7); published as printed"
    )


def reference_findings(doc_id: str, items: Sequence[LineItem]) -> list[Finding]:
    """One finding per printed row flagged by normalize.subjects (subject_flag not empty), at its registry severity."""
    rules = load_rules()
    findings: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for item in items:
        if not item.subject_flag or row_key(item) in seen:
            continue
        seen.add(row_key(item))
        findings.append(
            Finding(
                doc_id=doc_id,
                rule_id=RULE_BY_FLAG[item.subject_flag],
                severity=rules[RULE_BY_FLAG[item.subject_flag]].severity,
                category=REFERENCE,
                table_code=item.table_code,
                subject_code=item.subject_code,
                expected=None,
                actual=None,
                difference=None,
                message=_message(item),
                page=item.page,
            )
        )
    return findings


def cross_document_name_findings(items: Iterable[LineItem]) -> list[Finding]:
    """One warning per code and fiscal year printed with different names by different documents (doc_id empty).

    Names are compared as printed after normalization (NFKC, brackets, spaces), so a
    bracket or spacing difference is not a finding, a different wording is. Only documents
    of one fiscal year are compared: the classification renames subjects between years
    (20805 行政事业单位离退休 → 行政事业单位养老支出 in 2018), which is no inconsistency.
    """
    names: defaultdict[tuple[str, int | None], defaultdict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    departments: dict[str, str] = {}
    for item in items:
        printed = item.subject_name_printed or item.subject_name
        if not item.subject_code or not printed or item.code_source == "inferred":
            continue
        names[(item.subject_code, item.fiscal_year)][normalize_name(printed)].add(item.doc_id)
        departments[item.doc_id] = item.department or item.doc_id
    findings: list[Finding] = []
    for code, year in sorted(names, key=lambda k: (k[0], k[1] or 0)):
        printed_names = names[(code, year)]
        # a fragment of a longer printed name (a wrapped or cut cell) is not a different name
        by_name = {n: d for n, d in printed_names.items() if not any(n != m and n in m for m in printed_names)}
        docs = set().union(*by_name.values())
        if len(by_name) < 2 or len(docs) < 2:
            continue
        listing = "; ".join(
            f"“{name}”: {', '.join(sorted({departments[d] for d in by_name[name]}))}" for name in sorted(by_name)
        )
        findings.append(
            Finding(
                doc_id="",
                rule_id=XDOC_RULE,
                severity=load_rules()[XDOC_RULE].severity,
                category=CROSS_DOCUMENT,
                table_code="",
                subject_code=code,
                expected=None,
                actual=None,
                difference=None,
                message=(
                    f"科目编码 {code} 在{year or '同一'}年度的不同文件中名称不同 / code {code} is printed with {len(by_name)}"
                    f" different names across {len(docs)} documents of fiscal year {year or '?'}: {listing}"
                ),
                page=None,
            )
        )
    return findings


def _scoped(rule_id: str) -> None:
    def run(doc_id: str, items: Sequence[LineItem]) -> list[Finding]:
        return [f for f in reference_findings(doc_id, items) if f.rule_id == rule_id]

    scoped_rule(SCOPE, rule_id)(run)


for _rule_id in RULE_BY_FLAG.values():
    _scoped(_rule_id)


@scoped_rule(ACROSS_DOCUMENTS, XDOC_RULE)
def _same_code_different_name(results: Sequence[DocumentResult], rule_row: Rule) -> list[Finding]:
    return cross_document_name_findings(i for r in results for i in r.line_items)  # one document at a time
