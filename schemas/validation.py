"""Pandera models for the standard tables, built from the table specs.

One schema per table (its measures, its code system, whether it must carry a 合计 /
总计 row), run lazily so that every failure of a table is reported at once. Failures
become QuarantineReasons that a journalist can read: which table, which check, which
rows, which page.
"""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from core.records import QuarantineReason, RawTable
from schemas.table_specs import TableSpec

CODE_PATTERN = r"^(\d{3,7})?$"

# pandera tries `import geopandas` on each dtype look-up it does not memoize; when geopandas is not
# installed each failed import walks sys.path again (0.7 ms a table, a fifth of its validation).
# Marked absent only when it is not installed, so nothing that could import it is changed.
if "geopandas" not in sys.modules and importlib.util.find_spec("geopandas") is None:
    sys.modules["geopandas"] = None  # type: ignore[assignment]


def _is_text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, str))


#: a text column: object dtype plus an every-element-is-a-str check. pandera's own `str` dtype checks
#: element by element too, then builds and prints an empty failure-case frame for every column that
#: passes (1.2 ms a column, half of a table's validation); this check says the same thing.
def _text_column(*checks: pa.Check) -> pa.Column:
    return pa.Column(object, [pa.Check(_is_text, element_wise=False, error="a value that is not text", name="text"), *checks])


def _is_decimal(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, Decimal))


def _nonnegative(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, Decimal) and v >= 0)


@cache
def table_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema of one standard table's cells (one row per numeric cell)."""
    checks: list[pa.Check] = []
    if spec.required_labels:
        labels = spec.required_labels

        def has_required(df: pd.DataFrame) -> bool:
            present = set(df["line_label"])
            return all(any(p.endswith(label) for p in present) for label in labels)

        checks.append(
            pa.Check(has_required, error=f"required rows missing: {'、'.join(labels)}", name="required_rows")
        )
    if spec.subject_system:

        def coded_or_total(df: pd.DataFrame) -> pd.Series:
            # a table printed with names only is legal (codes are inferred later); a
            # coded table's uncoded rows must be totals
            coded = df["subject_code"] != ""
            if not coded.any():
                return coded | True
            return coded | df["line_label"].str.contains("合计|总计|小计", regex=True)

        checks.append(
            pa.Check(
                coded_or_total,
                error="a row has values but neither a classification code nor a 合计 label",
                name="rows_have_codes",
            )
        )
    return pa.DataFrameSchema(
        {
            "row_index": pa.Column(int, pa.Check.gt(0)),
            "subject_code": _text_column(pa.Check.str_matches(CODE_PATTERN)),
            "line_label": _text_column(),
            "measure": _text_column(pa.Check.isin(list(spec.measures))),
            "value": pa.Column(
                object,
                [
                    pa.Check(_is_decimal, element_wise=False, error="value is not an exact Decimal"),
                    pa.Check(_nonnegative, element_wise=False, error="amount must be ≥ 0", name="nonnegative"),
                ],
            ),
            "page": pa.Column(int, pa.Check.gt(0)),
        },
        checks=checks,
        name=f"table_{spec.code}",
        strict=True,
        coerce=False,
    )


def cells_frame(table: RawTable) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row_index": pd.Series([c.row_index for c in table.cells], dtype="int64"),
            "subject_code": pd.Series([c.subject_code for c in table.cells], dtype=object),
            "line_label": pd.Series([c.line_label for c in table.cells], dtype=object),
            "measure": pd.Series([c.measure for c in table.cells], dtype=object),
            "value": pd.Series([c.value for c in table.cells], dtype=object),
            "page": pd.Series([c.page for c in table.cells], dtype="int64"),
        }
    )


def validate_table(table: RawTable, spec: TableSpec) -> list[QuarantineReason]:
    """Every failure of one table, readable; empty when the table is valid.

    A table printed empty with its 空表说明 (e.g. no 政府性基金 money) is valid.
    """
    if not table.cells:
        return []
    frame = cells_frame(table)
    try:
        table_schema(spec).validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _reasons(errors, frame, spec)
    return []


def _reasons(errors: SchemaErrors, frame: pd.DataFrame, spec: TableSpec) -> list[QuarantineReason]:
    reasons: list[QuarantineReason] = []
    cases = errors.failure_cases
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        indexes = [int(i) for i in group["index"].dropna().tolist()]
        rows = frame.loc[frame.index.isin(indexes)]
        pages = sorted(set(rows["page"].tolist()))
        sample = "; ".join(
            f"{r.line_label or r.subject_code} {r.measure}={r.value}" for r in rows.head(3).itertuples()
        )
        where = f" (e.g. {sample})" if sample else ""
        what = column if isinstance(column, str) and column != spec.name else "table"
        reasons.append(
            QuarantineReason(
                "table_invalid",
                f"{spec.name}: check '{check!s}' failed on {what} for {len(group)} value(s){where}",
                spec.code,
                pages[0] if pages else None,
            )
        )
    return reasons
