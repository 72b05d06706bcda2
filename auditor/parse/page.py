"""One fetched page, read once: decoded text, one tree, what the page says about itself, and
what kind of page it is — decided from evidence, with the cue that decided it.

Every reader of a stored page (dates, page tags, list items, the annual report) shares one
:class:`Page`, so an audit decodes and parses each page once. Pure: bytes in, a page out; no I/O,
never raises.

Kinds (design.md §9):

``home``       the site's home page (its root address), when it is not itself a list or article
``list``       a column/list page: items with dates, a pager, or list machinery (a script that
               loads the list, an ``<iframe>``), or a "暂无信息" placeholder
``document``   an article page: the 《政府网站发展指引》 ``ArticleTitle`` tag, a 信息公开 metadata
               block (索引号 / 发文字号 / 成文日期 …), or a titled body of running text
``report``     a document whose own title is a 政府信息公开工作年度报告
``attachment`` a PDF, Word, spreadsheet or image file (told by its bytes)
``other``      anything else: landing and navigation pages, forms, an (almost) empty body
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .decode import decode_bytes
from .html import _CONTAINER_HINTS, parse_html, text_of
from .links import DOCUMENT_URL, SKIP_SCHEMES, date_in, is_report_title

KINDS = ("home", "list", "document", "report", "attachment", "other")
KIND_CN = {"home": "网站首页", "list": "栏目列表页", "document": "文章页", "report": "年度报告",
           "attachment": "附件", "other": "其他页面"}

_FOOTER_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_WS = re.compile(r"\s+")
_METADATA_LABELS = re.compile(
    r"索\s*引\s*号|发文字号|文\s*号\s*[:：]|成文日期|发文日期|发布机构|发文机关|主题分类|信息分类|"
    r"公开方式|有\s*效\s*性")
_PLACEHOLDER = re.compile(r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息)|没有(?:找到)?(?:相关)?(?:信息|记录|数据)"
                          r"|无相关(?:信息|记录)|信息正在(?:整理|更新)中|栏目(?:正在)?建设中")
#: Scripts and templates that build a list in the browser (cms-variants.md §7): seeing one on a
#: page whose list we could not read means "not read", never "empty".
_MACHINERY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("大汉 jpage 列表脚本", re.compile(r"\.jpage\s*\(\s*\{|dataproxy\.jsp|<datastore>", re.I)),
    ("大汉 JPAAS 列表构建", re.compile(r"jpaas-publish-server|front/page/build/unit|queryData=")),
    ("大汉信息公开检索模块", re.compile(r"/module/(?:xxgk|search)/\w+\.jsp")),
    ("广东政务公开目录平台 gkmlpt", re.compile(r"window\._CONFIG\s*=|/gkmlpt/api/")),
    ("开普云 UCAP 列表接口", re.compile(r"/common/search/|/searchList/|_isJson=true")),
    ("拓尔思动态列表（avalon 模板）", re.compile(r"quickMode\s*:|ms-repeat\s*=\s*[\"'](?:list|datas?|items)\b")),
    ("拓尔思检索接口", re.compile(r"/irs/front/list|/fjdzapp/search")),
    ("Vue 列表模板", re.compile(r"v-for\s*=\s*[\"'][^\"']*\bin\s+(?:list|dataList|items|records)")),
    ("客户端分页插件", re.compile(r"\.pagination\s*\(\s*\{|ms-include-src\s*=\s*[\"']pgTemp")),
)
_PAGER = re.compile(r"createPageHTML\s*\(|下一页|下页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*/\s*\d+\s*页")
_ROOT_PATHS = re.compile(r"^/?(?:(?:index|default|main)\.(?:s?html?|jsp|php|aspx?))?$", re.I)


@dataclass(frozen=True)
class PageFacts:
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    footer_code: str | None = None
    text_hash: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class PageKind:
    kind: str
    cue: str

    def describe(self) -> str:
        return f"{KIND_CN.get(self.kind, self.kind)}（{self.cue}）"


class Page:
    """A fetched page: ``text`` (decoded; empty for binaries), ``root`` (one lxml tree, built on
    first use), ``meta`` tags, ``title``, ``facts`` and ``kind``."""

    def __init__(self, url: str, body: bytes, *, text: str = "", encoding: str | None = None,
                 binary: str | None = None, error: str | None = None,
                 reached_as: str | None = None, root: Any = None,
                 base_url: str | None = None) -> None:
        self.url = url
        #: The address relative links resolve against: the page's own, except for a list API's
        #: answer (a POST, JSON, an XML datastore), whose links are relative to its column page
        #: (``base_url``, when the caller knows it).
        head = text.lstrip()[:200]
        answer = "#" in url or (head[:1] != "" and head[:1] in "{[") or head.startswith("<?xml") or \
            "<datastore>" in head.lower()
        #: A list API's answer (JSON, XML, a POSTed fragment) rather than a web page.
        self.is_answer = answer
        self.base_url = base_url if base_url and answer else url.split("#", 1)[0]
        self.body = body
        self.text = text
        self.encoding = encoding
        self.binary = binary
        self.error = error
        self.reached_as = reached_as
        self._root = root

    # ------------------------------------------------------------------ the tree

    @property
    def is_html(self) -> bool:
        return bool(self.text) and self.binary is None

    @cached_property
    def root(self):
        """The page's lxml tree (plain ``lxml.etree``; comments and PIs dropped)."""
        if self._root is not None:
            return self._root
        text = _CONTROL.sub(" ", _XML_DECL.sub("", self.text, count=1)) if self.is_html else ""
        try:
            return parse_html(text)
        except (etree.ParserError, ValueError):
            return parse_html("")

    @cached_property
    def link_base(self) -> str:
        """What relative links resolve against: ``<base href>`` if the page sets one (as a
        browser does), else :attr:`base_url`."""
        for el in self.root.iter("base"):
            href = (el.get("href") or "").strip()
            if href and not href.lower().startswith(("javascript:", "data:")):
                return urljoin(self.base_url, href)
        return self.base_url

    @cached_property
    def links(self) -> list[tuple[str, str]]:
        """Every followable link of a web page, as a browser resolves it: (absolute URL, link
        text or title). ``javascript:``, ``mailto:``, ``tel:``, ``data:`` and in-page links
        are left out; a list API's answer (JSON, XML) has none."""
        if not self.is_html or self.text.lstrip()[:1] in ("{", "["):
            return []
        out = []
        for a in self.root.iter("a", "area"):
            href = (a.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            url = urljoin(self.link_base, href)
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            text = _WS.sub("", text_of(a)) or (a.get("title") or "").strip()
            out.append((url.split("#", 1)[0], text))
        return out

    @cached_property
    def meta(self) -> dict[str, str]:
        """``<meta name|property=… content=…>``: the first non-empty value of each name."""
        out: dict[str, str] = {}
        for el in self.root.iter("meta"):
            name = (el.get("name") or el.get("property") or "").strip()
            content = (el.get("content") or "").strip()
            if name and (name not in out or not out[name]):
                out[name] = content
        return out

    def meta_value(self, name: str) -> str:
        """A meta tag by name, case-insensitively ("" when absent)."""
        lower = name.lower()
        return next((v for k, v in self.meta.items() if k.lower() == lower and v), "")

    @cached_property
    def title(self) -> str | None:
        el = self.root.find(".//title")
        text = _WS.sub(" ", text_of(el)).strip() if el is not None else ""
        return text or None

    @cached_property
    def heading(self) -> str | None:
        """The article's own title: ArticleTitle tag, else the first substantial <h1>."""
        tagged = self.meta_value("ArticleTitle")
        if tagged:
            return _WS.sub(" ", tagged).strip()
        for h1 in self.root.iter("h1"):
            text = _WS.sub(" ", text_of(h1)).strip()
            if len(text) >= 4:
                return text
        return None

    @cached_property
    def visible_text(self) -> str:
        body = self.root.find(".//body")
        return text_of(body if body is not None else self.root)

    @cached_property
    def facts(self) -> PageFacts:
        if not self.is_html:
            return PageFacts(error=self.error)
        whole = unicodedata.normalize("NFKC", self.visible_text)
        footer = _FOOTER_CODE.search(whole)
        main = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text_of(_article(self.root))))
        return PageFacts(dict(self.meta), self.title, footer.group(1) if footer else None,
                         hashlib.sha256(main.encode("utf-8")).hexdigest() if main else None)

    # ------------------------------------------------------------------ what it is

    @cached_property
    def kind(self) -> PageKind:
        return classify(self)

    @cached_property
    def machinery(self) -> str | None:
        """The list machinery this page carries (a list-building script or template), if any."""
        return list_machinery(self.text) if self.is_html else None

    @cached_property
    def placeholder(self) -> str | None:
        """A "暂无信息" text in the page's main part, if any (a column provably empty)."""
        if not self.is_html:
            return None
        m = _PLACEHOLDER.search(_WS.sub("", text_of(_article(self.root, lists=True))))
        return m.group(0) if m else None

    @cached_property
    def dated_links(self) -> int:
        """Links that look like list items: a document address or a date beside the link."""
        count = 0
        for a in self.root.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES) or "{{" in href:
                continue
            if DOCUMENT_URL.search(href):
                count += 1
                continue
            row = a.getparent()
            for _ in range(3):
                if row is None:
                    break
                if row.tag in ("li", "tr", "dd", "dl"):
                    text = text_of(row)
                    if len(text) < 200 and date_in(text) and len(text_of(a).strip()) >= 4:
                        count += 1
                    break
                row = row.getparent()
        return count


