"""Resources frictionless passed are not read again while they are what passed (datapackage/validation_memo.py)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import frictionless
import pytest

from core.errors import PublishError
from datapackage.publish import PackageContent, publish_package
from datapackage.validation import frictionless_problems
from datapackage.validation_memo import KEEP, MEMO_ENV, ValidationMemo, resource_keys


@pytest.fixture
def memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ValidationMemo:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    found = ValidationMemo.default()
    assert found is not None and found.folder == tmp_path / "cache" / "opendisclosure" / "validated"
    return found


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the resources frictionless reads rows of, in order."""
    names: list[str] = []
    original = frictionless.Resource.validate

    def counting(self: frictionless.Resource, *args: object, **kwargs: object) -> frictionless.Report:
        names.append(self.name)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(frictionless.Resource, "validate", counting)
    yield names


def _restate(descriptor_path: Path, name: str) -> None:
    """Make the descriptor state the sha256 and size of resource `name`'s file as it is now."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            data = (descriptor_path.parent / resource["path"]).read_bytes()
            resource["hash"], resource["bytes"] = f"sha256:{hashlib.sha256(data).hexdigest()}", len(data)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_the_same_package_again_reads_no_resource(
    content: PackageContent, tmp_path: Path, memo: ValidationMemo, validated: list[str]
) -> None:
    published = publish_package(content, tmp_path / "out")
    every = list(json.loads(published.descriptor.read_text())["resources"])
    assert len(validated) == len(every)  # the first time: every resource read

    validated.clear()
    publish_package(replace(content, run_info={"run_id": "run-2"}), tmp_path / "out")
    assert validated == []  # same rows, same schemas: nothing read again
    assert frictionless_problems(published.descriptor, memo) == []
    assert validated == []
    assert frictionless_problems(published.descriptor) == [] and validated  # without the memo: all of it


def test_a_changed_resource_and_those_referencing_it_are_read_again(
    content: PackageContent, tmp_path: Path, memo: ValidationMemo, validated: list[str]
) -> None:
    publish_package(content, tmp_path / "out")
    validated.clear()
    fewer_findings = replace(content, findings=content.findings[:1])
    publish_package(fewer_findings, tmp_path / "out")
    assert set(validated) == {"consistency", "consistency_parquet"}

    validated.clear()
    renamed = [replace(d, source_file=f"renamed/{d.source_file}") for d in content.documents]
    publish_package(replace(fewer_findings, documents=renamed), tmp_path / "out")
    keys = resource_keys(json.loads((tmp_path / "out" / "datapackage.json").read_text()))
    referencing = {"line_items", "consistency"}
    assert {"documents", "documents_parquet", *referencing} <= set(validated)
    assert set(validated) < set(keys)  # resources that neither changed nor reference documents: skipped


def test_a_file_that_is_not_what_its_descriptor_states_is_read_and_refused(
    content: PackageContent, tmp_path: Path, memo: ValidationMemo
) -> None:
    published = publish_package(content, tmp_path / "out")
    csv = published.csv["line_items"]
    csv.write_bytes(csv.read_bytes().replace(b"\r\n", b"\n", 1))  # other bytes, the stated hash kept
    problems = frictionless_problems(published.descriptor, memo)
    assert any(p.startswith("line_items") and "hash" in p for p in problems), problems


def test_an_invalid_resource_is_never_remembered(
    content: PackageContent, tmp_path: Path, memo: ValidationMemo, validated: list[str]
) -> None:
    published = publish_package(content, tmp_path / "out")
    csv = published.csv["documents"]
    lines = csv.read_bytes().split(b"\r\n")
    csv.write_bytes(b"\r\n".join([*lines[:2], lines[1], *lines[2:]]))  # a duplicated primary key
    _restate(published.descriptor, "documents")
    for _ in range(2):
        validated.clear()
        problems = frictionless_problems(published.descriptor, memo)
        assert any(p.startswith("documents") and "primary-key" in p for p in problems), problems
        assert "documents" in validated


def test_a_memo_that_cannot_be_written_never_fails_a_publish(
    content: PackageContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: list[str]
) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    publish_package(content, tmp_path / "out")
    validated.clear()
    publish_package(replace(content, run_info={"run_id": "run-2"}), tmp_path / "out")
    assert validated  # nothing remembered: read again


def test_the_memo_can_be_turned_off_and_a_failure_is_still_refused(
    content: PackageContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, item
) -> None:
    monkeypatch.setenv(MEMO_ENV, "0")
    assert ValidationMemo.default() is None
    monkeypatch.delenv(MEMO_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    publish_package(content, tmp_path / "out")
    with pytest.raises(PublishError, match="primary-key"):
        publish_package(replace(content, line_items=[*content.line_items, item()]), tmp_path / "out")


def test_least_recently_used_markers_are_removed(memo: ValidationMemo) -> None:
    memo.remember(f"{i:064x}" for i in range(KEEP))
    for marker in memo.folder.iterdir():
        os.utime(marker, (1_000_000, 1_000_000))  # used long ago
    memo.remember(["f" * 64])
    left = {p.name for p in memo.folder.iterdir()}
    assert len(left) <= KEEP and "f" * 64 in left
