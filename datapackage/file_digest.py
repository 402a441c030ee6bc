"""The sha256 of a written file, read in 1 MiB blocks: what a resource's descriptor states
(datapackage/publish.py) and what the validation memo checks it against (validation_memo.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_hex(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
