"""Find the standard tables of a document and read them into RawTable records.

Stages, each kept inspectable (see `opendisclosure debug-page`):
page lines → titles (by spec) → grids (ruled tables) → parts (a grid assigned to
the title above it, or continuing the table of the previous page) → column map
(header → roles/measures) → logical rows (codes joined, wrapped names joined) →
RawCells with the page of every value.
"""

from __future__ import annotations

import re
from typing import Any

from core.records import QuarantineReason, RawTable
from extract.accounting import Word, page_words, printed_numbers
from extract.empty_notes import notes_atop, notes_under
from extract.grid import Grid, align_columns, page_grids
from extract.headers import header_row_count, read_columns
from extract.plumber_words import text_lines
from extract.table_parts import OpenTable, OtherTable, PageLine, Part
from extract.table_rows import build_raw_table
from extract.text import squash, title_key
from extract.text_grid import text_grids
from extract.titles import is_other_table_title, match_title
from schemas.table_specs import TableSpec

_LABEL_LINE = re.compile(r"^[（(]?(公开\d{1,2}表|公开表[一二三四五六七八九十]+|附表\d{1,2}|表\d{1,2})[)）]?$")
_UNIT = re.compile(r"单位[:：]\s*([^\s]+)")
_MONEY_UNIT = re.compile(r"单位[:：]\s*(万元|千元|元)(?![\u4e00-\u9fff])")
_STANDALONE_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_NOISE_LINE = re.compile(r"^[—\-–\s\d第页/共]*$")


def page_lines(page: Any) -> list[PageLine]:
    """The page's text lines as pdfplumber's `extract_text_lines` reads them (extract/plumber_words.py)."""
    lines = text_lines(page.chars)
    if lines is None:
        lines = [(line["text"], line["top"], line["bottom"])
                 for line in page.extract_text_lines(layout=False, strip=True, return_chars=False)]
    return [PageLine(squash(text), float(top), float(bottom)) for text, top, bottom in lines]


