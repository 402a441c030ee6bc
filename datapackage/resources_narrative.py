"""The `narrative_figures` and `performance_indicators` resources (fields as data, like resources.py).

    content = PackageContent(..., extra_resources=narrative_resources(figures, indicators))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.records import NarrativeFigure, PerformanceIndicator
from datapackage.resources import (
    FINE,
    SUBJECT_CODE_PATTERN,
    TABLE_CODES,
    ForeignKey,
    ResourceDef,
    _dec,
    _int,
    _text,
)

_DOC_ID_REF = "Identifier of the document (see resource `documents`)."
_DOC_FK = (ForeignKey(("doc_id",), "documents", ("doc_id",)),)
FIGURE_KINDS = ["amount", "share", "growth_amount", "growth_rate", "completion_rate", "count"]

NARRATIVE_FIGURES = ResourceDef(
    name="narrative_figures",
    title="Narrative figures 情况说明引用数",
    description=(
        "One row per figure quoted by 第三部分 情况说明: amounts, shares (占x%), growth amounts and"
        " rates against last year, 完成年初预算 %, counts; with the clause it was read from, its page"
        " and, when known, the table cell it repeats (checked by the NARR_* rules of `consistency`)."
    ),
    record_type=NarrativeFigure,
    primary_key=("doc_id", "position"),
    foreign_keys=_DOC_FK,
    fields=(
        _text("doc_id", "Document id 文档编号", _DOC_ID_REF, required=True, dictionary=True),
        _int("page", "Page 页码", "1-based page the figure is printed on.", required=True, constraints={"minimum": 1}),
        _int("position", "Position 序号", "Order of the figure in the narrative, from 1.", required=True,
             constraints={"minimum": 1}),
        _int("group", "Group 组", "Figures about the same subject in a row share a group number.", required=True),
        _text("sentence", "Sentence 原文", "The clause the figure was read from, whitespace removed."),
        _text("subject", "Subject 主题", "What the figure is about, as printed (收入总计, 基本支出, 一般公共服务支出（类）…)."),
        _text("aspect", "Aspect 口径", "年初预算数 / 全年预算数 / 预算数 / 决算数; empty for the amount itself.",
              dictionary=True),
        _text("kind", "Kind 类型", "amount / share / growth_amount / growth_rate / completion_rate / count.",
              required=True, constraints={"enum": FIGURE_KINDS}, dictionary=True),
        _dec("value", FINE, "Value 数值", "The number exactly as printed (unit in `unit`).", required=True),
        _text("unit", "Unit 单位", "万元 / 元 / % / 个 / 辆 …; empty for 持平 statements.", dictionary=True),
        _text("direction", "Direction 增减", "增加 / 减少 / 增长 / 下降 / 持平, or empty.", dictionary=True),
        _text("base_subject", "Base 基数", "For a share: the whole it is a share of."),
        _dec("base_value", FINE, "Base value 基数值", "For a share: the whole's amount as quoted, when quoted."),
        _text("table_code", "Table code 表号", 'Table of the cell the figure repeats ("01"…"10"), or empty.',
              constraints={"enum": list(TABLE_CODES)}, dictionary=True),
        _text("measure", "Measure 指标", "Measure key of that cell (see `line_items.measure`), or empty.",
              dictionary=True),
        _text("line_label", "Row 行", "Row label of that cell (a class as 类/款/项 names joined by /), or empty."),
        _text("subject_code", "Subject code 科目编码", "Code of that cell's row, or empty.",
              constraints={"pattern": SUBJECT_CODE_PATTERN}),
    ),
)

PERFORMANCE_INDICATORS = ResourceDef(
    name="performance_indicators",
    title="Performance self-evaluation 项目支出绩效自评表",
    description=(
        "One row per line of a 项目支出绩效自评表: the funds lines (年初预算数, 全年预算数 A,"
        " 全年执行数 B, 执行率) and the indicators (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分)."
    ),
    record_type=PerformanceIndicator,
    primary_key=("doc_id", "table_instance", "row_index"),
    foreign_keys=_DOC_FK,
    fields=(
        _text("doc_id", "Document id 文档编号", _DOC_ID_REF, required=True, dictionary=True),
        _text("project", "Project 项目名称", "项目名称 as printed."),
        _int("table_instance", "Table 表序", "1, 2, … in print order (a table printed twice has two).",
             required=True, constraints={"minimum": 1}),
        _int("page", "Page 页码", "1-based page of the row.", required=True, constraints={"minimum": 1}),
        _int("row_index", "Row 行序", "Order of the row in its table, from 1.", required=True),
        _text("section", "Section 部分", "funds / indicator / total.", required=True,
              constraints={"enum": ["funds", "indicator", "total"]}, dictionary=True),
        _text("level1", "Level 1 一级指标", "一级指标 (funds rows: the funds line label)."),
        _text("level2", "Level 2 二级指标", "二级指标."),
        _text("level3", "Level 3 三级指标", "三级指标."),
        _text("target", "Target 年度指标值", "年度指标值 as printed."),
        _text("actual", "Actual 实际完成值", "实际完成值 as printed."),
        _dec("weight", FINE, "Weight 分值", "分值."),
        _dec("score", FINE, "Score 得分", "得分."),
        _dec("initial_budget", FINE, "Initial budget 年初预算数", "年初预算数 (万元), funds rows."),
        _dec("full_year_budget", FINE, "Full-year budget 全年预算数", "全年预算数 A (万元), funds rows."),
        _dec("executed", FINE, "Executed 全年执行数", "全年执行数 B (万元), funds rows."),
        _text("execution_rate", "Execution rate 执行率", "执行率 as printed (e.g. 100%)."),
        _text("implementer", "Implementer 实施单位", "实施单位 as printed."),
        _text("deviation", "Deviation note 偏差原因", "偏差原因分析及改进措施 as printed, indicator rows."),
    ),
)


def narrative_resources(
    figures: Sequence[NarrativeFigure], indicators: Sequence[PerformanceIndicator]
) -> list[tuple[ResourceDef, list[Any]]]:
    """The two resources with their records, for `PackageContent(extra_resources=...)`."""
    return [(NARRATIVE_FIGURES, list(figures)), (PERFORMANCE_INDICATORS, list(indicators))]
