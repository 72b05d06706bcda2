"""成文日期 and 发布日期 of a government document page, each with its evidence.

``extract_dates(html, url=None, list_date=None)`` is a pure function: bytes or text in, a
:class:`DocumentDates` out; no I/O, never raises. Every date found is a
:class:`~auditor.models.DateEvidence` saying which strategy found it and the raw text it was read
from. Strategies, in the order they are trusted:

``metadata``
    the 信息公开 metadata block — 索引号 / 发布机构 / 成文日期 / 发布日期 / 文号 tables (label cell,
    value cell; or a header row of labels over one row of values), TRS ``xxgk`` boxes, NFRA
    penalty tables, and "label：value" lines. Issued labels (成文日期, 形成/印发/签发/发文/生成日期,
    作出处罚决定的日期) count anywhere on the page; 发布日期 / 公开日期 / 发布时间 count here only
    inside a block that carries at least one other metadata label (索引号, 文号, 发布机构...).
``meta-tag``
    the 《政府网站发展指引》 ``<meta name="PubDate">``, then ``firstpublishedtime``,
    ``article:published_time`` and ``publishdate`` (published only).
``visible-text``
    "发布时间：" / "发布日期：" / "时间：" / "日期：" shown near the title (published only).
``signature``
    the date line under the issuing body that closes the document (落款, GB/T 9704), in 年月日
    form (issued only; a page without a metadata block often states its 成文日期 only there).
``list-page``
    the date the column list showed beside the link, passed in as ``list_date`` (published).
``url``
    the date in the page address: TRS ``t20250120_123.html``, Hanweb ``/art/2025/1/20/``,
    ``/2025-01/20/``, ``/20250120/`` (published). ``url`` wins; else the page's own
    ``<meta name="Url">``, ``og:url`` or canonical link.

A date is never read out of a 文号 (〔2024〕30号) or an 索引号 (11350000/2024-00123, even one that
looks like 2024-01-05): dates are only taken as the value right after a date label, from a whole
落款 line under an issuing body, from a date meta tag or from the URL — never by scanning text.

Date forms: 2024年1月5日, 2024 年 1 月 5 日, 二〇二四年一月五日 (〇/零/○, 十, 二十三, 廿), 2024-01-05 10:30,
2024/1/5, 2024.01.05, ISO ``2024-01-05T10:30:00+08:00``, full-width digits and punctuation, and
times written ``10∶08`` (U+2236) or ``10时08分``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..models import DateEvidence
from .decode import decode_bytes
from .html import parse_html, text_of

__all__ = ["DocumentDates", "STRATEGIES", "extract_dates", "parse_chinese_date"]

#: Strategy names, most trusted first.
STRATEGIES: tuple[str, ...] = (
    "metadata", "meta-tag", "visible-text", "signature", "list-page", "url",
)
_RANK = {name: i for i, name in enumerate(STRATEGIES)}


@dataclass(frozen=True)
class DocumentDates:
    """What a document page says about its dates.

    ``issued`` is the 成文日期 (or 形成/印发/签发日期, 作出决定的日期); ``published`` the 发布日期.
    Each is the candidate of the most trusted strategy (first in page order within it), or
    ``None`` when the page does not say. ``candidates`` holds every date found, in strategy
    order, so a finding can show conflicting evidence (e.g. a 落款 date that differs from the
    成文日期 of the metadata block).
    """

    issued: DateEvidence | None = None
    published: DateEvidence | None = None
    candidates: list[DateEvidence] = field(default_factory=list)
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issued": self.issued.to_dict() if self.issued else None,
            "published": self.published.to_dict() if self.published else None,
            "candidates": [c.to_dict() for c in self.candidates],
        }


# --------------------------------------------------------------------------- date forms

#: Length-preserving folding (offsets in the folded text are offsets in the original):
#: full-width digits and punctuation, the ratio sign used as a colon, ideographic space.
_FOLD = {0xFF10 + i: ord("0") + i for i in range(10)}
_FOLD.update({ord(a): ord(b) for a, b in (
    ("：", ":"), ("∶", ":"), ("﹕", ":"), ("︰", ":"), ("－", "-"), ("／", "/"), ("．", "."),
    ("\u3000", " "), ("\u2002", " "), ("\u2003", " "), ("\xa0", " "), ("－", "-"), ("‐", "-"),
    ("‑", "-"), ("–", "-"), ("（", "("), ("）", ")"),
)})


def _fold(text: str) -> str:
    return text.translate(_FOLD)


_CN_YEAR_DIGITS = {"〇": 0, "零": 0, "○": 0, "◯": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0, "一": 1,
                   "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "".join(_CN_YEAR_DIGITS)
_CN_NUM = "一二三四五六七八九十廿卅〇零"

_TIME = (r"(?:\s{0,3}(?:T|-|\s)\s{0,3}|\s{0,3})"
         r"(?P<H>[01]?\d|2[0-3])\s*[:时]\s*(?P<M>[0-5]\d)(?:\s*[:分]\s*(?P<S>[0-5]\d))?")
_DATE = re.compile(
    r"(?:(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:"
    r"年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})(?!\d)\s*日?"
    r"|(?P<sep>[-/.])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<d2>\d{1,2})(?!\d))"
    rf"|(?P<cy>[{_CN_YEAR}]{{4}})\s*年\s*(?P<cm>[{_CN_NUM}]{{1,3}})\s*月"
    rf"\s*(?P<cd>[{_CN_NUM}]{{1,3}})\s*日)"
    rf"(?:{_TIME})?"
)
#: A whole line that is a 年月日 date: the 落款 date of a signature (optionally in brackets).
_DATE_LINE = re.compile(
    r"[(\[（【]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    rf"|[{_CN_YEAR}]{{4}}\s*年\s*[{_CN_NUM}]{{1,3}}\s*月\s*[{_CN_NUM}]{{1,3}}\s*日)\s*[)\]）】]?"
)
_COMPACT_DIGITS = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


def _cn_small_number(text: str) -> int | None:
    """一..三十一 (also 廿三, 卅一, 〇五): month and day numbers written in Chinese."""
    text = text.replace("廿", "二十").replace("卅", "三十").lstrip("〇零")
    if not text:
        return None
    if "十" not in text:
        return _CN_SMALL.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    ten = 1 if not tens else _CN_SMALL.get(tens)
    unit = 0 if not units else _CN_SMALL.get(units)
    if ten is None or unit is None:
        return None
    return ten * 10 + unit


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _match_date(m: re.Match) -> tuple[date | None, str | None]:
    """The date and the ``HH:MM[:SS]`` time of a :data:`_DATE` match."""
    if m.group("y"):
        y = int(m.group("y"))
        month, day = (m.group("m1"), m.group("d1")) if m.group("m1") else (m.group("m2"),
                                                                           m.group("d2"))
        value = _make_date(y, int(month), int(day))
    else:
        digits = [_CN_YEAR_DIGITS.get(ch) for ch in m.group("cy")]
        year = None if None in digits else int("".join(map(str, digits)))
        value = _make_date(year, _cn_small_number(m.group("cm")), _cn_small_number(m.group("cd")))
    time = None
    if value is not None and m.group("H") is not None:
        time = f"{int(m.group('H')):02d}:{m.group('M')}"
        if m.group("S"):
            time += f":{m.group('S')}"
    return value, time


def parse_chinese_date(text: str | None) -> date | None:
    """The first date written in ``text`` in any of the forms above, or ``None``.

    >>> parse_chinese_date("成文日期：二〇二四年十二月二十三日")
    datetime.date(2024, 12, 23)
    """
    if not text or not isinstance(text, str):
        return None
    folded = _fold(text)
    for m in _DATE.finditer(folded):
        value, _ = _match_date(m)
        if value is not None:
            return value
    m = _COMPACT_DIGITS.search(folded)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


# --------------------------------------------------------------------------- labels

def _spaced(label: str) -> str:
    """A label whose characters may be padded apart (索&ensp;引&ensp;号, 成 文 日 期)."""
    return r"\s*".join(re.escape(ch) for ch in label)


_ISSUED_LABELS = ("成文日期", "成文时间", "形成日期", "形成时间", "印发日期", "印发时间", "签发日期",
                  "签发时间", "发文日期", "生成日期", "制发日期", "制文日期", "签署日期", "文件日期")
#: Published labels that count as metadata inside a metadata block, and as visible text
#: near the title elsewhere.
_PUBLISHED_LABELS = ("发布日期", "发布时间", "公开日期", "公开时间", "公布日期", "公布时间",
                     "上网日期", "上网时间", "发表时间", "发表日期", "发稿时间")
#: Bare labels: only near the title, and only when not the tail of a longer word (留言时间).
_BARE_LABELS = ("时间", "日期")
_DECISION = r"作\s*出\s*(?:行\s*政\s*)?(?:处\s*罚\s*)?决\s*定\s*(?:的\s*)?(?:日\s*期|时\s*间)"

_LABEL = re.compile(
    "(?P<issued>" + "|".join(_spaced(x) for x in _ISSUED_LABELS) + "|" + _DECISION + ")"
    "|(?P<published>" + "|".join(_spaced(x) for x in _PUBLISHED_LABELS) + ")"
    r"|(?<![\u4e00-\u9fff])(?P<bare>" + "|".join(_spaced(x) for x in _BARE_LABELS) + ")"
)
#: Between a label and its value: a colon, brackets, the cell boundary.
_LABEL_GAP = re.compile(r"\s*[:]?\s*[(\[【]?\s*")

#: Labels of the 信息公开 metadata block: a date label with another of these close by is in one.
_BLOCK_KEY_WORDS = (
    "索引号", "发布机构", "发文机关", "发文单位", "发布单位", "成文日期", "发布日期", "公开日期",
    "生成日期", "形成日期", "文号", "主题分类", "信息分类", "体裁分类", "组配分类", "服务对象",
    "公开方式", "公开范围", "公开形式", "公开时限", "有效性", "生效日期", "废止日期", "统一编号",
    "登记号", "所属主题", "所属机构", "信息名称", "主题词", "作出处罚决定",
)
_BLOCK_KEYS = re.compile("|".join(_spaced(k) for k in _BLOCK_KEY_WORDS))
_BLOCK_REACH = 150  # characters between two labels of one block, at most
#: The article header line ("发布时间：… 来源：… 浏览次数：…") is visible text, not metadata.
_HEADER_LINE = re.compile(r"(?:来\s*源|浏览|点击|阅读|作\s*者|编辑|责任编辑|文章类型|字体)\s*(?:次数|量)?\s*:")

_ORGAN_LINE = re.compile(
    r"^[\u4e00-\u9fff()（）·]{2,40}(?:人民政府|政府|办公室|办公厅|委员会|管委会|管理委员会|局|厅|署|委|办|院|"
    r"中心|街道办事处|办事处|公司|所|部|会|处|队|站|社|馆)(?:\(印章\)|（印章）)?$"
)
_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: Runs of white space and control characters, folded to one space in page text.
_BLANKS = re.compile(r"(?:\s|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff])+")
_NON_SPACE = re.compile(r"\S+")

_NEAR_BEFORE, _NEAR_AFTER = 250, 500  # "near the title", in characters of collapsed text


# --------------------------------------------------------------------------- page text

_SKIP = frozenset({"script", "style", "noscript", "head", "template", "textarea", "select",
                   "option", "button", "svg", "iframe", "object", "title", "xml"})
_BREAK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "section",
                    "article", "header", "footer", "aside", "main", "nav", "dl", "dt", "dd",
                    "blockquote", "center", "hr", "pre", "form", "fieldset", "address", "body",
                    "html", "figure", "figcaption", "label"})


class _Page:
    """The visible text of a page, whitespace collapsed, one line per block or cell, with the
    span of every element in it (so a match can be traced back to its box)."""

    def __init__(self, root) -> None:
        self.pieces: list[str] = []
        self.piece_starts: list[int] = []
        self.piece_owner: list[Any] = []
        self.spans: dict[Any, tuple[int, int]] = {}
        self.length = 0
        self._last = "\n"
        self._walk(root)
        self.text = "".join(self.pieces)
        self.folded = _fold(self.text)
        self.title_zones: dict[Any, list[tuple[int, int]]] = {}
        self._compact: tuple[str, list[int]] | None = None

    @property
    def compact(self) -> tuple[str, list[int]]:
        """The folded text without whitespace, and each character's offset in ``folded``."""
        if self._compact is None:
            runs = list(_NON_SPACE.finditer(self.folded))
            offsets: list[int] = []
            for m in runs:
                offsets.extend(range(m.start(), m.end()))
            self._compact = ("".join(m.group() for m in runs), offsets)
        return self._compact

    def _emit(self, s: str | None, owner) -> None:
        if not s:
            return
        s = _BLANKS.sub(" ", s)
        if self._last in " \n" and s.startswith(" "):
            s = s[1:]
        if not s:
            return
        self.piece_starts.append(self.length)
        self.piece_owner.append(owner)
        self.pieces.append(s)
        self.length += len(s)
        self._last = s[-1]

    def _break(self) -> None:
        if self._last == "\n":
            return
        if self._last == " " and self.pieces:
            self.pieces[-1] = self.pieces[-1][:-1] + "\n"  # same length: spans stay valid
        else:
            self.piece_starts.append(self.length)
            self.piece_owner.append(None)
            self.pieces.append("\n")
            self.length += 1
        self._last = "\n"

    def _walk(self, root) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        starts: dict[Any, int] = {}
        skipped: set[Any] = set()
        for event, el in walker:
            tag = el.tag
            if not isinstance(tag, str):
                tag = None
            elif ":" in tag or not tag.islower():  # the HTML parser lower-cases most tags
                tag = tag.lower().rpartition(":")[2]
            if event == "start":
                if tag is None:
                    continue
                if tag in _SKIP:
                    skipped.add(el)
                    walker.skip_subtree()
                    continue
                if tag in _BREAK:
                    self._break()
                starts[el] = self.length
                self._emit(el.text, el)
            else:
                if tag is not None and el not in skipped:
                    if tag in _BREAK:
                        self._break()
                    self.spans[el] = (starts.get(el, self.length), self.length)
                parent = el.getparent()
                self._emit(el.tail, parent)

    def owner_at(self, pos: int):
        i = bisect_right(self.piece_starts, pos) - 1
        while i >= 0 and self.piece_owner[i] is None:
            i -= 1
        return self.piece_owner[i] if i >= 0 else None

    def line_at(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end < 0 else end)


