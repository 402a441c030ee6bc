"""Findings that can be cited: the same finding has the same id in every run; values carry their unit."""

from __future__ import annotations

from support import realdoc

from flows.content import package_content
from normalize.documents import process_document


def _findings() -> list:
    pdf = realdoc("sh_final_2024_")
    return package_content([process_document(pdf, pdf.name)], {}).findings


def test_shanghai_final_2024_finding_ids_are_stable_across_runs_and_unique() -> None:
    first, second = _findings(), _findings()
    assert first and [f.finding_id for f in first] == [f.finding_id for f in second]
    assert len({f.finding_id for f in first}) == len(first)
    assert all(f.finding_id.startswith("f-") for f in first)


def test_units_follow_the_rule_and_the_document() -> None:
    findings = _findings()
    units = {f.rule_id: f.unit for f in findings}
    assert units.get("NARR_SHARE") == "%"  # 一般公共服务支出 "占71.73%" (p.21)
    assert {u for r, u in units.items() if r.startswith(("ARITH", "XTABLE"))} <= {"万元"}
    assert all(f.department_id and f.disclosure_id for f in findings if f.doc_id)
