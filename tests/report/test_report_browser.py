"""The report page opened in a real browser (headless Chromium from Debian's `chromium` package).

Rendered from real extracted results: the bundled samples and, when ../shared/realdocs is
present, the real Shanghai 2024 决算, checked by every rule. The page is opened from disk
(file://, no server) and the DOM Chromium builds must show every department and each
Shanghai finding with its rule id and page.

At a phone's width (390×844, mobile emulation) and a laptop's (1280×800), set through the
DevTools protocol, the page must not scroll sideways, the finding tables must become cards
on the phone, and info findings must start collapsed (measured by an expression evaluated
in the page; the published page itself has no script).
Screenshots are written to the test's temporary folder, or to $OPENDISCLOSURE_SCREENSHOTS
when set, to be looked at.

Without /usr/bin/chromium the test is skipped, unless OPENDISCLOSURE_REQUIRE_BROWSER=1
(set by .ci/run, which installs chromium), in which case it fails.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

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
        [r.document for r in results], [i for r in results for i in r.line_items], findings, load_rules(),
        [t for r in results for t in r.tables],
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
    rows = re.findall(r'<tr class="finding"[^>]*>(.*?)</tr>', section, re.S)
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


class DevTools:
    """Chromium driven over --remote-debugging-pipe (the DevTools protocol, no extra package).

    Used to give the page an exact viewport (`--window-size` has a 500 px minimum in headless
    Chromium), evaluate an expression in it and take screenshots.
    """

    def __init__(self, chromium: str, profile: Path) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def fds() -> None:  # the browser reads commands on fd 3 and answers on fd 4
            # move both out of the way first (either may already be 3 or 4), then dup2: inheritable copies
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(  # noqa: S603 — a fixed argument list
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=fds,  # noqa: PLW1509
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, object]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def _message(self) -> dict[str, object]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, object] = json.loads(raw)
        return message

    def call(self, method: str, session: str | None = None, **params: object) -> Any:
        self._next += 1
        command: dict[str, object] = {"id": self._next, "method": method, "params": params}
        if session:
            command["sessionId"] = session
        os.write(self._write, json.dumps(command).encode() + b"\0")
        while True:
            message = self._message()
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self._events):
            self._events.append(self._message())
        self._events.clear()

    def open(self, url: str, width: int, height: int) -> None:
        s = self.session
        self.call("Emulation.setDeviceMetricsOverride", s, width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)
        self.call("Page.enable", s)
        self.call("Page.navigate", s, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", self.session, expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict[str, object] = {"format": "png"}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params |= {"captureBeyondViewport": True,
                       "clip": {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 16000), "scale": 1}}
        data = self.call("Page.captureScreenshot", self.session, **params)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._write)
        os.close(self._read)


MEASURE = """(() => {
  const w = window.innerWidth, d = document.documentElement;
  const out = [...document.querySelectorAll("main *")].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1 && !e.closest(".scroll");
  }).slice(0, 10).map(e => e.tagName + "#" + e.id);
  const row = document.querySelector("tr.finding");
  return {
    scrollWidth: d.scrollWidth, innerWidth: w, overflowing: out,
    scrollBoxesTooWide: [...document.querySelectorAll(".scroll")].filter(e => e.getBoundingClientRect().right > w + 1).length,
    findingRowDisplay: row ? getComputedStyle(row).display : "",
    detailsOpen: [...document.querySelectorAll("details")].filter(x => x.open).length,
    details: document.querySelectorAll("details").length,
    charts: document.querySelectorAll("svg.chart").length,
  };
})()"""


def _screenshot_dir(tmp_path: Path) -> Path:
    target = os.environ.get("OPENDISCLOSURE_SCREENSHOTS")
    folder = Path(target) if target else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_layout_at_phone_and_desktop_width(page: Path, tmp_path: Path, width: int, height: int) -> None:
    """No sideways scrolling; finding tables are cards on a phone; info findings start collapsed."""
    browser = DevTools(_chromium(), tmp_path / "profile")
    try:
        browser.open(page.as_uri(), width, height)
        m = browser.evaluate(MEASURE)
        folder = _screenshot_dir(tmp_path)
        browser.screenshot(folder / f"report-{width}x{height}.png")
        browser.screenshot(folder / f"report-{width}-full.png", full_page=True)
    finally:
        browser.close()
    assert m["innerWidth"] == width, m
    assert m["scrollWidth"] <= m["innerWidth"], m
    assert m["overflowing"] == [] and m["scrollBoxesTooWide"] == 0, m
    assert m["charts"], m
    assert m["detailsOpen"] == 0 and m["details"], m
    assert m["findingRowDisplay"] == ("block" if width < 600 else "table-row"), m
    shot = folder / f"report-{width}x{height}.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
