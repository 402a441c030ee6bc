"""Regenerate the producer-matrix fixtures: `python -m samples.producers [--only NAME ...]`.

Why one command: every fixture PDF, its ground truth and MATRIX.md must come from
the same run of the same code. A producer whose program is missing (soffice,
chromium) is skipped with a message; its committed files stay as they are.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from samples.producers import calc, chromium, word
from samples.producers.html import PageStyle
from samples.producers.locate import Located, locate
from samples.producers.logical import build_booklet
from samples.producers.matrix import MATRIX, Variant
from samples.producers.output import reproducible, write_truth
from samples.producers.workbook import WorkbookStyle

PACKAGE_DIR = Path(__file__).resolve().parent
PDF_DIR = PACKAGE_DIR / "pdfs"
MATRIX_MD = PACKAGE_DIR / "MATRIX.md"
AVAILABLE = {"calc": calc.available, "chromium": chromium.available, "word": lambda: True}


class MatrixError(RuntimeError):
    """A rendered fixture disagrees with what the generator knows about it."""


def render_variant(v: Variant, out_dir: Path = PDF_DIR) -> Path:
    """Render one fixture and write its ground truth beside it; return the PDF path."""
    booklet = build_booklet(v.sample, v.options)
    pdf = out_dir / f"{v.name}.pdf"
    repeat = v.options.repeat_header
    known: word.RectBooklet | None = None
    if v.producer == "calc":
        calc.render(booklet, WorkbookStyle(v.font, repeat, v.row_space or None), pdf)
    elif v.producer == "chromium":
        chromium.render(booklet, PageStyle(v.font, v.ruled, repeat, v.row_space), pdf)
    else:
        known = word.render(booklet, v.shade_header, pdf)
    reproducible(pdf)
    found: Located = locate(pdf, booklet.sheets, booklet.options.text("第三部分"), repeat)
    if known is not None:  # reportlab knows every page: the locating step must agree with it
        if [(t.table_code, t.page) for t in known.truths] != [(t.table_code, t.page) for t in found.truths]:
            raise MatrixError(f"{pdf.name}: locating the rows disagrees with the pages reportlab drew them on")
        found = Located(known.tables, known.truths)
    write_truth(pdf, found.truths, found.tables)
    return pdf


def _continued(v: Variant, out_dir: Path) -> str:
    manifest = out_dir / f"{v.name}.tables.csv"
    if not manifest.is_file():
        return "(not rendered)"
    with manifest.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if ";" in r["pages"]]
    return ", ".join(f"{r['table_code']} (p. {r['pages'].replace(';', ',')})" for r in rows) or "none"


def write_matrix_md(out_dir: Path = PDF_DIR, path: Path = MATRIX_MD) -> None:
    """The table part of MATRIX.md, between its markers, from MATRIX and the committed manifests."""
    rows = [v.describe() | {"continued tables": _continued(v, out_dir)} for v in MATRIX]
    cols = list(rows[0])
    table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    table += ["| " + " | ".join(r[c] for c in cols) + " |" for r in rows]
    begin, end = "<!-- matrix:begin -->", "<!-- matrix:end -->"
    text = path.read_text(encoding="utf-8") if path.is_file() else f"{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(head + begin + "\n" + "\n".join(table) + "\n" + end + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.producers", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="fixtures to render (default: all)")
    parser.add_argument("--out", type=Path, default=PDF_DIR, help="directory for the PDFs and truth CSVs")
    args = parser.parse_args(argv)
    names = {v.name for v in MATRIX}
    unknown = sorted(set(args.only or ()) - names)
    if unknown:
        parser.error(f"unknown fixtures {unknown}; known: {sorted(names)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for v in MATRIX:
        if args.only and v.name not in args.only:
            continue
        if not AVAILABLE[v.producer]():
            tool = "soffice (apt-get install -y libreoffice-calc fonts-noto-cjk)" if v.producer == "calc" else (
                "chromium (apt-get install -y chromium fonts-noto-cjk)")
            print(f"skip {v.name}: {tool} is not installed; its committed files are kept", file=sys.stderr)
            continue
        try:
            pdf = render_variant(v, args.out)
        except calc.ToolMissing as exc:
            print(f"skip {v.name}: {exc}", file=sys.stderr)
            continue
        print(f"{pdf} ({pdf.stat().st_size // 1024} KB)")
    if args.out.resolve() == PDF_DIR:
        write_matrix_md(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
