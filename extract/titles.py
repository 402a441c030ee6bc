"""Find which standard table a printed line is the title of.

A title is normalized once, then compared with every spec title. What real booklets
print around the title itself, all seen in published files:

- a label: `公开01表`, `公开表一`, `附表1`, `表1`, with or without brackets and a
  separator (`公开02表:收入预算总表`);
- an ordinal: `一、`, `1.`, `9．`, `（一）`;
- a prefix naming the publisher: a year (`2025年`, `2017 年度`), a department
  (`江苏省高级人民法院`), a scope word (`部门`, `单位`, `预算单位`), in any order;
- a suffix: `（续）`, `（续表）`, a qualifier such as `（一般公共预算）` or `（功能科目）`,
  or the `单位：万元` that belongs to the next line.

The longest spec title that ends the normalized line wins (`财政拨款收入支出决算总表`
is table 04, not 01). Prose is never a title: the prefix must look like a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extract.text import title_key
from schemas.table_specs import TableSpec

_LABEL = re.compile(
    r"[（(]?(?:公开\d{1,2}表|公开表[一二三四五六七八九十]+|附表\d{1,2}|^表\d{1,2}|表\d{1,2}$)[)）]?[:：.、．]?"
)
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十\d]+[)）])")
_CONTINUED = re.compile(r"(?:[（(]续表?[)）]|续表|[（(]续[)）]?)$")
_QUALIFIER = re.compile(r"[（(][^（()）]{1,14}[)）]$")
_UNIT_TAIL = re.compile(r"(?:金额)?单位[:：].*$")
_YEAR = re.compile(r"\d{4}年度?")
_SCOPE = re.compile(r"(?:预算单位|部门|单位|本级)+$")
_LEADING_SCOPE = re.compile(r"^(?:预算单位|部门|单位)")
#: A publisher name: Han characters, brackets, middle dots. Prose markers exclude it.
_NAME = re.compile(r"^[\u4e00-\u9fff（）()·]{2,40}$")
_PROSE = re.compile(r"[见详附及、，。：:《》]|说明|如下|情况|包括")


@dataclass(frozen=True)
class TitleMatch:
    spec: TableSpec
    continued: bool  # printed with （续）: a continuation of the table, not a new one
    qualifier: str  # a printed suffix such as （一般公共预算）, kept for the record


@lru_cache(maxsize=16384)
def normalize_title(text: str) -> tuple[str, bool, str]:
    """(key, continued, qualifier) of a printed line; key has labels, ordinals and suffixes removed.

    Cached: every line of every candidate page is asked about twice (page triage, then
    the table reader), and headers and footers repeat on every page.
    """
    key = _UNIT_TAIL.sub("", title_key(text))
    key = _LABEL.sub("", key)
    key = _ORDINAL.sub("", key, count=1)
    continued = bool(_CONTINUED.search(key))
    key = _CONTINUED.sub("", key)
    qualifier = ""
    m = _QUALIFIER.search(key)
    if m:
        qualifier = m.group(0)
    return key, continued, qualifier


def _spec_titles(spec: TableSpec) -> tuple[str, ...]:
    """A spec's titles and their forms without a leading scope word (`部门收支总表` → `收支总表`)."""
    return _title_keys(spec.titles)


@cache
def _title_keys(titles: tuple[str, ...]) -> tuple[str, ...]:
    """Normalized once per title set: every printed line of every page is compared with them."""
    out: list[str] = []
    for title in titles:
        key = title_key(title)
        out.append(key)
        bare = _LEADING_SCOPE.sub("", key)
        if bare != key and len(bare) >= 4:
            out.append(bare)
    return tuple(out)


def _prefix_is_publisher(prefix: str) -> bool:
    """What stands before a title: nothing, a year, a scope word, a name, or those together."""
    rest = _YEAR.sub("", prefix)
    rest = _SCOPE.sub("", rest)
    rest = _LEADING_SCOPE.sub("", rest)
    if not rest:
        return True
    return bool(_NAME.match(rest)) and not _PROSE.search(rest)


def match_title_full(text: str, specs: tuple[TableSpec, ...]) -> TitleMatch | None:
    """The spec whose title this whole line is, with what was printed around it."""
    key, continued, qualifier = normalize_title(text)
    if len(key) < 4:
        return None
    candidates = [key]
    if qualifier:
        candidates.append(key[: -len(qualifier)])
    by_last = _titles_by_last_character(specs)
    for index, candidate in enumerate(candidates):
        for title, spec in by_last.get(candidate[-1:], ()):
            if candidate.endswith(title) and _prefix_is_publisher(candidate[: -len(title)]):
                return TitleMatch(spec, continued, qualifier if index else "")
    return None


_INDEXES: dict[int, tuple[tuple[TableSpec, ...], dict[str, list[tuple[str, TableSpec]]]]] = {}


def _titles_by_last_character(specs: tuple[TableSpec, ...]) -> dict[str, list[tuple[str, TableSpec]]]:
    """Every spec title by its last character, longest first (specs' order among equals): the
    first that ends a line and leaves a publisher before it is the longest match. Kept by the
    specs' identity (a spec set is loaded once; hashing it per line would cost more than the
    match); the entry holds the tuple, so its id is never reused while kept."""
    kept = _INDEXES.get(id(specs))
    if kept is not None and kept[0] is specs:
        return kept[1]
    if len(_INDEXES) > 64:  # spec sets made on the fly (tests): keep memory bounded
        _INDEXES.clear()
    titles = [(title, spec) for spec in specs for title in _spec_titles(spec)]
    titles.sort(key=lambda item: -len(item[0]))  # stable: specs' order among titles of one length
    index: dict[str, list[tuple[str, TableSpec]]] = {}
    for title, spec in titles:
        if title:
            index.setdefault(title[-1], []).append((title, spec))
    _INDEXES[id(specs)] = (specs, index)
    return index


def match_title(text: str, specs: tuple[TableSpec, ...]) -> TableSpec | None:
    """The spec whose title this whole line is, or None."""
    found = match_title_full(text, specs)
    return found.spec if found else None


_OTHER_TITLE = re.compile(r"^[\u4e00-\u9fff\d（）()“”、·]{3,45}表$")


def is_other_table_title(text: str) -> bool:
    """A line that titles some other table (`2019年政府采购预算表`): it ends the table above it.

    Its amounts are then reported as outside every standard table instead of being
    counted against the table before it. 绩效 tables are read by extract/performance.py.
    """
    key = normalize_title(text)[0]
    if key.startswith("第") and "部分" in key[:5]:  # a part heading: 第二部分 …部门预算表
        return False
    return bool(_OTHER_TITLE.match(key)) and not _PROSE.search(key) and "绩效" not in key
