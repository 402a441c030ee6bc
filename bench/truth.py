"""A benchmark that tells the truth: the whole `opendisclosure run` against plain loops, same pages, one run.

    python bench/truth.py [--documents 300] [--corpus DIR] [--workers 2] [--no-growth] [--keep]
    make bench-corpus                      # the same, 300 documents

1. Builds (or reuses) the corpus: every PDF of ../shared/realdocs, samples/pdfs and
   samples/producers/pdfs, replicated with distinct bytes to --documents files (bench/corpus.py).
2. Runs, each as its own process, over the same files and pages:
   * pypdfium2 text of every page (one process);
   * the plain pdfplumber loop, `page.extract_tables()` on every page, in one process and in a pool
     of 2 processes (the fair comparison on 2 cores);
   * `opendisclosure run --workers W` cold (fresh --out, fresh PREFECT_HOME: no cache, Prefect's
     own first start), then warm (the same command again, nothing changed);
   * the cold run again on the first ¼ and ½ of the corpus (growth of wall time and memory).
3. Prints pages/s, documents/s, peak memory of each process tree (bench/proctree.py: sampled sum of
   RSS and PSS over every process of the tree, and the largest single process from wait4), the
   run's stages (Prefect's own task-run times from its database), the ratios and the issue's targets;
   writes bench/results/corpus-<N>.json (and latest-corpus.json).
4. Checks from the published package that every copy extracted like its first copy (pages, text
   hash, amounts printed and read, tables found).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import Corpus, CorpusFile, base_dirs, build_corpus, growth_sizes  # noqa: E402
from bench.proctree import Measured, run_measured  # noqa: E402

DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "opendisclosure-bench" / "corpus"
RESULTS = ROOT / "bench" / "results"
#: the issue's targets (issue 11 §6)
TARGET_COLD_OVER_PLUMBER = 3.0
TARGET_WARM_OVER_COLD = 0.10
TARGET_RSS_GROWTH = 0.20
TARGET_RSS_MIB = 1024.0


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    os_name = next((line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.system())
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kib / 2**20, 1),
            "python": platform.python_version(), "os": f"{os_name}, Linux {platform.release()}"}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _say(text: str) -> None:
    print(text, flush=True)


# --- the plain loops ------------------------------------------------------------------------------------


def baseline(loop: str, jobs: int, file_list: Path) -> dict[str, Any]:
    load_before = load()
    measured = run_measured([sys.executable, str(ROOT / "bench" / "baselines.py"), loop, "--jobs", str(jobs),
                             str(file_list)])
    if measured.returncode != 0:
        raise SystemExit(f"baseline {loop} --jobs {jobs} failed:\n" + "\n".join(line for _, line in measured.lines))
    counts = json.loads(measured.lines[-1][1])
    return {"name": f"{loop} x{jobs}", **counts, **measured.as_dict(), "load_before": load_before, "load_after": load()}


# --- the pipeline -----------------------------------------------------------------------------------------


def snapshot_code(into: Path) -> str:
    """The committed code (`git archive HEAD`) under `into`; returns the commit.

    The pipeline runs from this copy, never from the working tree: others edit that tree while the
    benchmark runs, and any edit under core/ extract/ schemas/ normalize/ changes the code version in
    the cache key, so a "warm" run would silently re-extract everything (it did, the first time).
    """
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True,
                             check=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return commit


def _pipeline_env(prefect_home: Path, code: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # embedded mode, as `make sample`
    env.update({"PREFECT_HOME": str(prefect_home), "PYTHONPATH": str(code), "COLUMNS": "200", "NO_COLOR": "1"})
    return env


def _summary_counts(lines: list[tuple[float, str]]) -> dict[str, int]:
    text = "\n".join(line for _, line in lines)
    counts = {key: int(m.group(1)) for key in ("ok", "partial", "quarantined")
              if (m := re.search(rf"documents {key}\W+(\d+)", text))}
    if m := re.search(r"amounts read / printed\W+(\d+) / (\d+)", text):
        counts["amounts_read"], counts["amounts_printed"] = int(m.group(1)), int(m.group(2))
    if m := re.search(r"line items\W+(\d+)", text):
        counts["line_items"] = int(m.group(1))
    return counts


def _when(text: str | None) -> float | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:  # Prefect stores UTC
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def stages(prefect_home: Path, measured: Measured) -> dict[str, Any]:
    """The run's stages from Prefect's database (its latest flow run): seconds each, and the tasks."""
    db = prefect_home / "prefect.db"
    if not db.is_file():
        return {"error": f"no {db}"}
    with sqlite3.connect(db) as con:
        flow = con.execute("SELECT id, start_time, end_time FROM flow_run ORDER BY created DESC LIMIT 1").fetchone()
        if flow is None:
            return {"error": "no flow run recorded"}
        tasks = con.execute("SELECT name, start_time, end_time, state_name FROM task_run WHERE flow_run_id = ?",
                            (flow[0],)).fetchall()
    t0, t_end = measured.started_at, measured.started_at + measured.wall_s
    flow_start, flow_end = _when(flow[1]), _when(flow[2])

    def span(prefix: str) -> tuple[float | None, float | None, list[float]]:
        picked = [(_when(s), _when(e)) for name, s, e, _ in tasks if name.startswith(prefix)]
        starts = [s for s, _ in picked if s is not None]
        ends = [e for _, e in picked if e is not None]
        durations = [e - s for s, e in picked if s is not None and e is not None]
        return (min(starts) if starts else None), (max(ends) if ends else None), durations

    _, docs_end, doc_durations = span("extract-document")
    assemble_start, assemble_end, _ = span("check-and-assemble")
    publish_start, publish_end, _ = span("publish-package")

    def gap(a: float | None, b: float | None) -> float | None:
        return round(b - a, 2) if a is not None and b is not None else None

    states: dict[str, int] = {}
    for name, _, _, state in tasks:
        if name.startswith("extract-document"):
            states[str(state)] = states.get(str(state), 0) + 1
    return {
        "startup_s": gap(t0, flow_start),  # interpreter, imports, Prefect's server, discovery
        "extraction_s": gap(flow_start, assemble_start),  # hashing, cache look-ups, every document
        "check_and_assemble_s": gap(assemble_start, assemble_end),
        "publish_s": gap(publish_start, publish_end),
        "finish_s": gap(publish_end, t_end),  # flow end, summary, Prefect's shutdown
        "flow_s": gap(flow_start, flow_end),
        "last_document_end_s": gap(flow_start, docs_end),
        "document_tasks": len(doc_durations),
        "document_task_states": states,  # Completed (extracted) or Cached
        "document_task_s_sum": round(sum(doc_durations), 1),
        "document_task_s_max": round(max(doc_durations), 2) if doc_durations else None,
    }


def pipeline(label: str, source: Path, out: Path, prefect_home: Path, workers: int, code: Path,
             extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """`opendisclosure run` of the code snapshot `code` (this venv's packages), measured."""
    command = [sys.executable, "-c", "from flows.cli import main; main()", "run", "--source", str(source),
               "--out", str(out), "--workers", str(workers), "--no-progress", *extra]
    load_before = load()
    measured = run_measured(command, env=_pipeline_env(prefect_home, code), cwd=code)
    if measured.returncode != 0:
        tail = "\n".join(line for _, line in measured.lines[-40:])
        raise SystemExit(f"{label}: `{' '.join(command)}` exited {measured.returncode}:\n{tail}")
    extracting = next((t for t, line in measured.lines if line.startswith("extracting ")), None)
    run_info = json.loads((out / "datapackage.json").read_text(encoding="utf-8")).get("opendisclosure:run", {})
    return {"name": label, "code_version": run_info.get("code_version"), **measured.as_dict(), "load_before": load_before, "load_after": load(),
            "summary": _summary_counts(measured.lines),
            "extracting_line_at_s": round(extracting, 2) if extracting is not None else None,
            # a run that found its package unchanged starts no flow: Prefect's latest is another run's
            "stages": ({"note": "nothing changed: the package was kept, no flow ran"}
                       if any("nothing changed since the package" in line for _, line in measured.lines)
                       else stages(prefect_home, measured))}


# --- checks of the published package ---------------------------------------------------------------------


def _documents_rows(out: Path) -> list[dict[str, Any]]:
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "documents")
    path = out / (resource["path"][0] if isinstance(resource["path"], list) else resource["path"])
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


