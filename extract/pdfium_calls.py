"""pdfium's functions for the per-object and per-character loops, called with plain addresses.

pypdfium2's bindings type every handle (`LP_fpdf_pageobject_t__`, …): each call builds a
pointer object for what it returns and checks the type of what it is given, and telling
two text objects apart needs a `ctypes.cast`. A table page makes tens of thousands of such
calls (one path is ~20), so the conversion of a page's objects spent more time in ctypes
than in pdfium. The same C functions are re-declared here taking and returning addresses
(ints): the same calls, the same results, about half the cost.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as pdfium_c

_P = ctypes.c_void_p
_I = ctypes.c_int


def _declare(function: Any, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address, "pdfium's function has no address"
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def address(handle: Any) -> int:
    """The address of a pypdfium2 handle (0 for none)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0 if handle else 0


# page and form objects
page_count_objects = _declare(pdfium_c.FPDFPage_CountObjects, _I, _P)
page_get_object = _declare(pdfium_c.FPDFPage_GetObject, _P, _P, _I)
form_count_objects = _declare(pdfium_c.FPDFFormObj_CountObjects, _I, _P)
form_get_object = _declare(pdfium_c.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
object_type = _declare(pdfium_c.FPDFPageObj_GetType, _I, _P)
object_matrix = _declare(pdfium_c.FPDFPageObj_GetMatrix, _I, _P, _P)
object_bounds = _declare(pdfium_c.FPDFPageObj_GetBounds, _I, _P, _P, _P, _P, _P)
stroke_width = _declare(pdfium_c.FPDFPageObj_GetStrokeWidth, _I, _P, _P)
stroke_color = _declare(pdfium_c.FPDFPageObj_GetStrokeColor, _I, _P, _P, _P, _P, _P)
fill_color = _declare(pdfium_c.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)

# paths
path_draw_mode = _declare(pdfium_c.FPDFPath_GetDrawMode, _I, _P, _P, _P)
path_count_segments = _declare(pdfium_c.FPDFPath_CountSegments, _I, _P)
path_segment = _declare(pdfium_c.FPDFPath_GetPathSegment, _P, _P, _I)
segment_point = _declare(pdfium_c.FPDFPathSegment_GetPoint, _I, _P, _P, _P)
segment_type = _declare(pdfium_c.FPDFPathSegment_GetType, _I, _P)
segment_close = _declare(pdfium_c.FPDFPathSegment_GetClose, _I, _P)

# text pages and text objects
text_object = _declare(pdfium_c.FPDFText_GetTextObject, _P, _P, _I)
text_is_generated = _declare(pdfium_c.FPDFText_IsGenerated, _I, _P, _I)
text_matrix = _declare(pdfium_c.FPDFText_GetMatrix, _I, _P, _I, _P)
text_font_size = _declare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _P, _I)
text_loose_box = _declare(pdfium_c.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
text_origin = _declare(pdfium_c.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)
text_object_font = _declare(pdfium_c.FPDFTextObj_GetFont, _P, _P)


class Out:
    """Output slots reused across calls, with their addresses computed once."""

    def __init__(self) -> None:
        self.matrix = pdfium_c.FS_MATRIX()
        self.rect = pdfium_c.FS_RECTF()
        self.d = (ctypes.c_double(), ctypes.c_double())
        self.f = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        self.i = (ctypes.c_int(), ctypes.c_int())
        self.u = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
        self.matrix_at = ctypes.addressof(self.matrix)
        self.rect_at = ctypes.addressof(self.rect)
        self.d_at = tuple(ctypes.addressof(v) for v in self.d)
        self.f_at = tuple(ctypes.addressof(v) for v in self.f)
        self.i_at = tuple(ctypes.addressof(v) for v in self.i)
        self.u_at = tuple(ctypes.addressof(v) for v in self.u)
