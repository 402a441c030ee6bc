"""Text hygiene (TEXT_PLACEHOLDER, TEXT_DOUBLED_PUNCTUATION, TEXT_DOUBLED_WORD, TEXT_PERCENT_PRECISION,
TEXT_PERCENT_UNIT): the
consistent samples and the real Shanghai 2024 决算 raise nothing; one slip written into a page's prose is
found once, with its page; table rows and 目录 leaders are never read as slips.

Stands for every booklet whose prose pdfium extracts as lines (wrapped sentences, letter-spaced text).
"""

from __future__ import annotations

import pytest
from support import ROOT, realdoc

from checks.text_rules import check_text
from core.records import Finding
from extract.document import extract_document
from extract.hygiene import text_issues

SAMPLES = sorted((ROOT / "samples" / "pdfs").glob("*.pdf"))
PROSE = "一、收入支出决算总体情况说明\n2024年度收入总计2995.39万元，支出总计2995.39万元，与上年相比增加\n12.34万元，增长0.41%。主要原因是人员经费增加。\n"


def _findings(text: str) -> list[Finding]:
    return check_text("doc", text_issues(["封面", text]))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_consistent_samples_pass(path: object) -> None:
    assert text_issues(extract_document(path).page_texts) == []  # type: ignore[arg-type]


def test_shanghai_2024_final_passes() -> None:
    assert text_issues(extract_document(realdoc("sh_final_2024_")).page_texts) == []


def test_clean_prose_passes() -> None:
    assert _findings(PROSE) == []


@pytest.mark.parametrize(
    ("slip", "rule_id", "printed"),
    [
        ("上海市XX局2024年度", "TEXT_PLACEHOLDER", "XX"),
        ("本单位××项目", "TEXT_PLACEHOLDER", "××"),
        ("（待填写）", "TEXT_PLACEHOLDER", "待填写"),
        ("具体情况（略）", "TEXT_PLACEHOLDER", "（略）"),
        ("增加。。", "TEXT_DOUBLED_PUNCTUATION", "。。"),
        ("增加，，", "TEXT_DOUBLED_PUNCTUATION", "，，"),
        ("增加，。", "TEXT_DOUBLED_PUNCTUATION", "，。"),
        ("部门决算决算情况", "TEXT_DOUBLED_WORD", "决算决算"),
        ("增长12.345%", "TEXT_PERCENT_PRECISION", "12.345%"),
        ("占支出合计的比重为76.23。", "TEXT_PERCENT_UNIT", "比重为76.23"),  # peer V33-DISCLOSURE-PERCENT-UNIT
        ("基本支出占比76.23，", "TEXT_PERCENT_UNIT", "占比76.23"),
    ],
)
def test_slip_is_found_with_its_page(slip: str, rule_id: str, printed: str) -> None:
    findings = _findings(PROSE.replace("主要原因是", f"{slip}主要原因是"))
    assert [(f.rule_id, f.severity, f.category, f.page) for f in findings] == [(rule_id, "warning", "text", 2)]
    assert f"“{printed}”" in findings[0].message


def test_doubled_punctuation_across_a_line_break_is_found() -> None:
    """js 2018 省人大办公厅 p25 prints `减少了该项支出。 。` at a line's end: letter-spaced, still a slip."""
    findings = _findings("减少了该项支出。 。\n2．行政事业单位离退休（类）支出，主要用于\n")
    assert [f.rule_id for f in findings] == ["TEXT_DOUBLED_PUNCTUATION"]


def test_doubled_word_across_a_wrapped_line_is_found() -> None:
    assert [f.rule_id for f in _findings("现将本部门2024年度部门决算\n决算情况说明如下，主要原因是\n")] == ["TEXT_DOUBLED_WORD"]
    assert [f.rule_id for f in _findings("支付9名人员人员人员经费。\n")] == ["TEXT_DOUBLED_WORD"]  # a real triple


@pytest.mark.parametrize(
    "text",
    [
        "项目 合计 合计 基本支出 项目支出\n科目编码 科目编码 类 款\n",  # table header rows (Shanghai 06, 2024 template)
        "时效指标 春节前夕 春节前夕 5 5\n平稳有序 平稳有序\n",  # 绩效 table: target and actual columns
        "一、收入支出决算总表……………………3\n二、收入决算表···········4\n三、支出决算表。。。。。5\n",  # 目录 leaders
        "增长8.8%，占比45.67%，占100%。\n",  # one, two and no decimals mixed: a dropped trailing zero, no slip
        "财库〔2013〕189号，XXI世纪，Xbox。\n",
        # 在职人员 + 人员经费 (js 2018 政协 budget p.4): two terms meeting, no doubled word
        "主要用于遗址博物馆管理建设办公室9名在职人员人员经费。\n",
        # a share with its % (wrapped onto the next line), an amount, a count or an area after 占比 / 比重
        "基本支出占本年支出的比重为76.23\n%，项目支出占比23.77%。\n",
        "占比5万元，比重1:3，占地面积占比30，困难职工人数占比30，占用房屋比重为2。\n",
    ],
)
def test_false_alarm_guards(text: str) -> None:
    assert _findings(text) == []


def test_finding_shape() -> None:
    findings = _findings(PROSE.replace("主要原因是", "XX局决算决算。。增长1.234%主要原因是"))
    assert [f.rule_id for f in findings] == [
        "TEXT_PLACEHOLDER", "TEXT_DOUBLED_PUNCTUATION", "TEXT_DOUBLED_WORD", "TEXT_PERCENT_PRECISION"
    ]
    for f in findings:
        assert f.doc_id == "doc" and f.table_code == "" and f.subject_code == "" and f.page == 2
        assert f.expected is None and f.actual is None and f.difference is None
        assert " / page 2: " in f.message
