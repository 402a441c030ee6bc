"""Narrative wording against its own figures (issue 9 §4): the words a 情况说明 item uses for a
comparison or a change, read against the amounts the same item quotes.

    NARR_COMPARISON_WORDING   "决算数小于预算数" while the item's 决算数 is not below its 预算数
    NARR_DIRECTION_WORDING    "增加/减少/增长/下降/持平" against the stated change (its sign, the rate's
                              word, this year's amount against last year's when both are quoted)
    TEXT_CONTRADICTORY_WORDING a template's leftover: two opposite words for one change
                              ("比上年增加持平", "增加（减少）", "决算数大于（小于）预算数")

The words are read by extract/narrative.py into `NarrativeFigure.direction` (a comparison goes
to the item's 决算数 figure: "小于预算数", "与预算数基本持平"). Tolerance: one unit of the last
printed place of the two amounts; a contradiction within it (the printed figures are equal, the
word says 大于) is `info`. "基本持平" ("about the same") is not checked: it states no exact relation.
These rules are run by `checks.narrative_rules.check_narrative` (scope `narrative`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from checks.registry import scoped_rule
from checks.tolerance import last_place
from core.records import Finding, NarrativeFigure, Severity
from schemas.rules import Rule

SCOPE = "narrative"
UP, DOWN, FLAT = 1, -1, 0
#: direction and comparison words → the sign they state
SENSE = {
    "增加": UP, "增长": UP, "上升": UP, "大于": UP, "高于": UP, "超过": UP, "超出": UP,
    "减少": DOWN, "下降": DOWN, "降低": DOWN, "小于": DOWN, "低于": DOWN, "未达到": DOWN,
    "持平": FLAT, "等于": FLAT, "相等": FLAT, "一致": FLAT, "相同": FLAT,
}
_WORDS = re.compile("|".join(sorted(SENSE, key=len, reverse=True)))
_BUDGETS = ("年初预算数", "全年预算数", "预算数")
_SENSE_ZH = {UP: "大于", DOWN: "小于", FLAT: "等于"}


class FiguresView(Protocol):
    doc_id: str
    figures: Sequence[NarrativeFigure]

    def groups(self) -> list[list[NarrativeFigure]]: ...

    def own_amount(self, figure: NarrativeFigure) -> bool:
        """An amount of the document's own year and kind (决算数; a budget's 预算数)."""
        ...


def senses(direction: str) -> list[int]:
    """The signs the words of a direction state, in order: '增加（减少）' → [1, -1]; '基本持平' → []."""
    if "基本" in direction:
        return []
    return [SENSE[w] for w in _WORDS.findall(direction)]


def _finding(
    view: FiguresView, rule: Rule, figure: NarrativeFigure, severity: str, message: str,
    actual: Decimal | None = None, expected: Decimal | None = None,
) -> Finding:
    return Finding(
        doc_id=view.doc_id, rule_id=rule.rule_id, severity=severity, category=rule.category,
        table_code="", subject_code="", expected=expected, actual=actual,
        difference=None if actual is None or expected is None else actual - expected,
        message=message, page=figure.page,
    )


def _against(difference: Decimal, allowed: Decimal, sense: int, beyond: str) -> str | None:
    """The severity of stating `sense` for a printed `difference`, or None when the word holds."""
    if sense == FLAT:
        return None if abs(difference) <= allowed else beyond
    if difference * sense > 0:
        return None
    return Severity.INFO.value if abs(difference) <= allowed else beyond


@scoped_rule(SCOPE, "NARR_COMPARISON_WORDING")
def comparison_wording(view: FiguresView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for group in view.groups():
        for final in group:
            words = senses(final.direction) if final.kind == "amount" and final.aspect == "决算数" else []
            if len(words) != 1:
                continue  # no comparison, "基本持平", or a template's two words (TEXT_CONTRADICTORY_WORDING)
            named = next((b for b in _BUDGETS if b in final.direction), "预算数")
            aspects = (named,) if named != "预算数" else _BUDGETS
            budgets = [f for f in group if f.kind == "amount" and f.aspect in aspects and f.unit == final.unit]
            if not budgets:
                continue
            verdicts = [
                (_against(final.value - b.value, last_place([final.value, b.value]), words[0], rule.severity), b)
                for b in budgets
            ]
            if any(level is None for level, _ in verdicts):
                continue  # the word holds for one of the budgets the item quotes
            level, budget = verdicts[0]
            findings.append(_finding(
                view, rule, final, level or rule.severity,
                f"情况说明「{final.sentence}」称决算数{final.direction}，而所引{budget.aspect}{budget.value}{budget.unit}、"
                f"决算数{final.value}{final.unit}（决算数{_SENSE_ZH[_sign(final.value - budget.value)]}预算数） / "
                f"{final.subject}: the narrative says the final amount is {final.direction} ({words[0]:+d}) the budget,"
                f" but it quotes {budget.aspect} {budget.value} and 决算数 {final.value} {final.unit}",
                final.value, budget.value,
            ))
    return findings


def _sign(value: Decimal) -> int:
    return UP if value > 0 else DOWN if value < 0 else FLAT


@scoped_rule(SCOPE, "NARR_DIRECTION_WORDING")
def direction_wording(view: FiguresView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for group in view.groups():
        changes = [f for f in group if f.kind in ("growth_amount", "growth_rate") and len(senses(f.direction)) == 1]
        this_year = next((f for f in group if view.own_amount(f)), None)
        last_year = next((f for f in group if f.kind == "amount" and f.aspect == "上年数"), None)
        for change in changes:
            sense = senses(change.direction)[0]
            unit = "%" if change.kind == "growth_rate" else change.unit
            if sense == FLAT and change.unit == "":
                pass  # "与上年持平": checked against the amounts below
            elif change.value < 0:  # "增加-5.00万元": the word and the sign disagree
                findings.append(_finding(
                    view, rule, change, rule.severity,
                    f"情况说明「{change.sentence}」以“{change.direction}”表述负数{change.value}{unit} / "
                    f"{change.subject}: a negative change {change.value} {unit} is called {change.direction}",
                    change.value,
                ))
            elif change.value == 0 and sense != FLAT:  # "增加0.00万元": no change, or one below the printed place
                findings.append(_finding(
                    view, rule, change, Severity.INFO.value,
                    f"情况说明「{change.sentence}」变动额为0仍称“{change.direction}” / "
                    f"{change.subject}: a change of 0 {unit} is called {change.direction}",
                    change.value,
                ))
        stated = [c for c in changes if not (senses(c.direction)[0] == FLAT and c.unit == "")]
        moving = [c for c in stated if c.value > 0 and senses(c.direction)[0] != FLAT]
        if len({senses(c.direction)[0] for c in moving}) > 1:  # "增加5万元，下降3%"
            first, second = moving[0], next(c for c in moving if senses(c.direction)[0] != senses(moving[0].direction)[0])
            findings.append(_finding(
                view, rule, second, rule.severity,
                f"情况说明「{first.sentence}」与「{second.sentence}」增减方向相反（{first.direction}/{second.direction}） / "
                f"{second.subject}: the change is called {first.direction} and {second.direction}",
            ))
        flat = next((c for c in changes if senses(c.direction)[0] == FLAT and c.unit == ""), None)
        if flat is not None:
            nonzero = next((c for c in stated if c.value != 0), None)
            if nonzero is not None:  # "与上年持平" with "增加5万元" for the same item
                findings.append(_finding(
                    view, rule, flat, rule.severity,
                    f"情况说明「{flat.sentence}」称持平，而同一项目「{nonzero.sentence}」 / "
                    f"{flat.subject}: called unchanged, but the item states a change of {nonzero.value}",
                    nonzero.value, Decimal(0),
                ))
        if this_year is None or last_year is None or this_year.unit != last_year.unit:
            continue
        difference = this_year.value - last_year.value
        allowed = last_place([this_year.value, last_year.value])
        for change in changes:
            level = _against(difference, allowed, senses(change.direction)[0], rule.severity)
            if level is not None:
                findings.append(_finding(
                    view, rule, change, level,
                    f"情况说明「{change.sentence}」称“{change.direction}”，而本年{this_year.value}{this_year.unit}、"
                    f"上年{last_year.value}{last_year.unit} / {change.subject}: called {change.direction}, but this"
                    f" year's {this_year.value} against last year's {last_year.value} is a change of {difference}",
                    this_year.value, last_year.value,
                ))
    return findings


@scoped_rule(SCOPE, "TEXT_CONTRADICTORY_WORDING")
def contradictory_wording(view: FiguresView, rule: Rule) -> list[Finding]:
    return [
        _finding(
            view, rule, f, rule.severity,
            f"第{f.page}页情况说明「{f.sentence}」同一变动并列相反用语“{f.direction}”（模板残留） / page {f.page}:"
            f" opposite words “{f.direction}” for one change (a template's unchosen alternative)",
        )
        for f in view.figures
        if len(set(senses(f.direction))) > 1
    ]
