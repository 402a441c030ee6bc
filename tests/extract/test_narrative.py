"""Figures of 第三部分 情况说明: the seed sample's quotes, and the real Shanghai 决算 (pages 21–24)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from support import ROOT, realdoc

from core.records import NarrativeFigure
from extract.document import extract_document
from extract.narrative import narrative_figures

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


def figures_of(path: Path) -> list[NarrativeFigure]:
    return narrative_figures("doc", extract_document(path).page_texts)


@pytest.fixture(scope="module")
def seed() -> list[NarrativeFigure]:
    return figures_of(SEED)


@pytest.fixture(scope="module")
def shanghai() -> list[NarrativeFigure]:
    return figures_of(realdoc("sh_final_2024_"))


def keyed(figures: list[NarrativeFigure]) -> set[tuple[str, str, str, Decimal, str]]:
    return {(f.subject, f.aspect, f.kind, f.value, f.direction) for f in figures}


def test_seed_quotes_every_summary_figure(seed: list[NarrativeFigure]) -> None:
    got = keyed(seed)
    expected = {
        ("收入总计", "", "amount", Decimal("12653.82"), ""),
        ("本年收入合计", "", "amount", Decimal("12653.82"), ""),
        ("本年收入合计", "", "growth_amount", Decimal("4859.38"), "增加"),
        ("本年收入合计", "", "growth_rate", Decimal("62.34"), "增长"),
        ("年初结转和结余", "", "growth_rate", Decimal("100.00"), "下降"),
        ("财政拨款收入", "", "share", Decimal("100.00"), ""),
        ("基本支出", "", "amount", Decimal("1731.72"), ""),
        ("基本支出", "", "share", Decimal("13.69"), ""),
        ("项目支出", "", "share", Decimal("86.31"), ""),
        ("财政拨款本年支出", "年初预算数", "amount", Decimal("6795.12"), ""),
        ("财政拨款本年支出", "年初预算数", "completion_rate", Decimal("186.22"), ""),
        ("一般公共服务支出（类）", "决算数", "amount", Decimal("11391.99"), ""),
        ("一般公共服务支出（类）", "年初预算数", "completion_rate", Decimal("205.88"), ""),
        ("对个人和家庭补助支出", "", "growth_rate", Decimal("4.39"), "下降"),
        ("结余分配", "", "growth_amount", Decimal("0"), "持平"),
    }
    assert expected <= got, expected - got


def test_seed_figures_carry_page_sentence_and_cell(seed: list[NarrativeFigure]) -> None:
    basic = next(f for f in seed if f.subject == "基本支出" and f.kind == "amount")
    assert (basic.table_code, basic.measure, basic.line_label) == ("03", "basic_expenditure", "合计")
    assert basic.sentence == "本年支出的具体构成：基本支出1731.72万元" or "基本支出1731.72万元" in basic.sentence
    assert basic.page == 16 and basic.unit == "万元"
    share = next(f for f in seed if f.subject == "基本支出" and f.kind == "share")
    assert (share.base_subject, share.group) == ("本年支出合计", basic.group)
    assert [f.position for f in seed] == list(range(1, len(seed) + 1))


def test_shanghai_2024_p21_narrative_figures_in_their_sentences(shanghai: list[NarrativeFigure]) -> None:
    got = keyed(shanghai)
    assert {
        ("收入支出总计", "", "amount", Decimal("2995.39"), ""),
        ("收入支出总计", "", "growth_amount", Decimal("56.95"), "减少"),
        ("收入支出总计", "", "growth_rate", Decimal("1.87"), "下降"),
        ("本年收入合计", "", "amount", Decimal("2946.25"), ""),
        ("财政拨款收入", "", "share", Decimal("99.79"), ""),
        ("其他收入", "", "amount", Decimal("6.2"), ""),
        ("财政拨款收入支出总计", "", "amount", Decimal("0.3"), ""),
        ("一般公共服务支出（类）", "", "share", Decimal("71.73"), ""),
        ("一般公共预算财政拨款支出", "年初预算数", "completion_rate", Decimal("98.20"), ""),
        ("人员经费", "", "amount", Decimal("2152.26"), ""),
        ("机关运行经费支出", "", "growth_rate", Decimal("1.40"), "增长"),
    } <= got
    share = next(f for f in shanghai if f.kind == "share" and f.value == Decimal("99.79"))
    assert (share.page, share.base_value) == (21, Decimal("2946.25"))
    item = next(f for f in shanghai if f.value == Decimal("1511.89"))
    assert (item.page, item.aspect, item.table_code, item.line_label) == (
        22, "决算数", "05", "一般公共服务支出/财政事务/行政运行"
    )


def test_no_narrative_no_figures() -> None:
    assert narrative_figures("doc", ["公开01表 收入支出决算总表\n总计 1.00"]) == []


def test_jiangsu_2019_p13_heading_split_by_a_page_break_binds_to_its_item() -> None:
    """人大 2019 预算 p.13–14: "1.…未归口管理的行政单位离退" | footer "─ 12 ─" | "休支出（项）271.45万元".

    Stands for every booklet whose page number is printed with dashes or box-drawing rules: the
    footer line is dropped when pages are joined, so a 类/款/项 heading read across the page break
    names its own item (before: the footer was glued inside the heading).
    """
    pages = [
        "第三部分 情况说明\n（二）社会保障和就业（类）。\n1.行政事业单位离退休（款）未归口管理的行政单位离退",
        "─ 12 ─\n休支出（项）271.45万元，与上年相比增加14.69万元，增加5.72%。\n",
    ]
    amount, change, rate = narrative_figures("doc", pages)
    assert amount.subject == "行政事业单位离退休（款）未归口管理的行政单位离退休支出（项）"
    assert (amount.page, amount.value) == (2, Decimal("271.45"))
    assert change.group == rate.group == amount.group  # "与上年相比" names no subject of its own


def test_shanghai_style_item_split_by_a_page_break() -> None:
    """A 项 heading wrapped over a page break ("- 22 -" footer) binds the next page's figures to its own row."""
    pages = [
        "第三部分 情况说明\n五、一般公共预算财政拨款支出决算情况说明\n"
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为10.00万元，支出决算为9.00万元。\n"
        "2、一般公共服务支出（类）财政事务（款）一般行政管理",
        "- 22 -\n事务（项）。主要用于：业务指导。年初预算为5.00万元，支出决算为5.00万元。\n",
    ]
    figures = narrative_figures("doc", pages)
    second = [f for f in figures if f.page == 2]
    assert {f.line_label for f in second if f.table_code} == {"一般公共服务支出/财政事务/一般行政管理事务"}
    assert {f.group for f in second} != {figures[0].group}


def test_thousands_separator_and_sign() -> None:
    """Jiangsu 政协 2017: "行政运行（项）支出3,233.03万元" is one figure (the comma ended the clause before)."""
    pages = ["第三部分 情况说明\n1.政协事务（款）行政运行（项）支出3,233.03万元，比上年增加-108.56万元，团组2-3个。"]
    amount, change, count = narrative_figures("doc", pages)
    assert (amount.value, change.value, change.direction, count.value) == (
        Decimal("3233.03"), Decimal("-108.56"), "增加", Decimal("3")
    )


def test_comparison_word_goes_to_the_items_final_amount(shanghai: list[NarrativeFigure]) -> None:
    """Shanghai 2024 p.22: "决算数小于预算数" / "决算数与预算数基本持平" after each 项's two amounts."""
    final = {f.line_label: f.direction for f in shanghai if f.aspect == "决算数" and f.table_code == "05"}
    assert final["一般公共服务支出/财政事务/行政运行"] == "小于预算数"
    assert final["一般公共服务支出/财政事务/一般行政管理事务"] == "与预算数基本持平"