SAME_FIELDS = ("pages", "text_sha256", "amounts_printed", "amounts_read", "tables_found", "doc_kind", "fiscal_year")


def copies_read_alike(out: Path, files: list[CorpusFile]) -> dict[str, Any]:
    """Every copy's `documents` row against its base's first copy: the fields extraction decides."""
    rows = {str(r["source_file"]): r for r in _documents_rows(out)}
    first: dict[str, str] = {}
    for f in files:
        first.setdefault(f.base, f.rel)
    missing = [f.rel for f in files if f.rel not in rows]
    differ = [f.rel for f in files if f.rel in rows and first[f.base] in rows
              and any(str(rows[f.rel].get(k)) != str(rows[first[f.base]].get(k)) for k in SAME_FIELDS)]
    statuses: dict[str, int] = {}
    for f in files:
        if f.rel in rows:
            key = f"{rows[f.rel]['status']}:{rows[f.rel].get('error_code') or ''}".rstrip(":")
            statuses[key] = statuses.get(key, 0) + 1
    return {"documents_rows": len(rows), "missing": missing, "differ": differ[:20], "differ_count": len(differ),
            "statuses": statuses, "compared_fields": list(SAME_FIELDS)}


# --- the report -------------------------------------------------------------------------------------------


def rate(pages: int, docs: int, seconds: float) -> str:
    return f"{pages / seconds:7.1f} pages/s {docs / seconds:6.2f} docs/s"


