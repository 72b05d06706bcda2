"""Read tables 二, 三 and 四 from a token stream, with provenance, honest nulls and row status.

A table's region becomes a *label stream* — all its label text, whitespace removed — with its
runs of numbers sitting at positions in it. Row labels are found in the stream by keyword
(labels.py), so a label broken over lines, or interrupted by the numbers of a vertically
centred row (PDF text), is still one label. Pieces of group headings printed in a column of
their own and the table's header printed again under a page break are left out first.

Runs are attributed to rows by the table's fixed row order first (:mod:`.order`): when every run
pairs up with consecutive rows in order and sits by their labels, that matching is the reading
(labels above or below their numbers, two rows' numbers on one line; the identities must
confirm a reading that needed the order). Otherwise label by label: a run belongs to the row
whose label it follows or interrupts; a run holding the numbers of several rows whose labels
were all printed before it is shared among those rows in order, row by row or column by column,
and only readings that pass the row identities are kept; rows read from numbers on a line of
their own are trusted only if the identities hold and can be checked.

Every expected row gets a status (:data:`auditor.models.ROW_STATUSES`): ``present``; ``blank``
(its label printed with no numbers, in a table whose other rows were all read cleanly);
``not_understood`` (the label is there but its numbers cannot be attributed, or the part of the
document that would hold it was not read); ``absent`` (the label is not in the document).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .. import vocabulary
from ..models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, CandidateSet, Cell
from . import labels
from .order import plan, table_sequence
from .split import Values, agree, candidates, group_totals_check, max_cells, row_total_check
from .text import Token

_TABLE3_PATTERNS = labels.compile_rows(labels.TABLE3_ROWS)
_MARKER = labels.ITEM_MARKER
#: Joint readings of a run shared by several rows are enumerated up to this many combinations
#: (in the column identities of table 三); beyond it the rows keep every reading.
JOINT_LIMIT = 20000


# ---------------------------------------------------------------- the label stream

@dataclass
class Run:
    """A run of numbers (and null markers) and where it sits in the label stream."""

    values: list[Token]
    at: int  # stream offset: the end of the label text before it
    label_from: int  # stream offset where the label text gathered since the previous run starts

    @property
    def line(self) -> int | None:
        """The source line of its first value (provenance)."""
        return self.values[0].source_line if self.values else None

    @property
    def raw(self) -> str:
        return " ".join(t.text + t.unit for t in self.values)


@dataclass
class Stream:
    text: str
    runs: list[Run]
    offsets: list[int]  # stream offset of each label token …
    lines: list[int]  # … its line in the text parsed …
    sources: list[int]  # … and in the source document (provenance)

    def line_at(self, offset: int) -> int | None:
        """The source line of the label text at ``offset``."""
        i = bisect.bisect_right(self.offsets, offset) - 1
        return self.sources[i] if 0 <= i < len(self.sources) else None



def build_stream(tokens: Sequence[Token]) -> Stream:
    parts: list[str] = []
    runs: list[Run] = []
    offsets: list[int] = []
    lines: list[int] = []
    sources: list[int] = []
    pos = 0
    label_from = 0
    current: Run | None = None
    for token in tokens:
        if token.kind == "label":
            if current is not None:
                runs.append(current)
                current = None
                label_from = pos
            text = "".join(token.text.split())
            if text:
                offsets.append(pos)
                lines.append(token.line)
                sources.append(token.source_line)
                parts.append(text)
                pos += len(text)
        else:
            if current is None:
                current = Run([], pos, label_from)
            current.values.append(token)
    if current is not None:
        runs.append(current)
    return Stream("".join(parts), runs, offsets, lines, sources)


@dataclass(eq=False)  # one printed label: compared by identity
class Occurrence:
    """One printed row label in the stream."""

    key: str
    start: int  # where the label begins: its item marker ("2.", "(一)") or first keyword
    keyword: int  # where its first keyword begins
    end: int  # where its last keyword ends
    hits: list[int] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)


def find_occurrences(stream: Stream, patterns) -> list[Occurrence]:
    """Row labels in stream order. Keywords of one row next to each other are one label;
    patterns anchored with ``^``/``$`` match a label text between runs (``$``: right before
    numbers, as a subtotal row's label)."""
    text = stream.text
    hits: set[tuple[int, int, str]] = set()
    anchored = []
    for key, pattern in patterns:
        for m in pattern.finditer(text):
            hits.add((m.start(), m.end(), key))
        if "^" in pattern.pattern or "$" in pattern.pattern:
            anchored.append((key, pattern))
    if anchored:
        # The label text with a line break where each run sits: ^ and $ (multi-line) then
        # match at the ends of the text between two runs.
        cuts = [r.at for r in stream.runs]
        marked = "\n".join(text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)],
                                                       strict=True))
        breaks = [at + i for i, at in enumerate(cuts)]
        for key, pattern in anchored:
            for m in _multiline(pattern).finditer(marked):
                start, end = m.start(), m.end()
                hits.add((start - bisect.bisect_left(breaks, start),
                          end - bisect.bisect_left(breaks, end), key))
    found: list[Occurrence] = []
    runs_at = [r.at for r in stream.runs]
    for start, end, key in sorted(hits):
        # The same row's keywords next to each other are one label, unless numbers were
        # printed between them (a row mentioned in the prose before the table, then the row).
        if found and found[-1].key == key and \
                bisect.bisect_left(runs_at, found[-1].end) == bisect.bisect_right(runs_at, start):
            found[-1].end = max(found[-1].end, end)
            found[-1].hits.append(start)
            continue
        found.append(Occurrence(key, start, start, end, [start]))
    floor = 0
    for occ in found:
        for m in _MARKER.finditer(text, max(floor, occ.keyword - 14), occ.keyword):
            occ.start = m.start()  # the last marker before the keyword is the row's own
        floor = occ.end
    return found


