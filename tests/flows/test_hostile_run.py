"""One real run with good samples and every hostile kind: it ends, good documents publish, each
hostile one is listed with its reason; parallel and sequential runs publish the same data."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from badpdfs import (
    broken_page_tree_pdf,
    cid_font_pdf,
    decompression_bomb_pdf,
    deep_nesting_pdf,
    deep_page_tree_pdf,
    length_cycle_pdf,
    many_pages_pdf,
    many_rects_pdf,
    mediabox_cycle_pdf,
)

from flows.isolation import MIB, Limits
from flows.settings import SAMPLES_DIR

pytestmark = pytest.mark.prefect

GBK_NAME = os.fsdecode("测试".encode("gbk") + b".pdf")
#: small limits keep the test fast; the cycle hangs until the timeout, so it is the test's floor
LIMITS = Limits(timeout_s=15, memory_bytes=768 * MIB, max_pages=50, workers=2)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("hostile-source")
    for pdf in sorted(SAMPLES_DIR.glob("*.pdf")):
        shutil.copy(pdf, src / pdf.name)
    mediabox_cycle_pdf(src / "cycle.pdf")
    decompression_bomb_pdf(src / "bomb.pdf", inflated_bytes=1 << 30)
    many_pages_pdf(src / "many.pdf", pages=5000)
    deep_nesting_pdf(src / "deep.pdf", depth=100_000)
    deep_page_tree_pdf(src / "deep_tree.pdf", depth=5000)
    many_rects_pdf(src / "rects.pdf", rects=200_000)
    length_cycle_pdf(src / "length_cycle.pdf")
    broken_page_tree_pdf(src / "broken_tree.pdf")
    cid_font_pdf(src / "cid.pdf")
    (src / "dangling.pdf").symlink_to(src / "gone.pdf")
    os.mkfifo(src / "pipe.pdf")
    shutil.copy(sorted(SAMPLES_DIR.glob("*.pdf"))[0], src / GBK_NAME)
    return src


def _documents(out: Path) -> dict[str, dict[str, str]]:
    with (out / "data" / "documents.csv").open(encoding="utf-8-sig") as fh:
        return {row["source_file"]: row for row in csv.DictReader(fh)}


def test_hostile_inputs_are_listed_and_good_documents_publish(
    prefect_harness: None, source: Path, tmp_path: Path
) -> None:
    from flows.run import run_flow

    out = tmp_path / "out"
    summary = run_flow(source=source, out=out, show_progress=False, limits=LIMITS)
    docs = _documents(out)
    expected = {
        "cycle.pdf": "timeout",
        "bomb.pdf": "memory_limit",
        "many.pdf": "too_many_pages",
        "deep.pdf": "not_a_disclosure",  # read to the end, never a RecursionError (extractor_error)
        "deep_tree.pdf": "corrupt_pdf",
        "rects.pdf": "too_many_objects",
        "length_cycle.pdf": "timeout",
        "broken_tree.pdf": "corrupt_pdf",
        "cid.pdf": "no_unicode_map",
        "dangling.pdf": "not_a_regular_file",
        "pipe.pdf": "not_a_regular_file",
    }
    for name, code in expected.items():
        assert (docs[name]["status"], docs[name]["error_code"]) == ("quarantined", code), docs[name]["error"]
    samples = [p.name for p in SAMPLES_DIR.glob("*.pdf")]
    gbk = "\\xb2\\xe2\\xca\\xd4.pdf"
    assert docs[gbk]["error_code"] == "duplicate_file"  # the non-UTF-8 name publishes (a copy of a sample)
    assert all(docs[n]["status"] == "ok" for n in samples)
    assert summary.documents_ok == len(samples)
    assert {name for name, _ in summary.quarantined} >= set(expected)


def test_parallel_and_sequential_runs_publish_the_same_data(prefect_harness: None, tmp_path: Path) -> None:
    from flows.run import run_flow

    tables = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        run_flow(source=SAMPLES_DIR, out=out, show_progress=False, limits=Limits(timeout_s=120, workers=workers))
        tables[workers] = {p.name: pq.read_table(p) for p in sorted((out / "data").glob("*.parquet"))}
    assert tables[1].keys() == tables[2].keys()
    for name, table in tables[1].items():
        assert table.equals(tables[2][name]), name


def test_allow_empty_publishes_an_empty_package(prefect_harness: None, tmp_path: Path) -> None:
    from flows.guard import SourceRefused
    from flows.run import run_flow

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceRefused):
        run_flow(source=empty, out=tmp_path / "out", show_progress=False)
    summary = run_flow(source=empty, out=tmp_path / "out", show_progress=False, allow_empty=True)
    assert summary.documents_ok == summary.documents_quarantined == 0
    assert _documents(tmp_path / "out") == {}
