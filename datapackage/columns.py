"""Records → checked column lists, the single input of both writers.

Why one place: the Parquet and CSV files must hold the same values, so both are
written from the `Columns` built here, and every value is checked here once
(type, required, finite Decimal that fits its decimal128 precision/scale, int32
range). A value that would need rounding is refused, never rounded: money is
exact end to end. Problems are collected and raised together so one run shows
them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from typing import Any

import pyarrow as pa

from core.errors import PublishError
from datapackage.resources import FieldDef, ResourceDef

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
MAX_REPORTED = 20
_WIDE = Context(prec=100)


@dataclass(frozen=True)
class Columns:
    """Values of one resource, column by column, in the resource's field order."""

    resource: ResourceDef
    values: dict[str, list[Any]]
    rows: int


def decimal_fits(value: Decimal, arrow_type: pa.Decimal128Type) -> bool:
    """True when `value` is stored exactly by `arrow_type` (no rounding, no overflow)."""
    if not value.is_finite():
        return False
    try:
        quantized = value.quantize(Decimal(1).scaleb(-arrow_type.scale), context=_WIDE)
    except InvalidOperation:
        return False
    return quantized == value and len(quantized.as_tuple().digits) <= arrow_type.precision


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_safe(value: str) -> str:
    """Text every UTF-8 writer accepts: a lone surrogate (an undecodable byte of a file name,
    decoded with `surrogateescape`) becomes `\\xNN` (or `\\uDXXX`) instead of failing the publish.
    Names are escaped reversibly before they get here (flows/names.py); this is the last guard."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub(
        lambda m: f"\\x{ord(m[0]) - 0xDC00:02x}" if "\udc80" <= m[0] <= "\udcff" else f"\\u{ord(m[0]):04x}", value
    )


def _problem(fd: FieldDef, value: Any) -> str | None:
    if value is None:
        return "is required" if fd.required else None
    if fd.type == "string":
        return None if isinstance(value, str) else f"expected str, got {type(value).__name__}"
    if fd.type == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return f"expected int, got {type(value).__name__}"
        return None if INT32_MIN <= value <= INT32_MAX else f"{value} is outside int32"
    if not isinstance(value, Decimal):
        return f"expected Decimal, got {type(value).__name__} (money is never float)"
    assert fd.decimal is not None
    if not decimal_fits(value, fd.decimal):
        return (
            f"{value} does not fit decimal128({fd.decimal.precision}, {fd.decimal.scale})"
            f" without rounding (at most {fd.decimal.scale} decimals)"
        )
    return None


def build_columns(resource: ResourceDef, records: Sequence[Any], first_row: int = 0) -> Columns:
    """Columns of `resource` from its records; raises PublishError listing bad values.

    `first_row`: the position of `records[0]` in the resource (a batch of a larger one), for the messages.
    """
    values: dict[str, list[Any]] = {f.name: [] for f in resource.fields}
    problems: list[str] = []
    for index, record in enumerate(records, start=first_row):
        if not isinstance(record, resource.record_type):
            problems.append(
                f"{resource.name} row {index}: expected {resource.record_type.__name__},"
                f" got {type(record).__name__}"
            )
            continue
        for fd in resource.fields:
            value = getattr(record, fd.name)
            if isinstance(value, str):
                value = utf8_safe(value)
                if not value and not fd.required and fd.name not in resource.primary_key:
                    value = None  # missing text is null, not '' (Parquet); CSV writes an empty cell
            problem = _problem(fd, value)
            if problem:
                key = ", ".join(f"{k}={getattr(record, k)!r}" for k in resource.primary_key)
                where = f" ({key})" if key else ""
                problems.append(f"{resource.name} row {index}{where} {fd.name}: {problem}")
            values[fd.name].append(value)
    if problems:
        shown = "\n  ".join(problems[:MAX_REPORTED])
        more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise PublishError(
            f"{len(problems)} value(s) cannot be published exactly; fix the stage that made"
            f" them:\n  {shown}{more}"
        )
    return Columns(resource, values, len(records))
