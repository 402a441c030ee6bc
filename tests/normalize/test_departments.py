"""Departments: one id per department whatever name is printed; files of one disclosure share an id."""

from __future__ import annotations

import pytest
from support import realdoc

from normalize.departments import canonical_name, department_id, departments, level_and_region
from normalize.documents import process_document


def test_jiangsu_party_office_three_names_one_department() -> None:
    """江苏省委办公厅 / 中共江苏省委办公厅 / 中国共产党江苏省委员会办公厅: the alias table (data) joins them."""
    names = ["江苏省委办公厅", "中共江苏省委办公厅", "中国共产党江苏省委员会办公厅"]
    ids = {department_id(canonical_name(n)[0]) for n in names}
    assert len(ids) == 1
    (dept,) = departments(names)
    assert dept.name == "中共江苏省委办公厅" and dept.names_printed.split(";") == names
    assert dept.alias_source and (dept.level, dept.region) == ("province", "江苏省")


@pytest.mark.parametrize(
    ("name", "level", "region"),
    [
        ("上海市普陀区财政局", "district", "上海市普陀区"),
        ("上海市普陀区人民政府万里街道办事处", "district", "上海市普陀区"),
        ("江苏省高级人民法院", "province", "江苏省"),
        ("江西省总工会", "province", "江西省"),
        ("样例市水利局", "city", "样例市"),
        ("江苏省南京市财政局", "city", "江苏省南京市"),
        ("某某协会", "", ""),
    ],
)
def test_level_and_region_from_the_name(name: str, level: str, region: str) -> None:
    assert level_and_region(name) == (level, region)


@pytest.mark.realdocs
@pytest.mark.parametrize(
    ("narrative", "tables"),
    [
        ("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开文件", "js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格"),
        ("js_budget_2018_江苏省政协办公厅_部门预算文本", "js_budget_2018_江苏省政协办公厅_预算公开表"),
        ("js_budget_江苏省人大办公厅_江苏省人大常委会2019年度部门预算公开", "js_budget_江苏省人大办公厅_江苏省人大常委会办公厅2019年部门预算公开表"),
    ],
)
def test_narrative_file_and_table_file_are_one_disclosure(narrative: str, tables: str) -> None:
    """Jiangsu publishes each year's 部门预算 as a 文本 and a 公开表: one disclosure, each value in its own file."""
    a = process_document(realdoc(narrative), "a.pdf")
    b = process_document(realdoc(tables), "b.pdf")
    assert a.document.doc_id != b.document.doc_id
    assert a.document.department_id == b.document.department_id != ""
    assert a.document.disclosure_id == b.document.disclosure_id != ""
    assert {i.disclosure_id for i in b.line_items} == {b.document.disclosure_id}
    assert {i.doc_id for i in b.line_items} == {b.document.doc_id}


@pytest.mark.realdocs
def test_unit_budget_beside_the_department_budget_is_another_disclosure() -> None:
    """Shanghai 2025: 普陀区人民政府办公室 publishes a 部门预算 and a 单位预算 with different figures."""
    dept = process_document(realdoc("sh_budget_2025_普陀区人民政府办公室_部门预算"), "d.pdf").document
    unit = process_document(realdoc("sh_budget_2025_普陀区人民政府办公室_单位预算"), "u.pdf").document
    assert (dept.doc_scope, unit.doc_scope) == ("department", "unit")
    assert dept.department_id == unit.department_id and dept.disclosure_id != unit.disclosure_id