def read_page(body: bytes | str, url: str = "", *, reached_as: str | None = None,
              root: Any = None, base_url: str | None = None, text: str | None = None) -> Page:
    """Read a fetched page once. ``reached_as`` is how the crawl got there (``home``,
    ``column``, ``list``, ``document``…), a hint only: the page's own evidence decides its kind.
    ``root`` may pass a tree already built from the same bytes (Scrapy's selector) and
    ``text`` the bytes already decoded (Scrapy's ``response.text``)."""
    from .attachments import sniff_attachment

    if isinstance(body, str):
        return Page(url, body.encode("utf-8"), text=body, encoding="utf-8",
                    reached_as=reached_as, root=root, base_url=base_url)
    kind = sniff_attachment(body)
    if kind:
        return Page(url, body, binary=kind, reached_as=reached_as, base_url=base_url)
    if text is not None:
        return Page(url, body, text=text, encoding="declared", reached_as=reached_as, root=root,
                    base_url=base_url)
    decoded = decode_bytes(body)
    if decoded.error:
        return Page(url, body, encoding=decoded.encoding, error=decoded.error,
                    binary="binary" if decoded.encoding == "binary" else None,
                    reached_as=reached_as, base_url=base_url)
    return Page(url, body, text=decoded.text, encoding=decoded.encoding, reached_as=reached_as,
                root=root, base_url=base_url)


