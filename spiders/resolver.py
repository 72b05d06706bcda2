"""A DNS resolver for replica sites: names ending in ``.test`` or ``.localhost`` are 127.0.0.1.

Tests and benchmarks serve a site with several host names (``www.yunxi.test``,
``xxgk.yunxi.test``) from one local server (``auditor.devserver``, ``"hosts"`` in
``_server.json``); the crawl resolves them with this resolver, set as ``DNS_RESOLVER =
"auditor.spiders.resolver.LoopbackResolver"`` in the crawl's extra settings. Every other name
resolves as usual, so nothing else changes.
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer

LOOPBACK_SUFFIXES = (".test", ".localhost")


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        if name.lower().endswith(LOOPBACK_SUFFIXES):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)
