"""NARR_IMPOSSIBLE_CHANGE: a change the item's own amounts cannot hold (peer CMM-005's remainder).

Stands for: Shanghai 2023 万里街道 budget p.6 "政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元"
(the line before's change copied onto a zero amount: last year would be −1421.25万元), and its mirror
images, a decrease larger than the quoted last-year amount and a fall of more than 100%.
"""

from __future__ import annotations

from decimal import Decimal

from checks.narrative_rules import check_narrative
from core.records import Finding
from extract.narrative import narrative_figures

HEAD = "第三部分 2024年度部门决算情况说明\n一、收入支出决算总体情况说明\n"
RULE = "NARR_IMPOSSIBLE_CHANGE"


def findings(*lines: str) -> list[Finding]:
    figures = narrative_figures("d", [HEAD + "\n".join(lines)])
    return [f for f in check_narrative("d", figures, []) if f.rule_id == RULE]


def test_changes_the_amounts_can_hold() -> None:
    assert findings("本年收入合计100.00万元，比上年增加10.00万元，增长11.11%。") == []
    assert findings("政府性基金拨款支出0万元，比上年减少20.00万元，下降100.00%。") == []  # all of it gone
    assert findings("本年支出合计10.00万元，上年决算数30.00万元，比上年减少20.00万元。") == []


def test_increase_larger_than_the_amount_it_led_to() -> None:
    (finding,) = findings("政府性基金拨款支出0万元，比上年增加1421.25万元。")
    assert (finding.rule_id, finding.severity, finding.category, finding.page) == (RULE, "warning", "narrative", 1)
    assert (finding.actual, finding.expected, finding.difference) == (
        Decimal("1421.25"), Decimal("0"), Decimal("1421.25")
    )
    assert "-1421.25" in finding.message and "政府性基金拨款支出" in finding.message


def test_decrease_larger_than_the_quoted_last_year() -> None:
    (finding,) = findings("本年支出合计10.00万元，上年决算数8.00万元，比上年减少15.00万元。")
    assert (finding.actual, finding.expected, finding.difference) == (Decimal("15.00"), Decimal("8.00"), Decimal("7.00"))
    assert "-7.00" in finding.message


def test_fall_of_more_than_all_of_last_year() -> None:
    (finding,) = findings("本年支出合计10.00万元，比上年下降120.00%。")
    assert (finding.actual, finding.expected) == (Decimal("120.00"), Decimal(100))


def test_output_shape() -> None:
    (finding,) = findings("政府性基金拨款支出0万元，比上年增加5.00万元。")
    assert finding.doc_id == "d" and finding.table_code == "" and finding.subject_code == ""
    assert " / " in finding.message  # Chinese, then English


def test_guards() -> None:
    # within one unit of the last printed place (0.004 → 0.00, 0.005 → 0.01)
    assert findings("政府性基金拨款支出0.00万元，比上年增加0.01万元。") == []
    # the change is in another unit than the amount: not compared
    assert findings("政府性基金拨款支出1.00万元，比上年增加500.00元。") == []
    # a negative amount (a 结余 can be one): not judged; a negative change is NARR_DIRECTION_WORDING's
    assert findings("年末结转和结余-5.00万元，比上年增加10.00万元。") == []
    assert findings("本年收入合计0万元，比上年增加-10.00万元。") == []
    # a rise of more than 100% is possible; a template's two words are TEXT_CONTRADICTORY_WORDING's
    assert findings("本年支出合计10.00万元，比上年增长900.00%。") == []
    assert findings("本年支出合计0万元，比上年增加（减少）10.00万元。") == []
