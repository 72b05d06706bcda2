"""TRS (拓尔思): WCM static lists, the "trt" avalon front ends and the search APIs behind them."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urljoin

from auditor.parse.lists import (
    ListItem,
    ListReading,
    PageRequest,
    generic_reading,
    items_from_tree,
    pages_from_tree,
)
from auditor.parse.page import Page
from auditor.timefmt import day_of_timestamp

from .base import ListAdapter, balanced, js_object, json_of, origin

_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
    r"(?:\s*['\"]?(\d+)['\"]?\s*,)?\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")
#: Pagers claiming more pages than this are read up to the cap; the rest is reported.
MAX_LIST_PAGES = 1000


class TrsAdapter(ListAdapter):
    """TRS WCM static lists: ``createPageHTML(total, current, "index", "html")`` (or the
    three-number form ``createPageHTML(records, total, current, …)``) writes the pager in script;
    page 0 is ``index.html``, page n ``index_n.html`` (``.shtml``, ``.htm`` alike).

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
#: ``classsql: "" || "chnlid=1813"``, or assigned in the page's own branches (``classsql =
#: "chnlid=1728"``): a plain ``chnlid=N`` literal, the last one in the page.
_CLASSSQL = re.compile(r"classsql\s*[:=][^;\n]*?['\"](chnlid\s*=\s*\d+)['\"]")
_CHANNEL = re.compile(r"channelid\s*:\s*['\"]?(\d+)")
_SEARCH_ID = re.compile(r"searchId\s*:\s*['\"]?(\d+)")
_SORT = re.compile(r"sortfield\s*:\s*['\"]([^'\"]+)['\"]")
#: The Fujian 集约化 template's list API (cms-variants.md §4, PT-CRAWL): its path sits in the
#: template's ``list2.trsapi`` module, not in the page, so it is used only for that template.
FJ_SEARCH = "/fjdzapp/search"


class TrsAvalonAdapter(ListAdapter):
    """TRS "trt" front ends (Fujian 集约化 template): a ``listModel({quickMode: "动态" |
    "动静结合", listArgs: {channelid, classsql: "chnlid=N", sortfield}, pagebar: {prepage,
    recordCount}})`` call; static items sit in ``ms-visible="showStatic"`` blocks, the rest
    comes from ``POST /fjdzapp/search`` (form channelid — ``SiteInfo.searchId`` when the call
    names it —, classsql, sortfield, page, prepage; JSON ``{data: [{doctitle, docpuburl,
    chnldocurl, docreltime, fileno, idxid}], pageCount}``).

    Built from ``trs-pingtan-list-nianbao.html`` (动静结合, 10 static items, recordCount 20),
    ``trs-pingtan-list-gwhwj-cxjs.html`` (动态, no static item) in shared/corpus/pages, and the
    request PT-CRAWL sends (cms-variants.md §4)."""

    name = "trs-avalon"

    def cue(self, page: Page) -> str | None:
        m = _LIST_MODEL.search(page.text)
        return f"拓尔思 avalon 列表（quickMode “{m.group(1)}”）" if m else None

    def read(self, page: Page, cue: str) -> ListReading:
        text = page.text
        mode = _LIST_MODEL.search(text).group(1)
        count = _RECORD_COUNT.search(text)
        declared = int(count.group(1)) if count else None
        items = tuple(items_from_tree(page.root, page.link_base))
        pages = tuple(pages_from_tree(page.root, page.link_base, page.url))
        if declared is not None and declared <= len(items) and mode != "动态":
            return ListReading(self.name, cue, items, pages, declared_items=declared)
        request = self._search(page)
        if request is not None:
            return ListReading(self.name, cue, items, pages + (request,), declared_items=declared)
        if mode == "动态" and not items:
            unfollowed = "动态列表（quickMode “动态”）：条目由脚本调用检索接口加载，页面中未找到接口参数"
        else:
            unfollowed = (f"动静结合列表：静态页列出{len(items)}条"
                          + (f"，页面声称共{declared}条" if declared is not None else "")
                          + "，其余条目由脚本动态加载，页面中未找到接口参数")
        return ListReading(self.name, cue, items, pages, declared_items=declared,
                           unfollowed=unfollowed)

    @staticmethod
    def _search(page: Page) -> PageRequest | None:
        text = page.text
        found = list(_CLASSSQL.finditer(text))
        classsql = found[-1] if found else None
        channel = _CHANNEL.search(text) or _SEARCH_ID.search(text)
        if not (classsql and channel and ("trsapi" in text or FJ_SEARCH in text)):
            return None
        prepage = _PREPAGE.search(text)
        sort = _SORT.search(text)
        form = (("channelid", channel.group(1)), ("sortfield", sort.group(1) if sort
                                                   else "-docreltime"),
                ("classsql", re.sub(r"\s", "", classsql.group(1))), ("page", "1"),
                ("prepage", prepage.group(1) if prepage else "15"))
        headers = (("Referer", page.url.split("#", 1)[0]), ("X-Requested-With",
                                                             "XMLHttpRequest"))
        return PageRequest(origin(page.url) + FJ_SEARCH, "POST", form, headers)


def _day(value) -> str | None:
    """A list date from a TRS/UCAP field: ``"2026-03-10 12:56:00"``, or a timestamp (s/ms)."""
    if value in (None, "", "null"):
        return None
    if isinstance(value, (int, float)) or str(value).isdigit():
        return day_of_timestamp(value)
    m = re.match(r"\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", str(value))
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


