"""Where the per-document tasks run: a thread pool in this process, or a Dask cluster.

    options = RunnerOptions("dask")                          # a local cluster of `workers` processes
    options = RunnerOptions("dask", "tcp://10.0.0.5:8786")   # an existing scheduler
    with open_runner(options, workers=2, paths=[...]) as runner:
        future = runner.submit(extract_document_task, parameters)

Both runners run the same Prefect task (`flows.run.extract_document_task`), and that task runs the
document the same way wherever it is: in a document worker of a forkserver, under `Limits`
(flows/isolation.py). On Dask the child is forked from the Dask worker's own forkserver, so:

- a hostile PDF cannot take a Dask worker down. A pdfium SIGABRT, a hang or a decompression bomb
  ends the child (`worker_crashed`, `timeout`, `memory_limit`), not the worker. Run in the worker
  itself, the same document would kill the worker process, Dask would retry it on the next worker
  (`distributed.scheduler.allowed-failures`, 3) and kill that one too, and the run would end with
  `KilledWorker` and no quarantine row;
- the limits mean what they mean with threads: Dask has no per-task timeout (a thread cannot be
  stopped), and an RLIMIT_AS set in a worker would cap the worker and every task it runs, not the
  one document; the nanny's memory limit watches the worker's memory only, never the children's;
- the results are the same objects, pickled the same way, so a Dask run publishes the same data
  (tests/flows/test_dask_runner.py compares the Parquet tables).

For that, a Dask worker must be allowed children: multiprocessing refuses them to a *daemonic*
process, which is what a Dask nanny starts by default. The local cluster is started with
`distributed.worker.daemon: False`; workers of an existing cluster must be started with
`DASK_DISTRIBUTED__WORKER__DAEMON=False`, and `open_runner` checks that (and the code version,
and that every input file is readable there) on every worker before any document is submitted.

Prefect on the workers: each task run reports to the Prefect API of the run. Without
PREFECT_API_URL the run's embedded server listens on 127.0.0.1 only, which workers on this
machine can reach (its URL is handed to them) and workers elsewhere cannot: a remote scheduler
then needs PREFECT_API_URL set to a Prefect server they can reach (`worker_api_problem`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from core.errors import ConfigurationError

KINDS = ("threads", "dask")
#: seconds to wait for an existing Dask scheduler to answer
CONNECT_TIMEOUT_S = 30
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss)://)?\[?[A-Za-z0-9_.:-]+\]?:\d{1,5}$")


@dataclass(frozen=True)
class RunnerOptions:
    """Which task runner runs the documents.

    kind          "threads" (default: a thread pool in this process, each thread waiting on its
                  document's child) or "dask" (prefect-dask's DaskTaskRunner)
    dask_address  an existing Dask scheduler (`tcp://host:8786`); None = a local cluster of
                  `Limits.workers` worker processes, one thread each, started and closed by the run
    """

    kind: str = "threads"
    dask_address: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"runner must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.dask_address is not None and self.kind != "dask":
            raise ValueError("a Dask scheduler address needs the dask runner (--runner dask)")
        if self.dask_address is not None and not _ADDRESS.match(self.dask_address):
            raise ValueError(f"{self.dask_address!r} is not a Dask scheduler address such as tcp://10.0.0.5:8786")

    def describe(self, workers: int) -> str:
        """How the documents run, for the progress line."""
        if self.kind == "threads":
            return f"{workers} at a time"
        return f"on the Dask cluster {self.dask_address}" if self.dask_address else f"on a local Dask cluster of {workers} workers"


def task_runner(kind: str, workers: int, address: str | None = None) -> Any:
    """The Prefect task runner for these options (not started)."""
    RunnerOptions(kind, address)  # checks the options
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address, client_kwargs={"timeout": CONNECT_TIMEOUT_S})
    # prefect-dask types cluster_class as taking no argument, but calls it with cluster_kwargs
    return DaskTaskRunner(cluster_class=cast(Any, local_cluster), cluster_kwargs={"n_workers": workers})


def local_cluster(n_workers: int) -> Any:
    """A Dask LocalCluster of `n_workers` processes with one thread each, its workers allowed children.

    Processes, not threads: the workers stand for machines, and each worker waits on one
    document's child at a time, like a thread of the thread runner. No dashboard (it needs bokeh
    and a free port 8787).
    """
    import dask
    from distributed import LocalCluster

    # read by the nanny each time it (re)starts a worker, so it stays set for this process
    dask.config.set({"distributed.worker.daemon": False})
    logging.getLogger("distributed").setLevel(logging.WARNING)  # the scheduler and nannies run here
    return LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP routes: any free loopback port
    )


def _is_loopback(address: str) -> bool:
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def worker_api_problem(options: RunnerOptions) -> str | None:
    """Why Dask workers could not report to Prefect with these options, or None.

    Checked by the CLI before Prefect starts, and again by `open_runner`.
    """
    if options.kind != "dask" or options.dask_address is None or _is_loopback(options.dask_address):
        return None
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None
    return (
        f"the Dask workers of {options.dask_address} cannot reach this run's embedded Prefect server"
        " (it listens on 127.0.0.1 only): start a Prefect server they can reach (`prefect server start"
        " --host 0.0.0.0`) and set PREFECT_API_URL=http://<that host>:4200/api here"
    )


def _api_url_of_this_run() -> str | None:
    """The embedded server's URL when PREFECT_API_URL is unset (workers would start their own)."""
    from prefect.context import FlowRunContext
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None  # handed to the workers with the rest of the settings
    context = FlowRunContext.get()
    url = str(context.client.api_url) if context and context.client else ""
    if not url.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"the Dask runner needs a Prefect server the workers can reach; this run's API is {url or 'unknown'}:"
            " set PREFECT_API_URL"
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class WorkerReport:
    """What one Dask worker can do (see `check_worker`)."""

    daemonic: bool
    code_version: str
    unreadable: int
    first_unreadable: str


