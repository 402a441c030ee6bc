"""Documents answered from Prefect's result store before any task is submitted.

    store = document_store(extract_document_task)      # the store that task's cache lives in
    value = cached_value(store, key)                   # its persisted result, or None: submit it

Why: the per-document task is cached by Prefect (bytes + name + code version, flows/run.py), and
a cache hit still costs a whole task run: a run created, states proposed, events sent, and the
server's task-run recorder writing them to its database. On a warm 300-document run that was
2.9 s of this process and as many seconds of the server's CPU, on a run whose work is ~10 s
(bench/README.md). So the flow reads the cache the way the task engine reads it — the same
store (`get_result_store().update_for_task`), the same key, the same expiry, Prefect's own
record format — and submits a task only for the documents it does not answer. A document
extracted today is a task run as before, and its result is persisted by that task run, so the
next run finds it here; nothing is ever written to the store from this module.

What does not change: a limit's quarantine is never cached (its task run fails, so nothing is
persisted), `PREFECT_TASKS_REFRESH_CACHE` (or the task's `refresh_cache`) still means "extract
again", and a record that cannot be read is a miss (the task then runs and replaces it, as
Prefect's own look-up does). The run's log and summary say how many documents were answered here.
"""

from __future__ import annotations

from typing import Any, cast

from prefect.context import get_settings_context
from prefect.results import ResultStore, get_result_store
from prefect.tasks import Task
from prefect.types._datetime import now


def document_store(task: Task[Any, Any]) -> ResultStore | None:
    """The result store `task`'s cache hits are read from, or None when its cache is refreshed."""
    refresh = task.refresh_cache
    if refresh is None:
        refresh = get_settings_context().settings.tasks.refresh_cache
    if refresh:
        return None
    store = get_result_store().update_for_task(task, _sync=True)  # type: ignore[call-arg]  # as the engine calls it
    return cast(ResultStore, store)


def cached_value(store: ResultStore | None, key: str) -> Any | None:
    """The value the task persisted under `key` (None: no record, an expired one, or one that cannot be read)."""
    if store is None:
        return None
    try:
        record = store.read(key)
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: the task runs and rewrites it
        return None
    expiration = record.metadata.expiration
    if expiration is not None and expiration <= now("UTC"):
        return None
    return record.result
