"""Conditional re-scans: ask the site whether a page changed since the site's last finished
run, and reuse the stored body when it did not.

For every GET of a URL whose body the last finished run of the same site stored with
validators (``ETag``, ``Last-Modified``), the request carries ``If-None-Match`` /
``If-Modified-Since``. A ``304 Not Modified`` answer is turned into a response with the stored
bytes, so the spider navigates it and records it exactly as before (outcome ok, the same body
hash; status 304 says it was revalidated) and the audit sees identical bytes. A stored body that
is gone makes the request go again, unconditionally.

We use our own middleware rather than Scrapy's HTTP cache with its RFC 2616 policy: that policy
serves a cached page without asking the site while its ``Cache-Control`` / ``Expires`` say it
is fresh, and an audit must see the live site every time; here every page is asked for.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from auditor.store import Store, Validators

#: Stored bodies read in one query when a 304 needs one that was not read yet: the next ones
#: in the last run's order (one query a page cost more than the rest of a 304's handling).
READ_AHEAD = 100


class ConditionalRequestMiddleware:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.validators: dict[str, Validators] = {}
        self.store: Store | None = None
        self.revalidated = 0
        #: Hashes in the order the last run fetched them, where each first is, and which
        #: were used already (not read ahead again).
        self.order: list[str] = []
        self.position: dict[str, int] = {}
        self.used = bytearray()
        #: Bodies read ahead, not used yet (bounded: a crawl in another order reads less
        #: ahead, never more).
        self.ahead: dict[str, bytes] = {}

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings.getbool("CONDITIONAL_REQUESTS", True))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        if not self.enabled or not getattr(spider, "db_path", None):
            return
        self.store = Store(spider.db_path)
        run = self.store.run(spider.run_id)
        if run is not None:
            self.validators = self.store.validators(run.site, before_run=run.id)
        self.order = list(dict.fromkeys(v.hash for v in self.validators.values()))
        self.position = {digest: index for index, digest in enumerate(self.order)}
        self.used = bytearray(len(self.order))

    def spider_closed(self, spider) -> None:
        if self.store is not None:
            self.store.close()

    def process_request(self, request: Request, spider=None):
        known = self.validators.get(request.url) if request.method == "GET" else None
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
        body = self.stored_body(known.hash)
        if body is None:  # the stored bytes are gone: ask again, for the whole page
            retry = request.replace(dont_filter=True)
            for header in (b"If-None-Match", b"If-Modified-Since"):
                retry.headers.pop(header, None)
            retry.meta["unconditional"] = True
            retry.meta.pop("conditional", None)
            return retry
        headers = Headers(response.headers)
        headers.pop(b"Content-Length", None)
        if known.content_type:
            headers[b"Content-Type"] = known.content_type
        # The validators stay those the page was stored with unless the site sent new ones.
        if known.etag and b"ETag" not in headers:
            headers[b"ETag"] = known.etag
        if known.last_modified and b"Last-Modified" not in headers:
            headers[b"Last-Modified"] = known.last_modified
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        self.revalidated += 1
        return cls(url=response.url, status=304, headers=headers, body=body, request=request,
                   flags=[*response.flags, "not_modified"])

    def stored_body(self, digest: str) -> bytes | None:
        """The stored bytes of ``digest``, read with the next :data:`READ_AHEAD` ones."""
        if self.store is None:
            return None
        start = self.position.get(digest)
        if digest not in self.ahead:
            if len(self.ahead) > 4 * READ_AHEAD:
                self.ahead.clear()
            wanted = [digest] if start is None else [digest] + [
                self.order[i] for i in range(start + 1, min(start + READ_AHEAD, len(self.order)))
                if not self.used[i] and self.order[i] not in self.ahead]
            self.ahead.update(self.store.blobs(wanted))
        if start is not None:
            self.used[start] = 1
        return self.ahead.pop(digest, None)
