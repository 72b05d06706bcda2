"""The one generic spider: site → 政府信息公开 columns → list pages → documents → attachments.

It only navigates and records: every response (or failure) becomes a page item with its raw
bytes, outcome and what it is; dates, tables and rules come later, offline, from the store.
"""

from __future__ import annotations

import re
import time
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from auditor.store import now

from .adapters import adapter_for
from .links import (
    SKIP_SCHEMES,
    allowed,
    host_of,
    is_attachment,
    is_column_link,
    is_report_column,
    is_report_title,
)

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


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, start_url: str, run_id: int, db_path: str, domains: list[str] | None = None,
                 backoff_scale: float = 1.0, extra_start_urls: list[str] | None = None,
                 resume: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url, *(extra_start_urls or [])]
        self.run_id = run_id
        self.db_path = db_path
        self.allowed_domains = domains or sorted({host_of(u) for u in self.start_urls})
        self.backoff_scale = backoff_scale
        #: On resume: documents and attachments already fetched in this run are not fetched
        #: again; navigation pages are, since they lead to what is still missing.
        self.done: set[str] = set()
        if resume:
            from auditor.store import Store

            with Store(db_path) as store:
                self.done = {p.url for p in store.pages(run_id, ("document", "report",
                                                                 "attachment"))
                             if p.outcome == "ok"}

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, kind="home")

    # ---------------------------------------------------------------- requests

    def request(self, url: str, *, kind: str, column: str | None = None,
                title: str | None = None, list_date: str | None = None,
                referer: str | None = None, method: str = "GET", **kwargs: Any):
        meta = {"kind": kind, "column": column, "title": title, "list_date": list_date,
                "referer": referer, "started": time.monotonic(), "dont_redirect": True,
                **kwargs.pop("meta", {})}
        return scrapy.Request(url, method=method, callback=self.parse_page, errback=self.failed,
                              meta=meta, **kwargs)

    def follow(self, response: Response, url: str, **fields: Any):
        """A request inside the allowed domains, or a recorded 'offsite' page."""
        if url in self.done:
            return None
        if not allowed(url, self.allowed_domains):
            return self.record(url=url, kind=fields.get("kind", "document"), outcome="offsite",
                               error=f"链接指向站外 {host_of(url)}，未抓取",
                               referer=response.url, column_name=fields.get("column"),
                               title=fields.get("title"))
        return self.request(url, referer=response.url, **fields)

    # ---------------------------------------------------------------- callbacks

    def redirect(self, response: Response):
        """Follow a redirect ourselves, so loops and off-site targets are recorded, not lost."""
        meta = response.meta
        location = response.headers.get(b"Location", b"").decode("latin-1").strip()
        chain = [*meta.get("redirect_chain", []), response.url]
        original = meta.get("original_url") or chain[0]
        target = response.urljoin(location) if location else ""
        common = {"url": original, "kind": meta["kind"], "status": response.status,
                  "column_name": meta.get("column"), "title": meta.get("title"),
                  "list_date": meta.get("list_date"), "referer": meta.get("referer"),
                  "depth": meta.get("depth")}
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
        kind = meta["kind"]
        if 300 <= response.status < 400 and response.status != 304:
            yield self.redirect(response)
            return
        wall = blocked(response)
        outcome = "blocked" if wall else ("ok" if response.status < 400 else "http_error")
        title = meta.get("title")
        if isinstance(response, TextResponse) and kind in ("document", "report", "home"):
            found = response.css("title::text").get() or response.css(
                "meta[name=ArticleTitle]::attr(content)").get()
            title = title or (found.strip() if found else None)
        if kind == "document" and is_report_title(title or ""):
            kind = "report"
        yield self.record(
            url=meta.get("original_url") or response.request.url, final_url=response.url,
            kind=kind, outcome=outcome, status=response.status, body=response.body,
            error=wall or (f"HTTP {response.status}" if response.status >= 400 else None),
            elapsed=round(time.monotonic() - meta["started"], 3),
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            column_name=meta.get("column"), title=title, list_date=meta.get("list_date"),
            referer=meta.get("referer"), depth=meta.get("depth"),
        )
        if outcome != "ok" or not isinstance(response, TextResponse):
            return
        if kind in ("home", "column", "list"):
            yield from self.navigate(response, kind)
        elif kind in ("document", "report"):
            yield from self.attachments(response, report=kind == "report")

    def navigate(self, response: Response, kind: str):
        column = response.meta.get("column")
        in_report_column = bool(column and is_report_column(column))
        # Columns of the disclosure area, by link text.
        for a in response.css("a"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            text = re.sub(r"\s+", "", "".join(a.css("::text").getall())) or a.attrib.get(
                "title", "")
            url = response.urljoin(href)
            if is_column_link(text, url) and not is_attachment(url):
                yield from _some(self.follow(response, url, kind="column", column=text))
        if kind == "home":
            return
        adapter = adapter_for(response)
        for item in adapter.items(response):
            doc_kind = "report" if in_report_column or is_report_title(item.title) else "document"
            yield from _some(self.follow(response, item.url, kind=doc_kind, column=column, title=item.title,
                              list_date=item.list_date))
        for request in adapter.page_requests(response):
            if allowed(request.url, self.allowed_domains):
                yield request.replace(callback=self.parse_page, errback=self.failed, meta={
                    **request.meta, "kind": "list", "column": column, "referer": response.url,
                    "started": time.monotonic(),
                    "original_url": f"{request.url}#{request.body.decode('latin-1')}"
                    if request.method == "POST" else None})
        for a in response.css("a"):
            href = a.attrib.get("href", "")
            url = response.urljoin(href) if href else ""
            if url and is_attachment(url):
                yield from _some(self.follow(response, url, kind="attachment", column=column,
                                  title=re.sub(r"\s+", " ", "".join(a.css("::text").getall())),
                                  method="HEAD"))

    def attachments(self, response: Response, report: bool):
        for a in response.css("a"):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            url = response.urljoin(href)
            if is_attachment(url):
                text = re.sub(r"\s+", " ", "".join(a.css("::text").getall())).strip()
                # Reports' attachments are downloaded and audited; others only checked.
                yield from _some(self.follow(response, url, kind="attachment", title=text or None,
                                  column=response.meta.get("column"),
                                  method="GET" if report else "HEAD",
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
        elif failure.check(DNSLookupError):
            outcome, text = "network_error", "域名无法解析"
        elif failure.check(ConnectionRefusedError):
            outcome, text = "network_error", "连接被拒绝"
        else:
            outcome, text = "network_error", f"{type(error).__name__}: {error}"[:300]
        return self.record(url=meta.get("original_url") or request.url, kind=meta.get("kind", "document"),
                           outcome=outcome, error=text, column_name=meta.get("column"),
                           title=meta.get("title"), list_date=meta.get("list_date"),
                           referer=meta.get("referer"), depth=meta.get("depth"))

    @staticmethod
    def record(**fields: Any) -> dict[str, Any]:
        fields.setdefault("fetched_at", now())
        return fields
