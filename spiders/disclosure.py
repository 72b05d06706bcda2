"""The one generic spider: site → 政府信息公开 columns → list pages → documents → attachments.

It only navigates and records: every response (or failure) becomes a stored page with its raw
bytes, outcome, the kind its own evidence gives it (``auditor.parse.page``) and the column it
belongs to; dates, tables, coverage and rules come later, offline, from the store.
"""

from __future__ import annotations

import hashlib
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

from auditor.parse.links import (
    allowed,
    host_of,
    is_attachment,
    is_column_link,
    is_indicator_column_link,
    site_of,
)
from auditor.parse.lists import PageRequest, url_key
from auditor.parse.page import read_page
from auditor.sitefacts import sub_column_links
from auditor.store import now

from .adapters import read_list
from .adapters.trs import MAX_LIST_PAGES
from .guard import ListPacer, TrapGuard, without_session
from .navigation import DocumentNavigation, navigation_key
from .pipeline import PageWriter

_AREA_NAME = re.compile(r"政府信息公开|信息公开|政务公开|法定主动公开")
#: Columns the audit is about (the 政府信息公开 area): crawled before the rest of the site.
_AUDIT_COLUMN = re.compile(r"政府信息公开|信息公开|政务公开|法定主动公开|主动公开|年报|年度报告|公开指南|"
                           r"公开制度|公开目录|政策文件|规范性文件|依申请公开|政府文件|部门文件")
_BASE_PRIORITY = {"home": 100, "column": 60, "list": 60, "document": 50, "attachment": 20}


def priority(kind: str, column: str | None) -> int:
    """Scrapy priority (higher first): the 政府信息公开 columns, their lists and the documents
    they list before the rest of the site, so the page budget goes where the audit is."""
    return _BASE_PRIORITY.get(kind, 40) + (30 if column and _AUDIT_COLUMN.search(column) else 0)
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


#: Attachments (a report's PDF) may be larger than pages (settings.PAGE_MAXSIZE: a 60 MB
#: page must not cost gigabytes of memory).
ATTACHMENT_MAXSIZE = 40 * 1024 * 1024


def empty_body(page) -> bool:
    """A 200 answer with nearly nothing in it (a firewall's blank page), not a list API's
    empty answer."""
    if not page.is_html or page.is_answer:
        return False
    visible = re.sub(r"\s+", "", page.visible_text)
    return len(visible) < 20 and not page.links and not page.machinery and \
        page.root.find(".//iframe") is None


#: Longer links are not followed (a trap that grows its URL; browsers' own limit).
MAX_URL_LENGTH = 2083