def _parse_html(text: str):
    text = _CONTROL.sub(" ", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        return None
    try:
        return parse_html(text)
    except (etree.ParserError, ValueError, TypeError):
        return None


def _meta_tags(root) -> list[tuple[str, str, str]]:
    """(lower-cased name, content, the tag as written) of every named meta tag."""
    out = []
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip()
        content = (el.get("content") or "").strip()
        if name and content:
            attr = "name" if el.get("name") else ("property" if el.get("property") else "itemprop")
            out.append((name.lower(), content, f'<meta {attr}="{name}" content="{content}">'))
    return out


_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|--|——)\s*")


def _title(root, metas: list[tuple[str, str, str]]) -> str | None:
    for name, content, _ in metas:
        if name in ("articletitle", "og:title") and content:
            return _WS.sub(" ", content).strip()
    for h1 in root.iter("h1"):
        text = _WS.sub(" ", text_of(h1)).strip()
        if len(text) >= 4:
            return text
    for el in root.iter("title"):
        text = _WS.sub(" ", text_of(el)).strip()
        if text:
            parts = [p for p in _TITLE_SPLIT.split(text) if p]
            return max(parts[:2], key=len) if parts else text
    return None


# --------------------------------------------------------------------------- strategies

def _evidence(value: date, kind: str, strategy: str, raw: str, time: str | None) -> DateEvidence:
    return DateEvidence(value=value, kind=kind, strategy=strategy,
                        raw=_WS.sub(" ", raw).strip(), time=time)


