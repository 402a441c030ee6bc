"""A page's characters and vector graphics read by pdfium, in pdfplumber's object form.

pdfplumber takes a page's objects from pdfminer, which interprets the whole content
stream in Python: on table pages that is about two thirds of the extraction time.
pdfium (C++) has already parsed the page for its text; this module asks it for every
character box and every path, converts them with the same rules pdfminer and
pdfplumber apply (page rotation, MediaBox offset, `re` and `m l` paths as rects and
lines, a path with several subpaths split into one object each), and hands the result
to a pdfplumber page as its objects. The table finder, word grouping and cropping
then run unchanged on the cheaper objects.

A font the PDF does not embed is measured by pdfium with a substitute's widths; where its
codes are its Unicode (UCS-2 / UTF-16 CMaps: ReportLab, iText) pdfminer's widths are looked
up from the text instead. Where pdfium and pdfminer may disagree (text drawn at an angle,
glyphs pdfium gives no text for, CJK text in a font the PDF does not embed under another
CMap), the page is not converted:
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdffont import PDFType3Font
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psexceptions import PSException

from extract import pdfium_calls as pc
from extract.pdfium_pages import PdfiumPages

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


def _color(getter: Any, obj: int, out: pc.Out) -> tuple[float, ...]:
    r, g, b, a = out.u_at
    if not getter(obj, r, g, b, a):
        return (0.0,)
    return (out.u[0].value / 255.0, out.u[1].value / 255.0, out.u[2].value / 255.0)


def _matrix(obj: int, out: pc.Out) -> Matrix:
    if not pc.object_matrix(obj, out.matrix_at):
        return _IDENTITY
    m = out.matrix
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _page_objects(page: int, out: pc.Out) -> Iterator[tuple[int, int, Matrix]]:
    """Every path and text object (by address) in content order, with its parent's matrix to user space."""
    stack: list[tuple[int, Matrix, int]] = []
    count = pc.page_count_objects(page)
    for i in range(count - 1, -1, -1):
        stack.append((pc.page_get_object(page, i) or 0, _IDENTITY, 0))
    path, text, form_kind = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM
    while stack:
        obj, parent, depth = stack.pop()
        if not obj:
            continue
        kind = pc.object_type(obj)
        if kind in (path, text):
            yield obj, kind, parent
        elif kind == form_kind and depth < _MAX_FORM_DEPTH:
            form = _mult(_matrix(obj, out), parent)
            n = pc.form_count_objects(obj)
            for i in range(n - 1, -1, -1):
                stack.append((pc.form_get_object(obj, i) or 0, form, depth + 1))


def _segments(obj: int, to_device: Matrix, out: pc.Out) -> list[list[tuple[str, Point]]]:
    """A path's subpaths as pdfminer sees them: ops m / l / c (end point) / h."""
    subpaths: list[list[tuple[str, Point]]] = []
    current: list[tuple[str, Point]] = []
    bezier = 0
    x, y = out.f[0], out.f[1]
    x_at, y_at = out.f_at[0], out.f_at[1]
    a, b, c, d, e, f = to_device
    moveto, bezierto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
    get_segment, get_point, get_type, get_close = pc.path_segment, pc.segment_point, pc.segment_type, pc.segment_close
    for i in range(pc.path_count_segments(obj)):
        seg = get_segment(obj, i)
        get_point(seg, x_at, y_at)
        kind = get_type(seg)
        px, py = x.value, y.value
        pt = (a * px + c * py + e, b * px + d * py + f)
        if kind == moveto:
            if current:
                subpaths.append(current)
            current = [("m", pt)]
            bezier = 0
        elif kind == bezierto:
            bezier += 1
            if bezier % 3 == 0:
                current.append(("c", pt))
        else:
            current.append(("l", pt))
        if get_close(seg) and current:
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


def _path(obj: int, parent: Matrix, ctm: Matrix, place: _Placer, found: dict[str, list[dict[str, Any]]],
          out: pc.Out) -> None:
    """One painted path object as pdfplumber lines, rects and curves (unpainted ones draw nothing)."""
    if not pc.path_draw_mode(obj, out.i_at[0], out.i_at[1]):
        return
    fillmode, stroke = out.i[0].value, out.i[1].value
    if not stroke and not fillmode:
        return
    pc.stroke_width(obj, out.f_at[0])
    style = {
        "linewidth": float(out.f[0].value),
        "stroke": bool(stroke),
        "fill": bool(fillmode),
        "evenodd": fillmode == pdfium_c.FPDF_FILLMODE_ALTERNATE,
        "stroking_color": _color(pc.stroke_color, obj, out),
        "non_stroking_color": _color(pc.fill_color, obj, out),
        "dash": None,
        "mcid": None,
        "tag": None,
    }
    for sub in _segments(obj, _mult(_mult(_matrix(obj, out), parent), ctm), out):
        item = _path_objects(sub, style, place)
        if item is not None:
            found.setdefault(item["object_type"], []).append(item)


