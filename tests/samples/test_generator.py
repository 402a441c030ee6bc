"""Tests for samples/: the booklets render, read back as drawn, and their ground truth adds up.

The consistency checks recompute every relation from the ground-truth CSV with
Decimal (nothing hard-coded), so a data-file edit that breaks a sum fails here.
Rendering, text layer, grid and truth shape are checked for every sample; the 决算
relations for the 决算 samples (`FINAL`); the 预算 sample's own relations, extraction
and findings are in test_budget_sample.py.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

from samples.booklet_data import format_cell, load_sample, sample_names
from samples.generator import DEFAULT_DIRS, TRUTH_COLUMNS, render_all, render_sample
from samples.grid import Cell
from samples.layout import build_sheets

ROOT = Path(__file__).resolve().parents[2]

SPECS = {kind: ROOT / "schemas" / "data" / f"{kind}_tables.toml" for kind in DEFAULT_DIRS}
NAMES = sample_names()
FINAL = sample_names("final_account")
ZERO = Decimal(0)


Row = dict[str, str]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("samples")
    paths = render_all(out)
    return {p.stem: p for p in paths}


def truth(rendered: dict[str, Path], name: str) -> list[Row]:
    with (rendered[name].parent / f"{name}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def tables_manifest(rendered: dict[str, Path], name: str) -> list[Row]:
    with (rendered[name].parent / f"{name}.tables.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def page_texts(pdf: Path) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


class Cells:
    """Ground-truth values of one sample, looked up by table, row key and measure."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.by_key: dict[tuple[str, str, str], Decimal] = {}
        for r in rows:
            for key in filter(None, (r["subject_code"], r["line_label"])):
                self.by_key.setdefault((r["table_code"], key, r["measure"]), Decimal(r["value"]))

    def get(self, table: str, key: str, measure: str) -> Decimal:
        """A printed value; a blank cell counts as zero (that is what blank means here)."""
        return self.by_key.get((table, key, measure), ZERO)

    def codes(self, table: str) -> set[str]:
        return {r["subject_code"] for r in self.rows if r["table_code"] == table and r["subject_code"]}

    def measures(self, table: str) -> set[str]:
        return {r["measure"] for r in self.rows if r["table_code"] == table}


@pytest.fixture(scope="module")
def cells(rendered: dict[str, Path]) -> dict[str, Cells]:
    return {name: Cells(truth(rendered, name)) for name in FINAL}


# ---------------------------------------------------------------- rendering
def test_every_sample_renders_small_pdfs(rendered: dict[str, Path]) -> None:
    assert sorted(rendered) == NAMES and len(NAMES) >= 3
    for pdf in rendered.values():
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        assert len(data) < 200 * 1024, f"{pdf.name} is {len(data)} bytes"


def test_rendering_is_deterministic(rendered: dict[str, Path], tmp_path: Path) -> None:
    name = NAMES[0]
    again = render_sample(name, tmp_path)
    assert again.read_bytes() == rendered[name].read_bytes()


def test_committed_ground_truth_is_current(rendered: dict[str, Path]) -> None:
    """samples/ground_truth/ must be re-rendered (python -m samples.generator) after a data edit."""
    for name in NAMES:
        truth_dir = DEFAULT_DIRS[load_sample(name).settings.kind][1]
        for suffix in (".csv", ".tables.csv"):
            committed = truth_dir / f"{name}{suffix}"
            fresh = rendered[name].parent / f"{name}{suffix}"
            assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), committed


@pytest.mark.parametrize("name", NAMES)
def test_text_layer_is_chinese_and_every_title_is_on_its_page(rendered: dict[str, Path], name: str) -> None:
    texts = page_texts(rendered[name])
    sample = load_sample(name)
    whole = "".join(texts)
    assert "(cid:" not in whole and "\ufffd" not in whole
    assert sample.settings.department in texts[0]
    for t in tables_manifest(rendered, name):
        first = int(t["pages"].split(";")[0])
        lines = [line.strip() for line in texts[first - 1].splitlines()]
        assert t["title"] in lines, (t["table_code"], first)
        label = f"公开{t['table_code']}表"
        assert (label in lines) == sample.settings.table_labels
    for n, text in enumerate(texts, start=1):
        assert f"— {n} —" in text


