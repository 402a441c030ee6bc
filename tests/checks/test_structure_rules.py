"""Completeness of the narrative (issue 9 §8): NARR_SECTION_MISSING.

A booklet printing a 情况说明 must report the 三公 expenses, and the 机关运行经费 when it names them; a
table-only file (Jiangsu's 公开表), a narrative left out (本说明从略) and a template without 机关运行经费
(Jiangxi's 决算) are not reported. Stands for the 决算 and 预算 narratives of every template (headings
`五、财政拨款“三公”经费支出决算情况说明`, `二、机关运行经费预算`, `十一、…机关运行经费支出预算情况说明`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from support import REALDOCS, ROOT

from checks.structure_rules import missing_sections
from core.records import Finding, LineItem
from extract.headings import narrative_outline
from schemas.rules import load_rules

CONTENTS = "目录\n第二部分 2024年度部门决算表\n九、财政拨款“三公”经费支出决算表\n第三部分 2024年度部门决算情况说明\n"
TABLES = "财政拨款“三公”经费支出决算表\n2.当此表数据为空时，即本部门（单位）无财政拨款“三公”经费支出。\n"
NARRATIVE = (
    "第三部分 2024年度部门决算情况说明\n一、收入决算情况说明\n本部门2024年度收入总计12653.82万元，比上年增加1.00万元。\n"
    "五、财政拨款“三公”经费支出决算情况说明\n本部门2024年度财政拨款“三公”经费支出决算数0.00万元。\n"
)
JIGUAN = "（一）机关运行经费支出情况\n机关运行经费支出184.65万元，比2023年度增加2.55万元。\n"
GLOSSARY = "第四部分 名词解释\n十一、机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算安排的基本支出中的日常公用经费支出。\n"


def _missing(texts: list[str], items: list[LineItem] | None = None) -> list[Finding]:
    return missing_sections("doc", load_rules()["NARR_SECTION_MISSING"], narrative_outline(texts), items or [])


def test_a_narrative_reporting_both_topics_passes() -> None:
    assert _missing(["封面", CONTENTS, TABLES, NARRATIVE + JIGUAN, GLOSSARY]) == []


def test_without_any_mention_of_jiguan_only_sangong_is_required() -> None:
    """jiangxi_trade_unions_2024: Jiangxi's 决算 template has no 机关运行经费 at all."""
    assert _missing(["封面", CONTENTS, TABLES, NARRATIVE]) == []


def test_jiguan_named_by_the_glossary_but_not_reported_is_found() -> None:
    (f,) = _missing(["封面", CONTENTS, TABLES, NARRATIVE, GLOSSARY])
    assert (f.rule_id, f.severity, f.category, f.page) == ("NARR_SECTION_MISSING", "warning", "narrative", 4)
    assert "机关运行经费" in f.message and (f.expected, f.actual, f.difference, f.table_code) == (None, None, None, "")


def test_sangong_missing_is_found_and_a_table_note_does_not_count() -> None:
    narrative = NARRATIVE.split("五、")[0]
    (f,) = _missing(["封面", CONTENTS, TABLES, narrative])
    assert "三公" in f.message and f.page == 4


def test_the_contents_line_and_the_glossary_are_no_report() -> None:
    contents = CONTENTS + "（一）机关运行经费支出情况\n"
    (f,) = _missing(["封面", contents, TABLES, NARRATIVE, GLOSSARY])
    assert "机关运行经费" in f.message


def test_a_disclosures_table_naming_jiguan_makes_it_required() -> None:
    item = LineItem(doc_id="t", department="某局", fiscal_year=2024, table_code="12", row_index=1,
                    subject_system="", subject_code="", code_source="", subject_name="", line_label="合计",
                    measure="amount", measure_zh="机关运行经费支出", amount_yuan=Decimal(1), quantity=None,
                    value_original=Decimal(1), unit_original="万元", page=1)
    (f,) = _missing(["封面", TABLES.replace("“三公”", ""), NARRATIVE], [item])
    assert "机关运行经费" in f.message


@pytest.mark.parametrize(
    "texts",
    [
        ["封面", CONTENTS, TABLES],  # a table file: its narrative is the disclosure's other file
        ["封面", CONTENTS, TABLES, "第三部分 2024年度部门决算情况说明\n本部门2024年度收入、支出及结转结余情况详见第二部分各表，本说明从略。\n"],
    ],
    ids=["table-file", "omitted"],
)
def test_files_without_a_narrative_are_not_checked(texts: list[str]) -> None:
    assert _missing(texts) == []


def _pdf_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n") for page in pdf]
    finally:
        pdf.close()


REAL = sorted(REALDOCS.glob("*.pdf")) if REALDOCS.is_dir() else []
SAMPLES = sorted((ROOT / "samples" / "pdfs").glob("*.pdf")) + sorted((ROOT / "samples" / "producers" / "pdfs").glob("*.pdf"))


@pytest.mark.parametrize("path", REAL + SAMPLES, ids=[p.name for p in REAL + SAMPLES])
def test_real_booklets_and_samples_report_their_sections(path: Path) -> None:
    """Jiangsu narrative files (文本/公开文件) and their table files, Shanghai budgets and 决算, the samples."""
    assert _missing(_pdf_texts(path)) == []


def test_jiangsu_narrative_file_without_its_sangong_section_is_found() -> None:
    """js_budget_2018_江苏省政协办公厅_部门预算文本: the 三公 section removed (the class: a section dropped in editing)."""
    path = sorted(REALDOCS.glob("js_budget_2018_江苏省政协办公厅_部门预算文本*.pdf")) if REALDOCS.is_dir() else []
    if not path:
        pytest.skip("../shared/realdocs absent")
    texts = _pdf_texts(path[0])
    outline = narrative_outline(texts)
    assert outline.has_narrative and set(outline.covered) == {"jiguan", "sangong"}
    # section 九 (一般公共预算“三公”经费、会议费、培训费支出预算) runs up to section 十
    pages = "\n=====\n".join(texts[(outline.first_page or 1) - 1:])
    cut_narrative = re.sub(r"九、一般公共预算“三公”.*?(?=十、)", "", pages, count=1, flags=re.S).split("\n=====\n")
    glossary_free = [re.sub(r"“三公”经费：指.*", "", t) for t in cut_narrative]
    (f,) = _missing(texts[:(outline.first_page or 1) - 1] + glossary_free)
    assert "三公" in f.message
