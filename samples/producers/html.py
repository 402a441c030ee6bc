"""Write a booklet as one HTML document of tables with colspan/rowspan, for Chromium to print.

Why HTML: many portals publish booklets printed from a browser. Chromium prints a
`colspan` cell as one box with no inner rules, repeats `<thead>` on every page a
long table continues on, and sizes rows itself — none of which we choose. The
header is a `<thead>` (repeated) or, for the variant without repeated headers,
styled `display: table-row-group` so it prints once. `ruled=False` prints the same
tables with no rules at all, text aligned in columns only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from samples.grid import Cell, TableSheet
from samples.producers.logical import Booklet


@dataclass(frozen=True)
class PageStyle:
    """How the page looks: fonts, rules, row padding (taller rows make tables continue)."""

    fonts: str = '"Liberation Serif", "Droid Sans Fallback"'
    ruled: bool = True
    repeat_header: bool = True
    row_padding: float = 2.5  # points above and below a cell's text


def _css(style: PageStyle) -> str:
    border = "0.75pt solid #000" if style.ruled else "none"
    thead = "table-header-group" if style.repeat_header else "table-row-group"
    return f"""
@page {{ size: A4 portrait; margin: 14mm 12mm; }}
@page land {{ size: A4 landscape; margin: 12mm 12mm; }}
body {{ font-family: {style.fonts}; font-size: 9pt; margin: 0; }}
section {{ break-before: page; }}
section.landscape {{ page: land; }}
section.cover {{ break-before: auto; text-align: center; padding-top: 260pt; }}
section.cover .dept {{ font-size: 28pt; margin-bottom: 24pt; }}
section.cover .year {{ font-size: 24pt; }}
h1 {{ font-size: 16pt; text-align: center; margin: 0 0 4pt; font-weight: bold; }}
h2 {{ font-size: 15pt; text-align: center; margin: 0 0 10pt; font-weight: bold; }}
p {{ font-size: 12pt; line-height: 1.75; text-indent: 2em; margin: 0 0 6pt; }}
.label {{ text-align: right; font-size: 10pt; margin-bottom: 2pt; }}
.caption {{ display: flex; justify-content: space-between; font-size: 10pt; margin-bottom: 3pt; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
thead {{ display: {thead}; }}
td, th {{ border: {border}; padding: {style.row_padding}pt 3pt; font-weight: normal; vertical-align: middle; }}
tr {{ break-inside: avoid; }}
.l {{ text-align: left; }} .r {{ text-align: right; }} .c {{ text-align: center; }}
.note {{ font-size: 9.5pt; text-indent: 0; line-height: 1.4; margin: 4pt 0 0; }}
"""


def _cell(cell: Cell, tag: str) -> str:
    span = ""
    if cell.colspan > 1:
        span += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        span += f' rowspan="{cell.rowspan}"'
    cls = {"left": "l", "right": "r"}.get(cell.align, "c")
    return f'<{tag}{span} class="{cls}">{escape(cell.text)}</{tag}>'


def _table(sheet: TableSheet, heading: str) -> str:
    total = sum(c.width for c in sheet.columns)
    out = [f'<section class="{sheet.orientation}">']
    if heading:
        out.append(f"<h2>{escape(heading)}</h2>")
    out.append(f"<h1>{escape(sheet.title)}</h1>")
    if sheet.label:
        out.append(f'<div class="label">{escape(sheet.label)}</div>')
    out.append('<div class="caption">' + "".join(f"<span>{escape(t)}</span>" for t in sheet.caption) + "</div>")
    out.append("<table><colgroup>")
    out += [f'<col style="width:{100 * c.width / total:.3f}%">' for c in sheet.columns]
    out.append("</colgroup><thead>")
    for r in range(sheet.header_rows):
        cells = sorted((c for c in sheet.header if c.row == r), key=lambda c: c.col)
        out.append("<tr>" + "".join(_cell(c, "th") for c in cells) + "</tr>")
    out.append("</thead><tbody>")
    for row in sheet.body:
        out.append("<tr>" + "".join(_cell(c, "td") for c in sorted(row, key=lambda c: c.col)) + "</tr>")
    out.append("</tbody></table>")
    out += [f'<p class="note">{escape(n)}</p>' for n in sheet.notes]
    out.append("</section>")
    return "\n".join(out)


def booklet_html(booklet: Booklet, style: PageStyle) -> str:
    """The whole booklet: cover, 第一部分, the ten tables (one section each), 第三部分."""
    dept, year = booklet.cover()
    parts = [
        f'<section class="cover"><div class="dept">{escape(dept)}</div><div class="year">{escape(year)}</div>'
        "</section>",
        f"<section><h2>{escape(booklet.part_heading(1))}</h2><p>{escape(booklet.overview)}</p></section>",
    ]
    parts += [_table(s, booklet.part_heading(2) if i == 0 else "") for i, s in enumerate(booklet.sheets)]
    parts.append(f"<section><h2>{escape(booklet.part_heading(3))}</h2><p>{escape(booklet.explanation())}</p></section>")
    title = escape(f"{booklet.department}{booklet.fiscal_year}年度部门决算")
    return (
        f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_css(style)}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
