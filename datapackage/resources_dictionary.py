"""Resources that explain the others: `departments` and `table_types`.

`departments` gives every department one stable id and lists every name it was
printed under (normalize/departments.py); `table_types` says what each table code
means in each document kind (`05` is a different table in a 决算 and in a 预算), its
rows and its measures, straight from the table specs (schemas/data/*_tables.toml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.records import Department
from datapackage.resources import ForeignKey, ResourceDef, _text
from schemas.table_specs import SPEC_SET_BY_KIND, load_specs

DEPARTMENTS = ResourceDef(
    name="departments",
    title="Departments 部门",
    description=(
        "One row per department: a stable id for every name it is printed under (aliases as data with their"
        " provenance in schemas/data/department_aliases.csv), level and region from its name. `documents` and"
        " `line_items` refer to it by department_id."
    ),
    record_type=Department,
    primary_key=("department_id",),
    fields=(
        _text("department_id", "Department id 部门编号", "Stable id: a hash of the canonical name.", required=True),
        _text("name", "Name 部门名称", "Canonical name (the alias table's, else the name as printed).", required=True),
        _text("names_printed", "Names printed 印刷名称", "Every name this department is printed under, `;`-separated."),
        _text("level", "Level 级次", "province / city / district, from the name's place prefix; empty when none.",
              constraints={"enum": ["province", "city", "district"]}, dictionary=True),
        _text("region", "Region 地区", "The place the name starts with (`江苏省`, `上海市普陀区`).", dictionary=True),
        _text("alias_source", "Alias provenance 别名来源", "Where the alias rows used for this department come from."),
    ),
)

#: line_items.department_id → departments (added by the flow together with the resource)
DEPARTMENT_KEY = ForeignKey(("department_id",), "departments", ("department_id",))

_ROWS = {
    "summary": ("numbered income and expenditure lines (一、… 总计) on two sides", "收支两方的编号行（一、…、总计）"),
    "function": ("function classification codes 类/款/项 (3/5/7 digits) and a 合计 row", "支出功能分类科目（类/款/项）及合计"),
    "economic": ("economic classification codes 类/款 (3/5 digits), 人员经费/公用经费 subtotals",
                 "支出经济分类科目（类/款）及人员经费、公用经费合计"),
    "item": ("named items (三公 items, vehicle and equipment counts)", "具名项目（三公经费各项、车辆设备数）"),
}


@dataclass(frozen=True)
class TableType:
    doc_kind: str
    table_code: str
    name_zh: str
    name_en: str
    rows_en: str
    rows_zh: str
    measures: str  # the spec's measure keys, ";"-separated (resource `measures` explains each)
    kind: str  # money / count


TABLE_TYPES = ResourceDef(
    name="table_types",
    title="Table types 表格说明",
    description=(
        "What each table code means in each document kind: `05` is one table in a 部门决算 and another in a"
        " 部门预算. Join line_items on (phase = doc_kind, table_code)."
    ),
    record_type=TableType,
    primary_key=("doc_kind", "table_code"),
    fields=(
        _text("doc_kind", "Document kind 文档类型", "final_account (决算) or budget (预算).", required=True,
              constraints={"enum": list(SPEC_SET_BY_KIND)}, dictionary=True),
        _text("table_code", "Table 表号", "Table code within that kind's set.", required=True),
        _text("name_zh", "Name 表名", "Standard Chinese name."),
        _text("name_en", "Name (English) 英文表名", "English name."),
        _text("rows_en", "Rows 行", "What the rows are."),
        _text("rows_zh", "Rows (中文) 行说明", "行的含义。"),
        _text("measures", "Measures 指标", "Measure keys of its columns (resource `measures`), `;`-separated."),
        _text("kind", "Kind 类型", "money (amounts) or count (quantities).", constraints={"enum": ["money", "count"]}),
    ),
)


def table_types() -> list[TableType]:
    rows: list[TableType] = []
    for kind, spec_set in SPEC_SET_BY_KIND.items():
        for spec in load_specs(spec_set):
            en, zh = _ROWS.get(spec.row_key, ("", ""))
            rows.append(TableType(kind, spec.code, spec.name, spec.name_en, en, zh, ";".join(spec.measures), spec.kind))
    return rows


def dictionary_resources(departments: Sequence[Department]) -> list[tuple[ResourceDef, list[Any]]]:
    """`departments` (normalize/departments.py, from the documents' printed names) and `table_types`."""
    return [
        (DEPARTMENTS, list(departments)),
        (TABLE_TYPES, table_types()),
    ]
