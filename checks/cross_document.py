"""Rules across documents (category `cross-document`; findings carry doc_id ""):

- XDOC_DUPLICATE_PUBLICATION — the same department, fiscal year and kind published twice
  with different numbers (identical bytes are quarantined earlier as `duplicate_file`;
  identical figures in different files are not reported);
- XDOC_UNIT_SCALE — a document whose 01 总计 is about 10,000× off its department's other
  documents (2,000×–50,000×), or, for a department with one document, ≥ 1,000× off the
  median of all documents of the same year: 元 printed as 万元 or the reverse;
- XDOC_EMPTY_DOCUMENT — a document published as ok with no line items.

Each message names the documents (file and doc_id). Amounts are compared in yuan, so
documents printed in 万元 and in 元 compare directly.

    from checks.cross_document import check_across_documents
    findings = check_across_documents(results)
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from statistics import median
from typing import TYPE_CHECKING

from checks.registry import SCOPED_FUNCTIONS, scoped_rule
from checks.tolerance import quantize
from checks.view import normalize_name
from core.records import PUBLISHED, DocumentRecord, Finding, LineItem
from schemas.rules import Rule, load_rules

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

SCOPE = "across-documents"
GRAND_TOTAL = "总计"
SCALE = Decimal(10000)
#: Same department: a ratio between these bounds (or their inverses) looks like 万元 ↔ 元.
DEPARTMENT_RATIO = (Decimal(2000), Decimal(50000))
#: Same year, all departments: a ratio to the year's median at least this large (or its
#: inverse). 1,000 and not 10,000: a 元 document printed as 万元 is 10,000× its own size,
#: and a small department sits below the median.
YEAR_RATIO = Decimal(1000)
#: Same-year comparison needs this many documents (the document included) for a median.
MIN_YEAR_DOCUMENTS = 3

CrossDocumentRule = Callable[[Sequence["DocumentResult"], Rule], list[Finding]]


def _ok(results: Sequence[DocumentResult]) -> list[DocumentResult]:
    return [r for r in results if r.document.status in PUBLISHED]


def _name(doc: DocumentRecord) -> str:
    return f"{doc.source_file} ({doc.doc_id})"


def grand_total(items: Sequence[LineItem]) -> LineItem | None:
    """The 01 总计 line in yuan (income side preferred), or None when not printed."""
    totals = [
        i
        for i in items
        if i.table_code == "01" and normalize_name(i.line_label) == GRAND_TOTAL and i.amount_yuan is not None
    ]
    totals.sort(key=lambda i: (not i.measure.startswith("income"), i.row_index))
    return totals[0] if totals else None


def _figures(items: Sequence[LineItem]) -> set[tuple[str, str, str, str, Decimal | None, Decimal | None]]:
    return {
        (i.table_code, i.subject_code, normalize_name(i.line_label), i.measure, i.amount_yuan, i.quantity)
        for i in items
    }


def _finding(
    rule_row: Rule,
    table_code: str,
    expected: Decimal | None,
    actual: Decimal | None,
    message: str,
) -> Finding:
    difference = quantize(actual - expected) if actual is not None and expected is not None else None
    return Finding(
        doc_id="",
        rule_id=rule_row.rule_id,
        severity=rule_row.severity,
        category=rule_row.category,
        table_code=table_code,
        subject_code="",
        expected=quantize(expected) if expected is not None else None,
        actual=quantize(actual) if actual is not None else None,
        difference=difference,
        message=message,
        page=None,
    )


def duplicate_publication(results: Sequence[DocumentResult], rule_row: Rule) -> list[Finding]:
    """Each later document of a (department, year, kind) against the first one, when their figures differ."""
    groups: dict[tuple[str, int, str], list[DocumentResult]] = defaultdict(list)
    for r in _ok(results):
        doc = r.document
        if doc.department and doc.fiscal_year is not None and r.line_items:
            # one disclosure (department, year, kind and scope): a 单位预算 beside its 部门预算 is another
            groups[(doc.disclosure_id or doc.department, doc.fiscal_year, doc.doc_kind)].append(r)
    findings: list[Finding] = []
    for (_, year, kind), group in groups.items():
        first = group[0]
        first_figures = _figures(first.line_items)
        first_total = grand_total(first.line_items)
        for other in group[1:]:
            other_figures = _figures(other.line_items)
            if other_figures == first_figures:
                continue
            other_total = grand_total(other.line_items)
            only_first = len(first_figures - other_figures)
            only_other = len(other_figures - first_figures)
            expected = first_total.amount_yuan if first_total else None
            actual = other_total.amount_yuan if other_total else None
            findings.append(
                _finding(
                    rule_row,
                    "01",
                    expected,
                    actual,
                    f"{first.document.department} {year} 年（{kind}）发布了两次且数字不同：{_name(first.document)} 与"
                    f" {_name(other.document)}；01表总计 {expected} 元 与 {actual} 元，"
                    f"{only_first} 个数值仅见于前者、{only_other} 个仅见于后者"
                    f" / {first.document.department} {year} ({kind}) is published twice with different numbers:"
                    f" {_name(first.document)} and {_name(other.document)}; 01 总计 {expected} vs {actual} yuan;"
                    f" {only_first} figures only in the first, {only_other} only in the second",
                )
            )
    return findings


def _ratio_off(ratio: Decimal, low: Decimal, high: Decimal | None) -> bool:
    inverse = 1 / ratio
    if high is None:
        return ratio >= low or inverse >= low
    return low <= ratio <= high or low <= inverse <= high


def unit_scale(results: Sequence[DocumentResult], rule_row: Rule) -> list[Finding]:
    """01 总计 against the department's other documents, else against the same year's departments.

    The reference is the median 总计 of the group, the document included (robust to the
    outlier itself); a department with two documents compares each with the other.
    """
    totals: list[tuple[DocumentRecord, Decimal]] = []
    for r in _ok(results):
        item = grand_total(r.line_items)
        if item is not None and item.amount_yuan is not None and item.amount_yuan > 0:
            totals.append((r.document, item.amount_yuan))
    findings: list[Finding] = []
    for index, (doc, total) in enumerate(totals):
        department = [t for d, t in totals if doc.department and d.department == doc.department]
        year = [t for d, t in totals if doc.fiscal_year is not None and d.fiscal_year == doc.fiscal_year]
        if len(department) >= 2:
            others = [t for i, (d, t) in enumerate(totals) if i != index and d.department == doc.department]
            reference = Decimal(median(others if len(department) == 2 else department))
            if not _ratio_off(total / reference, *DEPARTMENT_RATIO):
                continue
            peers_zh = f"同部门 {len(department)} 份文件总计"
            peers_en = f"the 总计 of the department's {len(department)} documents"
        elif len(year) >= MIN_YEAR_DOCUMENTS:
            reference = Decimal(median(year))
            if not _ratio_off(total / reference, YEAR_RATIO, None):
                continue
            peers_zh = f"{doc.fiscal_year} 年度 {len(year)} 份文件总计"
            peers_en = f"the 总计 of the {len(year)} documents of {doc.fiscal_year}"
        else:
            continue
        larger = total >= reference
        ratio = (total / reference if larger else reference / total).quantize(Decimal("1"))
        zh = f"是{peers_zh}中位数 {reference} 元的 {ratio} 倍" if larger else (
            f"只有{peers_zh}中位数 {reference} 元的 1/{ratio}"
        )
        en = "times" if larger else "times smaller than"
        findings.append(
            _finding(
                rule_row,
                "01",
                reference,
                total,
                f"{doc.department} {_name(doc)}：01表总计 {total} 元，{zh}，金额单位（万元/元）可能有误"
                f" / {doc.department} {_name(doc)}: 01 总计 {total} yuan is {ratio} {en} the median"
                f" {reference} yuan of {peers_en}; the unit (万元 / 元) may be wrong",
            )
        )
    return findings


def empty_document(results: Sequence[DocumentResult], rule_row: Rule) -> list[Finding]:
    """An ok document without line items (so no rule could check it).

    A narrative file whose disclosure's table file was read is not empty: its figures are
    checked against that file's tables.
    """
    with_tables = {r.document.disclosure_id for r in _ok(results) if r.line_items and r.document.disclosure_id}
    return [
        _finding(
            rule_row,
            "",
            None,
            None,
            f"{r.document.department or '（部门未识别）'} {_name(r.document)} 已发布但没有读到任何表格数据，无法检查"
            f" / {r.document.department or '(department not recognised)'} {_name(r.document)} is published"
            " but no table figure was read from it, so no rule could check it",
        )
        for r in _ok(results)
        if not r.line_items and r.document.disclosure_id not in with_tables
    ]


def _register_all_rules() -> None:
    """Import every checks.* module: other modules register rules in this scope too."""
    import checks

    for module in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"checks.{module.name}")


def check_across_documents(results: Sequence[DocumentResult]) -> list[Finding]:
    """Findings of every rule registered in the `across-documents` scope, in registry order.

    Besides this module's rules that includes XDOC_SAME_CODE_DIFFERENT_NAME (checks.reference_rules).
    """
    _register_all_rules()
    findings: list[Finding] = []
    functions = SCOPED_FUNCTIONS.get(SCOPE, {})
    for rule_id, rule_row in load_rules().items():
        function = functions.get(rule_id)
        if function is not None:
            findings += function(results, rule_row)
    return findings


RULES: dict[str, CrossDocumentRule] = {
    "XDOC_DUPLICATE_PUBLICATION": duplicate_publication,
    "XDOC_UNIT_SCALE": unit_scale,
    "XDOC_EMPTY_DOCUMENT": empty_document,
}
for _rule_id, _function in RULES.items():
    scoped_rule(SCOPE, _rule_id)(_function)
