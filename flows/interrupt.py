"""Ctrl-C and SIGTERM stop a run within seconds, cleanly, and say what state `--out` is in.

Without this, Prefect turns a signal into a crashed flow run, reports it to its local server,
waits for that server, and prints hundreds of lines of tracebacks (70–78 s, exit 1). Instead,
while `clean_interruption(out)` is active (the CLI's `run` and `nightly`):

- during extraction a signal kills every document's child process (flows/isolation.py), stops
  Prefect's embedded server, prints one line — nothing was published, the previous package in
  `out` is intact — and exits with 130 (SIGINT) or 143 (SIGTERM) at once. Nothing partial is
  cached: interrupted documents raise `Interrupted` in their tasks, so the next run re-reads only
  those and takes the rest from the cache;
- during the atomic publish (`publishing()`) the first signal is held until the swap is done
  (seconds), then the run exits with the same code and says the new package was published; a
  second signal exits at once (the publisher's recovery restores the previous package on the next
  run, datapackage/atomic.py).

Prefect installs its own SIGTERM handler while a flow runs; the flow calls `rearm()` first thing
to put ours back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from flows import embedded_server, isolation

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class _State:
    active = False
    out: Path | None = None
    publishing = False
    pending: int | None = None


_state = _State()


def _say(text: str) -> None:
    with contextlib.suppress(OSError):
        os.write(2, (text + "\n").encode("utf-8", "backslashreplace"))


def stop_prefect_server() -> None:
    """Stop Prefect's embedded (ephemeral) server, ours or Prefect's own, if this process started one."""
    embedded_server.stop_all()
    module = sys.modules.get("prefect.server.api.server")
    if module is None:
        return
    for server in list(getattr(module.SubprocessASGIServer, "_instances", {}).values()):
        proc = getattr(server, "server_process", None)
        if proc is None:
            continue
        with contextlib.suppress(Exception):
            proc.terminate()
            try:
                proc.wait(timeout=3)
            except Exception:
                proc.kill()
                proc.wait(timeout=2)
        server.server_process = None


def _exit_now(signum: int, line: str) -> None:
    isolation.stop_all()
    stop_prefect_server()
    spool = sys.modules.get("normalize.spool")  # not imported here: the CLI's fast path never needs it
    if spool is not None:
        spool.remove_all()
    _say(line)
    os._exit(EXIT_CODES.get(signal.Signals(signum), 128 + signum))


def _handler(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    if _state.publishing and _state.pending is None:
        _state.pending = signum
        _say(f"{name}: finishing the atomic publish in progress (a few seconds); press Ctrl-C again to stop now")
        return
    if _state.publishing:
        _exit_now(signum, f"interrupted ({name}) while publishing: {_state.out} keeps the previous package"
                          " (restored by the next run if the swap was under way)")
    _exit_now(signum, f"interrupted ({name}): nothing was published; the previous package in {_state.out} is intact")


def rearm() -> None:
    """Put our handlers back (Prefect replaces SIGTERM's while a flow runs). No-op when inactive."""
    if _state.active and threading.current_thread() is threading.main_thread():
        for sig in EXIT_CODES:
            signal.signal(sig, _handler)


@contextlib.contextmanager
def clean_interruption(out: Path) -> Iterator[None]:
    """Handle SIGINT/SIGTERM as above for the duration; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in EXIT_CODES}
    _state.active, _state.out, _state.publishing, _state.pending = True, out, False, None
    rearm()
    try:
        yield
    finally:
        _state.active = False
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def publishing() -> Iterator[None]:
    """Mark the atomic publish: a first signal waits for it to finish."""
    _state.publishing, published = True, False
    try:
        yield
        published = True
    finally:
        _state.publishing = False
        if _state.pending is not None and _state.active:
            signum, _state.pending = _state.pending, None
            name = signal.Signals(signum).name
            _exit_now(signum, f"interrupted ({name}) after publishing: the new package in {_state.out} is complete"
                      if published else
                      f"interrupted ({name}): nothing was published; the previous package in {_state.out} is intact")
