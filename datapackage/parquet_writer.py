"""Columns → Arrow table → Parquet file, for analysts (pandas, DuckDB, Spark).

Why built this way: Arrow arrays are made straight from the `Decimal` values into
decimal128 (no float anywhere, so no binary rounding); strings stay plain utf8 in
the Arrow schema so every reader sees ordinary text columns, while low-cardinality
columns get Parquet dictionary *page* encoding for size; zstd compresses well and
is read by every current Parquet reader. The Arrow schema (with field
descriptions as metadata) is stored in the file, so pyarrow reads the exact types back.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import PublishError
from datapackage.columns import Columns
from datapackage.resources import ResourceDef

COMPRESSION = "zstd"


def arrow_table(columns: Columns) -> pa.Table:
    """The resource as an Arrow table with exactly the schema in `resources.py`."""
    schema = columns.resource.arrow_schema()
    try:
        arrays = [pa.array(columns.values[f.name], type=f.arrow_type) for f in columns.resource.fields]
        table = pa.Table.from_arrays(arrays, schema=schema)
        table.validate(full=True)
    except (pa.ArrowException, ValueError, TypeError) as exc:
        raise PublishError(f"{columns.resource.name}: cannot build the Arrow table: {exc}") from exc
    return table


def parquet_writer(resource: ResourceDef, path: Path) -> pq.ParquetWriter:
    """An open writer of `resource`'s Parquet file: one row group per batch written to it."""
    dictionary = [f.name for f in resource.fields if f.dictionary]
    try:
        return pq.ParquetWriter(
            path, resource.arrow_schema(), compression=COMPRESSION, use_dictionary=dictionary, write_statistics=True
        )
    except (pa.ArrowException, OSError) as exc:
        raise PublishError(f"{resource.name}: cannot write {path}: {exc}") from exc
