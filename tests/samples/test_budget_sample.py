"""The synthetic 部门预算 sample (samples/data/synthetic_budget_water_2025.toml, kind = "budget").

It is committed to samples/budget/pdfs/ (not samples/pdfs/: the bundled documents every run,
flow test and 决算 rule test reads are 决算 booklets). Here: the committed PDF and truth are
current, its figures obey the budget identities (recomputed with Decimal from the ground truth,
nothing hard-coded), the extractor reads every printed number exactly (recall and precision
1.0), and the pipeline's rules report no error or warning on it.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from support import accuracy

from checks.cross_document import check_across_documents
from flows.content import document_findings
from normalize.documents import DocumentResult, process_document
from samples.booklet_data import load_sample, sample_names
from samples.generator import DEFAULT_DIRS, render_sample

NAME = "synthetic_budget_water_2025"
PDF_DIR, TRUTH_DIR = DEFAULT_DIRS["budget"]
PDF = PDF_DIR / f"{NAME}.pdf"
TRUTH = TRUTH_DIR / f"{NAME}.csv"
ZERO = Decimal(0)


def test_the_budget_sample_is_the_only_budget_and_lives_apart() -> None:
    assert sample_names("budget") == [NAME]
    assert sorted(p.name for p in PDF_DIR.glob("*.pdf")) == [PDF.name]
    assert not (DEFAULT_DIRS["final_account"][0] / PDF.name).exists()


def test_committed_pdf_and_truth_are_current(tmp_path: Path) -> None:
    """Re-render after a data edit: python -m samples.generator synthetic_budget_water_2025."""
    fresh = render_sample(NAME, tmp_path)
    assert fresh.read_bytes() == PDF.read_bytes()
    for suffix in (".csv", ".tables.csv"):
        committed = (TRUTH_DIR / f"{NAME}{suffix}").read_text(encoding="utf-8")
        assert (tmp_path / f"{NAME}{suffix}").read_text(encoding="utf-8") == committed, suffix


# ---------------------------------------------------------------- the figures add up
class Truth:
    def __init__(self) -> None:
        with TRUTH.open(encoding="utf-8") as f:
            self.rows = list(csv.DictReader(f))

    def get(self, table: str, key: str, measure: str) -> Decimal:
        """A printed value by code or label; a blank cell is 0."""
        for r in self.rows:
            if r["table_code"] == table and r["measure"] == measure and key in (r["subject_code"], r["line_label"]):
                return Decimal(r["value"])
        return ZERO

    def codes(self, table: str) -> list[str]:
        return list(dict.fromkeys(r["subject_code"] for r in self.rows if r["table_code"] == table and r["subject_code"]))

    def measures(self, table: str) -> list[str]:
        return list(dict.fromkeys(r["measure"] for r in self.rows if r["table_code"] == table))


@pytest.fixture(scope="module")
def cells() -> Truth:
    return Truth()


def test_every_table_is_printed_with_numbers_but_the_empty_08(cells: Truth) -> None:
    printed = {r["table_code"] for r in cells.rows}
    assert printed == {"01", "02", "03", "04", "05", "06", "07", "09"}
    assert set(load_sample(NAME).standard) == printed | {"08"}


def test_summary_tables_balance(cells: Truth) -> None:
    assert cells.get("01", "收入总计", "income_amount") == cells.get("01", "支出总计", "expenditure_amount")
    assert cells.get("04", "收入总计", "income_amount") == cells.get("04", "支出总计", "expenditure_total")
    income_lines = [r for r in cells.rows if r["table_code"] == "01" and r["measure"] == "income_amount"]
    top = [Decimal(r["value"]) for r in income_lines if re.match(r"^[一二三四]、", r["line_label"])]
    assert sum(top, ZERO) == cells.get("01", "收入总计", "income_amount")
    for table, measure in (("01", "expenditure_amount"), ("04", "expenditure_total")):
        lines = [Decimal(r["value"]) for r in cells.rows
                 if r["table_code"] == table and r["measure"] == measure and "、" in r["line_label"]]
        assert sum(lines, ZERO) == cells.get(table, "支出总计", measure), table
    # 01's class lines are 03's classes; 04's are 05 + 07 + 08
    for r in (r for r in cells.rows if r["table_code"] in ("01", "04") and "、" in r["line_label"]):
        if r["measure"] not in ("expenditure_amount", "expenditure_total"):
            continue
        name = r["line_label"].split("、", 1)[1]
        code = next(c for c in cells.codes("03") if len(c) == 3 and cells_name(cells, "03", c) == name)
        if r["table_code"] == "01":
            assert Decimal(r["value"]) == cells.get("03", code, "total_expenditure"), name
        else:
            detail = sum((cells.get(t, code, "total_expenditure") for t in ("05", "07", "08")), ZERO)
            assert Decimal(r["value"]) == detail, name


def cells_name(cells: Truth, table: str, code: str) -> str:
    return next(r["line_label"] for r in cells.rows if r["table_code"] == table and r["subject_code"] == code)


@pytest.mark.parametrize("table", ["02", "03", "05", "06", "07"])
def test_parents_equal_the_sum_of_their_children(cells: Truth, table: str) -> None:
    codes = cells.codes(table)
    for measure in cells.measures(table):
        classes = [c for c in codes if len(c) == 3]
        assert cells.get(table, "合计", measure) == sum((cells.get(table, c, measure) for c in classes), ZERO)
        for parent in (c for c in codes if len(c) in (3, 5) and not (table == "06" and len(c) == 5)):
            kids = [c for c in codes if c.startswith(parent) and len(c) == len(parent) + 2]
            assert kids, (table, parent)
            total = sum((cells.get(table, k, measure) for k in kids), ZERO)
            assert cells.get(table, parent, measure) == total, (table, parent, measure)


SPLITS = {
    "02": ("total_income", ("fiscal_appropriation_income", "business_income", "operating_income", "other_income")),
    "03": ("total_expenditure", ("basic_expenditure", "project_expenditure")),
    "05": ("total_expenditure", ("basic_expenditure", "project_expenditure")),
    "07": ("total_expenditure", ("basic_expenditure", "project_expenditure")),
    "06": ("amount", ("personnel_expenditure", "public_expenditure")),
    "04": ("expenditure_total", ("expenditure_general_budget", "expenditure_government_fund",
                                 "expenditure_state_capital")),
}


@pytest.mark.parametrize("table", sorted(SPLITS))
def test_every_row_total_equals_its_parts(cells: Truth, table: str) -> None:
    total, parts = SPLITS[table]
    keys = {r["subject_code"] or r["line_label"] for r in cells.rows if r["table_code"] == table}
    for key in keys:
        if cells.get(table, key, total) or any(cells.get(table, key, p) for p in parts):
            assert cells.get(table, key, total) == sum((cells.get(table, key, p) for p in parts), ZERO), key


def test_cross_table_ties(cells: Truth) -> None:
    assert cells.get("06", "合计", "amount") == cells.get("05", "合计", "basic_expenditure")
    for column, table in (("expenditure_general_budget", "05"), ("expenditure_government_fund", "07"),
                          ("expenditure_state_capital", "08")):
        assert cells.get("04", "支出总计", column) == cells.get(table, "合计", "total_expenditure"), table
    assert cells.get("02", "合计", "total_income") == cells.get("01", "收入总计", "income_amount")
    assert cells.get("03", "合计", "total_expenditure") == cells.get("01", "支出总计", "expenditure_amount")
    # 06 personnel = classes 301 + 303, public = the others
    classes = [c for c in cells.codes("06") if len(c) == 3]
    personnel = sum((cells.get("06", c, "amount") for c in classes if c in ("301", "303")), ZERO)
    assert cells.get("06", "合计", "personnel_expenditure") == personnel


def test_three_public_expenses_add_up_and_tie_to_06(cells: Truth) -> None:
    def line(label: str) -> Decimal:
        return cells.get("09", f"“三公”经费预算数/{label}", "budget")

    assert line("合计") == line("因公出国(境)费") + line("公务接待费") + line("公务用车购置及运行费/小计")
    assert line("公务用车购置及运行费/小计") == line("公务用车购置及运行费/购置费") + line("公务用车购置及运行费/运行费")
    assert {r["unit"] for r in cells.rows if r["table_code"] == "09"} == {"万元"}
    wan = Decimal(10000)
    assert line("公务接待费") * wan == cells.get("06", "30217", "amount")
    assert line("公务用车购置及运行费/运行费") * wan == cells.get("06", "30231", "amount")
    assert cells.get("09", "机关运行经费预算数", "budget") * wan == cells.get("06", "合计", "public_expenditure")


# ---------------------------------------------------------------- the pipeline on the committed PDF
@pytest.fixture(scope="module")
def result() -> DocumentResult:
    return process_document(PDF, PDF.name)


def test_identity(result: DocumentResult) -> None:
    doc = result.document
    assert doc.status == "ok", doc.error
    assert (doc.department, doc.fiscal_year, doc.doc_kind) == ("样例市水利局", 2025, "budget")
    assert doc.tables_absent == ""


def test_budget_sample_extracted_exactly(result: DocumentResult) -> None:
    acc = accuracy(TRUTH, result.line_items)
    assert acc.recall == 1.0 and acc.precision == 1.0, acc.report()


def test_no_error_or_warning_from_any_rule(result: DocumentResult) -> None:
    findings = document_findings(result, result.line_items) + check_across_documents([result])
    serious = [(f.rule_id, f.table_code, f.subject_code, f.page, f.message) for f in findings
               if f.severity in ("error", "warning")]
    assert serious == []
    # notes only: the 政府性基金 codes 21369 / 2136903 are not (yet) in the reference subjects
    assert {(f.rule_id, f.subject_code) for f in findings} <= {
        ("REF_UNKNOWN_CODE", "21369"), ("REF_UNKNOWN_CODE", "2136903"),
    }
