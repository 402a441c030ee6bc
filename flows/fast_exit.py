"""The command's way out: every exit handler, then the process ends without tearing Python down.

    exit_after(app)      # app() (a Typer/Click app: it ends by SystemExit), then os._exit

Why: after a run, the interpreter's own teardown frees every module and object one by one —
Prefect, pandas, pyarrow, frictionless and the run's data — before the process may end:
0.5–0.7 s of a warm 300-document run of ~7 s (measured: the last exit handler returned 0.65 s
before the process was gone; 4 alternating runs, median 7.0 → 6.6 s). Nothing in that teardown
is work of ours: every file the run writes is closed by its `with` block, the package is swapped
into place before the summary prints, and what must still happen at exit is an exit handler
(the embedded server's stop, Prefect's log and event workers, logging's flush, multiprocessing's
forkserver and resource tracker). So those run, as at a normal exit, in the same order; threads
that are not daemons are waited for (as Python waits for them); stdout and stderr are flushed;
then `os._exit` with the status SystemExit carried. An exception that is not SystemExit is left
to Python's normal way out (its traceback, then the normal teardown).

Only the console script uses this (`opendisclosure`, pyproject's [project.scripts]); tests and
other code call `app` itself and keep Python's normal exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Callable


def exit_status(stop: SystemExit) -> int:
    """The status Python itself would exit with for `stop` (a message is printed to stderr, status 1)."""
    code = stop.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code % 256  # what the operating system keeps of it, as for sys.exit
    print(code, file=sys.stderr)
    return 1


def exit_after(command: Callable[[], object]) -> None:
    """Run `command`; on SystemExit, finish as Python would, minus the teardown, and end the process."""
    try:
        command()
        status = 0
    except SystemExit as stop:
        status = exit_status(stop)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # noqa: SLF001 - the handlers Python runs at exit, run now, once
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (`| head`): nothing more can be said
            stream.flush()
    os._exit(status)