def _some(item):
    return () if item is None else (item,)


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, start_url: str, run_id: int, db_path: str, domains: list[str] | None = None,
                 backoff_scale: float = 1.0, extra_start_urls: list[str] | None = None,
                 resume: bool = False, max_depth: int = 6, stored=None, revalidation=None,
                 identity: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: A re-scan's stored pages and the answers asked before the crawl (read by the
        #: conditional middlewares, spiders/conditional.py), or None.
        self.stored = stored
        self.revalidation = revalidation
        #: What decided the pages this crawl reaches (spiders/replay.py), in its notes: a
        #: later re-scan with the same may stand on this crawl. None for a resumed crawl.
        self.identity = identity
        self.start_urls = [start_url, *(extra_start_urls or [])]
        self.run_id = run_id
        self.db_path = db_path
        #: Hosts the crawl may fetch: the start hosts and ``--domain`` ones, the other hosts of
        #: the same site (``xxgk.x.gov.cn`` beside ``www.x.gov.cn``: the site's own navigation
        #: leads there), and a 集约化 platform host the start page's own “政府信息公开” link
        #: leads to. Not Scrapy's ``allowed_domains``: this list grows during the crawl.
        self.hosts = sorted(set(domains or ()) | {host_of(u) for u in self.start_urls})
        self.sites = {site_of(u) for u in self.start_urls} | {site_of("http://" + d)
                                                              for d in domains or ()}
        self.backoff_scale = backoff_scale
        #: Link hops from a start page: a column link or a list item is one hop; further pages
        #: of a list are not (a long list must not run out of depth half way).
        self.max_depth = max_depth
        self.guard = TrapGuard()
        self.pacer = ListPacer(max_pages=MAX_LIST_PAGES)
        self.close_reason: str | None = None
        self.writer: PageWriter | None = None
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
        if kind == "attachment":  # files may be larger than pages (a report's PDF)
            meta.setdefault("download_maxsize", ATTACHMENT_MAXSIZE)
        kwargs.setdefault("priority", priority(kind, column) + (15 if meta.get(
            "report_attachment") else 0))
        if referer:  # as a browser sends it (some sites refuse attachments without it)
            kwargs["headers"] = {"Referer": referer, **(kwargs.get("headers") or {})}
        return scrapy.Request(url, method=method, callback=self.parse_page, errback=self.failed,
                              meta=meta, **kwargs)

    def may_fetch(self, url: str, *, area_link: bool = False, from_start: bool = False) -> bool:
        """Whether ``url`` is on the site (see :attr:`hosts`); an ``area_link`` (the start
        page's “政府信息公开” link) may open a *.gov.cn platform host."""
        if allowed(url, self.hosts):
            return True
        host = host_of(url)
        if site_of(url) in self.sites or (area_link and from_start and host.endswith(".gov.cn")):
            self.hosts.append(host)
            self.logger.info("allowed host %s (%s)", host, "same site" if site_of(url) in
                             self.sites else "政府信息公开 link of the start page")
            return True
        return False

    def follow(self, response: Response, url: str, **fields: Any):
        """A request inside the site and the depth limit, or a recorded 'offsite' page;
        ``None`` when there is nothing to do."""
        if url in self.done or fields.get("hops", 0) > self.max_depth or \
                len(url) > MAX_URL_LENGTH:
            return None
        if fields.get("kind") == "document":
            url = without_session(url)
            if not self.guard.allows(url):
                return None  # a trap pattern: counted, reported in the crawl notes
        area = fields.pop("area_link", False)
        if not self.may_fetch(url, area_link=area, from_start=response.meta.get("hops") == 0):
            reached = fields.get("kind", "document")
            return self.record(url=url, kind={"column": "list"}.get(reached, reached),
                               reached_as=reached, outcome="offsite",
                               error=f"链接指向站外 {host_of(url)}，未抓取",
                               referer=response.url, column_name=fields.get("column"),
                               column_url=fields.get("column_url"), title=fields.get("title"),
                               list_date=fields.get("list_date"))
        return self.request(url, referer=response.url, **fields)

    def list_page(self, response: Response | None, wanted: PageRequest, **fields: Any):
        """A further page of a list (a GET page, or a POST to a list API)."""
        referer = response.url if response is not None else fields.get("column_url")
        if not self.may_fetch(wanted.url):
            return self.record(url=wanted.key, kind="list", outcome="offsite",
                               error=f"列表分页指向站外 {host_of(wanted.url)}，未抓取",
                               referer=referer, column_name=fields.get("column"),
                               column_url=fields.get("column_url"))
        if wanted.method == "POST":
            form = dict(wanted.form)
            if "__json__" in form:  # a JSON body (TRS IRS)
                body, content_type = form["__json__"], "application/json; charset=UTF-8"
            else:
                body = _form_body(wanted.form)
                content_type = "application/x-www-form-urlencoded; charset=UTF-8"
            return self.request(wanted.url, kind="list", method="POST",
                                key=wanted.key, referer=referer, body=body,
                                headers={"Content-Type": content_type, **dict(wanted.headers)},
                                **fields)
        return self.request(wanted.url, kind="list", referer=referer,
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
        if not self.may_fetch(target):
            return self.record(outcome="offsite", final_url=target,
                               error=f"重定向至站外 {host_of(target)}，未抓取", **common)
        request = response.request.replace(url=target, method="GET", body=b"", dont_filter=True)
        request.meta.update({"redirect_chain": chain, "original_url": original})
        return request

    def parse_page(self, response: Response):
        meta = response.meta
        reached = meta["kind"]
        if 300 <= response.status < 400 and response.status != 304:
            yield from _some(self.redirect(response))
            return
        wall = blocked(response)
        outcome = "blocked" if wall else ("ok" if response.status < 400 else "http_error")
        key = meta.get("original_url") or response.request.url
        page = None
        kind, cue, title = {"column": "list"}.get(reached, reached), None, meta.get("title")
        if outcome == "ok" and response.request.method != "HEAD" and not response.body.strip() \
                and reached != "attachment":
            outcome, wall = "empty", "页面内容为空（疑似防火墙拦截或系统故障），无法检查"
        known = meta.get("conditional") if "not_modified" in response.flags else None
        if outcome == "ok" and response.request.method != "HEAD" and response.body:
            page = read_page(response.body, key if response.request.method == "POST"
                             else response.url, reached_as=reached,
                             text=response.text if isinstance(response, TextResponse) else None,
                             root=response.selector.root if isinstance(response, HtmlResponse)
                             else None, base_url=meta.get("column_url"))
            kind, cue = page.kind.kind, page.kind.cue
            if kind in ("document", "report", "home"):
                title = page.heading or page.title or title
            if empty_body(page):
                outcome, wall = "empty", "页面内容为空（疑似防火墙拦截或系统故障），无法检查"
            if reached == "document":
                # A 304 carries the stored bytes (spiders/conditional.py): hashed already.
                digest = known.hash if known else hashlib.sha256(response.body).hexdigest()
                self.guard.saw(key, kind, digest)
                # (not a list API's answer: its links resolve against its column's page)
                if outcome == "ok" and kind in ("document", "report") and page.is_html and \
                        not page.is_answer:
                    self.remember(response.url, digest, DocumentNavigation(
                        kind, cue, page.heading or page.title, tuple(
                            (url, text) for url, text in page.links if is_attachment(url))))
        self.record_response(response, key=key, kind=kind, cue=cue, outcome=outcome,
                             title=title, error=wall, known=known)
        if reached in ("column", "list") and outcome != "ok":
            yield from self.list_failed(response.meta)
        if page is None or not page.is_html or outcome != "ok":
            return
        # Navigation pages lead to columns; a landing page met as a list item does not (its
        # links are another part of the site, not this column's).
        if kind in ("home", "list") or (kind == "other" and reached in ("home", "column")):
            yield from self.columns(response, page)
        if kind == "other" and reached == "column":
            yield from self.sub_columns(response, page)
        if kind == "list":
            yield from self.list_items(response, page)
        elif kind in ("document", "report"):
            yield from self.attachments(response, page, report=kind == "report")

    def revisit(self, response: Response, navigation: DocumentNavigation,
                headers: tuple[str | None, str | None, str | None] | None = None):
        """A document page the site says is unchanged (a 304) whose navigation the last run
        kept (spiders/navigation.py): recorded and followed as :meth:`parse_page` would,
        without reading the page again. ``headers``: its Content-Type, ETag and
        Last-Modified, when the response does not carry them."""
        meta = response.meta
        known = meta["conditional"]
        key = meta.get("original_url") or response.request.url
        self.guard.saw(key, navigation.kind, known.hash)
        self.record_response(response, key=key, kind=navigation.kind, cue=navigation.cue,
                             outcome="ok", title=navigation.title or meta.get("title"),
                             error=None, known=known, headers=headers)
        yield from self.attachment_links(response, navigation.attachments,
                                         report=navigation.kind == "report")

    def record_response(self, response: Response, *, key: str, kind: str, cue: str | None,
                        outcome: str, title: str | None, error: str | None, known,
                        headers: tuple[str | None, str | None, str | None] | None = None
                        ) -> None:
        """Store a fetched page (``known``: the stored page a 304 stands for; ``headers``:
        its Content-Type, ETag and Last-Modified when not from the response's)."""
        meta = response.meta
        if headers is None:
            headers = tuple(response.headers.get(name, b"").decode("latin-1") or None
                            for name in (b"Content-Type", b"ETag", b"Last-Modified"))
        content_type, etag, last_modified = headers
        self.record(
            url=key, final_url=response.url, kind=kind, reached_as=meta["kind"], kind_cue=cue,
            outcome=outcome, status=response.status,
            body=None if known else response.body, hash=known.hash if known else None,
            error=error or (f"HTTP {response.status}" if response.status >= 400 else None),
            elapsed=round(time.monotonic() - meta["started"], 3),
            content_type=content_type, etag=etag, last_modified=last_modified,
            column_name=meta.get("column"), column_url=meta.get("column_url"), title=title,
            list_date=meta.get("list_date"), referer=meta.get("referer"), depth=meta.get("hops"),
        )

    def columns(self, response: Response, page):
        """Columns of the disclosure area and those the website indicators judge, by link
        text."""
        hops = response.meta.get("hops", 0) + 1
        for url, text in page.links:
            if is_attachment(url):
                continue
            if is_column_link(text, url) or is_indicator_column_link(text, url):
                yield from _some(self.follow(response, url, kind="column", column=text,
                                             column_url=url, hops=hops,
                                             area_link="政府信息公开" in text or text == "信息公开"))

    def sub_columns(self, response: Response, page):
        """The columns a navigation page of the area links in its content, whatever their
        names (法定主动公开内容 → 重点项目, 政府采购…): a blank or stale column can have any
        name, and the website indicators judge every column."""
        hops = response.meta.get("hops", 0) + 1
        for text, url in sub_column_links(page):
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
        # Further pages go through the pacer: a few at a time, stopping when pages stop
        # adding items (an endless index_N, a pager claiming thousands of pages).
        for wanted in reading.pages:
            self.pacer.offer(column_url, wanted.key, wanted)
        first = meta.get("kind") != "list"
        self.pacer.read(column_url, [url_key(i.url) for i in reading.items], first=first)
        for wanted in self.pacer.release(column_url):
            yield from _some(self.list_page(response, wanted, column=column,
                                            column_url=column_url, hops=hops))
        for url, text in page.links:
            if is_attachment(url):
                yield from _some(self.follow(response, url, kind="attachment", column=column,
                                             column_url=column_url, title=text or None,
                                             method="HEAD", hops=hops + 1))

    def list_failed(self, meta: dict[str, Any]):
        """A further list page that could not be read counts as adding nothing."""
        column_url = meta.get("column_url")
        if not column_url or meta.get("kind") != "list":
            return
        self.pacer.read(column_url, [])
        for wanted in self.pacer.release(column_url):
            yield from _some(self.list_page(None, wanted, column=meta.get("column"),
                                            column_url=column_url, hops=meta.get("hops", 0)))

    def attachments(self, response: Response, page, report: bool):
        yield from self.attachment_links(
            response, [(url, text) for url, text in page.links if is_attachment(url)], report)

    def attachment_links(self, response: Response, links, report: bool):
        meta = response.meta
        for url, text in links:
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
        message = str(error) or type(error).__name__
        if "during decompression" in message:
            outcome, text = "too_large", "解压后超过大小上限（疑似压缩炸弹），未读取"
        elif "max size" in message or "DownloadCancelled" in type(error).__name__:
            limit = meta.get("download_maxsize") or self.settings.getint("DOWNLOAD_MAXSIZE")
            outcome, text = "too_large", f"响应超过大小上限（{limit // (1024 * 1024)} MB），未读取"
        elif isinstance(error, IgnoreRequest):
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
        yield from self.list_failed(meta)
        self.record(url=meta.get("original_url") or request.url,
                    kind={"column": "list"}.get(kind, kind), reached_as=kind,
                    outcome=outcome, error=text, column_name=meta.get("column"),
                    column_url=meta.get("column_url"), title=meta.get("title"),
                    list_date=meta.get("list_date"), referer=meta.get("referer"),
                    depth=meta.get("hops"))

    def notes(self) -> dict[str, Any]:
        """What the crawl decided on its own, for the coverage report (written by the runner
        at the end: the audit reads it from the run's stats)."""
        notes = {"close_reason": self.close_reason, "hosts": self.hosts,
                 "stopped_lists": self.pacer.report(), "trap_patterns": self.guard.report()}
        if self.revalidation is not None:
            notes["revalidation"] = self.revalidation.notes()
        if self.identity is not None:
            notes["identity"] = self.identity
        return notes

    def remember(self, url: str, body_hash: str, navigation: DocumentNavigation) -> None:
        """Keep what a document page's navigation found, for a re-scan that finds it
        unchanged (spiders/navigation.py)."""
        if self.writer is None:
            self.writer = PageWriter(self.db_path, self.run_id)
        self.writer.remember(navigation_key(url, body_hash), navigation.to_json())

    def record(self, **fields: Any) -> None:
        """Store one page (what was fetched, or why it was not): see spiders/pipeline.py."""
        fields.setdefault("fetched_at", now())
        if self.writer is None:
            self.writer = PageWriter(self.db_path, self.run_id)
        self.writer.write(fields)

    def closed(self, reason: str) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _form_body(form: tuple[tuple[str, str], ...]) -> str:
    from urllib.parse import urlencode

    return urlencode(form)
