"""The consistency report as one self-contained HTML page (`report/index.html` in the package).

    html = render_report(documents, line_items, findings, load_rules(), tables)

One file: inline CSS and inline SVG charts, no script, nothing fetched, so it opens from disk
in any browser with no server and reads on a phone (tables become cards under 600 px).
Everything printed comes from the records and is escaped (autoescape; the charts escape
their own text). The page tells the story in this order: the largest disagreements (errors
and warnings ranked by their difference in yuan), then one section per department with its
charts (`report_figures.py`), its documents, their number accounting and their findings —
warnings and errors shown, info findings (within 尾数误差) collapsed by rule.

A finding links to its PDF at its page (`source_url#page=N`) when the document's URL is known
(crawled, http/https only); for local files the PDF is not in the package, so the file name
and page are printed instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from core.records import DocStatus, DocumentRecord, Finding, LineItem, Severity, TableRecord
from datapackage.report_figures import (
    DEFINITIONS,
    DEFINITIONS_EN,
    Chart,
    department_charts,
    document_figures,
    is_figure_item,
)
from schemas.rules import Rule
from schemas.table_specs import table_names

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示（尾数误差以内）"}
SEVERITY_ORDER = {s.value: i for i, s in enumerate(Severity)}
STATUS_ZH = {"ok": "已发布", "partial": "部分读取（已发布可读部分）", "quarantined": "未发布（隔离）"}
TABLE_STATUS_ZH = {"partial": "部分读取", "unread": "未读取", "missing": "未找到", "empty": "空表", "read": "已读取"}
KIND_ZH = {"final_account": "部门决算", "budget": "部门预算", "unknown": "未识别"}
NO_DEPARTMENT = "（部门未识别）"
TOP_N = 20
YUAN_PER = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
# Rules whose values are not money (used when a finding carries no `unit` of its own)
NOT_MONEY = {
    "NARR_SHARE", "NARR_GROWTH", "NARR_ZERO_BASE", "NARR_COMPLETION", "PERF_EXECUTION_RATE", "PERF_SCORE_SUM",
    "PERF_DUPLICATE_TABLE", "TABLE_AMOUNT_NOT_READ", "TABLE_VALUE_NOT_PRINTED", "TABLE_MISSING", "EMPTY_TABLE_NOTE",
    "XDOC_SAME_CODE_DIFFERENT_NAME", "REF_UNKNOWN_CODE", "REF_NAME_MISMATCH", "REF_UNMATCHED_NAME",
    "REF_INVALID_CODE_LENGTH", "XDOC_EMPTY_DOCUMENT",
}
SHOWN = {Severity.ERROR.value, Severity.WARNING.value}


@dataclass
class TableInfo:
    code: str
    name: str
    cells: int
    pages: list[int]


@dataclass
class FindingView:
    """A finding as the page shows it: its anchor, unit, difference in yuan and where to read it."""

    f: Finding
    anchor: str
    doc: DocumentRecord | None
    unit: str
    yuan: Decimal | None  # |difference| in yuan, None when the values are not money
    href: str  # the PDF at the page, "" when no URL is known
    department: str = ""
    department_anchor: str = ""

    @property
    def place(self) -> str:
        """Where to look when there is no link: file name and page."""
        name = self.doc.source_file if self.doc else ""
        page = f"第 {self.f.page} 页" if self.f.page else ""
        return " ".join(p for p in (name, page) if p)


@dataclass
class RuleGroup:
    rule_id: str
    rule: Rule | None
    findings: list[FindingView]

    @property
    def worst(self) -> str:
        return min((v.f.severity for v in self.findings), key=lambda s: SEVERITY_ORDER.get(s, 9))

    @property
    def counts(self) -> list[tuple[str, int]]:
        c = Counter(v.f.severity for v in self.findings)
        return sorted(c.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9))


@dataclass
class Findings:
    """Findings of one scope: the groups shown, and the info groups collapsed."""

    shown: list[RuleGroup]
    info: list[RuleGroup]

    @property
    def info_count(self) -> int:
        return sum(len(g.findings) for g in self.info)

    def __bool__(self) -> bool:
        return bool(self.shown or self.info)


@dataclass
class DocumentSection:
    doc: DocumentRecord
    anchor: str
    tables: list[TableInfo]
    absent: list[TableInfo]
    findings: Findings
    not_read: list[TableRecord] = field(default_factory=list)
    severity_counts: dict[str, int] = field(default_factory=dict)

    @property
    def source_href(self) -> str:
        return pdf_href(self.doc, None)


@dataclass
class DepartmentSection:
    name: str
    anchor: str
    documents: list[DocumentSection]
    names: list[str] = field(default_factory=list)  # every name printed, when more than one
    charts: list[tuple[Chart, Markup]] = field(default_factory=list)

    @property
    def severity_counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for d in self.documents:
            total.update(d.severity_counts)
        return dict(total)


def fmt(value: Decimal | None) -> str:
    """A Decimal as plain digits with thousands separators ('' for None)."""
    if value is None:
        return ""
    return f"{value:,f}"


def pdf_href(doc: DocumentRecord | None, page: int | None) -> str:
    """`source_url#page=N` for an http(s) source URL, '' otherwise (a local file is not in the package)."""
    url = doc.source_url.strip() if doc else ""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    base = url.split("#", 1)[0]
    return f"{base}#page={page}" if page else base


def finding_unit(f: Finding, doc: DocumentRecord | None) -> str:
    """The unit of a finding's values: its own `unit`, else 元 across documents, else the document's."""
    own = str(getattr(f, "unit", "") or "")
    if own:
        return own
    if not f.doc_id:
        return "元"
    if f.rule_id in NOT_MONEY:
        return ""
    return doc.unit if doc else ""


def difference_yuan(f: Finding, unit: str) -> Decimal | None:
    """|difference| in yuan, or None when the unit is not money or no difference is given."""
    if f.difference is None or unit not in YUAN_PER:
        return None
    return abs(f.difference) * YUAN_PER[unit]


def _group(views: Sequence[FindingView], rules: Mapping[str, Rule]) -> list[RuleGroup]:
    by_rule: dict[str, list[FindingView]] = defaultdict(list)
    for v in views:
        by_rule[v.f.rule_id].append(v)
    order = {rule_id: i for i, rule_id in enumerate(rules)}
    groups = [RuleGroup(rule_id, rules.get(rule_id), vs) for rule_id, vs in by_rule.items()]
    groups.sort(key=lambda g: (SEVERITY_ORDER.get(g.worst, 9), order.get(g.rule_id, len(order)), g.rule_id))
    for g in groups:
        g.findings.sort(key=lambda v: (SEVERITY_ORDER.get(v.f.severity, 9), -(v.yuan or 0), v.f.table_code,
                                       v.f.page or 0, v.f.subject_code))
    return groups


def _split(views: Sequence[FindingView], rules: Mapping[str, Rule]) -> Findings:
    return Findings(
        shown=_group([v for v in views if v.f.severity in SHOWN], rules),
        info=_group([v for v in views if v.f.severity not in SHOWN], rules),
    )


def _department_key(doc: DocumentRecord) -> str:
    return str(getattr(doc, "department_id", "") or "") or doc.department or NO_DEPARTMENT


def _views(findings: Sequence[Finding], documents: Sequence[DocumentRecord]) -> list[FindingView]:
    docs = {d.doc_id: d for d in documents}
    views, used = [], set()
    for n, f in enumerate(findings, 1):
        doc = docs.get(f.doc_id)
        unit = finding_unit(f, doc)
        own = str(getattr(f, "finding_id", "") or "")
        anchor = f"f-{own}" if own and f"f-{own}" not in used else f"f-{n}"  # stable when the id is known
        used.add(anchor)
        views.append(FindingView(f, anchor, doc, unit, difference_yuan(f, unit), pdf_href(doc, f.page)))
    return views


def _sections(
    documents: Sequence[DocumentRecord],
    line_items: Sequence[LineItem],
    views: Sequence[FindingView],
    rules: Mapping[str, Rule],
    tables: Sequence[TableRecord],
) -> list[DepartmentSection]:
    cells: Counter[tuple[str, str]] = Counter()
    pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    items_by_doc: dict[str, list[LineItem]] = defaultdict(list)
    for item in line_items:
        cells[(item.doc_id, item.table_code)] += 1
        pages[(item.doc_id, item.table_code)].add(item.page)
        if is_figure_item(item):  # only what document_figures reads: memory stays per document
            items_by_doc[item.doc_id].append(item)
    not_read: dict[str, list[TableRecord]] = defaultdict(list)
    for t in tables:
        if t.status in {"partial", "unread", "missing"}:
            not_read[t.doc_id].append(t)
    by_doc: dict[str, list[FindingView]] = defaultdict(list)
    for v in views:
        if v.f.doc_id:
            by_doc[v.f.doc_id].append(v)
    by_department: dict[str, list[DocumentRecord]] = defaultdict(list)
    for doc in documents:
        by_department[_department_key(doc)].append(doc)

    def newest_name(key: str) -> str:
        named = [d for d in by_department[key] if d.department]
        if not named:
            return NO_DEPARTMENT
        return max(named, key=lambda d: (d.fiscal_year or 0, d.department)).department

    departments: list[DepartmentSection] = []
    keys = sorted(by_department, key=lambda k: (newest_name(k) == NO_DEPARTMENT, newest_name(k), k))
    for d_index, key in enumerate(keys):
        name, anchor = newest_name(key), f"dept-{d_index + 1}"
        docs = sorted(by_department[key], key=lambda d: (-(d.fiscal_year or 0), d.doc_kind, d.source_file))
        sections = []
        for doc in docs:
            names = table_names(doc.doc_kind)
            found = [c for c in doc.tables_found.split(",") if c]
            mine = by_doc.get(doc.doc_id, [])
            for v in mine:
                v.department, v.department_anchor = name, anchor
            sections.append(
                DocumentSection(
                    doc=doc,
                    anchor=f"doc-{doc.doc_id}",
                    tables=[
                        TableInfo(c, names.get(c, ""), cells[(doc.doc_id, c)], sorted(pages[(doc.doc_id, c)]))
                        for c in found
                    ],
                    absent=[TableInfo(c, names.get(c, ""), 0, []) for c in doc.tables_absent.split(",") if c],
                    findings=_split(mine, rules),
                    not_read=sorted(not_read.get(doc.doc_id, []), key=lambda t: t.table_code),
                    severity_counts=dict(Counter(v.f.severity for v in mine)),
                )
            )
        figures = [
            (doc, document_figures(items_by_doc.get(doc.doc_id, []), doc.doc_kind))
            for doc in docs if doc.status != DocStatus.QUARANTINED.value
        ]
        printed = sorted({d.department for d in docs if d.department})
        departments.append(
            DepartmentSection(
                name, anchor, sections,
                names=printed if len(printed) > 1 else [],
                charts=[(c, Markup(c.svg)) for c in department_charts(anchor, figures)],  # noqa: S704 (charts.py escapes)
            )
        )
    return departments


def top_findings(views: Sequence[FindingView], n: int = TOP_N) -> list[FindingView]:
    """Errors and warnings with a money difference, largest |difference| in yuan first."""
    ranked = [v for v in views if v.f.severity in SHOWN and v.yuan is not None]
    ranked.sort(key=lambda v: (-(v.yuan or 0), SEVERITY_ORDER.get(v.f.severity, 9), v.f.rule_id, v.anchor))
    return ranked[:n]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("datapackage", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["pct"] = lambda c: "" if c is None else f"{Decimal(c) * 100:.1f}%"
    return env


def render_report(
    documents: Sequence[DocumentRecord],
    line_items: Sequence[LineItem],
    findings: Sequence[Finding],
    rules: Mapping[str, Rule],
    tables: Sequence[TableRecord] = (),
) -> str:
    """The whole report page as one HTML string (UTF-8 text, lang zh-CN)."""
    views = _views(findings, documents)
    departments = _sections(documents, line_items, views, rules, tables)
    severity_counts = Counter(f.severity for f in findings)
    used = {f.rule_id for f in findings}
    ranked = [v for v in views if v.f.severity in SHOWN and v.yuan is not None]
    printed = sum(d.amounts_printed for d in documents)
    read = sum(d.amounts_read for d in documents)
    return _environment().get_template("report.html.j2").render(
        departments=departments,
        top=top_findings(views),
        ranked_total=len(ranked),
        top_n=TOP_N,
        documents_total=len(documents),
        documents_ok=sum(d.status == DocStatus.OK.value for d in documents),
        documents_partial=sum(d.status == DocStatus.PARTIAL.value for d in documents),
        documents_quarantined=sum(d.status == DocStatus.QUARANTINED.value for d in documents),
        amounts_printed=printed,
        amounts_read=read,
        coverage=(Decimal(read) / Decimal(printed)) if printed else None,
        line_items_total=len(line_items),
        findings_total=len(findings),
        severity_counts=[(s.value, severity_counts.get(s.value, 0)) for s in Severity],
        cross=_split([v for v in views if not v.f.doc_id], rules),
        rules=list(rules.values()),
        rules_used=used,
        severity_zh=SEVERITY_ZH,
        status_zh=STATUS_ZH,
        table_status_zh=TABLE_STATUS_ZH,
        kind_zh=KIND_ZH,
        definitions=DEFINITIONS,
        definitions_en=DEFINITIONS_EN,
    )
