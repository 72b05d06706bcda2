"""Lines of text from positioned characters, in the layout the text parser reads.

Characters on one baseline become one line; within a line, a gap of about a full-width
character or more, or a ruling line of the table between two characters, separates cells
(written as ``" | "`` for a ruling line and four spaces for a gap, both of which the tokenizer
splits on), a smaller gap is one space. Absolute columns are not kept: tables are read by
their labels, never by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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
        for a, b in zip(cs, cs[1:], strict=False):
            gap = b.x0 - a.x1
            em = max(min(a.size, b.size), 1.0)
            if vertical and gap >= 0.1 * em and _ruled(a, b, top, bottom, vertical):
                out.append(" | ")
            elif gap >= CELL_GAP * em:
                out.append("    ")
            elif gap >= WORD_GAP * em and not (_wide(a.text) and _wide(b.text)):
                # Between two CJK characters a small gap is justification, not a space.
                out.append(" ")
            out.append(b.text)
        text = "".join(out).strip()
        # Letter-spaced titles ("年  度  报  告") are one cell, not four.
        text = _SPACED_CJK.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
        lines.append(Line(text, top, bottom))
    return lines


def is_page_number(text: str) -> bool:
    """"- 3 -", "— 1 —", "第 2 页 共 6 页", "3/6" or a bare "3" (the caller checks the margin)."""
    return bool(_PAGE_NUMBER.match(re.sub(r"\s+", " ", text.replace("|", " ")).strip()))
