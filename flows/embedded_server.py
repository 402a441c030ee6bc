"""Prefect's embedded server, started at the top of `run`, so it boots while the run imports.

    with embedded_server() as server:     # None when PREFECT_API_URL names a server already
        import flows.run                  # ~1.5 s of imports, while the server starts
        with using(server):               # waits for it, points this process (and its children) at it
            run_flow(...)
                                          # stopped here, whatever happened

Why: left to itself, Prefect starts its embedded server at the run's first API call, after this
process imported the engine (3 s), and then waits while the server imports and opens its database
(4–6 s, measured on a warm 300-document run): one after the other, on a machine whose second
core is idle. Started first, the two overlap, and this process never imports `prefect.server`
(2.8 s and its SQLAlchemy and FastAPI) because it talks to the server by URL, like any client.

The server is Prefect's own, started the way `prefect.server.api.server.SubprocessASGIServer`
does (the same uvicorn command, the same environment flags and port range, a new port when the
chosen one was taken), and only where Prefect would start it: no API URL in the environment or
the active profile, and the embedded server not turned off (`PREFECT_SERVER_EPHEMERAL_ENABLED`).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import importlib.util
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigurationError
from flows import prefect_database

#: what SubprocessASGIServer gives its server: no UI, the embedded server's services, final settings;
#: and no block-type registration at start: a run saves no block, and the registration's check
#: imports every Prefect collection first (prefect-dask: Dask and NumPy, 0.4 s of the start-up)
SERVER_FLAGS = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
                "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "0", "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "0"}
#: services this server runs for nobody, off unless the environment says otherwise: automations
#: (triggers and their actions: none can be defined on a server that ends with the run, yet the
#: triggers read every event) and the event and log streams to websocket clients (no UI, no
#: subscriber: a run's futures wait on their thread or Dask future). The task-run recorder and
#: the event persister, which record the run, stay on.
IDLE_SERVICES_OFF = {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
                     "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
                     "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false"}
#: the server's "migrate the database at start" setting (and its older name): turned off only for
#: a database already at the installed Prefect's head migration (flows/prefect_database.is_migrated)
MIGRATE_SETTINGS = ("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "PREFECT_API_DATABASE_MIGRATE_ON_START")
PORTS = range(8000, 9000)
#: uvicorn's exit status when its port is taken (another process won the race for it)
PORT_TAKEN = 3
STOP_TIMEOUT_S = 5.0
#: at most this long to send Prefect's queued logs and events before the server stops
DRAIN_TIMEOUT_S = 10.0
#: the servers this process started and has not stopped: a signal's os._exit skips atexit and
#: context managers, so flows/interrupt.py stops these itself
_running: set[EmbeddedServer] = set()
#: what calling a flow imports on its way (0.33 s on a warm 300-document run, `-X importtime`):
#: imported while the server boots, when this process would otherwise wait for it
FLOW_CALL_IMPORTS = ("prefect.flow_engine", "prefect.task_engine", "prefect.utilities.visualization",
                     "fastapi.encoders", "anyio._core._sockets", "anyio._core._streams")


def _free_port() -> int:
    for _ in range(20):
        port = random.choice(PORTS)  # noqa: S311 - a port, not a secret
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise ConfigurationError(
        "no free port in 8000–8999 for Prefect's embedded server: free one, or start a Prefect server"
        " (`prefect server start`) and set PREFECT_API_URL"
    )


@dataclass(eq=False)
class EmbeddedServer:
    """One Prefect server process on 127.0.0.1, this run's own."""

    environment: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    #: a new database this server migrates itself: kept as the template once it answers
    #: (flows/prefect_database.py)
    new_database: Path | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        if self.process is None and self.new_database is None:  # not again after a port race
            database = prefect_database.database_of(self.environment)
            if database is not None and not database.exists() and not prefect_database.seed(database):
                self.new_database = database
            elif (database is not None and not any(name in self.environment for name in MIGRATE_SETTINGS)
                  and prefect_database.is_migrated(database)):
                self.environment[MIGRATE_SETTINGS[0]] = "false"  # nothing to migrate: not checked again
        self.port = _free_port()
        command = [sys.executable, "-m", "uvicorn", "--app-dir", _prefect_parent(), "--factory",
                   "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "error", "--lifespan", "on"]
        self.process = subprocess.Popen(command, env=self.environment)  # noqa: S603 - our interpreter
        _running.add(self)

    def wait_ready(self, timeout_s: float) -> None:
        """Return once the server answers /health; raise ConfigurationError if it never does."""
        import httpx

        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=5.0) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                status = self.process.poll()
                if status == PORT_TAKEN:
                    self.start()
                    continue
                if status is not None:
                    raise ConfigurationError(
                        f"Prefect's embedded server exited with status {status} while starting (its messages"
                        " are above); start a Prefect server (`prefect server start`) and set PREFECT_API_URL"
                    )
                with contextlib.suppress(httpx.TransportError):
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        if self.new_database is not None:
                            prefect_database.keep_template(self.new_database)
                            self.new_database = None
                        return
                time.sleep(0.1)
        raise ConfigurationError(
            f"Prefect's embedded server did not answer within {timeout_s:g} s (a slow first start on a busy"
            " machine): raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or start a Prefect server and"
            " set PREFECT_API_URL"
        )

    def signal_stop(self) -> None:
        """Ask the server to shut down and return at once (`stop` waits for it): it winds down
        while this process prints its summary."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self) -> None:
        _running.discard(self)
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop_all() -> None:
    """Stop every embedded server this process started (the signal handler's way out)."""
    for server in list(_running):
        with contextlib.suppress(Exception):
            server.stop()


def _prefect_parent() -> str:
    """The folder holding the `prefect` package, found without importing it."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ConfigurationError("the `prefect` package is not installed: run `make install`")
    return str(Path(spec.origin).parent.parent)


def start_embedded_server() -> EmbeddedServer | None:
    """Start the server Prefect would start at the first API call, now; None if it surely would not.

    Decided from the environment alone, before `prefect` is imported (1.3 s): the server starts
    while this process imports. A profile that names an API URL (or turns the embedded server
    off) is seen by `using()`, which then stops this server unused.
    """
    if os.environ.get("PREFECT_API_URL") or _is_false(os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED")):
        return None
    server = EmbeddedServer({**IDLE_SERVICES_OFF, **os.environ, **SERVER_FLAGS})
    server.start()
    atexit.register(server.stop)  # also when the run ends by an exception nobody catches
    return server


def _is_false(value: str | None) -> bool:
    return (value or "").strip().lower() in {"0", "false", "no", "off"}


@contextlib.contextmanager
def embedded_server() -> Iterator[EmbeddedServer | None]:
    """start_embedded_server(), stopped on the way out (an error, Ctrl-C and SIGTERM included)."""
    server = start_embedded_server()
    try:
        yield server
    finally:
        if server is not None:
            server.stop()


@contextlib.contextmanager
def using(server: EmbeddedServer | None) -> Iterator[None]:
    """Wait for `server`, then make it this process's Prefect API (and its children's: a Dask
    local cluster's workers read PREFECT_API_URL from the environment they inherit); on the way
    out, send what Prefect still queues and tell the server to stop (`embedded_server` waits)."""
    if server is None:
        yield
        return
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        get_current_settings,
        temporary_settings,
    )

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:  # the active profile decides otherwise
        server.stop()
        yield
        return
    _import_while_waiting()
    server.wait_ready(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        # no flow-run heartbeats: they let a server that outlives the run mark it crashed, and
        # this server ends with the run; their thread sleeps in 1 s steps and the run's end
        # waited for it (0.4 s of a warm 300-document run)
        # and no API version check: this server is this interpreter's own Prefect (its first answer,
        # ~0.1 s of a warm run's start, was that check's)
        with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
                                         PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED: False}):
            try:
                yield
            finally:
                drain_prefect_workers()
                server.signal_stop()  # nothing talks to it after this
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def _import_while_waiting() -> None:
    """Import FLOW_CALL_IMPORTS now (a module a later Prefect no longer has is skipped): the flow
    call would import them anyway, after the server answered."""
    for name in FLOW_CALL_IMPORTS:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def drain_prefect_workers(timeout_s: float = DRAIN_TIMEOUT_S) -> None:
    """Send the logs and events Prefect still queues, while the embedded server is up (call before it stops).

    Why: Prefect's log and event workers send in the background and are drained at interpreter
    exit, after this server is stopped; a log still queued then (any log at or above
    PREFECT_LOGGING_LEVEL, e.g. INFO) was retried against the stopped server until its
    connection attempts ran out: the run's exit hung 60–70 s and printed "Error logging to API"
    (measured on a warm 300-document run with PREFECT_LOGGING_LEVEL=INFO).
    """
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):  # a worker that cannot send loses its queue, never the run
            worker.drain_all(timeout=timeout_s)
