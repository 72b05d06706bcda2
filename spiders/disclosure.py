"""The one generic spider: site → 政府信息公开 columns → list pages → documents → attachments.

It only navigates and records: every response (or failure) becomes a page item with its raw
bytes, outcome, the kind its own evidence gives it (``auditor.parse.page``) and the column it
belongs to; dates, tables, coverage and rules come later, offline, from the store.
"""

from __future__ import annotations

import re
import time
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from auditor.parse.links import SKIP_SCHEMES, allowed, host_of, is_attachment, is_column_link
from auditor.parse.lists import PageRequest
from auditor.parse.page import read_page
from auditor.store import now

from .adapters import read_list

_CHALLENGE = re.compile(
    rb"__jsl_clearance|acw_sc__v2|_waf_|waf\.|\$_ts\s*=|document\.cookie\s*=.{0,200}"
    rb"location\.(?:reload|href)|<noscript>[^<]{0,80}(?:JavaScript|javascript)",
    re.S,
)


def blocked(response: Response) -> str | None:
    """Why the response is an anti-bot wall (HTTP 412/521, or a tiny script-only challenge)."""
    if response.status in (412, 521):
        return f"HTTP {response.status}（反爬虫/防火墙拦截）"
    body = response.body
    if response.status in (200, 202) and len(body) < 8000 and _CHALLENGE.search(body):
        return "脚本验证页（需执行 JavaScript 才能访问）"
    return None


def _some(item):
    return () if item is None else (item,)