def _expected_grid(
    cells: tuple[Cell, ...], nrows: int, ncols: int, thousands: bool
) -> list[list[str | None]]:
    grid: list[list[str | None]] = [[""] * ncols for _ in range(nrows)]
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                grid[r][k] = None
        grid[c.row][c.col] = format_cell(c.text, thousands) if c.is_value else c.text
    return grid


def _squash(grid: list[list[str | None]]) -> list[list[str | None]]:
    return [[None if x is None else "".join(x.split()) for x in row] for row in grid]


@pytest.mark.parametrize("name", NAMES)
def test_pdfplumber_lines_strategy_reads_the_drawn_grid(rendered: dict[str, Path], name: str) -> None:
    """Merged header cells come back as None where spanned; body rows as printed (02 and 06)."""
    sample = load_sample(name)
    sheets = {s.code: s for s in build_sheets(sample)}
    pages = {t["table_code"]: int(t["pages"].split(";")[0]) for t in tables_manifest(rendered, name)}
    thousands = sample.settings.thousands_separator
    with pdfplumber.open(rendered[name]) as pdf:
        for code in ("02", "06"):
            sheet = sheets[code]
            ncols = len(sheet.columns)
            (got,) = pdf.pages[pages[code] - 1].extract_tables()
            want = _expected_grid(sheet.header, sheet.header_rows, ncols, thousands)
            want += [_expected_grid(row, 1, ncols, thousands)[0] for row in sheet.body]
            assert _squash(got) == _squash(want[: len(got)]), (name, code)
            assert any(x is None for x in got[0]), "merged header cells must read as None"
            if code == "06":
                assert any("\n" in (x or "") for row in got for x in row), (
                    "a wrapped cell keeps its line break"
                )


# ---------------------------------------------------------------- ground truth shape
def _spec_measures(kind: str) -> dict[str, set[str]]:
    spec = tomllib.loads(SPECS[kind].read_text(encoding="utf-8"))
    return {t["code"]: {c["measure"] for c in t["columns"] if "measure" in c} for t in spec["table"]}


@pytest.mark.parametrize("name", NAMES)
def test_ground_truth_rows_are_well_formed(rendered: dict[str, Path], name: str) -> None:
    rows = truth(rendered, name)
    sample = load_sample(name)
    npages = len(page_texts(rendered[name]))
    kind = sample.settings.kind
    measures = _spec_measures(kind) if SPECS[kind].exists() else {}
    with (rendered[name].parent / f"{name}.csv").open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == TRUTH_COLUMNS
    assert rows
    for r in rows:
        assert re.fullmatch(r"-?\d+(\.\d+)?", r["value"]), r
        assert 1 <= int(r["page"]) <= npages
        assert r["line_label"] and not re.search(r"\s", r["line_label"])
        if measures:
            assert r["measure"] in measures[r["table_code"]], r
        money = r["table_code"] != "10" and r["unit"] in ("万元", "元")
        # a table may print its own money unit (a Shanghai budget's 三公 table in 万元)
        assert money == (r["unit"] == (sample.standard[r["table_code"]].unit or sample.settings.unit))
        if not money:
            assert r["table_code"] in ("09", "10") and re.fullmatch(r"\d+", r["value"]), r


# ---------------------------------------------------------------- consistency (Decimal)
def _children(codes: set[str], parent: str) -> list[str]:
    return [c for c in codes if c.startswith(parent) and len(c) == len(parent) + 2]


