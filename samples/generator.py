"""Render the sample 部门决算 and 部门预算 booklets (PDF) and write their ground truth (CSV).

    python -m samples.generator [--out DIR] [--truth DIR] [NAME ...]

Why: the extractor needs real-format PDFs whose every number is known. Each
sample's figures live in samples/data/<name>.toml; this module lays them out
(samples/layout.py, samples/budget_layout.py), draws them (samples/render.py) and
writes, from the same cells, one ground-truth row per printed number with the
physical page it was drawn on. Output is deterministic (reportlab `invariant=1`,
fixed metadata), so re-rendering does not churn git.

By default a 决算 sample goes to samples/pdfs/ (+ samples/ground_truth/), the bundled
documents every run and test reads; a 预算 sample to samples/budget/pdfs/ (+
samples/budget/ground_truth/), read by its own tests (tests/samples/test_budget_sample.py).

Outputs per sample:
- `<name>.pdf`
- `<name>.csv`: table_code, page, subject_code, line_label, measure, value, unit
- `<name>.tables.csv`: where each table landed (pages, header repeated, cell count)
- `<name>.performance.csv`: one row per funds / indicator / 总分 line of the 项目支出绩效自评表
  pages (samples/performance.py), printed after 第三部分, for samples whose data has them
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from samples.booklet_data import DATA_DIR, Sample, load_sample, sample_names
from samples.layout import build_sheets
from samples.narrative import cell_index, fill
from samples.performance import TRUTH_COLUMNS as PERFORMANCE_COLUMNS
from samples.performance import WIDTHS, load_performance
from samples.performance import layout as perf_layout
from samples.performance import truth_rows as perf_truth_rows
from samples.render import Booklet, Metadata

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PDF_DIR = PACKAGE_DIR / "pdfs"
DEFAULT_TRUTH_DIR = PACKAGE_DIR / "ground_truth"
#: where each kind's samples are committed: (PDF dir, ground-truth dir)
DEFAULT_DIRS = {
    "final_account": (DEFAULT_PDF_DIR, DEFAULT_TRUTH_DIR),
    "budget": (PACKAGE_DIR / "budget" / "pdfs", PACKAGE_DIR / "budget" / "ground_truth"),
}

TRUTH_COLUMNS = ("table_code", "page", "subject_code", "line_label", "measure", "value", "unit")
TABLES_COLUMNS = ("table_code", "title", "pages", "header_repeated", "cells")
CHINESE_ORDINALS = "一二三四五六七八九十"


def _truth_dir_for(out_dir: Path, truth_dir: Path | None) -> Path:
    """Ground truth goes to the kind's committed truth dir for its default PDF dir, else beside the PDFs."""
    if truth_dir is not None:
        return truth_dir
    defaults = {pdfs.resolve(): truth for pdfs, truth in DEFAULT_DIRS.values()}
    return defaults.get(out_dir.resolve(), out_dir)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _front_matter(b: Booklet, sample: Sample) -> None:
    """Cover, contents and 第一部分 概况."""
    s = sample.settings
    wording = sample.wording
    b.new_page("portrait")
    b.y = 842.0 * 0.64
    b.centred(s.department, 28, 30)
    b.centred(wording.text(wording.cover, s), 24, 0)
    b.y = 170.0
    b.centred(s.cover_date, 15, 0)

    b.new_page("portrait")
    b.centred("目    录", 20, 24)
    contents = [f"第一部分 {s.department}概况"]
    contents += [f"    {sec.heading}" for sec in sample.overview]
    contents.append(wording.text(wording.tables_part, s))
    contents += [
        f"    {CHINESE_ORDINALS[i]}、{wording.text(sample.standard[c].title, s)}"
        for i, c in enumerate(sorted(sample.standard))
    ]
    contents.append(wording.text(wording.narrative_part, s))
    contents += [f"    {sec.heading}" for sec in sample.explanation]
    for line in contents:
        b.paragraph(line, size=12.5, indent=False)

    b.new_page("portrait")
    b.centred(f"第一部分 {s.department}概况", 18, 20)
    for sec in sample.overview:
        b.paragraph(sec.heading, indent=False)
        for para in sec.paragraphs:
            b.paragraph(para)


