"""The consistency report as one self-contained HTML page (`report/index.html` in the package).

    html = render_report(documents, line_items, findings, load_rules())

One file: inline CSS, no script, no external asset, so it opens from disk in any
browser with no server. Everything printed comes from the records and is escaped
(autoescape). Written for readers who do not know the data model: headings in
Chinese with English subtitles, one section per department with an anchor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from core.records import DocStatus, DocumentRecord, Finding, LineItem, Severity
from schemas.rules import Rule
from schemas.table_specs import table_names

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示（尾数误差以内）"}
SEVERITY_ORDER = {s.value: i for i, s in enumerate(Severity)}
STATUS_ZH = {"ok": "已发布", "partial": "部分读取（已发布可读部分）", "quarantined": "未发布（隔离）"}
KIND_ZH = {"final_account": "部门决算", "budget": "部门预算", "unknown": "未识别"}
NO_DEPARTMENT = "（部门未识别）"


@dataclass
class TableInfo:
    code: str
    name: str
    cells: int
    pages: list[int]


@dataclass
class RuleGroup:
    rule_id: str
    rule: Rule | None
    findings: list[Finding]

    @property
    def worst(self) -> str:
        return min((f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER.get(s, 9))

    @property
    def counts(self) -> list[tuple[str, int]]:
        c = Counter(f.severity for f in self.findings)
        return sorted(c.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9))


@dataclass
class DocumentSection:
    doc: DocumentRecord
    anchor: str
    tables: list[TableInfo]
    absent: list[TableInfo]
    groups: list[RuleGroup]
    severity_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class DepartmentSection:
    name: str
    anchor: str
    documents: list[DocumentSection]

    @property
    def severity_counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for d in self.documents:
            total.update(d.severity_counts)
        return dict(total)

    @property
    def statuses(self) -> Counter[str]:
        return Counter(d.doc.status for d in self.documents)


def fmt(value: Decimal | None) -> str:
    """A Decimal as plain digits with thousands separators ('' for None)."""
    if value is None:
        return ""
    return f"{value:,f}"


def _group(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[RuleGroup]:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule_id].append(f)
    order = {rule_id: i for i, rule_id in enumerate(rules)}
    groups = [RuleGroup(rule_id, rules.get(rule_id), fs) for rule_id, fs in by_rule.items()]
    groups.sort(key=lambda g: (SEVERITY_ORDER.get(g.worst, 9), order.get(g.rule_id, len(order)), g.rule_id))
    for g in groups:
        g.findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.table_code, f.page or 0, f.subject_code))
    return groups


def _sections(
    documents: Sequence[DocumentRecord],
    line_items: Sequence[LineItem],
    findings: Sequence[Finding],
    rules: Mapping[str, Rule],
) -> list[DepartmentSection]:
    cells: Counter[tuple[str, str]] = Counter()
    pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    for item in line_items:
        cells[(item.doc_id, item.table_code)] += 1
        pages[(item.doc_id, item.table_code)].add(item.page)
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.doc_id:
            by_doc[f.doc_id].append(f)
    by_department: dict[str, list[DocumentRecord]] = defaultdict(list)
    for doc in documents:
        by_department[doc.department or NO_DEPARTMENT].append(doc)
    departments: list[DepartmentSection] = []
    for d_index, name in enumerate(sorted(by_department, key=lambda n: (n == NO_DEPARTMENT, n))):
        docs = sorted(by_department[name], key=lambda d: (-(d.fiscal_year or 0), d.doc_kind, d.source_file))
        sections = []
        for doc in docs:
            names = table_names(doc.doc_kind)
            found = [c for c in doc.tables_found.split(",") if c]
            sections.append(
                DocumentSection(
                    doc=doc,
                    anchor=f"doc-{doc.doc_id}",
                    tables=[
                        TableInfo(c, names.get(c, ""), cells[(doc.doc_id, c)], sorted(pages[(doc.doc_id, c)]))
                        for c in found
                    ],
                    absent=[TableInfo(c, names.get(c, ""), 0, []) for c in doc.tables_absent.split(",") if c],
                    groups=_group(by_doc.get(doc.doc_id, []), rules),
                    severity_counts=dict(Counter(f.severity for f in by_doc.get(doc.doc_id, []))),
                )
            )
        departments.append(DepartmentSection(name, f"dept-{d_index + 1}", sections))
    return departments


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("datapackage", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env


def render_report(
    documents: Sequence[DocumentRecord],
    line_items: Sequence[LineItem],
    findings: Sequence[Finding],
    rules: Mapping[str, Rule],
) -> str:
    """The whole report page as one HTML string (UTF-8 text, lang zh-CN)."""
    departments = _sections(documents, line_items, findings, rules)
    severity_counts = Counter(f.severity for f in findings)
    cross = _group([f for f in findings if not f.doc_id], rules)
    used = {f.rule_id for f in findings}
    return _environment().get_template("report.html.j2").render(
        departments=departments,
        documents_total=len(documents),
        documents_ok=sum(d.status == DocStatus.OK.value for d in documents),
        documents_partial=sum(d.status == DocStatus.PARTIAL.value for d in documents),
        documents_quarantined=sum(d.status == DocStatus.QUARANTINED.value for d in documents),
        line_items_total=len(line_items),
        findings_total=len(findings),
        severity_counts=[(s.value, severity_counts.get(s.value, 0)) for s in Severity],
        cross_groups=cross,
        rules=list(rules.values()),
        rules_used=used,
        severity_zh=SEVERITY_ZH,
        status_zh=STATUS_ZH,
        kind_zh=KIND_ZH,
    )