@functools.lru_cache(maxsize=64)
def _multiline(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags | re.M)


def assign_runs(stream: Stream, found: list[Occurrence]) -> list[Run]:
    """Give each run to the row whose label it interrupts, else to the last row whose label
    begins (item marker or keyword) in the label text gathered before it — a vertically
    centred label may print its keyword only after the numbers ("5.属于三类 | 1 0 … | 内部事务
    信息"). Return the runs no row label claims (headers, footnotes)."""
    orphans = []
    starts = [o.start for o in found]
    reach = list(itertools.accumulate((o.end for o in found), max))  # furthest end so far

    def begins_before(o: Occurrence, run: Run) -> bool:  # its marker or a keyword
        if run.label_from <= o.start < run.at:
            return True
        i = bisect.bisect_left(o.hits, run.label_from)
        return i < len(o.hits) and o.hits[i] < run.at

    def last_beginning(run: Run) -> Occurrence | None:
        # labels that start at or after the run cannot begin before it; labels that all end
        # before the text gathered for the run cannot begin in it
        for i in range(bisect.bisect_left(starts, run.at) - 1, -1, -1):
            if reach[i] < run.label_from:
                return None
            if begins_before(found[i], run):
                return found[i]
        return None

    for run in stream.runs:
        owner = next((o for o in found if o.keyword < run.at < o.end), None)
        if owner is None:
            owner = last_beginning(run)
        if owner is None:
            orphans.append(run)
        else:
            owner.runs.append(run)
    return orphans


def printed_label(stream: Stream, occ: Occurrence, following: Occurrence | None) -> str:
    """The row's label as printed: from its marker to its numbers (or, when the numbers sit
    inside the label, to the next row's label), without a group heading ("（四）无法提供")
    printed after it."""
    stop = following.start if following is not None else len(stream.text)
    after = [r.at for r in occ.runs if r.at >= occ.end]
    if after:
        stop = min(stop, after[0])
    text = stream.text[occ.start:stop]
    m = _GROUP_HEADING.search(text, occ.end - occ.start)
    return (text[:m.start()] if m else text)[:80]


_GROUP_HEADING = re.compile(r"\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、")


# ---------------------------------------------------------------- reading the runs

def _table(table: str) -> str:
    """表三, for warnings."""
    return vocabulary.table_label(table) or table


def _row(table: str, key: str, with_table: bool = True) -> str:
    """A row named in a warning as the format prints it: 表三不予公开1.属于国家秘密."""
    label = vocabulary.row_label(table, key, short=True)
    return f"{_table(table)}“{label}”行" if with_table else label