def row(r: dict[str, Any], pages: int, docs: int) -> str:
    return (f"{r['name']:<22} {r['wall_s']:8.1f} s {rate(pages, docs, r['wall_s'])}  cpu {r['cpu_s']:7.1f} s  "
            f"tree RSS {r['peak_tree_rss_mib']:6.0f} MiB  PSS {r['peak_tree_pss_mib']:6.0f} MiB  "
            f"largest process {r['max_single_rss_mib']:5.0f} MiB  load {r['load_before']}")


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def report(result: dict[str, Any]) -> None:
    pages, docs = result["corpus"]["pages"], result["corpus"]["documents"]
    runs = result["runs"]
    _say(f"\n== runs over the same {docs} documents, {pages} pages")
    for name in ("pdfium x1", "plumber x1", "plumber x2", "cold", "warm", "unchanged"):
        if name in runs:
            _say(row(runs[name], pages, docs))
    cold, warm = runs["cold"], runs["warm"]
    for name in ("cold", "warm"):
        st = runs[name]["stages"]
        _say(f"  {name} stages: startup {st.get('startup_s')} s, extraction {st.get('extraction_s')} s, "
             f"check-and-assemble {st.get('check_and_assemble_s')} s, publish {st.get('publish_s')} s, "
             f"finish {st.get('finish_s')} s; document tasks {st.get('document_tasks')} "
             f"{st.get('document_task_states')}, their seconds summed {st.get('document_task_s_sum')}")
    for name in ("cold", "warm"):
        procs = sorted(runs[name].get("at_peak", []), key=lambda p: -p["rss_mib"])
        _say(f"  {name} at its tree RSS peak: " + "; ".join(f"{p['rss_mib']:.0f} MiB {p['cmd'][:70]!r}" for p in procs))
    if result.get("growth"):
        _say("\n== growth (cold runs)")
        for g in result["growth"]:
            _say(f"  {g['documents']:4d} documents {g['pages']:5d} pages  {g['wall_s']:7.1f} s "
                 f"{g['pages'] / g['wall_s']:6.1f} pages/s  tree RSS {g['peak_tree_rss_mib']:6.0f} MiB  "
                 f"PSS {g['peak_tree_pss_mib']:6.0f} MiB  largest process {g['max_single_rss_mib']:5.0f} MiB")
    r = result["ratios"]
    _say("\n== ratios")
    _say(f"  pipeline cold / plumber loop (pages/s): {r['cold_over_plumber_x1']:.2f} (1 process), "
         f"{r['cold_over_plumber_x2']:.2f} (2 processes)")
    _say(f"  pipeline extraction stage only / plumber x2: {r.get('extraction_stage_over_plumber_x2')}")
    _say(f"  warm / cold (wall): {r['warm_over_cold']:.3f}; unchanged / cold: {r.get('unchanged_over_cold')}")
    _say(f"  plumber x2 / x1: {r['plumber_x2_over_x1']:.2f}; pdfium text / plumber x1: {r['pdfium_over_plumber_x1']:.1f}")
    _say("\n== targets (issue 11 §6)")
    for t in result["targets"]:
        _say(f"  {verdict(t['met']):8s} {t['target']}: {t['measured']}")
    check = result["copies_check"]
    _say(f"\n== copies: {check['documents_rows']} documents rows, {len(check['missing'])} missing, "
         f"{check['differ_count']} differ from their first copy in {', '.join(check['compared_fields'])}; "
         f"statuses {check['statuses']}")
    _say(f"cold: {cold['summary']}; warm: {warm['summary']}")


