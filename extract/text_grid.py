"""Tables printed with no rules at all, read from the positions of their words.

Borderless HTML tables and some print drivers leave nothing but text aligned in
columns. This module rebuilds the same `Grid` that extract/grid.py makes from
ruled lines, so headers.py and tables.py read it unchanged. Stages, each a small
function whose result can be inspected on its own:

words in the band → lines (word tops clustered) → caption / header / body split
(the body starts at the first data row or after the `栏次 1 2 3` row; it ends at
prose, a note `注…`, a page footer, a new title, or a wide vertical gap) →
columns (x-extents: numbers and codes first, then the column numbers of the
`栏次` row, labels, and header cells that sit over no column yet) → header cells
(words joined along a line and down wrapped lines) → each header cell's span of
columns (the span it is centred over whose every column has a header cell below
it: `本年支出` over `小计|基本支出|项目支出`) → grid rows (a header stack per
column; one row per body row, wrapped label lines joined into the row they are
centred on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extract import plumber_words
from extract.grid import Grid
from extract.headers import is_data_row, is_line_no_row
from extract.numbers import code_digits, parse_amount
from extract.text import squash, squash_printed
from extract.titles import is_other_table_title

#: How words are read (Chinese header words may still come split by spaces: joined per cell).
WORD_SETTINGS: dict[str, float] = {"x_tolerance": 1.5, "y_tolerance": 2}
_LINE_TOLERANCE = 3.0  # word tops within this are one printed line (CJK and Latin fonts sit ~1.2pt apart)
_PAD = 3.0  # assumed cell padding when a column edge is estimated from its text

_CAPTION = re.compile(r"(单位[:：]|部门[:：]|编制单位|公开\d{1,2}表|^附表\d)")
_FOOTER = re.compile(r"^[—\-–－~\s]*(第\s*)?\d+\s*(页)?[—\-–－~\s]*(/\s*\d+)?$")
_PROSE = re.compile(r"[，。；！？]|[\u4e00-\u9fff],|,[\u4e00-\u9fff]")
_NOTE = re.compile(r"^(注|说明|备注)")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def texts(self) -> list[str]:
        return [w.text for w in self.words]

    @property
    def text(self) -> str:
        return "".join(self.texts)


@dataclass
class HeaderCell:
    words: list[Word]
    line_no: bool = False  # a cell of the `栏次 1 2 3` row
    span: tuple[int, int] = (0, 0)  # first and last column covered

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        ordered = sorted(self.words, key=lambda w: (round(w.top), w.x0))
        return squash_printed("".join(w.text for w in ordered))


@dataclass
class TextTable:
    """Every stage of one borderless table, kept for debugging."""

    header: list[Line] = field(default_factory=list)
    line_no: Line | None = None
    body: list[Line] = field(default_factory=list)
    columns: list[tuple[float, float]] = field(default_factory=list)  # (left, right) edges
    header_cells: list[HeaderCell] = field(default_factory=list)
    stop: str = ""  # why the table ended


def text_grids(
    page: Any, page_number: int, top: float, bottom: float, columns: list[tuple[float, float]] | None = None
) -> list[Grid]:
    """The borderless table in the band [top, bottom) of a pdfplumber page, as Grids ([] if none).

    `columns`: the (left, right) edges of the table's part on the page before, for a
    continuation page whose few rows cannot place the columns by themselves.
    """
    table = read_text_table(page, top, bottom, columns)
    if table is None:
        return []
    return [build_grid(table, page_number)]


def read_text_table(
    page: Any, top: float, bottom: float, columns: list[tuple[float, float]] | None = None
) -> TextTable | None:
    words = [
        Word(str(text), float(x0), float(x1), float(w_top), float(w_bottom))
        for text, x0, x1, w_top, w_bottom in plumber_words.page_words(page, **WORD_SETTINGS)
        if top <= float(w_top) < bottom and str(text).strip()
    ]
    lines = _lines(words)
    table = _split(lines)
    if table is None:
        return None
    table.columns = list(columns) if columns else _columns(table)
    if not table.columns:
        return None
    table.header_cells = _header_cells(table)
    for cell in table.header_cells:
        cell.span = _span(cell, table.columns, table.header_cells)
    return table


# -- lines and the table's vertical extent -----------------------------------------


def _lines(words: list[Word]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and word.top - lines[-1].words[0].top <= _LINE_TOLERANCE:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def _is_data_line(line: Line) -> bool:
    texts = [squash(t) for t in line.texts]
    return is_data_row(texts, [True] * len(texts))


def _is_line_no_line(line: Line) -> bool:
    return is_line_no_row(_joined_texts(line))


def _joined_texts(line: Line) -> list[str]:
    """A line's words with those printed a character apart joined (`栏 次` → `栏次`)."""
    out: list[str] = []
    prev: Word | None = None
    for w in line.words:
        if prev is not None and w.x0 - prev.x1 <= 0.5 * prev.height and not _numeric(w.text):
            out[-1] += squash(w.text)
        else:
            out.append(squash(w.text))
        prev = w
    return out


