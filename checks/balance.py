"""Balance identities of the 决算 summary tables (issue 9 §1): what comes in, less what goes out, is what is left.

    01  收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余        (BALANCE_01_INCOME)
    01  支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余                  (BALANCE_01_EXPENDITURE)
    04  收入 总计 = 本年收入合计 + 年初财政拨款结转和结余; 支出 总计 = 本年支出合计 + 年末财政拨款结转和结余,
        in every expenditure column                                          (BALANCE_04_SIDES)
    04  per fund: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余       (BALANCE_04_FUND)
    07/08 per row: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余      (BALANCE_07_08_ROW)

SUMMARY_BALANCE (checks/arithmetic.py) compares the two sides' 总计; these rules check
how each side reaches its 总计. Lines are recognised by `line_key` (the label without
its numbering), never by one booklet's wording; a side that prints a line these rules
do not know is not checked (an unknown line may or may not add up), so the rules stay
sound on templates they have not seen. A blank cell counts as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from checks.compare import compare
from checks.registry import rule
from checks.view import DocumentView, Row, normalize_name
from core.records import Finding
from schemas.rules import Rule

# 01: the lines that add up to each side's 总计, by line_key prefix (the first is the side's subtotal).
INCOME_TERMS = ("本年收入合计", "使用非财政拨款结余", "使用专用结余", "用事业基金弥补收支差额", "年初结转和结余")
EXPENDITURE_TERMS = ("本年支出合计", "结余分配", "年末结转和结余")

# 04: the three funds, as the income side's line names them and as the expenditure side's column.
FUNDS: tuple[tuple[str, str, str], ...] = (
    ("一般公共预算", "expenditure_general_budget", "一般公共预算财政拨款"),
    ("政府性基金", "expenditure_government_fund", "政府性基金预算财政拨款"),
    ("国有资本经营", "expenditure_state_capital", "国有资本经营预算财政拨款"),
)
BALANCE_TABLES = ("07", "08")
BALANCE_MEASURES = ("opening_balance", "current_income", "current_expenditure", "closing_balance")


def key(row: Row) -> str:
    """The row's line_key (normalize/rows.py), or its label normalized when items carry none."""
    for item in row.cells.values():
        if item.line_key:
            return normalize_name(item.line_key)
    return normalize_name(row.line_label)


def _side(doc: DocumentView, table: str, measure: str) -> list[Row]:
    return [r for r in doc.rows(table) if measure in r.cells]


def _is_memo(row: Row) -> bool:
    return normalize_name(row.line_label).startswith("其中") or any(i.row_role == "memo" for i in row.cells.values())


@dataclass(frozen=True)
class Term:
    value: Decimal
    printed: bool  # False for a blank cell (counts as 0, sets no rounding place)


def _term(row: Row | None, measure: str) -> Term:
    value = row.value(measure) if row is not None else None
    return Term(value if value is not None else Decimal(0), value is not None)


def _bounds(rows: list[Row], subtotal_key: str, side_zh: str) -> tuple[int, int] | None:
    """Indexes of a side's subtotal and its 总计 (None unless both are printed, 总计 below)."""
    subtotal = next((i for i, r in enumerate(rows) if key(r) == subtotal_key), None)
    total = next((i for i, r in enumerate(rows) if key(r) in {"总计", f"{side_zh}总计"}), None)
    if subtotal is None or total is None or total < subtotal:
        return None
    return subtotal, total


def _total_of(doc: DocumentView, rule_row: Rule, table: str, measure: str, total: Row, parts: list[Row],
              actual_desc: str, side_en: str) -> Finding | None:
    """A side's printed 总计 against the sum of its parts (blank parts count as 0)."""
    values = [v for r in parts if (v := r.value(measure)) is not None]
    total_item = total.cells[measure]
    return compare(
        doc_id=doc.doc_id,
        rule=rule_row,
        unit=doc.unit,
        table_code=table,
        subject_code="",
        actual=total_item.value_original,
        expected=sum(values, Decimal(0)),
        printed=[*values, total_item.value_original],
        terms=len(values),
        page=total_item.page,
        actual_desc=actual_desc,
        expected_desc_zh="＋".join(key(r) for r in parts),
        expected_desc_en=f"the {side_en} side's " + " + ".join(key(r) for r in parts),
    )


