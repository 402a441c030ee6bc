"""Build `schemas/data/subjects.csv` and `subject_variants.csv` from every source we have.

    python -m schemas.build_reference [--shared ../shared] [--ingest OUT]

Sources, each recorded in the `source` column of what it contributed:

1. `schemas/data/subject_curation.csv` — hand-checked entries (`curated:…`): the 26 class
   lines of tables 01/04, names fixed where observed spellings disagree, rejected rows;
2. the seed booklet `<shared>/seed/*.txt` (`seed:jiangxi-2024`): codes and names of its tables;
3. `<shared>/reference/observed_codes.csv` (`observed:<collection>:<file>`): noisy — names cut
   by wrapped cells, bracket variants, a name paired with the wrong code;
4. the documents the project ingests (`document:<pdf>`): codes and names printed, from the
   hand-checked ground truth of `samples/ground_truth/*.csv` and `tests/ground_truth/*.csv`,
   and from `schemas/data/subjects_ingested.csv`: every code printed (not inferred) in a
   published package, recorded with `--ingest OUT` (e.g. after `opendisclosure run --source
   ../shared/realdocs`). Recording is a separate step so the build stays a pure function of
   committed files.

The reference name of a code is, in order: the curated name; else the most printed name that
is not a fragment (substring) of another printed name. Every other printed spelling is kept in
`subject_variants.csv` with where it was printed. A code whose length does not fit its system
(the seed's `310111`) is not added: it stays unknown and is flagged when a document prints it.
The script is deterministic: running it twice gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from schemas.reference import (
    DATA_DIR,
    SUBJECT_COLUMNS,
    SUBJECTS_CSV,
    VARIANT_COLUMNS,
    VARIANTS_CSV,
    level_of,
    normalize_name,
    parent_of,
    system_of,
    valid_length,
)

REPO = Path(__file__).resolve().parent.parent
CURATION_CSV = DATA_DIR / "subject_curation.csv"
INGESTED_CSV = DATA_DIR / "subjects_ingested.csv"
INGESTED_COLUMNS = ("code", "name", "fiscal_year", "source")
GROUND_TRUTH = (REPO / "samples" / "ground_truth", REPO / "tests" / "ground_truth")
#: Ground-truth file stem → the document file it transcribes (for `document:<file>`).
DOCUMENT_FILES = {
    "sh_final_2024_putuo_finance": "sh_final_2024_上海市普陀区财政局2024年度部门决算.pdf",
    "js_budget_2019_jiangsu_party_office": "js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格.pdf",
}
SEED_SOURCES = {"jiangxi-federation-of-trade-unions-2024-final-accounts": ("seed:jiangxi-2024", 2024)}
SYSTEM_BY_KIND = {"功能分类": "function", "经济分类": "economic"}

_SEED_ENTRY = re.compile(r"(?<![\d,.])(\d{3,7})\s+([^\d\s][^\s]*)")
_TABLE_TITLE = re.compile(r"公开\s*\d{2}\s*表")
_CODED_TABLE = re.compile(r"公开\s*0[2-8]\s*表")
_WRAP_TAIL = re.compile(r"^[\u4e00-\u9fff（）()]{1,4}$")
_YEAR = re.compile(r"(20\d{2})|(?<!\d)(\d{2})年")


@dataclass
class Printed:
    """Everything printed for one code."""

    system: str = ""
    names: Counter[str] = field(default_factory=Counter)
    sources_by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    years: set[int] = field(default_factory=set)

    def add(self, name: str, source: str, year: int | None, weight: int = 1, system: str = "") -> None:
        self.names[name] += weight
        self.sources_by_name[name].add(source)
        if year:
            self.years.add(year)
        self.system = self.system or system


def year_in(text: str) -> int | None:
    match = _YEAR.search(text)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else 2000 + int(match.group(2))


def read_seed(path: Path, source: str, year: int, printed: dict[str, Printed]) -> None:
    """Codes and names of the seed's tables; a name wrapped onto the next line is joined."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    starts = [i for i, ln in enumerate(lines) if _CODED_TABLE.search(ln)]
    ends = [i for i, ln in enumerate(lines) if _TABLE_TITLE.search(ln) and not _CODED_TABLE.search(ln)]
    first = starts[0] if starts else len(lines)
    last = min([e for e in ends if e > first], default=len(lines))
    for i, line in enumerate(lines):
        if not first <= i < last:
            continue  # codes are printed in tables 02–08 only; elsewhere digits are amounts or counts
        entries = _SEED_ENTRY.findall(line)
        for j, (code, name) in enumerate(entries):
            if j == len(entries) - 1 and line.endswith(name):
                following = next((n for n in lines[i + 1 :] if n), "")
                if _WRAP_TAIL.match(following):
                    name += following
            printed[code].add(name, source, year, system=system_of(code))