class _Blocks:
    """Which label matches lie inside a 信息公开 metadata block: another metadata label within
    :data:`_BLOCK_REACH` characters and in the same box (up to three block levels up: cell, row,
    table; item, list, box), no sentence (。) in between, and not on the article's header row
    ("发布时间：… 来源：… 浏览次数：…")."""

    def __init__(self, page: _Page) -> None:
        self.page = page
        self.keys = [(m.start(), m.end()) for m in _BLOCK_KEYS.finditer(page.folded)]
        self.starts = [k[0] for k in self.keys]

    def _header_row(self, pos: int) -> bool:
        line_start, line_end = self.page.line_at(pos)
        if _HEADER_LINE.search(self.page.folded, line_start, line_end):
            return True
        el, hops = self.page.owner_at(pos), 0
        while el is not None and hops < 4:
            if isinstance(el.tag, str) and el.tag.lower() == "tr":
                start, end = self.page.spans.get(el, (pos, pos))
                return bool(_HEADER_LINE.search(self.page.folded, start, end))
            el, hops = el.getparent(), hops + 1
        return False

    def _box(self, pos: int) -> tuple[int, int] | None:
        """The span of the label's box: its third block-level ancestor below <body>."""
        el, hops, box = self.page.owner_at(pos), 0, None
        while el is not None and hops < 3:
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in ("body", "html"):
                break
            if tag in _BREAK and tag not in ("br", "hr"):
                hops += 1
                box = self.page.spans.get(el, box)
            el = el.getparent()
        return box

    def contains(self, start: int, end: int) -> bool:
        if self._header_row(start):
            return False
        box = self._box(start)
        if box is None:
            return False
        folded = self.page.folded
        first = bisect_right(self.starts, start - _BLOCK_REACH - 40)
        for i in range(first, len(self.keys)):
            ks, ke = self.keys[i]
            if ks > end + _BLOCK_REACH:
                break
            if ks < box[0] or ke > box[1]:
                continue
            if ks < end and ke > start:  # the label itself
                continue
            gap = (ke, start) if ke <= start else (end, ks)
            if gap[1] - gap[0] <= _BLOCK_REACH and "。" not in folded[gap[0]:gap[1]]:
                return True
        return False


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _body_start(text: str, start: int, end: int) -> int:
    """Where running text begins in ``text[start:end]``: the first line that ends a sentence
    (。) or holds 50+ Chinese characters. Page headers have neither."""
    pos = text.find("\n", start)
    while 0 <= pos < end:
        nxt = text.find("\n", pos + 1)
        line_end = len(text) if nxt < 0 else nxt
        if text.find("。", pos, line_end) >= 0 or len(_HAN.findall(text, pos, line_end)) >= 50:
            return pos
        if nxt < 0:
            break
        pos = nxt
    return end


