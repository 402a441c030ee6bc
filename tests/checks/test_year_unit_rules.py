"""Years and units (issue 9 §7): TEXT_YEAR_MISMATCH, TEXT_DATE_MISMATCH, TABLE_UNIT_SCALE.

A heading, a title or an as-of date naming another year than the booklet's is found once, with its page;
prose comparisons with the year before never are. A table whose total is ~10,000× its siblings' is
named. Stands for every booklet whose headings pdfium extracts as lines (Jiangsu, Shanghai, Jiangxi
templates) and every document whose 01–05 totals are read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from support import REALDOCS, ROOT, realdoc

from checks.unit_rules import unit_scale
from checks.view import DocumentView
from checks.year_rules import as_of_dates, heading_years
from core.records import Finding, LineItem
from extract.headings import year_mentions
from schemas.rules import load_rules

FINAL_2024 = [
    "某局\n2024年度部门决算\n",
    "目录\n第二部分 某局2024年度部门决算表\n第三部分 某局2024年度部门决算情况说明\n",
    "第二部分 某局2024年度部门决算表\n收入支出决算总表\n单位：万元\n",
    "第三部分 2024年度部门决算情况说明\n本部门2024年度收入总计2083.68万元，与2023年度相比增加1.00万元，比上年增长0.05%。\n"
    "2023年决算数为2082.68万元。根据《财政部关于……》（财库〔2013〕189号）和2017-2019年规划。\n",
]


def _pdf_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n") for page in pdf]
    finally:
        pdf.close()


def _years(texts: list[str], year: int | None = 2024, kind: str = "final_account") -> list[Finding]:
    rules = load_rules()
    mentions = year_mentions(texts)
    return (heading_years("doc", rules["TEXT_YEAR_MISMATCH"], year, kind, mentions)
            + as_of_dates("doc", rules["TEXT_DATE_MISMATCH"], year, kind, mentions))


# -- TEXT_YEAR_MISMATCH ------------------------------------------------------------------------------

def test_headings_of_the_documents_year_pass() -> None:
    assert _years(FINAL_2024) == []


def test_a_table_titled_with_the_previous_year_is_found() -> None:
    texts = [*FINAL_2024, "2023年度部门收入决算表\n单位：万元\n"]
    (finding,) = _years(texts)
    assert (finding.rule_id, finding.page, finding.expected, finding.actual) == ("TEXT_YEAR_MISMATCH", 5, 2024, 2023)


def test_a_part_heading_with_the_previous_year_is_found() -> None:
    texts = [*FINAL_2024[:3], FINAL_2024[3].replace("第三部分 2024年度", "第三部分 2023年度")]
    (finding,) = _years(texts)
    assert finding.page == 4 and "第三部分2023年度部门决算情况说明" in finding.message


def test_finding_shape() -> None:
    (f,) = _years([*FINAL_2024, "2023年度部门收入决算表\n"])
    assert (f.doc_id, f.severity, f.category, f.table_code, f.subject_code) == ("doc", "warning", "text", "", "")
    assert (f.expected, f.actual, f.difference) == (Decimal(2024), Decimal(2023), Decimal(-1))
    assert "2023年度部门收入决算表" in f.message and "page 5" in f.message


@pytest.mark.parametrize(
    "prose",
    [
        "与2023年度相比，收入增加12.00万元。",
        "2023年决算数为100.00万元，比上年增长1%。",
        "管理事务。2023年当年预算执行数为2083.68万元，2024年预算安排1759.10万元。",
        "依据《关于……的通知》（财库〔2013〕189号）。",
        "根据2017-2019年财政规划，2018年至2020年逐年安排。",
    ],
)
def test_prose_about_other_years_is_never_read(prose: str) -> None:
    assert _years([*FINAL_2024, f"一、收入决算情况说明\n{prose}\n"]) == []


def test_budget_narrative_mentioning_last_year_passes() -> None:
    texts = ["上海市普陀区2025年区级部门预算\n", "2025年部门收入预算总表\n单位：元\n",
             "一、2025年“三公”经费预算情况说明\n2025年“三公”经费预算数为0.95万元，与2024年预算持平。\n"
             "比2024年预算执行数增加107.62万元。\n"]
    assert _years(texts, 2025, "budget") == []


def test_a_year_no_heading_confirms_is_not_compared() -> None:
    # the fiscal year came from a file name that disagrees with every heading: the year itself is in doubt
    assert _years(FINAL_2024, 2023) == []
    assert _years(FINAL_2024, None) == []


# -- TEXT_DATE_MISMATCH -------------------------------------------------------------------------------

ASSETS_2024 = "六、国有资产占用情况说明\n截止2024年12月31日，本部门共有车辆0辆，单价100万元以上设备0台（套）。\n"


def test_final_year_end_of_its_year_passes() -> None:
    assert _years([*FINAL_2024, ASSETS_2024]) == []


def test_final_year_end_of_another_year_is_found() -> None:
    (f,) = _years([*FINAL_2024, ASSETS_2024.replace("2024年12月", "2023年12月")])
    assert (f.rule_id, f.page, f.expected, f.actual, f.category) == ("TEXT_DATE_MISMATCH", 5, 2024, 2023, "text")
    assert "截止2023年12月31日" in f.message


def test_budget_dates_the_holdings_in_the_year_before() -> None:
    texts = ["上海市普陀区2025年区级部门预算\n", "2025年部门收入预算总表\n",
             "五、国有资产占有使用情况\n截至2024年8月31日，财政局共有车辆0辆。\n"]
    assert _years(texts, 2025, "budget") == []
    (f,) = _years([*texts[:2], texts[2].replace("2024年8月", "2023年8月")], 2025, "budget")
    assert (f.expected, f.actual) == (2024, 2023)


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2023年12月31日，项目已完成验收。",  # not about holdings
        "截至2025年6月30日，本部门共有车辆2辆。",  # a 决算 reads year ends only: a later event may be dated
        "截至2024年12月31日共有车辆3辆，比截至2023年12月31日减少1辆。",  # two dates compared
    ],
)
def test_dates_that_are_no_mismatch(sentence: str) -> None:
    assert _years([*FINAL_2024, f"六、国有资产占用情况说明\n{sentence}\n"]) == []


# -- the real booklets ------------------------------------------------------------------------------

REAL = sorted(REALDOCS.glob("*.pdf")) if REALDOCS.is_dir() else []
SAMPLES = sorted((ROOT / "samples" / "pdfs").glob("*.pdf")) + sorted((ROOT / "samples" / "producers" / "pdfs").glob("*.pdf"))


@pytest.mark.parametrize("path", REAL + SAMPLES, ids=[p.name for p in REAL + SAMPLES])
def test_real_booklets_and_samples_print_their_own_year(path: Path) -> None:
    """Every real booklet (Jiangsu 2017–2019 budgets, Shanghai 2023–2025 budgets, 2024 决算) and sample."""
    texts = _pdf_texts(path)
    named = re.search(r"20\d\d", path.name)
    # a producer fixture's name carries no year: its cover's year is the document's
    year = int(named.group(0)) if named else Counter(m.year for m in year_mentions(texts)).most_common(1)[0][0]
    kind = "budget" if "budget" in path.name else "final_account"
    assert _years(texts, year, kind) == []


def test_shanghai_2025_budget_a_wrong_year_written_in_is_found() -> None:
    """sh_budget_2025_普陀区财政局: a copied 2024 title and a stale asset date (the class: last year's booklet re-used)."""
    texts = _pdf_texts(realdoc("sh_budget_2025_普陀区财政局"))
    texts[8] = texts[8].replace("2025年部门财务收支预算总表", "2024年部门财务收支预算总表", 1)
    page = next(i for i, t in enumerate(texts) if "截至2024年8月31日" in t)
    texts[page] = texts[page].replace("截至2024年8月31日", "截至2023年8月31日")
    found = {(f.rule_id, f.page) for f in _years(texts, 2025, "budget")}
    assert found == {("TEXT_YEAR_MISMATCH", 9), ("TEXT_DATE_MISMATCH", page + 1)}


# -- TABLE_UNIT_SCALE ---------------------------------------------------------------------------------

def _total(table: str, measure: str, yuan: str, unit: str = "万元", row: int = 1) -> LineItem:
    value = Decimal(yuan) / (Decimal(10000) if unit == "万元" else 1)
    return LineItem(doc_id="doc", department="某局", fiscal_year=2024, table_code=table, row_index=row,
                    subject_system="", subject_code="", code_source="", subject_name="", line_label="合计",
                    measure=measure, measure_zh="", amount_yuan=Decimal(yuan), quantity=None,
                    value_original=value, unit_original=unit, page=int(table), row_role="total")


SOUND = [
    _total("01", "income_amount", "29953900"), _total("02", "total_income", "29462500"),
    _total("03", "total_expenditure", "29400500"), _total("04", "expenditure_general_budget", "29400500"),
    _total("05", "total_expenditure", "29400500"),
    _total("07", "total", "100"), _total("09", "total", "9500"),  # tiny fund and 三公 tables: never compared
]


def _yuan(item: LineItem) -> Decimal:
    assert item.amount_yuan is not None
    return item.amount_yuan


def _scale(items: list[LineItem]) -> list[Finding]:
    return unit_scale(DocumentView("doc", items), load_rules()["TABLE_UNIT_SCALE"])


def test_sound_totals_pass() -> None:
    assert _scale(SOUND) == []


def test_a_table_printed_in_yuan_labelled_wan_is_found() -> None:
    # 03 prints 29,400,500 (元) under 单位：万元: read as 294,005,000,000 yuan
    items = [i if i.table_code != "03" else replace(i, amount_yuan=_yuan(i) * 10000) for i in SOUND]
    (f,) = _scale(items)
    assert (f.rule_id, f.table_code, f.severity, f.category) == ("TABLE_UNIT_SCALE", "03", "warning", "cross-table")
    assert f.actual == Decimal("294005000000.00") and f.expected in {Decimal("29953900.00"), Decimal("29462500.00")}
    assert f.difference == f.actual - f.expected and f.page == 3  # type: ignore[operator]


def test_the_table_off_against_both_partners_is_named() -> None:
    items = [i if i.table_code != "01" else replace(i, amount_yuan=_yuan(i) / 10000, unit_original="元") for i in SOUND]
    (f,) = _scale(items)
    assert f.table_code == "01" and "1/" in f.message


def test_tiny_tables_and_small_ratios_are_no_unit_error() -> None:
    items = [*SOUND, _total("06", "amount", "1"), _total("08", "total", "2")]
    items = [i if i.table_code != "05" else replace(i, amount_yuan=Decimal("2940050")) for i in items]  # 10×, not 10,000×
    assert _scale(items) == []


def test_shanghai_budgets_in_yuan_and_final_in_wan_pass() -> None:
    """sh_budget_2025 (元) and sh_final_2024 (万元): real totals agree within a few percent."""
    from normalize.documents import process_document

    for prefix in ("sh_budget_2025_普陀区财政局", "sh_final_2024_"):
        path = realdoc(prefix)
        result = process_document(path, path.name)
        assert _scale(result.line_items) == []
