"""Where the crawl's waiting requests live: in memory up to a bound, on disk beyond it.

Lists go first, so every document a big column lists waits in the queue at once (50,000
requests are about 100 MB as Scrapy objects). Scrapy with a ``JOBDIR`` puts *every* waiting
request on disk (pickled, written, read back), which cost a 5,000-document site a quarter of
its crawl time although such a site never needs it (the default budget is 2,000 pages). Here a
request waits in memory, in priority order, while fewer than :data:`SPILL_AFTER` do; beyond
that it goes to Scrapy's disk queue (``JOBDIR``), which is read once memory is empty.

The price: a request that arrives while memory is full waits behind the memory queue whatever
its priority. Only a site with more than :data:`SPILL_AFTER` requests waiting at once meets it,
and the disclosure columns are found and listed before such a backlog builds up.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter

#: Requests kept waiting in memory before further ones go to disk (~20 MB).
SPILL_AFTER = 10_000


class SpillingScheduler(Scheduler):
    def _dqpush(self, request: Request) -> bool:
        if len(self.mqs) < SPILL_AFTER:
            return False  # Scheduler.enqueue_request then pushes it to the memory queue
        return super()._dqpush(request)


class MemoryDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter without its ``JOBDIR/requests.seen`` file: the fingerprints
    are kept in memory either way, and our crawls are resumed from the store, never from the
    job directory, so writing every fingerprint to disk bought nothing."""

    def __init__(self, path: str | None = None, debug: bool = False, **kwargs) -> None:
        super().__init__(None, debug, **kwargs)
