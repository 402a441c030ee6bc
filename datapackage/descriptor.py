"""Builds `datapackage.json` (Frictionless / Data Package v2) from the resource definitions.

Why this shape:
- The CSV resources are the tabular resources, named exactly as DESIGN.md §4
  (`documents`, `line_items`, `consistency`), with full Table Schemas (types,
  constraints, primary and foreign keys) so `frictionless validate` checks every row.
- The Parquet twins are published as file resources (`<name>_parquet`) checked
  by `hash` and `bytes`, and point at their CSV twin's schema with
  `opendisclosure:tableSchemaFrom`. Frictionless 5.21 reads Parquet as a table
  only through pandas (`DataFrame.iterrows`): a null in an integer column (e.g.
  `fiscal_year` of a quarantined document) comes back as NaN and fails as a
  type error, and it is about 20× slower than the CSV (≈40 s per 50,000 rows
  measured here). The publish step instead checks each Parquet file's Arrow
  schema, row count and values against what was written (validation.py), and a
  strict-xfail test tells us when frictionless reads such files correctly.
- Custom properties use the prefixes `opendisclosure:` and `fdp:` (Fiscal Data
  Package terms: currency, factor, direction, phase) so they cannot collide with
  the standard.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datapackage.resources import FieldDef, ResourceDef

DESCRIPTOR_NAME = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RUN_PROPERTY = "opendisclosure:run"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

PACKAGE_NAME = "opendisclosure"
PACKAGE_TITLE = "Chinese government budget and final-account disclosures 部门预算/部门决算公开数据"
PACKAGE_DESCRIPTION = """\
Tables extracted from budget (部门预算) and final-account (部门决算) booklets that Chinese
government departments publish as PDF, with the checks of their internal consistency.

- `documents`: every input file, with its status (ok / quarantined) and the reason when quarantined.
- `line_items`: every numeric cell of the standard tables 公开01表…公开10表, money converted
  exactly to 元 (`amount_yuan`), counts in `quantity`.
- `consistency`: findings of the consistency rules (sums, balances, cross-table and narrative checks).

Each table is published twice with the same rows: Parquet (`data/*.parquet`, exact decimal128
amounts, for pandas/DuckDB/Spark) and CSV (`data/*.csv`, for spreadsheets).
The CSV files are UTF-8 with a byte-order mark so Chinese-locale Excel reads them; amounts are
plain decimal digits (Excel keeps 15 significant digits, so use the Parquet files for exact sums
of very large amounts); codes are text, though Excel may show table code 06 as 6 when a file is
opened directly (import the column as text); text cells beginning with = + - @ (or a tab/CR)
start with an added ' so Excel does not run them as formulas.

Amounts are as published by the departments; a finding in `consistency` means the published
figures disagree, not necessarily that the extraction is wrong.
"""
LICENSES = [
    {
        "name": "ODC-PDDL-1.0",
        "path": "https://opendatacommons.org/licenses/pddl/1-0/",
        "title": "Open Data Commons Public Domain Dedication and License v1.0",
    }
]
SOURCES = [
    {
        "title": (
            "Budget and final-account disclosures (部门预算/部门决算公开) published by Chinese"
            " government departments on their official portals. These are public disclosures;"
            " each file's name, address and SHA-256 are listed in the `documents` resource."
        )
    }
]
KEYWORDS = ["China", "budget", "final accounts", "部门预算", "部门决算", "fiscal data", "open data"]


@dataclass(frozen=True)
class FileInfo:
    """A written file: path relative to the package root (POSIX), sha256 and size."""

    path: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class WrittenResource:
    """One resource as written: its definition, row count and the two files."""

    resource: ResourceDef
    rows: int
    csv: FileInfo
    parquet: FileInfo
    extra: dict[str, Any] = field(default_factory=dict)  # resource-level custom properties
    field_extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # per field name


def utc_timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 UTC timestamp with a `Z`, as the `created` property expects."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def field_descriptor(fd: FieldDef, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": fd.name,
        "type": fd.type,
        "title": fd.title,
        "description": fd.description,
    }
    constraints = dict(fd.constraints)
    if fd.required:
        constraints["required"] = True
    if constraints:
        out["constraints"] = constraints
    out.update(fd.annotations)
    out.update(extra or {})
    out["opendisclosure:arrowType"] = str(fd.arrow_type)
    return out


def schema_descriptor(written: WrittenResource) -> dict[str, Any]:
    rd = written.resource
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f, written.field_extra.get(f.name)) for f in rd.fields],
        "missingValues": [""],
    }
    if rd.primary_key:
        schema["primaryKey"] = list(rd.primary_key)
    if rd.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
            }
            for fk in rd.foreign_keys
        ]
    return schema


def csv_resource(written: WrittenResource) -> dict[str, Any]:
    rd = written.resource
    return {
        "name": rd.name,
        "type": "table",
        "path": written.csv.path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": rd.title,
        "description": rd.description
        + " CSV: UTF-8 with byte-order mark, comma-separated, CRLF line ends, header row.",
        "hash": f"sha256:{written.csv.sha256}",
        "bytes": written.csv.bytes,
        "schema": schema_descriptor(written),
        "opendisclosure:rowCount": written.rows,
        "opendisclosure:parquet": f"{rd.name}_parquet",
        **written.extra,
    }


def parquet_resource(written: WrittenResource) -> dict[str, Any]:
    rd = written.resource
    return {
        "name": f"{rd.name}_parquet",
        "type": "file",
        "path": written.parquet.path,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "title": f"{rd.title} (Parquet)",
        "description": (
            f"The rows and columns of resource `{rd.name}` as Parquet (zstd), for analysts."
            f" Column types are in each field's `opendisclosure:arrowType` in `{rd.name}`:"
            " amounts are decimal128 (exact), years/pages/indexes int32, text utf8 without"
            " the CSV formula guard; empty text is an empty string, missing numbers are null."
        ),
        "hash": f"sha256:{written.parquet.sha256}",
        "bytes": written.parquet.bytes,
        "opendisclosure:tableSchemaFrom": rd.name,
        "opendisclosure:rowCount": written.rows,
    }


def build_descriptor(
    written: Sequence[WrittenResource],
    run_info: Mapping[str, str],
    created: datetime | None = None,
) -> dict[str, Any]:
    """The whole package descriptor: CSV resources first, then their Parquet twins."""
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "created": utc_timestamp(created),
        "licenses": LICENSES,
        "sources": SOURCES,
        "keywords": KEYWORDS,
        RUN_PROPERTY: dict(run_info),
        "resources": [csv_resource(w) for w in written] + [parquet_resource(w) for w in written],
    }


def write_descriptor(descriptor: Mapping[str, Any], directory: Path) -> Path:
    path = directory / DESCRIPTOR_NAME
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def is_published_package(directory: Path) -> bool:
    """True when `directory` holds a package this module wrote (safe to replace)."""
    try:
        descriptor = json.loads((directory / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(descriptor, dict) and RUN_PROPERTY in descriptor
