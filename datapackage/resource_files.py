"""One resource's Parquet and CSV files, written batch by batch.

Why batches: a run's line items are read document by document from the result spool
(normalize/spool.py); building the columns of all of them at once would hold every value of the
resource in memory twice (Python lists, then Arrow). Each batch of BATCH_ROWS records is checked
(columns.py), written as one Parquet row group and appended to the CSV, then dropped. The
read-back check (validation.py) rebuilds the batches from the same records and compares each
with its row group, so it does not hold the resource either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from core.errors import PublishError
from datapackage.columns import build_columns
from datapackage.csv_writer import csv_appender
from datapackage.parquet_writer import arrow_table, parquet_writer
from datapackage.resources import ResourceDef

#: records per batch and per Parquet row group: ~10 MB of Python values and Arrow arrays for line items
BATCH_ROWS = 10_000


def record_batches(records: Iterable[Any], size: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(position of the first record, records) per batch of `size` (BATCH_ROWS); nothing for no records."""
    iterator, start, size = iter(records), 0, size or BATCH_ROWS
    while batch := list(islice(iterator, size)):
        yield start, batch
        start += len(batch)


def arrow_batches(resource: ResourceDef, records: Iterable[Any], size: int | None = None) -> Iterator[pa.Table]:
    """The resource's Arrow tables, one per batch, checked (PublishError for a value that cannot be written)."""
    for start, batch in record_batches(records, size):
        yield arrow_table(build_columns(resource, batch, first_row=start))


def write_resource_files(
    resource: ResourceDef, records: Sequence[Any], parquet_path: Path, csv_path: Path, size: int | None = None
) -> int:
    """Write both files of `resource` from `records` (iterated once); returns the rows written."""
    rows = 0
    writer = parquet_writer(resource, parquet_path)
    try:
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            append = csv_appender(resource, handle)
            for start, batch in record_batches(records, size):
                columns = build_columns(resource, batch, first_row=start)
                writer.write_table(arrow_table(columns), row_group_size=len(batch))
                append(columns)
                rows += len(batch)
    except (pa.ArrowException, OSError) as exc:
        raise PublishError(f"{resource.name}: cannot write {parquet_path.name} / {csv_path.name}: {exc}") from exc
    finally:
        writer.close()
    return rows
