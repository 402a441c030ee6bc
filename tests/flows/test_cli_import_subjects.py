"""`opendisclosure import-subjects`: an official list merged into the reference."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from schemas.reference import OFFICIAL_CSV


def test_import_subjects_from_csv_with_chinese_headers(tmp_path: Path) -> None:
    source = tmp_path / "official.csv"
    source.write_text("科目编码,科目名称,年度\n2012901,行政运行,2024\n30101,基本工资,2024\n", encoding="utf-8-sig")
    target = tmp_path / "subjects_official.csv"
    target.write_text(OFFICIAL_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["import-subjects", str(source), "--into", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    assert rows["2012901"]["name"] == "行政运行" and rows["30101"]["name"] == "基本工资"


def test_import_subjects_missing_file_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import-subjects", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2 and "does not exist" in result.output
