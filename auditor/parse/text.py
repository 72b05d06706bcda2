"""Text normalisation and the token stream every table parser reads.

All layouts (HTML cells, `|`-separated lines, pdftotext columns, Markdown tables, crawler text
whose cells ran together) become one stream of tokens: label text, numbers and null markers,
each with its line number. Tables are then read by label keywords, never by position.
"""

from __future__ import annotations

import re
import unicodedata

#: Sentinel the HTML reader writes for an empty table cell, so a blank stays a (null) cell.
BLANK_CELL = "\u2205"

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–_~]+\s*\d{1,3}\s*[-—–_~]+|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_LONG_PAREN = re.compile(r"\([^()]{4,}\)")
_NULL_CELLS = frozenset({"/", "-", "—", "——", "–", "－", "无", "空", "\\", BLANK_CELL, "/ ", "——/"})
# A digit run, a decimal, a signed count, a unit; or a list-item prefix such as "2." / "3、".
_PIECE = re.compile(
    r"(?P<num>(?:(?<=\d)[-−]|(?<![\d.])[-−]?)\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?P<unit>\s*(?:万元|元|件|个|项|%))?"
)
_DIGIT = re.compile(r"\d")
_ITEM_AFTER = re.compile(r"\s*[.、]\s*(?=[^\d\s])")
# A number of prose, never a table cell: a year, a date, a time, an ordinal ("第711号"), a count
# of days, people, meetings ("2025年", "1月1日", "12场").
_PROSE_AFTER = re.compile(r"\s?[年月日号时点分秒岁周天次人名家条篇期场批余多倍届]")


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), odd separators, no NBSPs."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u2236", ":").replace("\r\n", "\n").replace("\r", "\n")


def drop_running_titles(text: str) -> str:
    """The report's title printed again at the top of every page (a running header in text
    extracted from a PDF) blanked after its first line: inside a table it would fall between
    the two lines of a row label. Line numbers are kept."""
    if text.count("年度报告") < 2:
        return text
    lines = text.split("\n")
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if "年度报告" not in line or len(line) > 80:
            continue
        key = "".join(line.split())
        if key in seen:
            lines[i] = ""
        seen.add(key)
    return "\n".join(lines)


def content_lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines of normalised text, without page-number lines ("-3-", "第 2 页")."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        bare = line.strip()
        if bare and not (len(bare) < 24 and _PAGE_NUMBER.match(bare)):
            out.append((number, line))
    return out


class Token:
    """One label text, number or null marker of a table region. A plain slotted class: a
    report makes a few hundred, and a frozen dataclass costs three times as much to build."""

    __slots__ = ("kind", "text", "line", "value", "unit", "src")

    def __init__(self, kind: str, text: str, line: int, value: int | float | None = None,
                 unit: str = "") -> None:
        self.kind = kind  # "label", "num" or "null"
        self.text = text
        self.line = line  # the line of the text parsed (rows are told apart by it)
        self.value = value
        self.unit = unit
        self.src: int | None = None  # the line of the source it came from (HTML), if other

    @property
    def source_line(self) -> int:
        """The line to quote as provenance."""
        return self.line if self.src is None else self.src

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.line}, {self.value!r}, {self.unit!r})"

    @property
    def splittable(self) -> bool:
        """A digit run that may hold several cells that ran together (a sign belongs to its
        first cell, a fraction and a money unit to its last: "-41069", "00元")."""
        if self.kind != "num" or self.unit not in ("", "元", "万元") or "," in self.text:
            return False
        whole = self.text.lstrip("-−").partition(".")[0]
        return len(whole) > 1 and whole.isdigit()


def _number(raw: str) -> int | float:
    raw = raw.replace(",", "").replace("−", "-")
    return float(raw) if "." in raw else int(raw)


def _cell_tokens(cell: str, line: int, out: list[Token]) -> None:
    if cell in _NULL_CELLS:
        out.append(Token("null", cell, line))
        return
    if cell.isdigit() and cell.isascii():  # most table cells: one bare count
        out.append(Token("num", cell, line, int(cell)))
        return
    if _DIGIT.search(cell) is None:  # a label without numbers
        out.append(Token("label", cell, line))
        return
    pos = 0
    for match in _PIECE.finditer(cell):
        start, end = match.span()
        digits = match.group("num")
        label_prefix = ""
        # "00000002.其他法律…": the last digit before "." + text is the next row's item number.
        if not match.group("unit") and digits.isdigit() and _ITEM_AFTER.match(cell, end):
            label_prefix, digits = digits[-1], digits[:-1]
        elif not match.group("unit") and (_PROSE_AFTER.match(cell, end)
                                           or cell[max(0, start - 1):start] == "第"):
            continue  # prose: stays in the label text around it
        if start > pos:
            text = cell[pos:start].strip()
            if text:
                out.append(Token("label", text, line))
        if digits:
            unit = (match.group("unit") or "").strip()
            out.append(Token("num", digits, line, _number(digits), unit))
        if label_prefix:
            out.append(Token("label", label_prefix, line))
        pos = end
    rest = cell[pos:].strip()
    if rest:
        out.append(Token("label", rest, line))


def tokenize(lines: list[tuple[int, str]]) -> list[Token]:
    """Split numbered lines into cells (`|`, tabs, 2+ spaces) and cells into tokens."""
    out: list[Token] = []
    for number, line in lines:
        if "(" in line:
            line = _LONG_PAREN.sub("", line)
        for cell in _CELL_SPLIT.split(line):
            cell = cell.strip()
            if not cell or cell[0] in "-:" and _MD_RULE.match(cell):
                continue
            _cell_tokens(cell, number, out)
    return out
