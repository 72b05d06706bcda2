"""Hanweb 大汉 (jcms / jpage, and its JPAAS successor): docs/cms-variants.md §1."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from auditor.parse.html import text_of
from auditor.parse.lists import (
    ListReading,
    PageRequest,
    items_from_fragments,
    items_from_tree,
)
from auditor.parse.page import Page

from .base import ListAdapter, js_object, json_of, origin

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S | re.I)
_JPAGE = re.compile(r"\$\(\s*['\"]#([\w-]+)['\"]\s*\)\s*\.jpage\s*\(\s*\{(.*?)\}\s*\)", re.S)
_PROXY = re.compile(r"(/module/(?:web/|jslib/jquery/)?jpage/(?:morecolumn|metasearch)?dataproxy"
                    r"\.jsp[^\"'<>\s]*)")
#: ``var InitData49468 = ['<li>…</li>', …];`` — older jcms keeps the first group in a JS array
#: of HTML strings (cms-variants.md §1.2 H3).
_INIT_DATA = re.compile(r"var\s+(\w+)\s*=\s*\[(.*?)\]\s*;", re.S)
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)


def _js_strings(array_source: str) -> list[str]:
    out = []
    for m in _JS_STRING.finditer(array_source):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        out.append(re.sub(r"\\(.)", r"\1", raw))
    return out


class HanwebAdapter(ListAdapter):
    """Hanweb jcms ``/col/colN/`` lists (docs/cms-variants.md §1): the first group of records sits
    in ``<script type="text/xml"><datastore>…<recordset><record><![CDATA[<li>…]]>``, the rest
    comes from ``dataproxy.jsp`` (POST ``startrecord/endrecord/perpage`` with the ``ajaxParam``
    form of the ``$('#unitid').jpage({...})`` call, or GET the ``<nextgroup>`` href). A page
    with only the jpage call (``dataStore: []``) gets all its groups by POST; the unit id comes
    from the element id when ``ajaxParam`` lacks it.

    Older pages keep the first group in a JS array (``dataStore: InitData49468`` with ``var
    InitData49468 = ['<li>…', …]``); ``morecolumndataproxy.jsp`` (several column ids) is asked
    the same way.

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
        if "dataproxy.jsp" in page.url:
            return "大汉 dataproxy 接口的回答"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        text = page.text
        url, _, sent = page.url.partition("#")
        records = _RECORD.findall(text)
        jpage = _JPAGE.search(text)
        config = js_object(jpage.group(2)) if jpage else {}
        store_name = config.get("dataStore", "").strip()
        if not records and store_name and store_name[0].isalpha():
            arrays = {m.group(1): m.group(2) for m in _INIT_DATA.finditer(text)}
            records = _js_strings(arrays.get(store_name, ""))
        items = tuple(items_from_fragments(records, page.base_url))
        total_m = _TOTAL_RECORD.search(text)
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
        elif not records and "dataproxy" not in url:  # an empty answer ends the list
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




# ---------------------------------------------------------------------- JPAAS unit build

_UNIT_URL = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_QUERY_DATA = re.compile(r"queryData\s*=\s*[\"'](\{.*?\})[\"']", re.S)
_COUNT = re.compile(r"\bcount\s*=\s*[\"'](\d+)[\"']")
_ROWS = re.compile(r"\brows\s*=\s*[\"'](\d+)[\"']")


