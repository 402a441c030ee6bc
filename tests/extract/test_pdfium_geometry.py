"""Table pages' geometry from pdfium (extract/pdfium_geometry.py) against pdfminer's.

pdfium is only worth it if pdfplumber, fed its objects, reads what it reads from
pdfminer's: the same characters in the same boxes, the same rules, the same words,
grids and, in the end, the same published cells and printed amounts. Each test below
takes pdfminer's reading of a real-format page as the reference, so a change to the
conversion that moves one word break or one cell fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from badpdfs import not_embedded_cid_pdf
from support import ROOT, realdoc

from extract.document import extract_document
from extract.grid import page_grids
from extract.pdfium_geometry import GEOMETRY_ENV, objects_for

PRODUCERS = ROOT / "samples" / "producers" / "pdfs"
SAMPLES = ROOT / "samples" / "pdfs"


def _both(path: Path, number: int) -> tuple[Any, Any, str]:
    """pdfminer's page and the same page holding pdfium's objects (and why not, if not)."""
    pdf = pdfplumber.open(path)
    page = pdf.pages[number - 1]
    twin = pdfplumber.page.Page(pdf, page.page_obj, page.page_number, page.initial_doctop)
    document = pdfium.PdfDocument(str(path))
    objects, reason = objects_for(document[number - 1], twin)
    if objects is not None:
        twin._objects = objects
    return page, (twin if objects is not None else None), reason


def _worst_glyph_offset(page: Any, twin: Any) -> float:
    """Each glyph pdfminer lists paired with pdfium's nearest one of the same text: the
    largest box difference, in points at 10 pt (pdfium rounds advances to 1/1000 em: 0.07 pt
    on an 18 pt title), inf when one is missing or left over."""
    left: dict[str, list[dict[str, Any]]] = {}
    for char in twin.chars:
        if char["text"].strip():
            left.setdefault(char["text"], []).append(char)
    worst = 0.0
    for char in page.chars:
        if not char["text"].strip():
            continue
        candidates = left.get(char["text"]) or []
        if not candidates:
            return float("inf")
        scale = 10.0 / max(char["size"], 10.0)
        offsets = [max(abs(c[k] - char[k]) for k in ("x0", "x1", "top", "bottom")) * scale for c in candidates]
        best = min(range(len(candidates)), key=offsets.__getitem__)
        worst = max(worst, offsets[best])
        candidates.pop(best)
    return worst if not any(left.values()) else float("inf")


def _words(page: Any, **settings: Any) -> list[tuple[str, int, int]]:
    return sorted((w["text"], round(w["x0"]), round(w["top"])) for w in page.extract_words(**settings))


@pytest.mark.parametrize(
    ("path", "number"),
    [
        pytest.param(lambda: realdoc("sh_final_2024"), 5, id="shanghai-final-2024-p5 (ruled lines)"),
        pytest.param(lambda: realdoc("js_budget_2019_江苏省高级"), 8, id="jiangsu-2019-court-p8 (Word rects)"),
        pytest.param(lambda: realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格"), 1,
                     id="jiangsu-2019-party-office-p1 (page turned by /Rotate 90)"),
        pytest.param(lambda: PRODUCERS / "calc_culture_split_yuan.pdf", 4, id="libreoffice-calc-p4"),
        pytest.param(lambda: PRODUCERS / "chromium_water_borderless.pdf", 4, id="chromium-borderless-p4 (spaces)"),
        pytest.param(lambda: realdoc("js_budget_2017_江苏省高级"), 11, id="jiangsu-2017-court-p11 (blank glyphs)"),
        pytest.param(lambda: realdoc("js_budget_2017_江苏省高级"), 15, id="jiangsu-2017-court-p15 (66 blank glyphs)"),
    ],
)
def test_objects_are_pdfminers(path: Any, number: int) -> None:
    page, twin, reason = _both(path(), number)
    assert twin is not None, reason
    worst = _worst_glyph_offset(page, twin)
    assert worst < 0.05, f"a character is missing, extra or {worst:.3f} pt off pdfminer's box"
    for kind in ("line", "rect", "curve"):
        assert len(getattr(twin, f"{kind}s")) == len(getattr(page, f"{kind}s")), kind
    assert Counter(e["orientation"] for e in twin.edges) == Counter(e["orientation"] for e in page.edges)
    # what the readers use: words at both tolerances, text lines, ruled grids
    assert _words(twin) == _words(page)
    assert _words(twin, x_tolerance=1.5, y_tolerance=2) == _words(page, x_tolerance=1.5, y_tolerance=2)
    assert [x["text"] for x in twin.extract_text_lines()] == [x["text"] for x in page.extract_text_lines()]
    assert [g.text for g in page_grids(twin, number)] == [g.text for g in page_grids(page, number)]


def test_a_drawn_space_breaks_a_word_and_a_gap_alone_does_not() -> None:
    """Chromium draws `收 入` with a space glyph 2.25 pt wide (under pdfplumber's 3 pt
    tolerance); pdfium drops that glyph and invents spaces of its own at gaps. Only the
    drawn space may break the word."""
    page, twin, _ = _both(PRODUCERS / "chromium_water_borderless.pdf", 4)
    theirs = [w["text"] for w in page.extract_words()]
    assert "收" in theirs and "入" in theirs  # pdfminer: two words
    assert [w["text"] for w in twin.extract_words()] == theirs


def test_slanted_text_gets_pdfminers_wider_box() -> None:
    """Synthetic italic (a text matrix with c ≠ 0, Jiangsu 2017 检察院 p.19) widens pdfminer's
    box by the slant; pdfium's box must widen alike or cell and word assignment shift."""
    page, twin, reason = _both(realdoc("js_budget_2017_江苏省人民检察院_部门预算"), 19)
    assert twin is not None, reason
    slanted = [c for c in page.chars if abs(c["matrix"][2]) > 1e-6]
    assert slanted, "the page no longer prints slanted digits"
    mine = {(c["text"], round(c["x0"], 1), round(c["top"], 1)): c for c in twin.chars}
    for char in slanted:
        twin_char = mine[(char["text"], round(char["x0"], 1), round(char["top"], 1))]
        assert abs(twin_char["x1"] - char["x1"]) < 0.25
        assert twin_char["x1"] - twin_char["x0"] > char["adv"] * char["matrix"][0] + 1  # wider than upright
    assert _words(twin) == _words(page)


