"""The figures charted per department: one definition of 支出合计, 基本/项目, 三公 by item."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from core.records import DocumentRecord, LineItem
from datapackage.report_figures import department_charts, document_figures

ITEM = LineItem(
    doc_id="a", department="某局", fiscal_year=2024, table_code="03", row_index=0, subject_system="function",
    subject_code="", code_source="", subject_name="", line_label="合计", measure="total_expenditure",
    measure_zh="合计", amount_yuan=Decimal("1000"), quantity=None, value_original=Decimal("0.1"),
    unit_original="万元", page=12,
)
DOC = DocumentRecord(doc_id="a", source_file="a.pdf", source_url="", sha256="ab" * 32, department="某局",
                     fiscal_year=2024, doc_kind="final_account", pages=30, status="ok", error="", unit="万元")


def item(**kw: object) -> LineItem:
    return replace(ITEM, **kw)  # type: ignore[arg-type]


def test_total_is_the_03_total_row_not_the_sum_of_every_row() -> None:
    items = [
        item(),
        item(row_index=1, subject_code="201", line_label="一般公共服务支出", amount_yuan=Decimal("600")),
        item(row_index=2, subject_code="20101", line_label="人大事务", amount_yuan=Decimal("600")),
        item(row_index=0, measure="basic_expenditure", amount_yuan=Decimal("700")),
        item(row_index=0, measure="project_expenditure", amount_yuan=Decimal("300")),
        item(table_code="01", line_label="本年支出合计", measure="expenditure_amount", amount_yuan=Decimal("1000")),
    ]
    fig = document_figures(items, "final_account")
    assert fig.total == Decimal("1000") and fig.total_source.startswith("03")
    assert (fig.basic, fig.project, fig.split_source) == (Decimal("700"), Decimal("300"), "03 表合计行")


def test_total_falls_back_to_the_class_rows() -> None:
    items = [item(row_index=1, subject_code="201", line_label="一般公共服务支出", amount_yuan=Decimal("600")),
             item(row_index=2, subject_code="20101", line_label="人大事务", amount_yuan=Decimal("600")),
             item(row_index=3, subject_code="208", line_label="社会保障和就业支出", amount_yuan=Decimal("50"))]
    assert document_figures(items, "final_account").total == Decimal("650")


def test_sangong_items_across_layouts() -> None:
    """Row layout (决算, numbered), Jiangsu's path labels (预算) and Shanghai's 小计 / 购置费 / 运行费."""
    final = [
        item(table_code="09", row_index=0, line_label="一、“三公”经费支出", measure="final_amount", amount_yuan=Decimal("60")),
        item(table_code="09", row_index=1, line_label="1.因公出国（境）费", measure="final_amount", amount_yuan=Decimal("10")),
        item(table_code="09", row_index=2, line_label="2.公务用车购置及运行维护费", measure="final_amount",
             amount_yuan=Decimal("30")),
        item(table_code="09", row_index=3, line_label="（1）公务用车购置费", measure="final_amount", amount_yuan=Decimal("5")),
        item(table_code="09", row_index=4, line_label="3.公务接待费", measure="final_amount", amount_yuan=Decimal("20")),
        item(table_code="09", row_index=4, line_label="3.公务接待费", measure="initial_budget", amount_yuan=Decimal("99")),
    ]
    assert document_figures(final, "final_account").sangong == {
        "abroad": Decimal("10"), "vehicles": Decimal("30"), "reception": Decimal("20")}
    budget = [
        item(table_code="09", row_index=0, line_label="2023年“三公”经费预算数/公务用车购置及运行费/购置费",
             measure="budget", amount_yuan=Decimal("4")),
        item(table_code="09", row_index=0, line_label="2023年“三公”经费预算数/公务用车购置及运行费/运行费",
             measure="budget", amount_yuan=Decimal("6")),
        item(table_code="09", row_index=0, line_label="“三公”经费/因公出国（境）费", measure="budget",
             amount_yuan=Decimal("1")),
        item(table_code="09", row_index=0, line_label="会议费", measure="budget", amount_yuan=Decimal("100")),
    ]
    assert document_figures(budget, "budget").sangong == {"abroad": Decimal("1"), "vehicles": Decimal("10")}


def test_one_document_per_year_and_phase_the_largest() -> None:
    """A 部门预算 and its 单位预算 of one year: the department's (larger) total is drawn, once."""
    unit = (replace(DOC, doc_id="u", doc_kind="budget"),
            document_figures([item(amount_yuan=Decimal("100000"))], "budget"))
    dept = (replace(DOC, doc_id="d", doc_kind="budget"),
            document_figures([item(amount_yuan=Decimal("900000"))], "budget"))
    final = (DOC, document_figures([item(amount_yuan=Decimal("800000"))], "final_account"))
    charts = department_charts("dept-1", [unit, dept, final])
    assert [c.title_en for c in charts] == ["Total expenditure by year and phase", "Basic vs project expenditure",
                                            "三公 by item"]
    totals = charts[0].svg
    assert 'id="dept-1-totals"' in totals
    assert "90.00 万元" in totals and "80.00 万元" in totals and "10.00 万元" not in totals
    assert "无数据" in charts[2].svg  # no 09 table: the chart says so
    assert department_charts("dept-2", []) == []