@pytest.mark.parametrize("name", FINAL)
@pytest.mark.parametrize("table", ["02", "03", "05", "07", "08"])
def test_function_code_parents_equal_sum_of_children(cells: dict[str, Cells], name: str, table: str) -> None:
    c = cells[name]
    codes = c.codes(table)
    for measure in c.measures(table):
        classes = [k for k in codes if len(k) == 3]
        total = sum((c.get(table, k, measure) for k in classes), ZERO)
        assert c.get(table, "合计", measure) == total, (table, "合计", measure)
        for parent in (k for k in codes if len(k) in (3, 5)):
            kids = _children(codes, parent)
            assert kids, f"{table} {parent} has no children"
            assert c.get(table, parent, measure) == sum((c.get(table, k, measure) for k in kids), ZERO), (
                table,
                parent,
                measure,
            )


ROW_TOTALS = {
    "02": ("total_income", ["fiscal_appropriation_income", "superior_subsidy_income", "business_income",
                            "operating_income", "subordinate_remittance_income", "other_income"]),
    "03": ("total_expenditure", ["basic_expenditure", "project_expenditure", "remittance_to_superior",
                                 "operating_expenditure", "subsidy_to_subordinate"]),
    "05": ("total_expenditure", ["basic_expenditure", "project_expenditure"]),
    "07": ("current_expenditure", ["basic_expenditure", "project_expenditure"]),
    "08": ("current_expenditure", ["basic_expenditure", "project_expenditure"]),
}  # fmt: skip


@pytest.mark.parametrize("name", FINAL)
def test_row_totals_equal_their_parts(cells: dict[str, Cells], name: str) -> None:
    c = cells[name]
    for table, (total, parts) in ROW_TOTALS.items():
        for key in c.codes(table) | {"合计"}:
            assert c.get(table, key, total) == sum((c.get(table, key, p) for p in parts), ZERO), (table, key)
    for key in c.codes("07") | {"合计"}:
        opening, income = c.get("07", key, "opening_balance"), c.get("07", key, "current_income")
        spent, closing = c.get("07", key, "current_expenditure"), c.get("07", key, "closing_balance")
        assert opening + income - spent == closing, ("07", key)


@pytest.mark.parametrize("name", FINAL)
def test_summary_tables_balance_and_agree_with_detail_tables(cells: dict[str, Cells], name: str) -> None:
    c = cells[name]
    income_total = c.get("01", "本年收入合计", "income_amount")
    spending_total = c.get("01", "本年支出合计", "expenditure_amount")
    assert c.get("02", "合计", "total_income") == income_total
    assert c.get("03", "合计", "total_expenditure") == spending_total
    assert c.get("01", "总计", "income_amount") == c.get("01", "总计", "expenditure_amount")
    assert c.get("01", "总计", "income_amount") == (
        income_total
        + c.get("01", "使用非财政拨款结余（含专用结余）", "income_amount")
        + c.get("01", "年初结转和结余", "income_amount")
    )
    assert c.get("01", "总计", "expenditure_amount") == (
        spending_total
        + c.get("01", "结余分配", "expenditure_amount")
        + c.get("01", "年末结转和结余", "expenditure_amount")
    )
    income_lines = [r for r in c.rows if r["table_code"] == "01" and r["measure"] == "income_amount"]
    numbered = [
        Decimal(r["value"]) for r in income_lines if re.match(r"^[一二三四五六七八]、", r["line_label"])
    ]
    assert sum(numbered, ZERO) == income_total
    # 01 class lines = 03 class rows; 04 class lines = 05 + 07 class rows
    names03 = {
        r["line_label"]: r["subject_code"]
        for r in c.rows
        if r["table_code"] == "03" and len(r["subject_code"]) == 3
    }
    for r in c.rows:
        if r["table_code"] == "01" and r["measure"] == "expenditure_amount" and "、" in r["line_label"]:
            cls = r["line_label"].split("、", 1)[1]
            assert Decimal(r["value"]) == c.get("03", names03[cls], "total_expenditure"), cls
    # 04: its columns agree with 05/07/08 and it balances
    assert c.get("04", "本年支出合计", "expenditure_general_budget") == c.get(
        "05", "合计", "total_expenditure"
    )
    assert c.get("04", "本年支出合计", "expenditure_government_fund") == c.get(
        "07", "合计", "current_expenditure"
    )
    assert c.get("04", "本年支出合计", "expenditure_state_capital") == c.get(
        "08", "合计", "current_expenditure"
    )
    assert c.get("04", "总计", "income_amount") == c.get("04", "总计", "expenditure_total")
    assert c.get("04", "本年收入合计", "income_amount") == c.get("02", "合计", "fiscal_appropriation_income")
    assert c.get("04", "一、一般公共预算财政拨款", "income_amount") == c.get(
        "01", "一、一般公共预算财政拨款收入", "income_amount"
    )


