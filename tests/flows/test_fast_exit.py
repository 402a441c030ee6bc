"""The console script's way out (flows/fast_exit.py): status kept, exit handlers run, output flushed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.fast_exit import exit_status


def _script(body: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`body` then `main()` in a fresh interpreter, stdout a pipe (block-buffered: lost unless flushed)."""
    return subprocess.run([sys.executable, "-c", body + "\nfrom flows.cli import main\nmain()\n", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_help_is_printed_whole_and_exit_handlers_run_after_it() -> None:
    done = _script("import atexit\natexit.register(lambda: print('HANDLER RAN', flush=True))", "--help")
    assert done.returncode == 0, done.stderr
    assert "opendisclosure run" in done.stdout
    assert done.stdout.rstrip().endswith("HANDLER RAN"), done.stdout[-300:]


def test_a_refused_run_keeps_its_status_and_its_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _script("", "run", "--source", str(empty), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "refused" in done.stdout
    assert not (tmp_path / "out").exists()


def test_a_thread_still_writing_is_waited_for(tmp_path: Path) -> None:
    target = tmp_path / "late.txt"
    body = (
        "import threading, time\n"
        f"def late():\n    time.sleep(0.5)\n    open({str(target)!r}, 'w').write('written')\n"
        "threading.Thread(target=late).start()"
    )
    done = _script(body, "--help")
    assert done.returncode == 0, done.stderr
    assert target.read_text() == "written"


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (3, 3), (130, 130), (256 + 2, 2), (-1, 255)])
def test_status_is_what_python_would_exit_with(code: int | None, status: int) -> None:
    assert exit_status(SystemExit(code)) == status


def test_a_message_exits_1_and_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_status(SystemExit("no such folder")) == 1
    assert "no such folder" in capsys.readouterr().err

