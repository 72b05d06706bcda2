"""What the website-indicator rules (检查指标, 第十二条, 第二十条) read from a crawl besides
columns and documents: the home page's dated links, the text of the pages that are the
政府信息公开指南, 目录, 依申请公开 and 政务咨询 areas, and the link texts of navigation pages.

Pure: a :class:`~auditor.parse.page.Page` in, facts out; :mod:`auditor.site_audit` collects
them in its one pass over the stored pages and hands them to the rules in the
:class:`~auditor.engine.SiteContext`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .parse.html import text_of
from .parse.links import SKIP_SCHEMES, date_in, is_attachment, looks_like_document
from .parse.lists import ListItem, items_from_tree
from .parse.page import Page

#: Pages whose text the indicator rules read: the 指南, 目录, 依申请公开, 政务咨询 (留言) areas
#: and the 机构职能 pages a 指南 must keep up with. Matched on the column name, the page title
#: and heading.
INDICATOR_PAGE = re.compile(
    r"指南|公开目录|信息公开目录|法定主动公开|依申请|申请公开|咨询|留言|信箱|问政|诉求|建言|"
    r"机构职能|机构设置|机构概况|机构信息|领导信息|领导简介")
#: Texts are kept up to this many characters (a 指南 is a few thousand; a message page less).
MAX_TEXT = 20000
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class SitePage:
    """One fetched page as the indicator rules see it.

    ``items`` are the page's dated/document links (``ListItem``; ``fields`` holds
    ``("row", text)``, the text of the item's row: a 留言 list's 状态 and 回复时间 are there).
    ``links`` are the page's short links (text, absolute URL); ``forms`` describe each
    ``<form>`` by its field names; ``attachments`` are links to files."""

    url: str
    kind: str
    reached_as: str | None = None
    title: str | None = None
    column: str | None = None
    column_url: str | None = None
    text: str = ""
    items: tuple[ListItem, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    forms: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    machinery: str | None = None
    footer: str = ""

    @property
    def label(self) -> str:
        return self.title or self.column or self.url

    def names(self) -> str:
        """Everything that names the page (for matching what it is)."""
        return " ".join(n for n in (self.column, self.title) if n)


def wanted(view: Page, column_name: str | None, reached_as: str | None) -> bool:
    """Whether the indicator rules need this page's text."""
    if reached_as == "home":
        return True
    names = " ".join(n for n in (column_name, view.title, view.heading,
                                 view.meta_value("ColumnName")) if n)
    return bool(INDICATOR_PAGE.search(names))


def site_page(view: Page, *, kind: str, reached_as: str | None, column: str | None,
              column_url: str | None, title: str | None) -> SitePage:
    """The facts of one page (HTML only; anything else gives an empty text)."""
    if not view.is_html:
        return SitePage(view.url, kind, reached_as, title, column, column_url)
    main, footer = main_and_footer(view)
    return SitePage(
        url=view.url, kind=kind, reached_as=reached_as, title=title, column=column,
        column_url=column_url, text=main[:MAX_TEXT], items=tuple(rows_of(view)),
        links=tuple(links_of(view)), forms=tuple(forms_of(view)),
        attachments=tuple(attachments_of(view)), machinery=view.machinery, footer=footer)


#: Class/id words of a page's chrome: header, navigation, footer (shared by every page, so a
#: footer's 地址/电话 never counts as a 指南's 办公地址/联系电话).
_CHROME = re.compile(r"(?:^|[\s_-])(?:foot\w*|bottom\w*|copyright|copy|header|nav\w*|menu\w*|"
                     r"banner|topbar|top)(?:$|[\s_-])", re.I)
_FOOT = re.compile(r"(?:^|[\s_-])(?:foot\w*|bottom\w*|copyright|copy)(?:$|[\s_-])", re.I)
_SKIP_TAGS = ("script", "style", "noscript", "template")


def main_and_footer(view: Page) -> tuple[str, str]:
    """The page's text without its chrome (header, navigation, footer), and its footer text
    (the elements marked as footer; else the end of the page's text)."""
    body = view.root.find(".//body")
    root = body if body is not None else view.root
    main: list[str] = []
    foot: list[str] = []

    def walk(el, into: list[str]) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        marker = f"{el.get('class') or ''} {el.get('id') or ''}" if tag else ""
        if tag in _SKIP_TAGS:
            target = None
        elif marker.strip() and _FOOT.search(marker):
            target = foot
        elif marker.strip() and _CHROME.search(marker):
            target = None
        else:
            target = into
        if target is not None:
            if el.text:
                target.append(el.text)
            for child in el:
                walk(child, target)
        if el.tail:
            into.append(el.tail)

    walk(root, main)
    text = _WS.sub(" ", " ".join(main)).strip()
    footer = _WS.sub(" ", " ".join(foot)).strip()
    if not footer:
        footer = text[-1500:]  # no element marked as footer: the end of the page's text
    return text, footer[-3000:]


_NOT_A_COLUMN = re.compile(r"^(?:更多|more|首页|返回|上一页|下一页|尾页|末页|打印|关闭|登录|注册|"
                           r"English|无障碍|繁體|简体|网站地图|联系我们|\d+|>>|»)", re.I)
