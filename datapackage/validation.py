"""Checks a written package before it is swapped into place.

Why two checks: frictionless validates the descriptor, every CSV row (types,
constraints, primary and foreign keys) and the Parquet files' hashes and sizes;
the Parquet read-back then proves each Parquet file holds exactly the Arrow
table that was written (schema incl. decimal128 types, row count, values), which
the hash alone cannot say. Returns problems as strings; the caller decides.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

from datapackage.validation_memo import ValidationMemo, file_matches, resource_keys

MAX_REPORTED = 50


def frictionless_problems(descriptor_path: Path, memo: ValidationMemo | None = None) -> list[str]:
    """Every frictionless error of the package (descriptor and all resources); with `memo`, a
    resource that passed before as it is now is not read again (datapackage/validation_memo.py)."""
    try:
        package = frictionless.Package(str(descriptor_path))
        keys: dict[str, str]
        if memo is None:
            report, keys = package.validate(), {}
        else:
            report, keys = _validate_unremembered(package, descriptor_path, memo)
    except frictionless.FrictionlessException as exc:
        reasons = [f"descriptor: {r.message}" for r in getattr(exc, "reasons", [])]
        return reasons or [f"descriptor: {exc.error.message}"]
    problems: list[str] = []
    for task in report.tasks:
        if task.errors:
            keys.pop(task.name, None)  # never remembered
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
    if memo is not None and not report.errors:
        memo.remember(keys.values())
    return problems


def _validate_unremembered(
    package: frictionless.Package, descriptor_path: Path, memo: ValidationMemo
) -> tuple[frictionless.Report, dict[str, str]]:
    """Package.validate(), minus the resources the memo has passed as they are: the report, and
    the key of every resource (those validated with an error are dropped by the caller)."""
    try:
        package.to_descriptor(validate=True)  # the descriptor itself, as Package.validate checks it first
    except frictionless.FrictionlessException as exc:
        return frictionless.Report.from_validation(errors=exc.to_errors()), {}
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    keys = resource_keys(descriptor)
    stated = {r.get("name"): r for r in descriptor.get("resources", [])}
    reports = [
        resource.validate()
        for resource in package.resources
        if not (
            resource.name in keys
            and memo.passed(keys[resource.name])
            and file_matches(descriptor_path.parent, stated[resource.name])
        )
    ]
    return frictionless.Report.from_validation_reports(time=0, reports=reports), keys


#: what a resource's Parquet file must hold: its path, Arrow schema and its tables batch by
#: batch, rebuilt from the records on each call (datapackage/resource_files.py)
Expected = tuple[Path, pa.Schema, Callable[[], Iterable[pa.Table]]]


def parquet_problems(written: Mapping[str, Expected]) -> list[str]:
    """Differences between each Parquet file and the Arrow tables it was written from, row group by row group."""
    problems: list[str] = []
    for name, (path, schema, batches) in written.items():
        try:
            problems += _file_problems(name, pq.ParquetFile(path), schema, batches())
        except (pa.ArrowException, OSError) as exc:
            problems.append(f"{name}: cannot read {path.name}: {exc}")
    return problems


def _file_problems(name: str, file: pq.ParquetFile, schema: pa.Schema, batches: Iterable[pa.Table]) -> list[str]:
    if not file.schema_arrow.equals(schema, check_metadata=False):
        return [f"{name}: schema read back differs:\n{file.schema_arrow}"]
    expected_rows = 0
    for index, table in enumerate(batches):
        expected_rows += table.num_rows
        if index >= file.num_row_groups:
            continue
        actual = file.read_row_group(index)
        if actual.num_rows != table.num_rows or not actual.equals(table):
            return [f"{name}: values read back differ from those written (row group {index})"]
    if file.metadata.num_rows != expected_rows:
        return [f"{name}: {file.metadata.num_rows} rows read back, {expected_rows} written"]
    return []


def package_problems(descriptor_path: Path, parquet: Mapping[str, Expected]) -> list[str]:
    """All problems of a written package, frictionless first (resources it passed before as they
    are now not read again: the machine's ValidationMemo)."""
    return frictionless_problems(descriptor_path, ValidationMemo.default()) + parquet_problems(parquet)
