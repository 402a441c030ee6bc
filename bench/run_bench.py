"""Speed and memory of extraction, measured here rather than asserted in timed tests.

Usage: python bench/run_bench.py [PDF or folder ...]   (default: samples + ../shared/realdocs)
Prints pages/s and peak RSS per document and in total; writes bench/results/latest.json.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.discover import discover_pdfs  # noqa: E402
from normalize.documents import process_document  # noqa: E402


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(args: list[str]) -> None:
    sources = [Path(a) for a in args] or [ROOT / "samples" / "pdfs", ROOT.parent / "shared" / "realdocs"]
    files = [f for s in sources if s.exists() for f in discover_pdfs(s)]
    rows = []
    started = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        result = process_document(path, path.name)
        seconds = time.perf_counter() - t0
        pages = result.document.pages
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "seconds": round(seconds, 3),
                "pages_per_s": round(pages / seconds, 1) if seconds else None,
                "status": result.document.status,
                "line_items": len(result.line_items),
                "peak_rss_mb": round(_peak_rss_mb(), 1),
            }
        )
        print(f"{seconds:6.2f}s {pages:3d}p {pages / seconds:6.1f} p/s  {result.document.status:11s} "
              f"{len(result.line_items):5d} items  {path.name}")
    total = time.perf_counter() - started
    pages = sum(r["pages"] for r in rows)
    summary = {"documents": len(rows), "pages": pages, "seconds": round(total, 2),
               "pages_per_s": round(pages / total, 1) if total else None, "peak_rss_mb": round(_peak_rss_mb(), 1)}
    print(json.dumps(summary, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"summary": summary, "documents": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
