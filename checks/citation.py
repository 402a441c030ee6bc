"""Findings that can be cited: a stable id, the unit of their values, the department and disclosure.

`finding_id` hashes what a finding is about — rule, document, table, code, page and the
values compared — so the same finding in the same document has the same id in every
run (document ids are content hashes), and a journalist's link to it keeps working.
The unit of expected/actual/difference is the document's (万元/元) unless the rule
compares something else (`schemas/data/rule_units.csv`: %, 分, 个).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from core.records import DocumentRecord, Finding

_UNITS = Path(__file__).resolve().parent.parent / "schemas" / "data" / "rule_units.csv"


@cache
def rule_units() -> dict[str, str]:
    with _UNITS.open(encoding="utf-8") as fh:
        return {r["rule_id"]: r["unit"] for r in csv.DictReader(fh)}


def finding_id(f: Finding) -> str:
    key = "|".join(
        str(x) for x in (f.rule_id, f.doc_id, f.table_code, f.subject_code, f.page, f.expected, f.actual, f.message)
    )
    return "f-" + hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def cite(findings: Iterable[Finding], documents: Sequence[DocumentRecord]) -> list[Finding]:
    """The findings with finding_id, unit, department_id and disclosure_id set."""
    by_id = {d.doc_id: d for d in documents}
    units = rule_units()
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for f in findings:
        doc = by_id.get(f.doc_id)
        has_values = f.expected is not None or f.actual is not None or f.difference is not None
        unit = units.get(f.rule_id, doc.unit if doc else "") if has_values else ""
        base = finding_id(f)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(
            replace(
                f,
                finding_id=base if n == 0 else f"{base}-{n + 1}",  # the same finding printed twice
                unit=unit,
                department_id=doc.department_id if doc else "",
                disclosure_id=doc.disclosure_id if doc else "",
            )
        )
    return out
