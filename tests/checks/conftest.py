"""Line items of the real documents the consistency tests read, extracted once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT, realdoc

from core.records import LineItem
from normalize.documents import process_document

SAMPLES = ROOT / "samples" / "pdfs"


def extract(path: Path) -> list[LineItem]:
    return list(process_document(path, path.name).line_items)


@pytest.fixture(scope="session")
def sample_items() -> dict[str, list[LineItem]]:
    return {p.name: extract(p) for p in sorted(SAMPLES.glob("*.pdf"))}


@pytest.fixture(scope="session")
def jiangxi_items(sample_items: dict[str, list[LineItem]]) -> list[LineItem]:
    return sample_items["jiangxi_trade_unions_2024.pdf"]


@pytest.fixture(scope="session")
def culture_items(sample_items: dict[str, list[LineItem]]) -> list[LineItem]:
    return sample_items["synthetic_culture_bureau_2023.pdf"]


@pytest.fixture(scope="session")
def shanghai_items() -> list[LineItem]:
    return extract(realdoc("sh_final_2024_"))
