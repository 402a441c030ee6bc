"""A total time budget for one request: connect + headers + body, across its redirect hops.

Why: httpx's timeouts are per operation. A server that trickles one byte every few seconds
never trips a 30 s read timeout and can hold a download (and the nightly run) for hours.
`Deadline` bounds the whole request:

- every phase gets `min(timeout_seconds, time left)` as its httpx timeout;
- a watchdog timer shuts the request's sockets down (`shutdown(SHUT_RDWR)` wakes a blocked
  `recv`) when the budget is spent; the sockets are learnt from httpcore's `trace` extension
  as soon as they connect, and from the response for a reused keep-alive connection;
- `check()` after a body is read refuses a body that "ended" because the watchdog cut it.

The watchdog is disarmed (under a lock) before the response goes back to the connection
pool, so it can never cut a connection another request has picked up since.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

import httpx

from crawl.errors import DeadlineExceededError


class Deadline:
    """One request's budget; use as a context manager around the request and its body."""

    def __init__(self, seconds: float, per_operation: float, url: str) -> None:
        self.seconds = seconds
        self.per_operation = per_operation
        self.url = url
        self.started = time.monotonic()
        self.expires = self.started + seconds
        self.fired = False
        self._armed = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Deadline:
        with self._lock:
            self._armed = True
        self._timer = threading.Timer(max(0.0, self.remaining()), self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.disarm()

    def release(self) -> None:
        """Forget the sockets watched so far (a redirect hop's response is about to go back to the pool)."""
        with self._lock:
            self._sockets.clear()

    def disarm(self) -> None:
        """Stop the watchdog; afterwards it never touches a socket."""
        with self._lock:
            self._armed = False
            self._sockets.clear()
        if self._timer is not None:
            self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            if not self._armed:
                return
            self.fired = True
            for sock in self._sockets:
                _shutdown(sock)

    # -- what httpx needs ---------------------------------------------------------------------
    def remaining(self) -> float:
        return self.expires - time.monotonic()

    def expired(self) -> bool:
        return self.fired or self.remaining() <= 0

    def timeout(self) -> httpx.Timeout:
        """Per-phase timeouts that never outlast the budget (at least 1 ms, so httpx accepts it)."""
        return httpx.Timeout(max(0.001, min(self.per_operation, self.remaining())))

    def trace(self, name: str, info: dict[str, Any]) -> None:
        """httpcore `trace` extension: watch each new connection's socket from the moment it exists."""
        if name == "connection.connect_tcp.complete":
            self.watch(info.get("return_value"))

    def watch_response(self, response: httpx.Response) -> None:
        self.watch(response.extensions.get("network_stream"))

    def watch(self, stream: Any) -> None:
        get = getattr(stream, "get_extra_info", None)
        sock = get("socket") if get else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            if not self._armed:
                return
            if sock not in self._sockets:
                self._sockets.append(sock)
            if self.fired:
                _shutdown(sock)

    def error(self) -> DeadlineExceededError:
        took = time.monotonic() - self.started
        return DeadlineExceededError(
            "deadline_exceeded",
            f"{self.url}: not complete after {took:.1f} s (deadline_seconds = {self.seconds:g}); the server is "
            "too slow or trickles its answer; raise deadline_seconds for this source if it is genuinely slow",
        )

    def check(self) -> None:
        """Raise when the budget is spent (call after reading a body: a cut body may look complete)."""
        if self.expired():
            raise self.error()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)
