"""The workbook made in a forkserver child is the workbook made in-process, and never missing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from datapackage.workbook import workbook_bytes
from datapackage.workbook_inputs import made_from
from flows.background_workbook import BackgroundWorkbook, start_workbook
from flows.content import package_content
from flows.settings import SAMPLES_DIR
from normalize.documents import deduplicate, process_document
from normalize.spool import ResultSpool


def _values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _spooled_content(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The samples spooled, and a second copy of one (other bytes, same text): `deduplicate`
    records that copy anew, in memory, as a quarantined duplicate without line items."""
    spool = ResultSpool()
    paths = sorted(SAMPLES_DIR.glob("*.pdf"))
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(paths[0].read_bytes() + b"\n%another copy\n%%EOF\n")
    for n, path in enumerate([*paths, copy]):
        spool.put(n, process_document(path, path.name))
    results = deduplicate(spool.results())
    assert [r.document.error_code for r in results].count("duplicate_text") == 1
    return spool, package_content(results, {"code_version": "test", "source": "test"})


def test_the_childs_workbook_is_the_in_process_one_and_a_dead_child_is_replaced(tmp_path: Path) -> None:
    spool, content = _spooled_content(tmp_path)
    expected = _values(workbook_bytes(content))
    assert len(expected) >= 5 and sum(len(rows) for rows in expected.values()) > 500
    made = start_workbook(content)
    assert isinstance(made, BackgroundWorkbook)
    assert _values(made.result()) == expected and made.fallback_reason == ""
    killed = start_workbook(content)
    assert isinstance(killed, BackgroundWorkbook) and killed._process is not None
    killed._process.kill()
    assert _values(killed.result()) == expected
    assert "no workbook" in killed.fallback_reason or "pipe" in killed.fallback_reason
    spool.close()


def test_line_items_in_memory_are_made_at_once(tmp_path: Path) -> None:
    _, content = _spooled_content(tmp_path)
    in_memory = replace(content, line_items=list(content.line_items))
    assert isinstance(start_workbook(in_memory), bytes)


def test_a_workbook_made_from_the_same_inputs_is_kept_and_any_change_makes_a_new_one(tmp_path: Path) -> None:
    """The class: a --force run, or a nightly run whose new bytes read to the same figures."""
    spool, content = _spooled_content(tmp_path)
    made = start_workbook(content)
    assert isinstance(made, BackgroundWorkbook)
    previous = tmp_path / "opendisclosure.xlsx"
    previous.write_bytes(made.result())
    key = made_from(previous)
    assert key is not None and len(key) == 64
    kept = start_workbook(content, previous=previous)
    assert kept == previous.read_bytes()  # its bytes, not a new workbook (whose creation time differs)

    changed_run = replace(content, run_info={**content.run_info, "source": "elsewhere"})
    document = content.documents[0]
    changed_record = replace(content, documents=[replace(document, department=document.department + "局"),
                                                 *content.documents[1:]])
    for changed in (changed_run, changed_record):
        remade = start_workbook(changed, previous=previous)
        assert isinstance(remade, BackgroundWorkbook)
        assert made_from(remade.result()) not in (None, key)
    previous.write_bytes(previous.read_bytes()[:1000])  # a truncated file: made again
    assert isinstance(start_workbook(content, previous=previous), BackgroundWorkbook)
    spool.close()


def test_the_inputs_key_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Each run is a new interpreter with its own hash seed: the key must still match."""
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
        "from tests.flows.test_background_workbook import _spooled_content\n"
        "from flows.background_workbook import start_workbook\n"
        "from datapackage.workbook_inputs import made_from\n"
        "spool, content = _spooled_content(Path(sys.argv[2]))\n"
        "print(made_from(start_workbook(content).result()))\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    keys = {
        subprocess.run([sys.executable, "-c", script, root, str(tmp_path)], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(keys) == 1 and len(next(iter(keys))) == 64
