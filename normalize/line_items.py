"""RawTable cells → LineItem records: unit conversion to yuan, counts kept apart.

Money is multiplied exactly (`Decimal`), never rounded: 12,653.82 万元 is
126,538,200 元. Counts (table 10, the 辆/个/人次 rows of 09) are not money: they go
to `quantity` with their unit and leave `amount_yuan` empty.
"""

from __future__ import annotations

from decimal import Decimal

from core.records import LineItem, RawTable

UNIT_FACTORS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """Exact conversion; raises KeyError for a unit that is not money (caller decides)."""
    return value * UNIT_FACTORS[unit]


def line_items(
    doc_id: str,
    department: str,
    fiscal_year: int | None,
    table: RawTable,
    subject_system: str,
    document_unit: str,
) -> list[LineItem]:
    unit = table.unit if table.unit in UNIT_FACTORS else document_unit
    items: list[LineItem] = []
    for cell in table.cells:
        is_count = bool(cell.count_unit)
        items.append(
            LineItem(
                doc_id=doc_id,
                department=department,
                fiscal_year=fiscal_year,
                table_code=table.table_code,
                row_index=cell.row_index,
                subject_system=subject_system if cell.subject_code else "",
                subject_code=cell.subject_code,
                code_source=cell.code_source,
                subject_name=cell.subject_name,
                line_label=cell.line_label,
                measure=cell.measure,
                measure_zh=cell.measure_zh,
                amount_yuan=None if is_count else to_yuan(cell.value, unit),
                quantity=cell.value if is_count else None,
                value_original=cell.value,
                unit_original=cell.count_unit if is_count else unit,
                page=cell.page,
            )
        )
    return items
