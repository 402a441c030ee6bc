"""The package's own README.md: what it holds, its coverage, how to cite it, its licences.

    text = package_readme(content, created="2024-05-01T02:00:00Z", url="https://…")

Generated from the `PackageContent` being published (generic over its resources), so it cannot
disagree with the data: resources and row counts, documents ok / partial / quarantined, and the
coverage as departments × fiscal years × document kinds (published documents).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from core.records import DocStatus
from datapackage.descriptor import LICENSES, PACKAGE_TITLE, utc_timestamp
from datapackage.publish import DATA_DIR, PackageContent

README_NAME = "README.md"
#: Where the package is published; a placeholder until a release address is configured.
URL_PLACEHOLDER = "<URL of this package>"
KIND_ZH = {"final_account": "决算", "budget": "预算", "unknown": "未识别"}
ATTACHED_FILES = (
    ("opendisclosure.xlsx", "the same tables as one Excel workbook (Chinese headers, codes as text), and each"
     " document's tables laid out as printed"),
    ("report/index.html", "the consistency report, department by department"),
    ("CHANGELOG.md", "what changed since the previous package (documents added / removed / revised, figures)"),
    ("datapackage.json", "the Frictionless descriptor: every column's type, unit and meaning"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _coverage(content: PackageContent) -> list[str]:
    published = [d for d in content.documents if d.status in (DocStatus.OK.value, DocStatus.PARTIAL.value)]
    if not published:
        return ["No document was published."]
    years = sorted({d.fiscal_year for d in published if d.fiscal_year})
    cells: dict[str, Counter[tuple[int | None, str]]] = defaultdict(Counter)
    for d in published:
        cells[d.department or "(department not recognised)"][(d.fiscal_year, d.doc_kind)] += 1
    kinds = sorted({d.doc_kind for d in published})
    head = ["department 部门", *(str(y) for y in years)] + (["year unknown"] if any(not d.fiscal_year for d in
                                                                                   published) else [])
    lines = [
        f"{len(cells)} departments × {len(years)} fiscal years × {len(kinds)} kinds"
        f" ({', '.join(f'{k} {KIND_ZH.get(k, k)}' for k in kinds)}); each cell names the kinds published"
        " (×2 when two files).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for department in sorted(cells):
        row = [_cell(department)]
        for year in years + ([None] if len(head) > len(years) + 1 else []):
            got = [(KIND_ZH.get(k, k), n) for (y, k), n in sorted(cells[department].items(), key=str) if y == year]
            row.append(" ".join(name + (f"×{n}" if n > 1 else "") for name, n in got))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def package_readme(content: PackageContent, created: str = "", url: str = URL_PLACEHOLDER) -> str:
    created = created or utc_timestamp()
    code = content.run_info.get("code_version", "")
    status = Counter(d.status for d in content.documents)
    resources = [
        ("documents", "Documents 文档", len(content.documents)),
        ("line_items", "Line items 表格数据", len(content.line_items)),
        ("consistency", "Consistency findings 一致性检查", len(content.findings)),
        *((rd.name, rd.title, len(records)) for rd, records in content.extra_resources),
    ]
    licence = LICENSES[0]
    lines = [
        f"# {PACKAGE_TITLE}",
        "",
        f"Version {created}" + (f" (code {code})" if code else "") + f". Published at {url}.",
        "",
        "Tables read from the budget (部门预算) and final-account (部门决算) booklets Chinese government"
        " departments publish as PDF, with the checks of their internal consistency. Every table is here"
        f" twice with the same rows: `{DATA_DIR}/<name>.parquet` (exact decimals, for pandas / DuckDB / R) and"
        f" `{DATA_DIR}/<name>.csv` (UTF-8 with BOM, for spreadsheets).",
        "",
        "## What it holds",
        "",
        "| resource | title | rows |",
        "|---|---|---:|",
        *(f"| `{name}` | {_cell(title)} | {rows:,} |" for name, title, rows in resources),
        "",
        *(f"- `{name}`: {what}" for name, what in ATTACHED_FILES),
        "",
        "## Documents",
        "",
        f"{len(content.documents)} input files: {status.get(DocStatus.OK.value, 0)} ok,"
        f" {status.get(DocStatus.PARTIAL.value, 0)} partial (published, some amounts not read: see `tables`),"
        f" {status.get(DocStatus.QUARANTINED.value, 0)} quarantined (nothing published; the reason is in"
        " `documents.error`).",
        "",
        "## Coverage",
        "",
        *_coverage(content),
        "",
        "Budgets (预算, approved) and final accounts (决算, executed) are different phases: never add them"
        " together; filter `documents.doc_kind` (joined on `doc_id`).",
        "",
        "## How to cite",
        "",
        f"> opendisclosure: {PACKAGE_TITLE}. Version {created}" + (f", code {code}" if code else "")
        + f". {url}",
        "",
        "Cite a figure with its document (`documents.source_file`, `source_url`, `sha256`) and `page`: every"
        " line item and finding carries the page of the PDF it was read from.",
        "",
        "## Licences",
        "",
        "- **Source documents**: public disclosures (部门预算/部门决算公开) that government departments publish on"
        " their official portals under the open-government-information rules; each file's name, address and"
        " SHA-256 are in `documents`. The figures are theirs, as printed.",
        f"- **This data package** (the extracted tables, checks and descriptor): {licence['title']}"
        f" ({licence['name']}, {licence['path']}), as `licenses` in `datapackage.json` says. Attribution is"
        " appreciated, not required.",
        "- **The code** that made it: MIT.",
        "",
        "Amounts are as published by the departments: a finding in `consistency` means the published figures"
        " disagree, not necessarily that the extraction is wrong.",
        "",
    ]
    return "\n".join(lines)