def page_facts(data: bytes | str) -> PageFacts:
    """Meta tags, footer 网站标识码 and main-text hash of an HTML page; never raises."""
    page = read_page(data)
    return page.facts if page.is_html else PageFacts(error=page.error or "not an HTML page")


def list_machinery(text: str) -> str | None:
    """Name the list-building script or template in ``text``, if any."""
    for name, pattern in _MACHINERY:
        if pattern.search(text):
            return name
    return None


# ---------------------------------------------------------------------- classification

_BINARY_CN = {"pdf": "PDF 文件", "zip": "Office/ZIP 文件", "ole": "Word/WPS/Excel 文件"}


def classify(page: Page) -> PageKind:
    """The page's kind and the evidence for it (see the module docstring)."""
    if page.binary:
        name = page.binary.split(":", 1)[1] + " 图片" if page.binary.startswith("image:") \
            else _BINARY_CN.get(page.binary, "二进制文件")
        return PageKind("attachment", f"文件内容为{name}")
    if not page.is_html:
        return PageKind("other", f"无法读取为网页（{page.error or '空白'}）")
    head = page.text.lstrip()[:1]
    if head and head in "{[":
        if page.reached_as in ("list", "column"):
            return PageKind("list", "列表接口返回的 JSON 数据")
        return PageKind("other", "JSON 数据（非网页）")
    visible = _WS.sub("", page.visible_text)
    links = sum(1 for _ in page.root.iter("a"))
    if len(visible) < 20 and links < 2 and not page.machinery:
        return PageKind("other", f"页面几乎没有内容（可见文字{len(visible)}字）")
    article = _article_cue(page)
    # A strong article cue outranks list evidence, which is then not worth computing.
    listing = None if article and article[1] else _list_cue(page)
    if article and (not listing or article[1]):
        heading = page.heading or page.title or ""
        if is_report_title(heading):
            return PageKind("report", f"{article[0]}，标题为年度报告“{heading[:40]}”")
        return PageKind("document", article[0])
    if listing:
        return PageKind("list", listing)
    path = urlsplit(page.url).path
    if _ROOT_PATHS.match(path) or page.reached_as == "home":
        return PageKind("home", "网站根地址" if _ROOT_PATHS.match(path) else "抓取起始页")
    if article:
        return PageKind("document", article[0])
    return PageKind("other", "无文章标签、元数据或列表")


