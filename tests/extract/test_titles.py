"""Title matching: the line a table is found by."""

from __future__ import annotations

import pytest

from extract.titles import is_other_table_title, match_title, match_title_full
from schemas.table_specs import load_specs

SPECS = load_specs()


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("收入支出决算总表", "01"),
        ("公开 01 表 收入支出决算总表", "01"),
        ("收入决算表（公开02表）", "02"),
        ("2024 年度支出决算表", "03"),
        ("财政拨款收入支出决算总表", "04"),  # ends with 01's title too: the longest wins
        ("江西省总工会2024年度财政拨款收入支出决算总表", "04"),
        ("江西省总工会收入支出决算总表", "01"),
        ("财政拨款 三公 经费支出决算表", "09"),  # Shanghai: the quotes printed on another line
        ("财政拨款“三公”经费支出决算表", "09"),
        ("收入决算表（续）", "02"),
        ("⼀般公共预算财政拨款⽀出决算表", "05"),  # Kangxi-radical look-alikes
        ("附表1 收入支出决算总表", "01"),
        ("表3 支出决算表", "03"),
        ("收入决算表 公开表二", "02"),
        ("一般公共预算财政拨款“三公”经费支出决算表", "09"),  # the pre-2020 template's wording
    ],
)
def test_titles_found(line: str, code: str) -> None:
    spec = match_title(line, SPECS)
    assert spec is not None and spec.code == code


@pytest.mark.parametrize(
    "line",
    [
        "详见附表收入支出决算总表",
        "一、收入决算情况说明",
        "本部门2024年度收入总计12653.82万元",
        "收入支出决算总表说明",
        "2024年度收入支出决算总表说明",
    ],
)
def test_prose_is_not_a_title(line: str) -> None:
    assert match_title(line, SPECS) is None


BUDGET = load_specs("budget_tables")


@pytest.mark.parametrize(
    ("line", "code"),
    [
        # Jiangsu 2018 检察院: a label with a separator
        ("公开02表:收入预算总表", "02"),
        # Jiangsu 2017 法院: ordinal, year, department and scope before the title
        ("一、2017 年度江苏省高级人民法院部门收支预算总表", "01"),
        # Shanghai 2025 单位预算: the scope word 预算单位
        ("2025年预算单位财务收支预算总表", "01"),
        ("2025年单位“三公”经费和机关运行经费预算表", "09"),
        ("2025年部门“三公”经费和机关运行经费预算表", "09"),
        ("十一、2017 年江苏省高级人民法院部门一般公共预算“三公”经费、会议费、培训费支出预算表", "09"),
        ("七、政府性基金支出预算表", "07"),
        ("江苏省住房和城乡建设厅收入预算总表", "02"),  # 和 in a department name is not prose
    ],
)
def test_budget_titles_found(line: str, code: str) -> None:
    spec = match_title(line, BUDGET)
    assert spec is not None and spec.code == code


def test_qualifier_suffix_is_kept_and_matched() -> None:
    found = match_title_full("收入支出决算总表（一般公共预算）", SPECS)
    assert found is not None and found.spec.code == "01" and found.qualifier == "(一般公共预算)"


@pytest.mark.parametrize(
    "line",
    ["六、财政拨款基本支出预算表情况说明", "8．2025年部门一般公共预算基本支出部门预算经济分类预算表 ……………"],
)
def test_budget_prose_and_contents_lines_are_not_titles(line: str) -> None:
    assert match_title(line, BUDGET) is None


@pytest.mark.parametrize(
    ("line", "other"),
    [("2019年政府采购预算表", True), ("十二、政府采购支出预算表", True), ("第二部分2019年度部门预算表", False),
     ("项目支出绩效自评表", False), ("详见附表", False)],
)
def test_other_table_titles_end_the_table_above(line: str, other: bool) -> None:
    assert is_other_table_title(line) is other
