"""Scrapy's robots.txt middleware, with every request that waited for a site's robots.txt
judged by it.

Scrapy 2.19 keeps one Deferred per site while its robots.txt downloads, and each waiting
request awaits that Deferred through ``Deferred.asFuture``, which *consumes* its result: with
the asyncio reactor the first waiter gets the parser and every later one gets ``None``, which
the middleware reads as "no robots.txt" and lets through. A crawl sends one request first and
never saw it; a re-scan's pages served from the store (spiders/conditional.py) send many at
once, and pages robots.txt forbids were fetched (tests/test_crawl.py). Here each waiter gets
its own Deferred, relayed from the site's one — what Scrapy did before its middleware became
``async def`` (scrapy/scrapy#6802, whose review noted the path had no test). To be dropped
when Scrapy fixes it upstream.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred


class EveryWaiterRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request):
        from scrapy.utils.httpobj import urlparse_cached

        netloc = urlparse_cached(request).netloc
        pending = getattr(self, "_parsers", {}).get(netloc)
        if not isinstance(pending, Deferred):
            # Not waiting (nothing asked yet, or the parser is there): Scrapy's own code,
            # whose first caller starts the download and is the one awaiting the Deferred.
            return await super().robot_parser(request)
        waiter: Deferred = Deferred()

        def relay(result):
            waiter.callback(result)
            return result  # the next waiter's relay gets it too

        pending.addCallback(relay)
        return await maybe_deferred_to_future(waiter)