class TrsSearchAnswerAdapter(ListAdapter):
    """The answer of the Fujian TRS list API (``POST /fjdzapp/search``): JSON ``data`` (or
    ``docs`` with ``templet=docs.jsp``) and ``pageCount``; the first page schedules the rest."""

    name = "trs-avalon"

    def cue(self, page: Page) -> str | None:
        if FJ_SEARCH not in page.url:
            return None
        data = json_of(page)
        if isinstance(data, dict) and ("data" in data or "docs" in data):
            return "拓尔思检索接口 /fjdzapp/search 的回答"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        data = json_of(page)
        rows = data.get("data") if isinstance(data.get("data"), list) else data.get("docs") or []
        items = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            href = row.get("chnldocurl") or row.get("docpuburl") or row.get("url")
            if not href:
                continue
            fields = tuple((k, str(row[k])) for k in ("fileno", "idxid", "docsourcename")
                           if row.get(k) not in (None, ""))
            items.append(ListItem(urljoin(page.base_url, str(href)),
                                  re.sub(r"<[^>]+>", "", str(row.get("doctitle") or "")),
                                  _day(row.get("docreltime") or row.get("pubdate")), fields))
        url, _, sent = page.url.partition("#")
        form = dict(parse_qsl(sent))
        pages = []
        page_count = data.get("pageCount")
        if form.get("page") == "1" and isinstance(page_count, int):
            for number in range(2, min(page_count, 1000) + 1):
                next_form = tuple((k, str(number) if k == "page" else v) for k, v in form.items())
                pages.append(PageRequest(url, "POST", next_form,
                                         (("Referer", page.base_url),
                                          ("X-Requested-With", "XMLHttpRequest"))))
        declared = data.get("total") if isinstance(data.get("total"), int) else None
        if declared is None and isinstance(page_count, int) and form.get("prepage", "").isdigit():
            declared = None  # pageCount alone does not give the exact count
        return ListReading(self.name, cue, tuple(items), tuple(pages), declared_items=declared,
                           declared_pages=page_count if isinstance(page_count, int) else None)


# ----------------------------------------------------------------------- TRS IRS search

_IRS_CONFIG = re.compile(r"tableName\s*['\"]?\s*:\s*['\"](t_\w+)['\"]")


class TrsIrsAdapter(ListAdapter):
    """TRS "IRS" search service lists (cms-variants.md §4): ``POST /irs/front/list`` with a JSON
    body ``{pageNo, pageSize, tenantId, tableName, customFilter, sorts…}`` → ``data.list`` and
    ``data.pager.total``. The request body is taken from the page's own script configuration
    (an object literal with ``tableName``); pages whose configuration lives only in a script
    bundle are reported as not read.

    Built from the request shapes of gxggzy.gxzf.gov.cn, rst.guizhou.gov.cn and cq.gov.cn quoted
    in cms-variants.md §4 (no saved sample)."""

    name = "trs-irs"

    def cue(self, page: Page) -> str | None:
        if "/irs/front/list" in page.url:
            return "拓尔思 IRS 检索接口的回答" if isinstance(json_of(page), dict) else None
        return "拓尔思 IRS 检索接口 /irs/front/list" if "/irs/front/list" in page.text else None

    def read(self, page: Page, cue: str) -> ListReading:
        if "/irs/front/list" in page.url:
            return self._answer(page, cue)
        m = _IRS_CONFIG.search(page.text)
        if not m:
            return ListReading(self.name, cue, unfollowed="IRS 检索接口的参数（tableName 等）不在页面中，"
                               "需执行脚本包才能取得")
        start = page.text.rfind("{", 0, m.start())
        config = js_object(balanced(page.text, start)[1:-1]) if start >= 0 else {}
        body = {"pageNo": 1, "pageSize": int(config.get("pageSize") or 15),
                "tableName": m.group(1), "tenantId": config.get("tenantId", ""),
                "isPage": True, "trackTotalHits": True}
        if config.get("code"):
            body["code"] = config["code"]
        return ListReading(self.name, cue, pages=(self._request(page, body),))

    @staticmethod
    def _request(page: Page, body: dict) -> PageRequest:
        return PageRequest(origin(page.url) + "/irs/front/list", "POST",
                           (("__json__", json.dumps(body, ensure_ascii=False,
                                                    separators=(",", ":"))),),
                           (("Referer", page.base_url), ("Content-Type", "application/json")))

    def _answer(self, page: Page, cue: str) -> ListReading:
        data = (json_of(page) or {}).get("data") or {}
        items = []
        for row in data.get("list") or []:
            if not isinstance(row, dict):
                continue
            href = next((row[k] for k in ("url", "docpuburl", "f_url", "link") if row.get(k)), None)
            title = next((row[k] for k in ("title", "doctitle", "f_title") if row.get(k)), "")
            date = next((row[k] for k in ("pubdate", "save_time", "docreltime", "f_pubdate")
                         if row.get(k)), None)
            if href:
                items.append(ListItem(urljoin(page.base_url, str(href)),
                                      re.sub(r"<[^>]+>", "", str(title)), _day(date)))
        pager = data.get("pager") or {}
        total = pager.get("total") if isinstance(pager.get("total"), int) else None
        url, _, sent = page.url.partition("#")
        pages: list[PageRequest] = []
        try:
            body = json.loads(dict(parse_qsl(sent)).get("__json__", "{}"))
        except ValueError:
            body = {}
        if body.get("pageNo") == 1 and total:
            size = int(body.get("pageSize") or 15)
            for number in range(2, min(math.ceil(total / size), 1000) + 1):
                pages.append(self._request(page, {**body, "pageNo": number}))
        return ListReading(self.name, cue, tuple(items), tuple(pages), declared_items=total)
