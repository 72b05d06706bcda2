"""Conditional re-scans: ask the site whether a page changed since the site's last finished
run, and reuse the stored body when it did not.

Two ways of asking, one answer. Before the crawl, :mod:`spiders.revalidate` asks about every
page the last run stored with validators (``ETag``, ``Last-Modified``), outside Scrapy; when
the crawl then reaches a page answered ``304 Not Modified`` there,
:class:`RevalidatedPagesMiddleware` hands the spider the stored bytes at once, without another
request. Every other GET of such a page (the pass stopped early, or was not run) carries
``If-None-Match`` / ``If-Modified-Since`` (:class:`ConditionalRequestMiddleware`) and a 304 is
turned into the stored bytes the same way. Either way the spider navigates and records the
page exactly as before (outcome ok, the same body hash; status 304 says it was revalidated)
and the audit sees identical bytes. A stored body that is gone makes the request go again,
unconditionally.

We use our own middleware rather than Scrapy's HTTP cache with its RFC 2616 policy: that policy
serves a cached page without asking the site while its ``Cache-Control`` / ``Expires`` say it
is fresh, and an audit must see the live site every time; here every page is asked for.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import signals
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from twisted.python.failure import Failure

from auditor.store import Validators

from .revalidate import NotModified, Revalidation
from .stored import READ_AHEAD, StoredPages


def not_modified_response(request: Request, known: Validators, body: bytes | None,
                          headers: Headers) -> Response:
    """The response the spider gets for a page the site said is unchanged: the stored bytes
    (None: a page revisited without them, spiders/navigation.py), status 304, flagged
    ``not_modified``; the validators stay those the page was stored with unless the site sent
    new ones in ``headers``."""
    headers = Headers(headers)
    headers.pop(b"Content-Length", None)
    if known.content_type:
        headers[b"Content-Type"] = known.content_type
    if known.etag and b"ETag" not in headers:
        headers[b"ETag"] = known.etag
    if known.last_modified and b"Last-Modified" not in headers:
        headers[b"Last-Modified"] = known.last_modified
    if body is None:
        return Response(url=request.url, status=304, headers=headers, request=request,
                        flags=["not_modified"])
    cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return cls(url=request.url, status=304, headers=headers, body=body, request=request,
               flags=["not_modified"])


def stored_pages(spider) -> StoredPages | None:
    """The spider's :class:`StoredPages` (given by the runner), if this crawl is a re-scan."""
    return getattr(spider, "stored", None)


class ConditionalRequestMiddleware:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.stored: StoredPages | None = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings.getbool("CONDITIONAL_REQUESTS", True))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        if not self.enabled:
            return
        self.stored = stored_pages(spider)
        if self.stored is None and getattr(spider, "db_path", None):
            self.stored = StoredPages.before_run(spider.db_path, spider.run_id)

    def spider_closed(self, spider) -> None:
        if self.stored is not None:
            self.stored.close()

    def process_request(self, request: Request, spider=None):
        known = self.stored.get(request.url) if self.stored is not None and \
            request.method == "GET" else None
        if known is None or request.meta.get("unconditional"):
            return None
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        request.meta["conditional"] = known
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        known: Validators | None = request.meta.get("conditional")
        if response.status != 304 or known is None:
            return response
        body = self.stored.body(known.hash) if self.stored is not None else None
        if body is None:  # the stored bytes are gone: ask again, for the whole page
            retry = request.replace(dont_filter=True)
            for header in (b"If-None-Match", b"If-Modified-Since"):
                retry.headers.pop(header, None)
            retry.meta["unconditional"] = True
            retry.meta.pop("conditional", None)
            return retry
        page = not_modified_response(request, known, body, response.headers)
        page.flags[:0] = response.flags
        return page


#: Marks a pause in the spider's output: the event loop gets a turn (real downloads go on).
_PAUSE = object()
#: Pages served from the store between two pauses.
_PAUSE_EVERY = 20
#: Requests waiting to be served from the store at once; further ones go to Scrapy's queue
#: (as conditional requests) instead, so memory stays bounded (spiders/scheduler.py).
MAX_WAITING = 10_000