def _side_total(doc: DocumentView, rule_row: Rule, table: str, measure: str, terms: tuple[str, ...],
                side_zh: str, side_en: str) -> list[Finding]:
    """总计 of one side of a summary table = its subtotal + the lines between that subtotal and 总计."""
    rows = _side(doc, table, measure)
    bounds = _bounds(rows, terms[0], side_zh)
    if bounds is None:
        return []
    subtotal, total = bounds
    between = [r for r in rows[subtotal + 1:total] if not _is_memo(r)]
    if any(not key(r).startswith(terms[1:]) for r in between):
        return []  # a line these rules do not know: it may or may not add to 总计
    finding = _total_of(doc, rule_row, table, measure, rows[total], [rows[subtotal], *between],
                        f"{table} {side_zh}总计", side_en)
    return [finding] if finding else []


@rule("BALANCE_01_INCOME")
def income_side_01(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    return _side_total(doc, rule_row, "01", "income_amount", INCOME_TERMS, "收入", "income")


@rule("BALANCE_01_EXPENDITURE")
def expenditure_side_01(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    return _side_total(doc, rule_row, "01", "expenditure_amount", EXPENDITURE_TERMS, "支出", "expenditure")


# 04: each side's subtotal, the carry-over line that adds to it (its per-fund lines below it are its parts), 总计
SIDES_04: tuple[tuple[str, str, str, str], ...] = (
    ("income", "本年收入合计", "年初", "收入"),
    ("expenditure", "本年支出合计", "年末", "支出"),
)


def _side_04(doc: DocumentView, rule_row: Rule, measure: str, subtotal_key: str, carried: str,
             side_zh: str, side_en: str) -> Finding | None:
    """One column of one 04 side: 总计 = its subtotal + its 年初 (年末) line; a line the rule does not know: None."""
    rows = [r for r in _side(doc, "04", measure) if not _is_memo(r)]
    bounds = _bounds(rows, subtotal_key, side_zh)
    if bounds is None:
        return None
    subtotal, total = bounds
    between = rows[subtotal + 1:total]
    carry = [r for r in between if key(r).startswith(carried)]
    funds = [r for r in between if key(r).startswith(tuple(f for f, _, _ in FUNDS))]
    if len(carry) > 1 or len(carry) + len(funds) != len(between) or (funds and not carry):
        return None  # an unknown line, or per-fund lines whose 年初/年末 line was not read
    if carry and funds and between.index(carry[0]) != 0:
        return None  # per-fund lines above the carry-over line: not its parts
    column = rows[total].cells[measure].measure_zh or measure
    return _total_of(doc, rule_row, "04", measure, rows[total], [rows[subtotal], *carry],
                     f"04 {side_zh}总计 {column}", side_en)


@rule("BALANCE_04_SIDES")
def sides_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    """04 收入 总计 = 本年收入合计 + 年初财政拨款结转和结余; 支出 总计 = 本年支出合计 + 年末财政拨款结转和结余
    (in 合计 and each fund's column); the per-fund lines under 年初 are its parts, not further terms."""
    measures = ["income_amount"]
    measures += list(dict.fromkeys(m for r in doc.rows("04") for m in r.cells if m.startswith("expenditure")))
    findings: list[Finding] = []
    for measure in measures:
        side_en, subtotal_key, carried, side_zh = SIDES_04[0] if measure == "income_amount" else SIDES_04[1]
        finding = _side_04(doc, rule_row, measure, subtotal_key, carried, side_zh, side_en)
        if finding:
            findings.append(finding)
    return findings


def _balance(doc: DocumentView, rule_row: Rule, table: str, subject_code: str, desc: str,
             opening: Term, income: Term, spending: Term, closing: Term, page: int) -> Finding | None:
    """closing = opening + income − spending (a blank cell counts as 0)."""
    terms = [t for t in (opening, income, spending) if t.printed]
    if not terms and not closing.printed:
        return None
    return compare(
        doc_id=doc.doc_id,
        rule=rule_row,
        unit=doc.unit,
        table_code=table,
        subject_code=subject_code,
        actual=closing.value,
        expected=opening.value + income.value - spending.value,
        printed=[t.value for t in (opening, income, spending, closing) if t.printed],
        terms=len(terms),
        page=page,
        actual_desc=f"{desc} 年末结转和结余",
        expected_desc_zh="年初结转和结余＋本年收入－本年支出",
        expected_desc_en="opening balance + current income − current expenditure",
    )


@rule("BALANCE_04_FUND")
def fund_balance_04(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    """Per fund: 年初 (the fund's line under 年初财政拨款结转和结余) + 本年收入 (its line above 本年收入合计)
    − 本年支出合计 (its column) = 年末财政拨款结转和结余 (its column)."""
    income_rows = _side(doc, "04", "income_amount")
    income_total = next((i for i, r in enumerate(income_rows) if key(r) == "本年收入合计"), None)
    opening_at = next((i for i, r in enumerate(income_rows) if key(r).startswith("年初")), None)
    total_at = next((i for i, r in enumerate(income_rows) if key(r) == "总计"), len(income_rows))
    spending = next((r for r in doc.rows("04") if key(r) == "本年支出合计"
                     and any(m.startswith("expenditure") for m in r.cells)), None)
    closing = next((r for r in doc.rows("04") if key(r).startswith("年末")
                    and any(m.startswith("expenditure") for m in r.cells)), None)
    if income_total is None or spending is None:
        return []
    this_year = [r for r in income_rows[:income_total] if not _is_memo(r)]
    carried: list[Row] = []
    if opening_at is not None:
        carried = [r for r in income_rows[opening_at + 1:total_at] if not _is_memo(r)]
        opening_total = income_rows[opening_at].value("income_amount") or Decimal(0)
        if opening_total != 0 and not carried:
            return []  # 年初 printed without its per-fund lines: it cannot be attributed to a fund
    findings: list[Finding] = []
    for fund, column, name in FUNDS:
        income_row = next((r for r in this_year if key(r).startswith(fund)), None)
        opening_row = next((r for r in carried if key(r).startswith(fund)), None)
        closing_term = _term(closing, column)
        spending_term = _term(spending, column)
        item = (closing or spending).cells.get(column) or spending.cells.get(column)
        page = item.page if item is not None else spending.page
        finding = _balance(
            doc, rule_row, "04", "", f"04 {name}",
            _term(opening_row, "income_amount"), _term(income_row, "income_amount"), spending_term, closing_term,
            page,
        )
        if finding:
            findings.append(finding)
    return findings


@rule("BALANCE_07_08_ROW")
def row_balance_07_08(doc: DocumentView, rule_row: Rule) -> list[Finding]:
    """Per row of 07/08: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余.

    Only a table that prints balance columns is checked: 08 is often printed as an
    expenditure-only table (国有资本经营预算财政拨款支出决算表), where the identity does not apply.
    """
    findings: list[Finding] = []
    for table in BALANCE_TABLES:
        rows = doc.rows(table)
        if not any(m in r.cells for r in rows for m in ("opening_balance", "current_income", "closing_balance")):
            continue
        for row in rows:
            opening, income, spending, closing = (_term(row, m) for m in BALANCE_MEASURES)
            item = row.cells.get("closing_balance")
            finding = _balance(
                doc, rule_row, table, row.subject_code, row.describe(), opening, income, spending, closing,
                item.page if item is not None else row.page,
            )
            if finding:
                findings.append(finding)
    return findings
