"""Units within one document (issue 9 §7): a table whose amounts are about 10,000× its siblings'.

TABLE_UNIT_SCALE — a table printed in 元 among tables in 万元 (or labelled 万元 over amounts in 元) makes
its totals, converted to yuan, about 10,000× off the sibling tables' matching totals. Only totals that
tell the same money are compared, each table's largest total or subtotal line in yuan:

- 01 (all income and expenditure) with 02 (income) and 03 (expenditure), and 02 with 03;
- 04 (fiscal appropriations; its 一般公共预算 column when read) with 05 (general-budget appropriations).

Their ratio is about 1 in a sound booklet (01 adds the carried-over balances, 04 the fund budgets);
a ratio between 5,000 and 20,000 (or its inverse) is the finding. 06–09 are never compared: a small
department's 三公 or fund tables are legitimately thousands of times smaller than its 01.

The table named is the one off against more of its partners (01 against both 02 and 03); on a tie the
one whose unit as printed is not the document's most common unit, else the second of the pair.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from checks.registry import rule
from checks.tolerance import quantize
from checks.view import DocumentView
from core.records import Finding
from schemas.rules import Rule

PAIRS = (("01", "02"), ("01", "03"), ("02", "03"), ("04", "05"))
RATIO = (Decimal(5000), Decimal(20000))
TOTAL_ROLES = {"total", "subtotal"}
#: 04's general-budget column is what 05 repeats; its 总计 adds the fund budgets.
MEASURE = {"04": "expenditure_general_budget"}


def table_total(view: DocumentView, table_code: str) -> tuple[Decimal, str] | None:
    """The largest total or subtotal amount of a table in yuan, with its unit as printed."""
    best: tuple[Decimal, str] | None = None
    wanted = MEASURE.get(table_code)
    for only_wanted in ((True, False) if wanted else (False,)):
        for row in view.rows(table_code):
            for measure, item in row.cells.items():
                if item.row_role not in TOTAL_ROLES or item.amount_yuan is None or item.amount_yuan <= 0:
                    continue
                if only_wanted and measure != wanted:
                    continue
                if best is None or item.amount_yuan > best[0]:
                    best = (item.amount_yuan, item.unit_original)
        if best is not None:
            return best
    return None


def _off(a: Decimal, b: Decimal) -> bool:
    ratio = a / b
    low, high = RATIO
    return low <= ratio <= high or low <= 1 / ratio <= high


@rule("TABLE_UNIT_SCALE")
def unit_scale(view: DocumentView, rule_row: Rule) -> list[Finding]:
    totals = {code: t for code in {c for pair in PAIRS for c in pair} if (t := table_total(view, code))}
    off_pairs = [(a, b) for a, b in PAIRS if a in totals and b in totals and _off(totals[a][0], totals[b][0])]
    if not off_pairs:
        return []
    votes = Counter(code for pair in off_pairs for code in pair)
    units = Counter(u for _, u in totals.values())
    findings: list[Finding] = []
    named: set[str] = set()
    for a, b in off_pairs:
        if votes[a] != votes[b]:
            culprit = a if votes[a] > votes[b] else b
        elif totals[a][1] != totals[b][1]:
            culprit = min((a, b), key=lambda c: units[totals[c][1]])
        else:
            culprit = b
        if culprit in named:
            continue
        named.add(culprit)
        partner = b if culprit == a else a
        actual, unit = totals[culprit]
        expected, partner_unit = totals[partner]
        larger = actual > expected
        ratio = (actual / expected if larger else expected / actual).quantize(Decimal("1"))
        times_zh = f"是{partner}表的{ratio}倍" if larger else f"只有{partner}表的1/{ratio}"
        times_en = f"{ratio} times" if larger else f"1/{ratio} of"
        findings.append(Finding(
            doc_id=view.doc_id, rule_id=rule_row.rule_id, severity=rule_row.severity, category=rule_row.category,
            table_code=culprit, subject_code="", expected=quantize(expected), actual=quantize(actual),
            difference=quantize(actual - expected),
            message=f"{culprit}表合计折合 {quantize(actual)} 元（标注单位：{unit}），{times_zh}（{quantize(expected)} 元，"
                    f"标注单位：{partner_unit}），金额单位（万元/元）可能有误"
                    f" / {culprit}'s total, {quantize(actual)} yuan (printed in {unit}), is {times_en} {partner}'s"
                    f" matching total {quantize(expected)} yuan (printed in {partner_unit}): one of the units"
                    " (万元 / 元) is likely wrong",
            page=min((i.page for r in view.rows(culprit) for i in r.cells.values()), default=None),
        ))
    return findings
