"""What a workbook was made from, kept inside it, so the next run can tell it would make the same one.

    key = inputs_key(content_bytes, item_files)   # the pickled content + the files its line items are in
    workbook_bytes(content, inputs=key)            # kept as the custom property INPUTS_PROPERTY
    made_from(previous_xlsx) == key                # True: that workbook is the one this run would make

Why: the workbook is the slowest file of a package (≈4.4 s of CPU for 300 documents: XlsxWriter
writes cell by cell) and a pure function of what it is given — the content's records, its line
items, its run_info, and the code that lays it out. A run whose content is the content of the
package it replaces (a `--force` run over unchanged files: run_info holds their hashes) would
make the same workbook again, so it takes the published one instead (flows/background_workbook.py).
The key covers every input, including this code (`datapackage/`, `core/`, `normalize/`) and
XlsxWriter's version, so a changed layout or a changed record never matches. A key that cannot
be read or differs means "make it": reuse is a saving, never a guess.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import xlsxwriter

#: the custom document property (File › Properties › Custom in Excel) holding the key
INPUTS_PROPERTY = "opendisclosure_inputs"
_CUSTOM_XML = "docProps/custom.xml"
#: the code whose output the workbook is: its layout, the records it reads, the spool it reads them from
_CODE_DIRS = ("datapackage", "core", "normalize")
_PROPERTY = re.compile(rf'name="{INPUTS_PROPERTY}"[^>]*>\s*<vt:lpwstr>([0-9a-f]{{64}})</vt:lpwstr>')


@cache
def layout_code_version() -> str:
    """Hash of the code a workbook's bytes depend on, and of XlsxWriter's version."""
    digest = hashlib.sha256(xlsxwriter.__version__.encode())
    root = Path(__file__).resolve().parent.parent
    for folder in _CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_key(content: bytes, item_files: Iterable[Path] = ()) -> str:
    """One hash of everything a workbook is made from: `content` (the pickled PackageContent, its
    line items by reference) and the bytes of `item_files` (where those line items are read from)."""
    digest = hashlib.sha256(layout_code_version().encode())
    digest.update(hashlib.sha256(content).digest())
    for path in item_files:
        file_digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                file_digest.update(chunk)
        digest.update(file_digest.digest())
    return digest.hexdigest()


def made_from(workbook: Path | bytes) -> str | None:
    """The key `workbook` (a file, or its bytes) was made from; None when it has none or cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook) as archive:
            custom = archive.read(_CUSTOM_XML).decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    found = _PROPERTY.search(custom)
    return found.group(1) if found else None