class _MinerFont:
    """What pdfminer knows of one font of the page: its descent and, for a CID font whose codes
    are its Unicode (a UCS-2 / UTF-16 CMap), each character's advance.

    pdfminer boxes a character with the widths the PDF lists; pdfium, for a font the PDF does
    not embed, with a substitute's glyph widths (ReportLab's and iText's STSong-Light digits:
    0.51 em in pdfium against the PDF's 0.462). Where the code of a character follows from its
    text, pdfminer's advance is used and the page need not be parsed by pdfminer.
    """

    __slots__ = ("descent", "source", "_unicode_coded", "_widths")

    def __init__(self, descent: float, font: Any, widths_known: bool = True) -> None:
        self.descent = descent
        self.source = font
        cmap = getattr(font, "cmap", None)
        name = str(getattr(cmap, "attrs", {}).get("CMapName", "")) if cmap is not None else ""
        self._unicode_coded = (
            widths_known and ("UCS2" in name or "UTF16" in name) and not getattr(font, "vertical", True)
        )
        self._widths: dict[int, float | None] = {}

    def advance(self, code: int) -> float | None:
        """The advance (in em) pdfminer gives the character `code`, None when it cannot be known."""
        if not self._unicode_coded:
            return None
        known = self._widths.get(code, _UNSEEN)
        if known is not _UNSEEN:
            return known  # type: ignore[return-value]
        width: float | None = None
        try:
            cids = list(self.source.decode(chr(code).encode("utf-16-be")))
            if len(cids) == 1:
                width = float(self.source.char_width(cids[0]))
        except _PDFMINER_ERRORS + (UnicodeError,):
            width = None
        self._widths[code] = width
        return width


_UNSEEN = object()


class _Fonts:
    """Base font name, descent and pdfminer's widths of each pdfium font handle, looked up once.

    A character's box hangs below its baseline by the font's descent. pdfminer takes it
    from the PDF's FontDescriptor (a standard font's metrics, a Type 3 font's FontBBox),
    pdfium often from the font program: they differ by up to 0.12 em (LibreOffice's Noto
    Sans CJK, 1.5 pt at 12.8 pt). pdfminer's own value is used wherever the page's font
    resources name the font unambiguously.
    """

    def __init__(self, pdfminer_fonts: dict[str, _MinerFont | None]) -> None:
        self._cache: dict[int, tuple[str, float, bool, _MinerFont | None]] = {}
        self._buffer = ctypes.create_string_buffer(256)
        self._pdfminer = pdfminer_fonts

    def info(self, handle: int) -> tuple[str, float, bool, _MinerFont | None]:
        """(base name, descent per point of size, embedded, pdfminer's font) of the font of the
        text object at address `handle`."""
        key = pc.text_object_font(handle) or 0 if handle else 0
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        name, descent, embedded, miner = "", 0.0, True, None
        font = ctypes.cast(ctypes.c_void_p(key), pdfium_c.FPDF_FONT) if key else None
        if font:
            embedded = pdfium_c.FPDFFont_GetIsEmbedded(font) == 1
            n = pdfium_c.FPDFFont_GetBaseFontName(font, self._buffer, len(self._buffer))
            name = self._buffer.raw[: max(n - 1, 0)].decode("latin-1") if n else ""
            miner = self._pdfminer.get(_bare(name))
            value = ctypes.c_float()
            if miner is not None:
                descent = miner.descent
            elif name and pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), value):
                # without a base name it is a Type 3 font: pdfium measures its glyphs, pdfminer
                # its FontBBox, ~0 below the baseline in the booklets seen
                descent = float(value.value)
        self._cache[key] = (name, descent, embedded, miner)
        return name, descent, embedded, miner


_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def _bare(name: str) -> str:
    """A font name without its subset tag (`ABCDEE+SimSun` → `SimSun`); pdfium drops it at times."""
    return _SUBSET_TAG.sub("", name)


@dataclass
class MinerFontMemo:
    """One document's pdfminer fonts: by font set (a booklet's pages share one or a few font
    dictionaries) and by font reference (a Word export gives every page a set of its own)."""

    by_set: dict[tuple[Any, ...], dict[str, _MinerFont | None]] = field(default_factory=dict)
    by_ref: dict[int, Any] = field(default_factory=dict)


