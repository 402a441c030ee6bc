"""Load the standard-table specs (data in `schemas/data/*.toml`) into typed objects.

A new template or year is a spec change in the TOML file, not new code.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

ROLES = {"label", "code", "code_lei", "code_kuan", "code_xiang", "line_no"}


@dataclass(frozen=True)
class ColumnRule:
    """Header path regex → a role (label, code parts, line_no) or a measure key."""

    pattern: re.Pattern[str]
    role: str = ""
    measure: str = ""

    def __post_init__(self) -> None:
        if bool(self.role) == bool(self.measure):
            raise ValueError(f"column rule {self.pattern.pattern!r}: give exactly one of role/measure")
        if self.role and self.role not in ROLES:
            raise ValueError(f"column rule {self.pattern.pattern!r}: unknown role {self.role!r}")


@dataclass(frozen=True)
class TableSpec:
    code: str
    name: str
    titles: tuple[str, ...]
    row_key: str  # function / economic / summary / item
    kind: str  # money / count
    columns: tuple[ColumnRule, ...]
    required_labels: tuple[str, ...] = ()
    count_label_pattern: re.Pattern[str] | None = None
    measures: tuple[str, ...] = field(default=())
    wide_leaf_is_label: bool = False
    name_en: str = ""

    def classify(self, header_path: str) -> ColumnRule | None:
        """The first rule matching a column's header path, or None (an unknown column)."""
        for rule in self.columns:
            if rule.pattern.search(header_path):
                return rule
        return None

    @property
    def subject_system(self) -> str:
        return {"function": "function", "economic": "economic"}.get(self.row_key, "")


def _spec(raw: dict) -> TableSpec:
    columns = tuple(
        ColumnRule(re.compile(c["match"]), role=c.get("role", ""), measure=c.get("measure", ""))
        for c in raw["columns"]
    )
    count = raw.get("count_label_pattern")
    return TableSpec(
        code=raw["code"],
        name=raw["name"],
        titles=tuple(raw["titles"]),
        row_key=raw["row_key"],
        kind=raw["kind"],
        columns=columns,
        required_labels=tuple(raw.get("required_labels", ())),
        count_label_pattern=re.compile(count) if count else None,
        measures=tuple(dict.fromkeys(c.measure for c in columns if c.measure)),
        wide_leaf_is_label=bool(raw.get("wide_leaf_is_label", False)),
        name_en=raw.get("name_en", ""),
    )


#: Which table set a document kind is read with (schemas/data/<name>.toml).
SPEC_SET_BY_KIND: dict[str, str] = {"final_account": "final_account_tables", "budget": "budget_tables"}


def table_names(doc_kind: str) -> dict[str, str]:
    """table_code → table name in the set a document of this kind is read with."""
    name = SPEC_SET_BY_KIND.get(doc_kind)
    return {s.code: s.name for s in load_specs(name)} if name else {}


@cache
def _raw(name: str) -> dict:
    with (DATA_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def count_units(name: str = "final_account_tables") -> dict[str, str]:
    """Printed count unit (`台、辆`) → published unit (`辆`)."""
    return dict(_raw(name).get("count_units", {}))


@cache
def expected_tables(name: str = "final_account_tables") -> tuple[str, ...]:
    """Table codes every booklet of this set prints (`expected` in the TOML): a missing one is recorded."""
    raw = _raw(name)
    codes = {s.code for s in load_specs(name)}
    expected = tuple(raw.get("expected", ()))
    unknown = [c for c in expected if c not in codes]
    if unknown:
        raise ValueError(f"{name}.toml: expected tables {unknown} have no spec")
    return expected


@cache
def load_specs(name: str = "final_account_tables") -> tuple[TableSpec, ...]:
    """Specs for one document kind's table set, in their standard order."""
    raw = _raw(name)
    specs = tuple(_spec(t) for t in raw["table"])
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{name}.toml: duplicate table codes {codes}")
    return specs


@dataclass(frozen=True)
class LineSum:
    """One sum the printed lines of a table obey: the `total` line = Σ the `parts` lines (roles)."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class LineSums:
    """A table's lines by role and the sums they obey (`line_roles`, `line_sums` of a `[[table]]`).

    `roles`: (role, pattern) in order, the first pattern that matches a line's path names
    its role; a line no pattern names never enters a sum (会议费 in a 决算 三公 table).
    """

    roles: tuple[tuple[str, re.Pattern[str]], ...] = ()
    sums: tuple[LineSum, ...] = ()

    def role(self, path: str) -> str:
        return next((role for role, pattern in self.roles if pattern.search(path)), "")


@cache
def line_sums(name: str, code: str) -> LineSums:
    """The line roles and sums the set `name` declares for table `code` (empty when it declares none)."""
    raw = next((t for t in _raw(name)["table"] if t["code"] == code), None)
    if raw is None:
        return LineSums()
    roles = tuple((r["role"], re.compile(r["match"])) for r in raw.get("line_roles", ()))
    sums = tuple(LineSum(s["total"], tuple(s["parts"])) for s in raw.get("line_sums", ()))
    known = {role for role, _ in roles}
    for s in sums:
        if unknown := [r for r in (s.total, *s.parts) if r not in known]:
            raise ValueError(f"{name}.toml table {code}: line_sums name roles {unknown} no line_roles entry defines")
    return LineSums(roles, sums)


def _comparable_title(title: str) -> str:
    """A printed title as the fund-scope patterns read it: NFKC, whitespace and quotes removed."""
    text = unicodedata.normalize("NFKC", title)
    return re.sub(r"[\s\"'“”‘’]", "", text)


@cache
def _fund_scopes(name: str, code: str) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    raw = next((t for t in _raw(name)["table"] if t["code"] == code), None)
    if raw is None:
        return ()
    return tuple((re.compile(s["match"]), frozenset(s["funds"])) for s in raw.get("fund_scopes", ()))


def fund_scope(name: str, code: str, title: str) -> frozenset[str]:
    """The funds table `code` of set `name` covers, read off its printed title (`fund_scopes` in the TOML).

    Empty when no pattern matches the title: the table's scope is unknown.
    """
    text = _comparable_title(title)
    return next((funds for pattern, funds in _fund_scopes(name, code) if pattern.search(text)), frozenset())


@dataclass(frozen=True)
class EconomicLines:
    """Economic 款 codes of the basic-expenditure table (06) that are lines of table `code` (09's 三公 items).

    `lines`: (economic code, line role); `measure`: the column of table `code` the 06 amount is compared with.
    """

    measure: str = ""
    lines: tuple[tuple[str, str], ...] = ()


@cache
def economic_lines(name: str, code: str) -> EconomicLines:
    """`economic_measure` / `economic_lines` of table `code` in set `name` (empty when it declares none)."""
    raw = next((t for t in _raw(name)["table"] if t["code"] == code), None)
    if raw is None or "economic_lines" not in raw:
        return EconomicLines()
    lines = tuple((str(e["code"]), e["role"]) for e in raw["economic_lines"])
    known = {role for role, _ in line_sums(name, code).roles}
    if unknown := [role for _, role in lines if role not in known]:
        raise ValueError(f"{name}.toml table {code}: economic_lines name roles {unknown} no line_roles entry defines")
    return EconomicLines(raw["economic_measure"], lines)
