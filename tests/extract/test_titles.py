"""Title matching: the line a table is found by."""

from __future__ import annotations

import pytest

from extract.titles import match_title
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