def pdfminer_fonts(plumber_page: Any, memo: MinerFontMemo | None = None) -> dict[str, _MinerFont | None]:
    """pdfminer's view of every font in the page's resources, by bare name (None when two fonts
    of one name disagree on the descent); Type 3 fonts, which have no name in pdfium, under ``.

    `memo` holds the fonts and font sets already seen (building pdfminer's font objects is
    ~1.5 ms a page).
    """
    try:
        resources = resolve1(plumber_page.page_obj.resources) or {}
        fonts = resolve1(resources.get("Font")) or {} if isinstance(resources, dict) else {}
    except _PDFMINER_ERRORS:
        return {}
    if not isinstance(fonts, dict):
        return {}
    if memo is None or not all(isinstance(ref, PDFObjRef) for ref in fonts.values()):
        # inline font dictionaries have no identity to keep them by
        return _miner_fonts(plumber_page, fonts, None if memo is None else memo.by_ref)
    key = tuple(sorted((str(name), ref.objid) for name, ref in fonts.items()))
    if key not in memo.by_set:
        memo.by_set[key] = _miner_fonts(plumber_page, fonts, memo.by_ref)
    return memo.by_set[key]


def _miner_fonts(plumber_page: Any, fonts: dict[Any, Any], by_ref: dict[int, Any] | None
                 ) -> dict[str, _MinerFont | None]:
    out: dict[str, _MinerFont | None] = {}
    for ref in fonts.values():
        try:
            spec = resolve1(ref)
            if not isinstance(spec, dict):
                continue
            font = _metrics_font(plumber_page.pdf.rsrcmgr, ref, spec, by_ref)
            descent = float(font.get_descent())
        except _PDFMINER_ERRORS:
            continue  # a font pdfminer cannot build: pdfium's descent stands
        names = {""} if isinstance(font, PDFType3Font) else {
            _bare(n.decode("latin-1") if isinstance(n, bytes) else str(n))
            for n in (font.fontname, getattr(font, "basefont", None)) if n
        }
        for name in names:
            if name not in out:
                out[name] = _MinerFont(descent, font)
                continue
            seen = out[name]
            if seen is None or seen.descent != descent:
                out[name] = None
            elif seen.source is not font:  # two fonts of one name: which widths pdfium means is unknown
                out[name] = _MinerFont(descent, font, widths_known=False)
    return out


#: what a metrics font is given for its ToUnicode map: an empty one
_NO_UNICODE_MAP = PDFStream({}, b"")


def _metrics_font(rsrcmgr: Any, ref: Any, spec: dict[str, Any], by_ref: dict[int, Any] | None) -> Any:
    """pdfminer's font for its descent, widths and character codes, without its ToUnicode map.

    Parsing ToUnicode CMaps was 60% of building the fonts, and the text comes from pdfium.
    The font is built outside pdfminer's own font cache (`objid` None), so a page pdfminer
    still parses gets the whole font; `by_ref` keeps it for the document's other pages.
    """
    objid = ref.objid if isinstance(ref, PDFObjRef) else None
    if by_ref is not None and objid is not None and objid in by_ref:
        return by_ref[objid]
    lean = dict(spec)
    lean["ToUnicode"] = _NO_UNICODE_MAP
    font = rsrcmgr.get_font(None, lean)
    if by_ref is not None and objid is not None:
        by_ref[objid] = font
    return font


_PDFMINER_ERRORS = (PSException, KeyError, TypeError, ValueError, AttributeError)


