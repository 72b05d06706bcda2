"""What a list page lists: its items, the further pages of its list, and what it could not follow.

A :class:`ListReading` is the evidence coverage is judged on (design.md §9): a column is read
completely only when its items were extracted and every further page was fetched; a page that
shows list machinery (a script or template that builds the list) but yields no items is *not
read*, never *empty*. The CMS adapters (``auditor.spiders.adapters``) build readings with the
helpers here. Pure: a :class:`~auditor.parse.page.Page` in, a reading out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from w3lib.url import canonicalize_url, safe_url_string

from .html import text_of
from .links import (
    SKIP_SCHEMES,
    date_in,
    is_attachment,
    is_column_link,
    looks_like_document,
    site_of,
)
from .page import Page

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ListItem:
    """One entry of a list: where it points, its title, the date printed beside it and any
    other fields the list gives (索引号, 文号…)."""

    url: str
    title: str
    list_date: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    #: The 成文日期 a list API gives for the item (ISO date), when it gives one.
    issued: str | None = None


@dataclass(frozen=True)
class PageRequest:
    """A further page of a list, as the crawler must ask for it."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """How the store names this page (a POST carries its form after ``#``)."""
        if self.method == "POST":
            return f"{self.url}#{urlencode(self.form)}"
        return self.url


@dataclass(frozen=True)
class ListReading:
    """What one list page yielded, and how (``adapter``, ``cue``)."""

    adapter: str
    cue: str
    items: tuple[ListItem, ...] = ()
    pages: tuple[PageRequest, ...] = ()
    #: Totals the page itself claims (a pager, ``totalRecord``, ``recordCount``), if any.
    declared_items: int | None = None
    declared_pages: int | None = None
    #: A part of the list this reading cannot follow (a dynamic remainder, an unknown API):
    #: the column is then at best partly read.
    unfollowed: str | None = None
    #: A "暂无信息" placeholder: the list provably has no items.
    placeholder: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def state(self) -> str:
        """``items``, ``empty`` (a placeholder and nothing else), ``unread`` (machinery seen,
        no items) or ``none`` (no list on this page)."""
        if self.items:
            return "items"
        if self.unfollowed:
            return "unread"
        if self.placeholder:
            return "empty"
        return "none"

    def to_json(self) -> str:
        """The reading as JSON (the audit keeps it across runs: an unchanged list page is not
        read again); :meth:`from_json` gives back an equal reading."""
        return json.dumps([
            self.adapter, self.cue,
            [[i.url, i.title, i.list_date, i.fields, i.issued] for i in self.items],
            [[p.url, p.method, p.form, p.headers] for p in self.pages],
            self.declared_items, self.declared_pages, self.unfollowed, self.placeholder,
            self.notes], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ListReading:
        (adapter, cue, items, pages, declared_items, declared_pages, unfollowed, placeholder,
         notes) = json.loads(text)

        def pairs(values) -> tuple[tuple[str, str], ...]:
            return tuple((name, value) for name, value in values)

        return cls(adapter, cue,
                   tuple(ListItem(url, title, list_date, pairs(fields), issued)
                         for url, title, list_date, fields, issued in items),
                   tuple(PageRequest(url, method, pairs(form), pairs(headers))
                         for url, method, form, headers in pages),
                   declared_items, declared_pages, unfollowed, placeholder, tuple(notes))


def url_key(url: str) -> str:
    """A URL as the crawl stores it, for matching listed items with fetched pages."""
    if url.isascii() and "%" not in url and " " not in url:
        return url.split("#", 1)[0]  # the common case, without w3lib's full canonicalisation
    try:
        return canonicalize_url(safe_url_string(url.split("#", 1)[0]), keep_fragments=False)
    except (ValueError, TypeError):
        return url


def _anchor_text(a) -> str:
    return _WS.sub(" ", a.get("title") or text_of(a) or "").strip()


def _template(href: str) -> bool:
    """Placeholders of client-side templates ({{el.url}}, ${url}, el.chnldocurl)."""
    return "{{" in href or "${" in href or href.startswith(("el.", "item."))


def items_from_tree(root, base_url: str) -> list[ListItem]:
    """Document links of a list page: the link looks like a document, or its row has a date."""
    out: list[ListItem] = []
    seen: set[str] = set()
    home = site_of(base_url)
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(SKIP_SCHEMES) or _template(href):
            continue
        url = urljoin(base_url, href)
        if url in seen or is_attachment(url) or urlsplit(url).scheme not in ("http", "https"):
            continue
        if site_of(url) != home:
            continue  # a link to another site (人民日报, 中国政府网…) is not an item of this list
        text = _anchor_text(a)
        row_text = _row_text(a)
        date = date_in(row_text)
        if looks_like_document(url) or (date and len(text) >= 4 and not is_column_link(text, url)):
            seen.add(url)
            out.append(ListItem(url, text, date))
    return out


def _row_text(a) -> str:
    """The text of the link's row: its li/tr/dd/dl (or the wrapper that holds its date), never
    a container of many links (a navigation bar is not one item's row)."""
    row, text = a.getparent(), ""
    for _ in range(3):
        if row is None or len(row.findall(".//a")) > 3:
            break
        text = text_of(row)
        if date_in(text) or row.tag in ("li", "tr", "dd", "dl"):
            break
        row = row.getparent()
    if row is not None and row.tag == "dd" and not date_in(text):
        parent = row.getparent()  # <dl><dd><a/></dd><dd>date</dd></dl>
        if parent is not None and len(parent.findall(".//a")) <= 3:
            text = text_of(parent)
    return text if len(text) < 400 else ""


def items_from_fragments(fragments: list[str], base_url: str) -> list[ListItem]:
    """Items of HTML snippets a list API returns (one ``<li>`` or ``<tr>`` each)."""
    from .html import parse_html

    if not fragments:
        return []
    root = parse_html("<html><body><ul>" + "".join(fragments) + "</ul></body></html>")
    return items_from_tree(root, base_url)


_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|›|»|>)$")
_INDEX_N = re.compile(r"index_(\d+)\.s?html?$")


def pages_from_tree(root, base: str, url: str | None = None) -> list[PageRequest]:
    """“下一页” and numbered page links, and ``index_N.html`` siblings of the page at ``url``
    (links resolve against ``base``)."""
    url = url or base
    out: list[PageRequest] = []
    seen = {url}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(SKIP_SCHEMES) or _template(href):
            continue
        text = _WS.sub("", text_of(a))
        target = urljoin(base, href)
        if target in seen:
            continue
        if _NEXT_TEXT.match(text) or (text.isdigit() and len(text) <= 4
                                      and same_list(target, url)):
            seen.add(target)
            out.append(PageRequest(target))
        elif _INDEX_N.search(urlsplit(target).path) and same_list(target, url):
            seen.add(target)
            out.append(PageRequest(target))
    return out


def frames_of(page: Page) -> tuple[PageRequest, ...]:
    """Same-site ``<iframe>``/``<frame>`` sources of a page (the list a column page frames)."""
    home = site_of(page.url)
    out = []
    for el in page.root.iter("iframe", "frame"):
        src = (el.get("src") or "").strip()
        if not src or src.lower().startswith(SKIP_SCHEMES) or src.lower() == "about:blank":
            continue
        url = urljoin(page.link_base, src)
        if urlsplit(url).scheme in ("http", "https") and site_of(url) == home:
            out.append(PageRequest(url))
    return tuple(out)


def same_list(url: str, current: str) -> bool:
    """Another page of the same list: same folder (index.html ↔ index_2.html, ?page=2)."""
    a, b = urlsplit(url), urlsplit(current)
    return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]


def generic_reading(page: Page, *, adapter: str = "generic", cue: str = "页面链接") -> ListReading:
    """The fallback every page gets: dated/document links and 下一页/index_N pages. Machinery
    the generic reader cannot follow makes the list at best partly read."""
    items = tuple(items_from_tree(page.root, page.link_base))
    pages = tuple(pages_from_tree(page.root, page.link_base, page.url))
    if not items:
        frames = frames_of(page)
        if frames:  # the list lives in an <iframe>/<frame> of the column page
            return ListReading(adapter, "内嵌框架（iframe）中的列表", (), pages + frames)
    unfollowed = None
    # A script that asks some address for JSON is common on pages that list statically too
    # (counters, menus): it makes a list doubtful only when the page lists nothing itself.
    weak = page.machinery == "脚本请求的列表接口"
    if page.machinery and not (weak and items):
        unfollowed = (f"页面含列表脚本（{page.machinery}），本工具未能读取其动态加载的条目"
                      if not items else
                      f"页面含列表脚本（{page.machinery}），静态条目之外可能还有动态加载的条目")
    return ListReading(adapter, cue, items, pages, unfollowed=unfollowed,
                       placeholder=page.placeholder if not items else None)