def render_sample(
    name: str, out_dir: Path | None = None, truth_dir: Path | None = None, data_dir: Path = DATA_DIR
) -> Path:
    """Render one sample to `out_dir/<name>.pdf` and its ground truth; return the PDF path.

    `out_dir` defaults to the sample kind's committed dir (`DEFAULT_DIRS`); `data_dir` holds
    `<name>.toml` (samples/defects.py renders edited copies from elsewhere).
    """
    sample = load_sample(name, data_dir)
    s = sample.settings
    wording = sample.wording
    out_dir = out_dir if out_dir is not None else DEFAULT_DIRS[s.kind][0]
    sheets = build_sheets(sample)
    index = cell_index(sheets)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_out = _truth_dir_for(out_dir, truth_dir)
    truth_out.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{name}.pdf"

    meta = Metadata(
        title=f"{s.department}{s.fiscal_year}年度{wording.kind_zh}",
        author=s.department,
        subject=f"{wording.kind_zh} — opendisclosure sample booklet",
        keywords="synthetic figures" if s.synthetic else f"real figures: {s.source}",
    )
    b = Booklet(pdf_path, meta, s.thousands_separator)
    _front_matter(b, sample)
    sheets = [sheet for sheet in sheets if sheet.code not in s.omit]
    for i, sheet in enumerate(sheets):
        heading = wording.text(wording.tables_part, s) if i == 0 else ""
        b.table(sheet, s.repeat_header, same_page=sheet.code in s.same_page, heading=heading)

    b.new_page("portrait")
    b.centred(wording.text(wording.narrative_part, s), 18, 20)
    for sec in sample.explanation:
        b.paragraph(sec.heading, indent=False)
        for para in sec.paragraphs:
            b.paragraph(fill(para, index, f"{name} narrative ({sec.heading})"))
    performance = load_performance(name, data_dir)
    performance_rows: list[tuple[object, ...]] = []
    for instance, printing in enumerate(performance.printings if performance else (), start=1):
        assert performance is not None
        grid = perf_layout(printing, s.fiscal_year, performance.title)
        pages = b.grid_table(grid.title, grid.subtitle, grid.cells, grid.n_rows, WIDTHS, grid.forced_breaks)
        performance_rows += perf_truth_rows(instance, printing.project, grid, pages)
    b.close()
    if performance_rows:
        _write_csv(truth_out / f"{name}.performance.csv", PERFORMANCE_COLUMNS, performance_rows)

    truth_rows: list[tuple[object, ...]] = [
        (
            p.table_code,
            p.page,
            p.truth.subject_code,
            p.truth.line_label,
            p.truth.measure,
            p.truth.value,
            p.truth.unit,
        )
        for p in b.truths
    ]
    _write_csv(truth_out / f"{name}.csv", TRUTH_COLUMNS, truth_rows)
    table_rows: list[tuple[object, ...]] = [
        (
            t.code,
            t.title,
            ";".join(str(p) for p in t.pages),
            "true" if t.header_repeated and len(t.pages) > 1 else "false",
            sum(1 for p in b.truths if p.table_code == t.code),
        )
        for t in b.tables
    ]
    _write_csv(truth_out / f"{name}.tables.csv", TABLES_COLUMNS, table_rows)
    return pdf_path


def render_all(out_dir: Path | None = None, truth_dir: Path | None = None) -> list[Path]:
    """Render every sample under samples/data/ (by default each to its kind's dir); return the PDF paths."""
    return [render_sample(name, out_dir, truth_dir) for name in sample_names()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.generator", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"samples to render (default: all of {sample_names()})")
    parser.add_argument(
        "--out", type=Path, default=None,
        help="directory for the PDFs (default: samples/pdfs/ for 决算, samples/budget/pdfs/ for 预算 samples)",
    )
    parser.add_argument(
        "--truth",
        type=Path,
        default=None,
        help="directory for the ground-truth CSVs (default: the kind's ground_truth/ dir with the default "
        "--out, else the --out directory)",
    )
    args = parser.parse_args(argv)
    names = args.names or sample_names()
    unknown = sorted(set(names) - set(sample_names()))
    if unknown:
        parser.error(f"unknown samples {unknown}; known: {sample_names()}")
    for name in names:
        path = render_sample(name, args.out, args.truth)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