def _own_text(value: float | int) -> str:
    """The text a number split out of a run-together row stands for (``217``, ``-5``, ``3.5``)."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


Check = Callable[[Values], bool]


@dataclass
class Attribution:
    """One or more rows read from one run: every admissible joint reading is kept."""

    rows: list[str]
    sizes: list[int]
    run: Run | None
    options: list[Values]
    method: str
    warning: str | None = None
    label: str = ""

    def row_options(self, key: str) -> list[Values]:
        i = self.rows.index(key)
        lo = sum(self.sizes[:i])
        return sorted({o[lo:lo + self.sizes[i]] for o in self.options}, key=str)

    def cells(self, key: str) -> list[Cell]:
        i = self.rows.index(key)
        n = self.sizes[i]
        options = self.row_options(key) if len(self.options) != 1 or len(self.rows) > 1 \
            else self.options
        values = options[0] if len(options) == 1 else agree(options, n)
        run = self.run
        where = f"row '{self.label[-40:]}'" if self.label else None
        method = self.method if options else "unread"
        line = run.line if run else None
        # One token per cell: each cell quotes its own text. A cell split out of a run quotes
        # the digits it was given (the run is kept beside it); while the run admits several
        # readings the cell has no text of its own.
        own = run is not None and len(self.rows) == 1 and method == "cell" \
            and len(run.values) >= n
        shared = None if own or run is None else run.raw
        out = []
        for index, value in enumerate(values):
            warning = self.warning
            cell_options: tuple = ()
            if value is None and len(options) > 1:
                warning = warning or "连写数字有多种读法"
                cell_options = tuple(sorted({o[index] for o in options if o[index] is not None}))
            if own:
                token = run.values[index]
                raw = token.text + token.unit
            elif value is not None and shared is not None:
                raw = _own_text(value)
            elif cell_options:
                raw = None
            else:
                raw = shared
            out.append(Cell(value, raw, where, line, method, warning, cell_options, shared))
        return out

    def status(self) -> str:
        if not self.options:
            return "not_understood"
        if self.run and all(t.kind == "null" for t in self.run.values):
            return "blank"
        return "present"


def read_row(key: str, run: Run, n: int, check: Check | None = None,
             label: str = "") -> Attribution:
    values = list(run.values)
    # Word tables leave trailing empty cells (colspan leftovers): drop surplus blanks at the end;
    # an empty cell under a merged group label may lead the row: drop it when that leaves n.
    while len(values) > n and values[-1].kind == "null":
        values.pop()
    lead = 0
    while len(values) - lead > n and values[lead].kind == "null":
        lead += 1
    if len(values) - lead == n:
        values = values[lead:]
        kept = Run(values, run.at, run.label_from) if lead else run
        return Attribution([key], [n], kept, [tuple(t.value for t in values)], "cell",
                           label=label)
    if len(values) > n:
        return Attribution([key], [n], run, [], "unread",
                           f"该行有{n}个单元格，却读到{len(values)}个数：{run.raw[:60]}",
                           label=label)
    options, complete = candidates(values, n, check)
    if not complete:
        return Attribution([key], [n], run, [], "unread",
                           f"“{run.raw[:60]}”数字连写，可能的读法太多，无法逐一列出",
                           label=label)
    if len(options) == 1:
        return Attribution([key], [n], run, options, "split", label=label)
    if not options:
        return Attribution([key], [n], run, [], "unread",
                           f"连写数字“{run.raw[:60]}”拆成{n}个单元格的任何读法都不满足表格的勾稽关系", label=label)
    return Attribution([key], [n], run, options, "split",
                       f"“{run.raw[:60]}”数字连写，有{len(options)}种读法",
                       label=label)


def read_rows_together(keys: list[str], sizes: list[int], run: Run, check: Check | None,
                       label: str) -> Attribution:
    """The numbers of several rows printed after all their labels: row by row, or (rows of
    one size) column by column, whichever readings pass the row identities."""
    values = [t.value for t in run.values]
    readings = []
    by_row, pos = [], 0
    for n in sizes:
        by_row.append(tuple(values[pos:pos + n]))
        pos += n
    readings.append(by_row)
    # Numbers on one line per row, as many as the row has cells: the lines are the rows.
    per_line = [len(list(group)) for _, group in itertools.groupby(run.values, lambda t: t.line)]
    if len(set(sizes)) == 1 and per_line != sizes:
        m, n = len(sizes), sizes[0]
        readings.append([tuple(values[j * m + i] for j in range(n)) for i in range(m)])
    kept = {tuple(v for row in r for v in row) for r in readings
            if check is None or all(check(row) for row in r)}
    what = f"{len(keys)}行的数字印在各自标签之后"
    if not kept:
        return Attribution(keys, sizes, run, [], "unread",
                           f"{what}，按行序的任何读法都不满足行合计：{run.raw[:60]}",
                           label=label)
    return Attribution(keys, sizes, run, sorted(kept, key=str), "rows",
                       f"{what}，按行序读取" + ("" if len(kept) == 1 else
                                                   " (row by row or column by column)"),
                       label=label)


@dataclass
class TableRead:
    """Rows of one table: cells (table 二: flat ``row.col`` keys), statuses by dotted row key,
    printed labels by dotted row key, candidate readings and warnings."""

    cells: dict
    status: dict[str, str]
    labels: dict[str, str]
    candidates: list[CandidateSet]
    warnings: list[str]


def _fit(run: Run, n: int) -> int:
    """How well a run fits a row of ``n`` cells: 2 exact, 1 splittable, 0 not."""
    values = list(run.values)
    while len(values) > n and values[-1].kind == "null":
        values.pop()
    if len(values) == n:
        return 2
    if len(values) < n and any(t.splittable for t in values):
        return 1
    return 0


def _digits(run: Run) -> int:
    """How many cells a run could hold at most (every digit of a bare digit run a cell)."""
    return sum(max_cells(t) for t in run.values)


def _could_be_row(run: Run, n: int) -> bool:
    """The run has exactly ``n`` numbers, or digits enough to be split into ``n`` cells."""
    if len(run.values) == n:
        return True
    return len(run.values) < n <= _digits(run)


@dataclass
class Rows:
    """What :func:`read_rows` found: attributions and statuses by row key, printed labels and
    the line of each printed label, warnings."""

    reads: dict[str, Attribution]
    status: dict[str, str]
    labels: dict[str, str]
    lines: dict[str, int | None]
    warnings: list[str]


def _rows_in_run(run: Run, sizes: Sequence[int]) -> int | None:
    """How many consecutive rows of ``sizes`` (cell counts) ``run`` holds: one when it has the
    first row's cells (give or take the blank cells Word leaves at either end) or digits enough
    to be split into them, ``k`` when it has exactly the cells of ``k`` rows; else ``None``."""
    n = sizes[0]
    if _fit(run, n) or len(run.values) > n and _fit(Run(_lstrip_nulls(run.values, n), 0, 0), n):
        return 1
    total = 0
    for k, size in enumerate(sizes, start=1):
        total += size
        if total == len(run.values) and k > 1:
            return k
        if total > len(run.values):
            break
    return None


def _lstrip_nulls(values: list[Token], n: int) -> list[Token]:
    lead = 0
    while len(values) - lead > n and values[lead].kind == "null":
        lead += 1
    return values[lead:]


def read_by_order(stream: Stream, found: list[Occurrence], sizes: dict[str, int],
                  expected: list[str], check: Check | None,
                  confirm: Callable[[dict[str, Values]], bool] | None,
                  verify: Callable[[dict[str, Values]], bool] | None, closed: bool,
                  table: str) -> Rows | None:
    """The rows read by the table's row order (:mod:`.order`): every run of numbers matched to
    its rows in order; ``None`` when the order does not determine the reading (a row without
    numbers, a run left over). Where each run is beside its own label this is the label-by-
    label reading; where some are printed apart from their label (above it, several rows'
    numbers on one line) ``confirm`` checks the table's identities over the rows read, and if
    they fail the rows whose numbers were placed by order alone are not understood."""
    order = {k: i for i, k in enumerate(expected)}
    rows = table_sequence([o for o in found if o.key in order], order)
    if not rows or not stream.runs:
        return None
    steps = plan(rows, stream.runs, [sizes[o.key] for o in rows],
                 lambda index, rest: _rows_in_run(stream.runs[index], rest))
    if steps is None:
        return None
    following = {id(o): rows[i + 1] if i + 1 < len(rows) else None for i, o in enumerate(rows)}
    printed = {o.key: printed_label(stream, o, following[id(o)]) for o in rows}
    reads: dict[str, Attribution] = {}
    displaced: set[str] = set()
    for step in steps:
        keys = [o.key for o in rows[step.first:step.last + 1]]
        run = stream.runs[step.run]
        label = printed[keys[-1]]
        if len(keys) == 1:
            read = read_row(keys[0], run, sizes[keys[0]], check, label)
        else:
            read = read_rows_together(keys, [sizes[k] for k in keys], run, check, label)
        if step.displaced:
            displaced.update(keys)
            read.warning = read.warning or "数字与行标签分开印出，按表格的行序对应"
        for key in keys:
            reads[key] = read
    warnings = [f"{_table(table)}有{len(displaced)}行的数字与行标签分开印出（印在标签上方，或几行印在"
                "同一行）：按行序对应"] if displaced else []
    if not displaced:  # each run beside its own label: as read label by label
        _confirm_detached(stream, reads, sizes, verify, warnings, table)
    elif confirm is not None:
        grid = {k: tuple(agree(r.row_options(k), sizes[k])) for k, r in reads.items()
                if r.options}
        if not confirm(grid):
            warnings = [f"{_table(table)}有{len(displaced)}行的数字与行标签分开印出，按行序读取时"
                        "表格的勾稽关系不成立：这些行未能读懂"]
            for key in displaced:
                read = reads[key]
                reads[key] = Attribution(read.rows, read.sizes, read.run, [], "unread",
                                         "数字与行标签分开印出；按行序读取时表格的勾稽关系不成立",
                                         read.label)
    status = {key: read.status() for key, read in reads.items()}
    for key, read in reads.items():
        if read.warning and read.rows[-1] == key and key not in displaced:
            warnings.append(f"{_row(table, key)}：{read.warning}")
    used = {step.run for step in steps}
    skipped = [r for i, r in enumerate(stream.runs) if i not in used]
    for key in expected:
        if key not in status:
            status[key] = _missing_status(key, expected, rows, skipped, closed)
            warnings.append(f"{_row(table, key)}：未找到该行")
    lines = {o.key: stream.line_at(o.keyword) for o in rows}
    return Rows(reads, status, printed, lines, warnings)


def _confirm_detached(stream: Stream, reads: dict[str, Attribution], sizes: dict[str, int],
                      verify: Callable[[dict[str, Values]], bool] | None, warnings: list[str],
                      table: str) -> None:
    """Rows read label by label from numbers printed on a line without any label (apart from
    their row's label) are trusted only if ``verify`` shows the table's identities hold over
    what was read: else their numbers may be another row's, and those rows are not
    understood."""
    if verify is None:
        return
    labelled = set(stream.lines)
    detached = [k for k, r in reads.items() if r.options and r.run is not None
                and any(t.line not in labelled for t in r.run.values)]
    if not detached:
        return
    grid = {k: tuple(agree(r.row_options(k), sizes[k])) for k, r in reads.items() if r.options}
    if verify(grid):
        return
    for key in detached:
        read = reads[key]
        reads[key] = Attribution(read.rows, read.sizes, read.run, [], "unread",
                                 "数字与行标签分开印出，按所读各行表格的勾稽关系不成立", read.label)
    warnings.append(f"{_table(table)}有{len(detached)}行的数字与行标签分开印出，且表格的勾稽关系"
                    "不成立：这些行未能读懂")


def read_rows(tokens: Sequence[Token], patterns, sizes: dict[str, int], expected: list[str],
              *, check: Check | None = None, headings: frozenset[str] = frozenset(),
              closed: bool = True, table: str = "table",
              confirm: Callable[[dict[str, Values]], bool] | None = None,
              verify: Callable[[dict[str, Values]], bool] | None = None,
              stream: Stream | None = None, found: list[Occurrence] | None = None) -> Rows:
    """Attribute the runs of a table region to its rows.

    ``sizes`` gives the cell count of every row key that may be read (expected rows and extra
    rows such as subtotals); ``headings`` are keys that are group headings when printed without
    numbers; ``closed`` says whether the document goes on after the region (so that a row
    missing at its end is absent, not cut off); ``confirm`` checks the table's identities over
    rows attributed by their order (:func:`read_by_order`), ``verify`` that they hold and can
    be checked over rows read from numbers printed apart from their labels;
    ``stream`` and ``found``: the
    tokens' stream and its row labels, when the caller has found them.
    """
    stream = stream or build_stream(tokens)
    found = [o for o in (find_occurrences(stream, patterns) if found is None else found)
             if o.key in sizes]
    by_order = read_by_order(stream, found, sizes, expected, check, confirm, verify, closed,
                             table)
    if by_order is not None:
        return by_order
    orphans = assign_runs(stream, found)
    warnings: list[str] = []
    following = {id(o): found[i + 1] if i + 1 < len(found) else None for i, o in enumerate(found)}
    order = {k: i for i, k in enumerate(sizes)}

    # The occurrence of each key that is read: the best-fitting run, later over earlier.
    chosen: dict[str, Occurrence] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for index, occ in enumerate(found):
        if not occ.runs:
            continue
        rank = (max(_fit(r, sizes[occ.key]) for r in occ.runs), index)
        if occ.key not in chosen or rank >= ranks[occ.key]:
            chosen[occ.key], ranks[occ.key] = occ, rank
    label_only: dict[str, Occurrence] = {}
    for occ in found:
        if not occ.runs and occ.key not in chosen:
            label_only.setdefault(occ.key, occ)

    reads: dict[str, Attribution] = {}
    status: dict[str, str] = {}
    for occ in sorted(chosen.values(), key=lambda o: o.start):
        n = sizes[occ.key]
        run = max(occ.runs, key=lambda r: _fit(r, n))
        label = printed_label(stream, occ, following[id(occ)])
        # Rows printed just before this one without numbers of their own (back to the last row
        # that has some): the run may hold theirs too, when labels are detached from numbers.
        chain: list[Occurrence] = []
        i = found.index(occ) - 1
        while i >= 0 and not found[i].runs:
            prev = found[i]
            i -= 1
            if prev.key in headings:
                continue
            nxt = chain[0] if chain else occ
            if prev.key in chosen or prev.key in {c.key for c in chain} \
                    or order.get(prev.key, -1) >= order.get(nxt.key, 0):
                break
            chain.insert(0, prev)
        if chain and len(run.values) == sum(sizes[c.key] for c in chain) + n:
            keys = [c.key for c in chain] + [occ.key]
            read = read_rows_together(keys, [sizes[k] for k in keys], run, check, label)
            for k in keys:
                reads[k] = read
                label_only.pop(k, None)
            continue
        if chain and (_fit(run, n) == 0 or _digits(run) >= sum(sizes[c.key] for c in chain) + n):
            # More numbers than the row has cells, or digits enough for the rows printed
            # before it too: the run may hold theirs, and none of them can be told.
            for c in chain:
                status[c.key] = "not_understood"
                label_only.pop(c.key, None)
            warnings.append(f"{_table(table)}：{len(chain) + 1}行（"
                            f"{'、'.join(_row(table, c.key, False) for c in chain)}、"
                            f"{_row(table, occ.key, False)}）标签之后的数字无法分给各行："
                            f"{run.raw[:60]}")
        reads[occ.key] = read_row(occ.key, run, n, check, label)
        if chain and status.get(chain[0].key) == "not_understood" and reads[occ.key].options:
            read = reads[occ.key]
            reads[occ.key] = Attribution(read.rows, read.sizes, read.run, [], "unread",
                                         "其数字可能包含上方各行的数字",
                                         read.label)

    _confirm_detached(stream, reads, sizes, verify, warnings, table)
    for key, read in reads.items():
        status.setdefault(key, read.status())
        if read.warning and read.rows[-1] == key:
            warnings.append(f"{_row(table, key)}：{read.warning}")

    printed: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    for occ in reversed(found):  # the occurrence read, else the first printed
        if occ.key in chosen and occ is not chosen[occ.key]:
            continue
        printed[occ.key] = printed_label(stream, occ, following[id(occ)])
        lines[occ.key] = stream.line_at(occ.keyword)

    # Where the rows with numbers are, and whether anything in between was not attributed.
    first = min((o.start for o in chosen.values()), default=None)
    last = max((r.at for o in chosen.values() for r in o.runs), default=None)
    between = [r for r in orphans if first is not None and first < r.at <= last]
    clean = not between and all(s in ("present", "blank") for s in status.values())
    leading = [r for r in orphans if first is not None and r.at <= first]
    last_key = expected[-1] if expected else None
    if leading and last_key in label_only and len(chosen) > 1 \
            and _could_be_row(leading[-1], sizes[last_key]):
        # Numbers before the first label and the last label without numbers: each row's
        # numbers may be printed above its label. Nothing can be attributed with confidence.
        warnings.append(f"{_table(table)}：数字印在第一行标签之前、最后一行之后没有数字，无法对应到各行")
        for key, read in list(reads.items()):
            status[key] = "not_understood"
            reads[key] = Attribution(read.rows, read.sizes, read.run, [], "unread",
                                     "其数字可能属于上一行", read.label)
        clean = False

    for key in expected:
        if key in status:
            continue
        if key in label_only:
            occ = label_only[key]
            inside = first is not None and first < occ.start < last
            status[key] = "blank" if clean and inside else "not_understood"
            if status[key] == "not_understood":
                warnings.append(f"{_row(table, key)}：标签已印出，但数字无法对应到该行")
            continue
        status[key] = _missing_status(key, expected, found, orphans, closed)
        warnings.append(f"{_row(table, key)}：未找到该行" + (
            "" if status[key] == "absent" else "（该行所在的部分未能读取）"))
    if not found:
        state = "absent" if not stream.runs else "not_understood"
        status = dict.fromkeys(expected, state)
        warnings = [f"{_table(table)}：未找到任何行标签" + ("" if state == "absent" else
                                                        "（有数字而无标签）")]
    return Rows(reads, status, printed, lines, warnings)


def _missing_status(key: str, expected: list[str], found: list[Occurrence],
                    orphans: list[Run], closed: bool) -> str:
    """A row whose label is nowhere: absent, unless numbers nobody claimed sit where it would
    be, or the region was cut off before it."""
    present = {o.key: o for o in found}
    index = expected.index(key)
    before = next((present[k] for k in reversed(expected[:index]) if k in present), None)
    after = next((present[k] for k in expected[index + 1:] if k in present), None)
    if after is None and not closed:
        return "not_understood"
    lo = before.start if before else -1
    hi = after.start if after else float("inf")
    if any(lo < r.at <= hi for r in orphans):
        return "not_understood"
    return "absent"


def cells_for(key: str, columns: Sequence[str], status: str, read: Attribution | None,
              label: str | None, line: int | None) -> dict[str, Cell]:
    """The cells of one row given its status."""
    if read is not None and status in ("present", "blank") and read.options:
        return dict(zip(columns, read.cells(key), strict=True))
    where = f"row '{label[-40:]}'" if label else None
    if status == "blank":
        return {c: Cell(None, raw="", where=where, line=line, method="cell",
                        warning="印出标签但没有数字") for c in columns}
    if status == "not_understood":
        raw = read.run.raw if read is not None and read.run else None
        rline = read.run.line if read is not None and read.run else line
        warning = (read.warning if read is not None and read.warning
                   else "数字无法对应到该行")
        return {c: Cell(None, raw=raw, where=where, line=rline, method="unread",
                        warning=warning) for c in columns}
    return {c: Cell(None, method="missing", warning="未找到该行") for c in columns}


def candidate_sets(reads: dict[str, Attribution], cell_keys: Callable[[str], list[str]]
                   ) -> list[CandidateSet]:
    """One set per attribution with more than one reading, over all its cells."""
    out, seen = [], set()
    for read in reads.values():
        if id(read) in seen or len(read.options) < 2:
            continue
        seen.add(id(read))
        keys = tuple(k for row in read.rows for k in cell_keys(row))
        out.append(CandidateSet(keys, tuple(read.options)))
    return out


# ---------------------------------------------------------------- table 三

def _t3_identities(grid: dict[str, Values], old_other: bool) -> bool:
    """Columns of table 三 must satisfy I1 and I3 wherever all terms are known."""
    result_rows = (["open", "partial"] + labels.TABLE3_WITHHELD + labels.TABLE3_UNAVAILABLE
                   + labels.TABLE3_NOT_PROCESSED
                   + (["other"] if old_other else labels.TABLE3_OTHER_2021))
    for col in range(len(TABLE3_COLUMNS)):
        def v(row: str, col: int = col):
            values = grid.get(row)
            return None if values is None else values[col]

        i1 = [v("new_received"), v("carried_in"), v("total"), v("carried_out")]
        if None not in i1 and i1[0] + i1[1] != i1[2] + i1[3]:
            return False
        terms = [v(r) for r in result_rows]
        if v("total") is not None and None not in terms and sum(terms) != v("total"):
            return False
    return True


def _t3_verified(grid: dict[str, Values], old_other: bool) -> bool:
    """The identities hold and can be checked: every result row and （七）总计 known in the
    总计 column (a reading they cannot check is not confirmed by them)."""
    result_rows = (["open", "partial"] + labels.TABLE3_WITHHELD + labels.TABLE3_UNAVAILABLE
                   + labels.TABLE3_NOT_PROCESSED
                   + (["other"] if old_other else labels.TABLE3_OTHER_2021) + ["total"])
    known = all(grid.get(row) is not None and grid[row][-1] is not None for row in result_rows)
    return known and _t3_identities(grid, old_other)


@dataclass
class Table3(TableRead):
    old_other: bool = False  # the 2019 single row （六）其他处理 was used


def _t3_cell_keys(row: str) -> list[str]:
    return [f"table3.{row}.{c}" for c in TABLE3_COLUMNS]


def read_table3(tokens: Sequence[Token], closed: bool = True, fmt: str | None = None) -> Table3:
    """Table 三 cells by row key. Subtotal rows some agencies add come back as ``subtotal.*``.
    The single 2019 row （六）其他处理 is expected when it is printed without the 2021 sub-rows,
    or, when no （六） row is printed at all, in a 2019-format report."""
    n = len(TABLE3_COLUMNS)
    tokens = drop_group_fragments(drop_repeated_header(tokens))
    stream = build_stream(tokens)
    found = find_occurrences(stream, _TABLE3_PATTERNS)
    new_rows = any(o.key in labels.TABLE3_OTHER_2021 for o in found)
    # The old single row （六）其他处理: printed without the 2021 sub-rows, or a 2019-format
    # report. (Whether it carries numbers of its own is its row status; STR-02 asks for that.)
    old_style = not new_rows and (any(o.key == "other" for o in found) or fmt == "2019")
    sizes = {k: n for k in labels.TABLE3_ROWS}
    if old_style:
        expected = [k for k in labels.TABLE3_ROWS if k not in labels.TABLE3_OTHER_2021
                    and not k.startswith("subtotal.")]
        headings = frozenset(labels.TABLE3_SUBTOTALS)
    else:
        # A 2021 table whose （六） heading carries numbers: that row is a subtotal.
        expected = [k for k in labels.TABLE3_ROWS if k != "other" and not k.startswith("subtotal.")]
        headings = frozenset({"other"} | set(labels.TABLE3_SUBTOTALS))
    rows = read_rows(tokens, _TABLE3_PATTERNS, sizes, expected, check=row_total_check,
                     headings=headings, closed=closed, table="table3",
                     confirm=lambda grid: _t3_identities(grid, old_style),
                     verify=lambda grid: _t3_verified(grid, old_style), stream=stream,
                     found=found)
    reads, status = rows.reads, rows.status
    if not old_style and "other" in reads:
        read = reads.pop("other")
        read.rows = ["subtotal.other" if r == "other" else r for r in read.rows]
        reads["subtotal.other"] = read
        status["subtotal.other"] = status.pop("other", read.status())
        rows.labels["subtotal.other"] = rows.labels.pop("other", "")
    _settle_jointly(reads, old_style)
    subtotals = [k for k in labels.TABLE3_SUBTOTALS if k in reads and status.get(k) == "present"]
    table: dict[str, dict[str, Cell]] = {}
    for key in expected + subtotals:
        table[key] = cells_for(key, TABLE3_COLUMNS, status.get(key, "absent"), reads.get(key),
                               rows.labels.get(key), rows.lines.get(key))
    row_status = {f"table3.{k}": status.get(k, "absent") for k in expected + subtotals}
    printed = {f"table3.{k}": rows.labels[k] for k in expected + subtotals if k in rows.labels}
    sets = candidate_sets({k: r for k, r in reads.items() if k in table
                           and status.get(k) == "present"}, _t3_cell_keys)
    return Table3(table, row_status, printed, sets, rows.warnings, old_style)


#: Any row label of table 三 (a cell that starts the table's rows).
_ANY_TABLE3_ROW = re.compile("|".join(f"(?:{p})" for p in labels.TABLE3_ROWS.values()))


def drop_repeated_header(tokens: Sequence[Token]) -> list[Token]:
    """Without table 三's header printed again after its first row (under a page break), which
    may fall between two lines of a row label ("4.无正当理由大量反" | header | "复申请"). A
    header cell followed by numbers on its line is kept: it may be a row ("总计 3 0 …")."""
    out: list[Token] = []
    started = False
    for i, token in enumerate(tokens):
        if token.kind == "label" and started:
            if token.text[0] in _HEADER_STARTS and labels.TABLE3_HEADER.fullmatch(
                    "".join(token.text.split())):
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if after is None or after.kind == "label" or after.line != token.line:
                    continue
        elif token.kind == "label" and not started:
            started = bool(_ANY_TABLE3_ROW.search(token.text))
        out.append(token)
    return out


#: The characters table 三's header cells (and their pieces) begin with.
_HEADER_STARTS = frozenset("申法自商科社其总(本第等企业机构公组服律")

#: Every part (not the whole) of a group heading of table 三.
_GROUP_PIECES = frozenset(h[i:j] for h in labels.TABLE3_GROUPS for i in range(len(h))
                          for j in range(i + 1, len(h) + 1) if j - i < len(h))


def drop_group_fragments(tokens: Sequence[Token]) -> list[Token]:
    """Without the pieces of group headings printed in a column left of the row labels
    ("（六）其" before "2.申请人逾期未按收费", "他处理" before "通知要求缴纳费用…", the vertical
    "三、本年度办理结果"): in the label text they would break the row label they sit in. A piece
    is a cell holding part (not all) of a group heading, with another label cell after it on
    the same line, or between two pieces of a row label ("出版" | "（五）不" | "物"). A whole
    heading stays (it may be a subtotal row)."""
    def piece(token: Token) -> bool:
        return token.kind == "label" and len(token.text) < 12 \
            and "".join(token.text.split()) in _GROUP_PIECES

    left = [t for i, t in enumerate(tokens)
            if not (piece(t) and i + 1 < len(tokens) and tokens[i + 1].kind == "label"
                    and tokens[i + 1].line == t.line)]
    texts = [i for i, t in enumerate(left) if t.kind == "label"]
    drop = set()
    for n, i in enumerate(texts):
        if not piece(left[i]) or n == 0 or n + 1 == len(texts):
            continue
        before = "".join(left[texts[n - 1]].text.split())[-12:]
        after = "".join(left[texts[n + 1]].text.split())[:12]
        joined = before + after
        if any(m.start() < len(before) < m.end() for _, p in _TABLE3_PATTERNS
               for m in p.finditer(joined)):
            drop.add(i)
    return [t for i, t in enumerate(left) if i not in drop]


def _settle_jointly(reads: dict[str, Attribution], old_other: bool,
                    limit: int = JOINT_LIMIT) -> None:
    """Use the column identities to choose among readings of several ambiguous rows."""
    groups: list[Attribution] = []
    for read in reads.values():
        if len(read.options) > 1 and all(read is not g for g in groups):
            groups.append(read)
    if not groups:
        return
    size = 1
    for read in groups:
        size *= len(read.options)
    if size > limit:
        return
    fixed: dict[str, Values] = {}
    for read in reads.values():
        if any(read is g for g in groups) or not read.options:
            continue
        for key in read.rows:
            fixed[key] = tuple(agree(read.row_options(key), read.sizes[read.rows.index(key)]))
    survivors: list[set[Values]] = [set() for _ in groups]
    for combo in itertools.product(*(read.options for read in groups)):
        grid = dict(fixed)
        for read, option in zip(groups, combo, strict=True):
            pos = 0
            for key, n in zip(read.rows, read.sizes, strict=True):
                grid[key] = option[pos:pos + n]
                pos += n
        if _t3_identities(grid, old_other):
            for i, option in enumerate(combo):
                survivors[i].add(option)
    if not any(survivors):
        return
    for read, kept in zip(groups, survivors, strict=True):
        read.options = sorted(kept, key=str)
        if len(read.options) == 1 and read.method == "split":
            read.method, read.warning = "split+identity", None
        elif len(read.options) == 1:
            read.warning = (read.warning or "") + "；按列的勾稽关系选定"


# ---------------------------------------------------------------- table 四

def read_table4(tokens: Sequence[Token]) -> TableRead:
    """Table 四: the 15 numbers printed under its column headers (结果维持 … 总计), in runs
    separated by nothing but header words (a header repeated on the next page, a group per
    row). Numbers of the prose in section 四 ("2025年", "行政复议3件") are not cells. More
    numbers than cells, or too few to split, is not understood."""
    stream = build_stream(tokens)
    size = len(TABLE4_COLUMNS)
    n = len(TABLE4_GROUPS) * size
    rows = [f"table4.{g}" for g in TABLE4_GROUPS]
    values, first = _table4_values(stream)
    ordered = _by_group(stream, values)
    # The format's layouts: one row of 15, or a row of five per group (or, turned round, a row
    # of three per result). Numbers spread otherwise are trusted only if the totals hold.
    layout_known = ordered is not values or _run_sizes(stream, values) in ([n], [size] * 3)
    values = ordered
    if not values:
        seen = bool(stream.text or stream.runs)
        table = {g: {c: Cell(None, method="unread" if seen else "missing",
                             warning="未找到数字" if seen else "未找到表格")
                     for c in TABLE4_COLUMNS} for g in TABLE4_GROUPS}
        return TableRead(table, dict.fromkeys(rows, "not_understood" if seen else "absent"), {},
                         [], ["表四：未找到数值"])
    while len(values) > n and values[-1].kind == "null":
        values.pop()
    run = Run(values, first.at if first else 0, first.label_from if first else 0)
    read = read_row("table4", run, n, group_totals_check(size))
    if read.options and not layout_known and len(values) == n \
            and not group_totals_check(size)(tuple(t.value for t in values)):
        read = Attribution(read.rows, read.sizes, run, [], "unread",
                           f"{n}个数字的排列方式不常见，且各组合计不成立：{run.raw[:60]}")
    warnings = [f"表四：{read.warning}"] if read.warning else []
    cells = read.cells("table4")
    table: dict[str, dict[str, Cell]] = {}
    status: dict[str, str] = {}
    for gi, group in enumerate(TABLE4_GROUPS):
        table[group] = {}
        for ci, col in enumerate(TABLE4_COLUMNS):
            cell = cells[gi * size + ci]
            table[group][col] = Cell(cell.value, cell.raw, f"table 四 {group} {col}", cell.line,
                                     cell.method, cell.warning, cell.options, cell.run)
        chunk = values[gi * size:(gi + 1) * size] if len(values) == n else []
        if not read.options:
            status[f"table4.{group}"] = "not_understood"
        elif chunk and all(t.kind == "null" for t in chunk):
            status[f"table4.{group}"] = "blank"
        else:
            status[f"table4.{group}"] = "present"
    sets = []
    if len(read.options) > 1:
        keys = tuple(f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS)
        sets.append(CandidateSet(keys, tuple(read.options)))
    return TableRead(table, status, {}, sets, warnings)


def _run_sizes(stream: Stream, values: list[Token]) -> list[int]:
    """How many of ``values`` each run they came from holds, in order."""
    ids = {id(t) for t in values}
    return [k for k in (sum(1 for t in r.values if id(t) in ids) for r in stream.runs) if k]


_RESULT_WORDS = (("维持",), ("纠正",), ("其他",), ("尚未", "审结"), ("总计", "合计"))


def _by_group(stream: Stream, values: list[Token]) -> list[Token]:
    """Table 四 printed the other way round — one row per result (结果维持 | 复议 | 直接起诉 |
    复议后起诉 …), three numbers each — back in the format's order (group by group)."""
    runs = [r for r in stream.runs if any(t is values[0] for t in r.values)] if values else []
    if not runs:
        return values
    start = stream.runs.index(runs[0])
    rows = stream.runs[start:start + len(_RESULT_WORDS)]
    if len(rows) != len(_RESULT_WORDS) or sum(len(r.values) for r in rows) != len(values) \
            or any(len(r.values) != len(TABLE4_GROUPS) for r in rows):
        return values
    for run, words in zip(rows, _RESULT_WORDS, strict=True):
        before = stream.text[run.label_from:run.at]
        if not any(w in before[-6:] for w in words):  # "结果维持", "其他结果", "总计"
            return values
    return [rows[r].values[g] for g in range(len(TABLE4_GROUPS)) for r in range(len(rows))]


def _table4_values(stream: Stream) -> tuple[list[Token], Run | None]:
    """The numbers of table 四 and the run they start in: from the first run after the column
    headers, on through runs with only header words between them."""
    def prose(run: Run) -> bool:  # a count with its unit ("3件"): a sentence, not a cell
        return len(run.values) <= 2 and all(t.kind == "num" and t.unit and t.unit != "%"
                                            for t in run.values)

    def header_only(text: str) -> bool:
        return len(labels.TABLE4_WORDS.sub("", text)) <= 2

    values: list[Token] = []
    first: Run | None = None
    for pattern in (labels.TABLE4_COLUMNS, labels.TABLE4_HEADER):
        for run in stream.runs:
            before = stream.text[run.label_from:run.at]
            if first is None:
                if prose(run) or not pattern.search(before):
                    continue
                first = run
            elif not header_only(before):
                break
            values.extend(run.values)
        if first is not None:
            break
    return values, first


# ---------------------------------------------------------------- table 二

def read_table2(tokens: Sequence[Token], spec, hints: dict[str, int | float],
                closed: bool = True) -> TableRead:
    """Table 二 by the format's spec; ``hints`` are numbers the narrative states for a cell.
    Its cells come back flat (``normative.issued``)."""
    patterns = [(key, re.compile(pattern)) for key, (pattern, _) in spec.items()]
    sizes = {key: len(cols) for key, (_, cols) in spec.items()}
    rows = read_rows(tokens, patterns, sizes, list(spec), closed=closed, table="table2")
    reads, status = rows.reads, rows.status
    warnings = rows.warnings
    table: dict[str, Cell] = {}
    for key, (_, cols) in spec.items():
        read = reads.get(key)
        if read is not None and len(read.options) > 1 and len(read.rows) == 1:
            before, old = len(read.options), read.warning
            _apply_hints(read, [hints.get(f"{key}.{c}") for c in cols])
            if len(read.options) != before:
                read.warning = (f"“{read.run.raw[:60] if read.run else ''}”数字连写：{before}种读法中"
                                f"有{len(read.options)}种与正文相符") if len(read.options) > 1 else None
                warnings = [w for w in warnings if w != f"{_row('table2', key)}：{old}"]
                if read.warning:
                    warnings.append(f"{_row('table2', key)}：{read.warning}")
        row = cells_for(key, cols, status.get(key, "absent"), read, rows.labels.get(key),
                        rows.lines.get(key))
        for col, cell in row.items():
            table[f"{key}.{col}"] = cell
    sets = candidate_sets({k: r for k, r in reads.items() if status.get(k) == "present"},
                          lambda row: [f"table2.{row}.{c}" for c in spec[row][1]])
    return TableRead(table, {f"table2.{k}": status.get(k, "absent") for k in spec},
                     {f"table2.{k}": v for k, v in rows.labels.items()}, sets, warnings)


def _apply_hints(read: Attribution, hints: list) -> None:
    for index, hint in enumerate(hints):
        if hint is None:
            continue
        kept = [o for o in read.options if o[index] == hint]
        if kept:
            read.options = kept
            read.method = "split+narrative"
