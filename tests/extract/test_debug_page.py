"""`opendisclosure debug-page` shows what was found on a page and why."""

from __future__ import annotations

from support import ROOT
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
