"""README's example code runs against a published package and says what it claims."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from support import ROOT

from datapackage.publish import publish_package
from flows.content import package_content
from normalize.documents import process_document

_BLOCK = re.compile(r"<!-- example: ([\w-]+) -->\n```python\n(.*?)```", re.S)


def _examples() -> dict[str, str]:
    return dict(_BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("readme")
    pdfs = sorted((ROOT / "samples" / "pdfs").glob("*.pdf"))
    content = package_content([process_document(p, p.name) for p in pdfs], {"code_version": "test"})
    publish_package(content, base / "out")
    return base


def test_expenditure_by_class_example(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _examples()["expenditure-by-class"]
    monkeypatch.chdir(package)
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own example
    by_class = scope["by_class"]
    assert len(by_class) > 10  # type: ignore[arg-type]
    check = scope["check"]
    assert check.empty, check  # type: ignore[union-attr]  # Σ classes == printed 合计 for every department
    assert os.path.exists(package / "out" / "data" / "line_items.parquet")
