"""Departments and disclosures: one id for every name a department is printed under.

Booklets print a department's name differently (`江苏省委办公厅`, `中共江苏省委办公厅`,
`中国共产党江苏省委员会办公厅`), and a portal may publish one year's disclosure as two
files (narrative and tables). An analyst grouping by name splits the department; so
names go through an alias table that is data with its provenance
(`schemas/data/department_aliases.csv`), the canonical name gets a stable id, and the
files of one department, year and kind share a `disclosure_id`.

Level and region come from the name's place prefix (`schemas/data/regions.csv` plus
the generic 省/自治区/市/区/县 pattern): province, city, district — `""` when the name
carries no place.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from core.records import Department
from extract.text import squash

DATA = Path(__file__).resolve().parent.parent / "schemas" / "data"
_PARTY = re.compile(r"^(中共|中国共产党)")
_PROVINCE = re.compile(r"^([\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,8}自治区)")
_CITY = re.compile(r"^([\u4e00-\u9fff]{1,6}?市)")
_DISTRICT = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:区|县))")


@cache
def _aliases() -> dict[str, tuple[str, str]]:
    with (DATA / "department_aliases.csv").open(encoding="utf-8") as fh:
        return {squash(r["alias"]): (squash(r["canonical"]), r["provenance"]) for r in csv.DictReader(fh)}


@cache
def _regions() -> list[tuple[str, str, str]]:
    with (DATA / "regions.csv").open(encoding="utf-8") as fh:
        rows = [(r["prefix"], r["region"], r["level"]) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: -len(r[0]))


def canonical_name(printed: str) -> tuple[str, str]:
    """(canonical name, provenance of the alias used or "")."""
    name = squash(printed)
    if name in _aliases():
        return _aliases()[name]
    return name, ""


def department_id(canonical: str) -> str:
    """Stable: a hash of the canonical name (`dept-` keeps Excel from reading it as a number)."""
    return "dept-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12] if canonical else ""


def disclosure_id(dept_id: str, fiscal_year: int | None, doc_kind: str) -> str:
    """The files of one department, year and kind, published together or separately."""
    if not dept_id or fiscal_year is None or doc_kind in ("", "unknown"):
        return ""
    key = f"{dept_id}|{fiscal_year}|{doc_kind}"
    return "disc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def level_and_region(canonical: str) -> tuple[str, str]:
    """Where the department sits, from its name's place prefix."""
    name = _PARTY.sub("", canonical)
    region, level, rest = "", "", name
    for prefix, reg, lvl in _regions():
        if name.startswith(prefix):
            region, level, rest = reg, lvl, name[len(prefix) :]
            break
    else:
        m = _PROVINCE.match(name)
        if m:
            region, level, rest = m.group(1), "province", name[m.end() :]
    if not region:
        m = _CITY.match(name)
        if m:
            return "city", m.group(1)
        return "", ""
    m = _DISTRICT.match(rest)
    if m and not rest.startswith(("人民", "办公")):
        return "district", region + m.group(1)
    m = _CITY.match(rest)
    if m and level == "province" and region.endswith("省"):
        region += m.group(1)
        m2 = _DISTRICT.match(rest[m.end() :])
        return ("district", region + m2.group(1)) if m2 else ("city", region)
    return level, region


def departments(printed_names: Iterable[str]) -> list[Department]:
    """The `departments` rows for every printed name seen, one per canonical name."""
    by_id: dict[str, Department] = {}
    for printed in printed_names:
        if not printed:
            continue
        canonical, source = canonical_name(printed)
        dept_id = department_id(canonical)
        dept = by_id.get(dept_id)
        if dept is None:
            level, region = level_and_region(canonical)
            dept = by_id[dept_id] = Department(dept_id, canonical, "", level, region)
        if printed not in dept.printed:
            dept.printed.append(printed)
        if source and source not in dept.alias_source.split(";"):
            dept.alias_source = ";".join(x for x in (dept.alias_source, source) if x)
    for dept in by_id.values():
        dept.names_printed = ";".join(dept.printed)
    return sorted(by_id.values(), key=lambda d: (d.region, d.name))