def _has_values(line: Line) -> bool:
    """A data row that prints an amount or starts with a code (a lone `本年收入` may be a header)."""
    if not _is_data_line(line):
        return False
    texts = [squash(t) for t in line.texts]
    return bool(code_digits(texts[0])) or any(
        parse_amount(t) is not None and ("." in t or "," in t) for t in texts
    )


def _numeric(text: str) -> bool:
    return parse_amount(text) is not None or bool(code_digits(text))


def _stop_reason(line: Line, previous: Line | None, pitch: float) -> str:
    text = squash(line.text)
    if _NOTE.match(text):
        return "note"
    if _FOOTER.match(line.text.strip()) and len(line.words) <= 3:
        return "page footer"
    if _PROSE.search(line.text):
        return "prose"
    if is_other_table_title(text) and len(line.words) <= 2:
        return "title"
    if previous is not None and pitch > 0 and line.top - previous.bottom > 3 * pitch:
        return "gap"
    return ""


def _split(lines: list[Line]) -> TextTable | None:
    """Caption lines, then header lines, then body lines until rows stop looking like rows."""
    first = next((i for i, ln in enumerate(lines) if _is_line_no_line(ln) or _has_values(ln)), None)
    if first is None:  # an empty table: its `合计` row alone
        first = next((i for i, ln in enumerate(lines) if _is_data_line(ln)), None)
    if first is None:
        return None
    start = 0
    for i in range(first):
        if _CAPTION.search(squash(lines[i].text)) or _stop_reason(lines[i], None, 0):
            start = i + 1  # the title block and anything above it
    table = TextTable(header=lines[start:first])
    body_start = first
    if _is_line_no_line(lines[first]):
        table.line_no = lines[first]
        body_start = first + 1
    pitches = [b.top - a.top for a, b in zip(lines[body_start:], lines[body_start + 1 :], strict=False)]
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else 0.0
    previous: Line | None = None
    for line in lines[body_start:]:
        reason = _stop_reason(line, previous, pitch)
        if reason:
            table.stop = reason
            break
        table.body.append(line)
        previous = line
    if not any(_is_data_line(ln) for ln in table.body):
        return None
    return table


# -- columns -----------------------------------------------------------------


@dataclass
class _Extent:
    """Where one column's text is printed, and what kind of text it is."""

    x0: float
    x1: float
    numbers: list[Word] = field(default_factory=list)  # body amounts and codes
    labels: list[Word] = field(default_factory=list)  # body text
    centred: list[Word] = field(default_factory=list)  # 栏次 numbers, header cells alone in a column
    header_mid: float | None = None  # centre of the lowest header cell over it (right-aligned numbers)

    def overlaps(self, x0: float, x1: float) -> bool:
        return self.x0 < x1 and x0 < self.x1


