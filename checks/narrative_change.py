"""A change the narrative states that its own amounts cannot hold (peer CMM-005's remainder).

    NARR_IMPOSSIBLE_CHANGE  "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元" (万里 2023 p.6):
                            last year = this year − the increase < 0; "上年数10万元 … 减少15万元":
                            this year = last year − the decrease < 0; "下降120%": a fall beyond
                            all of last year

Amounts of a budget or a final account are not negative, so an increase larger than the amount it
led to, a decrease larger than the quoted last-year amount it started from, or a decrease rate above
100% cannot be right: a figure (the amount or the change) is misprinted or copied from another item.
The amount is the item's own amount (its document's year and kind, `own_amount`) printed before the
change in the same item, in the same unit, not negative; last year's is the item's quoted 上年数.
Tolerance: one unit of the last printed place of the two figures (rounded figures may differ by it).
Run by `checks.narrative_rules.check_narrative` (scope `narrative`).
"""

from __future__ import annotations

from decimal import Decimal

from checks.narrative_wording import DOWN, UP, FiguresView, senses
from checks.registry import scoped_rule
from checks.tolerance import last_place
from core.records import Finding, NarrativeFigure
from schemas.rules import Rule

SCOPE = "narrative"
HUNDRED = Decimal(100)


def _finding(
    view: FiguresView, rule: Rule, change: NarrativeFigure, message: str, actual: Decimal, expected: Decimal
) -> Finding:
    return Finding(
        doc_id=view.doc_id, rule_id=rule.rule_id, severity=rule.severity, category=rule.category,
        table_code="", subject_code="", expected=expected, actual=actual, difference=actual - expected,
        message=message, page=change.page,
    )


def _too_large(change: Decimal, limit: Decimal) -> bool:
    return change - limit > last_place([change, limit])


@scoped_rule(SCOPE, "NARR_IMPOSSIBLE_CHANGE")
def impossible_change(view: FiguresView, rule: Rule) -> list[Finding]:
    findings: list[Finding] = []
    for group in view.groups():
        for index, change in enumerate(group):
            words = senses(change.direction)
            if len(words) != 1 or change.value <= 0 or change.kind not in ("growth_amount", "growth_rate"):
                continue
            if change.kind == "growth_rate":
                if words[0] == DOWN and _too_large(change.value, HUNDRED):
                    findings.append(_finding(
                        view, rule, change,
                        f"情况说明「{change.sentence}」{change.subject}{change.direction}{change.value}%：降幅超过100%，"
                        f"本年数应为负数 / {change.subject}: a fall of {change.value}% is more than all of last year",
                        change.value, HUNDRED,
                    ))
                continue
            if change.unit == "":
                continue  # "与上年持平": no amount
            if words[0] == UP:
                amount = next(
                    (f for f in reversed(group[:index])
                     if view.own_amount(f) and f.unit == change.unit and f.value >= 0),
                    None,
                )
                if amount is not None and _too_large(change.value, amount.value):
                    findings.append(_finding(
                        view, rule, change,
                        f"情况说明「{amount.sentence}，{change.sentence}」：{change.subject}{amount.value}{amount.unit}，"
                        f"{change.direction}{change.value}{change.unit}大于本年数，上年数应为"
                        f"{amount.value - change.value}{change.unit}（负数） / {change.subject}: an increase of"
                        f" {change.value} {change.unit} to {amount.value} {amount.unit} implies a negative last year"
                        f" ({amount.value - change.value})",
                        change.value, amount.value,
                    ))
            elif words[0] == DOWN:
                last = next(
                    (f for f in group if f.kind == "amount" and f.aspect == "上年数" and f.unit == change.unit
                     and f.value >= 0),
                    None,
                )
                if last is not None and _too_large(change.value, last.value):
                    findings.append(_finding(
                        view, rule, change,
                        f"情况说明「{last.sentence}，{change.sentence}」：上年数{last.value}{last.unit}，"
                        f"{change.direction}{change.value}{change.unit}大于上年数，本年数应为"
                        f"{last.value - change.value}{change.unit}（负数） / {change.subject}: a decrease of"
                        f" {change.value} {change.unit} from last year's {last.value} implies a negative amount",
                        change.value, last.value,
                    ))
    return findings
