"""Recover cells that ran together ("21710000218" = 217,1,0,0,0,0,218).

A run is split only where the table's own identities admit the split; every admissible split
is returned, and callers keep a cell only when all admissible splits agree on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .text import Token

Values = tuple[int | float | None, ...]
Check = Callable[[Values], bool]

#: More admissible splits than this, or more ways to cut one digit run than MAX_PIECES, and
#: the run is treated as unreadable (a partial list could settle a cell wrongly).
MAX_CANDIDATES = 5000
MAX_PIECES = 60000


class _TooMany(Exception):
    """Too many readings to list: a partial list would be incomplete."""


def _pieces(digits: str, parts: int) -> list[list[int]]:
    """All ways to cut ``digits`` into ``parts`` numbers without leading zeros."""
    if parts == 1:
        return [] if (len(digits) > 1 and digits[0] == "0") else [[int(digits)]]
    out: list[list[int]] = []
    head_max = 1 if digits[0] == "0" else len(digits) - parts + 1
    for cut in range(1, head_max + 1):
        for tail in _pieces(digits[cut:], parts - 1):
            out.append([int(digits[:cut]), *tail])
            if len(out) > MAX_PIECES:
                raise _TooMany
    return out


def candidates(tokens: Sequence[Token], n: int, check: Check | None = None
               ) -> tuple[list[Values], bool]:
    """Every way to read ``tokens`` as exactly ``n`` cells that passes ``check``, and whether
    the list is complete. An incomplete list must not be used to settle a cell: the readings
    left out might disagree with it."""
    results: list[Values] = []

    def walk(i: int, acc: list, remaining: int) -> None:
        if len(results) > MAX_CANDIDATES:
            raise _TooMany
        left = len(tokens) - i
        if left == 0:
            if remaining == 0:
                values = tuple(acc)
                if check is None or check(values):
                    results.append(values)
            return
        token = tokens[i]
        if not token.splittable:
            if remaining >= 1:
                walk(i + 1, [*acc, token.value], remaining - 1)
            return
        # Each later token needs at least one cell; a token can hold at most len(text) cells.
        most = min(len(token.text), remaining - (left - 1))
        for parts in range(1, most + 1):
            for piece in _pieces(token.text, parts):
                walk(i + 1, acc + piece, remaining - parts)

    try:
        walk(0, [], n)
    except _TooMany:
        return [], False
    return results, True


def agree(options: Sequence[Values], n: int) -> list[int | float | None]:
    """Per cell: the value all options share, else ``None``."""
    if not options:
        return [None] * n
    first = options[0]
    return [first[i] if all(o[i] == first[i] for o in options) else None for i in range(n)]


def row_total_check(values: Values) -> bool:
    """Table 三 row: the last cell (总计) is the sum of the six applicant cells."""
    if any(v is None for v in values):
        return True
    return values[-1] == sum(values[:-1])


def group_totals_check(group: int) -> Check:
    """Table 四: every group of ``group`` cells ends in its total."""

    def check(values: Values) -> bool:
        for start in range(0, len(values), group):
            chunk = values[start:start + group]
            if any(v is None for v in chunk):
                continue
            if chunk[-1] != sum(chunk[:-1]):
                return False
        return True

    return check
