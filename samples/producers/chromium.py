"""Chromium producer: the booklet as HTML (samples/producers/html.py), printed headless to PDF.

Why the real browser: its table fragmentation (which rows go to which page, the
repeated `<thead>`), its font embedding (TrueType as CID fonts, OpenType/CFF as
Type 3) and its rule drawing are what browser-made booklets contain. Pages are
found afterwards from the PDF (samples/producers/locate.py). Runs as root in a container, so
the sandbox is off; no network, no profile left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from samples.producers.calc import ToolMissing, require_fonts
from samples.producers.html import PageStyle, booklet_html
from samples.producers.logical import Booklet

TOOLS = ("chromium", "chromium-browser", "google-chrome")


def executable() -> str | None:
    return next((path for t in TOOLS if (path := shutil.which(t))), None)


def available() -> bool:
    return executable() is not None


def render(booklet: Booklet, style: PageStyle, pdf: Path) -> Path:
    """Write `pdf` by printing the booklet's HTML."""
    exe = executable()
    if exe is None:
        raise ToolMissing("chromium not found: apt-get install -y chromium fonts-noto-cjk")
    require_fonts([f.strip().strip('"') for f in style.fonts.split(",")])
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "booklet.html"
        page.write_text(booklet_html(booklet, style), encoding="utf-8")
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp}/profile",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
            check=True, capture_output=True, timeout=300,
        )
    return pdf