def check_worker(paths: Sequence[str]) -> WorkerReport:
    """Run on each Dask worker: may it start children, which code does it run, can it read the files.

    Also starts the worker's forkserver, so its first document does not wait for the imports.
    """
    from flows import isolation
    from flows.settings import code_version

    unreadable = [p for p in paths if not os.access(p, os.R_OK)]
    daemonic = multiprocessing.current_process().daemon
    if not daemonic:
        isolation.warm_up()
    return WorkerReport(bool(daemonic), code_version(), len(unreadable), unreadable[0] if unreadable else "")


def close_document_workers() -> int:
    """Run on each Dask worker at the end of a run: end its idle document workers; how many there were."""
    from flows import isolation

    idle = len(isolation.idle_workers())
    isolation.close_idle()
    return idle


def _check_workers(client: Any, where: str, paths: Sequence[str]) -> None:
    from flows.settings import code_version

    try:
        reports: dict[str, WorkerReport] = client.run(check_worker, list(paths))
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            f"the Dask workers of {where} cannot run opendisclosure ({exc}): install this package, the same"
            " version, on every worker"
        ) from exc
    if not reports:
        raise ConfigurationError(f"the Dask scheduler {where} has no worker: start some with `dask worker {where}`")
    for worker, report in sorted(reports.items()):
        if report.daemonic:
            raise ConfigurationError(
                f"Dask worker {worker} is a daemonic process, which may not start the child each document"
                " runs in: start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False"
            )
        if report.code_version != code_version():
            raise ConfigurationError(
                f"Dask worker {worker} runs other extraction code (code version {report.code_version}, here"
                f" {code_version()}): install the same opendisclosure on every worker"
            )
        if report.unreadable:
            raise ConfigurationError(
                f"Dask worker {worker} cannot read {report.unreadable} of the {len(paths)} input files"
                f" (e.g. {report.first_unreadable}): every worker needs the source at the same path"
            )


@contextlib.contextmanager
def open_runner(options: RunnerOptions, workers: int, paths: Sequence[str | os.PathLike[str]]) -> Iterator[Any]:
    """The started task runner; for Dask, connected, with its workers checked (ConfigurationError).

    Call inside a flow. On Dask the task runs are created by the workers with this run's Prefect
    settings (API URL, result storage), so they report to this run and share its cache when the
    storage is shared.
    """
    runner = task_runner(options.kind, workers, options.dask_address)
    if options.kind == "threads":
        with runner:
            yield runner
        return
    if problem := worker_api_problem(options):
        raise ConfigurationError(problem)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = _api_url_of_this_run()
    where = options.dask_address or "the local cluster"
    with contextlib.ExitStack() as stack:
        if url:
            stack.enter_context(temporary_settings(updates={PREFECT_API_URL: url}))
        stack.enter_context(runner)
        try:
            client = runner.client  # connects (or starts the local cluster) now, not at the first document
        except OSError as exc:
            raise ConfigurationError(
                f"cannot reach the Dask scheduler {where}: {exc}; start one (`dask scheduler`) or check --dask-address"
            ) from exc
        _check_workers(client, where, [os.fspath(p) for p in paths])
        try:
            yield runner
        finally:
            # a long-running cluster keeps its workers: their idle document workers end with this run
            with contextlib.suppress(Exception):
                client.run(close_document_workers)
