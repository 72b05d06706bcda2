"""List-page adapters: each CMS family says where a column's items and further pages are.

An adapter only navigates: it returns list items (URL, title, the date printed beside it) and
the requests for the column's other pages. Adding a CMS family (gkmlpt JSON, UCAP, a provincial
platform) is one small class registered in :data:`ADAPTERS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import scrapy
from lxml import html as lxml_html
from scrapy.http import Response

from .links import SKIP_SCHEMES, date_in, is_attachment, is_column_link, looks_like_document


@dataclass(frozen=True)
class ListItem:
    url: str
    title: str
    list_date: str | None


class ListAdapter:
    """Base: generic HTML lists — links that look like documents or have a date beside them."""

    name = "generic"

    def matches(self, response: Response) -> bool:
        return True

    def items(self, response: Response) -> list[ListItem]:
        return items_from_html(response.text, response.url)

    def page_requests(self, response: Response) -> Iterable[scrapy.Request]:
        return [scrapy.Request(url) for url in generic_pages(response)]


def _anchor_text(a) -> str:
    return re.sub(r"\s+", " ", a.get("title") or a.text_content() or "").strip()


def items_from_html(html: str, base_url: str) -> list[ListItem]:
    """Document links of a list page: the link looks like a document, or its row has a date."""
    try:
        root = lxml_html.fromstring(html or "<html/>")
    except (ValueError, lxml_html.etree.ParserError):
        return []
    out: list[ListItem] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(SKIP_SCHEMES):
            continue
        url = urljoin(base_url, href)
        if url in seen or is_attachment(url):
            continue
        text = _anchor_text(a)
        row = a.getparent()
        row_text = ""
        for _ in range(3):  # the link's li/tr/dd (or its wrapper) holds the date
            if row is None:
                break
            row_text = row.text_content()
            if date_in(row_text) or row.tag in ("li", "tr", "dd", "dl"):
                break
            row = row.getparent()
        date = date_in(row_text)
        if looks_like_document(url) or (date and len(text) >= 4 and not is_column_link(text, url)):
            seen.add(url)
            out.append(ListItem(url, text, date))
    return out


_NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|›|»|>)$")
_INDEX_N = re.compile(r"index_(\d+)\.s?html?$")


def generic_pages(response: Response) -> list[str]:
    """“下一页” and numbered page links, and ``index_N.html`` siblings."""
    urls = []
    for a in response.css("a"):
        text = re.sub(r"\s+", "", " ".join(a.css("::text").getall()))
        href = a.attrib.get("href", "")
        if not href or href.lower().startswith(SKIP_SCHEMES):
            continue
        url = response.urljoin(href)
        if _NEXT_TEXT.match(text) or (text.isdigit() and len(text) <= 4
                                      and _same_list(url, response.url)):
            urls.append(url)
        elif _INDEX_N.search(urlsplit(url).path) and _same_list(url, response.url):
            urls.append(url)
    return urls


def _same_list(url: str, current: str) -> bool:
    """Another page of the same list: same folder (index.html ↔ index_2.html, ?page=2)."""
    a, b = urlsplit(url), urlsplit(current)
    return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]


_TRS_PAGER = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,"
                        r"\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")


class TrsAdapter(ListAdapter):
    """TRS WCM: ``createPageHTML(total, current, "index", "html")`` writes the pager in script;
    page 0 is ``index.html``, page n is ``index_n.html``."""

    name = "trs"

    def matches(self, response: Response) -> bool:
        return b"createPageHTML" in response.body

    def page_requests(self, response: Response) -> Iterable[scrapy.Request]:
        m = _TRS_PAGER.search(response.text)
        if not m:
            return []
        total, _current, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        total = min(total, 1000)
        base = response.url.rsplit("/", 1)[0] + "/"
        pages = [f"{base}{stem}.{ext}"] + [f"{base}{stem}_{i}.{ext}" for i in range(1, total)]
        return [scrapy.Request(url) for url in pages]


_HANWEB_PROXY = re.compile(r"""(/module/web/jpage/dataproxy\.jsp[^"'<>\s]*)""")
_HANWEB_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_HANWEB_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.I)


class HanwebAdapter(ListAdapter):
    """Hanweb jcms ``/col/colN/`` lists: the first records sit in a ``<script type="text/xml">``
    datastore, the rest come from ``module/web/jpage/dataproxy.jsp`` (POST, an XML of
    ``<record><![CDATA[…]]></record>`` with ``<totalrecord>``)."""

    name = "hanweb"
    per_page = 15

    def matches(self, response: Response) -> bool:
        return b"dataproxy.jsp" in response.body or b"<datastore>" in response.body \
            or b"<recordset>" in response.body

    def items(self, response: Response) -> list[ListItem]:
        text = response.text
        records = _HANWEB_RECORD.findall(text)
        if not records:
            return super().items(response)
        return items_from_html("<ul>" + "".join(records) + "</ul>", response.url)

    def page_requests(self, response: Response) -> Iterable[scrapy.Request]:
        if response.meta.get("hanweb_page"):
            return []  # a dataproxy answer: the first page already scheduled them all
        text = response.text
        m = _HANWEB_PROXY.search(text)
        total = _HANWEB_TOTAL.search(text)
        if not m or not total:
            return []
        proxy = response.urljoin(m.group(1).replace("&amp;", "&"))
        parts = urlsplit(proxy)
        params = dict(parse_qsl(parts.query))
        per_page = int((_HANWEB_PERPAGE.search(text) or [None, self.per_page])[1])
        count = min(int(total.group(1)), 20000)
        shown = len(_HANWEB_RECORD.findall(text))
        requests = []
        for start in range(shown + 1, count + 1, per_page * 3):
            end = min(start + per_page * 3 - 1, count)
            url = (f"{parts.scheme}://{parts.netloc}{parts.path}?"
                   f"{urlencode({'startrecord': start, 'endrecord': end, 'perpage': per_page})}")
            form = {"col": "1", "appid": "1", "webid": params.get("webid", "1"),
                    "path": params.get("path", "/"), "columnid": params.get("columnid", ""),
                    "sourceContentType": "1", "unitid": params.get("unitid", ""),
                    "webname": params.get("webname", ""),
                    "permissiontype": params.get("permissiontype", "0")}
            requests.append(scrapy.FormRequest(url, formdata=form, meta={"hanweb_page": True}))
        return requests


#: Tried in order; the first that matches a list page handles it (generic is the fallback).
ADAPTERS: list[ListAdapter] = [HanwebAdapter(), TrsAdapter(), ListAdapter()]


def adapter_for(response: Response) -> ListAdapter:
    return next(a for a in ADAPTERS if a.matches(response))
