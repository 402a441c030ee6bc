"""Fuzzing in the suite (issue 12 §7): a bounded, seeded mutation run over real-format PDFs.

Each mutant of a committed sample (three reportlab booklets with a classic xref table, a
LibreOffice and a Chromium export with xref and object streams) goes through `process_isolated`
under tight limits, two at a time, and must end as a `DocumentResult` that is `ok`, `partial` or
quarantined with a typed reason; whatever it publishes must be well-formed (Decimal values on
pages that exist). `extractor_error` — our own exception escaping the extractors — fails the run.

The bases are the samples shortened to two pages by an incremental update (tests/mutate.py
`keep_pages`: the producer's bytes untouched, a new page tree appended), so a mutant costs
~0.3 s instead of 2–6 s and a few hundred fit in about a minute on two cores. The whole samples
are the control: they and the shortened bases must read `ok`.

A failing case is replayed from its recipe alone (`seed=… index=…`, printed in the failure):

    from mutate import mutant
    data = mutant(fuzz_bases(), SEED, index).data

Run with `-s` to see the summary: outcome → count, slowest seconds.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import cache
from pathlib import Path

from mutate import KINDS, MUTATIONS, Mutant, keep_pages, mutant

from flows.isolation import GIB, IsolatedOutcome, Limits, process_isolated
from flows.settings import SAMPLES_DIR
from normalize.documents import DocumentResult

#: a longer or different run: OPENDISCLOSURE_FUZZ_MUTANTS=2000 OPENDISCLOSURE_FUZZ_SEED=7 pytest tests/flows/test_fuzz.py -s
SEED = int(os.environ.get("OPENDISCLOSURE_FUZZ_SEED", "20240612"))
#: 5 bases × 12 kinds × 3 rounds: ~0.3 s a mutant alone, about a minute with two workers on two idle cores
MUTANTS = int(os.environ.get("OPENDISCLOSURE_FUZZ_MUTANTS", "180"))
LIMITS = Limits(timeout_s=10, memory_bytes=1 * GIB, max_pages=200, workers=2)

PRODUCERS_DIR = SAMPLES_DIR.parent / "producers" / "pdfs"
#: (file, pages kept): the cover (identity) and one table page; each base reads `ok`
BASES: list[tuple[Path, list[int]]] = [
    *((path, [0, 3]) for path in sorted(SAMPLES_DIR.glob("*.pdf"))),  # reportlab: classic xref table
    (PRODUCERS_DIR / "calc_jiangxi_merged.pdf", [0, 2]),  # LibreOffice Calc: xref stream, one ObjStm
    (PRODUCERS_DIR / "chromium_water_borderless.pdf", [0, 3]),  # Chromium: nested page tree, 25 ObjStm
]

#: every code a quarantined document may carry: extract/document.py triage, flows/isolation.py limits,
#: normalize/documents.py `process_document_safely` (extractor_error: a bug of ours, must stay at 0)
QUARANTINE_CODES = {
    "not_a_pdf", "corrupt_pdf", "encrypted_pdf", "no_text_layer", "no_unicode_map", "not_a_disclosure",
    "unsupported_kind", "template_placeholder",
    "timeout", "memory_limit", "too_many_pages", "too_many_objects", "worker_crashed",
    "extractor_error",
}  # fmt: skip
BUGS = {"extractor_error"}


@cache
def fuzz_bases() -> dict[str, bytes]:
    return {path.name: keep_pages(path.read_bytes(), keep) for path, keep in BASES}


def problems_of(result: object, label: str) -> list[str]:
    """What is wrong with one outcome (empty: a well-formed result)."""
    if not isinstance(result, DocumentResult):
        return [f"{label}: not a DocumentResult but {type(result).__name__}"]
    doc = result.document
    out: list[str] = []
    if doc.status not in ("ok", "partial", "quarantined"):
        out.append(f"{label}: status {doc.status!r}")
    if doc.status == "quarantined" and doc.error_code not in QUARANTINE_CODES:
        out.append(f"{label}: quarantined with unknown code {doc.error_code!r}: {doc.error[:200]}")
    if doc.status == "partial" and not doc.error_code:
        out.append(f"{label}: partial without a reason")
    if doc.error_code in BUGS:
        out.append(f"{label}: {doc.error[:300]}")
    for item in result.line_items:
        if not isinstance(item.value_original, Decimal) or not 1 <= item.page <= doc.pages:
            out.append(f"{label}: bad line item {item.value_original!r} on page {item.page} of {doc.pages}")
            break
        if item.amount_yuan is not None and not isinstance(item.amount_yuan, Decimal):
            out.append(f"{label}: amount_yuan {item.amount_yuan!r} is not a Decimal")
            break
    return out


def outcome_key(result: DocumentResult) -> str:
    doc = result.document
    return "ok" if doc.status == "ok" else f"{doc.status}: {doc.error_code}"


def test_mutants_are_pure_functions_of_seed_and_index() -> None:
    bases = fuzz_bases()
    assert len({mutant(bases, SEED, i).kind for i in range(len(bases) * len(KINDS))}) == len(KINDS)
    for index in (0, 7, 59, 61, 179):
        case = mutant(bases, SEED, index)
        assert case == mutant(bases, SEED, index)
        assert case.data != bases[case.base], case.recipe
    assert mutant(bases, SEED, 3).data != mutant(bases, SEED + 1, 3).data
    assert set(KINDS) == {*MUTATIONS, "stacked"}


def _run(job: tuple[str, Path, Mutant | None]) -> tuple[str, Mutant | None, IsolatedOutcome]:
    label, path, case = job
    if case is not None:
        path.write_bytes(case.data)
    try:
        return label, case, process_isolated(path, path.name, "", LIMITS)
    finally:
        if case is not None:
            path.unlink()


def test_every_mutant_ends_ok_partial_or_typed_quarantine(tmp_path: Path) -> None:
    bases = fuzz_bases()
    controls: list[tuple[str, Path, Mutant | None]] = [(f"sample {p.name}", p, None) for p, _ in BASES]
    for name, data in bases.items():
        (tmp_path / f"base-{name}").write_bytes(data)
        controls.append((f"base {name}", tmp_path / f"base-{name}", None))
    cases = [mutant(bases, SEED, i) for i in range(MUTANTS)]
    jobs = controls + [(c.recipe, tmp_path / f"mutant-{c.index:04d}.pdf", c) for c in cases]
    t0 = time.monotonic()
    with ThreadPoolExecutor(LIMITS.workers) as pool:
        done = list(pool.map(_run, jobs))
    wall = time.monotonic() - t0

    problems: list[str] = []
    counts: Counter[str] = Counter()
    slowest: defaultdict[str, float] = defaultdict(float)
    for label, case, outcome in done:
        problems += problems_of(outcome.result, label)
        if case is None:
            if outcome.result.document.status != "ok":
                problems.append(f"control {label}: {outcome_key(outcome.result)} {outcome.result.document.error}")
            continue
        key = outcome_key(outcome.result)
        counts[key] += 1
        slowest[key] = max(slowest[key], outcome.seconds)

    print(f"\nfuzz: {len(cases)} mutants of {len(bases)} bases (seed {SEED}), {LIMITS.workers} workers, {wall:.1f} s")
    print(f"{'outcome':40} {'count':>5} {'max s':>6}")
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{key:40} {n:5} {slowest[key]:6.1f}")
    assert sum(counts.values()) == len(cases)
    assert not problems, "\n".join(problems)
    assert counts["ok"] > 0 and any(k.startswith("quarantined") for k in counts)
