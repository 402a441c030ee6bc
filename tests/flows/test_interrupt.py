"""Ctrl-C / SIGTERM during a real `opendisclosure run`: out within seconds, one line, 130 / 143,
the previous package byte for byte, no process left behind (document children, forkserver,
Prefect's embedded server)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from badpdfs import mediabox_cycle_pdf

from core.records import QuarantineReason
from datapackage.publish import publish_package
from flows.content import package_content
from flows.settings import SAMPLES_DIR
from normalize.documents import quarantined_result

pytestmark = pytest.mark.prefect

OPENDISCLOSURE = Path(sys.executable).with_name("opendisclosure")
STARTUP_S = 240  # Prefect's embedded server: 10–75 s, more on a busy machine (DESIGN §5)


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect-home")


def _snapshot(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_signal_mid_extraction_stops_cleanly(signum: int, code: int, prefect_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for pdf in sorted(SAMPLES_DIR.glob("*.pdf")):
        shutil.copy(pdf, src / pdf.name)
    mediabox_cycle_pdf(src / "cycle.pdf")  # hangs until its timeout: extraction is surely under way
    out = tmp_path / "out"
    reason = QuarantineReason("not_a_pdf", "previous run")
    previous = [quarantined_result(src / "x.pdf", f"old{n}.pdf", "", reason, hashlib.sha256(b"%d" % n).hexdigest())
                for n in range(3)]
    publish_package(package_content(previous, {"code_version": "previous"}), out)
    before = _snapshot(out)

    temporary = tmp_path / "tmp"  # the run's result spool is made here
    temporary.mkdir()
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PYTHONUNBUFFERED": "1", "TMPDIR": str(temporary)}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [str(OPENDISCLOSURE), "run", "--source", str(src), "--out", str(out), "--timeout", "300", "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + STARTUP_S
        while not any("extracting" in line for line in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "extraction never started:\n" + "".join(lines)
            time.sleep(0.2)
        time.sleep(2)  # documents' children are running
        assert list(temporary.glob("opendisclosure-spool-*"))  # the spool exists while documents run
        family = _descendants(proc.pid)
        assert len(family) >= 3, family  # Prefect's server, the forkserver, document children
        sent = time.monotonic()
        proc.send_signal(signum)
        assert proc.wait(timeout=15) == code, "".join(lines)
        stopped = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=5)
    output = "".join(lines)
    print(f"\n{signal.Signals(signum).name}: exit {proc.returncode} after {stopped:.1f} s")
    assert "nothing was published" in output and "intact" in output
    assert "Traceback" not in output and len(output.splitlines()) < 15, output
    assert _snapshot(out) == before
    assert list(temporary.glob("opendisclosure-spool-*")) == []  # removed, though os._exit skips cleanups
    time.sleep(1)
    assert [pid for pid in family if _alive(pid)] == []


@pytest.mark.parametrize("signals", [1, 2], ids=["one-SIGINT", "two-SIGINTs"])
def test_sigint_mid_publish(signals: int, prefect_home: Path, tmp_path: Path) -> None:
    """SIGINT while the new package is written and valid but not yet swapped in (the test hook
    OPENDISCLOSURE_TEST_PUBLISH_DELAY pauses there). One SIGINT: the swap finishes, exit 130, the
    new package is complete. A second SIGINT: exit 130 at once, the previous package byte for byte
    (the swap never started; the next publish removes the abandoned .tmp-* build)."""
    src = tmp_path / "src"
    src.mkdir()
    for pdf in sorted(SAMPLES_DIR.glob("*.pdf")):
        shutil.copy(pdf, src / pdf.name)
    out = tmp_path / "out"
    reason = QuarantineReason("not_a_pdf", "previous run")
    previous = [quarantined_result(src / "x.pdf", f"old{n}.pdf", "", reason, hashlib.sha256(b"%d" % n).hexdigest())
                for n in range(3)]
    publish_package(package_content(previous, {"code_version": "previous"}), out)
    before = _snapshot(out)

    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PYTHONUNBUFFERED": "1",
           "OPENDISCLOSURE_TEST_PUBLISH_DELAY": "6"}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [str(OPENDISCLOSURE), "run", "--source", str(src), "--out", str(out), "--workers", "2", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + STARTUP_S
        while not any("pausing" in line for line in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "publishing never started:\n" + "".join(lines)
            time.sleep(0.1)
        family = _descendants(proc.pid)
        sent = time.monotonic()
        for _ in range(signals):
            proc.send_signal(signal.SIGINT)
            time.sleep(0.5)
        assert proc.wait(timeout=10) == 130, "".join(lines)
        stopped = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=5)
    output = "".join(lines)
    print(f"\nSIGINT ×{signals} mid-publish: exit {proc.returncode} after {stopped:.1f} s")
    assert "Traceback" not in output and len(output.splitlines()) < 15, output
    assert stopped < 10
    if signals == 1:
        assert "the new package" in output and "is complete" in output, output
        after = _snapshot(out)
        assert after != before
        from datapackage.validation import package_problems

        assert package_problems(out / "datapackage.json", {}) == []
        rows = (out / "data" / "documents.csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(rows) == 1 + len(list(SAMPLES_DIR.glob("*.pdf")))
    else:
        assert "keeps the previous package" in output, output
        assert _snapshot(out) == before
    time.sleep(1)
    assert [pid for pid in family if _alive(pid)] == []


def test_interrupted_run_resumes_from_the_cache(tmp_path: Path) -> None:
    """After Ctrl-C, the next run reuses what was extracted: a finished document is not read again.

    Prefect persists each document's result as it completes (cache key: bytes, name, code
    version); the interrupted run's results are still there, unchanged, after the next run.
    """
    home = tmp_path / "home"
    src = tmp_path / "src"
    src.mkdir()
    for pdf in sorted(SAMPLES_DIR.glob("*.pdf")):
        shutil.copy(pdf, src / pdf.name)
    mediabox_cycle_pdf(src / "cycle.pdf")  # keeps the run busy until it is interrupted
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("PREFECT_API_URL", None)
    storage = home / "storage"

    def results() -> dict[Path, float]:
        return {p: p.stat().st_mtime for p in storage.rglob("*") if p.is_file()} if storage.exists() else {}

    command = [str(OPENDISCLOSURE), "run", "--source", str(src), "--out", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(command + ["--timeout", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_S
        while len(results()) < 3:  # the three samples are done; the cycle is still running
            assert proc.poll() is None and time.monotonic() < deadline, "the samples were never extracted"
            time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    first = results()
    (src / "cycle.pdf").unlink()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=STARTUP_S + 120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results() == first  # nothing extracted again, nothing rewritten
    assert "documents ok" in done.stdout and (out / "datapackage.json").exists()
