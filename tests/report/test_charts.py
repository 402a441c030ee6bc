"""The SVG charts: well-formed, escaped, accessible, bars proportional to the amounts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from datapackage.charts import WIDTH, Row, Series, empty_chart, grouped_bars, stacked_bars, wan

NS = "{http://www.w3.org/2000/svg}"
SERIES = (Series("budget", "预算 budget", "#8fb3d9"), Series("final_account", "决算 <final>", "#1f5f99"))


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 — our own output


def test_wan() -> None:
    assert wan(Decimal("164978600.00")) == "16,497.86 万元"
    assert wan(Decimal("9500")) == "0.95 万元"
    assert wan(None) == "—"


def test_grouped_bars_accessible_and_proportional() -> None:
    rows = [Row("2023", (("budget", Decimal("2000000")), ("final_account", Decimal("1000000")))),
            Row("2024 <b>", (("budget", Decimal("500000")), ("final_account", None)))]
    svg = grouped_bars("c1", "支出合计 & total", rows, SERIES)
    root = _parse(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{NS}title").text == "支出合计 & total"  # type: ignore[union-attr]
    desc = root.find(f"{NS}desc").text or ""  # type: ignore[union-attr]
    assert "200.00 万元" in desc and "2024 <b>" in desc
    assert "<b>" not in svg and "&lt;final&gt;" in svg  # escaped
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(bars) == 3  # the missing value draws no bar
    widths = [float(r.get("width", "0")) for r in bars]
    assert widths[0] == 2 * widths[1] == 4 * widths[2]
    assert max(widths) <= WIDTH
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")


def test_stacked_bars_shares_and_total() -> None:
    series = (Series("basic", "基本", "#2e7d32"), Series("project", "项目", "#e0a100"))
    rows = [Row("2024 决算", (("basic", Decimal("750000")), ("project", Decimal("250000"))))]
    root = _parse(stacked_bars("c2", "基本与项目", rows, series))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "75%" in texts and "25%" in texts and "100.00 万元" in texts
    rects = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert float(rects[1].get("x", "0")) == float(rects[0].get("width", "0"))  # segments abut


def test_nothing_to_draw() -> None:
    svg = grouped_bars("c3", "t", [Row("2024", (("budget", None),))], SERIES)
    assert "无数据" in svg and _parse(svg).get("role") == "img"
    assert _parse(empty_chart("c4", "t", "a < b")).find(f"{NS}text").text == "a < b"  # type: ignore[union-attr]


def test_negative_amounts_draw_no_negative_width() -> None:
    svg = grouped_bars("c5", "t", [Row("x", (("budget", Decimal("-5")), ("final_account", Decimal("10"))))], SERIES)
    assert not re.search(r'width="-', svg)
