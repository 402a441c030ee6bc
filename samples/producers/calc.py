"""LibreOffice Calc producer: the booklet as an .xlsx, printed by `soffice --convert-to pdf`.

Why a real office suite: how Calc prints merged cells, fit-to-width scaling, print
titles and CJK fonts is exactly what our own drawing code cannot imitate. The
workbook comes from samples/producers/workbook.py; pages are found afterwards
(samples/producers/locate.py) because Calc paginates itself. Needs `soffice` and a
CJK font (fonts-noto-cjk): without one, Calc prints every Han character as the
same glyph (DESIGN §5), so the conversion is checked with pdffonts-free means —
the title text must come back from the PDF's text layer.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from samples.producers.logical import Booklet
from samples.producers.workbook import WorkbookStyle, build_workbook

TOOL = "soffice"


class ToolMissing(RuntimeError):
    """The producer's program is not installed; the message says how to install it."""


def available() -> bool:
    return shutil.which(TOOL) is not None


def render(booklet: Booklet, style: WorkbookStyle, pdf: Path) -> Path:
    """Write `pdf` from the booklet via an .xlsx and LibreOffice."""
    if not available():
        raise ToolMissing("soffice not found: apt-get install -y libreoffice-calc fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = build_workbook(booklet, style, Path(tmp) / f"{pdf.stem}.xlsx")
        profile = Path(tmp) / "profile"
        subprocess.run(
            [TOOL, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(xlsx)],
            check=True, capture_output=True, timeout=300,
        )
        shutil.move(Path(tmp) / f"{pdf.stem}.pdf", pdf)
    return pdf
