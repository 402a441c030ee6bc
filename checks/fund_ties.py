"""The 决算 appropriation figures told three times agree (issue 9 §2): 01 and 02 by source, 04 by fund, 07/08 per fund.

    XTABLE_02_04_APPROPRIATION  02 合计 财政拨款收入 = 04 本年收入合计 (all three funds)
    XTABLE_01_04_INCOME         each 01 appropriation income line = the 04 本年收入 line of its fund
                                (a single 01 line 财政拨款收入 = 04 本年收入合计)
    XTABLE_07_08_FUND_EMPTY     a 07 (08) table printing values while 04 prints nothing for its fund

04 prints the fund names twice on its income side: under 本年收入 and again under
年初财政拨款结转和结余. Only the first run (before 本年收入合计 or the 年初 line) is this
year's income. Lines are matched by `line_key`, so 一、一般公共预算财政拨款收入 and
1.一般公共预算财政拨款 meet; a side printing none of the known lines is not checked.
"""

from __future__ import annotations

from decimal import Decimal

from checks.balance import FUNDS, key
from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row
from core.records import Finding
from schemas.rules import Rule

INCOME_SUBTOTAL = "本年收入合计"
OPENING = "年初"
#: the 07/08 table of each fund, and the 04 expenditure column it repeats
FUND_TABLES = {"07": FUNDS[1], "08": FUNDS[2]}


def _fund_of(row_key: str) -> str | None:
    """'一般公共预算财政拨款收入' → '一般公共预算'; None for any other line."""
    return next((fund for fund, _, _ in FUNDS if row_key.startswith(fund)), None)


def current_income_lines(doc: DocumentView, table: str) -> tuple[dict[str, Row], Row | None]:
    """The fund lines of this year's income and the 本年收入合计 line, from a summary table's income side."""
    funds: dict[str, Row] = {}
    subtotal: Row | None = None
    for row in doc.rows(table):
        if "income_amount" not in row.cells:
            continue
        row_key = key(row)
        if row_key == INCOME_SUBTOTAL:
            subtotal = row
            break
        if row_key.startswith(OPENING):
            break
        fund = _fund_of(row_key)
        if fund is not None:
            funds.setdefault(fund, row)
    return funds, subtotal


def _one(doc: DocumentView, rule_row: Rule, tables: str, actual: Row | None, expected: list[Row],
         actual_desc: str, expected_zh: str, expected_en: str, measure: str = "income_amount",
         expected_measure: str = "income_amount") -> list[Finding]:
    actual_value = actual.value(measure) if actual is not None else None
    values = [v for r in expected if (v := r.value(expected_measure)) is not None]
    if actual_value is None and not values:
        return []
    anchor = actual if actual is not None else expected[0]
    page = actual.cells[measure].page if actual is not None and measure in actual.cells else anchor.page
    finding = compare(
        doc_id=doc.doc_id, rule=rule_row, unit=doc.unit, table_code=tables, subject_code="",
        actual=actual_value if actual_value is not None else Decimal(0), expected=sum(values, Decimal(0)),
        printed=values + ([actual_value] if actual_value is not None else []), terms=max(len(values), 1),
        page=page, actual_desc=actual_desc, expected_desc_zh=expected_zh, expected_desc_en=expected_en,
    )
    return [finding] if finding else []


@rule("XTABLE_02_04_APPROPRIATION")
def appropriation_02_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    total = doc.total_row("02")
    if total is None or "fiscal_appropriation_income" not in total.cells:
        return []
    funds, subtotal = current_income_lines(doc, "04")
    parts = [subtotal] if subtotal is not None else list(funds.values())
    if not parts:
        return []
    desc = "04 本年收入合计" if subtotal is not None else "04 " + " + ".join(key(r) for r in parts)
    return _one(doc, rule_row, "02,04", total, parts, "02 合计 财政拨款收入", desc, desc,
                measure="fiscal_appropriation_income")


@rule("XTABLE_01_04_INCOME")
def income_lines_01_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    in_01, _ = current_income_lines(doc, "01")
    in_04, subtotal_04 = current_income_lines(doc, "04")
    if not in_04 and subtotal_04 is None:
        return []  # 04 not printed (or no income side read): nothing to compare with
    findings: list[Finding] = []
    if in_01:
        for fund, _, name in FUNDS:
            line_01, line_04 = in_01.get(fund), in_04.get(fund)
            if line_01 is None and line_04 is None:
                continue
            if line_04 is None and not in_04:
                continue  # 04 prints its income as one total only
            findings += _one(doc, rule_row, "01,04", line_01, [line_04] if line_04 else [],
                             f"01 {name}收入", f"04 本年收入 {name}", f"04 current income, {name}")
        return findings
    single = next((r for r in doc.rows("01") if key(r) == "财政拨款收入" and "income_amount" in r.cells), None)
    if single is not None:
        parts = [subtotal_04] if subtotal_04 is not None else list(in_04.values())
        findings += _one(doc, rule_row, "01,04", single, parts, "01 财政拨款收入", "04 本年收入合计",
                         "04 本年收入合计 (current income)")
    return findings


def fund_printed_in_04(doc: DocumentView, fund: str, column: str) -> bool:
    """Whether 04 prints any non-zero figure for this fund: an income or balance line, or its expenditure column."""
    for row in doc.rows("04"):
        value = row.value(column)
        if value:
            return True
        if _fund_of(key(row)) == fund and row.value("income_amount"):
            return True
    return False


def _first_value(rows: list[Row]) -> tuple[Row, str, Decimal] | None:
    for row in rows:
        for measure, item in row.cells.items():
            if item.value_original:
                return row, measure, item.value_original
    return None


@rule("XTABLE_07_08_FUND_EMPTY")
def fund_table_without_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    if not doc.rows("04"):
        return []
    findings: list[Finding] = []
    for table, (fund, column, name) in FUND_TABLES.items():
        if fund_printed_in_04(doc, fund, column):
            continue
        total = doc.total_row(table)
        shown = _first_value(([total] if total else []) + doc.rows(table))
        if shown is None:
            continue
        anchor, measure, value = shown
        findings.append(Finding(
            doc_id=doc.doc_id, rule_id=rule_row.rule_id, severity=rule_row.severity, category=rule_row.category,
            table_code=f"04,{table}", subject_code=anchor.subject_code, expected=value, actual=Decimal(0),
            difference=-value,
            message=(f"{table}表印有数据（{anchor.describe()} {measure} {value}），但04表{name}列与收入行均为空或为0"
                     f" / table {table} prints values ({anchor.describe()} {measure} {value}) while table 04 prints"
                     f" nothing for {name}"),
            page=anchor.cells[measure].page,
        ))
    return findings
