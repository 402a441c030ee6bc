"""Publish a directory so readers never see a half-written package.

Scheme (all paths are siblings of `out_dir`, hence on the same filesystem, so
every step is a `rename`):

    1. build the new package in  .<name>.tmp-<token>/   (and validate it there)
    2. rename out_dir         →  .<name>.old-<token>/   (if out_dir exists)
    3. rename .tmp-<token>    →  out_dir
    4. delete .old-<token>

Between 2 and 3 `out_dir` briefly does not exist: a reader gets "not found",
never a mix of old and new files. If the process dies in that window, the next
publish finds `out_dir` missing and a `.old-*` directory, and restores it before
doing anything else; leftover `.tmp-*` (a build that died) and `.old-*` (a swap
that died after step 3) directories are removed. A failed build (step 1 raises)
deletes its temporary directory and leaves `out_dir` untouched.

Publishing to one `out_dir` is single-writer: an exclusive `flock` on
`.<name>.lock` makes a concurrent publish fail at once with PublishError
(no locking where `fcntl` is unavailable, i.e. Windows).

Publishing needs a writable parent of `out_dir` (the new package is built beside it) and an
`out_dir` that can be renamed: a mount point cannot, so it is refused with what to do (publish
into a folder inside it). Every OS error (disk full, a read-only or pseudo file system such as
/proc or /sys, no permission) becomes a one-line PublishError naming the path; `out_dir` is left
untouched.

`out_dir` belongs to the publisher: an existing directory is replaced only when
`is_ours(out_dir)` says it holds a package published before, or it is empty;
anything else is refused, so user files are never deleted.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from core.errors import PublishError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


def _siblings(out_dir: Path, kind: str) -> list[Path]:
    pattern = f".{glob.escape(out_dir.name)}.{kind}-*"
    return sorted(out_dir.parent.glob(pattern), key=lambda p: p.stat().st_mtime)


@contextlib.contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with lock_path.open("a") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise PublishError(
                    f"another publish to {out_dir} is in progress (lock {lock_path}); try again later"
                ) from exc
        yield  # the lock is released when the file is closed


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync directories; visibility is still atomic
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Flush the new files to disk before they become visible (crash consistency)."""
    for path in [*root.rglob("*"), root]:
        _fsync(path)


def recover(out_dir: Path) -> None:
    """Finish or undo an interrupted publish (caller holds the lock)."""
    olds = _siblings(out_dir, "old")
    if not out_dir.exists() and olds:
        olds.pop().rename(out_dir)  # the newest previous package comes back
    for leftover in olds + _siblings(out_dir, "tmp"):
        shutil.rmtree(leftover, ignore_errors=True)


def check_replaceable(out_dir: Path, is_ours: Callable[[Path], bool]) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise PublishError(f"{out_dir} exists and is not a directory; choose another --out")
    if any(out_dir.iterdir()) and not is_ours(out_dir):
        raise PublishError(
            f"{out_dir} is not empty and does not hold a package published by opendisclosure;"
            " refusing to replace it. Choose an empty or new directory for --out."
        )


def _os_error(out_dir: Path, exc: OSError, doing: str) -> PublishError:
    where = f" ({exc.filename})" if exc.filename else ""
    return PublishError(
        f"cannot publish to {out_dir}: {doing} failed: {exc.strerror or exc}{where}; {out_dir} was left unchanged."
        " Choose an --out on a writable disk with free space (the new package is built beside it, in"
        f" {out_dir.parent})"
    )


def check_publishable(out_dir: Path) -> None:
    """PublishError now if `out_dir` can never be published to (before a run spends an hour on
    extraction): no parent, a mount point, a parent that cannot be created or written."""
    out_dir = out_dir.resolve()
    _check_target(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        probe = out_dir.parent / f".{out_dir.name}.probe-{secrets.token_hex(6)}"
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        raise _os_error(out_dir, exc, "creating a folder beside it") from exc


def _check_target(out_dir: Path) -> None:
    if out_dir.parent == out_dir:
        raise PublishError(f"cannot publish to {out_dir}: it has no parent directory to swap in")
    if out_dir.is_dir() and os.path.ismount(out_dir):
        raise PublishError(
            f"cannot publish to {out_dir}: it is a mount point, and the atomic swap renames --out itself;"
            f" publish into a folder inside it instead, e.g. --out {out_dir / 'package'}"
        )


def publish_directory(out_dir: Path, build: Callable[[Path], T], is_ours: Callable[[Path], bool]) -> T:
    """Run `build(tmp_dir)` then swap `tmp_dir` into `out_dir`; returns build's result."""
    out_dir = out_dir.resolve()
    _check_target(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        lock = _exclusive(out_dir)
        lock.__enter__()
    except OSError as exc:
        raise _os_error(out_dir, exc, "preparing its folder") from exc
    with contextlib.ExitStack() as stack:
        stack.push(lock)
        recover(out_dir)
        check_replaceable(out_dir, is_ours)
        token = secrets.token_hex(6)
        tmp = out_dir.parent / f".{out_dir.name}.tmp-{token}"
        old = out_dir.parent / f".{out_dir.name}.old-{token}"
        try:
            tmp.mkdir()
            result = build(tmp)
            _fsync_tree(tmp)
        except OSError as exc:  # disk full, read-only: pyarrow's and the csv writer's errors too
            shutil.rmtree(tmp, ignore_errors=True)
            raise _os_error(out_dir, exc, "writing the new package") from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            if out_dir.exists():
                out_dir.rename(old)
            tmp.rename(out_dir)
        except OSError as exc:
            if not out_dir.exists() and old.exists():
                old.rename(out_dir)
            shutil.rmtree(tmp, ignore_errors=True)
            raise PublishError(f"cannot move the new package into {out_dir}: {exc}") from exc
        _fsync(out_dir.parent)
        shutil.rmtree(old, ignore_errors=True)
        return result