def _article_cue(page: Page) -> tuple[str, bool] | None:
    """(cue, strong) when the page is an article; strong cues outrank list evidence (an article
    page often carries a "相关文章" list of its own)."""
    if page.meta_value("ArticleTitle"):
        return "页面标签 ArticleTitle", True
    if "window._CONFIG" in page.text and re.search(r"\bDETAIL\s*:", page.text):
        return "gkmlpt 详情页（_CONFIG.DETAIL）", True
    main = text_of(_article(page.root))
    found = list(_METADATA_LABELS.finditer(main[:6000]))
    labels = {re.sub(r"[\s:：]", "", m.group(0)) for m in found}
    # A catalogue list prints the same labels once, as column headers over many items; a
    # document's block gives each label its value ("索引号：…").
    valued = any(re.match(r"\s*[:：]", main[m.end():m.end() + 3]) or m.group(0)[-1] in ":："
                 for m in found)
    if len(labels) >= 2 and (valued or page.dated_links < 3):
        return f"信息公开元数据（{'、'.join(sorted(labels)[:3])}）", True
    heading = page.heading
    if heading and len(re.sub(r"\s", "", main)) >= 300 and "。" in main:
        return f"文章标题与正文（“{heading[:20]}”）", False
    return None


def _list_cue(page: Page) -> str | None:
    if page.dated_links >= 3 or (page.dated_links and page.reached_as in ("column", "list")):
        return f"带日期或文档地址的列表链接{page.dated_links}个"
    if page.machinery:
        return f"列表脚本：{page.machinery}"
    if page.placeholder:
        return f"列表占位文字“{page.placeholder}”"
    if page.reached_as in ("column", "list") and any(
            (el.get("src") or "").strip() for el in page.root.iter("iframe", "frame")):
        return "栏目页内嵌框架（iframe）"
    if page.meta_value("ColumnName") and not page.meta_value("ArticleTitle") and \
            _PAGER.search(page.text):
        return "栏目页标签与分页控件"
    if page.dated_links and _PAGER.search(page.text):
        return "列表链接与分页控件"
    return None


def _article(root, lists: bool = False):
    """The page's main part: the longest element marked as content (TRS_Editor, zoom, article…;
    with ``lists``, list containers too), else <body>. Navigation and sidebars stay out so
    edits to them are not content changes."""
    hints = _CONTAINER_HINTS + (("list", "lb", "news", "con") if lists else ())
    best, size = None, 0
    for el in root.iter("div", "td", "article", "section", "ul"):
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if marker.strip() and any(h in marker for h in hints):
            length = len(text_of(el))
            if length > size:
                best, size = el, length
    if best is not None:
        return best
    body = root.find(".//body")
    return body if body is not None else root
