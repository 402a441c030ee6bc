"""`opendisclosure debug-page` shows what was found on a page and why."""

from __future__ import annotations

from pathlib import Path

from badpdfs import not_embedded_cid_pdf
from support import ROOT, realdoc
from typer.testing import CliRunner

from flows.cli import app

SEED = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


def test_debug_page_shows_title_grid_and_columns() -> None:
    # the seed sample's 02 收入决算表 is on page 5 (samples/ground_truth/*.tables.csv)
    result = CliRunner().invoke(app, ["debug-page", str(SEED), "5"])
    assert result.exit_code == 0, result.output
    assert "title of table 02" in result.output
    assert "total_income" in result.output and "header rows" in result.output


def test_debug_page_out_of_range_says_so() -> None:
    result = CliRunner().invoke(app, ["debug-page", str(SEED), "999"])
    assert result.exit_code == 0 and "does not exist" in result.output


def test_debug_page_says_where_the_geometry_came_from(tmp_path: Path) -> None:
    """The page shown is read from the source the pipeline read it from."""
    coded = not_embedded_cid_pdf(tmp_path / "gb.pdf", b"GB-EUC-H", b"CAD5C8EB")  # widths pdfium cannot know
    lost = CliRunner().invoke(app, ["debug-page", str(coded), "1"])
    assert "geometry from pdfminer: CJK text in a font the PDF does not embed" in " ".join(lost.output.split())
    court = realdoc("js_budget_2017_江苏省高级")  # p11 draws blank glyphs pdfium lists no text for
    blank = CliRunner().invoke(app, ["debug-page", str(court), "11"])
    assert "(geometry from pdfium)" in " ".join(blank.output.split())
    seed = CliRunner().invoke(app, ["debug-page", str(SEED), "5"])  # STSong-Light, not embedded, UCS-2 codes
    assert "(geometry from pdfium)" in " ".join(seed.output.split())
    calc = ROOT / "samples" / "producers" / "pdfs" / "calc_culture_split_yuan.pdf"
    result = CliRunner().invoke(app, ["debug-page", str(calc), "4"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "(geometry from pdfium)" in text and "title of table 02" in text
