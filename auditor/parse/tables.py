"""Read tables 二, 三 and 四 from a token stream, with provenance and honest nulls."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, Cell
from . import labels
from .split import Values, agree, candidates, group_totals_check, row_total_check
from .text import Token

_TABLE3_PATTERNS = labels.compile_rows(labels.TABLE3_ROWS)


@dataclass
class Segment:
    """The label text gathered before a run of values, and the values."""

    label: str
    values: list[Token] = field(default_factory=list)

    @property
    def line(self) -> int | None:
        return self.values[0].line if self.values else None

    @property
    def raw(self) -> str:
        return " ".join(t.text + t.unit for t in self.values)


def segments(tokens: Sequence[Token]) -> list[Segment]:
    out: list[Segment] = []
    label: list[str] = []
    current: Segment | None = None
    for token in tokens:
        if token.kind == "label":
            if current is not None:
                out.append(current)
                current = None
            label.append(token.text)
        else:
            if current is None:
                current = Segment(re.sub(r"\s+", "", "".join(label)))
                label = []
            current.values.append(token)
    if current is not None:
        out.append(current)
    return out


@dataclass
class RowRead:
    """One row resolved to ``n`` cells, with every admissible reading kept for later checks."""

    key: str
    segment: Segment | None
    options: list[Values]
    method: str
    warning: str | None = None

    def cells(self, n: int) -> list[Cell]:
        values = agree(self.options, n)
        seg = self.segment
        where = f"row '{seg.label[-40:]}'" if seg else None
        out = []
        for index, value in enumerate(values):
            warning = self.warning
            options: tuple = ()
            if value is None and len(self.options) > 1:
                warning = warning or "ambiguous run-together cells"
                options = tuple(sorted({o[index] for o in self.options if o[index] is not None}))
            out.append(Cell(value=value, raw=seg.raw if seg else None, where=where,
                            line=seg.line if seg else None, method=self.method, warning=warning,
                            options=options))
        return out


def read_row(key: str, seg: Segment, n: int, check=None) -> RowRead:
    values = list(seg.values)
    # Word tables leave trailing empty cells (colspan leftovers): drop surplus blanks at the end.
    while len(values) > n and values[-1].kind == "null":
        values.pop()
    if len(values) == n:
        return RowRead(key, seg, [tuple(t.value for t in values)], "cell")
    if len(values) > n:
        return RowRead(key, seg, [], "cell",
                       f"{len(values)} values where the row has {n} cells: {seg.raw[:60]}")
    options = candidates(values, n, check)
    if len(options) == 1:
        return RowRead(key, seg, options, "split")
    if not options:
        return RowRead(key, seg, [], "split", f"no reading of '{seg.raw[:60]}' as {n} cells "
                       "satisfies the table's identities")
    return RowRead(key, seg, options, "split",
                   f"'{seg.raw[:60]}' ran together and admits {len(options)} readings")


def _count_fits(seg: Segment, n: int) -> int:
    """How well a segment fits a row of ``n`` cells: 2 exact, 1 splittable, 0 not."""
    values = [t for t in seg.values]
    while len(values) > n and values[-1].kind == "null":
        values.pop()
    if len(values) == n:
        return 2
    if len(values) < n and any(t.splittable for t in values):
        return 1
    return 0


def pick_rows(segs: Sequence[Segment], patterns, sizes: dict[str, int]) -> dict[str, Segment]:
    """For each row key the best segment: exact cell count first, then later over earlier.
    The chosen segments' labels are trimmed to the row's own label."""
    chosen: dict[str, tuple[int, int, Segment]] = {}
    for index, seg in enumerate(segs):
        key = labels.match_row(seg.label, patterns)
        if key is None or key not in sizes:
            continue
        seg = Segment(labels.row_label(seg.label, patterns), seg.values)
        rank = (_count_fits(seg, sizes[key]), index)
        if key not in chosen or rank >= chosen[key][:2]:
            chosen[key] = (*rank, seg)
    return {key: seg for key, (_, _, seg) in chosen.items()}


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


@dataclass
class Table3:
    cells: dict[str, dict[str, Cell]]
    warnings: list[str]
    old_other: bool  # the 2019 single row （六）其他处理 was used
    labels: dict[str, str]  # row key -> label as printed


def read_table3(tokens: Sequence[Token]) -> Table3:
    """Table 三 cells by row key. Subtotal rows some agencies add come back as ``subtotal.*``."""
    segs = segments(tokens)
    n = len(TABLE3_COLUMNS)
    picked = pick_rows(segs, _TABLE3_PATTERNS, {k: n for k in labels.TABLE3_ROWS})
    old_other = "other" in picked and not any(k in picked for k in labels.TABLE3_OTHER_2021)
    if old_other:
        keys = [k for k in labels.TABLE3_ROWS if k not in labels.TABLE3_OTHER_2021
                and not k.startswith("subtotal.")]
    else:
        # A 2021 table whose （六） heading row carries numbers: that row is a subtotal.
        if "other" in picked:
            picked.setdefault("subtotal.other", picked.pop("other"))
        keys = [k for k in labels.TABLE3_ROWS if k != "other" and not k.startswith("subtotal.")]
    subtotals = [k for k in labels.TABLE3_ROWS if k.startswith("subtotal.") and k in picked]
    reads = {k: read_row(k, picked[k], n, row_total_check) for k in keys + subtotals
             if k in picked}
    _settle_jointly(reads, old_other)
    warnings: list[str] = []
    table: dict[str, dict[str, Cell]] = {}
    for key in keys:
        read = reads.get(key)
        if read is None:
            table[key] = {c: Cell(None, method="missing", warning="row not found")
                          for c in TABLE3_COLUMNS}
            warnings.append(f"table3: row {key} not found")
            continue
        if read.warning:
            warnings.append(f"table3 {key}: {read.warning}")
        table[key] = dict(zip(TABLE3_COLUMNS, read.cells(n), strict=True))
    for key in subtotals:
        table[key] = dict(zip(TABLE3_COLUMNS, reads[key].cells(n), strict=True))
    printed = {f"table3.{k}": picked[k].label for k in keys + subtotals if k in picked}
    return Table3(table, warnings, old_other, printed)


def _settle_jointly(reads: dict[str, RowRead], old_other: bool, limit: int = 20000) -> None:
    """Use the column identities to choose among readings of several ambiguous rows."""
    ambiguous = [k for k, r in reads.items() if len(r.options) > 1]
    if not ambiguous:
        return
    size = 1
    for k in ambiguous:
        size *= len(reads[k].options)
    if size > limit:
        return
    fixed = {k: tuple(agree(r.options, len(TABLE3_COLUMNS))) for k, r in reads.items()
             if k not in ambiguous}
    survivors: dict[str, set[Values]] = {k: set() for k in ambiguous}
    for combo in itertools.product(*(reads[k].options for k in ambiguous)):
        grid = dict(fixed)
        grid.update(zip(ambiguous, combo, strict=True))
        if _t3_identities(grid, old_other):
            for k, values in zip(ambiguous, combo, strict=True):
                survivors[k].add(values)
    if not any(survivors.values()):
        return
    for k in ambiguous:
        read = reads[k]
        read.options = sorted(survivors[k], key=str)
        if len(read.options) == 1:
            read.method, read.warning = "split+identity", None


# ---------------------------------------------------------------- table 四

def read_table4(tokens: Sequence[Token]) -> tuple[dict[str, dict[str, Cell]], list[str]]:
    values: list[Token] = []
    first: Segment | None = None
    for seg in segments(tokens):
        if labels.TABLE4_HEADER.search(seg.label):
            values.extend(seg.values)
            first = first or seg
    n = len(TABLE4_GROUPS) * len(TABLE4_COLUMNS)
    warnings: list[str] = []
    if not values:
        table = {g: {c: Cell(None, method="missing", warning="table not found")
                     for c in TABLE4_COLUMNS} for g in TABLE4_GROUPS}
        return table, ["table4: no values found"]
    if len(values) > n:
        warnings.append(f"table4: {len(values)} values, using the first {n}")
        values = values[:n]
    merged = Segment(first.label if first else "", values)
    read = read_row("table4", merged, n, group_totals_check(len(TABLE4_COLUMNS)))
    if read.warning:
        warnings.append(f"table4: {read.warning}")
    cells = read.cells(n)
    table = {}
    for gi, group in enumerate(TABLE4_GROUPS):
        table[group] = {}
        for ci, col in enumerate(TABLE4_COLUMNS):
            cell = cells[gi * len(TABLE4_COLUMNS) + ci]
            table[group][col] = Cell(cell.value, cell.raw, f"table 四 {group} {col}", cell.line,
                                     cell.method, cell.warning)
    return table, warnings


# ---------------------------------------------------------------- table 二

def read_table2(tokens: Sequence[Token], spec, hints: dict[str, int | float],
                printed_labels: dict[str, str]) -> tuple[dict[str, Cell], list[str]]:
    """Table 二 by the format's spec; ``hints`` are numbers the narrative states for a cell."""
    patterns = [(key, re.compile(pattern)) for key, (pattern, _) in spec.items()]
    sizes = {key: len(cols) for key, (_, cols) in spec.items()}
    picked = pick_rows(segments(tokens), patterns, sizes)
    table: dict[str, Cell] = {}
    warnings: list[str] = []
    for key, (_, cols) in spec.items():
        n = len(cols)
        seg = picked.get(key)
        if seg is not None:
            printed_labels[f"table2.{key}"] = seg.label
        if seg is None:
            for col in cols:
                table[f"{key}.{col}"] = Cell(None, method="missing", warning="row not found")
            warnings.append(f"table2: row {key} not found")
            continue
        read = read_row(key, seg, n)
        if len(read.options) > 1:
            _apply_hints(read, [hints.get(f"{key}.{c}") for c in cols])
        if read.warning:
            warnings.append(f"table2 {key}: {read.warning}")
        for col, cell in zip(cols, read.cells(n), strict=True):
            table[f"{key}.{col}"] = cell
    return table, warnings


def _apply_hints(read: RowRead, hints: list) -> None:
    for index, hint in enumerate(hints):
        if hint is None:
            continue
        kept = [o for o in read.options if o[index] == hint]
        if kept:
            read.options = kept
            read.method = "split+narrative"