def _page_unicode(textpage: Any, count: int) -> list[int]:
    """The Unicode of every character of the page in one call (one call per character otherwise)."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    units = list(buffer[: max(written - 1, 0)])
    if len(units) != count or any(0xD800 <= u <= 0xDFFF for u in units):  # characters beyond the BMP
        return [pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(count)]
    return units


def _chars(
    textpage: Any, ctm: Matrix, place: _Placer, fonts: _Fonts
) -> tuple[dict[int, list[dict[str, Any]]] | None, str]:
    """Every character pdfium drew, by the text object it belongs to; None and why when one
    is set at an angle (pdfminer's box is then another box) or is a CJK character of a font
    the PDF does not embed whose widths pdfminer's font cannot give from its text (predefined
    CMaps other than UCS-2 / UTF-16 ones: pdfium substitutes a font of other widths).

    pdfium's own spaces (where it sees a gap) are left out: pdfminer lists only the space
    glyphs a PDF draws, which `objects_for` puts back.
    """
    by_object: dict[int, list[dict[str, Any]]] = {}
    out = pc.Out()
    box, m = out.rect, out.matrix
    box_at, m_at = out.rect_at, out.matrix_at
    ox, oy = out.d
    ox_at, oy_at = out.d_at
    page = pc.address(textpage)
    last_handle, name, descent, embedded, fontsize = -1, "", 0.0, True, 0.0
    miner: _MinerFont | None = None
    drawn: list[dict[str, Any]] = []
    dm: Matrix = _IDENTITY
    ca, cb, cc, cd, ce, cf = ctm
    is_generated, get_matrix, font_size = pc.text_is_generated, pc.text_matrix, pc.text_font_size
    get_box, get_origin, text_object = pc.text_loose_box, pc.text_origin, pc.text_object
    box_of = place.box
    count = pdfium_c.FPDFText_CountChars(textpage)
    for i, code in enumerate(_page_unicode(textpage, count)):
        # pdfium generates only spaces and line breaks (the latter are in _NO_GLYPH)
        if code in _NO_GLYPH or (code == 0x20 and is_generated(page, i) == 1):
            continue
        handle = text_object(page, i) or 0
        if handle != last_handle or not handle:
            # one text object's characters come together and share its matrix and font
            get_matrix(page, i, m_at)
            # text space to pdfminer's device space: a page turned by /Rotate sets its text
            # upright there, and pdfplumber reads such a page like any other
            dm = _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
            if abs(dm[1]) > 1e-6 or dm[0] <= 0 or dm[3] <= 0:
                return None, "text set at an angle"
            last_handle, (name, descent, embedded, miner) = handle, fonts.info(handle)
            fontsize = float(font_size(page, i))
            drawn = by_object.setdefault(handle, [])
        get_origin(page, i, ox_at, oy_at)
        px, py = ox.value, oy.value
        x_origin, y_origin = ca * px + cc * py + ce, cb * px + cd * py + cf
        width = miner.advance(code) if not embedded and miner is not None else None
        if width is not None:
            adv = width * fontsize
        elif code >= _CJK_FIRST and not embedded:
            return None, "CJK text in a font the PDF does not embed"
        else:
            get_box(page, i, box_at)
            xa = ca * box.left + cc * box.bottom + ce
            xb = ca * box.right + cc * box.top + ce
            # pdfium's loose box is as wide as the advance, plus the slant of a slanted matrix
            adv = (abs(xb - xa) - abs(dm[2]) * fontsize) / dm[0]
        x0d, y0d, x1d, y1d = _char_box(dm, x_origin, y_origin, adv, fontsize, descent)
        drawn.append(_char(box_of(x0d, y0d, x1d, y1d), chr(code), name, adv, dm))
    return by_object, ""


def _char(obj: dict[str, Any], text: str, fontname: str, adv: float, dm: Matrix) -> dict[str, Any]:
    """A placed box completed to pdfplumber's char."""
    obj.update(
        object_type="char",
        text=text,
        fontname=fontname,
        size=obj["y1"] - obj["y0"],
        adv=adv,
        upright=True,
        matrix=dm,
        stroking_color=(0.0,),
        non_stroking_color=(0.0,),
        mcid=None,
        tag=None,
    )
    return obj


def _blank(obj: int, parent: Matrix, ctm: Matrix, place: _Placer, fonts: _Fonts, out: pc.Out,
           bounds: tuple[float, float, float, float]) -> dict[str, Any] | None:
    """A text object of blank glyphs only (spaces Word exports draw to pad a line or a cell;
    pdfium lists no text for them) as one space spanning them, in the box pdfminer gives each of
    those spaces; None when the object is not blank (it has ink: glyphs without Unicode, which
    pdfminer reads as `(cid:N)`) or is set at an angle.

    pdfplumber reads a blank only as a word break: one space over the run breaks words where
    the run's glyphs did (a cell's text never keeps a blank), so the page reads as from pdfminer.
    """
    dm = _mult(_mult(_matrix(obj, out), parent), ctm)
    size = ctypes.c_float()
    handle = ctypes.cast(ctypes.c_void_p(obj), pdfium_c.FPDF_PAGEOBJECT)
    if abs(dm[1]) > 1e-6 or dm[0] <= 0 or dm[3] <= 0 or not pdfium_c.FPDFTextObj_GetFontSize(handle, ctypes.byref(size)):
        return None
    fontsize = float(size.value)
    _, bottom, right, top = bounds
    if top - bottom > _NO_INK * fontsize * dm[3]:
        return None
    name, descent, _, _ = fonts.info(obj)
    left = dm[4]  # the first glyph's origin, where pdfminer's first space starts
    adv = (right - left) / dm[0]
    x0, y0, x1, y1 = _char_box(dm, left, dm[5], adv, fontsize, descent)
    return _char(place.box(x0, y0, x1, y1), " ", name, adv, dm)


