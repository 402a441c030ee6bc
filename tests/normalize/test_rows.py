"""Rows that say what they are: summing one role never double counts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from support import ROOT, realdoc

from normalize.documents import process_document

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


def _by(items: list, role: str) -> dict[tuple[str, str], Decimal]:
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for i in items:
        if i.row_role == role and i.amount_yuan is not None:
            sums[(i.table_code, i.measure)] += i.amount_yuan
    return dict(sums)


def test_seed_total_rows_are_the_printed_totals_and_classes_add_up() -> None:
    """The seed's 02/03/05: Σ class rows = the 合计 row (a naive SUM would count it four times)."""
    items = process_document(SEED, SEED.name).line_items
    totals, classes = _by(items, "total"), _by(items, "class")
    for code, measure in (("02", "total_income"), ("03", "total_expenditure"), ("05", "total_expenditure")):
        assert totals[(code, measure)] == classes[(code, measure)] > 0
    assert {i.phase for i in items} == {"final_account"}
    roles = {(i.table_code, i.line_label): i.row_role for i in items}
    assert roles[("01", "本年收入合计")] == "subtotal" and roles[("01", "总计")] == "total"
    assert roles[("06", "人员经费合计")] == "subtotal"


def test_seed_sangong_lines_have_stable_keys() -> None:
    items = process_document(SEED, SEED.name).line_items
    keys = {i.line_key for i in items if i.table_code == "04" and not i.subject_code}
    assert "一般公共预算财政拨款" in keys and "总计" in keys
    coded = [i for i in items if i.subject_code]
    assert all(i.line_key == i.subject_code for i in coded)


@pytest.mark.realdocs
def test_shanghai_final_2024_totals_match_printed_total_rows() -> None:
    items = process_document(realdoc("sh_final_2024_"), "x.pdf").line_items
    totals = _by(items, "total")
    assert totals[("03", "total_expenditure")] == Decimal("29400500.00")  # 2940.05 万元 printed on p.10
    assert {i.row_role for i in items} <= {"total", "subtotal", "class", "kuan", "xiang", "item", "memo"}


@pytest.mark.realdocs
def test_budget_and_final_rows_never_share_a_phase() -> None:
    budget = process_document(realdoc("sh_budget_2024_"), "b.pdf").line_items
    final = process_document(realdoc("sh_final_2024_"), "f.pdf").line_items
    assert {i.phase for i in budget} == {"budget"} and {i.phase for i in final} == {"final_account"}


def test_budget_funding_source_rows_are_not_subjects() -> None:
    """Jiangsu 预算 02 lists where the money comes from (一般公共预算资金, 其他资金) under each unit:
    those rows are `fund_source`, get no code and no flag, and raise no reference finding."""
    from checks.reference_rules import reference_findings

    path = realdoc("js_budget_2018_江苏省人民检察院")
    items = process_document(path, path.name).line_items
    sources = [i for i in items if i.table_code == "02" and i.line_key in ("一般公共预算资金", "其他资金")]
    assert sources and {(i.row_role, i.subject_code, i.subject_flag) for i in sources} == {("fund_source", "", "")}
    assert not [f for f in reference_findings("js", items) if f.rule_id == "REF_UNMATCHED_NAME" and f.table_code == "02"]
    # its coded rows are still subjects, resolved as before
    assert {i.row_role for i in items if i.table_code == "02" and i.subject_code} <= {"class", "kuan", "xiang"}