class JpaasAdapter(ListAdapter):
    """Hanweb JPAAS cloud pages (cms-variants.md §1.2 H7): a pagination element ``count="386"
    rows="15" queryData="{'webId':…,'pageId':…,'tagId':…,'tplSetId':…}"`` (or a ``<script
    url="…/front/page/build/unit" queryData="…">``); each page is ``GET …/front/page/build/unit?
    webId&pageId&parseType=bulidstatic&pageType=column&tagId&tplSetId&paramJson={"pageNo":N,
    "pageSize":M}`` answering JSON ``{"data": {"html": "<li>…"}}`` (compact JSON in
    ``paramJson``, Referer and X-Requested-With, or 403).

    Built from the request recipe of HULE-ZJ and the mohurd/samr/miit/yw.gov.cn callers quoted
    in cms-variants.md §1.4 (no saved sample)."""

    name = "hanweb-jpaas"

    def cue(self, page: Page) -> str | None:
        if _UNIT_URL in page.url:
            return "大汉 JPAAS 列表构建接口的回答" if isinstance(json_of(page), dict) else None
        if _QUERY_DATA.search(page.text) and ("jpaas" in page.text or "build/unit" in page.text
                                              or _COUNT.search(page.text)):
            return "大汉 JPAAS 列表配置（queryData）"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        if _UNIT_URL in page.url:
            data = (json_of(page) or {}).get("data") or {}
            html = data.get("html") if isinstance(data, dict) else None
            return ListReading(self.name, cue, tuple(items_from_fragments([html or ""],
                                                                          page.base_url)))
        query = js_object(_QUERY_DATA.search(page.text).group(1).strip("{}"))
        count = _COUNT.search(page.text)
        rows = int(_ROWS.search(page.text).group(1)) if _ROWS.search(page.text) else 15
        items = tuple(items_from_tree(page.root, page.link_base))
        if not count:
            return ListReading(self.name, cue, items, unfollowed="JPAAS 列表未给出总条数（count），"
                               "无法确定分页")
        total = int(count.group(1))
        headers = (("Referer", page.url), ("X-Requested-With", "XMLHttpRequest"))
        pages = []
        for number in range(1, min(math.ceil(total / rows), 1000) + 1):
            params = {"webId": query.get("webId", ""), "pageId": query.get("pageId", ""),
                      "parseType": "bulidstatic", "pageType": "column",
                      "tagId": query.get("tagId", ""), "tplSetId": query.get("tplSetId", ""),
                      "paramJson": json.dumps({"pageNo": number, "pageSize": rows},
                                              separators=(",", ":"))}
            pages.append(PageRequest(f"{origin(page.url)}{_UNIT_URL}?{urlencode(params)}",
                                     headers=headers))
        return ListReading(self.name, cue, items, tuple(pages), declared_items=total)


# ------------------------------------------------------------- xxgk catalogue search module

_XXGK = "/module/xxgk/search.jsp"
_PAGES_TOTAL = re.compile(r"共\s*(\d+)\s*页")


class XxgkSearchAdapter(ListAdapter):
    """Hanweb 信息公开目录 module (cms-variants.md §1.2 H8): a form posting to
    ``/module/xxgk/search.jsp`` (``infotypeId``, ``jdid``, ``area``, ``divid``…, ``currpage``)
    answered with an HTML fragment of rows and “共N页”; the first answer schedules the rest.

    Built from the zj.gov.cn, jsgzw.jiangsu.gov.cn and shandong.gov.cn callers quoted in
    cms-variants.md §1.4 (no saved sample)."""

    name = "hanweb-xxgk"

    def cue(self, page: Page) -> str | None:
        if _XXGK in page.url:
            return "大汉信息公开目录检索的回答"
        return "大汉信息公开目录检索表单" if _XXGK in page.text and page.root.find(".//form") \
            is not None else None

    def read(self, page: Page, cue: str) -> ListReading:
        items = tuple(items_from_tree(page.root, page.base_url))
        if _XXGK in page.url:
            url, _, sent = page.url.partition("#")
            form = dict(parse_qsl(sent))
            total = _PAGES_TOTAL.search(text_of(page.root))
            pages = []
            if form.get("currpage", "1") == "1" and total:
                for number in range(2, min(int(total.group(1)), 1000) + 1):
                    pages.append(PageRequest(url, "POST", tuple(
                        (k, str(number) if k == "currpage" else v) for k, v in
                        {**form, "currpage": "1"}.items()), (("Referer", page.base_url),)))
            return ListReading(self.name, cue, items, tuple(pages),
                               declared_pages=int(total.group(1)) if total else None)
        for form in page.root.iter("form"):
            action = form.get("action") or ""
            if _XXGK not in action:
                continue
            fields = {}
            for field in form.iter("input"):
                name = field.get("name")
                if name and (field.get("type") or "text").lower() not in ("submit", "button",
                                                                          "image", "reset"):
                    fields[name] = field.get("value") or ""
            fields["currpage"] = "1"
            target = urljoin(page.url, action)
            return ListReading(self.name, cue, items,
                               (PageRequest(target, "POST", tuple(fields.items()),
                                            (("Referer", page.url),)),))
        return ListReading(self.name, cue, items, unfollowed="找到信息公开目录检索模块，但未找到其表单")
