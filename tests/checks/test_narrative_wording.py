"""NARR_COMPARISON_WORDING, NARR_DIRECTION_WORDING, TEXT_CONTRADICTORY_WORDING on narrative wordings.

The narratives are short 情况说明 texts in the wording of the real booklets (Shanghai 2024 决算 p.22:
"年初预算为…万元，支出决算为…万元。决算数小于预算数的主要原因…"; Jiangsu 2018/2019 预算:
"与上年相比增加（减少）0万元"), read by extract.narrative like a booklet's pages.
"""

from __future__ import annotations

from decimal import Decimal

from checks.narrative_rules import check_narrative
from core.records import Finding
from extract.narrative import narrative_figures

HEAD = "第三部分 2024年度部门决算情况说明\n五、一般公共预算财政拨款支出决算情况说明\n"
ITEM = "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。"


def findings(*lines: str, rule: str = "") -> list[Finding]:
    figures = narrative_figures("d", [HEAD + "\n".join(lines)])
    return [f for f in check_narrative("d", figures, []) if not rule or f.rule_id == rule]


# NARR_COMPARISON_WORDING


def test_comparison_that_holds() -> None:
    assert findings(ITEM + "年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员变化。") == []


def test_comparison_contradicted_by_the_two_amounts() -> None:
    (finding,) = findings(ITEM + "年初预算为10.00万元，支出决算为12.00万元，决算数小于预算数。")
    assert (finding.rule_id, finding.severity, finding.category, finding.page) == (
        "NARR_COMPARISON_WORDING", "warning", "narrative", 1
    )
    assert (finding.actual, finding.expected, finding.difference) == (Decimal("12.00"), Decimal("10.00"), Decimal("2.00"))
    assert "小于预算数" in finding.message and "年初预算数10.00" in finding.message


def test_flat_holds_within_one_unit_of_the_last_place() -> None:
    assert findings(ITEM + "年初预算为10.00万元，支出决算为10.01万元。决算数与预算数持平。") == []
    (finding,) = findings(ITEM + "年初预算为10.00万元，支出决算为10.05万元。决算数与预算数持平。")
    assert (finding.rule_id, finding.severity, finding.difference) == ("NARR_COMPARISON_WORDING", "warning", Decimal("0.05"))


def test_greater_than_with_equal_printed_amounts_is_info() -> None:
    (finding,) = findings(ITEM + "年初预算为10.00万元，支出决算为10.00万元，决算数大于预算数。")
    assert (finding.rule_id, finding.severity) == ("NARR_COMPARISON_WORDING", "info")


def test_comparison_false_alarm_guards() -> None:
    # "基本持平" states no exact relation; a statement of another item binds to that item (三公, Shanghai p.23)
    assert findings(ITEM + "年初预算为10.00万元，支出决算为12.00万元。决算数与预算数基本持平。") == []
    assert findings(
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：公务接待费支出决算为0.00万元，"
        "完成预算的0%。2024年度“三公”经费支出决算数小于预算数的主要原因：当年度无“三公”经费支出。",
        rule="NARR_COMPARISON_WORDING",
    ) == []
    # an item that quotes no budget figure: nothing to compare
    assert findings(ITEM + "支出决算为12.00万元，决算数小于预算数。") == []


# NARR_DIRECTION_WORDING


def test_direction_that_holds() -> None:
    assert findings("本年收入合计100.00万元，比上年增加10.00万元，增长11.11%。") == []
    assert findings(ITEM + "决算数12.00万元，上年决算数10.00万元，比上年增加2.00万元。") == []


def test_negative_change_called_increase() -> None:
    (finding,) = findings("本年收入合计100.00万元，比上年增加-10.00万元。")
    assert (finding.rule_id, finding.severity, finding.actual, finding.expected) == (
        "NARR_DIRECTION_WORDING", "warning", Decimal("-10.00"), None
    )


def test_zero_change_called_increase_is_info() -> None:
    (finding,) = findings("本年收入合计100.00万元，比上年增加0.00万元。")
    assert (finding.rule_id, finding.severity) == ("NARR_DIRECTION_WORDING", "info")


def test_amount_and_rate_in_opposite_directions() -> None:
    (finding,) = findings("本年收入合计100.00万元，比上年增加10.00万元，下降9.09%。", rule="NARR_DIRECTION_WORDING")
    assert (finding.severity, finding.page) == ("warning", 1)
    assert "增加/下降" in finding.message


def test_direction_against_this_and_last_year() -> None:
    (finding,) = findings(ITEM + "决算数12.00万元，上年决算数10.00万元，比上年减少2.00万元。")
    assert (finding.rule_id, finding.actual, finding.expected, finding.difference) == (
        "NARR_DIRECTION_WORDING", Decimal("12.00"), Decimal("10.00"), Decimal("2.00")
    )
    (flat,) = findings(ITEM + "决算数12.00万元，上年决算数10.00万元，与上年持平。")
    assert (flat.rule_id, flat.severity) == ("NARR_DIRECTION_WORDING", "warning")


def test_direction_false_alarm_guards() -> None:
    # 持平 with equal amounts; a 持平 item next to another item's change; a range "2-3个" is no negative
    assert findings(ITEM + "决算数10.00万元，上年决算数10.00万元，与上年持平。") == []
    assert findings("结余分配0.00万元，与上年持平；年末结转和结余0.00万元，比上年减少30.71万元，下降100.00%。") == []
    assert findings("全年安排因公出国（境）团组2-3个，比上年增加1个。") == []


# TEXT_CONTRADICTORY_WORDING


def test_contradictory_wording() -> None:
    (finding,) = findings("结余分配0.00万元，比上年增加持平。")
    assert (finding.rule_id, finding.severity, finding.category, finding.page) == (
        "TEXT_CONTRADICTORY_WORDING", "warning", "text", 1
    )
    assert "增加持平" in finding.message and (finding.expected, finding.actual) == (None, None)
    # Jiangsu 人大 2019 p.9: the template's either-or left in, for the amount and for the rate
    got = findings("4.上年结转资金预算数为0万元。与上年相比增加（减少）0万元，增长（减少）0%。")
    assert [(f.rule_id, f.message.split("“")[1][:6]) for f in got] == [
        ("TEXT_CONTRADICTORY_WORDING", "增加（减少）"), ("TEXT_CONTRADICTORY_WORDING", "增长（减少）")
    ]


def test_contradictory_false_alarm_guard() -> None:
    assert findings("本年支出合计100.00万元，比上年增加10.00万元，增长11.11%；结余分配0.00万元，与上年持平。") == []
