"""Lines of text from positioned characters, in the layout the text parser reads.

A table found by its ruling lines (:func:`lay_out_page` with its cell grid) becomes one line per
grid row, its cells separated by ``" | "`` as the HTML reader writes them: a cell's characters
joined whatever lines its text wraps over (a label wrapped in a narrow cell, a vertical
one-character-per-line header), an empty cell written as :data:`~.text.BLANK_CELL`, a cell
covered by a merged one left out. Elsewhere characters on one baseline become one line; within
a line, a gap of about a full-width character or more, or a ruling line between two characters,
separates cells (``" | "`` for a ruling line, four spaces for a gap, both of which the tokenizer
splits on), a smaller gap is one space.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .text import BLANK_CELL

#: A cell's box: (x0, top, x1, bottom), ``top`` growing downwards.
Box = tuple[float, float, float, float]
#: A table's cells row by row; ``None`` where a merged cell covers the grid position.
Grid = list[list[Box | None]]

#: A gap this many font sizes wide, or wider, separates two cells.
CELL_GAP = 0.9
#: A gap this many font sizes wide, or wider, is a space.
WORD_GAP = 0.15

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_~－一]+\s*\d{1,3}\s*[-—–_~－一]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})$"
)
_SPACED_CJK = re.compile(r"[\u4e00-\u9fff](?:\s{2,}[\u4e00-\u9fff]){2,}")


@dataclass(frozen=True, slots=True)
class Char:
    """One glyph: its text and box (``top`` grows downwards) and its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class _Row:
    mid: float
    height: float
    chars: list[Char] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    top: float
    bottom: float
    #: The line's cells when only gaps separate them (no ruling line): (text, x0, x1, size).
    cells: tuple[tuple[str, float, float, float], ...] = ()


def _rows(chars: list[Char]) -> list[_Row]:
    rows: list[_Row] = []
    for c in sorted(chars, key=lambda c: (c.mid, c.x0)):
        if rows and abs(c.mid - rows[-1].mid) <= 0.45 * min(c.height, rows[-1].height):
            rows[-1].chars.append(c)
        else:
            rows.append(_Row(c.mid, c.height, [c]))
    return rows


def _ruled(a: Char, b: Char, top: float, bottom: float,
           vertical: list[tuple[float, float, float]]) -> bool:
    """A vertical ruling line between ``a`` and ``b`` that crosses the row."""
    for x, y0, y1 in vertical:
        if a.x1 - 1 <= x <= b.x0 + 1 and y0 <= (top + bottom) / 2 <= y1:
            return True
    return False


def _wide(text: str) -> bool:
    return bool(text) and unicodedata.east_asian_width(text[0]) in "WF"


def lay_out(chars: list[Char], vertical: list[tuple[float, float, float]] = ()) -> list[Line]:
    """Lines of text, top to bottom. ``vertical``: ruling lines as ``(x, top, bottom)``."""
    lines = []
    for row in _rows([c for c in chars if c.text.strip()]):
        cs = sorted(row.chars, key=lambda c: c.x0)
        top, bottom = row.top, row.bottom
        out = [cs[0].text]
        cells = [[cs[0]]]
        ruled = False
        for a, b in zip(cs, cs[1:], strict=False):
            gap = b.x0 - a.x1
            em = max(min(a.size, b.size), 1.0)
            if vertical and gap >= 0.1 * em and _ruled(a, b, top, bottom, vertical):
                out.append(" | ")
                ruled = True
            elif gap >= CELL_GAP * em:
                out.append("    ")
                cells.append([])
            elif gap >= WORD_GAP * em and not (_wide(a.text) and _wide(b.text)):
                # Between two CJK characters a small gap is justification, not a space.
                out.append(" ")
            out.append(b.text)
            cells[-1].append(b)
        text = "".join(out).strip()
        # Letter-spaced titles ("年  度  报  告") are one cell, not four.
        text = _SPACED_CJK.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
        boxes = () if ruled else tuple(("".join(c.text for c in cell), cell[0].x0, cell[-1].x1,
                                        max(c.size for c in cell)) for cell in cells)
        lines.append(Line(text, top, bottom, boxes))
    return lines


_NUMBER_CELL = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(?:万元|元|%)?|[—/\-–－]+|无")
#: Lines whose numbers line up under the same columns make a table when there are this many.
MIN_COLUMN_ROWS = 2
MIN_COLUMNS = 3
#: Lines this far before the first or after the last full row may still be rows of its table.
EDGE_ROWS = 3