def read_observed(path: Path, printed: dict[str, Printed]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            files = [f.strip() for f in row["source_files"].split("|") if f.strip()]
            weight = max(1, int(row["occurrences"] or 1) // max(1, len(files)))
            for file in files:
                printed[row["code"]].add(
                    row["name"], f"observed:{file}", year_in(file), weight, SYSTEM_BY_KIND.get(row["kind_guess"], "")
                )


def read_ground_truth(folder: Path, printed: dict[str, Printed]) -> None:
    for path in sorted(folder.glob("*.csv")):
        if path.name.endswith(".tables.csv"):
            continue
        document = DOCUMENT_FILES.get(path.stem, f"{path.stem}.pdf")
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not {"subject_code", "line_label"} <= set(reader.fieldnames or ()):
                continue  # not a line-item ground truth (e.g. narrative figures)
            for row in reader:
                if row["subject_code"]:
                    printed[row["subject_code"]].add(
                        row["line_label"], f"document:{document}", year_in(path.stem), system=system_of(row["subject_code"])
                    )


def record_ingested(package: Path, target: Path = INGESTED_CSV) -> int:
    """Codes printed in a published package's line items → `subjects_ingested.csv` (merged, sorted)."""
    import pyarrow.parquet as pq

    items = pq.read_table(package / "data" / "line_items.parquet").to_pylist()
    files = {d["doc_id"]: d["source_file"] for d in pq.read_table(package / "data" / "documents.parquet").to_pylist()}
    rows: set[tuple[str, str, str, str]] = set()
    if target.exists():
        with target.open(encoding="utf-8", newline="") as fh:
            rows = {tuple(r[c] for c in INGESTED_COLUMNS) for r in csv.DictReader(fh)}  # type: ignore[misc]
    for item in items:
        code = item["subject_code"]
        if not code or item["code_source"] == "inferred" or item.get("subject_flag") == "invalid_length":
            continue
        name = item.get("subject_name_printed") or item["subject_name"] or item["line_label"]
        year = str(item["fiscal_year"] or "")
        rows.add((code, name, year, f"document:{files.get(item['doc_id'], item['doc_id'])}"))
    write(target, INGESTED_COLUMNS, [dict(zip(INGESTED_COLUMNS, r, strict=True)) for r in sorted(rows)])
    return len(rows)


def read_ingested(path: Path, printed: dict[str, Printed]) -> None:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            year = int(row["fiscal_year"]) if row["fiscal_year"] else None
            printed[row["code"]].add(row["name"], row["source"], year, system=system_of(row["code"]))


def read_curation(path: Path) -> tuple[dict[str, dict[str, str]], set[tuple[str, str]]]:
    canonical: dict[str, dict[str, str]] = {}
    rejected: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["action"] == "canonical":
                canonical[row["code"]] = row
            elif row["action"] == "reject":
                rejected.add((row["code"], normalize_name(row["name"])))
            else:
                raise ValueError(f"{path}: unknown action {row['action']!r}")
    return canonical, rejected


def choose_name(names: Counter[str]) -> str:
    """The most printed name that is not a truncation of a longer printed name (ties: longest).

    A truncation is a prefix (`机关事业单位基本养老保险缴` of `…缴费`); a suffix is another name
    (`资本性支出` is not cut from `其他资本性支出`, the pre-2018 name of 310).
    """
    normal = Counter[str]()
    for name, n in names.items():
        normal[normalize_name(name)] += n
    whole = [n for n in normal if not any(n != m and m.startswith(n) for m in normal)]
    return max(whole, key=lambda n: (normal[n], len(n), n))


def build(shared: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[str]]:
    printed: dict[str, Printed] = defaultdict(Printed)
    for seed in sorted((shared / "seed").glob("*.txt")):
        source, year = SEED_SOURCES.get(seed.stem, (f"seed:{seed.stem}", year_in(seed.stem) or 0))
        read_seed(seed, source, year, printed)
    observed = shared / "reference" / "observed_codes.csv"
    if observed.exists():
        read_observed(observed, printed)
    for folder in GROUND_TRUTH:
        read_ground_truth(folder, printed)
    read_ingested(INGESTED_CSV, printed)
    canonical, rejected = read_curation(CURATION_CSV)
    notes: list[str] = []

    subjects: list[dict[str, str]] = []
    variants: list[dict[str, str]] = []
    for code in sorted(set(printed) | set(canonical)):
        p = printed.get(code, Printed())
        system = (canonical.get(code) or {}).get("system") or p.system or system_of(code)
        if not system or not valid_length(code, system):
            notes.append(f"skipped {code}: {len(code)} digits do not fit {system or 'any'} codes (printed as {dict(p.names)})")
            continue
        for name in [n for n in p.names if (code, normalize_name(n)) in rejected]:
            notes.append(f"rejected {code} {name} ({', '.join(sorted(p.sources_by_name[name]))})")
            del p.names[name]
        cur = canonical.get(code)
        name = normalize_name(cur["name"]) if cur else choose_name(p.names)
        sources = sorted({s for n in p.names for s in p.sources_by_name[n]})
        if cur:
            sources.insert(0, cur["source"])
        subjects.append(
            {
                "code": code,
                "name": name,
                "level": level_of(code),
                "parent_code": parent_of(code),
                "system": system,
                "valid_from": "",
                "valid_to": "",
                "years_seen": ";".join(str(y) for y in sorted(p.years)),
                "source": ";".join(sources),
            }
        )
        for variant in sorted(p.names):
            if variant != name:
                variants.append(
                    {"code": code, "variant": variant, "source": ";".join(sorted(p.sources_by_name[variant]))}
                )
    codes = {s["code"] for s in subjects}
    for s in subjects:
        if s["parent_code"] and s["parent_code"] not in codes:
            notes.append(f"parent {s['parent_code']} of {s['code']} is in no source")
    return subjects, variants, notes


def write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding seed/ and reference/")
    parser.add_argument("--ingest", type=Path, help="a published package whose printed codes to record first")
    args = parser.parse_args(argv)
    if args.ingest:
        print(f"{record_ingested(args.ingest)} printed (code, name, year, document) rows → {INGESTED_CSV}")
    if not (args.shared / "reference" / "observed_codes.csv").exists():
        print(f"{args.shared}/reference/observed_codes.csv not found; pass --shared", file=sys.stderr)
        return 2
    subjects, variants, notes = build(args.shared)
    write(SUBJECTS_CSV, SUBJECT_COLUMNS, subjects)
    write(VARIANTS_CSV, VARIANT_COLUMNS, variants)
    for note in notes:
        print(note)
    print(f"{len(subjects)} subjects → {SUBJECTS_CSV}; {len(variants)} variants → {VARIANTS_CSV}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
