"""Scrapy's downloader, holding each site to its concurrency.

With the asyncio reactor, Scrapy (2.13 to at least 2.19) starts each download as a task that
runs on a later turn of the loop, and only the task marks its request as *transferring*; the
loop that hands out a slot's queued requests therefore sees the slot still free and sends every
queued request at once. Without a download delay a site got up to ``CONCURRENT_REQUESTS``
(8) requests at a time instead of ``--concurrency`` (2), and the connection pool, which keeps
``--concurrency`` connections per host, opened a new TCP connection (a TLS handshake on
https) for about every second page. Here the request is marked transferring when it is handed
out; Scrapy's own ``_download`` marks it again (a set) and unmarks it when it is done.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot

try:
    from scrapy.utils.asyncio import call_later
    from scrapy.utils.defer import _schedule_coro
except ImportError:  # a Scrapy with other internals: its own loop, unchanged
    _schedule_coro = None


class SiteBoundDownloader(Downloader):
    def _process_queue(self, slot: Slot) -> None:
        if _schedule_coro is None:
            super()._process_queue(slot)
            return
        if slot.latercall:
            return  # a delayed turn is already due
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # now, not when the task gets to run
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one request per delay
                self._process_queue(slot)
                break
