"""Resources frictionless has passed, remembered by what their validation reads.

    memo = ValidationMemo.default()                     # $XDG_CACHE_HOME/opendisclosure/validated
    keys = resource_keys(descriptor)                    # name -> key of all it reads
    passed = memo.passed(keys[name]) and file_matches(root, resource)   # then not read again
    memo.remember(keys of the resources that had no error)

Why: a warm run (--force over documents the cache answers) publishes every resource byte for
byte as the package it replaces, and a nightly run where a few documents changed publishes most
reference resources unchanged; frictionless reads every row of every CSV again each time:
0.65–0.71 s of a warm 300-document run of ~5.5 s (measured, three runs).

Frictionless's verdict on a resource is a function of what it reads: the resource's descriptor
(path, format, schema, and the sha256 and size its file must have, which frictionless checks the
file against), the resources its foreign keys point to (the same, recursively), and frictionless's
own version. A key hashes exactly those. A resource is skipped only when its key passed before
**and** its file has, right now, the sha256 and size its descriptor states (re-hashed here: ~10 ms
for a 300-document package), so the rows are the rows that passed. Only passes are remembered; a
resource with any error is validated every time. The package descriptor itself (frictionless's
metadata validation) and the Parquet read-back (validation.parquet_problems) run every time.

`OPENDISCLOSURE_VALIDATION_MEMO=0` turns it off. A memo folder that cannot be written means
nothing is remembered, never a failed publish.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datapackage.file_digest import sha256_hex

MEMO_ENV = "OPENDISCLOSURE_VALIDATION_MEMO"
#: markers kept; beyond it the least recently used are removed, down to half
KEEP = 512
#: bump when what a key covers changes
_KEY_VERSION = 1


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def resource_keys(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """Each resource's key: its descriptor, those its foreign keys reference (recursively), frictionless's version."""
    resources = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, Mapping)}
    version = importlib.metadata.version("frictionless")
    keys: dict[str, str] = {}

    def key(name: str, visiting: frozenset[str]) -> str:
        if name in keys:
            return keys[name]
        resource = resources[name]
        references = sorted(
            {fk.get("reference", {}).get("resource") or name for fk in _foreign_keys(resource)} - {name}
        )
        referenced = [
            key(r, visiting | {name}) if r in resources and r not in visiting else f"missing:{r}" for r in references
        ]
        digest = hashlib.sha256(_canonical([_KEY_VERSION, version, resource, referenced])).hexdigest()
        keys[name] = digest
        return digest

    for name in resources:
        if isinstance(name, str):
            key(name, frozenset())
    return keys


def _foreign_keys(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    schema = resource.get("schema")
    if not isinstance(schema, Mapping):
        return []
    return [fk for fk in schema.get("foreignKeys") or [] if isinstance(fk, Mapping)]


def file_matches(root: Path, resource: Mapping[str, Any]) -> bool:
    """Whether the resource's file has the sha256 and size its descriptor states (False when it states none)."""
    path, stated, size = resource.get("path"), resource.get("hash"), resource.get("bytes")
    if not (isinstance(path, str) and isinstance(stated, str) and isinstance(size, int)):
        return False
    algorithm, _, expected = stated.rpartition(":")
    if algorithm not in ("sha256", ""):
        return False
    target = root / path
    try:
        return target.stat().st_size == size and sha256_hex(target) == expected
    except OSError:
        return False


@dataclass(frozen=True)
class ValidationMemo:
    """A folder of empty marker files, one per key that passed."""

    folder: Path

    @classmethod
    def default(cls) -> ValidationMemo | None:
        """The machine's memo, or None when OPENDISCLOSURE_VALIDATION_MEMO=0."""
        if (os.environ.get(MEMO_ENV) or "").strip().lower() in {"0", "false", "no", "off"}:
            return None
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cls(cache / "opendisclosure" / "validated")

    def passed(self, key: str) -> bool:
        return (self.folder / key).is_file()

    def remember(self, keys: Iterable[str]) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for key in keys:
                (self.folder / key).touch()  # touched again when used: the least recently used go first
            self._prune()

    def _prune(self) -> None:
        markers = list(self.folder.iterdir())
        if len(markers) <= KEEP:
            return
        by_age = sorted(markers, key=lambda p: p.stat().st_mtime)
        for marker in by_age[: len(markers) - KEEP // 2]:
            marker.unlink(missing_ok=True)
