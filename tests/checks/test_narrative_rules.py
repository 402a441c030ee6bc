"""NARR_* rules: the seed sample agrees with itself; injected defects give the exact finding; Shanghai's real ones."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support import ROOT, realdoc

from checks.narrative_rules import check_narrative
from core.records import NarrativeFigure
from normalize.documents import DocumentResult, process_document

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


@pytest.fixture(scope="module")
def seed() -> DocumentResult:
    return process_document(SEED, SEED.name)


@pytest.fixture(scope="module")
def shanghai() -> DocumentResult:
    path = realdoc("sh_final_2024_")
    return process_document(path, path.name)


def _with(figures: list[NarrativeFigure], pick: dict[str, object], **changes: object) -> list[NarrativeFigure]:
    target = next(f for f in figures if all(getattr(f, k) == v for k, v in pick.items()))
    return [replace(f, **changes) if f is target else f for f in figures]  # type: ignore[arg-type]


def test_samples_narratives_agree_with_their_tables(seed: DocumentResult) -> None:
    assert seed.narrative_figures
    findings = check_narrative("d", seed.narrative_figures, seed.line_items)
    assert [f for f in findings if f.severity != "info"] == []
    for pdf in sorted((ROOT / "samples" / "pdfs").glob("synthetic_*.pdf")):
        result = process_document(pdf, pdf.name)
        assert result.narrative_figures
        bad = [f for f in check_narrative("d", result.narrative_figures, result.line_items) if f.severity != "info"]
        assert bad == [], (pdf.name, bad)


def test_table_mismatch(seed: DocumentResult) -> None:
    figures = _with(seed.narrative_figures, {"subject": "基本支出", "kind": "amount"}, value=Decimal("1731.82"))
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.severity, finding.category, finding.table_code) == (
        "NARR_TABLE_MISMATCH", "warning", "narrative", "03"
    )
    assert (finding.expected, finding.actual, finding.difference, finding.page) == (
        Decimal("1731.72"), Decimal("1731.82"), Decimal("0.10"), 16
    )


def test_class_amount_mismatch(seed: DocumentResult) -> None:
    figures = _with(
        seed.narrative_figures, {"subject": "卫生健康支出（类）", "aspect": "决算数"}, value=Decimal("82.21")
    )
    mismatch, completion = check_narrative("d", figures, seed.line_items)  # 82.21 / 82.12 ≠ 100.00% too
    assert (mismatch.rule_id, mismatch.table_code, mismatch.expected, mismatch.actual) == (
        "NARR_TABLE_MISMATCH", "04", Decimal("82.12"), Decimal("82.21")
    )
    assert (completion.rule_id, completion.expected, completion.actual) == (
        "NARR_COMPLETION", Decimal("100.11"), Decimal("100.00")
    )


def test_share(seed: DocumentResult) -> None:
    figures = _with(seed.narrative_figures, {"subject": "基本支出", "kind": "share"}, value=Decimal("13.96"))
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.severity, finding.expected, finding.actual, finding.difference) == (
        "NARR_SHARE", "warning", Decimal("13.69"), Decimal("13.96"), Decimal("0.27")
    )


def test_share_one_hundredth_off_is_info(seed: DocumentResult) -> None:
    figures = _with(seed.narrative_figures, {"subject": "项目支出", "kind": "share"}, value=Decimal("86.32"))
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.severity, finding.difference) == ("NARR_SHARE", "info", Decimal("0.01"))


def test_growth(seed: DocumentResult) -> None:
    figures = _with(
        seed.narrative_figures, {"subject": "本年收入合计", "kind": "growth_rate"}, value=Decimal("63.34")
    )
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.expected, finding.actual, finding.difference) == (
        "NARR_GROWTH", Decimal("62.34"), Decimal("63.34"), Decimal("1.00")
    )


def test_zero_base(seed: DocumentResult) -> None:
    # 本年收入合计 12653.82, 比上年增加 12653.82: last year was 0, no rate exists
    figures = _with(
        seed.narrative_figures, {"subject": "本年收入合计", "kind": "growth_amount"}, value=Decimal("12653.82")
    )
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.severity, finding.actual, finding.expected, finding.page) == (
        "NARR_ZERO_BASE", "warning", Decimal("62.34"), None, 16
    )


def test_completion(seed: DocumentResult) -> None:
    figures = _with(
        seed.narrative_figures, {"subject": "财政拨款本年支出", "kind": "completion_rate"}, value=Decimal("168.22")
    )
    (finding,) = check_narrative("d", figures, seed.line_items)
    assert (finding.rule_id, finding.expected, finding.actual) == ("NARR_COMPLETION", Decimal("186.22"), Decimal("168.22"))


def test_shanghai_2024_p21_narrative_disagreements(shanghai: DocumentResult) -> None:
    """Checked by hand: 04 prints 总计 2961.68 (p.13), the text says 0.3; 2106.66/2940.05 = 71.65%, not 71.73%."""
    findings = check_narrative("d", shanghai.narrative_figures, shanghai.line_items)
    got = {(f.rule_id, f.severity, f.table_code, f.expected, f.actual, f.page) for f in findings}
    assert got == {
        ("NARR_TABLE_MISMATCH", "warning", "04", Decimal("2961.68"), Decimal("0.3"), 21),
        ("NARR_SHARE", "warning", "", Decimal("71.65"), Decimal("71.73"), 21),
    }


WATER = ROOT / "samples" / "pdfs" / "synthetic_water_bureau_2024.pdf"


@pytest.fixture(scope="module")
def water() -> DocumentResult:
    return process_document(WATER, WATER.name)


def test_sangong_lines_agree_with_table_09(water: DocumentResult) -> None:
    quoted = {f.line_label for f in water.narrative_figures if f.table_code == "09"}
    assert {"一、“三公”经费支出", "公务用车运行维护费", "公务接待费"} <= quoted
    assert [f for f in check_narrative("d", water.narrative_figures, water.line_items) if f.table_code == "09"] == []


def test_sangong_mismatch(water: DocumentResult) -> None:
    figures = _with(water.narrative_figures, {"subject": "公务接待费", "kind": "amount"}, value=Decimal("21436.00"))
    (finding,) = check_narrative("d", figures, water.line_items)
    assert (finding.rule_id, finding.severity, finding.category, finding.table_code) == (
        "NARR_SANGONG_MISMATCH", "warning", "narrative", "09"
    )
    assert (finding.expected, finding.actual, finding.difference, finding.page) == (
        Decimal("21346.00"), Decimal("21436.00"), Decimal("90.00"), 16
    )


def test_sangong_budget_figure_mismatch(water: DocumentResult) -> None:
    figures = _with(
        water.narrative_figures, {"subject": "财政拨款“三公”经费支出", "aspect": "全年预算数"}, value=Decimal("390000.00")
    )
    completion, sangong = check_narrative("d", figures, water.line_items)  # 189766.36 / 390000 ≠ the printed rate too
    assert (sangong.rule_id, sangong.expected, sangong.actual) == (
        "NARR_SANGONG_MISMATCH", Decimal("380000.00"), Decimal("390000.00")
    )
    assert completion.rule_id == "NARR_COMPLETION"


def test_sangong_blank_cell_is_zero(water: DocumentResult) -> None:
    """Water bureau 09 prints 因公出国（境）费 blank: a quoted non-zero figure against it is a finding, 0 is not."""
    template = next(f for f in water.narrative_figures if f.subject == "公务接待费" and f.kind == "amount")
    abroad = replace(template, subject="因公出国（境）费", line_label="因公出国（境）费", position=99, group=99)
    assert check_narrative("d", [*water.narrative_figures, replace(abroad, value=Decimal("0.00"))], water.line_items) == []
    (finding,) = check_narrative("d", [*water.narrative_figures, replace(abroad, value=Decimal("500.00"))], water.line_items)
    assert (finding.rule_id, finding.expected, finding.actual) == ("NARR_SANGONG_MISMATCH", Decimal("0.00"), Decimal("500.00"))
    assert "空白，按0计" in finding.message


def test_sangong_not_read_no_finding(water: DocumentResult) -> None:
    """False-alarm guard: without a 09 cell (table not read, or the seed's all-blank 09) nothing is compared."""
    figures = _with(water.narrative_figures, {"subject": "公务接待费", "kind": "amount"}, value=Decimal("99999.00"))
    items = [i for i in water.line_items if i.table_code != "09"]
    assert [f for f in check_narrative("d", figures, items) if f.rule_id == "NARR_SANGONG_MISMATCH"] == []


def test_shanghai_2024_p23_sangong_quotes_agree_with_the_wide_09(shanghai: DocumentResult) -> None:
    """Shanghai's 09 prints items as columns, 预算数/决算数 as rows; 决算 cells blank: the quoted 0.00s agree."""
    quoted = [f for f in shanghai.narrative_figures if f.table_code == "09"]
    assert {f.line_label for f in quoted} == {"一、“三公”经费支出", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"}
    assert not [f for f in check_narrative("d", shanghai.narrative_figures, shanghai.line_items) if f.table_code == "09"]
    figures = _with(shanghai.narrative_figures, {"subject": "公务接待费", "aspect": "决算数"}, value=Decimal("0.50"))
    (finding,) = [f for f in check_narrative("d", figures, shanghai.line_items) if f.rule_id == "NARR_SANGONG_MISMATCH"]
    assert (finding.expected, finding.actual, finding.page) == (Decimal("0.00"), Decimal("0.50"), 23)