class TableFinder:
    """Walks a document's pages once and collects its standard tables.

    Kept as an object so that every stage's result stays inspectable (`events`).
    """

    def __init__(self, specs: tuple[TableSpec, ...]):
        self.specs = specs
        self.open: OpenTable | None = None
        self.done: list[OpenTable] = []
        self.events: list[str] = []
        self.notes: list[str] = []  # what a reader should know: possible table parts not read
        self.last_part_page = 0
        self.listed: set[str] = set()  # table codes a 目录 page lists
        self.unattributed: list[tuple[int, int]] = []  # (page, amounts) of ruled tables under no known title
        self.others: list[OtherTable] = []  # tables under titles that match no spec
        self._cached_words: tuple[int, list[Word]] = (0, [])
        self.current_other: OtherTable | None = None  # the unknown title the page is under, if any

    def _words(self, page: Any, page_number: int) -> list[Word]:
        """The page's words, extracted once for the strategy chooser and the accounting."""
        if self._cached_words[0] != page_number:
            self._cached_words = (page_number, page_words(page))
        return self._cached_words[1]

    def may_skip(self, text: str, page_number: int) -> bool:
        """A page whose pdfium text holds no table: no title, no row of free-standing numbers.

        Decided before pdfplumber parses the page (pdfminer's content parsing is most of
        the cost): a page is read when a table may continue onto it, when a line looks
        like a title, or when its text has numbers standing alone as table cells do
        (prose glues them to words: `收入总计12,653.82万元`).
        """
        table = self.open
        last = (table.parts[-1].grid.page if table.parts else table.page) if table is not None else 0
        if table is not None and last >= page_number - 1:
            return False  # the open table may continue (or start, under a title at a page's foot) here
        lines = [squash(line) for line in text.splitlines()]
        if any(line.endswith(("表", "表）", "表)")) or match_title(line, self.specs) for line in lines if line):
            return False
        standalone = sum(1 for token in text.split() if _STANDALONE_NUMBER.match(token))
        return standalone < 3

    def feed_page(self, page: Any, page_number: int, ruled: list[Grid] | None = None) -> None:
        """Read one page; `ruled` = its `page_grids` when the caller already has them (one parse per page)."""
        lines = page_lines(page)
        titles = self._titles(lines)
        grids = list(ruled) if ruled is not None else page_grids(page, page_number)
        if titles or (self.open is not None and self.open.parts):
            grids = self._choose_grids(page, page_number, lines, titles, grids)
        contents = len({spec.code for _, spec in titles}) >= 3 and not grids
        if contents:
            # a 目录 page: the tables it lists, not where they are printed
            self.listed.update(spec.code for _, spec in titles)
            self.events.append(f"p{page_number}: contents page listing {sorted(self.listed)}")
            titles = []
        items: list[tuple[float, str, Any]] = [(ln.top, "title", (ln, spec)) for ln, spec in titles]
        items += [(g.top, "grid", g) for g in grids]
        # lines a title covers (also the second line of a wrapped title) are no other table's title
        spans = [(ln.top - 1, ln.bottom + 1) for ln, _ in titles]
        if not contents:
            items += [
                (ln.top, "other", ln)
                for ln in lines
                if not any(a <= ln.top <= b for a, b in spans) and is_other_table_title(ln.text)
            ]
        items.sort(key=lambda item: (item[0], item[1] != "title"))
        open_at_start = self.open
        parts_before = len(open_at_start.parts) if open_at_start else 0
        starts: list[tuple[float, OpenTable | OtherTable]] = []
        for top, kind, obj in items:
            if kind == "other":
                if self.open is not None:
                    self._collect_notes(lines, page_number, until=top)
                self._close()
                other = OtherTable(title=obj.text, page=page_number)
                self.current_other = other
                self.others.append(other)
                starts.append((top, other))
                self.events.append(f"p{page_number}: title of a table no spec knows {obj.text!r} at y={top:.0f}")
            elif kind == "title":
                line, spec = obj
                if self._repeats_open_title(spec, page_number):
                    self.events.append(f"p{page_number}: title {spec.code} repeated: the table continues")
                    continue
                if self.open is not None:  # 07 and 08 on one page: 07's note is above 08's title
                    self._collect_notes(lines, page_number, until=top)
                self._close()
                self.current_other = None
                self.open = OpenTable(spec=spec, title=line.text, page=page_number, top=top)
                starts.append((top, self.open))
                self.events.append(f"p{page_number}: title {spec.code} {line.text!r} at y={top:.0f}")
                self._read_title_block(lines, page_number)
            else:
                self._add_grid(obj, lines, page_number)
        if self.open is not None:
            self._collect_notes(lines, page_number)
        continued = open_at_start is not None and (
            len(open_at_start.parts) > parts_before
            or (
                bool(open_at_start.parts)
                and open_at_start.parts[-1].grid.page == page_number - 1
                and _table_like_start(lines, starts[0][0] if starts else float("inf"))
            )
        )
        self._account(page, page_number, grids, starts, open_at_start if continued else None)

    def _choose_grids(
        self,
        page: Any,
        page_number: int,
        lines: list[PageLine],
        titles: list[tuple[PageLine, TableSpec]],
        ruled: list[Grid],
    ) -> list[Grid]:
        """The reading of a table page that accounts for the most printed amounts.

        Ruled grids are exact where they exist; when amounts are printed outside
        every ruled grid (rows drawn without rules, a table printed with none), the
        word-alignment reading is tried and kept if it holds more of them.
        """
        if len({spec.code for _, spec in titles}) >= 3 and not ruled:
            return ruled  # a 目录 page
        words = self._words(page, page_number)
        height = float(page.height)

        def inside(grids: list[Grid]) -> tuple[int, int]:
            boxes = [(g.xs[0] if g.xs else 0.0, g.top, g.right, g.bottom) for g in grids]
            numbers, _ = printed_numbers(words, page_number, 0.0, height, boxes)
            return sum(n.in_grid for n in numbers), sum(not n.in_grid for n in numbers)

        ruled_in, ruled_out = inside(ruled) if ruled else (0, 1)
        if ruled and ruled_out < 3:
            return ruled
        text = self._text_grids(page, page_number, lines, titles)
        text_in = inside(text)[0] if text else 0
        if text_in > ruled_in or (text and not ruled):  # no rules at all: an empty table is still a table
            if ruled:
                self.events.append(
                    f"p{page_number}: word alignment accounts for {text_in} amounts, rules for {ruled_in}: text chosen"
                )
            return text
        return ruled

    def _text_grids(
        self, page: Any, page_number: int, lines: list[PageLine], titles: list[tuple[PageLine, TableSpec]]
    ) -> list[Grid]:
        """A page with no rules: grids from word alignment under each title (extract/text_grid.py).

        Only where a standard table is printed (a title on the page, or a table
        continuing from the page before); `strategy` records the choice.
        """
        if len({spec.code for _, spec in titles}) >= 3:
            return []  # a 目录 page
        ordered = sorted(titles, key=lambda t: t[0].top)
        height = float(page.height)
        ends = [t[0].top for t in ordered[1:]] + ([height] if ordered else [])
        bands = [(ln.bottom, end) for (ln, _), end in zip(ordered, ends, strict=True)]
        if self.open is not None and self.open.parts:
            bands.insert(0, (0.0, ordered[0][0].top if ordered else height))
        grids = []
        for index, (top, bottom) in enumerate(bands):
            if bottom <= top:
                continue
            columns = None
            previous = self.open.parts[-1].grid if self.open is not None and self.open.parts else None
            if index == 0 and top == 0.0 and previous is not None and previous.strategy == "text":
                # a continuation: the columns of the part before (a page of one or two rows cannot place them)
                columns = list(zip(previous.xs, [*previous.xs[1:], previous.right], strict=True))
            grids += text_grids(page, page_number, top, bottom, columns)
        for grid in grids:
            grid.strategy = "text"
        if grids:
            self.events.append(f"p{page_number}: no rules; {len(grids)} grid(s) from word alignment")
        return grids

    def _titles(self, lines: list[PageLine]) -> list[tuple[PageLine, TableSpec]]:
        """Title lines, also a title wrapped over two or three lines.

        `…“三公”经费和机关运行经费` / `预算表`, or Jiangsu's `…培训费支出预` / `“”` / `算表`
        (the quotes printed on a line of their own): the lines are joined when none of
        them is a title alone and each follows the one before closely.
        """
        found: list[tuple[PageLine, TableSpec]] = []
        skip = 0
        for i, line in enumerate(lines):
            if skip:
                skip -= 1
                continue
            spec = match_title(line.text, self.specs)
            if spec is not None:
                found.append((line, spec))
                continue
            text, last = line.text, line
            for j in range(i + 1, min(i + 3, len(lines))):
                nxt = lines[j]
                if nxt.top - last.bottom > (line.bottom - line.top) * 1.5 or match_title(nxt.text, self.specs):
                    break
                text, last = text + nxt.text, nxt
                joined = match_title(text, self.specs)
                if joined is not None:
                    found.append((PageLine(text, line.top, nxt.bottom), joined))
                    skip = j - i
                    break
        return found

    def _account(
        self,
        page: Any,
        page_number: int,
        grids: list[Grid],
        starts: list[tuple[float, OpenTable | OtherTable]],
        continued: OpenTable | None,
    ) -> None:
        """Count the amounts each table's region prints on this page (extract/accounting.py)."""
        segments: list[tuple[float, float, OpenTable | OtherTable]] = []
        bottom = float(page.height)
        tops = [top for top, _ in starts] + [bottom]
        if continued is not None:
            segments.append((0.0, tops[0], continued))
        for (top, table), end in zip(starts, tops[1:], strict=True):
            segments.append((top, end, table))
        words = self._words(page, page_number) if segments or grids else []
        boxes = {id(g): (g.xs[0] if g.xs else 0.0, g.top, g.right, g.bottom) for g in grids}
        claimed: set[int] = set()
        for top, end, target in segments:
            table = target.assigned if isinstance(target, OtherTable) and target.assigned else target
            mine = [g for g in grids if top - 1 <= g.top < end]
            claimed.update(id(g) for g in mine)
            numbers, bands = printed_numbers(
                words, page_number, top, end, [boxes[id(g)] for g in mine], table.index_bands
            )
            table.printed += numbers
            table.index_bands += bands
        for grid in grids:
            if id(grid) in claimed:
                continue
            numbers, _ = printed_numbers(words, page_number, grid.top, grid.bottom, [boxes[id(grid)]])
            if numbers:
                self.unattributed.append((page_number, len(numbers)))

    def finish(self) -> list[RawTable]:
        """The tables read, one per spec: a title with no grid (a 目录 line) yields to one with."""
        self._close()
        chosen: dict[str, OpenTable] = {}
        for table in self.done:
            if not table.parts and len(table.printed) < 3:
                # a heading in prose or a contents line, not a printed table
                self.events.append(f"p{table.page}: title {table.spec.code} with no table under it")
                continue
            code = table.spec.code
            if code not in chosen or (table.parts and not chosen[code].parts):
                chosen[code] = table
            elif table.parts and chosen[code].parts:
                chosen[code].problems.append(
                    QuarantineReason(
                        "table_repeated",
                        f"{table.spec.name} is printed again on page {table.page}; the first one is used",
                        code,
                        table.page,
                    )
                )
        return [build_raw_table(t) for t in chosen.values()]

    # -- stages ------------------------------------------------------------

    def _repeats_open_title(self, spec: TableSpec, page_number: int) -> bool:
        """`收入决算表（续）` or the same title printed atop the next page continues the table."""
        table = self.open
        return (
            table is not None
            and table.spec.code == spec.code
            and bool(table.parts)
            and table.parts[-1].grid.page == page_number - 1
        )

    def _read_title_block(self, lines: list[PageLine], page_number: int) -> None:
        assert self.open is not None
        below = [ln for ln in lines if ln.top >= self.open.top]
        for ln in below[:4]:
            # `编制单位：某某办公室 单位：元`: the money unit, not the publisher's 单位
            money = _MONEY_UNIT.search(ln.text)
            match = money or _UNIT.search(ln.text)
            if match:
                self.open.unit = normalize_unit(match.group(1))
                break

    def _add_grid(self, grid: Grid, lines: list[PageLine], page_number: int) -> None:
        table = self.open
        if table is None:
            table = self._assign_by_header(grid, page_number)
            if table is None:
                self.events.append(f"p{page_number}: grid at y={grid.top:.0f} outside any standard table")
                return
        first_part = not table.parts
        if first_part and page_number not in (table.page, table.page + 1):
            self.events.append(f"p{page_number}: grid too far from title {table.spec.code}")
            return
        if not first_part:
            aligned = self._continuation(table, grid, lines, page_number)
            if aligned is None:
                self.events.append(f"p{page_number}: grid at y={grid.top:.0f} ends table {table.spec.code}")
                self._close()
                if self._assign_by_header(grid, page_number) is not None:
                    self._add_grid(grid, lines, page_number)
                return
            grid = aligned
        header_rows = header_row_count(grid)
        if not first_part and header_rows and not _looks_like_header(grid, header_rows, table):
            header_rows = 0  # the top of a page break: a cut cell (`业支出`), not a repeated header
        if header_rows > 0 or first_part:
            columns = read_columns(grid, table.spec, header_rows)
            if not first_part and not columns.groups:
                columns = table.parts[-1].columns  # a repeated header we cannot read: reuse
        else:
            columns = table.parts[-1].columns
        if not columns.groups:
            table.problems.append(
                QuarantineReason(
                    "header_unrecognized",
                    f"no column of this table's header matches a known measure of "
                    f"{table.spec.name}; add the header's wording to its spec in schemas/data/",
                    table.spec.code,
                    page_number,
                )
            )
        table.parts.append(Part(grid=grid, columns=columns, start_row=header_rows, continuation=not first_part))
        self.last_part_page = page_number
        self.events.append(
            f"p{page_number}: grid {grid.n_rows}x{grid.n_cols} → table {table.spec.code}"
            f" (header rows {header_rows}, groups {len(columns.groups)})"
        )

    def _assign_by_header(self, grid: Grid, page_number: int) -> OpenTable | None:
        """A ruled table under no recognized title whose header is one spec's, and only one's.

        Its header must map at least two columns to that spec's measures and leave no
        column of numbers unknown, and no other spec may read it as well; the table is
        then read and says so (`assigned_by_header`), under the unknown title it was
        printed with (a title wording no spec lists yet); a table no spec describes
        (`政府采购预算表`) has header words no spec knows and stays unassigned.
        """
        if grid.n_rows < 2:
            return None
        header_rows = header_row_count(grid)
        if not 0 < header_rows < grid.n_rows:
            return None
        taken = {t.spec.code for t in self.done if t.parts}
        scores: list[tuple[int, TableSpec]] = []
        for spec in self.specs:
            if spec.code in taken:
                continue
            columns = read_columns(grid, spec, header_rows)
            measures = sum(len(g.measures) for g in columns.groups)
            labelled = all(g.label_cols or g.code_cols for g in columns.groups)
            if measures >= 2 and labelled and not columns.unknown:
                scores.append((measures, spec))
        scores.sort(key=lambda sc: -sc[0])
        if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return None
        spec = scores[0][1]
        other = self.current_other
        title = other.title if other is not None else ""
        self.open = OpenTable(spec=spec, title=title, page=page_number, top=grid.top, assigned_by_header=True)
        if other is not None:
            other.assigned = self.open
            self.current_other = None
        self.events.append(f"p{page_number}: grid at y={grid.top:.0f} under no title: its header is {spec.code}'s")
        return self.open

    def _continuation(
        self, table: OpenTable, grid: Grid, lines: list[PageLine], page_number: int
    ) -> Grid | None:
        """The grid as a continuation of the open table, or None if it is not one.

        It must follow on the same or the next page with nothing but a page number
        above it, and its columns must be the table's (possibly with some merged).
        """
        last = table.parts[-1]
        if page_number not in (last.grid.page, last.grid.page + 1):
            return None
        if page_number == last.grid.page + 1:
            between = [ln for ln in lines if ln.bottom <= grid.top + 1]
        else:  # same page: text between the two grids (a heading) means another table
            between = [ln for ln in lines if last.grid.bottom - 1 <= ln.top and ln.bottom <= grid.top + 1]
        if any(not _NOISE_LINE.match(ln.text) and not self._title_block_line(ln, table) for ln in between):
            return None
        if grid.n_cols == last.grid.n_cols:
            return grid
        aligned = align_columns(grid, last.grid)
        if aligned is None and page_number == last.grid.page + 1:
            self.notes.append(
                f"p{page_number}: a ruled table right after {table.spec.name} (p{last.grid.page}) was not read: "
                f"its {grid.n_cols} columns do not line up with the table's {last.grid.n_cols}"
            )
        return aligned

    def _title_block_line(self, line: PageLine, table: OpenTable) -> bool:
        """The table's title, label or `部门：… 单位：万元` line repeated atop a continuation page."""
        text = line.text
        if match_title(text, self.specs) is table.spec or _LABEL_LINE.match(text):
            return True
        return bool(_UNIT.search(text)) or text.startswith(("部门", "单位", "编制单位", "预算单位"))

    def _collect_notes(self, lines: list[PageLine], page_number: int, until: float = float("inf")) -> None:
        """The open table's notes on this page, above `until` (the next title): extract/empty_notes.py."""
        table = self.open
        assert table is not None
        if not table.parts:
            return
        last = table.parts[-1].grid
        if last.page == page_number:
            table.notes += notes_under(lines, last.bottom, until)
        elif last.page == page_number - 1:  # the grid ended at the foot of the page before
            table.notes += notes_atop(lines, until)

    def _close(self) -> None:
        if self.open is not None:
            self.done.append(self.open)
            self.open = None


def _table_like_start(lines: list[PageLine], until: float) -> bool:
    """A page after a table that starts with unruled rows, not with prose or a heading.

    Its numbers may be the table's rows that no rule delimits; prose (`，`, `。`) or a
    part heading (`第三部分`) means the table ended on the page before.
    """
    head = [ln for ln in lines if ln.top < until and not _NOISE_LINE.match(ln.text)]
    return bool(head) and not any(re.search(r"[，。；]|^第[一二三四五六七八九十]+部分", ln.text) for ln in head)


def _looks_like_header(grid: Grid, rows: int, table: OpenTable) -> bool:
    """Some cell of these rows repeats the table's first header or is a header word of its spec."""
    first = table.parts[0]
    known = {t for row in first.grid.text[: first.start_row] for t in row if t}
    return any(
        text and (text in known or table.spec.classify(title_key(text)) is not None)
        for row in grid.text[:rows]
        for text in row
    )


def normalize_unit(text: str) -> str:
    t = squash(text)
    for unit in ("万元", "千元", "元"):
        if t.startswith(unit):
            return unit
    return t
