"""Polite crawl defaults in one place (design.md §7): a government network must tolerate us."""

from __future__ import annotations

from typing import Any

from auditor import __version__

PAGE_MAXSIZE = 8 * 1024 * 1024

USER_AGENT = (f"zwgk-auditor/{__version__} (政务公开合规检查; government transparency audit; "
              "+https://github.com/zwgk-auditor/zwgk-auditor)")


#: Scrapy's middlewares that do nothing for this spider, switched off: every request and every
#: object a callback yields passes through each one (a third of the crawl's own CPU time went
#: to such pass-throughs). The spider follows redirects itself (``dont_redirect`` on every
#: request, so loops and off-site targets are recorded), keeps every HTTP status
#: (``HTTPERROR_ALLOW_ALL``), counts depth in link hops, sets ``Referer`` itself, filters
#: hosts itself (``DisclosureSpider.may_fetch``) and sends no HTTP authentication. Scrapy's
#: per-request byte counts (``DownloaderStats``) are read by nothing: the store has each page.
_UNUSED_DOWNLOADER_MIDDLEWARES = dict.fromkeys((
    "scrapy.downloadermiddlewares.stats.DownloaderStats",
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware",
))
_UNUSED_SPIDER_MIDDLEWARES = dict.fromkeys((
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware",
    "scrapy.spidermiddlewares.referer.RefererMiddleware",
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
))


def crawl_settings(*, delay: float = 1.0, concurrency: int = 2, max_pages: int = 2000,
                   max_depth: int = 6, timeout: float = 20.0, obey_robots: bool = True,
                   autothrottle: bool = True, max_time: float = 3600.0,
                   conditional: bool = True) -> dict[str, Any]:
    return {
        "BOT_NAME": "zwgk-auditor",
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": obey_robots,
        "CONCURRENT_REQUESTS": max(concurrency, 1) * 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        # The spider yields requests only (pages are written as they are read:
        # spiders/pipeline.py); Scrapy's default of 100 started 100 asyncio tasks for every
        # response.
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": delay > 0,
        "AUTOTHROTTLE_ENABLED": autothrottle and delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.5),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(concurrency),
        "DOWNLOAD_TIMEOUT": timeout,
        # A page larger than this (after decompression too: a gzip bomb) is refused and
        # reported; attachments carry their own, larger limit (spiders/disclosure.py).
        "DOWNLOAD_MAXSIZE": PAGE_MAXSIZE,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [500, 502, 504, 522, 524, 408],
        # 429 and 503 are retried by our own middleware, with backoff and Retry-After.
        "DOWNLOADER_MIDDLEWARES": {"auditor.spiders.middleware.BackoffRetryMiddleware": 560,
                                   # every request waiting for robots.txt is judged by it
                                   # (spiders/robots.py): in Scrapy's own place
                                   "scrapy.downloadermiddlewares.robotstxt."
                                   "RobotsTxtMiddleware": None,
                                   "auditor.spiders.robots.EveryWaiterRobotsTxtMiddleware": 100,
                                   # re-scans: If-None-Match / If-Modified-Since, stored body
                                   # on 304 (spiders/conditional.py)
                                   "auditor.spiders.conditional.ConditionalRequestMiddleware":
                                   580, **_UNUSED_DOWNLOADER_MIDDLEWARES},
        # re-scans: pages found unchanged before the crawl are served from the store
        # (spiders/conditional.py); next to the engine, so what it serves reaches no other
        # spider middleware twice and its pauses reach the scraper.
        "SPIDER_MIDDLEWARES": {"auditor.spiders.conditional.RevalidatedPagesMiddleware": 10,
                               **_UNUSED_SPIDER_MIDDLEWARES},
        # Holds each site to CONCURRENT_REQUESTS_PER_DOMAIN (spiders/downloader.py).
        "DOWNLOADER": "auditor.spiders.downloader.SiteBoundDownloader",
        "CONDITIONAL_REQUESTS": conditional,
        "HTTPERROR_ALLOW_ALL": True,
        "REDIRECT_MAX_TIMES": 5,
        # Depth is counted by the spider itself in link hops (a list's further pages are not
        # a hop), so Scrapy's own limit is off.
        "DEPTH_LIMIT": 0,
        "CLOSESPIDER_PAGECOUNT": max_pages,
        # A wall-clock bound per site: what is left is reported by the audit, not lost.
        "CLOSESPIDER_TIMEOUT": max_time,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEED_EXPORT_ENCODING": "utf-8",
    }
