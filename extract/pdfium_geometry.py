"""A page's characters and vector graphics read by pdfium, in pdfplumber's object form.

pdfplumber takes a page's objects from pdfminer, which interprets the whole content
stream in Python: on table pages that is about two thirds of the extraction time.
pdfium (C++) has already parsed the page for its text; this module asks it for every
character box and every path, converts them with the same rules pdfminer and
pdfplumber apply (page rotation, MediaBox offset, `re` and `m l` paths as rects and
lines, a path with several subpaths split into one object each), and hands the result
to a pdfplumber page as its objects. The table finder, word grouping and cropping
then run unchanged on the cheaper objects.

Where pdfium and pdfminer may disagree (text drawn at an angle, glyphs pdfium gives
no text for, CJK text in a font the PDF does not embed), the page is not converted:
`objects_for` says why and the caller lets pdfminer parse it. Every document of the
corpus (real booklets of two provinces, five producers) publishes the same either way
(tests/extract/test_pdfium_geometry.py; OPENDISCLOSURE_GEOMETRY=pdfminer for the old path).
"""

from __future__ import annotations

import ctypes
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdffont import PDFType3Font
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psexceptions import PSException

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 12


def _mult(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 applied first, then m0 (pdfminer's mult_matrix order)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def page_ctm(mediabox: tuple[float, float, float, float], rotate: int) -> Matrix:
    """The device matrix pdfminer starts a page with (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


class _Placer:
    """Turns device coordinates (pdfminer's) into a pdfplumber object's fields."""

    def __init__(self, plumber_page: Any) -> None:
        self.height = float(plumber_page.height)
        self.mb_x0 = float(plumber_page.mediabox[0])
        self.mb_top = float(plumber_page.mediabox[1])
        self.doctop = float(plumber_page.initial_doctop)
        self.page_number = plumber_page.page_number

    def box(self, x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
        top = (self.height - y1) + self.mb_top
        return {
            "page_number": self.page_number,
            "x0": x0 + self.mb_x0,
            "y0": y0,
            "x1": x1 + self.mb_x0,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": (self.height - y0) + self.mb_top,
            "doctop": self.doctop + top,
        }

    def point(self, pt: Point) -> Point:
        """pdfplumber's point2coord: curve points in top-left coordinates."""
        return (self.mb_x0 + pt[0], self.mb_top + self.height - pt[1])


def _color(getter: Any, obj: Any) -> tuple[float, ...]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, r, g, b, a):
        return (0.0,)
    return (r.value / 255.0, g.value / 255.0, b.value / 255.0)


def _matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _page_objects(page_raw: Any) -> Iterator[tuple[Any, int, Matrix]]:
    """Every path and text object in content order, with its parent's matrix to user space."""
    stack: list[tuple[Any, Matrix, int]] = []
    count = pdfium_c.FPDFPage_CountObjects(page_raw)
    for i in range(count - 1, -1, -1):
        stack.append((pdfium_c.FPDFPage_GetObject(page_raw, i), _IDENTITY, 0))
    while stack:
        obj, parent, depth = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT):
            yield obj, kind, parent
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            form = _mult(_matrix(obj), parent)
            n = pdfium_c.FPDFFormObj_CountObjects(obj)
            for i in range(n - 1, -1, -1):
                stack.append((pdfium_c.FPDFFormObj_GetObject(obj, i), form, depth + 1))


def _segments(obj: Any, to_device: Matrix) -> list[list[tuple[str, Point]]]:
    """A path's subpaths as pdfminer sees them: ops m / l / c (end point) / h."""
    subpaths: list[list[tuple[str, Point]]] = []
    current: list[tuple[str, Point]] = []
    bezier = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pt = _apply(to_device, x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if current:
                subpaths.append(current)
            current = [("m", pt)]
            bezier = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:
                current.append(("c", pt))
        else:
            current.append(("l", pt))
        if pdfium_c.FPDFPathSegment_GetClose(seg) and current:
            current.append(("h", current[0][1]))
    if current:
        subpaths.append(current)
    return subpaths


def _path_objects(path: list[tuple[str, Point]], style: dict[str, Any], place: _Placer) -> dict[str, Any] | None:
    """pdfminer's paint_path for one subpath: a line, a rect or a curve."""
    if not path or path[0][0] != "m":
        return None
    shape = "".join(op for op, _ in path)
    pts = [pt for _, pt in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop(-2)
    if shape in {"mlh", "ml"}:
        (x0, y0), (x1, y1) = pts[0], pts[1]
        obj = place.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        obj.update(style, object_type="line", pts=[place.point(pts[0]), place.point(pts[1])])
        return obj
    if shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            obj = place.box(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
            obj.update(style, object_type="rect", pts=[place.point(p) for p in pts])
            return obj
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    obj = place.box(min(xs), min(ys), max(xs), max(ys))
    obj.update(style, object_type="curve", pts=[place.point(p) for p in pts])
    return obj


def _path(obj: Any, parent: Matrix, ctm: Matrix, place: _Placer, out: dict[str, list[dict[str, Any]]]) -> None:
    """One painted path object as pdfplumber lines, rects and curves (unpainted ones draw nothing)."""
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return
    if not stroke.value and not fillmode.value:
        return
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width)
    style = {
        "linewidth": float(width.value),
        "stroke": bool(stroke.value),
        "fill": bool(fillmode.value),
        "evenodd": fillmode.value == pdfium_c.FPDF_FILLMODE_ALTERNATE,
        "stroking_color": _color(pdfium_c.FPDFPageObj_GetStrokeColor, obj),
        "non_stroking_color": _color(pdfium_c.FPDFPageObj_GetFillColor, obj),
        "dash": None,
        "mcid": None,
        "tag": None,
    }
    for sub in _segments(obj, _mult(_mult(_matrix(obj), parent), ctm)):
        item = _path_objects(sub, style, place)
        if item is not None:
            out.setdefault(item["object_type"], []).append(item)


class _Fonts:
    """Base font name and descent of each pdfium font handle, looked up once.

    A character's box hangs below its baseline by the font's descent. pdfminer takes it
    from the PDF's FontDescriptor (a standard font's metrics, a Type 3 font's FontBBox),
    pdfium often from the font program: they differ by up to 0.12 em (LibreOffice's Noto
    Sans CJK, 1.5 pt at 12.8 pt). pdfminer's own value is used wherever the page's font
    resources name the font unambiguously.
    """

    def __init__(self, pdfminer_descents: dict[str, float | None]) -> None:
        self._cache: dict[int, tuple[str, float, bool]] = {}
        self._buffer = ctypes.create_string_buffer(256)
        self._pdfminer = pdfminer_descents

    def info(self, textobj: Any) -> tuple[str, float, bool]:
        """(base name, descent per point of size, embedded) of a text object's font."""
        font = pdfium_c.FPDFTextObj_GetFont(textobj) if textobj else None
        key = _handle(font)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        name, descent, embedded = "", 0.0, True
        if font:
            embedded = pdfium_c.FPDFFont_GetIsEmbedded(font) == 1
            n = pdfium_c.FPDFFont_GetBaseFontName(font, self._buffer, len(self._buffer))
            name = self._buffer.raw[: max(n - 1, 0)].decode("latin-1") if n else ""
            known = self._pdfminer.get(_bare(name))
            value = ctypes.c_float()
            if known is not None:
                descent = known
            elif name and pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), value):
                # without a base name it is a Type 3 font: pdfium measures its glyphs, pdfminer
                # its FontBBox, ~0 below the baseline in the booklets seen
                descent = float(value.value)
        self._cache[key] = (name, descent, embedded)
        return name, descent, embedded


_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def _bare(name: str) -> str:
    """A font name without its subset tag (`ABCDEE+SimSun` → `SimSun`); pdfium drops it at times."""
    return _SUBSET_TAG.sub("", name)


def pdfminer_descents(plumber_page: Any, known: dict[tuple[Any, ...], dict[str, float | None]] | None = None
                      ) -> dict[str, float | None]:
    """pdfminer's descent of every font in the page's resources, by bare name (None when two
    fonts of one name disagree); Type 3 fonts, which have no name in pdfium, under ``.

    `known` holds the answers for font sets already seen: a booklet's pages share one or a
    few font dictionaries, and building pdfminer's font objects is ~1.5 ms a page.
    """
    try:
        resources = resolve1(plumber_page.page_obj.resources) or {}
        fonts = resolve1(resources.get("Font")) or {} if isinstance(resources, dict) else {}
    except _PDFMINER_ERRORS:
        return {}
    if not isinstance(fonts, dict):
        return {}
    if known is None or not all(isinstance(ref, PDFObjRef) for ref in fonts.values()):
        return _descents(plumber_page, fonts)  # inline font dictionaries have no identity to keep them by
    key = tuple(sorted((str(name), ref.objid) for name, ref in fonts.items()))
    if key not in known:
        known[key] = _descents(plumber_page, fonts)
    return known[key]


def _descents(plumber_page: Any, fonts: dict[Any, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for ref in fonts.values():
        try:
            spec = resolve1(ref)
            if not isinstance(spec, dict):
                continue
            font = plumber_page.pdf.rsrcmgr.get_font(ref.objid if isinstance(ref, PDFObjRef) else None, spec)
            descent = float(font.get_descent())
        except _PDFMINER_ERRORS:
            continue  # a font pdfminer cannot build: pdfium's descent stands
        names = {""} if isinstance(font, PDFType3Font) else {
            _bare(n.decode("latin-1") if isinstance(n, bytes) else str(n))
            for n in (font.fontname, getattr(font, "basefont", None)) if n
        }
        for name in names:
            out[name] = descent if out.get(name, descent) == descent else None
    return out


_PDFMINER_ERRORS = (PSException, KeyError, TypeError, ValueError, AttributeError)


def _chars(
    textpage: Any, ctm: Matrix, place: _Placer, descents: dict[str, float | None]
) -> tuple[dict[int, list[dict[str, Any]]] | None, str]:
    """Every character pdfium drew, by the text object it belongs to; None and why when one
    is set at an angle (pdfminer's box is then another box) or is a CJK character of a font
    the PDF does not embed (predefined CMaps such as STSong-Light + UniGB-UCS2-H, as iText
    and ReportLab write them: pdfium substitutes a font of other widths and drops
    one-character strings, `<51fa> Tj`).

    pdfium's own spaces (where it sees a gap) are left out: pdfminer lists only the space
    glyphs a PDF draws, which `objects_for` puts back.
    """
    by_object: dict[int, list[dict[str, Any]]] = {}
    fonts = _Fonts(descents)
    box = pdfium_c.FS_RECTF()
    m = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    last_handle, name, descent, embedded, fontsize = -1, "", 0.0, True, 0.0
    last_m: Matrix | None = None
    dm: Matrix = _IDENTITY
    ca, cb, cc, cd, ce, cf = ctm
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    get_matrix, get_object = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetTextObject
    get_box, get_origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = get_unicode(textpage, i)
        # pdfium generates only spaces and line breaks (the latter are in _NO_GLYPH)
        if code in _NO_GLYPH or (code == 0x20 and is_generated(textpage, i) == 1):
            continue
        get_matrix(textpage, i, m)
        raw_m = (m.a, m.b, m.c, m.d, m.e, m.f)
        if raw_m != last_m:
            # text space to pdfminer's device space: a page turned by /Rotate sets its text
            # upright there, and pdfplumber reads such a page like any other
            last_m, dm = raw_m, _mult(raw_m, ctm)
            if abs(dm[1]) > 1e-6 or dm[0] <= 0 or dm[3] <= 0:
                return None, "text set at an angle"
        textobj = get_object(textpage, i)
        handle = _handle(textobj)
        if handle != last_handle or not handle:  # one text object's characters come together: one lookup
            last_handle, (name, descent, embedded) = handle, fonts.info(textobj)
            fontsize = float(pdfium_c.FPDFText_GetFontSize(textpage, i))
        if code >= _CJK_FIRST and not embedded:
            return None, "CJK text in a font the PDF does not embed"
        get_box(textpage, i, box)
        get_origin(textpage, i, ox, oy)
        left, right = float(box.left), float(box.right)
        bottom, top_ = float(box.bottom), float(box.top)
        xa = ca * left + cc * bottom + ce
        xb = ca * right + cc * top_ + ce
        px, py = float(ox.value), float(oy.value)
        origin = (ca * px + cc * py + ce, cb * px + cd * py + cf)
        # pdfium's loose box is as wide as the advance, plus the slant of a slanted matrix
        adv = (abs(xb - xa) - abs(dm[2]) * fontsize) / dm[0]
        x0d, y0d, x1d, y1d = _char_box(dm, origin, adv, fontsize, descent)
        obj = place.box(x0d, y0d, x1d, y1d)
        obj.update(
            object_type="char",
            text=chr(code),
            fontname=name,
            size=y1d - y0d,
            adv=adv,
            upright=True,
            matrix=dm,
            stroking_color=(0.0,),
            non_stroking_color=(0.0,),
            mcid=None,
            tag=None,
        )
        by_object.setdefault(handle, []).append(obj)
    return by_object, ""


def _char_box(
    dm: Matrix, origin: Point, adv: float, fontsize: float, descent: float
) -> tuple[float, float, float, float]:
    """pdfminer's LTChar box: the text-space box (0, descent) – (advance, descent + size)
    through the character's matrix; a slanted (synthetic italic) matrix widens it."""
    a, _, c, d, _, _ = dm
    low, high = descent * fontsize, descent * fontsize + fontsize
    xs = [a * x + c * y for x in (0.0, adv) for y in (low, high)]
    return origin[0] + min(xs), origin[1] + d * low, origin[0] + max(xs), origin[1] + d * high


def _handle(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0 if obj else 0


def _bounds(obj: Any, parent: Matrix, ctm: Matrix) -> tuple[float, float, float, float]:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    to_device = _mult(parent, ctm)
    x0, y0 = _apply(to_device, left.value, bottom.value)
    x1, y1 = _apply(to_device, right.value, top.value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


_CJK_FIRST = 0x2E80  # CJK radicals onwards

#: pdfium's codes for "no character here" and its own line breaks
_NO_GLYPH = frozenset({0, 0x0A, 0x0D, 0xFFFE, 0xFFFF})


def _word_break(before: dict[str, Any], x: float) -> dict[str, Any]:
    """A drawn space on the line of the character before it: all pdfplumber reads of it is the break."""
    space = dict(before)
    space.update(text=" ", x0=x, x1=x, width=0.0, adv=0.0)
    return space


def objects_for(
    pdfium_page: pdfium.PdfPage,
    plumber_page: Any,
    descents: dict[tuple[Any, ...], dict[str, float | None]] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]] | None, str]:
    """The page's chars, lines, rects and curves as pdfplumber would list them, or None
    and the reason pdfium cannot give the same (text at an angle, glyphs it lists no
    text for)."""
    rotate = int(plumber_page.rotation)
    if rotate not in (0, 90, 180, 270):
        return None, f"page rotated by {rotate}°"
    mediabox = tuple(float(v) for v in plumber_page.page_obj.mediabox)
    ctm = page_ctm((mediabox[0], mediabox[1], mediabox[2], mediabox[3]), rotate)
    place = _Placer(plumber_page)
    textpage = pdfium_page.get_textpage()
    try:
        by_object, reason = _chars(textpage.raw, ctm, place, pdfminer_descents(plumber_page, descents))
    finally:
        textpage.close()
    if by_object is None:
        return None, reason
    objects: dict[str, list[dict[str, Any]]] = {}
    chars: list[dict[str, Any]] = []
    for obj, kind, parent in _page_objects(pdfium_page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _path(obj, parent, ctm, place, objects)
            continue
        drawn = by_object.pop(_handle(obj), None)
        if drawn:
            chars += drawn
            continue
        x0, y0, x1, y1 = _bounds(obj, parent, ctm)
        if x1 - x0 > _SPACE_WIDTH:
            return None, "glyphs pdfium gives no text for"
        before = chars[-1] if chars else None
        if before is not None and before["y0"] - 1 <= y0 <= before["y1"] + 1:
            chars.append(_word_break(before, x0 + place.mb_x0))
    for rest in by_object.values():  # characters of objects the walk did not reach (deep forms)
        chars += rest
    if chars:
        objects["char"] = chars
    return objects, ""


#: `pdfium` (default) or `pdfminer`: where table pages' geometry comes from
GEOMETRY_ENV = "OPENDISCLOSURE_GEOMETRY"


def geometry_source() -> str:
    """The configured geometry source; anything but `pdfminer` means pdfium."""
    return "pdfminer" if os.environ.get(GEOMETRY_ENV, "").strip().lower() == "pdfminer" else "pdfium"


class PdfiumGeometry:
    """Gives pdfplumber pages their objects from one open pdfium document.

    `attach` before the first use of a page's objects; a page pdfium cannot convert is
    left to pdfminer, and the tally says how many went which way and why.
    """

    def __init__(self, path: Path) -> None:
        self._pdf = pdfium.PdfDocument(str(path))
        self.converted = 0
        self.parsed: Counter[str] = Counter()
        self._descents: dict[tuple[Any, ...], dict[str, float | None]] = {}

    def attach(self, plumber_page: Any, index: int) -> bool:
        if index >= len(self._pdf):
            self.parsed["pdfium holds fewer pages"] += 1
            return False
        page = self._pdf[index]
        try:
            objects, reason = objects_for(page, plumber_page, self._descents)
        finally:
            page.close()
        if objects is None:
            self.parsed[reason] += 1
            return False
        plumber_page._objects = objects
        self.converted += 1
        return True

    def summary(self) -> str:
        why = "; ".join(f"{n} {reason}" for reason, n in self.parsed.most_common())
        return f"{self.converted} pages' geometry read by pdfium, {sum(self.parsed.values())} by pdfminer" + (
            f" ({why})" if why else ""
        )

    def close(self) -> None:
        self._pdf.close()


#: a text object pdfium lists no character for is a drawn space when it has no width
_SPACE_WIDTH = 0.5
