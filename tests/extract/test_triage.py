"""Bad input gets a clear, stable reason code; nothing raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from badpdfs import corrupt_pdf, encrypted_pdf, html_as_pdf, scanned_pdf, text_pdf, wrong_kind_pdf
from support import realdoc

from normalize.documents import process_document, process_document_safely


def _reason(path: Path) -> tuple[str, str]:
    result = process_document(path, path.name)
    assert result.document.status == "quarantined"
    assert result.line_items == []
    return result.document.error_code, result.document.error


def test_encrypted(tmp_path: Path) -> None:
    code, message = _reason(encrypted_pdf(tmp_path / "enc.pdf"))
    assert code == "encrypted_pdf" and "password" in message


def test_scanned(tmp_path: Path) -> None:
    code, message = _reason(scanned_pdf(tmp_path / "scan.pdf"))
    assert code == "no_text_layer" and "OCR" in message


def test_truncated_download(tmp_path: Path) -> None:
    whole = text_pdf(tmp_path / "whole.pdf", ["收入支出决算总表"] * 20)
    code, message = _reason(corrupt_pdf(tmp_path / "cut.pdf", whole))
    assert code == "corrupt_pdf" and "re-download" in message


def test_html_error_page_saved_as_pdf(tmp_path: Path) -> None:
    code, _ = _reason(html_as_pdf(tmp_path / "error.pdf"))
    assert code == "not_a_pdf"


def test_not_a_disclosure(tmp_path: Path) -> None:
    code, _ = _reason(wrong_kind_pdf(tmp_path / "notice.pdf"))
    assert code == "not_a_disclosure"


@pytest.mark.realdocs
def test_template_with_placeholders_is_recorded_not_crashed() -> None:
    path = realdoc("sh_template_final_2024_")
    code, message = _reason(path)
    assert code == "template_placeholder" and "XX" in message


def test_a_bug_of_ours_is_not_blamed_on_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A NameError in the extractor once reported every sample as corrupt_pdf."""
    from support import ROOT

    import extract.document as document
    from normalize.documents import process_document_safely

    def broken(*args: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(document, "_identify", broken)
    pdf = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"
    result = process_document_safely(pdf, pdf.name)
    assert result.document.error_code == "extractor_error"


@pytest.mark.realdocs
def test_narrative_only_budget_file_says_so() -> None:
    """Jiangsu publishes the 部门预算 narrative and its tables as two files.

    The narrative file is a disclosure in its own right (its figures publish): it is
    not quarantined, it says it holds no table, and it lists no table as missing.
    """
    pdf = realdoc("js_budget_江苏省委办公厅_江苏省委办公厅2017年部门预算")
    result = process_document_safely(pdf, pdf.name)
    assert result.document.status == "ok", result.document.error
    assert "narrative only" in result.document.notes
    assert result.tables == [] and result.line_items == []
