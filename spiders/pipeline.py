"""Write every crawled page into the store (batched commits).

A batch is committed after :data:`BATCH` pages or :data:`SECONDS`, whichever comes first, so
the live progress display (which reads the store) moves on a slow, polite crawl too."""

from __future__ import annotations

import time

from auditor.store import Store

BATCH = 50
SECONDS = 1.0


class StorePipeline:
    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = Store(spider.db_path)
        self.pending = 0
        self.last_commit = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        spider = spider or self.crawler.spider
        self.store.add_page(spider.run_id, commit=False, **item)
        self.pending += 1
        if self.pending >= BATCH or time.monotonic() - self.last_commit >= SECONDS:
            self.store.commit()
            self.pending = 0
            self.last_commit = time.monotonic()
        return item

    def close_spider(self, spider=None) -> None:
        self.store.commit()
        self.store.close()
