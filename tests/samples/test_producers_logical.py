"""samples/producers/logical.py: what a producer prints vs what the ground truth records."""

from __future__ import annotations

from decimal import Decimal

from samples.booklet_data import load_sample
from samples.layout import build_sheets
from samples.producers.logical import Options, build_booklet

JIANGXI = "jiangxi_trade_unions_2024"


def _row(code: str, table: str = "02", **opts: object):
    booklet = build_booklet(JIANGXI, Options(**opts))  # type: ignore[arg-type]
    sheet = next(s for s in booklet.sheets if s.code == table)
    return sheet, next(r for r in sheet.body if any(c.truth and c.truth.subject_code == code for c in r))


def test_merged_code_is_one_cell_over_lei_kuan_xiang() -> None:
    sheet, row = _row("2080501", code_style="merged")
    code = min(row, key=lambda c: c.col)
    assert (code.text, code.colspan) == ("2080501", 3)
    assert [c.role for c in sheet.columns[:3]] == ["code_lei", "code_kuan", "code_xiang"]


def test_yuan_is_exact_and_truth_follows_the_print() -> None:
    _, row = _row("2012901", unit="元", thousands=True)
    cell = next(c for c in row if c.truth and c.truth.measure == "total_income")
    assert cell.truth is not None
    assert (cell.text, cell.truth.value, cell.truth.unit) == ("8,481,000.00", "8481000.00", "元")
    original = build_sheets(load_sample(JIANGXI))[1]
    assert any(c.truth and c.truth.value == "848.10" for r in original.body for c in r)
    assert Decimal(cell.truth.value) == Decimal("848.10") * 10000


def test_kangxi_changes_the_print_not_the_truth() -> None:
    sheet, row = _row("2012901", kangxi=True)
    label = next(c for c in row if sheet.columns[c.col].role == "label")
    assert label.text == "\u2f8f政运\u2f8f"  # ⾏政运⾏
    assert {c.truth.line_label for c in row if c.truth} == {"行政运行"}
    assert sheet.title == "收\u2f0a决算表" and sheet.caption[0] == "部\u2ed4：江西省总\u2f2f会"  # 收⼊, 部⻔, ⼯


def test_nothing_mark_only_in_labelled_rows() -> None:
    booklet = build_booklet(JIANGXI, Options(nothing="-"))
    summary = booklet.sheets[0]
    texts = [[c.text for c in sorted(r, key=lambda c: c.col)] for r in summary.body]
    assert texts[1][2] == "-"  # 二、政府性基金预算财政拨款收入: blank → "-"
    assert all(t == "" for t in texts[29] if not t.isdigit())  # the empty row stays empty
