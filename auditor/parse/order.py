"""Rows attributed by the table's fixed row order, when labels are detached from their numbers.

Tables 二, 三 and 四 print their rows in an order the format fixes (domain.md §2.4–2.6). In text
extracted from a PDF a row's label may sit above its numbers, below them, around them (a label
wrapped over lines, its numbers vertically centred) or two rows' labels may share one line of
numbers. Reading "the numbers after a label are its own" then shifts every row.

What does not shift is the order: the table's printed row labels, in the format's order, and
its runs of numbers, in print order, must be matched one to one (a run of ``k`` rows' numbers to
``k`` consecutive rows). When every run fits the rows in turn and every row gets numbers, that
matching is the only one consistent with the row count — and it is accepted only if each run
also sits where its rows' labels are: inside a row's label, or in the gap next to it (right
after the label, or right before it). Anything else — a run left over, a row left without
numbers, a run that fits no row, a run far from its rows — and :func:`plan` gives up, so the
caller reads the table label by label and says what it cannot attribute.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Label(Protocol):
    key: str
    start: int
    end: int


class Numbers(Protocol):
    at: int


@dataclass(frozen=True)
class Step:
    """Run ``run`` holds the numbers of rows ``first``…``last`` (indexes into the label
    sequence); ``displaced`` when it is not printed right after (or inside) its one row's label."""

    run: int
    first: int
    last: int
    displaced: bool


def table_sequence(labels: Sequence[Label], order: dict[str, int]) -> list[Label]:
    """The printed rows of the table: the longest sequence of labels in the format's row order
    (a row named in the prose before the table is left out); among equally long ones the one
    that starts latest, each next label the earliest that continues it."""
    n = len(labels)
    if all(order[a.key] < order[b.key] for a, b in zip(labels, labels[1:], strict=False)):
        return list(labels)  # printed in order, nothing else: the usual case
    best = [1] * n  # best[i]: the longest ordered sequence starting with labels[i]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if order[labels[j].key] > order[labels[i].key] and best[j] + 1 > best[i]:
                best[i] = best[j] + 1
    if not n:
        return []
    length = max(best)
    i = max(k for k in range(n) if best[k] == length)
    out = [labels[i]]
    while best[i] > 1:
        i = next(j for j in range(i + 1, n)
                 if best[j] == best[i] - 1 and order[labels[j].key] > order[labels[i].key])
        out.append(labels[i])
    return out


def plan(rows: Sequence[Label], runs: Sequence[Numbers], sizes: Sequence[int],
         rows_in: Callable[[int, Sequence[int]], int | None]) -> list[Step] | None:
    """Match every run to consecutive rows in order, or ``None`` when the order does not
    determine it. ``sizes[i]`` is row ``i``'s cell count; ``rows_in(run_index, sizes[r:])``
    says how many rows run ``run_index`` holds when it starts at row ``r`` (``None``: it fits
    none). Runs before the first label that fit no row are the table's header or prose."""
    if not rows:
        return None
    ends = [row.end for row in rows]
    steps: list[Step] = []
    r = 0
    for index, run in enumerate(runs):
        gap = bisect.bisect_right(ends, run.at)  # rows[:gap] end before the run
        inside = gap < len(rows) and rows[gap].start < run.at
        k = rows_in(index, sizes[r:]) if r < len(rows) else None
        if k is None:
            if r == 0 and gap == 0 and not inside:
                continue  # numbers of the header or of a sentence before the table
            return None
        first, last = r, r + k - 1
        if inside:
            fits = first <= gap <= last
        else:  # the run touches the gap between rows[gap - 1] and rows[gap]
            fits = first <= gap <= last + 1
        if not fits:
            return None
        natural = k == 1 and (gap == first if inside else gap == first + 1)
        steps.append(Step(index, first, last, not natural))
        r += k
    if r != len(rows):
        return None
    return steps
