"""Real-format bad inputs, made at test time: encrypted, scanned, corrupt, wrong kind."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def text_pdf(path: Path, lines: list[str], encrypt_password: str | None = None) -> Path:
    encrypt = StandardEncryption(encrypt_password, canPrint=1) if encrypt_password else None
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    c.setFont(FONT, 14)
    y = 780
    for line in lines:
        c.drawString(60, y, line)
        y -= 24
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    return text_pdf(path, ["江西省某局2024年度部门决算", "收入支出决算总表"], encrypt_password="secret")


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that are only an image: what a scanner produces, no text layer."""
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 700, 40):
        draw.line((50, y, 550, y), fill="black", width=2)
    img_path = path.with_suffix(".png")
    image.save(img_path)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(pages):
        c.drawImage(str(img_path), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    img_path.unlink()
    return path


def corrupt_pdf(path: Path, good: Path) -> Path:
    """A download cut short: the first third of a real PDF."""
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def html_as_pdf(path: Path) -> Path:
    path.write_text("<html><body>404 Not Found</body></html>", encoding="utf-8")
    return path


def wrong_kind_pdf(path: Path) -> Path:
    return text_pdf(path, ["关于开展春季植树活动的通知", "各单位：请于三月十二日前报名。"])