def test_a_font_the_pdf_does_not_embed_gets_pdfminers_widths(tmp_path: Path) -> None:
    """Codes of a UCS-2 CMap are the characters' Unicode, so pdfminer's widths (the PDF's /W)
    can be looked up from pdfium's text: the digits are 0.462 em wide, not the substitute's."""
    path = not_embedded_cid_pdf(tmp_path / "ucs2.pdf", b"UniGB-UCS2-H", b"6536516500320030")  # 收入20
    page, twin, reason = _both(path, 1)
    assert twin is not None, reason
    loose = pdfium_c.FS_RECTF()
    textpage = pdfium.PdfDocument(str(path))[0].get_textpage()
    pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, 2, loose)
    assert loose.right - loose.left > 6.0  # pdfium's own box of `2`: the substitute's width
    assert [(c["text"], round(c["x0"], 2), round(c["x1"], 2)) for c in page.chars] == [
        ("收", 50.0, 62.0), ("入", 62.0, 74.0), ("2", 74.0, 79.54), ("0", 79.54, 85.09)]
    assert _worst_glyph_offset(page, twin) < 0.05


def test_a_cjk_font_coded_otherwise_is_left_to_pdfminer(tmp_path: Path) -> None:
    """GB-EUC-H codes are not the text's Unicode: which width pdfium means cannot be looked up."""
    path = not_embedded_cid_pdf(tmp_path / "gb.pdf", b"GB-EUC-H", b"CAD5C8EB")  # 收入
    page, twin, reason = _both(path, 1)
    assert twin is None
    assert reason == "CJK text in a font the PDF does not embed"
    assert [c["text"] for c in page.chars] == ["收", "入"]


def test_a_reportlab_page_in_a_font_the_pdf_does_not_embed_is_pdfminers() -> None:
    """ReportLab's STSong-Light (UniGB-UCS2-H, not embedded), with one-character strings
    (`<51fa> Tj`, the wrapped 出 of 缴费支出): every glyph in pdfminer's box, the same words."""
    page, twin, reason = _both(SAMPLES / "jiangxi_trade_unions_2024.pdf", 5)
    assert twin is not None, reason
    assert _worst_glyph_offset(page, twin) < 0.05
    assert _words(twin) == _words(page)
    assert "出" in [c["text"] for c in twin.chars if 315 < c["top"] < 330]
    assert [g.text for g in page_grids(twin, 5)] == [g.text for g in page_grids(page, 5)]


def _published(path: Path) -> dict[str, Any]:
    doc = extract_document(path)
    return {
        "reason": doc.reason,
        "identity": doc.identity,
        "tables": [(t.table_code, t.pages, t.unit, t.cells, t.row_count, t.empty_note, t.problems) for t in doc.tables],
        "printed": [[(p.page, p.text, p.value, p.in_grid) for p in t.printed] for t in doc.tables],
        "absent": doc.absent,
        "other": doc.other_tables,
        "listed": doc.listed,
        "performance": doc.performance,
        "notes": doc.notes,
        "geometry": [e for e in doc.events if "geometry read by" in e],
    }


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(lambda: realdoc("js_budget_2017_江苏省高级"), id="jiangsu-2017-court (pages pdfium and pdfminer share)"),
        pytest.param(lambda: PRODUCERS / "chromium_jiangxi_colspan.pdf", id="chromium (Type 3 glyphs, quotes)"),
        pytest.param(lambda: PRODUCERS / "calc_water_kangxi.pdf", id="libreoffice (Kangxi radicals)"),
        pytest.param(lambda: realdoc("sh_budget_2024"), id="shanghai-budget-2024"),
        pytest.param(lambda: realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2018年度部门预算公开表"), id="jiangsu-rotated"),
        pytest.param(lambda: realdoc("js_budget_2018_江苏省人民检察院"), id="jiangsu-slanted-and-lost-glyphs"),
        pytest.param(lambda: SAMPLES / "jiangxi_trade_unions_2024.pdf", id="reportlab (CJK font not embedded)"),
        pytest.param(lambda: PRODUCERS / "word_water_split.pdf", id="word layout (CJK font not embedded)"),
    ],
)
def test_a_document_publishes_the_same_with_either_geometry(path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    file = path()
    monkeypatch.setenv(GEOMETRY_ENV, "pdfminer")
    reference = _published(file)
    monkeypatch.setenv(GEOMETRY_ENV, "pdfium")
    read = _published(file)
    assert reference.pop("geometry") == []
    geometry = read.pop("geometry")
    assert geometry and not geometry[0].startswith("0 pages"), geometry  # pdfium really read pages
    for key in reference:
        assert read[key] == reference[key], key


def test_the_geometry_source_is_part_of_the_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store filled with one geometry must not answer for the other."""
    from flows.settings import code_version

    versions = set()
    for source in ("pdfium", "pdfminer"):
        monkeypatch.setenv(GEOMETRY_ENV, source)
        code_version.cache_clear()
        versions.add(code_version())
    code_version.cache_clear()
    assert len(versions) == 2
