"""The flow reads Prefect's cache itself before submitting a task (flows/document_cache.py).

A document answered there costs no task run; one it does not answer is extracted by its task
run, which persists the result for the next run. The look-up must mean what Prefect's own means:
the same store and key, expired or unreadable records are misses, `refresh_cache` extracts again.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.settings import SAMPLES_DIR

SAMPLES = ("jiangxi_trade_unions_2024.pdf", "synthetic_water_bureau_2024.pdf")


def _store(path: Path):  # noqa: ANN202 - a ResultStore
    from prefect.filesystems import LocalFileSystem
    from prefect.results import ResultStore

    return ResultStore(result_storage=LocalFileSystem(basepath=str(path)))


def test_a_persisted_value_is_answered_and_expired_or_broken_records_are_misses(tmp_path: Path) -> None:
    from prefect.types._datetime import now

    from flows.document_cache import cached_value

    store = _store(tmp_path)
    store.write({"doc": 1}, key="fresh", expiration=now("UTC") + timedelta(days=1))
    store.write({"doc": 2}, key="forever")
    store.write({"doc": 3}, key="expired", expiration=now("UTC") - timedelta(seconds=1))
    store.write({"doc": 4}, key="broken")
    (tmp_path / "broken").write_bytes(b'{"metadata": ')  # a run killed while writing it
    store = _store(tmp_path)  # the next run's store: nothing held in memory
    assert cached_value(store, "fresh") == {"doc": 1}
    assert cached_value(store, "forever") == {"doc": 2}
    assert cached_value(store, "expired") is None
    assert cached_value(store, "broken") is None
    assert cached_value(store, "never-written") is None
    assert cached_value(None, "fresh") is None  # no store: the cache is being refreshed


def test_refresh_cache_means_no_lookup(prefect_harness: None) -> None:
    from prefect.settings import PREFECT_TASKS_REFRESH_CACHE, temporary_settings

    from flows.document_cache import document_store
    from flows.run import extract_document_task

    assert document_store(extract_document_task) is not None
    with temporary_settings(updates={PREFECT_TASKS_REFRESH_CACHE: True}):
        assert document_store(extract_document_task) is None
    assert document_store(extract_document_task.with_options(refresh_cache=True)) is None


def test_a_second_run_is_answered_by_the_cache_without_a_task(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run 1 extracts both samples in task runs; run 2 (a new file added) submits only the new one,
    and publishes the same rows for the two it did not extract."""
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings

    import flows.run

    src = tmp_path / "src"
    src.mkdir()
    for name in SAMPLES:
        shutil.copy(SAMPLES_DIR / name, src / name)
    submitted: list[list[str]] = []
    extract = flows.run._extract

    def counting(to_submit, inputs, *args):  # noqa: ANN001, ANN202
        submitted.append(sorted(p["source_file"] for p in to_submit.values()))
        return extract(to_submit, inputs, *args)

    monkeypatch.setattr(flows.run, "_extract", counting)
    runs = []
    with temporary_settings(updates={PREFECT_LOCAL_STORAGE_PATH: tmp_path / "results"}):
        for n in (1, 2, 3):
            if n == 3:
                shutil.copy(SAMPLES_DIR / "synthetic_culture_bureau_2023.pdf", src / "added.pdf")
            out = tmp_path / f"out{n}"
            result = CliRunner().invoke(app, ["run", "--source", str(src), "--out", str(out), "--no-progress",
                                              "--force"])
            assert result.exit_code == 0, result.output
            runs.append((result.output, pq.read_table(out / "data" / "line_items.parquet")))
    assert submitted == [sorted(SAMPLES), ["added.pdf"]]  # run 2: no task at all; run 3: only the new file
    assert "2 of 2 documents answered from Prefect's cache, 0 to extract" in " ".join(runs[1][0].split())
    assert "2 of 3 documents answered from Prefect's cache, 1 to extract" in " ".join(runs[2][0].split())
    assert runs[1][1].equals(runs[0][1])
    old = runs[0][1].to_pylist()
    before = {r["doc_id"] for r in old}
    assert [r for r in runs[2][1].to_pylist() if r["doc_id"] in before] == old
    assert len(runs[2][1]) > len(old)  # and the new file's rows