def fill_blank_columns(pages: list[list[Line]]) -> list[list[Line]]:
    """Empty cells of a table without ruling lines, told by position: where at least two lines
    (on any pages) end in the same number of numbers (three or more) lined up at the same
    places, those places are the table's columns; a line between them whose numbers sit under
    some of the columns only gets :data:`~.text.BLANK_CELL` in the others (an empty cell is not
    a missing cell)."""
    lines = [(p, i, line) for p, page in enumerate(pages) for i, line in enumerate(page)]
    tails = [_numeric_tail(line) for _, _, line in lines]
    sets: list[tuple[list[float], float, int, int]] = []  # anchors, tolerance, first, last
    full = [(n, t) for n, t in enumerate(tails) if len(t) >= MIN_COLUMNS]
    used: set[int] = set()
    for n, tail in full:
        if n in used:
            continue
        anchors = [_centre(c) for c in tail]
        tol = _tolerance(anchors, tail)
        members = [m for m, other in full if m >= n and m not in used
                   and len(other) == len(tail)
                   and all(abs(_centre(c) - a) <= tol for c, a in zip(other, anchors, strict=True))]
        if len(members) >= MIN_COLUMN_ROWS:
            used.update(members)
            # the rows next to the first and last full ones may be the table's too (一、…, 四、…)
            sets.append((anchors, tol, max(0, members[0] - EDGE_ROWS),
                         min(len(lines) - 1, members[-1] + EDGE_ROWS)))
    if not sets:
        return pages
    out: list[list[Line]] = [list(page) for page in pages]
    for n, ((p, i, line), tail) in enumerate(zip(lines, tails, strict=True)):
        for anchors, tol, first, last in sets:
            if not (tail and len(tail) < len(anchors) and first <= n <= last):
                continue
            slots = _place(tail, anchors, tol)
            if slots is None:
                continue
            head = line.cells[:len(line.cells) - len(tail)]
            cells = [c[0] for c in head] + [BLANK_CELL if c is None else c[0] for c in slots]
            out[p][i] = Line("    ".join(cells), line.top, line.bottom, line.cells)
            break
    return out


def _numeric_tail(line: Line) -> tuple:
    i = len(line.cells)
    while i > 0 and _NUMBER_CELL.fullmatch(unicodedata.normalize("NFKC", line.cells[i - 1][0])):
        i -= 1
    return line.cells[i:]


def _centre(cell) -> float:
    return (cell[1] + cell[2]) / 2


def _tolerance(anchors: list[float], cells) -> float:
    em = max(c[3] for c in cells)
    spacing = min((b - a for a, b in zip(anchors, anchors[1:], strict=False)), default=em * 4)
    return min(1.5 * em, 0.45 * spacing)


def _place(tail, anchors: list[float], tol: float):
    """Each cell under its own column, in order; ``None`` if one is under none."""
    slots: list = [None] * len(anchors)
    last = -1
    for cell in tail:
        best = min(range(len(anchors)), key=lambda k: abs(anchors[k] - _centre(cell)))
        if abs(anchors[best] - _centre(cell)) > tol or best <= last:
            return None
        slots[best], last = cell, best
    return slots


def is_page_number(text: str) -> bool:
    """"- 3 -", "— 1 —", "第 2 页 共 6 页", "3/6" or a bare "3" (the caller checks the margin)."""
    return bool(_PAGE_NUMBER.match(re.sub(r"\s+", " ", text.replace("|", " ")).strip()))


def lay_out_page(chars: list[Char], vertical: list[tuple[float, float, float]] = (),
                 grids: Sequence[Grid] = ()) -> list[Line]:
    """Lines of a page, top to bottom: one per row of each table ``grids`` gives (found by its
    ruling lines), and the characters outside the tables laid out by :func:`lay_out`. A grid
    with a cell holding numbers on two lines lacks the lines between its rows: it is laid out
    as text instead."""
    by_mid = sorted(chars, key=lambda c: c.mid)
    mids = [c.mid for c in by_mid]
    areas = []
    lines: list[Line] = []
    for grid in grids:
        rows = []
        for row in grid:
            texts = [_cell_lines(by_mid, mids, box) for box in row if box]
            if any(sum(1 for t in cell if any(ch.isdigit() for ch in t)) > 1 for cell in texts):
                break  # numbers of several rows in one cell
            cells = [_join_cell(cell) for cell in texts]
            while cells and cells[0] == BLANK_CELL:  # under a merged label cell: no data
                cells.pop(0)
            while cells and cells[-1] == BLANK_CELL:
                cells.pop()
            if cells:
                own = [b for b in row if b]
                rows.append(Line(" | ".join(cells), min(b[1] for b in own),
                                 min(b[3] for b in own)))
        else:
            boxes = [box for row in grid for box in row if box]
            areas.append((min(b[0] for b in boxes), min(b[1] for b in boxes),
                          max(b[2] for b in boxes), max(b[3] for b in boxes)))
            lines += rows
    outside = [c for c in chars if not any(_within(c, area) for area in areas)]
    lines += lay_out(outside, vertical)
    return sorted(lines, key=lambda line: line.top)


def _within(c: Char, box: Box) -> bool:
    x = (c.x0 + c.x1) / 2
    return box[0] <= x <= box[2] and box[1] <= c.mid <= box[3]


def _cell_lines(by_mid: list[Char], mids: list[float], box: Box) -> list[str]:
    """The text lines of one cell, whitespace inside a line one space."""
    lo, hi = bisect.bisect_left(mids, box[1]), bisect.bisect_right(mids, box[3])
    inside = [c for c in by_mid[lo:hi] if box[0] <= (c.x0 + c.x1) / 2 <= box[2]]
    return [" ".join(line.text.split()) for line in lay_out(inside)]


def _join_cell(lines: list[str]) -> str:
    """A cell's lines as one cell: a wrapped label is one label, numbers stay apart."""
    out = ""
    for part in lines:
        if out and out[-1].isdigit() and part[:1].isdigit():
            out += " "
        out += part
    return out or BLANK_CELL