def markdown(result: dict[str, Any]) -> str:
    """The measured tables of a results JSON, as bench/README.md shows them."""
    pages, docs = result["corpus"]["pages"], result["corpus"]["documents"]
    runs = result["runs"]
    lines = ["| run | wall | pages/s | documents/s | CPU (user+sys) | peak tree RSS | peak tree PSS | largest process | load before |",
             "|---|---|---|---|---|---|---|---|---|"]
    titles = {"pdfium x1": "pypdfium2 text of every page, 1 process",
              "plumber x1": "plain pdfplumber loop (`extract_tables()` every page), 1 process",
              "plumber x2": "plain pdfplumber loop, pool of 2 processes",
              "cold": f"`opendisclosure run --workers {result['workers']}`, cold",
              "warm": "the same, warm (`--force`: every document answered by the cache, published again)",
              "unchanged": "the same, nothing changed (plain second run: the package is kept, no Prefect)"}
    for name, title in titles.items():
        if name not in runs:
            continue
        r = runs[name]
        lines.append(f"| {title} | {r['wall_s']:.1f} s | {pages / r['wall_s']:.1f} | {docs / r['wall_s']:.2f} | "
                     f"{r['cpu_s']:.0f} s | {r['peak_tree_rss_mib']:.0f} MiB | {r['peak_tree_pss_mib']:.0f} MiB | "
                     f"{r['max_single_rss_mib']:.0f} MiB | {r['load_before'].split()[0]} |")
    lines += ["", "| stage (Prefect's task-run times) | cold | warm |", "|---|---|---|"]
    for key, title in (("startup_s", "start-up: interpreter, imports, Prefect's embedded server, discovery"),
                       ("extraction_s", "extraction: hashing, cache look-ups, every document"),
                       ("check_and_assemble_s", "check-and-assemble (rules, resources, report)"),
                       ("publish_s", "publish (Parquet, CSV, workbook, atomic swap)"),
                       ("finish_s", "finish: flow end, summary, Prefect's shutdown")):
        lines.append(f"| {title} | {runs['cold']['stages'].get(key)} s | {runs['warm']['stages'].get(key)} s |")
    cold_states, warm_states = runs["cold"]["stages"].get("document_task_states"), runs["warm"]["stages"].get("document_task_states")
    lines.append(f"| document tasks | {cold_states} | {warm_states} |")
    if result.get("growth"):
        lines += ["", "| cold run at | documents | pages | wall | pages/s | peak tree RSS | peak tree PSS | largest process | load before |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for g, label in zip(result["growth"], ("¼", "½", "full"), strict=False):
            lines.append(f"| {label} | {g['documents']} | {g['pages']} | {g['wall_s']:.1f} s | {g['pages'] / g['wall_s']:.1f} | "
                         f"{g['peak_tree_rss_mib']:.0f} MiB | {g['peak_tree_pss_mib']:.0f} MiB | {g['max_single_rss_mib']:.0f} MiB | "
                         f"{g['load_before'].split()[0]} |")
    r = result["ratios"]
    lines += ["", "| ratio | measured |", "|---|---|",
              f"| pipeline cold / plumber loop, pages/s | {r['cold_over_plumber_x1']:.2f} (1 process), {r['cold_over_plumber_x2']:.2f} (2 processes) |",
              f"| pipeline extraction stage alone / plumber loop x2 | {r.get('extraction_stage_over_plumber_x2')} |",
              f"| warm / cold, wall | {r['warm_over_cold']:.3f} |",
              f"| unchanged / cold, wall | {r['unchanged_over_cold']:.3f} |" if r.get("unchanged_over_cold") else "",
              f"| plumber x2 / x1 | {r['plumber_x2_over_x1']:.2f} |",
              f"| pypdfium2 text / plumber x1 | {r['pdfium_over_plumber_x1']:.1f} |",
              "", "| target (issue 11 §6) | measured | |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | **{verdict(t['met'])}** |" for t in result["targets"]]
    return "\n".join(lines)


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    r, runs = result["ratios"], result["runs"]
    found = [
        {"target": f"cold >= {TARGET_COLD_OVER_PLUMBER:g}x the plain pdfplumber loop's pages/s on 2 cores (2 processes)",
         "measured": f"{r['cold_over_plumber_x2']:.2f}x", "met": r["cold_over_plumber_x2"] >= TARGET_COLD_OVER_PLUMBER},
        {"target": f"warm <= {TARGET_WARM_OVER_COLD:.0%} of cold",
         "measured": f"{r['warm_over_cold']:.1%} ({runs['warm']['wall_s']:.1f} s / {runs['cold']['wall_s']:.1f} s)",
         "met": r["warm_over_cold"] <= TARGET_WARM_OVER_COLD},
    ]
    growth = result.get("growth") or []
    if len(growth) >= 2:
        lo, hi = growth[0], growth[-1]
        change = hi["peak_tree_rss_mib"] / lo["peak_tree_rss_mib"] - 1
        found.append({"target": f"peak RSS flat (within {TARGET_RSS_GROWTH:.0%}) from 1/4 to full size (tree RSS)",
                      "measured": f"{lo['peak_tree_rss_mib']:.0f} -> {hi['peak_tree_rss_mib']:.0f} MiB ({change:+.0%})",
                      "met": abs(change) <= TARGET_RSS_GROWTH})
    peak = max([g["peak_tree_rss_mib"] for g in growth] + [runs["cold"]["peak_tree_rss_mib"], runs["warm"]["peak_tree_rss_mib"]])
    found.append({"target": f"peak RSS under {TARGET_RSS_MIB:.0f} MiB (tree RSS, every pipeline run)",
                  "measured": f"{peak:.0f} MiB", "met": peak < TARGET_RSS_MIB})
    return found


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=300, help="corpus size (default 300)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"corpus folder (default {DEFAULT_CORPUS})")
    parser.add_argument("--workers", type=int, default=2, help="opendisclosure run --workers (default 2)")
    parser.add_argument("--no-growth", action="store_true", help="skip the cold runs at 1/4 and 1/2 size")
    parser.add_argument("--keep", action="store_true", help="keep the packages and Prefect homes of the runs")
    parser.add_argument("--report", type=Path, help="only print the report of a results JSON written before")
    parser.add_argument("--markdown", action="store_true", help="with --report: as the tables of bench/README.md")
    args = parser.parse_args(argv)
    if args.report:
        written = json.loads(args.report.read_text(encoding="utf-8"))
        _say(markdown(written) if args.markdown else "")
        if not args.markdown:
            report(written)
        return
    started = time.time()
    info = machine()
    _say(f"machine: {info}; load {load()}")
    work = Path(tempfile.mkdtemp(prefix="opendisclosure-bench-"))
    try:
        code = work / "code"
        commit = snapshot_code(code)
        _say(f"code: HEAD {commit[:10]} (git archive) in {code}")
        corpus: Corpus = build_corpus(args.corpus, args.documents, base_dirs(code), _say)
        files = corpus.files
        file_list = work / "files.txt"
        file_list.write_text("".join(f"{f.path}\n" for f in files), encoding="utf-8")
        runs: dict[str, dict[str, Any]] = {}
        for loop, jobs in (("pdfium", 1), ("plumber", 1), ("plumber", 2)):
            _say(f"-- {loop} x{jobs} … (load {load()})")
            runs[f"{loop} x{jobs}"] = got = baseline(loop, jobs, file_list)
            _say(f"   {got['wall_s']} s, {got['pages']} pages, failed {got['failed']}")
        source = corpus.set_dir(args.documents)
        # warm: every document answered by the cache and the package published again (--force);
        # unchanged: the plain second run, which finds its package already made and keeps it
        for label, extra in (("cold", ()), ("warm", ("--force",)), ("unchanged", ())):
            _say(f"-- opendisclosure run, {label} {' '.join(extra)}… (load {load()})")
            runs[label] = got = pipeline(label, source, work / "out", work / "prefect", args.workers, code, extra)
            _say(f"   {got['wall_s']} s, stages {got['stages']}")
        copies = copies_read_alike(work / "out", files)
        growth = []
        if not args.no_growth:
            for size in growth_sizes(args.documents):
                if size == args.documents:
                    got = runs["cold"]
                else:
                    _say(f"-- opendisclosure run, cold, {size} documents … (load {load()})")
                    got = pipeline(f"cold {size}", corpus.set_dir(size), work / f"out-{size}", work / f"prefect-{size}",
                                   args.workers, code)
                    _say(f"   {got['wall_s']} s")
                growth.append({"documents": size, "pages": sum(f.pages for f in corpus.subset(size)),
                               **{k: got[k] for k in ("wall_s", "cpu_s", "peak_tree_rss_mib", "peak_tree_pss_mib",
                                                      "max_single_rss_mib", "load_before", "load_after")}})
    finally:
        if args.keep:
            _say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    pages, docs = corpus.pages, len(files)

    def pps(name: str) -> float:
        return pages / float(runs[name]["wall_s"])

    extraction_s = runs["cold"]["stages"].get("extraction_s")
    ratios = {
        "cold_over_plumber_x1": pps("cold") / pps("plumber x1"),
        "cold_over_plumber_x2": pps("cold") / pps("plumber x2"),
        "extraction_stage_over_plumber_x2": round(pages / extraction_s / pps("plumber x2"), 2) if extraction_s else None,
        "warm_over_cold": runs["warm"]["wall_s"] / runs["cold"]["wall_s"],
        "unchanged_over_cold": runs["unchanged"]["wall_s"] / runs["cold"]["wall_s"] if "unchanged" in runs else None,
        "plumber_x2_over_x1": pps("plumber x2") / pps("plumber x1"),
        "pdfium_over_plumber_x1": pps("pdfium x1") / pps("plumber x1"),
    }
    result: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/truth.py", *argv]),
        "machine": info,
        "git_commit": commit,
        "code_version": sorted({str(r.get("code_version")) for r in runs.values() if "code_version" in r}),
        "corpus": {"dir": str(corpus.root), "documents": docs, "pages": pages, "bases": len(corpus.bases),
                   "base_pages": sum(int(str(b["pages"])) for b in corpus.bases.values())},
        "workers": args.workers,
        "memory_measure": "tree RSS/PSS: sum over the run's process tree from /proc smaps_rollup, sampled every 0.25 s; "
                          "largest process: ru_maxrss from os.wait4 (waited-for descendants included)",
        "runs": runs, "growth": growth, "ratios": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in ratios.items()},
        "copies_check": copies, "total_s": round(time.time() - started, 1),
    }
    result["targets"] = targets(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    (RESULTS / f"corpus-{docs}.json").write_text(text, encoding="utf-8")
    (RESULTS / "latest-corpus.json").write_text(text, encoding="utf-8")
    report(result)
    _say(f"\nresults: {RESULTS / f'corpus-{docs}.json'} (bench total {result['total_s']} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