def _char_box(
    dm: Matrix, x: float, y: float, adv: float, fontsize: float, descent: float
) -> tuple[float, float, float, float]:
    """pdfminer's LTChar box: the text-space box (0, descent) – (advance, descent + size)
    through the character's matrix from its origin (x, y); a slanted (synthetic italic)
    matrix widens it."""
    a, _, c, d, _, _ = dm
    low = descent * fontsize
    high = low + fontsize
    if c == 0 and adv >= 0:
        return x, y + d * low, x + a * adv, y + d * high
    xs = (c * low, c * high, a * adv + c * low, a * adv + c * high)
    return x + min(xs), y + d * low, x + max(xs), y + d * high


def _bounds(obj: int, parent: Matrix, ctm: Matrix, out: pc.Out) -> tuple[float, float, float, float]:
    pc.object_bounds(obj, *out.f_at)
    left, bottom, right, top = (v.value for v in out.f)
    to_device = _mult(parent, ctm)
    x0, y0 = _apply(to_device, left, bottom)
    x1, y1 = _apply(to_device, right, top)
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
    fonts_seen: MinerFontMemo | None = None,
    textpage: Any = None,
) -> tuple[dict[str, list[dict[str, Any]]] | None, str]:
    """The page's chars, lines, rects and curves as pdfplumber would list them, or None
    and the reason pdfium cannot give the same (text at an angle, glyphs it lists no
    text for). `textpage`: the page's pdfium text page when the caller has it already."""
    rotate = int(plumber_page.rotation)
    if rotate not in (0, 90, 180, 270):
        return None, f"page rotated by {rotate}°"
    mediabox = tuple(float(v) for v in plumber_page.page_obj.mediabox)
    ctm = page_ctm((mediabox[0], mediabox[1], mediabox[2], mediabox[3]), rotate)
    place = _Placer(plumber_page)
    own_text = textpage is None
    textpage = pdfium_page.get_textpage() if own_text else textpage
    fonts = _Fonts(pdfminer_fonts(plumber_page, fonts_seen))
    try:
        by_object, reason = _chars(textpage.raw, ctm, place, fonts)
    finally:
        if own_text:
            textpage.close()
    if by_object is None:
        return None, reason
    objects: dict[str, list[dict[str, Any]]] = {}
    chars: list[dict[str, Any]] = []
    out = pc.Out()
    for obj, kind, parent in _page_objects(pc.address(pdfium_page.raw), out):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _path(obj, parent, ctm, place, objects, out)
            continue
        drawn = by_object.pop(obj, None)
        if drawn:
            chars += drawn
            continue
        x0, y0, x1, y1 = _bounds(obj, parent, ctm, out)
        if x1 - x0 > _SPACE_WIDTH:
            blank = _blank(obj, parent, ctm, place, fonts, out, (x0, y0, x1, y1))
            if blank is None:
                return None, "glyphs pdfium gives no text for"
            chars.append(blank)
            continue
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
    left to pdfminer, and the tally says how many went which way and why. With `pages`
    (the document's passes share one pdfium document) a page already loaded for its text
    is not loaded again.
    """

    def __init__(self, path: Path, pages: PdfiumPages | None = None) -> None:
        self._own = pages is None
        self._pages = PdfiumPages(path) if pages is None else pages
        self.converted = 0
        self.parsed: Counter[str] = Counter()
        self._fonts = MinerFontMemo()

    def attach(self, plumber_page: Any, index: int) -> bool:
        if index >= len(self._pages):
            self.parsed["pdfium holds fewer pages"] += 1
            return False
        try:
            objects, reason = objects_for(
                self._pages.page(index), plumber_page, self._fonts, self._pages.textpage(index)
            )
        finally:
            self._pages.done(index)
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
        if self._own:
            self._pages.close()


#: a text object pdfium lists no character for is a drawn space when it has no width
_SPACE_WIDTH = 0.5
#: ... or blank glyphs when its box is at most this many em high (pdfium bounds glyphs by
#: their ink: spaces 0–0.03 em in Word's 宋体 exports; a rule or dash glyph is ≥ 0.05 em)
_NO_INK = 0.04
