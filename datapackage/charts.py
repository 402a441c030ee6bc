"""Static SVG charts for the report page, drawn at publish time (no script, no network).

    svg = grouped_bars("c1", "支出合计", rows, series)

Pure functions: data in, one `<svg>` string out. Every text is escaped; each chart
carries `role="img"`, a `<title>` and a `<desc>` listing every value (what a screen
reader reads), and every bar its own `<title>` (the exact amount on hover). The
drawing is horizontal bars with the label above them, so it stays legible when the
page is 360 px wide: the `viewBox` is 360 units wide and the SVG scales to its box.

Amounts are given in yuan (`Decimal`) and printed in 万元 with two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH = 360
BAR = 14  # bar height
GAP = 4  # between bars of one row
LABEL = 16  # height of a row's label line
ROW_GAP = 10
LEGEND = 22
VALUE_ROOM = 118  # room right of the longest bar for its value
WAN = Decimal(10000)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str


@dataclass(frozen=True)
class Row:
    """One labelled row of bars: series key → amount in yuan (None: not printed)."""

    label: str
    values: tuple[tuple[str, Decimal | None], ...]
    note: str = ""  # added to the row's <title>s, e.g. which table the figure comes from


def wan(amount: Decimal | None) -> str:
    """Yuan as 万元 with two decimals and thousands separators ('—' for None)."""
    if amount is None:
        return "—"
    return f"{(amount / WAN).quantize(Decimal('0.01')):,f} 万元"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{_e(chart_id)}-t {_e(chart_id)}-d">',
        f'<title id="{_e(chart_id)}-t">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-d">{_e(desc)}</desc>',
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    out, x = [], 0
    for s in series:
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{_e(s.color)}"/>')
        out.append(f'<text x="{x + 14}" y="13" class="legend">{_e(s.label)}</text>')
        x += 14 + 13 * len(s.label) + 14
    return out


def _describe(title: str, rows: Sequence[Row], series: Sequence[Series]) -> str:
    labels = {s.key: s.label for s in series}
    parts = [
        f"{r.label}: " + "，".join(f"{labels.get(k, k)} {wan(v)}" for k, v in r.values if v is not None)
        for r in rows
    ]
    return f"{title}。" + "；".join(parts)


def _scale(rows: Sequence[Row], stacked: bool) -> Decimal:
    if stacked:
        peaks = [sum((max(v, Decimal(0)) for _, v in r.values if v is not None), Decimal(0)) for r in rows]
    else:
        peaks = [max(v, Decimal(0)) for r in rows for _, v in r.values if v is not None]
    peak = max(peaks, default=Decimal(0))
    return Decimal(WIDTH - VALUE_ROOM) / peak if peak > 0 else Decimal(0)


def _length(value: Decimal, scale: Decimal) -> float:
    return round(float(max(value, Decimal(0)) * scale), 1)


def empty_chart(chart_id: str, title: str, message: str) -> str:
    """A chart box saying why there is nothing to draw."""
    parts = _open(chart_id, title, message, 40)
    parts.append(f'<text x="0" y="24" class="muted">{_e(message)}</text>')
    return "".join(parts) + "</svg>"


def grouped_bars(chart_id: str, title: str, rows: Sequence[Row], series: Sequence[Series]) -> str:
    """One bar per series in each row, all on one scale; the value printed after each bar."""
    drawn = [r for r in rows if any(v is not None for _, v in r.values)]
    if not drawn:
        return empty_chart(chart_id, title, "无数据 no data")
    colors = {s.key: s for s in series}
    scale = _scale(drawn, stacked=False)
    body: list[str] = _legend(series)
    y = LEGEND
    for row in drawn:
        y += LABEL
        body.append(f'<text x="0" y="{y - 4}" class="label">{_e(row.label)}</text>')
        for key, value in row.values:
            if value is None:
                continue
            s = colors.get(key, Series(key, key, "#888"))
            length = _length(value, scale)
            tip = f"{row.label} {s.label}: {wan(value)}" + (f"（{row.note}）" if row.note else "")
            body.append(
                f'<rect x="0" y="{y}" width="{max(length, 1)}" height="{BAR}" fill="{_e(s.color)}">'
                f"<title>{_e(tip)}</title></rect>"
            )
            body.append(f'<text x="{length + 4}" y="{y + BAR - 3}" class="value">{_e(wan(value))}</text>')
            y += BAR + GAP
        y += ROW_GAP - GAP
    head = _open(chart_id, title, _describe(title, drawn, series), y)
    return "".join(head + body) + "</svg>"


def stacked_bars(chart_id: str, title: str, rows: Sequence[Row], series: Sequence[Series]) -> str:
    """One bar per row split into its series; the row's total after the bar, shares inside it."""
    drawn = [r for r in rows if any(v is not None for _, v in r.values)]
    if not drawn:
        return empty_chart(chart_id, title, "无数据 no data")
    colors = {s.key: s for s in series}
    scale = _scale(drawn, stacked=True)
    body: list[str] = _legend(series)
    y = LEGEND
    height = BAR + 4
    for row in drawn:
        y += LABEL
        body.append(f'<text x="0" y="{y - 4}" class="label">{_e(row.label)}</text>')
        parts = [(k, max(v, Decimal(0))) for k, v in row.values if v is not None]
        total = sum((v for _, v in parts), Decimal(0))
        x = 0.0
        for key, value in parts:
            s = colors.get(key, Series(key, key, "#888"))
            length = _length(value, scale)
            share = f"{value / total:.0%}" if total > 0 else ""
            tip = f"{row.label} {s.label}: {wan(value)}" + (f"，{share}" if share else "")
            body.append(
                f'<rect x="{round(x, 1)}" y="{y}" width="{length}" height="{height}" fill="{_e(s.color)}">'
                f"<title>{_e(tip)}</title></rect>"
            )
            if length >= 34 and share:
                body.append(
                    f'<text x="{round(x + length / 2, 1)}" y="{y + height - 5}" class="inbar" '
                    f'text-anchor="middle">{_e(share)}</text>'
                )
            x += length
        body.append(f'<text x="{round(x + 4, 1)}" y="{y + height - 5}" class="value">{_e(wan(total))}</text>')
        y += height + ROW_GAP
    head = _open(chart_id, title, _describe(title, drawn, series), y)
    return "".join(head + body) + "</svg>"