def _title_zones(page: _Page, title: str | None) -> list[tuple[int, int]]:
    """Where the title is printed on the page (whitespace inside it ignored), and the header
    zone around it. Computed once per page and title."""
    key = (id(page), title)
    cached = page.title_zones.get(key)
    if cached is not None:
        return cached
    zones: list[tuple[int, int]] = []
    chars = "".join(ch for ch in _fold(title or "") if not ch.isspace())[:40]
    if len(chars) >= 4:
        # Search the page with its whitespace removed (a map gives the original offsets): a
        # regex with \s* between every character would be compiled anew for every page.
        compact, offsets = page.compact
        at = compact.find(chars)
        while at >= 0:
            start, end = offsets[at], offsets[at + len(chars) - 1] + 1
            # The header under a title ends where the body starts: the first long paragraph.
            zones.append((start - _NEAR_BEFORE,
                          _body_start(page.folded, end, end + _NEAR_AFTER)))
            at = compact.find(chars, at + 1)
    page.title_zones[key] = zones
    return zones


def _labelled(page: _Page, title: str | None) -> list[tuple[int, DateEvidence]]:
    """Dates right after a date label: metadata and visible-text strategies."""
    out: list[tuple[int, DateEvidence]] = []
    blocks = _Blocks(page)
    zones = _title_zones(page, title)
    text, folded = page.text, page.folded
    for lm in _LABEL.finditer(folded):
        gap = _LABEL_GAP.match(folded, lm.end())
        dm = _DATE.match(folded, gap.end())
        if not dm:
            continue
        value, time = _match_date(dm)
        if value is None:
            continue
        raw = text[lm.start():dm.end()]
        near = any(a <= lm.start() <= b for a, b in zones)
        if lm.group("issued"):
            out.append((lm.start(), _evidence(value, "issued", "metadata", raw, time)))
        elif lm.group("published"):
            if blocks.contains(lm.start(), lm.end()):
                out.append((lm.start(), _evidence(value, "published", "metadata", raw, time)))
            elif near or not zones:
                out.append((lm.start(), _evidence(value, "published", "visible-text", raw, time)))
        elif near:  # bare 时间 / 日期
            out.append((lm.start(), _evidence(value, "published", "visible-text", raw, time)))
    return out