_YEAR_IN = re.compile(r"(?:19|20)\d{2}")


def sub_column_links(view: Page) -> list[tuple[str, str]]:
    """The columns a navigation page of the 政府信息公开 area links in its content (not in its
    header, navigation bar or footer): short link texts to pages that are not documents or
    files (法定主动公开内容 → 机构职能, 重点项目, 政府采购…). (text, absolute URL)."""
    out: list[tuple[str, str]] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        marker = f"{el.get('class') or ''} {el.get('id') or ''}" if tag else ""
        if marker.strip() and (_CHROME.search(marker) or _FOOT.search(marker)):
            return
        if tag == "a":
            href = (el.get("href") or "").strip()
            text = _WS.sub("", el.get("title") or text_of(el) or "")
            if href and not href.lower().startswith(SKIP_SCHEMES) and 2 <= len(text) <= 15 \
                    and not _YEAR_IN.search(text) and not _NOT_A_COLUMN.match(text):
                url = urljoin(view.link_base, href)
                if url.startswith(("http://", "https://")) and not is_attachment(url) \
                        and not looks_like_document(url) and (text, url) not in out:
                    out.append((text, url))
            return
        for child in el:
            walk(child)

    body = view.root.find(".//body")
    walk(body if body is not None else view.root)
    return out


#: The parts of a 政府信息公开目录 entry (第十二条: 索引、名称、内容概述、生成日期), by the labels
#: a catalogue list or an entry's metadata block prints.
CATALOGUE_LABELS = {
    "索引": re.compile(r"索\s*引\s*号?\s*[:：]|索\s*引\s*号"),
    "名称": re.compile(r"名\s*称|标\s*题|题\s*名"),
    "内容概述": re.compile(r"内容概述|内容摘要|内容简介|内容描述|内容提要|摘\s*要"),
    "生成日期": re.compile(r"生成日期|成文日期|形成日期|发文日期|印发日期|制发日期|发布日期|"
                       r"生成时间|成文时间|发布时间"),
}


def catalogue_fields(view: Page) -> tuple[str, ...]:
    """Which 目录 parts an entry page shows (its metadata block). Read from the page's visible
    text, which every document's facts already computed (no second walk of the tree)."""
    if not view.is_html:
        return ()
    text = view.visible_text[:20000]
    found = [name for name, pattern in CATALOGUE_LABELS.items() if pattern.search(text)]
    if "名称" not in found and (view.heading or view.meta_value("ArticleTitle")):
        found.append("名称")  # the entry's own title is its 名称
    return tuple(found)


def rows_of(view: Page) -> list[ListItem]:
    """The page's list items, each with the text of its row (``fields`` ``("row", …)``)."""
    items = items_from_tree(view.root, view.link_base)
    if not items:
        return []
    rows: dict[str, str] = {}
    for a in view.root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(SKIP_SCHEMES):
            continue
        url = urljoin(view.link_base, href)
        if url not in rows:
            rows[url] = _row_text(a)
    return [ListItem(i.url, i.title, i.list_date, (("row", rows.get(i.url, "")),))
            for i in items]


def _row_text(a) -> str:
    """The text of a link's row (li/tr/dl or the wrapper that has its date), never that of a
    container of many links."""
    row, text = a.getparent(), ""
    for _ in range(4):
        if row is None or len(row.findall(".//a")) > 3:
            break
        text = _WS.sub(" ", text_of(row)).strip()
        if row.tag in ("li", "tr", "dl") or (date_in(text) and row.tag != "dd"):
            break
        row = row.getparent()
    return text[:400]


def links_of(view: Page) -> list[tuple[str, str]]:
    """Short links of the page (navigation and column links): (text, absolute URL)."""
    out, seen = [], set()
    for a in view.root.iter("a"):
        href = (a.get("href") or "").strip()
        text = _WS.sub("", a.get("title") or text_of(a) or "")
        if not text or len(text) > 30:
            continue
        url = urljoin(view.link_base, href) if href and not href.lower().startswith(
            SKIP_SCHEMES) else ""
        if (text, url) not in seen:
            seen.add((text, url))
            out.append((text, url))
    return out


def forms_of(view: Page) -> list[str]:
    """Each form as the names/labels of its fields (“姓名 联系电话 申请内容 …”)."""
    out = []
    for form in view.root.iter("form"):
        names = []
        for field in form.iter("input", "textarea", "select"):
            kind = (field.get("type") or "").lower()
            if kind in ("hidden", "submit", "button", "image", "reset"):
                continue
            names.append(field.get("placeholder") or field.get("title") or field.get("name")
                         or field.get("id") or field.tag)
        label = _WS.sub(" ", text_of(form)).strip()[:200]
        if names:
            out.append(" ".join(n for n in names if n) + (" | " + label if label else ""))
    return out


def attachments_of(view: Page) -> list[str]:
    out = []
    for a in view.root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(SKIP_SCHEMES):
            url = urljoin(view.link_base, href)
            if is_attachment(url) and url not in out:
                out.append(url)
    return out


def host_is_address(url: str) -> bool:
    """Whether the URL's host is an IP address or ``localhost`` (an address a site was
    reached by, such as a local replica, not its domain name)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    return bool(re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host) or ":" in host)
