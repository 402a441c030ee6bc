"""Speed and memory of extraction, measured here rather than asserted in timed tests.

Usage: python bench/run_bench.py [--workers N] [PDF or folder ...]   (default: samples + ../shared/realdocs)
Prints pages/s, peak RSS and number-accounting coverage (amounts read / amounts printed in the
standard tables) per document and in total; writes bench/results/latest.json.

Without --workers every document is read in this process, one after the other (the extractor's
own speed). With --workers N each document runs as `opendisclosure run` runs it: in its own
limited child process (flows/isolation.py), N at a time; peak RSS is then the child's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.discover import discover_pdfs  # noqa: E402
from flows.isolation import Limits, process_isolated  # noqa: E402
from normalize.documents import DocumentResult, process_document  # noqa: E402


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_process(path: Path) -> tuple[DocumentResult, float, float]:
    t0 = time.perf_counter()
    result = process_document(path, path.name)
    return result, time.perf_counter() - t0, _peak_rss_mb()


def main(args: list[str]) -> None:
    workers = 0
    if args[:1] == ["--workers"]:
        workers, args = int(args[1]), args[2:]
    sources = [Path(a) for a in args] or [ROOT / "samples" / "pdfs", ROOT.parent / "shared" / "realdocs"]
    files = [f for s in sources if s.exists() for f in discover_pdfs(s)]
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    if workers:
        from concurrent.futures import ThreadPoolExecutor

        limits = Limits(workers=workers)

        def isolated(path: Path) -> tuple[DocumentResult, float, float]:
            outcome = process_isolated(path, path.name, "", limits)
            return outcome.result, outcome.seconds, outcome.peak_rss_bytes / 2**20

        with ThreadPoolExecutor(workers) as pool:
            measured = list(pool.map(isolated, files))
    else:
        measured = [_in_process(path) for path in files]
    for path, (result, seconds, peak_mb) in zip(files, measured, strict=True):
        pages = result.document.pages
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "seconds": round(seconds, 3),
                "pages_per_s": round(pages / seconds, 1) if seconds else None,
                "status": result.document.status,
                "line_items": len(result.line_items),
                "amounts_printed": result.document.amounts_printed,
                "amounts_read": result.document.amounts_read,
                "coverage": str(result.document.coverage) if result.document.coverage is not None else None,
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
        doc = result.document
        coverage = f"{doc.amounts_read:4d}/{doc.amounts_printed:<4d}" if doc.amounts_printed else "   no table"
        print(f"{seconds:6.2f}s {pages:3d}p {pages / seconds:6.1f} p/s  {doc.status:11s} "
              f"{len(result.line_items):5d} items  read {coverage}  {path.name}")
    total = time.perf_counter() - started
    pages = sum(r["pages"] for r in rows)
    printed = sum(r["amounts_printed"] for r in rows)
    read = sum(r["amounts_read"] for r in rows)
    summary = {"workers": workers or "in-process", "documents": len(rows), "pages": pages, "seconds": round(total, 2),
               "amounts_printed": printed, "amounts_read": read,
               "coverage": round(read / printed, 4) if printed else None,
               "pages_per_s": round(pages / total, 1) if total else None, "peak_rss_mb": round(max([_peak_rss_mb()] + [r["peak_rss_mb"] for r in rows]), 1)}
    print(json.dumps(summary, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"summary": summary, "documents": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
