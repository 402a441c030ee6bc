"""Import an official list of classification codes into `schemas/data/subjects_official.csv`.

    from schemas.official_import import import_official
    report = import_official(Path("2024年政府收支分类科目.xlsx"))

Input: a CSV (UTF-8, with or without BOM) or an Excel workbook (.xlsx, first sheet; the
header is the first row that names a code column). Columns, matched by name (English or
Chinese, case and spaces ignored; other columns are ignored):

| column | required | aliases | meaning |
|---|---|---|---|
| code | yes | 科目编码, 编码, 科目代码 | 3/5/7 digits (function), 3/5 (economic) |
| name | yes | 科目名称, 名称 | the official name |
| level | no | 级次, 科目级次 | 类 / 款 / 项 (else from the code's length) |
| system | no | 科目体系, 分类 | function / economic, or 功能分类 / 经济分类 (else from the first digit: 2 → function, 3 → economic) |
| fiscal_year | no | 年度 | the year the list is for: sets valid_from = valid_to = that year |
| valid_from, valid_to | no | 起始年度, 终止年度 | fiscal years (override fiscal_year) |
| variants | no | 别名 | other names, `|`-separated |

Rows are merged into the existing official file by code: a row for a code already there
replaces its name (the old name becomes a variant) and widens its validity to cover both.
Rows with a code that is not 3/5/7 digits or whose system is neither function nor economic
(e.g. 收入分类 codes) are skipped and listed in the report. Official rows take precedence over
the built reference when `schemas.reference.load_reference` reads them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from schemas.reference import (
    LEVEL_BY_LENGTH,
    OFFICIAL_COLUMNS,
    OFFICIAL_CSV,
    level_of,
    load_reference,
    normalize_name,
    parent_of,
    system_of,
    valid_length,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "科目编码", "编码", "科目代码", "代码"),
    "name": ("name", "科目名称", "名称"),
    "level": ("level", "级次", "科目级次"),
    "system": ("system", "科目体系", "分类"),
    "fiscal_year": ("fiscal_year", "year", "年度"),
    "valid_from": ("valid_from", "起始年度"),
    "valid_to": ("valid_to", "终止年度"),
    "variants": ("variants", "别名"),
}
SYSTEM_WORDS = {"function": "function", "功能分类": "function", "economic": "economic", "经济分类": "economic"}


@dataclass
class ImportReport:
    """What one import did; `skipped` lists each row not imported with the reason."""

    source: Path
    target: Path
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"{self.source}: {self.rows_read} rows read, {self.added} codes added, {self.updated} updated,"
            f" {len(self.skipped)} skipped → {self.target}"
        ]
        lines += [f"  skipped {s}" for s in self.skipped[:20]]
        if len(self.skipped) > 20:
            lines.append(f"  … and {len(self.skipped) - 20} more")
        return "\n".join(lines)


def _key(header: object) -> str:
    return re.sub(r"\s+", "", str(header or "")).lower()


def _columns(header: list[object]) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for column, aliases in ALIASES.items():
        for alias in aliases:
            if alias.lower() in keys:
                found[column] = keys.index(alias.lower())
                break
    return found


def _rows(path: Path) -> Iterable[list[object]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            yield from ([c for c in row] for row in sheet.iter_rows(values_only=True))
        finally:
            workbook.close()
    elif path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from csv.reader(fh)
    else:
        raise ValueError(f"{path}: give a .csv or .xlsx file (found {path.suffix or 'no extension'})")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 201 as 201.0
    return str(value).strip()


def _year(value: str, where: str, problems: list[str]) -> str:
    if value and not (value.isdigit() and len(value) == 4):
        problems.append(f"{where}: year {value!r} is not a 4-digit fiscal year")
        return ""
    return value


def _read_existing(target: Path) -> dict[str, dict[str, str]]:
    if not target.exists():
        return {}
    with target.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: dict(r) for r in csv.DictReader(fh)}


def _widen(old: str, new: str, earliest: bool) -> str:
    """The wider of two bounds; an empty bound means "not limited" and stays empty."""
    if not (old and new):
        return ""
    return str(min(int(old), int(new)) if earliest else max(int(old), int(new)))


def import_official(path: Path, target: Path = OFFICIAL_CSV) -> ImportReport:
    """Read an official code list (CSV or .xlsx; columns in the module docstring) into `target`."""
    path = Path(path)
    report = ImportReport(source=path, target=target)
    rows = iter(_rows(path))
    columns: dict[str, int] = {}
    for header in rows:
        columns = _columns(list(header))
        if "code" in columns and "name" in columns:
            break
    else:
        raise ValueError(f"{path}: no header row naming a code and a name column ({', '.join(ALIASES['code'])})")
    existing = _read_existing(target)
    label = f"official:{path.name}"
    for number, raw in enumerate(rows, start=2):
        cells = {c: _text(raw[i]) if i < len(raw) else "" for c, i in columns.items()}
        code, name = cells["code"], normalize_name(cells["name"])
        if not code and not name:
            continue
        report.rows_read += 1
        where = f"row {number} ({code} {name})"
        system = SYSTEM_WORDS.get(cells.get("system", "").lower(), "") or system_of(code)
        if not name:
            report.skipped.append(f"{where}: no name")
            continue
        if system not in ("function", "economic") or not valid_length(code, system):
            report.skipped.append(f"{where}: not a 支出功能分类 (3/5/7 digits) or 支出经济分类 (3/5) code")
            continue
        level = cells.get("level", "") or level_of(code)
        if level != LEVEL_BY_LENGTH[len(code)]:
            report.skipped.append(f"{where}: level {level} does not fit a {len(code)}-digit code")
            continue
        problems: list[str] = []
        year = _year(cells.get("fiscal_year", ""), where, problems)
        valid_from = _year(cells.get("valid_from", ""), where, problems) or year
        valid_to = _year(cells.get("valid_to", ""), where, problems) or year
        if problems:
            report.skipped.extend(problems)
            continue
        variants = [v for v in cells.get("variants", "").split("|") if v]
        old = existing.get(code)
        if old is not None:
            if normalize_name(old["name"]) != name:
                variants.append(old["name"])
            variants += [v for v in old.get("variants", "").split("|") if v]
            valid_from = _widen(old["valid_from"], valid_from, earliest=True)
            valid_to = _widen(old["valid_to"], valid_to, earliest=False)
            report.updated += 1
        else:
            report.added += 1
        existing[code] = {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent_of(code),
            "system": system,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "variants": "|".join(dict.fromkeys(v for v in variants if normalize_name(v) != name)),
            "source": label if old is None or label in old["source"] else f"{label};{old['source']}",
        }
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, OFFICIAL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(existing[c] for c in sorted(existing))
    load_reference.cache_clear()
    return report
