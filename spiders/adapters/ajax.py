"""Ajax JSON lists in general: a column page whose script fetches its items from a JSON address
written in the page itself (``$.ajax({url: "/api/list?columnId=12&pageNo=1"…})``,
``$.getJSON("…/list.json")``, ``fetch("…")``, ``axios.get("…")``). The answer's item array is
found by its shape — objects with an address and a title — and its totals by their usual names;
no browser is run (docs/cms-variants.md §5: Shanghai's district list API, the Anhui/Jiangxi
``pageIndex`` pattern and the other platforms that load lists by ajax)."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from auditor.parse.lists import ListItem, ListReading, PageRequest
from auditor.parse.page import Page

from .base import ListAdapter, json_of
from .trs import _day

_CALL = re.compile(r"\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|\baxios(?:\.get|\.post)?\s*\(")
_URL = re.compile(r"""(?:url\s*:\s*|\(\s*)['"]((?:/|\.\./|\./|https?://)[^'"\s]{3,200})['"]""")
_LISTY = re.compile(r"list|page|query|search|column|channel|\.json", re.I)
_PAGE_KEYS = ("page", "pageNo", "pageIndex", "pageNum", "currpage", "currentPage", "p")
_LINK_KEYS = ("url", "link", "href", "docpuburl", "path", "detailUrl", "pageUrl", "linkurl")
_TITLE_KEYS = ("title", "doctitle", "name", "docTitle", "subject")
_DATE_KEYS = ("publishDate", "pubDate", "pubdate", "publish_time", "publishTime", "releaseDate",
              "display_date", "displayDate", "date", "createTime", "created_at", "docreltime",
              "fbrq", "time")
_TOTAL_KEYS = ("total", "totalCount", "totalRecord", "totalNum", "count", "recordCount")
_PAGES_KEYS = ("pageCount", "totalPage", "totalPages", "pages", "pageTotal")


def _items_array(data: Any, depth: int = 0) -> list[dict] | None:
    """The first array of objects that have an address and a title."""
    if depth > 4:
        return None
    if isinstance(data, list):
        objects = [d for d in data if isinstance(d, dict)]
        if objects and any(any(k in d for k in _LINK_KEYS) and any(k in d for k in _TITLE_KEYS)
                           for d in objects[:5]):
            return objects
        for value in data[:3]:
            found = _items_array(value, depth + 1)
            if found:
                return found
        return None
    if isinstance(data, dict):
        for value in data.values():
            found = _items_array(value, depth + 1)
            if found is not None:
                return found
    return None


def _number(data: Any, keys: tuple[str, ...], depth: int = 0) -> int | None:
    if depth > 3 or not isinstance(data, dict):
        return None
    for key in keys:
        value = data.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return int(value)
    for value in data.values():
        found = _number(value, keys, depth + 1)
        if found is not None:
            return found
    return None


def _address(page: Page) -> str | None:
    for call in _CALL.finditer(page.text):
        window = page.text[call.start():call.start() + 400]
        for m in _URL.finditer(window):
            if _LISTY.search(m.group(1)):
                return m.group(1)
    return None


class AjaxJsonAdapter(ListAdapter):
    """A column page without static items whose own script names a JSON list address."""

    name = "ajax-json"

    def cue(self, page: Page) -> str | None:
        if page.reached_as == "list" and "#" not in page.url:
            data = json_of(page)
            if data is not None and _items_array(data) is not None:
                return "脚本调用的 JSON 列表接口的回答"
            return None
        if page.is_answer or page.dated_links >= 3:
            return None
        address = _address(page)
        return f"页面脚本调用的列表接口“{address[:60]}”" if address else None

    def read(self, page: Page, cue: str) -> ListReading:
        data = json_of(page)
        if data is not None:
            return self._answer(page, cue, data)
        address = urljoin(page.url, _address(page))
        return ListReading(self.name, cue, pages=(PageRequest(address, headers=(
            ("Referer", page.url), ("X-Requested-With", "XMLHttpRequest"))),))

    def _answer(self, page: Page, cue: str, data: Any) -> ListReading:
        rows = _items_array(data) or []
        items = []
        for row in rows:
            href = next((row[k] for k in _LINK_KEYS if row.get(k)), None)
            if not href:
                continue
            title = next((str(row[k]) for k in _TITLE_KEYS if row.get(k)), "")
            date = next((row[k] for k in _DATE_KEYS if row.get(k) not in (None, "", "null")),
                        None)
            items.append(ListItem(urljoin(page.base_url, str(href)),
                                  re.sub(r"<[^>]+>", "", title), _day(date)))
        total = _number(data, _TOTAL_KEYS)
        count = _number(data, _PAGES_KEYS)
        parts = urlsplit(page.url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        key = next((k for k in _PAGE_KEYS if k in query), None)
        pages = []
        if key and query[key] in ("0", "1") and (count or (total and rows)):
            last = min(count or math.ceil(total / max(len(rows), 1)), 1000)
            first = int(query[key])  # 0- or 1-based: pages first+1 … first+last-1
            for number in range(first + 1, first + last):
                pages.append(PageRequest(parts._replace(query=urlencode(
                    {**query, key: str(number)})).geturl(), headers=(
                    ("Referer", page.base_url), ("X-Requested-With", "XMLHttpRequest"))))
        unfollowed = None
        if total and not key and total > len(items):
            unfollowed = f"列表接口声称共{total}条，只返回{len(items)}条，接口地址中没有页码参数"
        return ListReading(self.name, cue, tuple(items), tuple(pages), declared_items=total,
                           declared_pages=count, unfollowed=unfollowed)
