"""`--runner dask`: the same flow on prefect-dask's DaskTaskRunner publishes the same data.

A LocalCluster of 2 worker processes (one thread each) on a 2-core machine; each document still
runs in its own limited child, forked from the worker's forkserver (flows/runners.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from badpdfs import many_pages_pdf, mediabox_cycle_pdf
from typer.testing import CliRunner

from core.errors import ConfigurationError
from flows.cli import app
from flows.isolation import Limits
from flows.runners import RunnerOptions, task_runner
from flows.settings import SAMPLES_DIR

pytestmark = pytest.mark.prefect

SAMPLES = ("jiangxi_trade_unions_2024.pdf", "synthetic_water_bureau_2024.pdf")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two sample booklets and a file over a limit (5,000 pages: too_many_pages, found in the child)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in SAMPLES:
        shutil.copy(SAMPLES_DIR / name, src / name)
    many_pages_pdf(src / "many_pages.pdf")
    return src


@pytest.fixture
def worker_cluster() -> Iterator[str]:
    """An existing Dask cluster (1 worker process allowed children), as `dask worker` would give."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        yield cluster.scheduler_address


def _tables(out: Path) -> dict[str, object]:
    return {p.name: pq.read_table(p) for p in sorted((out / "data").glob("*.parquet"))}


def test_dask_runner_publishes_the_data_of_the_thread_runner(
    prefect_harness: None, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings

    import flows.run

    here: list[str] = []  # documents extracted by this process (the thread runner's threads)
    isolated = flows.run.process_isolated
    monkeypatch.setattr(flows.run, "process_isolated", lambda path, *a: here.append(path.name) or isolated(path, *a))
    tables = {}
    for kind in ("threads", "dask"):
        out, results = tmp_path / f"out-{kind}", tmp_path / f"results-{kind}"
        # a result store of its own: each run extracts every document (the cache would hand the
        # second run the first one's results); the Dask workers get it with the run's settings
        with temporary_settings(updates={PREFECT_LOCAL_STORAGE_PATH: results}):
            result = CliRunner().invoke(app, ["run", "--source", str(corpus), "--out", str(out), "--no-progress",
                                              "--workers", "2", "--runner", kind])
        assert result.exit_code == 0, result.output
        assert "quarantined many_pages.pdf" in " ".join(result.output.split())
        assert len(list(results.glob("doc-*"))) == len(SAMPLES)  # a limit's quarantine is never cached
        tables[kind] = _tables(out)
        if kind == "threads":
            assert sorted(here) == sorted([*SAMPLES, "many_pages.pdf"])
            here.clear()
    assert here == []  # the Dask run extracted nothing in this process: its workers did
    assert "on a local Dask cluster of 2 workers" in result.output
    assert tables["threads"].keys() == tables["dask"].keys() and "line_items.parquet" in tables["dask"]
    documents = tables["dask"]["documents.parquet"].to_pylist()  # type: ignore[attr-defined]
    assert {d["source_file"]: d["error_code"] or "" for d in documents} == {
        **dict.fromkeys(SAMPLES, ""), "many_pages.pdf": "too_many_pages"}
    for name, table in tables["threads"].items():
        assert table.equals(tables["dask"][name]), name  # type: ignore[attr-defined]


def test_limits_hold_on_the_workers_of_an_existing_cluster(
    prefect_harness: None, tmp_path: Path, worker_cluster: str
) -> None:
    """A document that hangs pdfminer for ever is stopped by --timeout in its child; the worker lives."""
    from distributed import Client

    from flows.run import run_flow

    src = tmp_path / "src"
    src.mkdir()
    mediabox_cycle_pdf(src / "cycle.pdf")
    with Client(worker_cluster) as client:
        before = set(client.scheduler_info()["workers"])
        summary = run_flow(source=src, out=tmp_path / "out", show_progress=False, limits=Limits(timeout_s=3, workers=1),
                           runner=RunnerOptions("dask", worker_cluster))
        assert [name for name, _ in summary.quarantined] == ["cycle.pdf"]
        assert "longer than 3 s" in summary.quarantined[0][1]
        assert set(client.scheduler_info()["workers"]) == before  # same worker: not killed, not restarted


def test_daemonic_workers_are_refused_before_any_document(prefect_harness: None, tmp_path: Path) -> None:
    import dask
    from distributed import LocalCluster

    from flows.run import run_flow

    shutil.copy(SAMPLES_DIR / SAMPLES[0], tmp_path / "a.pdf")
    with dask.config.set({"distributed.worker.daemon": True}), LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster, pytest.raises(ConfigurationError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
        run_flow(source=tmp_path, out=tmp_path / "out", show_progress=False,
                 runner=RunnerOptions("dask", cluster.scheduler_address))
    assert not (tmp_path / "out").exists()


def test_runner_options_are_checked() -> None:
    assert type(task_runner("threads", 2)).__name__ == "ThreadPoolTaskRunner"
    assert type(task_runner("dask", 2)).__name__ == "DaskTaskRunner"
    for kind, address in (("processes", None), ("threads", "tcp://10.0.0.5:8786"), ("dask", "not an address")):
        with pytest.raises(ValueError):
            RunnerOptions(kind, address)
    RunnerOptions("dask", "tcp://10.0.0.5:8786")
    RunnerOptions("dask", "127.0.0.1:8786")


def test_cli_runner_options(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["run", "--dask-address", "tcp://10.0.0.5:8786"])
    assert result.exit_code == 2 and "--runner dask" in result.output
    result = CliRunner().invoke(app, ["run", "--runner", "dask", "--dask-address", "nowhere"])
    assert result.exit_code == 2 and "not a Dask scheduler address" in result.output
    result = CliRunner().invoke(app, ["run", "--runner", "spark"])
    assert result.exit_code == 2
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = CliRunner().invoke(app, ["nightly", "--runner", "dask", "--dask-address", "tcp://10.0.0.5:8786"])
    assert result.exit_code == 2 and "PREFECT_API_URL" in " ".join(result.output.split()), result.output
    for command in ("run", "nightly"):
        help_text = CliRunner().invoke(app, [command, "--help"]).output
        assert "--runner" in help_text and "--dask-address" in help_text


def test_an_existing_clusters_workers_keep_no_document_worker_after_a_run(
    prefect_harness: None, tmp_path: Path, worker_cluster: str
) -> None:
    """Document workers are reused within a run; a long-running cluster does not keep them (memory)."""
    from distributed import Client

    from flows import isolation
    from flows.run import run_flow

    src = tmp_path / "src"
    src.mkdir()
    for name in SAMPLES:
        shutil.copy(SAMPLES_DIR / name, src / name)
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings

    # a result store of its own: the documents are extracted, not answered by another test's cache
    with Client(worker_cluster) as client, temporary_settings(updates={PREFECT_LOCAL_STORAGE_PATH: tmp_path / "r"}):
        summary = run_flow(source=src, out=tmp_path / "out", show_progress=False, limits=Limits(workers=1),
                           runner=RunnerOptions("dask", worker_cluster))
        assert summary.documents_ok == len(SAMPLES)
        assert len(list((tmp_path / "r").glob("doc-*"))) == len(SAMPLES)  # extracted on the worker
        assert list(client.run(isolation.idle_workers).values()) == [[]]
