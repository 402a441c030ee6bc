"""File names are data: any bytes a file system holds are published as valid UTF-8, reversibly.

POSIX names are bytes. Python decodes the bytes that are not UTF-8 (GBK names from Chinese
Windows zips) to lone surrogates (`surrogateescape`), which no UTF-8 writer accepts. The package
therefore holds `publishable_name(name)`:

- a name that is valid UTF-8 and has no backslash is unchanged (nearly every name);
- otherwise each backslash is doubled and each byte that is not UTF-8 becomes `\\xNN`.

`original_name(published)` gives the original bytes back (`os.fsdecode` of them opens the file).
"""

from __future__ import annotations

import os
import re

_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def publishable_name(name: str) -> str:
    raw = os.fsencode(name)
    text = raw.decode("utf-8", "surrogateescape")
    if "\\" not in text and not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch)
    return "".join(out)


def original_name(published: str) -> bytes:
    """The bytes of the file name `publishable_name` was given."""
    parts: list[bytes] = []
    pos = 0
    for match in _ESCAPE.finditer(published):
        parts.append(published[pos : match.start()].encode("utf-8"))
        token = match.group(1)
        parts.append(b"\\" if token == "\\" else bytes([int(token[1:], 16)]))
        pos = match.end()
    parts.append(published[pos:].encode("utf-8"))
    return b"".join(parts)
