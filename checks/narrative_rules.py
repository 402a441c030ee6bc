"""Narrative figures (第三部分 情况说明) against the tables and against their own arithmetic.

    from checks.narrative_rules import check_narrative
    findings = check_narrative(doc_id, figures, line_items)

Rules (schemas/data/rules.csv, category `narrative`): NARR_TABLE_MISMATCH, NARR_SANGONG_MISMATCH,
NARR_SHARE, NARR_GROWTH, NARR_ZERO_BASE, NARR_COMPLETION; the wording rules are in
checks/narrative_wording.py, NARR_IMPOSSIBLE_CHANGE in checks/narrative_change.py and
NARR_SUBJECT_NAME_MISMATCH in checks/narrative_subjects.py. Every figure on table 09 (the 三公 total and its lines
因公出国（境）费, 公务用车购置及运行维护费, 购置费, 运行维护费, 公务接待费; 预算数 and 决算数) is
NARR_SANGONG_MISMATCH's, not NARR_TABLE_MISMATCH's: its rows are found by label whatever the
layout (checks/sangong.py), and a blank cell of a printed 09 counts as 0. They read figures as well as line items, so
they are registered with `narrative_rule` (not run by `check_document`). Percentages are
recomputed and rounded to the places the narrative prints; the tolerance is one unit of
the last printed place of the quoted figure.

Budgets (部门预算 / 单位预算; [kinds.budget] of schemas/data/narrative_figures.toml, bound by
extract/narrative_kinds.py and compared by checks/narrative_budget.py): a budget's own amounts are its
unqualified and 预算数 figures (Shanghai's "2024年预算安排…"); a clause about another year (上年…, 2016年…
in a 2017 budget, 执行数, 决算) is compared with no cell. A figure is bound only by the budget subjects of
the data file (totals of 01/02/03/04/05/06/11/12, the 三公 lines, 机关运行经费, 会议费 and 培训费 of 09 in
its 预算数 column, the 类/款/项 lines of a "财政拨款支出主要内容如下" list against 10/05/07/08 or 02's
财政拨款收入): each lists the cells that print it, and the figure is reported only when it repeats none
of the printed ones (a 元 cell is rounded to the places the 万元 quote prints). Not compared on budgets:
类/款/项 lines under a section heading (it, not the sentence, says which of 01, 05 or 10 they quote),
人员经费/公用经费 (no 06 row prints them), 上年结转, 政府采购, 政府性基金 figures. A growth rate is
recomputed from the stated change, or — Shanghai: "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，
比2023年预算执行数减少57.14%" — from the quoted last-year amount; a rate on a quoted 0 is NARR_ZERO_BASE.
NARR_COMPLETION and NARR_COMPARISON_WORDING (决算数 against 预算数) are 决算 rules only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from checks import narrative_change, narrative_subjects, narrative_wording  # noqa: F401  (register their NARR_* rules)
from checks.compare import compare
from checks.narrative_budget import UNIT_YUAN, rebound_amounts
from checks.registry import scoped_rule
from checks.sangong import TABLE as SANGONG_TABLE
from checks.sangong import line_role, sangong_rows
from checks.view import DocumentView, Row, normalize_name
from core.records import Finding, LineItem, NarrativeFigure
from extract.narrative import subject_key, vocabulary
from extract.narrative_kinds import YEAR, KindRules, kind_rules
from schemas.rules import Rule, load_rules

SCOPE = "narrative"
HUNDRED = Decimal(100)
#: Where a class quoted by name is looked for: the figure's own table first, then these.
CLASS_TABLES = {
    "05": "total_expenditure",
    "04": "expenditure_total",
    "08": "current_expenditure",
    "07": "current_expenditure",
    "03": "total_expenditure",
}


@dataclass
class NarrativeView:
    """One document's figures (grouped by subject run) and its tables.

    `aspects` are the aspects of the document's own amounts (决算: "", 决算数; budget: "", 预算数),
    from [kinds.<doc kind>] of schemas/data/narrative_figures.toml.
    """

    doc_id: str
    figures: Sequence[NarrativeFigure]
    tables: DocumentView

    @property
    def rules(self) -> KindRules:
        return kind_rules(self.tables.doc_kind)

    @property
    def aspects(self) -> tuple[str, ...]:
        return self.rules.aspects

    @cached_property
    def fiscal_year(self) -> int | None:
        years = {row.cells[m].fiscal_year for t in self.tables.tables() for row in self.tables.rows(t) for m in row.cells}
        years.discard(None)
        return years.pop() if len(years) == 1 else None

    def own_amount(self, figure: NarrativeFigure) -> bool:
        """An amount of the document's own year and kind (a budget's "上年预算…" is not)."""
        if figure.kind != "amount" or figure.aspect not in self.aspects:
            return False
        if not self.rules.rebind:
            return True
        return not self.rules.other_years.search(figure.sentence) and all(
            self.fiscal_year is not None and int(y) == self.fiscal_year for y in YEAR.findall(figure.sentence)
        )

    def groups(self) -> list[list[NarrativeFigure]]:
        by_group: dict[int, list[NarrativeFigure]] = defaultdict(list)
        for figure in self.figures:
            by_group[figure.group].append(figure)
        return [by_group[g] for g in sorted(by_group)]


NarrativeFunction = Callable[[NarrativeView, Rule], list[Finding]]


def _first(group: list[NarrativeFigure], kind: str, aspects: tuple[str, ...] = ("", "决算数")) -> NarrativeFigure | None:
    return next((f for f in group if f.kind == kind and f.aspect in aspects), None)


def _own(view: NarrativeView, group: list[NarrativeFigure]) -> NarrativeFigure | None:
    """The group's first amount of the document's own year and kind."""
    return next((f for f in group if view.own_amount(f)), None)


def _round_like(value: Decimal, printed: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(min(int(printed.as_tuple().exponent), 0)), rounding=ROUND_HALF_UP)


def _class_row(view: DocumentView, label: str, first: str) -> tuple[Row, str] | None:
    """A 类 row by name, or a 项 row by its 类/款/项 names (label "X/Y/Z")."""
    names = [normalize_name(n) for n in label.split("/")]
    order = [first] + [t for t in CLASS_TABLES if t != first]
    for table in order:
        measure = CLASS_TABLES[table]
        rows = view.coded_rows(table)
        by_name = {normalize_name(r.name): c for c, r in rows.items() if len(c) == 3}
        if names[0] not in by_name:
            # summary tables print classes as "一、一般公共服务支出" lines
            for row in view.rows(table):
                if len(names) == 1 and normalize_name(row.line_label).endswith("、" + names[0]) and measure in row.cells:
                    return row, measure
            continue
        code = by_name[names[0]]
        for depth, name in enumerate(names[1:], start=1):
            length = 3 + 2 * depth
            code = next(
                (c for c, r in rows.items() if len(c) == length and c.startswith(code) and normalize_name(r.name) == name),
                "",
            )
            if not code:
                break
        if code and measure in rows[code].cells:
            return rows[code], measure
    return None


def table_cell(view: DocumentView, figure: NarrativeFigure) -> LineItem | None:
    """The table cell a figure repeats, or None when the document does not print it."""
    if not figure.table_code:
        return None
    if figure.subject_code:
        row = view.coded_rows(figure.table_code).get(figure.subject_code)
        return row.cells.get(figure.measure) if row else None
    if figure.table_code in CLASS_TABLES and figure.measure == CLASS_TABLES[figure.table_code] and (
        figure.line_label not in ("合计", "总计", "本年支出合计")
    ):
        found = _class_row(view, figure.line_label, figure.table_code)
        return found[0].cells[found[1]] if found else None
    labels = [figure.line_label] + (["合计"] if figure.table_code == "09" else [])
    measures = [figure.measure] + (["budget"] if figure.table_code == "09" and "budget" in figure.measure else [])
    for label in labels:
        for measure in measures:
            row = view.labelled(figure.table_code, label, measure)
            if row is None and label in ("合计", "总计"):
                total = view.total_row(figure.table_code)
                row = total if total is not None and measure in total.cells else None
            if row is not None:
                return row.cells[measure]
    return None


def _in_unit(item: LineItem, unit: str) -> Decimal | None:
    if item.amount_yuan is None or unit not in UNIT_YUAN:
        return None
    return item.amount_yuan / UNIT_YUAN[unit]


def _finding(
    view: NarrativeView, rule: Rule, figure: NarrativeFigure, actual: Decimal, expected: Decimal,
    unit: str, desc: str, zh: str, en: str, table_code: str = "", subject_code: str = "",
) -> Finding | None:
    return compare(
        doc_id=view.doc_id, rule=rule, unit=unit, table_code=table_code, subject_code=subject_code,
        actual=actual, expected=expected, printed=[figure.value], terms=1, page=figure.page,
        actual_desc=desc, expected_desc_zh=zh, expected_desc_en=en,
    )


@scoped_rule(SCOPE, "NARR_TABLE_MISMATCH")
def quoted_amount_matches_table(view: NarrativeView, rule: Rule) -> list[Finding]:
    if view.rules.rebind:
        return rebound_amounts(view, rule, sangong=False)
    findings: list[Finding] = []
    for figure in view.figures:
        if figure.kind != "amount" or figure.table_code == SANGONG_TABLE:
            continue  # 09 figures: NARR_SANGONG_MISMATCH
        cell = table_cell(view.tables, figure)
        expected = _in_unit(cell, figure.unit) if cell else None
        if cell is None or expected is None:
            continue
        finding = _finding(
            view, rule, figure, figure.value, expected, figure.unit,
            f"情况说明「{figure.sentence}」{figure.subject}{figure.aspect}",
            f"{cell.table_code}表 {cell.subject_code or cell.line_label} {cell.measure_zh}",
            f"table {cell.table_code} {cell.subject_code or cell.line_label} {cell.measure}",
            cell.table_code, cell.subject_code,
        )
        if finding:
            findings.append(finding)
    return findings


#: a 三公 budget figure's column, then the columns that print it in other layouts (Shanghai: 预算数)
_SANGONG_MEASURES = {
    "initial_budget": ("initial_budget", "budget"),
    "full_year_budget": ("full_year_budget", "budget"),
    "budget": ("budget",),
    "final_amount": ("final_amount",),
}


def sangong_cell(view: DocumentView, figure: NarrativeFigure) -> tuple[Decimal, LineItem | None, str] | None:
    """The 09 value a 三公 figure repeats (yuan), the cell (None for a blank cell = 0) and its measure.

    None when 09 is not read (no 09 money cell) or the table prints no column for the figure's aspect.
    A 决算 09 always prints 决算数; a budget column is known by a cell printed in it.
    """
    rows = view.rows(SANGONG_TABLE)
    if not rows:
        return None
    printed = {m for row in rows for m in row.cells} | ({"final_amount"} if view.doc_kind == "final_account" else set())
    measure = next((m for m in _SANGONG_MEASURES.get(figure.measure, ()) if m in printed), "")
    if not measure:
        return None
    row = sangong_rows(view).get(line_role(figure.line_label))
    cell = row.cells.get(measure) if row else None
    if cell is None:
        return Decimal(0), None, measure
    return (cell.amount_yuan, cell, measure) if cell.amount_yuan is not None else None


@scoped_rule(SCOPE, "NARR_SANGONG_MISMATCH")
def quoted_sangong_matches_table(view: NarrativeView, rule: Rule) -> list[Finding]:
    if view.rules.rebind:
        return rebound_amounts(view, rule, sangong=True)
    findings: list[Finding] = []
    for figure in view.figures:
        if figure.kind != "amount" or figure.table_code != SANGONG_TABLE or figure.unit not in UNIT_YUAN:
            continue
        found = sangong_cell(view.tables, figure)
        if found is None:
            continue
        yuan, cell, measure = found
        where = f"{SANGONG_TABLE}表 {cell.line_label if cell else figure.line_label} {cell.measure_zh if cell else measure}"
        finding = _finding(
            view, rule, figure, figure.value, yuan / UNIT_YUAN[figure.unit], figure.unit,
            f"情况说明「{figure.sentence}」{figure.subject}{figure.aspect}",
            where + ("" if cell else "（空白，按0计）"),
            f"table {SANGONG_TABLE} {figure.line_label} {measure}" + ("" if cell else " (blank: 0)"),
            SANGONG_TABLE,
        )
        if finding:
            findings.append(finding)
    return findings


def _base_amount(view: NarrativeView, share: NarrativeFigure) -> Decimal | None:
    if share.base_value is not None:
        return share.base_value
    key = subject_key(share.base_subject)
    ref = vocabulary().subjects.get(key)
    names = {key} | ({subject_key(ref.name)} if ref else set())
    quoted = next((f for f in view.figures if view.own_amount(f) and subject_key(f.subject) in names), None)
    if quoted is not None:
        return quoted.value
    return None


@scoped_rule(SCOPE, "NARR_SHARE")
def share_recomputes(view: NarrativeView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for group in view.groups():
        share, amount = _first(group, "share"), _own(view, group)
        if share is None or amount is None:
            continue
        base = _base_amount(view, share)
        if base is None or base == 0:
            continue
        expected = _round_like(amount.value / base * HUNDRED, share.value)
        finding = _finding(
            view, rule, share, share.value, expected, "%",
            f"情况说明「{share.sentence}」{share.subject}占比",
            f"{amount.value}÷{base}", f"{amount.value} / {base} ({share.base_subject})",
        )
        if finding:
            findings.append(finding)
    return findings


SIGN = {"增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "降低": -1}


def _last_year(view: NarrativeView, group: list[NarrativeFigure], amount: NarrativeFigure) -> NarrativeFigure | None:
    """The group's quoted last-year amount (上年数: Shanghai's "2023年当年预算执行数为60.13万元"), same unit."""
    return next((f for f in group if f.kind == "amount" and f.aspect == "上年数" and f.unit == amount.unit), None)


def _growth(view: NarrativeView, rule: Rule, zero_base: bool) -> list[Finding]:
    """The rate against last year = this year − the stated change, or against the quoted last-year
    amount when the item states no change ("2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，
    比2023年预算执行数减少57.14%"): whatever that base is (上年预算, 上年执行数), the narrative quotes it."""
    findings: list[Finding] = []
    for group in view.groups():
        amount, change, rate = _own(view, group), _first(group, "growth_amount"), _first(group, "growth_rate")
        if amount is None or rate is None:
            continue
        quoted = _last_year(view, group, amount) if change is None else None
        if change is not None and change.direction in SIGN:
            signed = change.value * SIGN[change.direction]
            last = amount.value - signed
            how_zh = f"{change.value}÷({amount.value}{'-' if signed > 0 else '+'}{change.value})"
            how_en = f"{change.value} / last year's {last} (= {amount.value} ∓ {change.value})"
            base_zh = f"({amount.value} − {signed})"
        elif quoted is not None:
            signed, last = amount.value - quoted.value, quoted.value
            how_zh = f"|{amount.value}-{last}|÷{last}"
            how_en = f"|{amount.value} − {last}| / last year's quoted {last}"
            base_zh = f"(quoted {quoted.aspect} {last})"
        else:
            continue
        if last == 0:
            if zero_base:
                findings.append(
                    Finding(
                        doc_id=view.doc_id, rule_id=rule.rule_id, severity=rule.severity, category=rule.category,
                        table_code="", subject_code="", expected=None, actual=rate.value, difference=None,
                        message=(
                            f"情况说明「{rate.sentence}」{rate.subject}{rate.direction}{rate.value}%：上年数为0，"
                            f"增减率无从计算 / {rate.subject}: a rate of {rate.value}% is stated against a"
                            f" last-year figure of 0 {base_zh}, which has no rate"
                        ),
                        page=rate.page,
                    )
                )
            continue
        if zero_base:
            continue
        expected = _round_like(abs(signed) / abs(last) * HUNDRED, rate.value)
        finding = _finding(
            view, rule, rate, rate.value, expected, "%",
            f"情况说明「{rate.sentence}」{rate.subject}{rate.direction}率", how_zh, how_en,
        )
        if finding:
            findings.append(finding)
    return findings


@scoped_rule(SCOPE, "NARR_GROWTH")
def growth_rate_recomputes(view: NarrativeView, rule: Rule) -> list[Finding]:
    return _growth(view, rule, zero_base=False)


@scoped_rule(SCOPE, "NARR_ZERO_BASE")
def rate_against_zero_base(view: NarrativeView, rule: Rule) -> list[Finding]:
    return _growth(view, rule, zero_base=True)


@scoped_rule(SCOPE, "NARR_COMPLETION")
def completion_rate_recomputes(view: NarrativeView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for group in view.groups():
        rate = _first(group, "completion_rate", ("年初预算数", "全年预算数", "预算数"))
        final = _first(group, "amount", ("决算数", ""))
        if rate is None or final is None:
            continue
        aspects = (rate.aspect,) if rate.aspect != "预算数" else ("年初预算数", "全年预算数", "预算数")
        budget = _first(group, "amount", aspects)
        if budget is None:
            continue
        if budget.value == 0:
            continue  # nothing to recompute; a stated rate against 0 is NARR_ZERO_BASE's concern for growth only
        expected = _round_like(final.value / budget.value * HUNDRED, rate.value)
        finding = _finding(
            view, rule, rate, rate.value, expected, "%",
            f"情况说明「{rate.sentence}」{rate.subject}完成预算",
            f"{final.value}÷{budget.value}", f"{final.value} / {budget.value} ({budget.aspect})",
        )
        if finding:
            findings.append(finding)
    return findings


def check_narrative(
    doc_id: str, figures: Sequence[NarrativeFigure], line_items: Sequence[LineItem], doc_kind: str = "final_account"
) -> list[Finding]:
    """All findings of the narrative rules that apply to `doc_kind`, in registry order."""
    from checks.registry import SCOPED_FUNCTIONS

    view = NarrativeView(doc_id, figures, DocumentView(doc_id, line_items, doc_kind))
    findings: list[Finding] = []
    for rule_id, rule_row in load_rules().items():
        function = SCOPED_FUNCTIONS.get(SCOPE, {}).get(rule_id)
        if function is not None and rule_row.applies_to(doc_kind):
            findings += function(view, rule_row)
    return findings
