"""Checks a written package before it is swapped into place.

Why two checks: frictionless validates the descriptor, every CSV row (types,
constraints, primary and foreign keys) and the Parquet files' hashes and sizes;
the Parquet read-back then proves each Parquet file holds exactly the Arrow
table that was written (schema incl. decimal128 types, row count, values), which
the hash alone cannot say. Returns problems as strings; the caller decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

MAX_REPORTED = 50


def frictionless_problems(descriptor_path: Path) -> list[str]:
    """Every frictionless error of the package (descriptor and all resources)."""
    try:
        package = frictionless.Package(str(descriptor_path))
        report = package.validate()
    except frictionless.FrictionlessException as exc:
        reasons = [f"descriptor: {r.message}" for r in getattr(exc, "reasons", [])]
        return reasons or [f"descriptor: {exc.error.message}"]
    problems: list[str] = []
    for task in report.tasks:
        for error in task.errors:
            where = task.name
            row = getattr(error, "row_number", None)
            if row is not None:
                where += f" row {row} (CSV header = row 1)"
            field = getattr(error, "field_name", None)
            if field:
                where += f" field {field}"
            problems.append(f"{where}: [{error.type}] {error.message}")
    problems.extend(f"package: [{e.type}] {e.message}" for e in report.errors)
    if report.valid is False and not problems:
        problems.append("package: frictionless reported the package invalid without details")
    return problems


def parquet_problems(written: Mapping[str, tuple[Path, pa.Table]]) -> list[str]:
    """Differences between each Parquet file and the Arrow table it was written from."""
    problems: list[str] = []
    for name, (path, expected) in written.items():
        try:
            actual = pq.read_table(path)
        except (pa.ArrowException, OSError) as exc:
            problems.append(f"{name}: cannot read {path.name}: {exc}")
            continue
        if not actual.schema.equals(expected.schema, check_metadata=False):
            problems.append(f"{name}: schema read back differs:\n{actual.schema}")
        elif actual.num_rows != expected.num_rows:
            problems.append(f"{name}: {actual.num_rows} rows read back, {expected.num_rows} written")
        elif not actual.equals(expected):
            problems.append(f"{name}: values read back differ from those written")
    return problems


def package_problems(descriptor_path: Path, parquet: Mapping[str, tuple[Path, pa.Table]]) -> list[str]:
    """All problems of a written package, frictionless first."""
    return frictionless_problems(descriptor_path) + parquet_problems(parquet)