class RevalidatedPagesMiddleware:
    """Serves the pages :mod:`spiders.revalidate` found unchanged from the store, at the moment
    the crawl reaches them, without another request: a spider middleware that runs the
    spider's callback on the stored page for each such request the spider yields, and passes
    on only what must really be fetched.

    The crawl navigates exactly as it would with a 304 from the site: the same callback, the
    same pacing of lists, the same records. Served requests wait in one queue per callback
    output in Scrapy's own order (priority, then first come), are counted as responses
    (``CLOSESPIDER_PAGECOUNT`` holds) and are filtered as duplicates, as Scrapy would.
    A page the crawl no longer reaches (taken off every list) is not served: it is not in the
    run, as in a full scan.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("CLOSESPIDER_PAGECOUNT")
        self.responses = 0
        self.stored: StoredPages | None = None
        self.revalidation: Revalidation | None = None
        self.unchanged: dict[str, NotModified] = {}
        self.served: set[str] = set()
        self.sequence = itertools.count()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        revalidation: Revalidation | None = getattr(spider, "revalidation", None)
        self.stored = stored_pages(spider)
        if revalidation is not None and self.stored is not None:
            self.revalidation = revalidation
            self.unchanged = dict(revalidation.unchanged)
        self.spider = spider

    def response_received(self, response, request, spider) -> None:
        self.responses += 1

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            async for out in self.serve_async(item, None):
                yield out

    def process_spider_output(self, response, result: Iterable[Any], spider=None):
        for out in self.serve(result, response):
            # None is dropped by Scrapy's scraper: it only gives the event loop a turn.
            yield None if out is _PAUSE else out

    async def process_spider_output_async(self, response, result: AsyncIterator[Any],
                                          spider=None):
        # Scrapy asks for it beside process_start; the spider's callbacks are not async, so
        # this only keeps a future async callback working (each request served on its own).
        async for item in result:
            async for out in self.serve_async(item, response):
                yield out

    async def serve_async(self, item: Any, response: Response | None) -> AsyncIterator[Any]:
        """:meth:`serve` for one item of an asynchronous output, its pauses awaited."""
        for out in self.serve([item], response):
            if out is _PAUSE:
                await asyncio.sleep(0)
            else:
                yield out

    def serve(self, result: Iterable[Any], response: Response | None) -> Iterator[Any]:
        """``result`` with every request for an unchanged page replaced by what the spider's
        callback yields for the stored page, and so on for the pages that leads to."""
        if not self.unchanged and not self.served:  # not a re-scan, or nothing unchanged
            yield from result
            return
        waiting: list[tuple[int, int, Request]] = []
        yield from self.pass_on(result, waiting)  # the real response's: Scrapy reports errors
        served = 0
        while waiting:
            request = heapq.heappop(waiting)[2]
            if request.url in self.served and not request.dont_filter:
                continue  # a duplicate, as Scrapy's filter would drop it
            try:
                served_page = self.page_for(request, waiting)
            except Exception:  # the store could not be read: the page is fetched after all
                self.crawler.signals.send_catch_log(signal=signals.spider_error,
                                                    failure=Failure(), response=response,
                                                    spider=self.spider)
                served_page = None
            if served_page is None:
                yield request
                continue
            page, callback = served_page
            try:
                yield from self.pass_on(callback(page), waiting)
            except Exception:
                self.crawler.signals.send_catch_log(signal=signals.spider_error,
                                                    failure=Failure(), response=page,
                                                    spider=self.spider)
            served += 1
            if served % _PAUSE_EVERY == 0:
                yield _PAUSE

    def pass_on(self, items: Iterable[Any], waiting: list) -> Iterator[Any]:
        """What must go to Scrapy; requests for unchanged pages wait in ``waiting``."""
        for item in items:
            if not isinstance(item, Request) or item.method != "GET":
                yield item
            elif item.url in self.served and not item.dont_filter:
                continue  # a duplicate, as Scrapy's filter would drop it
            elif item.url in self.unchanged and len(waiting) < MAX_WAITING and \
                    not item.meta.get("unconditional"):
                heapq.heappush(waiting, (-item.priority, next(self.sequence), item))
            else:
                if self.unchanged.pop(item.url, None) is not None:
                    self.served.add(item.url)  # fetched after all: once
                yield item

    def page_for(self, request: Request, waiting: list):
        """The stored page for ``request`` (counted as a response) and the spider method that
        reads it, or None when it must be fetched after all (the page budget is spent, the
        stored bytes are gone). A document page whose navigation was kept is revisited
        without its bytes. What is read from the store is read ahead for the requests served
        next (``waiting``)."""
        answer = self.unchanged.get(request.url)
        known = self.stored.get(request.url) if self.stored is not None else None
        if answer is None or known is None or (self.limit and self.responses >= self.limit):
            return None
        del self.unchanged[request.url]
        self.served.add(request.url)
        navigation = None
        revisit = getattr(self.spider, "revisit", None)
        if revisit is not None and request.meta.get("kind") == "document":
            navigation = self.stored.navigation(request.url, known.hash,
                                                upcoming=self.upcoming(waiting, pairs=True))
        body = None if navigation else self.stored.body(known.hash,
                                                         upcoming=self.upcoming(waiting))
        if navigation is None and body is None:
            return None
        request.meta["conditional"] = known
        request.meta["started"] = time.monotonic() - answer.elapsed
        callback = request.callback
        if navigation is not None:
            stated = (known.content_type, answer.etag or known.etag,
                      answer.last_modified or known.last_modified)
            callback = functools.partial(revisit, navigation=navigation, headers=stated)
        if navigation is not None and not answer.set_cookies:
            # No headers: the revisit is given them (building them cost more than the rest).
            page = Response(url=request.url, status=304, request=request,
                            flags=["not_modified"])
        else:
            headers = Headers({name: value for name, value in (
                ("ETag", answer.etag), ("Last-Modified", answer.last_modified),
                ("Set-Cookie", list(answer.set_cookies))) if value})
            page = not_modified_response(request, known, body, headers)
            if answer.set_cookies:
                self.keep_cookies(request, page)
        self.crawler.signals.send_catch_log(signal=signals.response_received, response=page,
                                            request=request, spider=self.spider)
        self.revalidation.served += 1
        if navigation is not None:
            self.revalidation.revisited += 1
        return page, callback

    def keep_cookies(self, request: Request, page: Response) -> None:
        """Cookies the site set with a 304 the pass got go into the crawl's cookie jar, as
        they would have from a 304 the crawl got itself (a session a list interface needs)."""
        from scrapy.downloadermiddlewares.cookies import CookiesMiddleware

        downloader = getattr(self.crawler.engine, "downloader", None)
        for middleware in getattr(getattr(downloader, "middleware", None), "middlewares", ()):
            if isinstance(middleware, CookiesMiddleware):
                middleware.process_response(request, page)

    def upcoming(self, waiting: list, pairs: bool = False) -> Iterator[Any]:
        """The stored hashes (with ``pairs``: URL and hash, documents only) of the requests
        served next, in the order they will be."""
        for _, _, request in heapq.nsmallest(READ_AHEAD, waiting):
            known = self.stored.get(request.url)
            if known is None or request.url not in self.unchanged:
                continue
            if not pairs:
                yield known.hash
            elif request.meta.get("kind") == "document":
                yield request.url, known.hash