def _text(a) -> str:
    return re.sub(r"\s+", "", "".join(a.css("::text").getall())) or a.attrib.get("title", "")


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, start_url: str, run_id: int, db_path: str, domains: list[str] | None = None,
                 backoff_scale: float = 1.0, extra_start_urls: list[str] | None = None,
                 resume: bool = False, max_depth: int = 6, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url, *(extra_start_urls or [])]
        self.run_id = run_id
        self.db_path = db_path
        self.allowed_domains = domains or sorted({host_of(u) for u in self.start_urls})
        self.backoff_scale = backoff_scale
        #: Link hops from a start page: a column link or a list item is one hop; further pages
        #: of a list are not (a long list must not run out of depth half way).
        self.max_depth = max_depth
        #: On resume: documents and attachments already fetched in this run are not fetched
        #: again; navigation pages are, since they lead to what is still missing.
        self.done: set[str] = set()
        if resume:
            from auditor.store import Store

            with Store(db_path) as store:
                self.done = {p.url for p in store.pages(run_id)
                             if p.outcome == "ok" and p.kind in ("document", "report",
                                                                 "attachment")}

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, kind="home", hops=0)

    # ---------------------------------------------------------------- requests

    def request(self, url: str, *, kind: str, column: str | None = None,
                column_url: str | None = None, title: str | None = None,
                list_date: str | None = None, referer: str | None = None, hops: int = 0,
                method: str = "GET", key: str | None = None, **kwargs: Any):
        meta = {"kind": kind, "column": column, "column_url": column_url, "title": title,
                "list_date": list_date, "referer": referer, "hops": hops,
                "started": time.monotonic(), "dont_redirect": True,
                "original_url": key, **kwargs.pop("meta", {})}
        return scrapy.Request(url, method=method, callback=self.parse_page, errback=self.failed,
                              meta=meta, **kwargs)

    def follow(self, response: Response, url: str, **fields: Any):
        """A request inside the allowed domains and the depth limit, or a recorded 'offsite'
        page; ``None`` when there is nothing to do."""
        if url in self.done or fields.get("hops", 0) > self.max_depth:
            return None
        if not allowed(url, self.allowed_domains):
            reached = fields.get("kind", "document")
            return self.record(url=url, kind={"column": "list"}.get(reached, reached),
                               reached_as=reached, outcome="offsite",
                               error=f"链接指向站外 {host_of(url)}，未抓取",
                               referer=response.url, column_name=fields.get("column"),
                               column_url=fields.get("column_url"), title=fields.get("title"),
                               list_date=fields.get("list_date"))
        return self.request(url, referer=response.url, **fields)

    def list_page(self, response: Response, wanted: PageRequest, **fields: Any):
        """A further page of a list (a GET page, or a POST to a list API)."""
        if not allowed(wanted.url, self.allowed_domains):
            return self.record(url=wanted.key, kind="list", outcome="offsite",
                               error=f"列表分页指向站外 {host_of(wanted.url)}，未抓取",
                               referer=response.url, column_name=fields.get("column"),
                               column_url=fields.get("column_url"))
        if wanted.method == "POST":
            return self.request(wanted.url, kind="list", method="POST",
                                key=wanted.key, referer=response.url,
                                body=_form_body(wanted.form),
                                headers={"Content-Type": "application/x-www-form-urlencoded; "
                                         "charset=UTF-8", **dict(wanted.headers)}, **fields)
        return self.request(wanted.url, kind="list", referer=response.url,
                            headers=dict(wanted.headers) or None, **fields)

    # ---------------------------------------------------------------- callbacks

    def redirect(self, response: Response):
        """Follow a redirect ourselves, so loops and off-site targets are recorded, not lost."""
        meta = response.meta
        location = response.headers.get(b"Location", b"").decode("latin-1").strip()
        chain = [*meta.get("redirect_chain", []), response.url]
        original = meta.get("original_url") or chain[0]
        target = response.urljoin(location) if location else ""
        common = {"url": original, "kind": meta["kind"], "status": response.status,
                  "column_name": meta.get("column"), "column_url": meta.get("column_url"),
                  "title": meta.get("title"), "list_date": meta.get("list_date"),
                  "referer": meta.get("referer"), "depth": meta.get("hops")}
        if not target:
            return self.record(outcome="http_error", error="重定向缺少 Location", **common)
        if target in chain or len(chain) > self.settings.getint("REDIRECT_MAX_TIMES", 5):
            return self.record(outcome="redirect_loop", final_url=target,
                               error=f"重定向循环：{' → '.join(chain + [target])}"[:500], **common)
        if not allowed(target, self.allowed_domains):
            return self.record(outcome="offsite", final_url=target,
                               error=f"重定向至站外 {host_of(target)}，未抓取", **common)
        request = response.request.replace(url=target, method="GET", body=b"", dont_filter=True)
        request.meta.update({"redirect_chain": chain, "original_url": original})
        return request

    def parse_page(self, response: Response):
        meta = response.meta
        reached = meta["kind"]
        if 300 <= response.status < 400 and response.status != 304:
            yield self.redirect(response)
            return
        wall = blocked(response)
        outcome = "blocked" if wall else ("ok" if response.status < 400 else "http_error")
        key = meta.get("original_url") or response.request.url
        page = None
        kind, cue, title = {"column": "list"}.get(reached, reached), None, meta.get("title")
        if outcome == "ok" and response.request.method != "HEAD" and response.body:
            page = read_page(response.body, key if response.request.method == "POST"
                             else response.url, reached_as=reached,
                             text=response.text if isinstance(response, TextResponse) else None,
                             root=response.selector.root if isinstance(response, HtmlResponse)
                             else None, base_url=meta.get("column_url")
                             if response.request.method == "POST" else None)
            kind, cue = page.kind.kind, page.kind.cue
            if kind in ("document", "report", "home"):
                title = page.heading or page.title or title
        yield self.record(
            url=key, final_url=response.url, kind=kind, reached_as=reached, kind_cue=cue,
            outcome=outcome, status=response.status, body=response.body,
            error=wall or (f"HTTP {response.status}" if response.status >= 400 else None),
            elapsed=round(time.monotonic() - meta["started"], 3),
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            etag=response.headers.get(b"ETag", b"").decode("latin-1") or None,
            last_modified=response.headers.get(b"Last-Modified", b"").decode("latin-1") or None,
            column_name=meta.get("column"), column_url=meta.get("column_url"), title=title,
            list_date=meta.get("list_date"), referer=meta.get("referer"), depth=meta.get("hops"),
        )
        if page is None or not isinstance(response, TextResponse):
            return
        if kind in ("home", "list", "other"):
            yield from self.columns(response)
        if kind == "list":
            yield from self.list_items(response, page)
        elif kind in ("document", "report"):
            yield from self.attachments(response, report=kind == "report")

    def columns(self, response: Response):
        """Columns of the disclosure area, by link text."""
        hops = response.meta.get("hops", 0) + 1
        for a in response.css("a"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            text = _text(a)
            url = response.urljoin(href)
            if is_column_link(text, url) and not is_attachment(url):
                yield from _some(self.follow(response, url, kind="column", column=text,
                                             column_url=url, hops=hops))

    def list_items(self, response: Response, page):
        meta = response.meta
        column = meta.get("column") or page.meta_value("ColumnName") or None
        column_url = meta.get("column_url") or page.url
        hops = meta.get("hops", 0)
        reading = read_list(page)
        for item in reading.items:
            yield from _some(self.follow(response, item.url, kind="document", column=column,
                                         column_url=column_url, title=item.title,
                                         list_date=item.list_date, hops=hops + 1))
        for wanted in reading.pages:
            yield from _some(self.list_page(response, wanted, column=column,
                                            column_url=column_url, hops=hops))
        for a in response.css("a"):
            href = (a.attrib.get("href") or "").strip()
            url = response.urljoin(href) if href and not href.lower().startswith(SKIP_SCHEMES) \
                else ""
            if url and is_attachment(url):
                yield from _some(self.follow(response, url, kind="attachment", column=column,
                                             column_url=column_url, title=_text(a) or None,
                                             method="HEAD", hops=hops + 1))

    def attachments(self, response: Response, report: bool):
        meta = response.meta
        for a in response.css("a"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            url = response.urljoin(href)
            if is_attachment(url):
                text = re.sub(r"\s+", " ", "".join(a.css("::text").getall())).strip()
                # Reports' attachments are downloaded and audited; others only checked.
                yield from _some(self.follow(
                    response, url, kind="attachment", title=text or None,
                    column=meta.get("column"), column_url=meta.get("column_url"),
                    hops=meta.get("hops", 0) + 1, method="GET" if report else "HEAD",
                    meta={"report_attachment": report}))

    def failed(self, failure):
        request = failure.request
        meta = request.meta
        error = failure.value
        if isinstance(error, IgnoreRequest):
            message = str(error) or type(error).__name__
            if "robots.txt" in message:
                outcome, text = "robots", "robots.txt 禁止抓取"
            elif "redirect" in message.lower():
                outcome, text = "redirect_loop", f"重定向过多：{message}"
            elif "offsite" in message.lower() or "domain" in message.lower():
                outcome, text = "offsite", f"重定向至站外：{message}"
            else:
                outcome, text = "skipped", message
        elif failure.check(TimeoutError, TCPTimedOutError) or "Timeout" in type(error).__name__:
            outcome, text = "timeout", f"超时（{self.settings.getfloat('DOWNLOAD_TIMEOUT'):g}秒）"
        elif failure.check(DNSLookupError) or "DNSLookup" in type(error).__name__:
            outcome, text = "network_error", "域名无法解析"
        elif failure.check(ConnectionRefusedError) or "ConnectionRefused" in type(error).__name__:
            outcome, text = "network_error", "连接被拒绝"
        else:
            outcome, text = "network_error", f"{type(error).__name__}: {error}"[:300]
        kind = meta.get("kind", "document")
        return self.record(url=meta.get("original_url") or request.url,
                           kind={"column": "list"}.get(kind, kind), reached_as=kind,
                           outcome=outcome, error=text, column_name=meta.get("column"),
                           column_url=meta.get("column_url"), title=meta.get("title"),
                           list_date=meta.get("list_date"), referer=meta.get("referer"),
                           depth=meta.get("hops"))

    @staticmethod
    def record(**fields: Any) -> dict[str, Any]:
        fields.setdefault("fetched_at", now())
        return fields


def _form_body(form: tuple[tuple[str, str], ...]) -> str:
    from urllib.parse import urlencode

    return urlencode(form)
