"""LibreOffice Calc producer: the booklet as an .xlsx, printed by `soffice --convert-to pdf`.

Why a real office suite: how Calc prints merged cells, fit-to-width scaling, print
titles and CJK fonts is exactly what our own drawing code cannot imitate. The
workbook comes from samples/producers/workbook.py; pages are found afterwards
(samples/producers/locate.py) because Calc paginates itself. Needs `soffice` and a
CJK font (fonts-noto-cjk): without one, Calc silently prints every Han character
as the same glyph (DESIGN §5), so the font is looked up with fc-list first and a
missing one stops the run.
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


def require_fonts(families: list[str]) -> None:
    """Stop unless fontconfig knows every family (a tool would substitute one silently)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return  # no fontconfig to ask; the rendered text is still checked by locate.py
    for family in families:
        found = subprocess.run([fc_list, f":family={family}", "family"], capture_output=True, text=True)
        if not found.stdout.strip():
            raise ToolMissing(f"font {family!r} is not installed: apt-get install -y fonts-noto-cjk")


def render(booklet: Booklet, style: WorkbookStyle, pdf: Path) -> Path:
    """Write `pdf` from the booklet via an .xlsx and LibreOffice."""
    if not available():
        raise ToolMissing("soffice not found: apt-get install -y libreoffice-calc fonts-noto-cjk")
    require_fonts([style.font])
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
