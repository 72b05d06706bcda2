"""HTML report pages to numbered text lines: one line per paragraph, one line per table row
with its cells separated by `|`, empty cells kept as :data:`BLANK_CELL`.

Only the article container is read (TRS ``.TRS_Editor``, Hanweb ``#zoom``, UCAP
``ucapcontent``…), so navigation and footers do not leak into the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .text import BLANK_CELL

_LOOKS_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|div|table|p|meta|span)\b", re.I)
_CONTAINER_HINTS = (
    "trs_editor", "trs_ueditor", "zoom", "ucapcontent", "article", "content", "xxgk", "detail",
    "zwnr", "wzcon", "nrbox", "view", "main", "text", "custom_unionstyle",
)
_REPORT_WORDS = ("总体情况", "主动公开", "收到和处理", "复议", "本年新收", "结果维持", "本年制发")
_SKIP = frozenset({"script", "style", "noscript", "head", "iframe", "button", "select",
                   "option", "input", "textarea", "form", "nav"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "table", "section", "article", "dt", "dd", "dl", "blockquote", "center",
                    "header", "footer", "hr", "pre", "caption", "tbody", "thead"})
_WS = re.compile(r"\s+")
_SOURCE = re.compile(r"(?:来源|信息来源|文章来源)\s*[:：]\s*([\u4e00-\u9fff()（）]{2,40}+)(?!\s*[:：])")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False,
                                encoding="utf-8")


def parse_html(html: str | bytes):
    """The page's root element. Plain lxml.etree (not lxml.html, whose per-element class
    lookup costs more than the parse itself on Word-pasted pages); never returns None.
    ``bytes`` must be UTF-8 (known to decode): libxml2 then reads them without a copy."""
    if isinstance(html, bytes):
        root = etree.fromstring(html, _UTF8_PARSER) if html.strip() else None
    else:
        root = etree.fromstring(html, _PARSER) if html.strip() else None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _PARSER)
    return root


_STRING = etree.XPath("string()")


def text_of(el) -> str:
    """All text below ``el`` (XPath string(): done in C, unlike joining itertext())."""
    return str(_STRING(el))


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text[:4000]))


# A JavaScript string literal (possessive: runs of plain characters are taken at once).
_JS_STRING = re.compile(r'"((?:[^"\\\n]++|\\.)*+)"|\'((?:[^\'\\\n]++|\\.)*+)\'')
_HTML_TAG = re.compile(r"<\s*(?:p|td|tr|table|div|span|br)\b", re.I)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}


def _unescape_js(literal: str) -> str:
    parts = _JS_ESCAPE.split(literal)  # text, escape code, text, …
    parts[1::2] = [chr(int(code[1:], 16)) if len(code) > 1 else _JS_SIMPLE.get(code, code)
                   for code in parts[1::2]]
    return "".join(parts)


def embedded_html(text: str) -> str | None:
    """The report HTML held in a JavaScript string (a page that builds its article from
    ``let content = "<p>…</p><table>…"``), unescaped; ``None`` if there is none. The string
    with the most HTML tags wins, and it needs a table or ten tags to count."""
    best, best_tags = None, 0
    for m in _JS_STRING.finditer(text):
        literal = m.group(1) if m.group(1) is not None else m.group(2)
        if len(literal) < 200:
            continue
        tags = len(_HTML_TAG.findall(literal))
        if tags > best_tags:
            best, best_tags = literal, tags
    if best is None or (best_tags < 10 and "<table" not in best.lower()):
        return None
    return _unescape_js(best)


@dataclass
class HtmlText:
    text: str
    line_map: list[int] = field(default_factory=list)  # text line i+1 -> HTML source line
    meta: dict[str, str] = field(default_factory=dict)
    #: Page facts found outside the article (来源 in the page chrome, the canonical URL).
    facts: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    #: The page's tree (its scripts may hold the article as a string).
    root: object = None


def _meta(root) -> dict[str, str]:
    out = {}
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        content = (el.get("content") or "").strip()
        if name and content:
            out[name] = content
    title = root.find(".//title")
    if title is not None and text_of(title).strip():
        out["<title>"] = _WS.sub(" ", text_of(title)).strip()
    return out


_HINTED = re.compile("|".join(_CONTAINER_HINTS), re.I)


def _container(root):
    """The smallest marked element (class/id hint) holding most of the report's words.
    Candidates are scored innermost first: an element around one that already holds every
    word cannot be better (more text, no more words), so its text is never gathered."""
    candidates = []
    for el in root.iter("div", "td", "article", "section", "span"):
        cls, ident = el.get("class"), el.get("id")
        if cls and _HINTED.search(cls) or ident and _HINTED.search(ident):
            candidates.append(el)
    best, best_key = None, None
    around_complete: set = set()  # elements around a candidate holding every word
    for el in reversed(candidates):
        if el in around_complete:
            continue
        text = text_of(el)
        score = sum(word in text for word in _REPORT_WORDS)
        if score == len(_REPORT_WORDS):
            around_complete.update(el.iterancestors())
        if score < 3:
            continue
        key = (score, -len(text))
        if best_key is None or key >= best_key:
            best, best_key = el, key
    if best is not None:
        return best
    body = root.find(".//body")
    return body if body is not None else root


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.sources: list[int] = []
        self.buffer: list[str] = []
        self.source = 0

    def text(self, s: str | None, sourceline: int | None) -> None:
        if s:
            if not self.buffer and sourceline:
                self.source = sourceline
            self.buffer.append(s)

    def flush(self) -> None:
        line = _WS.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if line:
            self.lines.append(line)
            self.sources.append(self.source)

    def row(self, cells: list[str], sourceline: int | None) -> None:
        self.flush()
        if any(c != BLANK_CELL for c in cells):
            self.lines.append(" | ".join(cells))
            self.sources.append(sourceline or self.source)


_CELL_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"})


def _cell_text(td) -> str:
    """A cell's text: its paragraphs apart (two numbers in two <p>s stay two), the runs of one
    paragraph together ("<span>1</span><span>2</span>" is 12, as Word splits its runs)."""
    if len(td) < 2 or not any(child.tag in _CELL_BLOCKS for child in td):
        # one paragraph (or none): all its text, runs together
        return " ".join(text_of(td).split()) or BLANK_CELL
    parts = [td.text or ""]
    for child in td:
        parts.append(text_of(child))
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        # Keep numbers in separate <p>s apart; rejoin labels split over paragraphs.
        if out and out[-1].isdigit() and part[0].isdigit():
            out += " "
        out += part
    return " ".join(out.split()) or BLANK_CELL


def _walk(el, out: _Lines) -> None:
    tag = el.tag
    if tag.__class__ is not str or tag in _SKIP:
        if el.tail:
            out.text(el.tail, None)
        return
    if tag == "tr":
        cells = [_cell_text(c) for c in el if c.tag in ("td", "th")]
        out.row(cells, el.sourceline)
        if el.tail:
            out.text(el.tail, None)
        return
    block = tag in _BLOCK
    if block:
        out.flush()
    if el.text:
        out.text(el.text, el.sourceline)
    for child in el:
        _walk(child, out)
    if block:
        out.flush()
    if el.tail:
        out.text(el.tail, None)


def html_to_text(html: str | bytes, root=None) -> HtmlText:
    """Extract the report text of an HTML page; never raises. ``root``: the page's tree, when
    the caller has already parsed it."""
    if root is None:
        if isinstance(html, str):
            html = _XML_DECL.sub("", html, count=1)
        try:
            root = parse_html(html)
        except (etree.ParserError, ValueError) as exc:
            return HtmlText("", error=f"HTML 无法读取（{exc}）")
    meta = _meta(root)
    out = _Lines()
    container = _container(root)
    _walk(container, out)
    out.flush()
    facts = {}
    if meta.get("Url"):
        facts["url"] = meta["Url"]
    if meta.get("ContentSource"):
        facts["source"] = meta["ContentSource"]
    if meta.get("PubDate"):
        facts["pubdate"] = meta["PubDate"]
    if "source" not in facts:
        # The visible "来源：" line sits in the page chrome above the article container.
        m = _SOURCE.search(text_of(root)[:20000])
        if m:
            facts["source"] = m.group(1)
    return HtmlText("\n".join(out.lines), out.sources, meta, facts, root=root)
