"""Recover cells that ran together ("21710000218" = 217,1,0,0,0,0,218).

A run is split only where the table's own identities admit the split; every admissible split
is returned, and callers keep a cell only when all admissible splits agree on it.

The walk cuts digit runs one cell at a time and checks each row (table 三: 总计 is the sum of
the six applicant cells) or group (table 四: five cells ending in their total) as soon as its
last cell is cut, so a run of 17 digits for 15 cells costs a few hundred steps, not the 65,000
ways of cutting it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .text import Token

Values = tuple[int | float | None, ...]
Check = Callable[[Values], bool]

#: More admissible splits than this, or more walk steps than MAX_STEPS, and the run is treated
#: as unreadable (a partial list could settle a cell wrongly).
MAX_CANDIDATES = 5000
MAX_STEPS = 400_000


class _TooMany(Exception):
    """Too many readings to list: a partial list would be incomplete."""


class ChunkCheck:
    """A check that holds for every ``size`` consecutive cells (a row, a group), so a walk can
    apply it as soon as a chunk is complete."""

    def __init__(self, size: int, test: Callable[[Values], bool]) -> None:
        self.size = size
        self.test = test

    def __call__(self, values: Values) -> bool:
        for start in range(0, len(values) - self.size + 1, self.size):
            if not self.test(values[start:start + self.size]):
                return False
        return True


def _sum_is_last(chunk: Values) -> bool:
    if any(v is None for v in chunk):
        return True
    return chunk[-1] == sum(chunk[:-1])


#: Table 三 row: the last cell (总计) is the sum of the six applicant cells.
row_total_check = ChunkCheck(7, _sum_is_last)


def group_totals_check(group: int) -> ChunkCheck:
    """Table 四: every group of ``group`` cells ends in its total."""
    return ChunkCheck(group, _sum_is_last)


def _parts(token: Token) -> tuple[str, str, str] | None:
    """(sign, integer digits, fraction) of a digit run that may hold several cells: the sign
    belongs to its first cell, a fraction ("….52") and a unit ("元") to its last."""
    if token.kind != "num" or token.unit not in ("", "元", "万元"):
        return None
    text = token.text
    sign = ""
    if text[:1] in "-−":
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or "," in text:
        return None
    return sign, whole, fraction


def max_cells(token: Token) -> int:
    """How many cells ``token`` could hold at most."""
    parts = _parts(token)
    return len(parts[1]) if parts else 1


def candidates(tokens: Sequence[Token], n: int, check: Check | None = None
               ) -> tuple[list[Values], bool]:
    """Every way to read ``tokens`` as exactly ``n`` cells that passes ``check``, and whether
    the list is complete. An incomplete list must not be used to settle a cell: the readings
    left out might disagree with it."""
    parts = [_parts(t) for t in tokens]
    most = [len(p[1]) if p else 1 for p in parts]
    # most_after[i]: cells tokens i.. can hold at most; least_after[i]: at least (one each).
    most_after = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        most_after[i] = most_after[i + 1] + most[i]
    chunk = check.size if isinstance(check, ChunkCheck) else None
    results: list[Values] = []
    acc: list[int | float | None] = []
    steps = 0

    def push(value) -> bool:
        acc.append(value)
        if chunk and len(acc) % chunk == 0:
            return check.test(tuple(acc[-chunk:]))  # type: ignore[union-attr]
        return True

    def walk(i: int) -> None:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS or len(results) > MAX_CANDIDATES:
            raise _TooMany
        left = n - len(acc)
        if i == len(tokens):
            if left == 0:
                values = tuple(acc)
                if check is None or chunk or check(values):
                    results.append(values)
            return
        if left < len(tokens) - i or left > most_after[i]:
            return
        p = parts[i]
        if p is None:
            token = tokens[i]
            if push(None if token.kind == "null" else token.value):
                walk(i + 1)
            acc.pop()
            return
        cut(i, p[0], p[1], p[2], 0)

    def cut(i: int, sign: str, digits: str, fraction: str, at: int) -> None:
        """Cut the next cell from ``digits[at:]`` of token ``i``."""
        rest_tokens = len(tokens) - i - 1
        for end in range(at + 1, len(digits) + 1):
            piece = digits[at:end]
            if len(piece) > 1 and piece[0] == "0":
                break  # no cell is printed with a leading zero: longer pieces neither
            last = end == len(digits)
            left = n - len(acc) - 1  # cells still to cut after this one
            if last:
                if left < rest_tokens or left > most_after[i + 1]:
                    continue
            elif left < 1 + rest_tokens or left > len(digits) - end + most_after[i + 1]:
                continue
            text = (sign if at == 0 else "") + piece
            value: int | float = int(text)
            if last and fraction:
                value = float(f"{text}.{fraction}")
            if push(value):
                if last:
                    walk(i + 1)
                else:
                    cut(i, sign, digits, fraction, end)
            acc.pop()

    try:
        walk(0)
    except _TooMany:
        return [], False
    return results, True


def agree(options: Sequence[Values], n: int) -> list[int | float | None]:
    """Per cell: the value all options share, else ``None``."""
    if not options:
        return [None] * n
    first = options[0]
    return [first[i] if all(o[i] == first[i] for o in options) else None for i in range(n)]
