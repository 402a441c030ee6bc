"""A 类/款/项 name the narrative prints that names no row of the document's tables (peer V33-227 / BUD-109).

    NARR_SUBJECT_NAME_MISMATCH  "一般公共服务支出（类）统计信息事物（款）统计管理（项）" (a misspelt 款) while the
                                function-coded tables print 20105 统计信息事务

A figure is matched to its row by the names of its path ("X支出（类）Y（款）Z（项）", Shanghai 2025's
"“X-Y-Z”科目": `extract.narrative.class_path`), so a misspelt name is a figure left unbound; this rule
reports it. Sound by construction, it reports only when
  * the path's 类 is a 类 row (a 3-digit 2xx code) of a function-coded table of the document (or, for a
    narrative file, of its disclosure's table file): a path whose 类 no table prints is not judged;
  * the tables print 款 rows under that 类 (for a 项: 项 rows under its 款): the tables were read that deep;
  * the 款 (项) name is no name of a child row in any table, after NFKC, whitespace and 其它/其他,
    not the reference name or a known variant (schemas/data/subject_variants.csv) of a child code in
    the tables or in the reference (a valid name whose row the tables do not print is not a misspelling),
    and does not begin with a child's printed name (a wrapped cell read in part).
The first wrong level is reported, once per path and page. Run by `checks.narrative_rules.check_narrative`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from checks.registry import scoped_rule
from checks.view import DocumentView, normalize_name
from core.records import Finding, NarrativeFigure
from extract.narrative import class_path
from schemas.reference import Reference, load_reference
from schemas.rules import Rule

SCOPE = "narrative"
_LEVEL = ("类", "款", "项")


class SubjectsView(Protocol):
    doc_id: str
    figures: Sequence[NarrativeFigure]
    tables: DocumentView


def _name(text: str) -> str:
    return normalize_name(text).replace("其它", "其他")


def function_names(view: DocumentView) -> dict[str, set[str]]:
    """Every function code (2xx, 2xxyy, 2xxyyzz) printed by a coded table → the names it is printed with
    (the row's name and label, its cells' printed names: every reading of the row agrees)."""
    names: dict[str, set[str]] = {}
    for table in view.tables():
        for code, row in view.coded_rows(table).items():
            if code.isdigit() and code.startswith("2") and len(code) in (3, 5, 7) and row.name:
                printed = {row.name, row.line_label, *(c.subject_name_printed for c in row.cells.values())}
                names.setdefault(code, set()).update(_name(n) for n in printed if n)
    return names


def _known(code: str, printed: dict[str, set[str]], reference: Reference) -> set[str]:
    subject = reference.get(code)
    return printed.get(code, set()) | ({_name(n) for n in subject.names()} if subject else set())


def _children(parents: set[str], length: int, printed: dict[str, set[str]]) -> set[str]:
    return {c for c in printed if len(c) == length and c[:-2] in parents}


def _matching(name: str, codes: set[str], printed: dict[str, set[str]], reference: Reference) -> set[str]:
    return {
        c for c in codes
        if name in _known(c, printed, reference) or any(len(p) >= 2 and name.startswith(p) for p in printed.get(c, ()))
    }


def unmatched_level(path: Sequence[str], printed: dict[str, set[str]], reference: Reference) -> tuple[int, set[str]] | None:
    """The first level (1 = 款, 2 = 项) of `path` no printed child matches, with the children it was
    compared with; None when the path matches or cannot be judged."""
    names = [_name(n) for n in path]
    codes = _matching(names[0], {c for c in printed if len(c) == 3}, printed, reference)
    for depth, name in enumerate(names[1:], start=1):
        if not codes:
            return None  # the 类 (or the 款 above) is not printed: nothing to judge against
        children = _children(codes, 3 + 2 * depth, printed)
        if not children:
            return None  # the tables were not read (or print nothing) at this depth
        found = _matching(name, children, printed, reference)
        if not found:
            valid = {s.code for p in codes for s in reference.children(p) if name in {_name(n) for n in s.names()}}
            return None if valid else (depth, children)
        codes = found
    return None


@scoped_rule(SCOPE, "NARR_SUBJECT_NAME_MISMATCH")
def subject_name_mismatch(view: SubjectsView, rule: Rule) -> list[Finding]:
    printed = function_names(view.tables)
    if not printed:
        return []  # no function-coded table read: nothing to judge
    reference = load_reference()
    findings: list[Finding] = []
    seen: set[tuple[tuple[str, ...], int]] = set()
    for figure in view.figures:
        path = class_path(figure.subject)
        if len(path) < 2 or "" in path or (path, figure.page) in seen:  # "X（类）Z（项）": no 款 to judge Z under
            continue
        seen.add((path, figure.page))
        found = unmatched_level(path, printed, reference)
        if found is None:
            continue
        depth, children = found
        rows = "、".join(f"{c} {sorted(printed[c])[0]}" for c in sorted(children))
        findings.append(Finding(
            doc_id=view.doc_id, rule_id=rule.rule_id, severity=rule.severity, category=rule.category,
            table_code="", subject_code="", expected=None, actual=None, difference=None,
            message=(
                f"情况说明「{figure.subject}」的{_LEVEL[depth]}名称“{path[depth]}”不是表中“{path[depth - 1]}”下任何"
                f"{_LEVEL[depth]}级科目的名称（表中为：{rows}） / page {figure.page}: the narrative's {_LEVEL[depth]}"
                f" name “{path[depth]}” names no {_LEVEL[depth]} row under “{path[depth - 1]}” in the tables ({rows})"
            ),
            page=figure.page,
        ))
    return findings
