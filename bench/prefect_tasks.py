"""What one Prefect task costs a run: the measurement behind "one task per document".

    python bench/prefect_tasks.py [--tasks 30 300]

For each count, in a fresh process with a fresh PREFECT_HOME (embedded server, as `run` without
PREFECT_API_URL): a flow submits that many tasks to a ThreadPoolTaskRunner(2), each with a cache
key and a persisted 50 KB result (like `extract-document`), then the same flow again (every task
answered from the cache). The work of a task is nothing, so the wall time is Prefect's: the
difference between two counts, divided by the difference in tasks, is the cost of one task.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def child(tasks: int) -> dict[str, float]:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="prefect-bench-")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect import flow, task
    from prefect.futures import as_completed
    from prefect.task_runners import ThreadPoolTaskRunner

    def key(_context: object, parameters: dict[str, object]) -> str:
        return f"bench-{parameters['i']}"

    @task(cache_key_fn=key, persist_result=True)
    def one(i: int) -> bytes:
        return os.urandom(50_000)

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
    def many() -> None:
        for future in as_completed([one.submit(i) for i in range(tasks)]):
            future.result()

    started = time.perf_counter()
    many()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    many()
    return {"tasks": tasks, "cold_flow_s": round(cold, 2), "cached_flow_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    rows = []
    for n in args.tasks:
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        extra = b["tasks"] - a["tasks"]
        print(f"one task: {1000 * (b['cold_flow_s'] - a['cold_flow_s']) / extra:.1f} ms run,"
              f" {1000 * (b['cached_flow_s'] - a['cached_flow_s']) / extra:.1f} ms answered from the cache")


if __name__ == "__main__":
    main()