@pytest.mark.parametrize("name", FINAL)
def test_basic_expenditure_matches_personnel_plus_public(cells: dict[str, Cells], name: str) -> None:
    c = cells[name]
    personnel, public = c.get("06", "人员经费合计", "amount"), c.get("06", "公用经费合计", "amount")
    assert c.get("05", "合计", "basic_expenditure") == personnel + public
    codes = c.codes("06")
    classes = {k for k in codes if len(k) == 3}
    for cls in classes:  # an item belongs to the class its code starts with (310111 too, as printed)
        items = [k for k in codes if k.startswith(cls) and k != cls]
        assert c.get("06", cls, "amount") == sum((c.get("06", k, "amount") for k in items), ZERO), cls
    assert personnel == sum((c.get("06", k, "amount") for k in classes & {"301", "303"}), ZERO)
    assert public == sum((c.get("06", k, "amount") for k in classes - {"301", "303"}), ZERO)


@pytest.mark.parametrize("name", FINAL)
def test_three_public_expenses_and_assets_add_up(cells: dict[str, Cells], name: str) -> None:
    c = cells[name]
    for m in ("initial_budget", "full_year_budget", "final_amount"):
        parts = ("1.因公出国（境）费", "2.公务用车购置及运行维护费", "3.公务接待费")
        assert c.get("09", "一、“三公”经费支出", m) == sum((c.get("09", p, m) for p in parts), ZERO)
        cars = ("（1）公务用车购置费", "（2）公务用车运行维护费")
        assert c.get("09", "2.公务用车购置及运行维护费", m) == sum((c.get("09", p, m) for p in cars), ZERO)
    receptions = ("（1）国内接待费", "（2）国（境）外接待费")
    assert c.get("09", "3.公务接待费", "final_amount") == sum(
        (c.get("09", p, "final_amount") for p in receptions), ZERO
    )
    vehicles = [r for r in c.rows if r["table_code"] == "10" and r["unit"] == "辆"]
    assert vehicles[0]["line_label"].startswith("一、")
    assert Decimal(vehicles[0]["value"]) == sum((Decimal(r["value"]) for r in vehicles[1:]), ZERO)


@pytest.mark.parametrize("name", FINAL)
def test_narrative_quotes_the_tables(rendered: dict[str, Path], cells: dict[str, Cells], name: str) -> None:
    text = "".join("".join(t.split()) for t in page_texts(rendered[name]))
    c = cells[name]
    unit = load_sample(name).settings.unit
    assert f"本年收入合计{c.get('01', '本年收入合计', 'income_amount')}{unit}" in text
    assert f"基本支出{c.get('03', '合计', 'basic_expenditure')}{unit}" in text


def test_samples_cover_the_layout_variants() -> None:
    """The three booklets between them exercise every variant the extractor must handle."""
    settings = [load_sample(n).settings for n in NAMES]
    assert {s.code_style for s in settings} == {"whole", "split"}
    assert {s.unit for s in settings} == {"万元", "元"}
    assert {s.table_labels for s in settings} == {True, False}
    assert {s.repeat_header for s in settings} == {True, False}
    assert any("08" in s.same_page for s in settings)
    counts: defaultdict[bool, int] = defaultdict(int)
    for s in settings:
        counts[s.synthetic] += 1
    assert counts[False] >= 1 and counts[True] >= 2
