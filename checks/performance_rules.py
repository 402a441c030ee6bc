"""项目支出绩效自评表 rows (`PerformanceIndicator`) checked against their own arithmetic.

    from checks.performance_rules import check_performance
    findings = check_performance(doc_id, indicators)

Rules (schemas/data/rules.csv, category `performance`), registered with `@scoped_rule`
(not run by `check_document`):

- PERF_EXECUTION_RATE: a funds line's printed 执行率 equals 全年执行数 B ÷ 全年预算数 A. Rates
  are printed rounded (to the percent, usually), so the printed rate may differ from B/A by
  half a unit of its last printed place (0.5 percentage point for `100%`); a rate printed
  against A = 0 is reported (it has no value).
- PERF_SCORE_SUM: the 总分 row's 得分 equals Σ 得分 of the indicators and the funds line; its
  分值 equals Σ 分值; and Σ 分值 is 100.
- PERF_DUPLICATE_TABLE: the same project's table printed more than once (info when the copies
  agree, the rule's warning when they do not): one finding per repeat, naming both pages.

Findings carry no table_code (the tables are no 公开NN表) and name the project in the message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from checks.registry import SCOPED_FUNCTIONS, scoped_rule
from checks.tolerance import last_place, quantize, severity
from core.records import Finding, PerformanceIndicator, Severity
from extract.numbers import parse_percent
from extract.text import squash
from schemas.rules import Rule, load_rules

SCOPE = "performance"
HUNDRED = Decimal(100)
#: Fields that differ between two printings of the same table without the content differing.
_PLACEMENT = {"doc_id", "table_instance", "page", "row_index"}


@dataclass(frozen=True)
class PerformanceTable:
    """One printing of a 绩效自评表: its rows in order."""

    instance: int
    project: str
    rows: tuple[PerformanceIndicator, ...]

    @property
    def page(self) -> int:
        return min(r.page for r in self.rows)

    @property
    def total(self) -> PerformanceIndicator | None:
        return next((r for r in self.rows if r.section == "total"), None)

    def scored(self) -> list[PerformanceIndicator]:
        return [r for r in self.rows if r.section in ("funds", "indicator")]


@dataclass
class PerformanceView:
    doc_id: str
    tables: list[PerformanceTable]


PerformanceFunction = Callable[[PerformanceView, Rule], list[Finding]]


def tables_of(indicators: Sequence[PerformanceIndicator]) -> list[PerformanceTable]:
    by_instance: dict[int, list[PerformanceIndicator]] = defaultdict(list)
    for row in indicators:
        by_instance[row.table_instance].append(row)
    return [
        PerformanceTable(i, rows[0].project, tuple(sorted(rows, key=lambda r: r.row_index)))
        for i, rows in sorted(by_instance.items())
    ]


def _finding(
    view: PerformanceView, rule: Rule, level: str, page: int | None, message: str,
    expected: Decimal | None = None, actual: Decimal | None = None,
) -> Finding:
    difference = quantize(actual - expected) if expected is not None and actual is not None else None
    return Finding(
        doc_id=view.doc_id, rule_id=rule.rule_id, severity=level, category=rule.category, table_code="",
        subject_code="", expected=expected, actual=actual, difference=difference, message=message, page=page,
    )


@scoped_rule(SCOPE, "PERF_EXECUTION_RATE")
def execution_rate_recomputes(view: PerformanceView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table in view.tables:
        for row in table.rows:
            rate = parse_percent(row.execution_rate)
            if row.section != "funds" or rate is None or row.executed is None or row.full_year_budget is None:
                continue
            where = f"绩效自评表「{table.project}」{row.level1}"
            if row.full_year_budget == 0:
                findings.append(
                    _finding(
                        view, rule, rule.severity, row.page,
                        f"{where} 执行率 {row.execution_rate}：全年预算数A为0，执行率无从计算 / {table.project}"
                        f" {row.level1}: an execution rate of {row.execution_rate} is printed against a"
                        f" full-year budget A of 0, which has no rate",
                        actual=rate,
                    )
                )
                continue
            exact = row.executed / row.full_year_budget * HUNDRED
            allowed = last_place([rate]) / 2
            if abs(rate - exact) <= allowed:
                continue
            expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            findings.append(
                _finding(
                    view, rule, rule.severity, row.page,
                    f"{where} 执行率 {row.execution_rate} ≠ 全年执行数B÷全年预算数A {row.executed}÷"
                    f"{row.full_year_budget} = {expected}%（容差 {allowed} 个百分点）/ {table.project}"
                    f" {row.level1}: printed execution rate {row.execution_rate} differs from B / A ="
                    f" {row.executed} / {row.full_year_budget} = {expected}% (tolerance {allowed} pp)",
                    expected=expected, actual=rate,
                )
            )
    return findings


def _sum_finding(
    view: PerformanceView, rule: Rule, table: PerformanceTable, printed: Decimal, terms: list[Decimal],
    what_zh: str, what_en: str, page: int, expected: Decimal | None = None,
) -> Finding | None:
    """`printed` against Σ `terms` (or against `expected`, when given, with Σ terms printed)."""
    if expected is None:
        expected = sum(terms, Decimal(0))
    if printed == expected:
        return None
    place = last_place([printed, *terms])
    allowed = Decimal(0) if place >= 1 else place * len(terms)
    level = severity(printed - expected, allowed, rule.severity)
    return _finding(
        view, rule, level, page,
        f"绩效自评表「{table.project}」{what_zh} {printed} ≠ {expected}（差额 {printed - expected}，容差 {allowed}）"
        f" / {table.project}: {what_en} {printed} differs from {expected} by {printed - expected}"
        f" (tolerance {allowed})",
        expected=expected, actual=printed,
    )


@scoped_rule(SCOPE, "PERF_SCORE_SUM")
def scores_add_up(view: PerformanceView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for table in view.tables:
        scored = table.scored()
        weights = [r.weight for r in scored if r.weight is not None]
        scores = [r.score for r in scored if r.score is not None]
        total = table.total
        checks: list[Finding | None] = []
        if total is not None and total.score is not None and scores:
            checks.append(
                _sum_finding(view, rule, table, total.score, scores, "总分得分 vs Σ各项得分",
                             "总分 score vs the sum of the indicator and funds scores", total.page)
            )
        if total is not None and total.weight is not None and weights:
            checks.append(
                _sum_finding(view, rule, table, total.weight, weights, "总分分值 vs Σ各项分值",
                             "总分 weight vs the sum of the indicator and funds weights", total.page)
            )
        if weights:
            page = total.page if total is not None else table.page
            checks.append(
                _sum_finding(view, rule, table, sum(weights, Decimal(0)), weights, "Σ各项分值 vs 满分100",
                             "the sum of the weights vs full marks 100", page, expected=HUNDRED)
            )
        findings += [f for f in checks if f is not None]
    return findings


def _content(table: PerformanceTable) -> list[tuple[object, ...]]:
    names = [f.name for f in fields(PerformanceIndicator) if f.name not in _PLACEMENT]
    return [tuple(getattr(r, n) for n in names) for r in table.rows]


@scoped_rule(SCOPE, "PERF_DUPLICATE_TABLE")
def table_printed_twice(view: PerformanceView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    first: dict[str, PerformanceTable] = {}
    for table in view.tables:
        key = squash(table.project)
        if not key:
            continue
        if key not in first:
            first[key] = table
            continue
        original = first[key]
        same = _content(original) == _content(table)
        level = rule.severity if same else Severity.WARNING.value
        how_zh = "内容相同" if same else "内容不一致"
        how_en = "identical" if same else "with different content"
        findings.append(
            _finding(
                view, rule, level, table.page,
                f"绩效自评表「{table.project}」重复印制：第{original.page}页与第{table.page}页（{how_zh}）"
                f" / the self-evaluation table of {table.project} is printed twice, on pages"
                f" {original.page} and {table.page} ({how_en})",
            )
        )
    return findings


def check_performance(doc_id: str, indicators: Sequence[PerformanceIndicator]) -> list[Finding]:
    """All findings of the performance rules, in registry order."""
    view = PerformanceView(doc_id, tables_of(indicators))
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        function = SCOPED_FUNCTIONS.get(SCOPE, {}).get(rule_id)
        if function is not None:
            findings += function(view, rule_row)
    return findings
