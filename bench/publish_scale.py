"""What checking, assembling and publishing cost as the number of *published* documents grows.

    python bench/publish_scale.py [--copies 1 4 16]     # 39, 156, 624 documents

Why a second benchmark: bench/truth.py replicates the 39 bench PDFs with distinct bytes but the
same text, so the run publishes each booklet once and records the other copies as
`duplicate_text`: its check-and-assemble and publish stages see 37 published documents at
every size, and their time and memory cannot grow there. A real province publishes ~1,100
distinct documents a year; this script measures that part of the run on distinct documents.

1. Extracts the 39 bench files once, in this process (`process_document_safely`).
2. For each size, in a fresh process (so the peak is that size's own): copy k of a result gets
   new identifiers (doc_id, sha256, text hash, department, department and disclosure ids, file
   name) in every record that carries them, so copies are distinct documents of distinct
   departments with the same figures; then `deduplicate`, `package_content` (every rule, the
   report, the Excel workbook) and `publish_package` (Parquet, CSV, validation, atomic swap) into
   a temporary folder, as a run does after extraction (`flows/run.py`), without Prefect.
3. Prints, per size: published documents, line items, seconds of content (of which the
   workbook) and of publishing, the next run's CHANGELOG comparison against the package just
   published (seconds, then its peak of Python memory by tracemalloc in a second, traced call), RSS once the results are loaded and the peak (`ru_maxrss`);
   writes bench/results/publish-scale.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import base_dirs, base_pdfs  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every string field equal to a key of `names` replaced, records rebuilt."""
    if isinstance(value, str):
        return names.get(value, value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: renamed(getattr(value, f.name), names) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, list):
        return [renamed(v, names) for v in value]
    if isinstance(value, tuple):
        return tuple(renamed(v, names) for v in value)
    if isinstance(value, dict):
        return {renamed(k, names): renamed(v, names) for k, v in value.items()}
    return value


def copy_of(result: Any, k: int) -> Any:
    """Copy k (k ≥ 1) of a DocumentResult as a distinct document of a distinct department."""
    doc = result.document
    tag = f"{k:04x}"
    names = {doc.source_file: f"copy{k}-{doc.source_file}"}
    for value in (doc.doc_id, doc.sha256, doc.text_sha256):
        if value:
            names[value] = value[:-4] + tag if len(value) > 4 else value + tag
    if doc.department:  # ids as the pipeline derives them from the name (the departments resource does too)
        from normalize.departments import canonical_name, department_id, disclosure_id

        name = f"{doc.department}（副本{k}）"
        names[doc.department] = name
        new_id = department_id(canonical_name(name)[0])
        if doc.department_id:
            names[doc.department_id] = new_id
        if doc.disclosure_id:
            names[doc.disclosure_id] = disclosure_id(new_id, doc.fiscal_year, doc.doc_kind)
    return renamed(result, names)


def measure_size(bases_pickle: Path, copies: int) -> dict[str, Any]:
    """Run in a fresh process: assemble and publish `copies` × the base results."""
    import flows.content as content_module
    from datapackage.changes import package_changes
    from datapackage.publish import publish_package
    from flows.isolation import status_bytes
    from normalize.documents import deduplicate
    from normalize.spool import ResultSpool

    def rss_mib() -> float:
        return status_bytes("self", "VmRSS") / 2**20

    workbook_seconds = [0.0]
    from datapackage.workbook import workbook_bytes as real_workbook

    def timed_workbook(content: Any) -> bytes:
        started = time.perf_counter()
        try:
            return real_workbook(content)
        finally:
            workbook_seconds[0] += time.perf_counter() - started

    content_module.start_workbook = timed_workbook  # made here, timed (a run makes it in a child meanwhile)
    bases = pickle.loads(bases_pickle.read_bytes())
    start_rss = rss_mib()
    # each copy put in the result spool as a run puts each result from its child (flows/run.py):
    # distinct documents, on disk, only their records in memory
    spool = ResultSpool()
    for n, (k, r) in enumerate((k, r) for k in range(copies) for r in bases):
        spool.put(n, copy_of(r, k) if k else r)
    results = spool.results()
    loaded_rss = rss_mib()
    started = time.perf_counter()
    content = content_module.package_content(deduplicate(results), {"code_version": "bench", "source": "bench"})
    content_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        published = publish_package(content, Path(tmp) / "package")
        publish_s = time.perf_counter() - started
        # the next run's CHANGELOG: every figure of the package just published against the new
        # content (the same here), as flows/content.with_changelog compares them before a swap
        started = time.perf_counter()
        package_changes(published.out_dir, content)
        changes_s = time.perf_counter() - started
        tracemalloc.start()  # a second time for its memory: tracing slows it several times over
        package_changes(published.out_dir, content)
        changes_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {
        "documents": len(results),
        "published": sum(d.status != "quarantined" for d in content.documents),
        "line_items": published.rows.get("line_items", 0),
        "content_s": round(content_s, 2),
        "workbook_s": round(workbook_seconds[0], 2),
        "publish_s": round(publish_s, 2),
        "changes_s": round(changes_s, 2),
        "changes_peak_mib": round(changes_peak, 1),
        "spool_reads": spool.loads,
        "rss_start_mib": round(start_rss),
        "rss_loaded_mib": round(loaded_rss),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_size(Path(args.child[0]), int(args.child[1]))))
        return
    from normalize.documents import process_document_safely

    pdfs = base_pdfs(base_dirs())
    print(f"extracting the {len(pdfs)} bench files once …", flush=True)
    bases = [process_document_safely(p, p.name) for p in pdfs]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pickled = Path(tmp) / "bases.pickle"
        pickled.write_bytes(pickle.dumps(bases))
        for copies in args.copies:
            done = subprocess.run([sys.executable, __file__, "--child", str(pickled), str(copies)],
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"{copies} copies failed:\n{done.stderr[-3000:]}")
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(row, flush=True)
    header = "| documents | published | line items | content (s) | of which workbook (s) | publish (s) |" \
             " changelog (s) | changelog peak (tracemalloc) | RSS results loaded | peak RSS |"
    print("\n" + header + "\n|" + "---|" * 10)
    for r in rows:
        print(f"| {r['documents']} | {r['published']} | {r['line_items']:,} | {r['content_s']} | {r['workbook_s']} |"
              f" {r['publish_s']} | {r.get('changes_s', '')} | {r.get('changes_peak_mib', '')} MiB"
              f" | {r['rss_loaded_mib']} MiB | {r['peak_rss_mib']} MiB |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        extra = last["published"] - first["published"]
        if extra > 0:
            per_doc_s = (last["content_s"] + last["publish_s"] - first["content_s"] - first["publish_s"]) / extra
            per_doc_mib = (last["peak_rss_mib"] - first["peak_rss_mib"]) / extra
            print(f"\nper published document: {per_doc_s:.3f} s of content + publish, {per_doc_mib:.2f} MiB of peak RSS")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "publish-scale.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
