"""Test helpers importable from every test module (tests/ is on pythonpath)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from normalize.documents import DocumentResult

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
GROUND_TRUTH = ROOT / "tests" / "ground_truth"

def realdoc(prefix: str) -> Path:
    """A file of ../shared/realdocs by name prefix; skips the test when the folder is absent."""
    if not REALDOCS.is_dir():
        pytest.skip(f"{REALDOCS} is absent (a user's fresh clone has no ../shared)")
    matches = sorted(REALDOCS.glob(f"{prefix}*.pdf"))
    if not matches:
        pytest.skip(f"no {prefix}*.pdf in {REALDOCS}")
    return matches[0]


@cache
def realdoc_result(prefix: str) -> DocumentResult:
    """The processed real document (process_document), extracted once per test session for every module.

    Results are shared: a test derives its variants with dataclasses.replace, never mutates one.
    """
    from normalize.documents import process_document

    path = realdoc(prefix)
    return process_document(path, path.name)


Key = tuple[str, int, str, str, str, Decimal]


@dataclass
class Accuracy:
    expected: set[Key]
    actual: list[Key]

    @property
    def missing(self) -> set[Key]:
        return self.expected - set(self.actual)

    @property
    def wrong(self) -> list[Key]:
        return [k for k in self.actual if k not in self.expected]

    @property
    def recall(self) -> float:
        return 1 - len(self.missing) / len(self.expected) if self.expected else 1.0

    @property
    def precision(self) -> float:
        return 1 - len(self.wrong) / len(self.actual) if self.actual else 0.0

    def report(self) -> str:
        lines = [f"recall {self.recall:.4f}, precision {self.precision:.4f}"]
        lines += [f"  missing {k}" for k in sorted(self.missing)[:20]]
        lines += [f"  wrong   {k}" for k in self.wrong[:20]]
        return "\n".join(lines)


def load_ground_truth(path: Path) -> set[Key]:
    with path.open(encoding="utf-8") as fh:
        return {
            (r["table_code"], int(r["page"]), r["subject_code"], r["line_label"], r["measure"], Decimal(r["value"]))
            for r in csv.DictReader(fh)
        }


def accuracy(ground_truth: Path, items: list) -> Accuracy:
    # the ground truth lists codes as printed; a code inferred from a name was not printed
    actual = [
        (i.table_code, i.page, "" if i.code_source == "inferred" else i.subject_code, i.line_label, i.measure,
         i.value_original)
        for i in items
    ]
    return Accuracy(load_ground_truth(ground_truth), actual)


def plumber_char(text: str, x0: float, top: float = 100.0, width: float = 5.0, upright: bool = True) -> dict[str, object]:
    """A pdfplumber character dict with what its word and line rules read (9 pt high)."""
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 9.0, "doctop": top,
            "upright": upright, "size": 9.0, "height": 9.0, "width": width}
