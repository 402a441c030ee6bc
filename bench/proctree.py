"""Run one command and measure its whole process tree: wall time, peak memory, CPU time, output lines.

Memory is read two ways, both reported:

* `peak_tree_rss_mib` / `peak_tree_pss_mib`: every `sample_s` seconds the process and all its
  descendants are found in /proc (by parent pid) and their `Rss` / `Pss` (smaps_rollup) summed; the
  peak of the sums. RSS counts pages shared by forked children once per process (an upper bound);
  PSS splits them (closer to what the tree really holds). Sampling misses peaks shorter than the period.
* `max_single_rss_mib`: `ru_maxrss` from `os.wait4` on the command: the largest single process among
  it and the descendants that were waited for (exact, no sampling; not a sum).

Linux only (/proc). No dependency beyond the standard library.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Measured:
    """What one command did: its exit status, time, memory and timestamped output."""

    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float  # user + system of the command and its waited-for descendants
    peak_tree_rss_mib: float
    peak_tree_pss_mib: float
    peak_tree_processes: int
    max_single_rss_mib: float
    at_peak: list[tuple[int, str, float]]  # (pid, command line, RSS MiB) of each process when the tree RSS peaked
    started_at: float  # time.time() at start, to line up with timestamps the command records itself
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, line)

    def as_dict(self) -> dict[str, object]:
        return {
            "command": self.command,
            "returncode": self.returncode,
            "wall_s": round(self.wall_s, 2),
            "cpu_s": round(self.cpu_s, 2),
            "peak_tree_rss_mib": round(self.peak_tree_rss_mib, 1),
            "peak_tree_pss_mib": round(self.peak_tree_pss_mib, 1),
            "peak_tree_processes": self.peak_tree_processes,
            "max_single_rss_mib": round(self.max_single_rss_mib, 1),
            "at_peak": [{"pid": pid, "cmd": cmd, "rss_mib": round(rss, 1)} for pid, cmd, rss in self.at_peak],
        }


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name, in parentheses, may hold spaces
        children[ppid].append(int(entry.name))
    return children


def tree(root: int) -> list[int]:
    """`root` and every process descending from it, now."""
    children = _children_by_parent()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of one process in KiB; (0, 0) once it has ended."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:120]


def run_measured(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, sample_s: float = 0.25
) -> Measured:
    """Run `command` to its end (stdout and stderr merged, kept line by line with their time)."""
    started_at = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", bufsize=1)
    lines: list[tuple[float, str]] = []
    peak = {"rss": 0, "pss": 0, "processes": 0}
    at_peak: list[tuple[int, str, float]] = []
    done = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.perf_counter() - t0, line.rstrip("\n")))

    def sample() -> None:
        while not done.is_set():
            pids = tree(proc.pid)
            sizes = [_memory_kib(pid) for pid in pids]
            if (total := sum(s[0] for s in sizes)) > peak["rss"]:
                peak["rss"] = total
                at_peak[:] = [(pid, _cmdline(pid), size[0] / 1024) for pid, size in zip(pids, sizes, strict=True) if size[0]]
            peak["pss"] = max(peak["pss"], sum(s[1] for s in sizes))
            peak["processes"] = max(peak["processes"], sum(1 for s in sizes if s[0]))
            done.wait(sample_s)

    reader = threading.Thread(target=read, daemon=True)
    sampler = threading.Thread(target=sample, daemon=True)
    reader.start()
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    done.set()
    sampler.join()
    reader.join(timeout=10)
    return Measured(
        command=command,
        returncode=proc.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_tree_rss_mib=peak["rss"] / 1024,
        peak_tree_pss_mib=peak["pss"] / 1024,
        peak_tree_processes=peak["processes"],
        max_single_rss_mib=usage.ru_maxrss / 1024,
        at_peak=at_peak,
        started_at=started_at,
        lines=lines,
    )
