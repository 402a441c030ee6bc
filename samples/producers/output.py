"""Write a producer PDF's ground truth, and make a tool's PDF bytes reproducible.

Why apart: every producer ends the same way — truth rows and the tables manifest in
the format of samples/ground_truth/ — and LibreOffice and Chromium stamp the
current time into the PDF, which would churn git on every regeneration. qpdf
(a command-line tool, no Python dependency) rewrites the file with fixed dates and
a content-derived /ID; without qpdf the PDF is kept as the tool wrote it.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from samples.generator import TABLES_COLUMNS, TRUTH_COLUMNS
from samples.render import PlacedTruth, TableRecord

FIXED_DATE = b"D:20250101000000Z"
_INFO_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\()[^)]*(\))")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(<)")
_ID = re.compile(rb"/ID \[<[0-9a-fA-F]*><[0-9a-fA-F]*>\]")
_DOC_CHECKSUM = re.compile(rb"\s*/DocChecksum /[0-9A-F]+")  # LibreOffice: a checksum that includes the time


def write_csv(path: Path, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def write_truth(pdf: Path, truths: list[PlacedTruth], tables: list[TableRecord]) -> None:
    """`<name>.csv` (one row per printed number) and `<name>.tables.csv` beside the PDF."""
    rows: list[tuple[object, ...]] = [
        (p.table_code, p.page, p.truth.subject_code, p.truth.line_label, p.truth.measure, p.truth.value,
         p.truth.unit)
        for p in truths
    ]
    write_csv(pdf.with_suffix(".csv"), TRUTH_COLUMNS, rows)
    manifest: list[tuple[object, ...]] = [
        (
            t.code,
            t.title,
            ";".join(str(p) for p in t.pages),
            "true" if t.header_repeated and len(t.pages) > 1 else "false",
            sum(1 for p in truths if p.table_code == t.code),
        )
        for t in tables
    ]
    write_csv(pdf.with_name(f"{pdf.stem}.tables.csv"), TABLES_COLUMNS, manifest)


def reproducible(pdf: Path) -> bool:
    """Rewrite `pdf` in place with fixed dates and a deterministic /ID; False when qpdf is absent."""
    qpdf, fix = shutil.which("qpdf"), shutil.which("fix-qdf")
    if not qpdf or not fix:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        qdf = Path(tmp) / "a.qdf"
        subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(pdf), str(qdf)], check=True)
        data = _INFO_DATE.sub(rb"\g<1>" + FIXED_DATE + rb"\g<2>", qdf.read_bytes())
        data = _XMP_DATE.sub(rb"\g<1>2025-01-01T00:00:00Z\g<2>", data)
        data = _DOC_CHECKSUM.sub(b"", _ID.sub(b"/ID [<00><00>]", data))
        fixed = Path(tmp) / "b.qdf"
        fixed.write_bytes(subprocess.run([fix], input=data, capture_output=True, check=True).stdout)
        subprocess.run(
            [qpdf, "--deterministic-id", "--object-streams=generate", "--compress-streams=y",
             "--recompress-flate", "--compression-level=9", str(fixed), str(pdf)],
            check=True,
        )
    return True
