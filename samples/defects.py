"""Defect fixtures: a consistent sample booklet with one injected problem per rule family.

    python -m samples.defects [NAME ...]

Why: a rule is only worth its name if it catches the slip it is written for, once, on a
real-format PDF, and nothing else fires beside it. A defect file
(`samples/defects/<name>.toml`) names a base sample (samples/data/) and a list of
defects; each defect is a literal edit of the base sample's data file (`find` must occur
exactly once, `replace` is what is printed instead) and the finding it must cause:
rule, table, code, and where its page comes from (`at` = a printed cell of the ground
truth, or `at_text` = a text the page prints). The edited data is rendered by the
sample generator like any other sample, to samples/defects/pdfs/<name>.pdf with its
ground truth beside it; tests/checks/test_defect_fixtures.py runs the whole pipeline on
it. Because the edits are data, the expected findings are written by hand from the edit,
never copied from what the checks report.
"""

from __future__ import annotations

import argparse
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from samples.booklet_data import DATA_DIR, SampleDataError
from samples.generator import render_sample

DEFECTS_DIR = Path(__file__).resolve().parent / "defects"
PDF_DIR = DEFECTS_DIR / "pdfs"


@dataclass(frozen=True)
class Expected:
    """The one finding a defect must cause."""

    rule_id: str
    table_code: str
    subject_code: str
    at: dict[str, str] = field(default_factory=dict)  # table_code, line_label or subject_code, measure
    at_text: str = ""  # a text printed on the finding's page


@dataclass(frozen=True)
class Defect:
    family: str
    what: str
    find: str
    replace: str
    expected: tuple[Expected, ...]


@dataclass(frozen=True)
class DefectSet:
    name: str
    base: str
    defects: tuple[Defect, ...]


def defect_names() -> list[str]:
    return sorted(p.stem for p in DEFECTS_DIR.glob("*.toml"))


def load_defects(name: str) -> DefectSet:
    path = DEFECTS_DIR / f"{name}.toml"
    if not path.is_file():
        raise SampleDataError(f"no defect file {path}; known: {defect_names()}")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    defects = tuple(
        Defect(
            family=d["family"],
            what=d["what"],
            find=d["find"],
            replace=d["replace"],
            expected=tuple(
                Expected(e["rule_id"], e.get("table_code", ""), e.get("subject_code", ""),
                         dict(e.get("at", {})), e.get("at_text", ""))
                for e in d["expect"]
            ),
        )
        for d in raw["defect"]
    )
    return DefectSet(name=name, base=raw["base"], defects=defects)


def edited_data(defects: DefectSet) -> str:
    """The base sample's data file with every defect's edit applied (each must match exactly once)."""
    text = (DATA_DIR / f"{defects.base}.toml").read_text(encoding="utf-8")
    for d in defects.defects:
        count = text.count(d.find)
        if count != 1:
            raise SampleDataError(
                f"{defects.name}: defect {d.what!r}: its `find` text occurs {count} times in {defects.base}.toml"
                " (it must occur exactly once: quote more of the line)"
            )
        text = text.replace(d.find, d.replace)
    return text


def render_defects(name: str, out_dir: Path = PDF_DIR) -> Path:
    """Render samples/defects/<name>.toml to `out_dir/<name>.pdf` (+ ground truth beside it)."""
    defects = load_defects(name)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        (data_dir / f"{name}.toml").write_text(edited_data(defects), encoding="utf-8")
        return render_sample(name, out_dir, out_dir, data_dir=data_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.defects", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"defect files to render (default: all of {defect_names()})")
    args = parser.parse_args(argv)
    for name in args.names or defect_names():
        path = render_defects(name)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
