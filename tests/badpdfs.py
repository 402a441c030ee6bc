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


def raw_pdf(path: Path, objects: list[bytes], root: int = 1, trailer: bytes = b"") -> Path:
    """A PDF from numbered object bodies (object n = objects[n-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer, xref)
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


def deep_nesting_pdf(path: Path, depth: int = 100_000) -> Path:
    """Arrays nested `depth` deep (`[[[…]]]`) as the document's /Title and in the page's content
    stream: pdfminer parses them without recursion, but printing or resolving them recursively
    overflows Python's stack (RecursionError)."""
    nested = b"[" * depth + b"]" * depth
    font = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + font + b" >>",
            _stream(b"BT /F1 12 Tf 72 700 Td (2024) Tj " + nested + b" TJ ET"),
            b"<< /Title " + nested + b" >>",
        ],
        trailer=b"/Info 5 0 R ",
    )


def deep_page_tree_pdf(path: Path, depth: int = 5000) -> Path:
    """A page tree of `depth` nested /Pages nodes, each with one kid, over one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    page = 2 + depth
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (page - 1, page + 1)
    )
    objects.append(_stream(b"BT ET"))
    return raw_pdf(path, objects)


def many_rects_pdf(path: Path, rects: int = 200_000) -> Path:
    """A 部门决算 cover and a table page under its title whose grid is `rects` tiny filled rectangles."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setFont(FONT, 14)
    c.drawString(60, 780, "江西省某局2024年度部门决算")
    c.showPage()
    c.setFont(FONT, 12)
    c.drawString(60, 800, "收入支出决算总表")
    c.drawString(60, 780, "一般公共预算财政拨款收入  1,234.56  支出合计  1,234.56")
    for i in range(rects):
        c.rect(20 + (i % 500) * 1.1, 20 + (i // 500) % 370 * 2, 0.8, 0.8, stroke=0, fill=1)
    c.showPage()
    c.save()
    return path


def length_cycle_pdf(path: Path) -> Path:
    """A content stream whose /Length is a reference cycle (5 → 6 → 5)."""
    data = b"BT /F1 12 Tf 72 700 Td (hello) Tj ET"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\n" + data + b"\nendstream",
            b"6 0 R",
            b"5 0 R",
        ],
    )


def broken_page_tree_pdf(path: Path, pages: int = 12) -> Path:
    """A damaged page tree: its `pages` leaves lost their /Type /Page. pdfium still shows them (a
    leaf is a page), pdfminer finds none: the file that was reported as 'only 12 of 0 pages have a
    text layer (a scan?)'."""
    font = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    leaf = b"<< /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R " + font + b" >>"
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            _stream(b"BT /F1 12 Tf 72 700 Td (2024 Final accounts of the department) Tj ET"),
            *([leaf] * pages),
        ],
    )


def cid_font_pdf(path: Path, lines: list[str] | None = None, glyph_ids: bool = False) -> Path:
    """部门决算 text in a Type0 font with Identity-H codes and no /ToUnicode (a 'SimSun' not embedded,
    CIDSystemInfo Adobe-Identity): pdfminer has no way to map the codes and prints `(cid:N)`.

    The codes are the characters' Unicode values (pdfium then reads the text), or with
    `glyph_ids` the order of first appearance 1, 2, 3 … as a subsetting producer numbers glyphs
    (no reader can recover the text)."""
    lines = lines or [
        "江西省某局2024年度部门决算",
        "收入支出决算总表",
        "项目 本年收入 本年支出 一般公共预算财政拨款收入",
        "一般公共服务支出 1,234.56 2,345.67 3,456.78",
        "教育支出 4,567.89 5,678.90 6,789.01",
        "合计 8,901.23 9,012.34 10,123.45",
    ]
    ops = b"BT /F1 12 Tf 14 TL 60 780 Td "
    ids: dict[str, int] = {}
    for line in lines:
        codes = [ids.setdefault(ch, len(ids) + 1) if glyph_ids else ord(ch) for ch in line]
        ops += b"<" + b"".join(b"%04x" % code for code in codes) + b"> Tj T* "
    ops += b"ET"
    font = b"/Resources << /Font << /F1 5 0 R >> >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + font + b" >>"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>",
            page,
            _stream(ops),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDToGIDMap /Identity /DW 1000"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R >>",
            b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0"
            b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
            page,
        ],
    )


def not_embedded_cid_pdf(path: Path, encoding: bytes, text: bytes) -> Path:
    """One line in STSong-Light, not embedded (as ReportLab and iText write it), whose digits
    (CIDs 17–26) the PDF sets 0.462 em wide: pdfium measures them with a substitute font."""
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            _stream(b"BT /F1 12 Tf 50 100 Td <" + text + b"> Tj ET"),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /" + encoding
            + b" /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [17 26 462] >>",
            b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
            b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        ],
    )
