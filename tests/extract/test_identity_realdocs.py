"""Department, fiscal year and kind are read from each real document itself (not its file name)."""

from __future__ import annotations

import pytest
from support import realdoc

from extract.document import extract_document

CASES = [
    # (file-name prefix, department as printed on its tables/cover, year, kind)
    ("js_budget_江苏省人大办公厅_省人大办公厅2018", "江苏省人大常委会办公厅", 2018, "budget"),
    ("js_budget_江苏省人大办公厅_江苏省人大常委会2019", "江苏省人大常委会办公厅", 2019, "budget"),
    ("js_budget_江苏省委办公厅_江苏省委办公厅2017年部门预算", "江苏省委办公厅", 2017, "budget"),
    ("js_budget_江苏省委办公厅_江苏省委办公厅2019年度部门预算公开表格", "中共江苏省委办公厅", 2019, "budget"),
    ("sh_budget_2024_", "上海市普陀区人民政府万里街道办事处", 2024, "budget"),
    ("sh_final_2024_", "上海市普陀区财政局", 2024, "final_account"),
    ("sh_template_final_2024_", "上海市XX局", 2024, "final_account"),
    # the cover under a page number `- 1 -`, the name and year on one line, the kind on the next
    ("js_budget_2018_江苏省政协办公厅_部门预算文本", "江苏省政协办公厅", 2018, "budget"),
    # `2017 年度江苏省高级人民法院部门预算公开`: the year before the name is not part of it
    ("js_budget_2017_江苏省高级人民法院", "江苏省高级人民法院", 2017, "budget"),
    ("js_budget_2018_江苏省人民检察院", "江苏省人民检察院", 2018, "budget"),
    ("sh_budget_2025_普陀区人民政府办公室_单位预算", "上海市普陀区人民政府办公室", 2025, "budget"),
    ("sh_budget_2025_普陀区商务委员会_单位预算", "上海市普陀区商务委员会", 2025, "budget"),
]


@pytest.mark.realdocs
@pytest.mark.parametrize(("prefix", "department", "year", "kind"), CASES, ids=[c[0][:28] for c in CASES])
def test_identity(prefix: str, department: str, year: int, kind: str) -> None:
    identity = extract_document(realdoc(prefix)).identity
    assert (identity.department, identity.fiscal_year, identity.doc_kind) == (department, year, kind)
