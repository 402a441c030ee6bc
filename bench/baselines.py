"""The plain loops the pipeline is compared with, run as their own process by bench/truth.py.

    python bench/baselines.py plumber --jobs 1 FILE_LIST   # page.extract_tables() on every page
    python bench/baselines.py pdfium  --jobs 1 FILE_LIST   # pypdfium2 text of every page

FILE_LIST holds one PDF path a line. With --jobs N > 1 the documents are shared by a pool of N
processes (one document per task). Prints one JSON line: documents, pages, tables (or characters)
found, documents that failed to open.
"""

from __future__ import annotations

import argparse
import json
import sys
from multiprocessing import Pool
from pathlib import Path


def plumber_tables(path: str) -> tuple[int, int, int]:
    """(pages, tables, failed): pdfplumber's default table finder on every page, as a user would."""
    import pdfplumber

    pages = tables = 0
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                pages += 1
                page.close()  # frees the page's cached objects: memory stays per page, as in the pipeline
    except Exception:  # noqa: BLE001 - a loop a user writes would skip the file too
        return pages, tables, 1
    return pages, tables, 0


def pdfium_text(path: str) -> tuple[int, int, int]:
    """(pages, characters, failed): pypdfium2's text of every page."""
    import pypdfium2 as pdfium

    pages = chars = 0
    try:
        pdf = pdfium.PdfDocument(path)
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                chars += len(textpage.get_text_range())
                textpage.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001
        return pages, chars, 1
    return pages, chars, 0


LOOPS = {"plumber": plumber_tables, "pdfium": pdfium_text}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("loop", choices=sorted(LOOPS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("file_list", type=Path)
    args = parser.parse_args(argv)
    files = [line for line in args.file_list.read_text(encoding="utf-8").splitlines() if line]
    work = LOOPS[args.loop]
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            counts = list(pool.imap_unordered(work, files, chunksize=1))
    else:
        counts = [work(f) for f in files]
    found = "tables" if args.loop == "plumber" else "characters"
    print(json.dumps({"loop": args.loop, "jobs": args.jobs, "documents": len(files), "pages": sum(c[0] for c in counts),
                      found: sum(c[1] for c in counts), "failed": sum(c[2] for c in counts)}))


if __name__ == "__main__":
    main(sys.argv[1:])