def _merge(words: list[Word]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted((w.x0, w.x1) for w in words):
        if out and x0 <= out[-1][1] + 0.5:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def _without_bridges(words: list[Word]) -> list[Word]:
    """The words, less any word that alone joins two text extents (a cell spanning columns)."""
    count = len(_merge(words))
    for w in list(words):
        rest = [v for v in words if v is not w]
        if len(_merge(rest)) > count:
            words, count = rest, len(_merge(rest))
    return words


def _add(extents: list[_Extent], w: Word, kind: str, gap: float, grow: bool) -> None:
    """Add a word to the one column it overlaps (growing it), or start a column where nothing is printed."""
    hit = [e for e in extents if e.overlaps(w.x0, w.x1)]
    if not hit:
        if all(w.x1 + gap <= e.x0 or e.x1 + gap <= w.x0 for e in extents):
            extents.append(_Extent(w.x0, w.x1))
            extents.sort(key=lambda e: e.x0)
            hit = [e for e in extents if e.overlaps(w.x0, w.x1)]
        else:
            return
    if len(hit) != 1:
        return
    target = hit[0]
    others = [e for e in extents if e is not target]
    x0, x1 = min(target.x0, w.x0), max(target.x1, w.x1)
    if grow and all(x1 + gap <= e.x0 or e.x1 + gap <= x0 for e in others):
        target.x0, target.x1 = x0, x1
    elif not (target.x0 <= w.x0 and w.x1 <= target.x1) and kind != "centred":
        return
    getattr(target, kind).append(w)


def _columns(table: TextTable) -> list[tuple[float, float]]:
    """Column (left, right) edges from where text is printed.

    Numbers and codes fix the columns that hold values; the `栏次` row's numbers fix
    columns printed empty; labels then grow or add columns; header cells add columns
    only where nothing else is printed (an empty column named in the header).
    """
    body_words = [w for ln in table.body for w in ln.words]
    if not body_words:
        return []
    height = sorted(w.height for w in body_words)[len(body_words) // 2]
    gap = height / 2
    extents: list[_Extent] = []
    for w in _without_bridges([w for w in body_words if _numeric(w.text)]):
        _add(extents, w, "numbers", gap, grow=True)
    if table.line_no is not None:
        for w in table.line_no.words:
            if w.text.isdigit():
                _add(extents, w, "centred", gap, grow=True)
    for w in _without_bridges([w for w in body_words if not _numeric(w.text)]):
        _add(extents, w, "labels", gap, grow=True)
    for cell in sorted(_header_cells(table), key=lambda c: -c.top):
        if not cell.line_no:
            box = Word(cell.text, cell.x0, cell.x1, cell.top, cell.bottom)
            if not any(e.overlaps(box.x0, box.x1) for e in extents) and not _centred_in_neighbour(
                box, extents
            ):
                _add(extents, box, "centred", height, grow=False)  # clear of every column
    cells = [c for c in _header_cells(table) if not c.line_no]
    for k, e in enumerate(extents):
        if _right_aligned(e) and not e.centred:
            lower = extents[k - 1].x1 if k else float("-inf")
            over = [c for c in cells if lower < c.x0 and c.x1 <= e.x1 + _PAD]
            if over:
                e.header_mid = (max(over, key=lambda c: c.top).x0 + max(over, key=lambda c: c.top).x1) / 2
    header_x = [(c.x0, c.x1) for c in cells] or [(extents[0].x0, extents[-1].x1)]
    outer = (
        min(min(x for x, _ in header_x), extents[0].x0),
        max(max(x for _, x in header_x), extents[-1].x1),
    )
    return _edges(extents, outer)


def _right_aligned(e: _Extent) -> bool:
    return bool(e.numbers) and max(w.x1 for w in e.numbers) - min(w.x1 for w in e.numbers) <= 1.5


def _left_aligned(e: _Extent) -> bool:
    """Labels starting at one x, or codes (numbers of several widths starting at one x)."""
    if e.labels:
        return len(e.labels) >= 2 and max(w.x0 for w in e.labels) - min(w.x0 for w in e.labels) <= 1.5
    return (
        len(e.numbers) >= 2
        and not _right_aligned(e)
        and max(w.x0 for w in e.numbers) - min(w.x0 for w in e.numbers) <= 1.5
    )


def _centred_in_neighbour(box: Word, extents: list[_Extent]) -> bool:
    """A header over the column of the text beside it (a short label, narrow numbers), not an empty column.

    Mirrored about its centre, the known edge of that column (left of left-aligned
    labels, right of right-aligned numbers) gives a column that holds the header
    and reaches no other column's text.
    """
    left = [e for e in extents if e.x1 <= box.x0]
    right = [e for e in extents if e.x0 >= box.x1]
    if left and _left_aligned(left[-1]):
        far = 2 * box.mid - (left[-1].x0 - _PAD)
        if far >= box.x1 and (not right or far <= right[0].x0):
            return True
    if right and _right_aligned(right[0]):
        far = 2 * box.mid - (right[0].x1 + _PAD)
        if far <= box.x0 and (not left or far >= left[-1].x1):
            return True
    return False


def _edges(extents: list[_Extent], outer: tuple[float, float]) -> list[tuple[float, float]]:
    """Column edges: right of right-aligned numbers, left of left-aligned labels, or mirrored about centred text."""
    if not extents:
        return []

    def centre(e: _Extent) -> float | None:
        """The centre of a column printed empty (栏次 numbers or a header alone), or of centred numbers (行次)."""
        if e.centred:
            return sum(w.mid for w in e.centred) / len(e.centred)
        mids = [w.mid for w in e.numbers]
        if len(mids) >= 2 and not e.labels and not _right_aligned(e) and max(mids) - min(mids) <= 1.5:
            return sum(mids) / len(mids)
        return e.header_mid

    n = len(extents)
    edges: list[float | None] = [outer[0] - _PAD] + [None] * (n - 1) + [outer[1] + _PAD]
    for k in range(1, n):  # the edge between extents k-1 and k, where alignment fixes it
        a, b = extents[k - 1], extents[k]
        ca, cb = centre(a), centre(b)
        if _right_aligned(a):
            edges[k] = a.x1 + _PAD
        elif _left_aligned(b):
            edges[k] = b.x0 - _PAD
        elif ca is not None and cb is not None and not (a.numbers or a.labels or b.numbers or b.labels):
            edges[k] = (ca + cb) / 2  # empty columns side by side: taken as equally wide
    for _ in range(n):  # an empty column's other edge mirrors a known one about its centre
        for k in range(1, n):
            if edges[k] is not None:
                continue
            ca, cb = centre(extents[k - 1]), centre(extents[k])
            left, right = edges[k - 1], edges[k + 1]
            if ca is not None and left is not None:
                edges[k] = 2 * ca - left
            elif cb is not None and right is not None:
                edges[k] = 2 * cb - right
    fixed: list[float] = [edges[0] or 0.0]
    for k in range(1, n):
        a, b = extents[k - 1], extents[k]
        edge = edges[k]
        fixed.append(min(max(edge if edge is not None else (a.x1 + b.x0) / 2, a.x1), b.x0))
    fixed.append(edges[n] or 0.0)
    return list(zip(fixed, fixed[1:], strict=False))


# -- header cells ------------------------------------------------------------


def _header_cells(table: TextTable) -> list[HeaderCell]:
    """Header words joined along a line (`项 目`) and down wrapped lines (`支出功能分类`/`科目编码`)."""
    cells: list[HeaderCell] = []
    for line in table.header:
        prev: Word | None = None
        for w in line.words:
            if prev is not None and w.x0 - prev.x1 <= 0.5 * prev.height:
                cells[-1].words.append(w)
            else:
                cells.append(HeaderCell([w]))
            prev = w
    merged = True
    while merged:  # a wrapped cell: the next line down, directly below, one line-pitch away
        merged = False
        for a in cells:
            for b in cells:
                if a is b or not _wraps_into(a, b):
                    continue
                a.words += b.words
                cells.remove(b)
                merged = True
                break
            if merged:
                break
    if table.line_no is not None:
        for text_cell in _line_no_cells(table.line_no):
            cells.append(text_cell)
    return cells


def _wraps_into(a: HeaderCell, b: HeaderCell) -> bool:
    height = min(w.height for w in a.words)
    last_top = max(w.top for w in a.words)
    pitch = b.top - last_top
    if not (0.5 * height < pitch <= 1.5 * height):
        return False
    if not (a.x0 < b.x1 and b.x0 < a.x1):
        return False
    centred = abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= height / 2
    left_aligned = abs(a.x0 - b.x0) <= 1.5
    return centred or left_aligned


def _line_no_cells(line: Line) -> list[HeaderCell]:
    cells: list[HeaderCell] = []
    prev: Word | None = None
    for w in line.words:
        if prev is not None and w.x0 - prev.x1 <= 0.5 * prev.height and not w.text.isdigit():
            cells[-1].words.append(w)
        else:
            cells.append(HeaderCell([w], line_no=True))
        prev = w
    return cells


def _span(cell: HeaderCell, columns: list[tuple[float, float]], cells: list[HeaderCell]) -> tuple[int, int]:
    """The columns a header cell covers: the span it is centred over.

    Centred text over one column and over three columns looks the same, so a span
    of several columns is taken only when each of its columns has a header cell
    below this one (a parent over its children: `本年支出` over `小计|基本支出|项目支出`).
    """
    mid = (cell.x0 + cell.x1) / 2
    tol = 3.0
    candidates: list[tuple[int, int]] = []
    n = len(columns)
    for i in range(n):
        if columns[i][0] - tol > cell.x0:
            break
        for j in range(i, n):
            if columns[j][1] + tol < cell.x1:
                continue
            left, right = columns[i][0], columns[j][1]
            if abs(mid - (left + right) / 2) <= max(6.0, 0.12 * (right - left)):
                candidates.append((i, j))
    below = [c for c in cells if c is not cell and not c.line_no and c.top > cell.bottom - 1]

    def has_children(span: tuple[int, int]) -> bool:
        i, j = span
        inside = [c for c in below if columns[i][0] - tol <= c.x0 and c.x1 <= columns[j][1] + tol]
        return all(
            any(columns[k][0] < (c.x0 + c.x1) / 2 < columns[k][1] for c in inside) for k in range(i, j + 1)
        )

    def off_centre(span: tuple[int, int]) -> float:
        return abs(mid - (columns[span[0]][0] + columns[span[1]][1]) / 2)

    # a span it is centred on (within the edges' error) first, then the narrowest:
    # `本年支出` is as centred over its 3 columns as over 5, `支出` better over its 6 than over 2
    wide = sorted(
        (s for s in candidates if s[1] > s[0] and has_children(s)),
        key=lambda s: (off_centre(s) > 4.0, s[1] - s[0]),
    )
    if wide and not cell.line_no:
        return wide[0]
    single = [s for s in candidates if s[0] == s[1]]
    if single:
        return single[0]
    if candidates:
        return min(candidates, key=lambda s: s[1] - s[0])
    hit = [k for k, (a, b) in enumerate(columns) if a < cell.x1 and cell.x0 < b]
    if hit:
        return hit[0], hit[-1]
    nearest = min(range(n), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - mid))
    return nearest, nearest


# -- the grid ----------------------------------------------------------------


def _body_rows(lines: list[Line]) -> list[list[Line]]:
    """Body lines grouped into rows: lines that overlap vertically are one row (a wrapped label centred on it)."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and line.top < max(ln.bottom for ln in rows[-1]) - 1:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _word_span(w: Word, columns: list[tuple[float, float]]) -> tuple[int, int]:
    for k, (a, b) in enumerate(columns):
        if a - 1 <= w.x0 and w.x1 <= b + 1:
            return k, k
    return _span(HeaderCell([w]), columns, [])


def _labels_spread(spans: list[tuple[tuple[int, int], list[Word]]]) -> list[tuple[tuple[int, int], str]]:
    """A label cell reaches to the next printed cell of its row, as a merged cell does when ruled.

    `公用经费合计` printed across 06's second and third column groups (merged there in the
    ruled template) labels the amount at the far right; without rules only the gap up to
    the next printed word tells how far the cell goes.
    """
    out: list[tuple[tuple[int, int], str]] = []
    for n, ((i, j), ws) in enumerate(spans):
        text = squash_printed("".join(w.text for w in ws))
        nxt = spans[n + 1][0][0] if n + 1 < len(spans) else None
        if nxt is not None and nxt - 1 > j and not _numeric(text) and not text.isdigit():
            j = nxt - 1
        out.append(((i, j), text))
    return out


def build_grid(table: TextTable, page_number: int) -> Grid:
    columns = table.columns
    n = len(columns)
    text: list[list[str]] = []
    origin: list[list[bool]] = []
    raw: list[list[str | None]] = []

    def add_row(spans: list[tuple[tuple[int, int], str]]) -> None:
        row_text = ["" for _ in range(n)]
        row_origin = [False for _ in range(n)]
        row_raw: list[str | None] = [None for _ in range(n)]
        for (i, j), value in spans:
            if row_origin[i]:
                value = row_text[i] + value
            row_origin[i] = True
            row_raw[i] = value
            for k in range(i, j + 1):
                row_text[k] = value
        for k in range(n):
            if not any(i <= k <= j for (i, j), _ in spans):
                row_origin[k] = True
                row_raw[k] = ""
        text.append(row_text)
        origin.append(row_origin)
        raw.append(row_raw)

    # header: a stack of cells above every column, the lowest one carried down
    stacked = [c for c in table.header_cells if not c.line_no]
    stacks = [
        sorted((c for c in stacked if c.span[0] <= k <= c.span[1]), key=lambda c: c.top) for k in range(n)
    ]
    depth = max((len(s) for s in stacks), default=0)
    for level in range(depth):
        row_text = ["" for _ in range(n)]
        row_origin = [False for _ in range(n)]
        row_raw: list[str | None] = [None for _ in range(n)]
        for k, stack in enumerate(stacks):
            if not stack:
                row_origin[k] = level == 0
                row_raw[k] = "" if level == 0 else None
                continue
            cell = stack[min(level, len(stack) - 1)]
            row_text[k] = cell.text
            starts_here = k == cell.span[0] and (
                level == 0 or stack[min(level - 1, len(stack) - 1)] is not cell
            )
            row_origin[k] = starts_here
            row_raw[k] = cell.text if starts_here else None
        text.append(row_text)
        origin.append(row_origin)
        raw.append(row_raw)
    if table.line_no is not None:
        add_row([(c.span, c.text) for c in table.header_cells if c.line_no])
    for group in _body_rows(table.body):
        words = sorted((w for ln in group for w in ln.words), key=lambda w: (w.top, w.x0))
        by_span: dict[tuple[int, int], list[Word]] = {}
        for w in words:
            by_span.setdefault(_word_span(w, columns), []).append(w)
        add_row(_labels_spread(sorted(by_span.items())))
    all_lines = table.header + ([table.line_no] if table.line_no else []) + table.body
    return Grid(
        page=page_number,
        top=min(ln.top for ln in all_lines),
        bottom=max(ln.bottom for ln in all_lines),
        text=text,
        origin=origin,
        raw=raw,
        xs=[a for a, _ in columns],
        right=columns[-1][1],
    )


def describe(table: TextTable) -> list[str]:
    """What was found and why, one line per stage (for `debug-page`)."""
    out = [
        f"header lines {len(table.header)}, 栏次 row {'yes' if table.line_no else 'no'}, "
        f"body lines {len(table.body)}, ended by {table.stop or 'the band'}",
        "columns " + ", ".join(f"{a:.0f}–{b:.0f}" for a, b in table.columns),
    ]
    out += [f"header {c.text!r} → columns {c.span[0]}..{c.span[1]}" for c in table.header_cells]
    return out
