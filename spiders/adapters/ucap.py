"""UCAP 开普云 lists: docs/cms-variants.md §3."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from auditor.parse.lists import ListItem, ListReading, PageRequest
from auditor.parse.page import Page

from .base import ListAdapter, json_of, origin
from .trs import _day

_ENDPOINT = re.compile(r"(/(?:[\w-]+/)*?(?:common/search|searchList))/([0-9a-fA-F]{32}|[\w-]{4,64})")
_META_CHANNEL = re.compile(r"<meta[^>]+name=[\"']channelid[\"'][^>]*content=[\"']([\w-]+)", re.I)
_TOKEN = re.compile(r"[?&]UAta9QfS=")
PAGE_SIZE = 20


class UcapAdapter(ListAdapter):
    """UCAP list pages: the page's script calls ``GET /common/search/{channelId}`` (or
    ``/searchList/{channelId}``) with ``_isAgg=true&_isJson=true&_pageSize=20&_template=index&
    page=N``, answered by JSON ``{"data": {"page", "rows", "total", "results": [{title, url
    (site- or protocol-relative), publishedTimeStr, domainMetaList…}]}}``; pages run to
    ``ceil(total / rows)``. The channel id is in the script or in ``<meta name="channelid">``.
    An XHR rewritten with a dynamic token (``?UAta9QfS=``) is a browser-only protection: reported
    as not read.

    Built from the hlj.gov.cn, gdj.gansu.gov.cn and csrc.gov.cn callers and responses quoted in
    cms-variants.md §3 (no saved sample)."""

    name = "ucap"

    def cue(self, page: Page) -> str | None:
        if _ENDPOINT.search(urlsplit(page.url).path):
            data = json_of(page)
            return "开普云 UCAP 列表接口的回答" if isinstance(data, dict) else None
        if _ENDPOINT.search(page.text):
            return "开普云 UCAP 列表接口（/common/search）"
        if _META_CHANNEL.search(page.text) and "ucap" in page.text.lower():
            return "开普云 UCAP 栏目标识（meta channelid）"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        if _ENDPOINT.search(urlsplit(page.url).path):
            return self._answer(page, cue)
        if _TOKEN.search(page.text):
            return ListReading(self.name, cue, unfollowed="UCAP 列表接口带动态令牌（UAta9QfS，浏览器级防护），"
                               "无法在不执行脚本的情况下读取")
        m = _ENDPOINT.search(page.text)
        if m:
            endpoint, channel = m.group(1), m.group(2)
        else:
            endpoint, channel = "/common/search", _META_CHANNEL.search(page.text).group(1)
        return ListReading(self.name, cue, pages=(self.request(page.url, endpoint, channel, 1),))

    @staticmethod
    def request(page_url: str, endpoint: str, channel: str, number: int) -> PageRequest:
        query = {"_isAgg": "true", "_isJson": "true", "_pageSize": PAGE_SIZE,
                 "_template": "index", "_rangeTimeGte": "", "_channelName": "", "page": number}
        return PageRequest(f"{origin(page_url)}{endpoint}/{channel}?{urlencode(query)}",
                           headers=(("Referer", page_url.split("#", 1)[0]),
                                    ("X-Requested-With", "XMLHttpRequest")))

    def _answer(self, page: Page, cue: str) -> ListReading:
        data = (json_of(page) or {}).get("data") or {}
        items = []
        for row in data.get("results") or []:
            if not isinstance(row, dict) or not row.get("url"):
                continue
            fields = []
            for group in row.get("domainMetaList") or []:
                for meta in (group or {}).get("resultList") or []:
                    value = (meta or {}).get("value")
                    if value not in (None, "", "null"):
                        fields.append((str(meta.get("key") or meta.get("name")), str(value)))
            items.append(ListItem(urljoin(page.url, str(row["url"])),
                                  re.sub(r"<[^>]+>", "", str(row.get("title") or "")),
                                  _day(row.get("publishedTimeStr") or row.get("publishedTime")),
                                  tuple(fields)))
        total = data.get("total") if isinstance(data.get("total"), int) else None
        rows = data.get("rows") if isinstance(data.get("rows"), int) and data.get("rows") \
            else PAGE_SIZE
        query = dict(parse_qsl(urlsplit(page.url).query))
        pages = []
        if query.get("page") == "1" and total:
            m = _ENDPOINT.search(urlsplit(page.url).path)
            referer = page.base_url if page.base_url != page.url else page.url
            for number in range(2, min(math.ceil(total / rows), 1000) + 1):
                pages.append(self.request(referer if referer.startswith("http") else page.url,
                                          m.group(1), m.group(2), number))
        return ListReading(self.name, cue, tuple(items), tuple(pages), declared_items=total)
