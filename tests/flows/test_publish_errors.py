"""--out that cannot take a package (issue 12): one clear line, exit 1, the previous package untouched.

Tests run as root, for whom chmod protects nothing; so the unwritable places are ones root cannot
write either: /sys (sysfs refuses new entries: EPERM) and /proc (ENOENT). A full disk and a mount
point are small tmpfs mounts made by the test (skipped where `mount` is not permitted).
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.errors import PublishError
from core.records import QuarantineReason
from datapackage.publish import publish_package
from flows.cli import app
from flows.content import package_content
from normalize.documents import quarantined_result


def _content(n: int, filler: str = "") -> object:
    reason = QuarantineReason("not_a_pdf", "test" + filler)
    docs = [quarantined_result(Path("x.pdf"), f"doc{i}.pdf", "", reason, hashlib.sha256(b"%d" % i).hexdigest())
            for i in range(n)]
    return package_content(docs, {"code_version": "test"})


def _snapshot(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted for the test."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "none", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("out", ["/sys/opendisclosure-out", "/proc/opendisclosure-out/package"])
def test_an_unwritable_out_is_one_line_and_exit_1(out: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--source", str(tmp_path), "--out", out])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert f"cannot publish to {out}" in result.output and "was left unchanged" in result.output
    assert not Path(out).exists()


def test_a_mount_point_as_out_is_refused_with_what_to_do(tmpfs: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--source", str(tmp_path), "--out", str(tmpfs)])
    assert result.exit_code == 1 and "mount point" in result.output and f"--out {tmpfs}/package" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    published = publish_package(_content(2), tmpfs / "package")  # …and what it says to do works
    assert published.rows["documents"] == 2


def test_a_full_disk_leaves_the_previous_package(tmpfs: Path) -> None:
    out = tmpfs / "package"
    publish_package(_content(2), out)
    before = _snapshot(out)
    with pytest.raises(PublishError) as caught:
        publish_package(_content(3000, filler="x" * 400), out)  # ~1.5 MB of CSV: more than the disk
    assert "No space left on device" in str(caught.value) and "was left unchanged" in str(caught.value)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmpfs.iterdir()) == [".package.lock", "package"]  # no .tmp-* left
