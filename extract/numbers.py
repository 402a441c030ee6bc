"""The one place numbers and codes are parsed from printed text.

Amounts become `Decimal` exactly as printed (never float): thousands separators and
full-width digits are folded, blanks and dashes (`—`, `——`, `-`, `－`) mean "nothing
printed", and anything else that is not a number is reported as not a number so the
caller can decide (a label, a header, a wrapped fragment).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from extract.text import squash

_AMOUNT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_NOTHING = {"", "-", "--", "—", "——", "－", "―", "――", "/", "—/—"}
_PERCENT = re.compile(r"^[-+]?\d+(\.\d+)?%$")
_DIGITS = re.compile(r"^\d+$")


def is_blank(text: str | None) -> bool:
    """True for cells that print no value (blank, dashes)."""
    return squash(text).replace("－", "-") in _NOTHING


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount; None when the cell holds no number.

    Accepts `12,653.82`, `0.00`, `-3.5`, `(3.50)`-free plain forms only: a cell
    that is a label or a fragment returns None rather than a guess.
    """
    s = squash(text)
    if s in _NOTHING:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if not _AMOUNT.match(s):
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - regex guarantees a number
        return None
    return -value if negative else value


def code_digits(text: str | None) -> str:
    """The digits of a printed code cell, or "" if the cell is not a code."""
    s = squash(text)
    return s if _DIGITS.match(s) else ""


def join_code(lei: str, kuan: str = "", xiang: str = "") -> str:
    """Join a code split over 类/款/项 columns: `201`,`06`,`01` → `2010601`.

    A 款/项 part printed as the full code (`20106`) is accepted as such: some
    documents repeat the parent in the child column. A one-digit part (`301 | 2`,
    Shanghai's WPS budget) lost its leading zero on the way from a spreadsheet.
    """
    code = lei
    for part in (kuan, xiang):
        if not part:
            break
        if code and part.startswith(code) and len(part) > len(code):
            code = part
        else:
            code += part.zfill(2)  # `2` for `02`: a spreadsheet dropped the leading zero
    return code


def parse_percent(text: str | None) -> Decimal | None:
    """A printed percentage (`100%`, `99.5%`, `100 %`) as the Decimal before the sign; None otherwise."""
    s = squash(text)
    if not _PERCENT.match(s):
        return None
    return Decimal(s[:-1].lstrip("+"))
