"""06's 三公 款 lines are at most table 09's same items (rule XTABLE_06_09_SANGONG).

    06 30212 因公出国（境）费用   ≤ 09 因公出国（境）费
    06 30217 公务接待费           ≤ 09 公务接待费
    06 30231 公务用车运行维护费   ≤ 09 公务用车运行维护费
    06 31013 公务用车购置         ≤ 09 公务用车购置费

06 is the basic expenditure of one fund (一般公共预算); 09 the basic and project
expenditure of the funds its title names. The inequality holds only when 09's funds
include 06's: both scopes are read off the printed titles (`fund_scopes` of 06 and 09
in schemas/data/<kind>_tables.toml), and a title whose scope is unknown is not compared.
Which 款 is which 09 line, and which 09 column is compared, is data too (`economic_lines`,
`economic_measure` of table 09).

An item's 09 line not printed (or its cell blank) is bounded by the line it sums into
(`line_sums`: 运行维护费 ≤ 公务用车购置及运行维护费 ≤ the 三公 total): each bound is sound,
the nearest is the sharpest. A 09 printed with no value at all (`DocumentView.empty_tables`)
bounds every item by 0; a 09 not read bounds nothing. The two tables are often printed in
different units (Shanghai's budgets: 06 in 元, 09 in 万元): amounts are compared in 元, within
one unit of the coarser table's last printed place.
"""

from __future__ import annotations

from decimal import Decimal

from checks.registry import rule
from checks.sangong import TABLE, sangong_rows, table_sums
from checks.tolerance import last_place, quantize, severity
from checks.view import DocumentView, Row, normalize_name
from core.records import Finding, LineItem
from schemas.rules import Rule
from schemas.table_specs import SPEC_SET_BY_KIND, LineSums, economic_lines, fund_scope

BASIC = "06"
BASIC_MEASURE = "amount"  # 06's total column (决算数 / 预算数合计)
UNIT_YUAN = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}


def bounds(role: str, sums: LineSums) -> list[str]:
    """The role, then every line it sums into, nearest first: running → vehicle → total."""
    chain, frontier = [role], [role]
    while frontier:
        parents = [s.total for s in sums.sums if any(p in s.parts for p in frontier)]
        frontier = [p for p in parents if p not in chain]
        chain += frontier
    return chain


def _bound(rows: dict[str, Row], chain: list[str], measure: str) -> tuple[str, LineItem | None] | None:
    """The nearest printed 09 cell bounding the item: (its line, the cell); None when none is printed."""
    for role in chain:
        row = rows.get(role)
        if row is not None and measure in row.cells:
            return role, row.cells[measure]
    return None


def _place_yuan(item: LineItem) -> Decimal:
    """One unit of the item's last printed place, in 元."""
    return last_place([item.value_original]) * UNIT_YUAN.get(item.unit_original, Decimal(1))


def scopes_nest(doc: DocumentView) -> bool:
    """06's funds, read off its title, are among 09's (both known)."""
    name = SPEC_SET_BY_KIND.get(doc.doc_kind, "")
    basic = fund_scope(name, BASIC, doc.titles.get(BASIC, "")) if name else frozenset()
    sangong = fund_scope(name, TABLE, doc.titles.get(TABLE, "")) if name else frozenset()
    return bool(basic) and bool(sangong) and basic <= sangong


@rule("XTABLE_06_09_SANGONG")
def basic_sangong_06_09(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    name = SPEC_SET_BY_KIND.get(doc.doc_kind, "")
    spec = economic_lines(name, TABLE) if name else None
    if not spec or not spec.lines or not scopes_nest(doc):
        return []
    basic = doc.coded_rows(BASIC)
    sums = table_sums(doc.doc_kind)
    rows = sangong_rows(doc, sums)
    if not rows and TABLE not in doc.empty_tables:
        return []  # 09 not read: its figures are unknown
    findings: list[Finding] = []
    for code, role in spec.lines:
        row = basic.get(code)
        item = row.cells.get(BASIC_MEASURE) if row else None
        if row is None or item is None or item.amount_yuan is None:
            continue
        found = _bound(rows, bounds(role, sums), spec.measure)
        if found is None and TABLE not in doc.empty_tables:
            continue  # no line bounding the item is printed
        line, cell = found if found else (role, None)
        limit = cell.amount_yuan if cell is not None and cell.amount_yuan is not None else Decimal(0)
        difference = quantize(item.amount_yuan - limit)
        if difference <= 0:
            continue
        allowed = max(_place_yuan(item), _place_yuan(cell) if cell is not None else Decimal(0))
        label = normalize_name(rows[line].line_label) if line in rows else line
        printed = f"{cell.value_original}{cell.unit_original}" if cell is not None else "（空表）"
        findings.append(
            Finding(
                doc_id=doc.doc_id,
                rule_id=rule_row.rule_id,
                severity=severity(difference, allowed, rule_row.severity),
                category=rule_row.category,
                table_code=f"{BASIC},{TABLE}",
                subject_code=code,
                expected=quantize(limit),
                actual=quantize(item.amount_yuan),
                difference=difference,
                message=(
                    f"06 {code} {row.name} {item.value_original}{item.unit_original} > 09 {label} {printed}"
                    f"（基本支出不应超过同口径三公经费，超出 {difference}元，容差 {allowed}元）"
                    f" / 06 {code} {row.name} (basic expenditure) {item.amount_yuan} 元 exceeds 09 {label}"
                    f" {limit} 元 (basic + project, funds including 06's) by {difference} 元 (tolerance {allowed} 元)"
                ),
                page=item.page,
            )
        )
    return findings
