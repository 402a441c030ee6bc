"""Reference data (schemas/data/subjects*.csv, measures.csv): complete, consistent, regenerable."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from support import ROOT

from normalize.subjects import infer_code
from schemas import build_reference
from schemas.official_import import import_official
from schemas.reference import (
    OFFICIAL_COLUMNS,
    SUBJECTS_CSV,
    VARIANTS_CSV,
    load_measures,
    load_reference,
    normalize_name,
    valid_length,
)
from schemas.table_specs import load_specs

SHARED = ROOT.parent / "shared"
SEED_CLASS_LINES = ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出", "抗疫特别国债安排的支出"]


def test_every_spec_measure_is_in_measures_for_its_tables() -> None:
    measures = load_measures()
    for spec in load_specs():
        for key in spec.measures:
            assert key in measures, key
            assert spec.code in measures[key].tables, (spec.code, key)
    for spec in load_specs("budget_tables"):
        for key in spec.measures:
            assert key in measures and spec.code in measures[key].budget_tables, (spec.code, key)
    keys = {k for name in ("final_account_tables", "budget_tables") for s in load_specs(name) for k in s.measures}
    assert set(measures) == keys
    for m in measures.values():
        assert m.labels_zh and m.description_en and m.description_zh
        assert m.direction in {"revenue", "expenditure", "balance", "count"} and m.kind in {"money", "count", "mixed"}


def test_subjects_are_consistent_and_have_provenance() -> None:
    ref = load_reference()
    assert len(ref.subjects) > 250
    for code, s in ref.subjects.items():
        assert s.system in {"function", "economic"} and valid_length(code, s.system), code
        assert s.source, code
        assert ref.chain_exists(code), f"{code}: parent chain missing"
        assert s.name == normalize_name(s.name) and s.name not in s.variants


def test_observed_noise_is_fixed_and_kept_as_variants() -> None:
    ref = load_reference()
    s30213 = ref.get("30213")
    assert s30213 is not None and s30213.name == "维修（护）费" and "维修(护)费" in s30213.variants
    s20799 = ref.get("20799")
    assert s20799 is not None and s20799.name == "其他文化旅游体育与传媒支出"
    assert s20799.name_match("体育与传媒支") == "variant"  # printed so (observed), kept with provenance
    assert s20799.name_match("其他文化旅游体育与") == "truncated"  # a wrapped cell's first line
    s310 = ref.get("310")
    assert s310 is not None and s310.name == "资本性支出"
    # the misaligned fragment is rejected; 其他资本性支出 is 310's pre-2018 name (Jiangsu 2017 budgets)
    assert s310.variants == ("其他资本性支出",)
    assert ref.get("310111") is None  # the seed's misprint stays unknown
    s20805 = ref.get("20805")
    assert s20805 is not None and "行政事业单位离退休" in s20805.variants
    with VARIANTS_CSV.open(encoding="utf-8") as fh:
        assert all(row["source"] for row in csv.DictReader(fh))


def test_the_26_class_lines_of_01_have_codes() -> None:
    ref = load_reference()
    flat = [infer_code(n, "", ref, "function", 2024) for n in SEED_CLASS_LINES]
    assert all(flat), dict(zip(SEED_CLASS_LINES, flat, strict=True))
    assert flat[:3] == ["201", "202", "203"] and flat[8] == "210" and flat[-1] == "234"
    assert all(len(c) == 3 and c.startswith("2") for c in flat)


def test_build_script_regenerates_the_committed_files() -> None:
    if not (SHARED / "reference" / "observed_codes.csv").exists():
        pytest.skip(f"{SHARED} is absent")
    subjects, variants, _ = build_reference.build(SHARED)
    with SUBJECTS_CSV.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == subjects
    with VARIANTS_CSV.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == variants


def test_seed_wrapped_names_are_joined() -> None:
    if not (SHARED / "seed").is_dir():
        pytest.skip(f"{SHARED} is absent")
    from collections import defaultdict

    printed: dict[str, build_reference.Printed] = defaultdict(build_reference.Printed)
    seed = next((SHARED / "seed").glob("*.txt"))
    build_reference.read_seed(seed, "seed:test", 2024, printed)
    assert set(printed["30108"].names) == {"机关事业单位基本养老保险缴费"}
    assert set(printed["30231"].names) == {"公务用车运行维护费"}
    assert "100" not in printed and "111" not in printed  # numbers of the narrative are not codes


# --- names -------------------------------------------------------------------------------

NAMES = st.text(alphabet=st.sampled_from(list("行政运行维修护费其他支出（）()[] \u3000机关事业单位")), max_size=20)


@given(NAMES)
def test_normalize_name_is_idempotent(name: str) -> None:
    assert normalize_name(normalize_name(name)) == normalize_name(name)


@given(NAMES, st.lists(st.integers(min_value=0, max_value=20), max_size=4))
def test_normalize_name_ignores_whitespace(name: str, positions: list[int]) -> None:
    spaced = name
    for p in positions:
        spaced = spaced[:p] + " \u3000\n"[p % 3] + spaced[p:]
    assert normalize_name(spaced) == normalize_name(name)


@given(NAMES)
def test_normalize_name_makes_half_and_full_width_brackets_equal(name: str) -> None:
    half = name.replace("（", "(").replace("）", ")")
    full = name.replace("(", "（").replace(")", "）")
    assert normalize_name(half) == normalize_name(full)
    assert "(" not in normalize_name(half) and " " not in normalize_name(half)


def test_normalize_name_folds_kangxi_radicals() -> None:
    assert normalize_name("⼀般公共服务⽀出") == "一般公共服务支出"
    assert unicodedata.normalize("NFKC", "⼀") == "一"


# --- official import ---------------------------------------------------------------------


def _official(tmp_path: Path) -> Path:
    target = tmp_path / "subjects_official.csv"
    target.write_text(",".join(OFFICIAL_COLUMNS) + "\n", encoding="utf-8")
    return target


def test_import_official_csv_takes_precedence(tmp_path: Path) -> None:
    source = tmp_path / "official.csv"
    source.write_text(
        "\ufeff科目编码,科目名称,年度\n30305,生活补贴,2024\n2012901,行政运行,2024\n1010101,国内增值税,2024\n201,,2024\n",
        encoding="utf-8",
    )
    target = _official(tmp_path)
    report = import_official(source, target)
    assert (report.rows_read, report.added, report.updated, len(report.skipped)) == (4, 2, 0, 2)
    ref = load_reference(SUBJECTS_CSV, VARIANTS_CSV, target)
    s = ref.get("30305")
    assert s is not None and s.name == "生活补贴" and "生活补助" in s.variants
    assert s.source.startswith("official:official.csv") and (s.valid_from, s.valid_to) == (2024, 2024)
    assert not s.valid_for(2023) and s.valid_for(2024)


def test_import_official_xlsx_merges_years(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2023年支出经济分类科目"])
    sheet.append(["code", "name", "system", "valid_from", "valid_to"])
    sheet.append([30111, "公务员医疗补助缴费", "经济分类", 2018, 2023])
    source = tmp_path / "official.xlsx"
    workbook.save(source)
    target = _official(tmp_path)
    assert import_official(source, target).added == 1
    sheet.cell(row=3, column=2, value="公务员医疗补助缴款")
    sheet.cell(row=3, column=4, value=2024)
    sheet.cell(row=3, column=5, value=2024)
    workbook.save(source)
    report = import_official(source, target)
    assert report.updated == 1
    with target.open(encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["name"], row["valid_from"], row["valid_to"], row["variants"]) == (
        "公务员医疗补助缴款", "2018", "2024", "公务员医疗补助缴费"
    )


def test_import_official_rejects_a_file_without_code_column(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no header row"):
        import_official(source, _official(tmp_path))
