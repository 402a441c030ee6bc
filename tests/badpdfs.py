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


# ---- hostile files (issue 12): hand-written PDF objects, a few hundred bytes each --------------


def raw_pdf(path: Path, objects: list[bytes], root: int = 1) -> Path:
    """A PDF from numbered object bodies (object n = objects[n-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    path.write_bytes(bytes(out))
    return path


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def mediabox_cycle_pdf(path: Path) -> Path:
    """A /MediaBox that is a reference cycle (4 → 5 → 4): pdfminer's resolve1 loops for ever."""
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 6 0 R >>",
            b"5 0 R",
            b"4 0 R",
            _stream(b"BT ET"),
        ],
    )


def decompression_bomb_pdf(path: Path, inflated_bytes: int = 1 << 30) -> Path:
    """One page whose content stream is ~1 MB of Flate data inflating to `inflated_bytes` (1 GiB)."""
    import zlib

    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = bytearray()
    for _ in range(inflated_bytes // len(chunk)):
        data += comp.compress(chunk)
    data += comp.flush()
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(bytes(data), b"/Filter /FlateDecode "),
        ],
    )


def many_pages_pdf(path: Path, pages: int = 5000) -> Path:
    """`pages` empty pages sharing one content stream (~60 bytes a page)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            _stream(b"BT ET"),
            *([page] * pages),
        ],
    )