def _label_kind(cell: str) -> str | None:
    """The kind a cell names when the whole cell is a date label (header-row tables)."""
    compact = _WS.sub("", _fold(cell)).rstrip(":")
    if not compact:
        return None
    m = _LABEL.fullmatch(compact)
    if not m:
        return None
    return "issued" if m.group("issued") else "published"


def _column_tables(root, page: _Page) -> list[tuple[int, DateEvidence]]:
    """Metadata tables laid out as one header row of labels over one row of values."""
    out: list[tuple[int, DateEvidence]] = []
    for table in root.iter("table"):
        rows = [[c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
                for tr in table.iter("tr")]
        rows = [r for r in rows if r]
        texts = [[_WS.sub(" ", text_of(c)).strip() for c in r] for r in rows]
        for i, header in enumerate(texts[:-1]):
            kinds = [_label_kind(cell) for cell in header]
            labels = sum(1 for cell in header if _BLOCK_KEYS.search(_WS.sub("", cell)))
            if not any(kinds) or labels < 2:
                continue
            values = texts[i + 1]
            # A list (several dated rows under the header) is not a metadata block.
            if len(texts) > i + 2 and len(texts[i + 2]) == len(values):
                continue
            if len(values) != len(header):
                continue
            for col, kind in enumerate(kinds):
                if not kind:
                    continue
                dm = _DATE.match(_fold(values[col]))
                if not dm:
                    continue
                value, time = _match_date(dm)
                if value is None:
                    continue
                raw = f"{header[col]} {values[col][:dm.end()]}"
                pos = page.spans.get(rows[i + 1][col], (0, 0))[0]
                out.append((pos, _evidence(value, kind, "metadata", raw, time)))
    return out


_META_DATE_NAMES = ("pubdate", "firstpublishedtime", "article:published_time", "publishdate")


def _meta_dates(metas: list[tuple[str, str, str]]) -> list[DateEvidence]:
    out = []
    for wanted in _META_DATE_NAMES:
        for name, content, tag in metas:
            if name != wanted:
                continue
            folded = _fold(content)
            dm = _DATE.search(folded)
            if dm:
                value, time = _match_date(dm)
            else:
                cm = _COMPACT_DIGITS.search(folded)
                value = _make_date(*map(int, cm.groups())) if cm else None
                time = None
            if value is not None:
                out.append(_evidence(value, "published", "meta-tag", tag, time))
    return out


def _signatures(page: _Page, title: str | None) -> list[tuple[int, DateEvidence]]:
    """落款: a 年月日 line right under the name of the issuing body."""
    out: list[tuple[int, DateEvidence]] = []
    zones = _title_zones(page, title)
    begin = zones[0][0] + _NEAR_BEFORE if zones else 0
    lines = page.text.split("\n")
    offset = 0
    previous = ""
    for line in lines:
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if start >= begin and len(stripped) <= 40:
            folded = _fold(stripped)
            compact_prev = _WS.sub("", previous)
            if _DATE_LINE.fullmatch(folded) and _ORGAN_LINE.match(compact_prev):
                dm = _DATE.search(folded)
                value, time = _match_date(dm) if dm else (None, None)
                if value is not None:
                    raw = f"{previous.strip()} {stripped}"
                    out.append((start, _evidence(value, "issued", "signature", raw, None)))
        previous = stripped
    return out


_URL_PATTERNS = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),                   # TRS t20250120_1
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),              # Hanweb jcms
    re.compile(r"/((?:19|20)\d{2})-(\d{1,2})/(\d{1,2})/"),                  # /2025-01/20/
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),                       # /202501/20/
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),                       # /2025/0120/
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),                      # /2025-01-20/
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),                        # /20250120/
)


