"""The report page without a browser: self-contained, escaped, every finding shown with its values."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser

from core.records import DocumentRecord, Finding, LineItem
from datapackage.report import fmt, render_report
from schemas.rules import load_rules


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id" and v]


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_fmt() -> None:
    assert fmt(Decimal("2946.25")) == "2,946.25"
    assert fmt(Decimal("-0.01")) == "-0.01"
    assert fmt(Decimal("1E+2")) == "100"
    assert fmt(None) == ""


DOC = DocumentRecord(
    doc_id="a", source_file="某局2024年度部门决算.pdf", source_url="", sha256="ab" * 32, department="某局",
    fiscal_year=2024, doc_kind="final_account", pages=30, status="ok", error="", unit="万元",
)
ITEM = LineItem(
    doc_id="a", department="某局", fiscal_year=2024, table_code="03", row_index=0, subject_system="function",
    subject_code="208", code_source="printed", subject_name="社会保障和就业支出", line_label="社会保障和就业支出",
    measure="total_expenditure", measure_zh="本年支出合计", amount_yuan=Decimal("3267200.00"), quantity=None,
    value_original=Decimal("326.72"), unit_original="万元", page=12,
)
FINDING = Finding(
    doc_id="a", rule_id="ARITH_PARENT_SUM", severity="info", category="arithmetic", table_code="03",
    subject_code="", expected=None, actual=None, difference=None, message="", page=None,
)


def doc(**kw: object) -> DocumentRecord:
    return replace(DOC, **kw)  # type: ignore[arg-type]


def item(**kw: object) -> LineItem:
    return replace(ITEM, **kw)  # type: ignore[arg-type]


def finding(**kw: object) -> Finding:
    return replace(FINDING, **kw)  # type: ignore[arg-type]


def _page() -> str:
    docs = [
        doc(doc_id="a", department="上海市<某>局", tables_found="01,03", tables_absent="10"),
        doc(doc_id="q", department="", source_file="bad.pdf", status="quarantined", error="corrupt_pdf: 截断",
            error_code="corrupt_pdf"),
    ]
    items = [item(doc_id="a", table_code="03", page=12), item(doc_id="a", table_code="01", page=6, row_index=1)]
    findings = [
        finding(doc_id="a", rule_id="XTABLE_01_03", severity="warning", table_code="01,03", subject_code="208",
                expected=Decimal("326.72"), actual=Decimal("326.71"), difference=Decimal("-0.01"), page=6,
                message="<script>alert(1)</script>"),
        finding(doc_id="", rule_id="XDOC_UNIT_SCALE", severity="warning", table_code="01", page=None,
                expected=Decimal("126538200"), actual=Decimal("777830000000"), difference=Decimal("777703461800"),
                message="单位可能有误"),
    ]
    return render_report(docs, items, findings, load_rules())


def test_self_contained_and_escaped() -> None:
    html = _page()
    parsed = _parse(html)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert not [t for t, _ in parsed.tags if t in {"script", "link", "img", "iframe", "object", "embed"}]
    assert not re.search(r"src=|url\(|@import", html)  # nothing is fetched
    # the only links out are to a document's own PDF (its source_url), and the page has none
    assert not re.search(r"href=\"(https?:)?//", html)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "上海市&lt;某&gt;局" in html
    assert len(parsed.ids) == len(set(parsed.ids))  # anchors are unique


def test_shows_statuses_values_and_rules() -> None:
    html = _page()
    ids = _parse(html).ids
    assert {"dept-1", "dept-2", "doc-a", "doc-q", "cross-document", "rules", "rule-XTABLE_01_03"} <= set(ids)
    for text in ("326.72", "326.71", "-0.01", "第 6 页", "已发布", "未发布（隔离）", "corrupt_pdf: 截断",
                 "777,830,000,000", "单位可能有误", "10 国有资产占用情况表", load_rules()["XTABLE_01_03"].description_zh):
        assert text in html, text
    # the department anchor comes before its document's findings, the cross-document section after
    assert html.index('id="dept-1"') < html.index("326.71") < html.index('id="cross-document"') < html.index("单位可能有误")


def test_budget_tables_named_from_the_budget_set() -> None:
    """A 部门预算's table 05 is 一般公共预算支出预算表, not the 决算 set's 05."""
    from dataclasses import replace as _replace

    from support import ROOT

    from datapackage.report import render_report
    from normalize.documents import process_document
    from schemas.rules import load_rules

    pdf = ROOT / "samples" / "pdfs" / "synthetic_water_bureau_2024.pdf"
    result = process_document(pdf, pdf.name)
    budget = _replace(result.document, doc_kind="budget", tables_found="05", tables_absent="")
    page = render_report([budget], [], [], load_rules())
    assert "一般公共预算支出预算表" in page and "一般公共预算财政拨款支出决算表" not in page


def test_extraction_notes_are_shown() -> None:
    from dataclasses import replace as _replace

    from support import ROOT

    from datapackage.report import render_report
    from normalize.documents import process_document
    from schemas.rules import load_rules

    pdf = ROOT / "samples" / "pdfs" / "synthetic_water_bureau_2024.pdf"
    doc = _replace(process_document(pdf, pdf.name).document, notes="p9: a ruled table <b> was not read")
    page = render_report([doc], [], [], load_rules())
    assert "提取说明" in page and "p9: a ruled table &lt;b&gt; was not read" in page


def _findings_page() -> str:
    """Findings of several kinds and units, for the ranking, the collapsing and the links."""
    docs = [
        doc(doc_id="w", department="万元局", unit="万元", source_url="https://example.gov.cn/a/b.pdf"),
        doc(doc_id="y", department="元局", unit="元", source_file="元局.pdf", source_url="javascript:alert(1)"),
    ]
    findings = [
        finding(doc_id="w", rule_id="XTABLE_01_03", severity="warning", table_code="01,03", subject_code="208",
                expected=Decimal("10.00"), actual=Decimal("13.00"), difference=Decimal("3.00"), page=6),  # 30,000 元
        finding(doc_id="y", rule_id="ARITH_PARENT_SUM", severity="error", table_code="05", subject_code="201",
                expected=Decimal("100"), actual=Decimal("20100"), difference=Decimal("20000"), page=9),  # 20,000 元
        finding(doc_id="y", rule_id="NARR_SHARE", severity="warning", table_code="03", expected=Decimal("10"),
                actual=Decimal("99999"), difference=Decimal("99989"), page=2),  # a percentage: not ranked
        finding(doc_id="w", rule_id="ARITH_PARENT_SUM", severity="info", table_code="03", subject_code="20101",
                expected=Decimal("1"), actual=Decimal("999"), difference=Decimal("998"), page=12),  # info: not ranked
        finding(doc_id="", rule_id="XDOC_UNIT_SCALE", severity="warning", table_code="01", expected=Decimal("1"),
                actual=Decimal("25001"), difference=Decimal("25000"), message="单位可能有误"),  # 25,000 元
    ]
    return render_report(docs, [], findings, load_rules())


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start:html.index("</section>", start)]


def test_largest_disagreements_first_in_yuan() -> None:
    html = _findings_page()
    top = _section(html, "largest")
    rows = re.findall(r'<tr class="top-finding">(.*?)</tr>', top, re.S)
    assert [r for r in rows if "XTABLE_01_03" in r][0] == rows[0]
    assert "30,000" in rows[0] and "万元局" in rows[0] and "2024 部门决算" in rows[0]
    assert "XDOC_UNIT_SCALE" in rows[1] and "25,000" in rows[1] and "跨文件" in rows[1]
    assert "ARITH_PARENT_SUM" in rows[2] and "20,000" in rows[2]
    assert len(rows) == 3  # neither the info finding nor the percentage is ranked
    # each ranked row links to its finding's row below
    for anchor in re.findall(r'href="#(f-[\w-]+)"', top):
        assert f'<tr class="finding" id="{anchor}">' in html


def test_info_collapsed_warnings_shown() -> None:
    html = _findings_page()
    article = html[html.index('id="doc-w"'):html.index("</article>", html.index('id="doc-w"'))]
    details = re.findall(r"<details[^>]*>.*?</details>", article, re.S)
    assert len(details) == 1 and " open" not in details[0].split(">")[0]
    assert "20101" in details[0] and "ARITH_PARENT_SUM" in details[0]  # the info finding, by rule
    assert "208" not in details[0] and "208" in article  # the warning is outside it


def test_findings_link_to_the_pdf_page_when_the_url_is_known() -> None:
    html = _findings_page()
    assert 'href="https://example.gov.cn/a/b.pdf#page=6"' in html
    assert "javascript:" not in html.replace("javascript:alert(1)</dd>", "")  # printed as text, never a link
    assert 'href="javascript' not in html
    # without a URL the ranking names the file and the page
    assert "元局.pdf 第 9 页" in _section(html, "largest")


def test_coverage_and_tables_not_read() -> None:
    from core.records import TableRecord

    d = doc(doc_id="p", status="partial", amounts_printed=200, amounts_read=150, coverage=Decimal("0.75"),
            tables_partial=1, tables_missing=1)
    tables = [
        TableRecord("p", "05", "一般公共预算财政拨款支出决算表", "五、…", "14;15", "partial", "grid_unreadable",
                    "p15: a grid <b> was not read", 40, 80, 40, Decimal("0.5")),
        TableRecord("p", "09", "财政拨款三公经费支出决算表", "", "", "missing", "table_not_printed", "not found",
                    0, 0, 0, None),
        TableRecord("p", "03", "支出决算表", "三、支出决算表", "12", "read", "", "", 9, 9, 9, Decimal("1")),
    ]
    html = render_report([d], [], [], load_rules(), tables)
    assert "覆盖率 75.0%" in html and "未完整读取的表" in html
    assert "grid_unreadable" in html and "p15: a grid &lt;b&gt; was not read" in html and "40 / 80" in html
    assert "table_not_printed" in html and "<b>03 支出决算表</b>" not in html  # one read in full is not listed


def test_department_charts_are_inline_svg() -> None:
    items = [
        item(doc_id="a", table_code="03", line_label="合计", subject_code="", measure=m, amount_yuan=Decimal(v))
        for m, v in (("total_expenditure", "3000000"), ("basic_expenditure", "2000000"),
                     ("project_expenditure", "1000000"))
    ]
    html = render_report([doc(doc_id="a", department="某<局>")], items, [], load_rules())
    dept = _section(html, "dept-1")
    assert dept.count("<svg") == 3 and 'role="img"' in dept and "<title" in dept
    assert "300.00 万元" in dept and "67%" in dept
    assert "口径" in dept and "03 表" in dept  # the definition is stated next to the charts
