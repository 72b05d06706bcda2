"""Write every crawled page into the store (batched commits).

The spider records each page as it reads it (``DisclosureSpider.record``) through a
:class:`PageWriter` it owns, not as a Scrapy item: Scrapy's item machinery (the scraper's
output queue, two signals and two log messages an item) cost more than the write itself, and
nothing else consumes the pages.

A batch is committed after :data:`BATCH` pages or :data:`SECONDS`, whichever comes first, so
the live progress display (which reads the store) moves on a slow, polite crawl too."""

from __future__ import annotations

import time
from typing import Any

from auditor.store import Store

BATCH = 50
SECONDS = 1.0


class PageWriter:
    def __init__(self, db_path: str, run_id: int) -> None:
        self.store = Store(db_path)
        self.run_id = run_id
        self.pending = 0
        self.last_commit = time.monotonic()

    def write(self, page: dict[str, Any]) -> None:
        self.store.add_page(self.run_id, commit=False, **page)
        self.pending += 1
        if self.pending >= BATCH or time.monotonic() - self.last_commit >= SECONDS:
            self.commit()

    def remember(self, key: str, data: str) -> None:
        """Keep a page's navigation in the parse cache (committed with the pages)."""
        self.store.cache_parse(key, data)

    def commit(self) -> None:
        self.store.commit()
        self.pending = 0
        self.last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.store.close()
