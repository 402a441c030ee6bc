"""Sample 部门决算 and 部门预算 booklets: realistic PDFs made from data files, with their ground truth.

`samples/data/<name>.toml` holds one document's figures; `python -m samples.generator`
renders `samples/pdfs/<name>.pdf` and writes `samples/ground_truth/<name>.csv`
(one row per printed number) for the extractor's tests; a budget sample (`kind = "budget"`)
goes to `samples/budget/pdfs/` and `samples/budget/ground_truth/`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_all", "render_sample"]


def __getattr__(name: str) -> Any:
    # Lazy, so `python -m samples.generator` does not import the module twice.
    if name in __all__:
        from samples import generator

        return getattr(generator, name)
    raise AttributeError(name)