def _url_dates(urls: list[str]) -> list[DateEvidence]:
    for url in urls:
        path = unquote(url).split("?", 1)[0].split("#", 1)[0]
        path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", path, flags=re.I)
        for pattern in _URL_PATTERNS:
            m = pattern.search(path)
            if m:
                value = _make_date(*map(int, m.groups()))
                if value is not None:
                    return [_evidence(value, "published", "url", url, None)]
    return []


def _page_urls(root, metas: list[tuple[str, str, str]]) -> list[str]:
    urls = [content for name, content, _ in metas if name in ("url", "og:url")]
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            urls.append(link.get("href").strip())
    return urls


# --------------------------------------------------------------------------- the function

def _to_text(html: bytes | str | None) -> str:
    if html is None:
        return ""
    if isinstance(html, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(html)).text
    if isinstance(html, str):
        return html
    return ""


def _extract(html: bytes | str, url: str | None, list_date: str | None,
             root=None) -> DocumentDates:
    if root is None:
        text = _to_text(html)
        root = _parse_html(text) if text else None
    found: list[tuple[int, int, DateEvidence]] = []  # (rank, position, evidence)
    title = None
    metas: list[tuple[str, str, str]] = []
    if root is not None:
        metas = _meta_tags(root)
        title = _title(root, metas)
        page = _Page(root)
        for pos, ev in _labelled(page, title) + _column_tables(root, page):
            found.append((_RANK[ev.strategy], pos, ev))
        for i, ev in enumerate(_meta_dates(metas)):
            found.append((_RANK["meta-tag"], i, ev))
        for pos, ev in _signatures(page, title):
            found.append((_RANK["signature"], pos, ev))
    if list_date:
        value = parse_chinese_date(str(list_date))
        if value is not None:
            dm = _DATE.search(_fold(str(list_date)))
            time = _match_date(dm)[1] if dm else None
            found.append((_RANK["list-page"], 0,
                          _evidence(value, "published", "list-page", str(list_date), time)))
    urls = ([url] if url else []) + (_page_urls(root, metas) if root is not None else [])
    for ev in _url_dates(urls):
        found.append((_RANK["url"], 0, ev))

    found.sort(key=lambda item: (item[0], item[1]))
    candidates: list[DateEvidence] = []
    for _, _, ev in found:
        if ev not in candidates:
            candidates.append(ev)
    issued = next((c for c in candidates if c.kind == "issued"), None)
    published = next((c for c in candidates if c.kind == "published"), None)
    return DocumentDates(issued=issued, published=published, candidates=candidates, title=title)


def extract_dates(html: bytes | str, url: str | None = None,
                  list_date: str | None = None, *, root=None) -> DocumentDates:
    """成文日期 and 发布日期 of a document page, with evidence; never raises.

    ``html`` is the page as fetched (bytes are decoded as :func:`~auditor.parse.decode.
    decode_bytes` does: GB2312/GBK as GB18030) or as text; ``url`` the address it was fetched
    from; ``list_date`` the date the column list showed beside its link, if any; ``root``
    the page's tree when the caller already has one (:attr:`auditor.parse.page.Page.root`).
    """
    try:
        return _extract(html, url if isinstance(url, str) else None,
                        list_date if isinstance(list_date, str) else None, root)
    except Exception:  # noqa: BLE001 - the contract is "never raises": keep what is certain
        try:
            return _extract("", url if isinstance(url, str) else None,
                            list_date if isinstance(list_date, str) else None)
        except Exception:  # noqa: BLE001
            return DocumentDates()
