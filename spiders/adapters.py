"""List-page adapters: each CMS family says where a column's items and further pages are.

An adapter is pure: it reads a :class:`~auditor.parse.page.Page` and returns a
:class:`~auditor.parse.lists.ListReading` — the items, the requests for the column's other
pages, the totals the page claims and any part of the list it cannot follow. The spider turns
the requests into Scrapy requests; the offline audit reads the stored pages with the same
adapters to judge coverage. Each adapter names the cue it matched on, so a list met in the field
that no adapter reads is reported with what was seen, and a new variant is one class here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from auditor.parse.lists import (
    ListReading,
    PageRequest,
    generic_reading,
    items_from_fragments,
    items_from_tree,
    pages_from_tree,
)
from auditor.parse.page import Page


class ListAdapter:
    """Base: generic HTML lists — links that look like documents or have a date beside them,
    and 下一页 / numbered / ``index_N`` pager links."""

    name = "generic"

    def cue(self, page: Page) -> str | None:
        return "页面链接"

    def read(self, page: Page, cue: str) -> ListReading:
        return generic_reading(page, adapter=self.name, cue=cue)


# ---------------------------------------------------------------------------- TRS WCM

_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
    r"(?:\s*['\"]?(\d+)['\"]?\s*,)?\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")
#: Pagers claiming more pages than this are read up to the cap; the rest is reported.
MAX_LIST_PAGES = 1000


class TrsAdapter(ListAdapter):
    """TRS WCM static lists: ``createPageHTML(total, current, "index", "html")`` (or the
    three-number form ``createPageHTML(records, total, current, …)``) writes the pager in script;
    page 0 is ``index.html``, page n ``index_n.html``.

    Built from the Pingtan TRS pages and the Beijing/Guizhou forms quoted in
    docs/cms-variants.md §4 (HULE-BJ ``_get_total_pages``)."""

    name = "trs"

    def cue(self, page: Page) -> str | None:
        return "TRS 分页脚本 createPageHTML" if _TRS_PAGER.search(page.text) else None

    def read(self, page: Page, cue: str) -> ListReading:
        base = generic_reading(page, adapter=self.name, cue=cue)
        m = _TRS_PAGER.search(page.text)
        numbers = [int(g) for g in m.groups()[:3] if g is not None]
        records = numbers[0] if len(numbers) == 3 else None
        total = numbers[-2]
        stem, ext = m.group(4), m.group(5)
        folder = page.url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[0] + "/"
        shown = min(total, MAX_LIST_PAGES)
        pages = [PageRequest(f"{folder}{stem}.{ext}")] + [
            PageRequest(f"{folder}{stem}_{i}.{ext}") for i in range(1, shown)]
        notes = () if shown == total else (f"分页声称{total}页，只读取前{shown}页",)
        return ListReading(self.name, cue, base.items, tuple(pages), declared_items=records,
                           declared_pages=total, unfollowed=base.unfollowed,
                           placeholder=base.placeholder, notes=notes)


# ------------------------------------------------------------------- TRS trt / avalon

_LIST_MODEL = re.compile(r"quickMode\s*:\s*['\"]([^'\"]+)['\"]")
_RECORD_COUNT = re.compile(r"recordCount\s*:\s*['\"]?(\d+)")
_PREPAGE = re.compile(r"prepage\s*:\s*['\"]?(\d+)")


class TrsAvalonAdapter(ListAdapter):
    """TRS "trt" front ends (Fujian 集约化 template): a ``listModel({quickMode: "动态" |
    "动静结合", listArgs: {...}, pagebar: {prepage, recordCount}})`` call; static items sit in
    ``ms-visible="showStatic"`` blocks, the rest is fetched by script.

    Built from ``trs-pingtan-list-nianbao.html`` (动静结合, 10 static items, recordCount 20)
    and ``trs-pingtan-list-gwhwj-cxjs.html`` (动态, no static items) in shared/corpus/pages."""

    name = "trs-avalon"

    def cue(self, page: Page) -> str | None:
        m = _LIST_MODEL.search(page.text)
        return f"拓尔思 avalon 列表（quickMode “{m.group(1)}”）" if m else None

    def read(self, page: Page, cue: str) -> ListReading:
        mode = _LIST_MODEL.search(page.text).group(1)
        count = _RECORD_COUNT.search(page.text)
        declared = int(count.group(1)) if count else None
        items = tuple(items_from_tree(page.root, page.link_base))
        pages = tuple(pages_from_tree(page.root, page.link_base, page.url))
        unfollowed = None
        if mode == "动态" and not items:
            unfollowed = "动态列表（quickMode “动态”）：条目由脚本调用检索接口加载，页面中没有静态条目"
        elif declared is None or declared > len(items):
            unfollowed = (f"动静结合列表：静态页列出{len(items)}条"
                          + (f"，页面声称共{declared}条" if declared is not None else "")
                          + "，其余条目由脚本动态加载")
        return ListReading(self.name, cue, items, pages, declared_items=declared,
                           unfollowed=unfollowed)


# ---------------------------------------------------------------------- Hanweb (大汉)

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S | re.I)
_JPAGE = re.compile(r"\$\(\s*['\"]#([\w-]+)['\"]\s*\)\s*\.jpage\s*\(\s*\{(.*?)\}\s*\)", re.S)
_PROXY = re.compile(r"(/module/(?:web/|jslib/jquery/)?jpage/(?:morecolumn|metasearch)?dataproxy"
                    r"\.jsp[^\"'<>\s]*)")


def js_object(text: str) -> dict[str, str]:
    """The flat ``key: value`` pairs of a JavaScript object literal (unquoted or quoted keys,
    numbers or quoted strings); nested objects are returned as their source text."""
    out: dict[str, str] = {}
    i, n = 0, len(text)
    key_re = re.compile(r"\s*,?\s*['\"]?([A-Za-z_$][\w$]*)['\"]?\s*:\s*")
    while i < n:
        m = key_re.match(text, i)
        if not m:
            break
        key, j = m.group(1), m.end()
        if j >= n:
            break
        ch = text[j]
        if ch in "'\"":
            end = text.find(ch, j + 1)
            end = n if end < 0 else end
            out[key] = text[j + 1:end]
            i = end + 1
        elif ch in "{[":
            depth, k = 0, j
            while k < n:
                if text[k] in "{[":
                    depth += 1
                elif text[k] in "}]":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            out[key] = text[j + 1:k]
            i = k + 1
        else:
            m2 = re.match(r"[^,}\n]*", text[j:])
            out[key] = m2.group(0).strip()
            i = j + m2.end()
    return out


class HanwebAdapter(ListAdapter):
    """Hanweb jcms ``/col/colN/`` lists (docs/cms-variants.md §1): the first group of records sits
    in ``<script type="text/xml"><datastore>…<recordset><record><![CDATA[<li>…]]>``, the rest
    comes from ``dataproxy.jsp`` (POST ``startrecord/endrecord/perpage`` with the ``ajaxParam``
    form of the ``$('#unitid').jpage({...})`` call, or GET the ``<nextgroup>`` href). A page
    with only the jpage call (``dataStore: []``) gets all its groups by POST; the unit id comes
    from the element id when ``ajaxParam`` lacks it.

    Built from ``hanweb-dingxi-datastore-col12377.xml`` (45 records = one group, no
    ``<totalrecord>``, duplicated ``appid``, double-encoded ``webname``, a record on another host)
    and the jpage calls quoted in cms-variants.md §1.2 (H1–H4)."""

    name = "hanweb"

    def cue(self, page: Page) -> str | None:
        text = page.text
        if "<datastore>" in text.lower():
            return "大汉 datastore 列表数据"
        if _JPAGE.search(text):
            return "大汉 jpage 列表配置"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        text = page.text
        url, _, sent = page.url.partition("#")
        records = _RECORD.findall(text)
        items = tuple(items_from_fragments(records, page.base_url))
        total_m = _TOTAL_RECORD.search(text)
        jpage = _JPAGE.search(text)
        config = js_object(jpage.group(2)) if jpage else {}
        total = int(total_m.group(1)) if total_m else (
            int(config["totalRecord"]) if config.get("totalRecord", "").isdigit() else None)
        query = dict(parse_qsl(urlsplit(url).query))
        nextgroup = _NEXTGROUP.search(text)
        pages: list[PageRequest] = []
        unfollowed = None
        if "startrecord" in query:
            # A proxy answer to a POST window. The first window, sent before the total was
            # known, schedules the rest.
            if query.get("startrecord") == "1" and total:
                per = int(query.get("perpage") or 15)
                group = int(query.get("endrecord") or per)
                pages = _windows(url.split("?", 1)[0], dict(parse_qsl(sent)), group + 1, total,
                                 group, per, page.base_url)
        elif jpage and _PROXY.search(config.get("proxyUrl", "")) and config.get("ajaxParam"):
            per = int(config.get("perPage") or config.get("perpage") or 15)
            group = per * int(config.get("groupSize") or 3)
            form = js_object(config["ajaxParam"])
            form.setdefault("unitid", jpage.group(1))  # cms-variants.md §1.2 H4
            proxy = urljoin(url, _PROXY.search(config["proxyUrl"]).group(1).split("?", 1)[0])
            if total is not None:
                pages = _windows(proxy, form, len(records) + 1, total, group, per, page.base_url)
            else:  # total unknown: ask for the first window, its answer says the total
                pages = _windows(proxy, form, 1, group, group, per, page.base_url)
        elif nextgroup and records:
            # GET the next group exactly as the page's own <nextgroup> link says.
            target = urljoin(url, nextgroup.group(1).replace("&amp;", "&"))
            if target != url:
                pages = [PageRequest(target)]
        elif not records:
            unfollowed = "大汉 jpage 列表：未找到数据接口（proxyUrl/ajaxParam 或 nextgroup）"
        elif total is not None and len(records) < total and "dataproxy" not in url:
            unfollowed = f"大汉列表共{total}条，页面只带{len(records)}条，未找到分页接口参数"
        return ListReading(self.name, cue, items, tuple(pages), declared_items=total,
                           unfollowed=unfollowed)


def _windows(proxy: str, form: dict[str, str], start: int, total: int, group: int, per: int,
             referer: str) -> list[PageRequest]:
    out = []
    form_items = tuple((k, str(v)) for k, v in form.items())
    headers = (("Referer", referer), ("X-Requested-With", "XMLHttpRequest"))
    for first in range(start, min(total, 20000) + 1, group):
        last = min(first + group - 1, total)
        query = urlencode({"startrecord": first, "endrecord": last, "perpage": per})
        out.append(PageRequest(f"{proxy}?{query}", "POST", form_items, headers))
    return out


#: Tried in order; the first whose cue matches a list page reads it (generic is the fallback).
ADAPTERS: list[ListAdapter] = [HanwebAdapter(), TrsAvalonAdapter(), TrsAdapter(), ListAdapter()]


def read_list(page: Page) -> ListReading:
    """The list a page carries, read by the first adapter that recognises it."""
    for adapter in ADAPTERS:
        cue = adapter.cue(page)
        if cue:
            return adapter.read(page, cue)
    raise AssertionError("the generic adapter always matches")  # pragma: no cover
