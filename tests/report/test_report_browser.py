"""The report page opened in a real browser (headless Chromium from Debian's `chromium` package).

Rendered from real extracted results: the bundled samples and, when ../shared/realdocs is
present, the real Shanghai 2024 决算, checked by every rule. The page is opened from disk
(file://, no server) and the DOM Chromium builds must show every department and each
Shanghai finding with its rule id and page.

Without /usr/bin/chromium the test is skipped, unless OPENDISCLOSURE_REQUIRE_BROWSER=1
(set by .ci/run, which installs chromium), in which case it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from support import REALDOCS, ROOT

from checks.cross_document import check_across_documents
from checks.document_rules import check_document
from checks.empty_tables import check_empty_tables
from core.records import DocStatus, Finding
from datapackage.report import render_report
from normalize.documents import DocumentResult, process_document
from schemas.rules import load_rules

SAMPLES = ROOT / "samples" / "pdfs"
SHANGHAI_PREFIX = "sh_final_2024_"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found:
        return found
    reason = "/usr/bin/chromium is absent: install Debian's chromium (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("OPENDISCLOSURE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " — OPENDISCLOSURE_REQUIRE_BROWSER=1 requires it")
    pytest.skip(reason)


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    paths = sorted(SAMPLES.glob("*.pdf"))
    if REALDOCS.is_dir():
        paths += sorted(REALDOCS.glob(f"{SHANGHAI_PREFIX}*.pdf"))[:1]
    return [process_document(p, p.name) for p in paths]


@pytest.fixture(scope="module")
def findings(results: list[DocumentResult]) -> list[Finding]:
    out: list[Finding] = []
    for r in results:
        if r.document.status == DocStatus.OK.value:
            out += check_document(r.document.doc_id, r.line_items)
            out += check_empty_tables(r.document.doc_id, r)
    return out + check_across_documents(results)


@pytest.fixture(scope="module")
def page(results: list[DocumentResult], findings: list[Finding], tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = render_report(
        [r.document for r in results], [i for r in results for i in r.line_items], findings, load_rules()
    )
    path = tmp_path_factory.mktemp("report") / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dom(page: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    chromium = _chromium()
    done = _run(chromium, tmp_path_factory.mktemp("profile"), "--dump-dom", page.as_uri())
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _article(dom: str, doc_id: str) -> str:
    """The DOM of one document's section."""
    match = re.search(rf'<article class="doc" id="doc-{re.escape(doc_id)}">(.*?)</article>', dom, re.S)
    assert match, f"no section for {doc_id}"
    return match.group(1)


def test_every_department_is_rendered(dom: str, results: list[DocumentResult]) -> None:
    text = _text(dom)
    assert "部门决算与预算一致性检查报告" in text
    for r in results:
        assert r.document.department and r.document.department in text, r.document.source_file
        assert r.document.doc_id in dom


def test_shanghai_findings_with_rule_and_page(dom: str, results: list[DocumentResult], findings: list[Finding]) -> None:
    shanghai = [r for r in results if r.document.source_file.startswith(SHANGHAI_PREFIX)]
    if not shanghai:
        pytest.skip(f"{REALDOCS} is absent (a user's fresh clone has no ../shared)")
    doc_id = shanghai[0].document.doc_id
    mine = [f for f in findings if f.doc_id == doc_id]
    assert mine, "the real Shanghai 决算 has known rounding disagreements"
    section = _article(dom, doc_id)
    rows = re.findall(r'<tr class="finding">(.*?)</tr>', section, re.S)
    assert len(rows) == len(mine)
    text = _text(section)
    for f in mine:
        assert f.rule_id in text
        assert f"第 {f.page} 页" in text, f
        assert any(
            f"第 {f.page} 页" in _text(row) and str(f.expected) in _text(row).replace(",", "")
            and str(f.actual) in _text(row).replace(",", "") for row in rows
        ), f
    # the 10 known rounding disagreements: e.g. 01 prints 社会保障和就业支出 326.71 on p.6, 03 prints 326.72
    assert any(f.rule_id == "XTABLE_01_03" and f.page == 6 and str(f.actual) == "326.71" for f in mine)


def test_screenshot_renders(page: Path, tmp_path: Path) -> None:
    chromium = _chromium()
    shot = tmp_path / "report.png"
    done = _run(chromium, tmp_path / "profile", "--window-size=1200,1800", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
