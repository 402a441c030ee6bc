"""The directory swap: failures keep the old package, interrupted swaps are recovered."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import PublishError
from datapackage import atomic
from datapackage.atomic import publish_directory


def ours(path: Path) -> bool:
    return (path / "MARK").exists()


def build_with(text: str):
    def build(root: Path) -> str:
        (root / "MARK").write_text(text)
        return text

    return build


def test_swap_replaces_and_cleans(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert publish_directory(out, build_with("one"), ours) == "one"
    publish_directory(out, build_with("two"), ours)
    assert (out / "MARK").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_failing_build_leaves_out_dir_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_directory(out, build_with("one"), ours)

    def boom(root: Path) -> None:
        (root / "half").write_text("written")
        raise PublishError("invalid")

    with pytest.raises(PublishError, match="invalid"):
        publish_directory(out, boom, ours)
    assert (out / "MARK").read_text() == "one" and not (out / "half").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_interrupted_swap_is_restored_before_next_publish(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_directory(out, build_with("one"), ours)
    out.rename(tmp_path / ".out.old-dead")  # died between "rename old away" and "rename new in"
    (tmp_path / ".out.tmp-dead").mkdir()  # and a build that died

    atomic.recover(out)
    assert (out / "MARK").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_refused_build_never_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="refusing"):
        publish_directory(out, build_with("x"), ours)
    assert (out / "notes.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_out_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("file")
    with pytest.raises(PublishError, match="not a directory"):
        publish_directory(tmp_path / "out", build_with("x"), ours)


@pytest.mark.skipif(atomic.fcntl is None, reason="no flock on this platform")
def test_concurrent_publish_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def nested(root: Path) -> None:
        publish_directory(out, build_with("inner"), ours)

    with pytest.raises(PublishError, match="in progress"):
        publish_directory(out, nested, ours)
    assert not out.exists()
