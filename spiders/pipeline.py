"""Write every crawled page into the store (batched commits)."""

from __future__ import annotations

import time

from auditor.store import Store

BATCH = 50
#: Commit at least this often (seconds): progress is visible, and a crawler killed midway
#: loses at most this much of its work (its run is resumed).
COMMIT_EVERY = 1.0


class StorePipeline:
    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = Store(spider.db_path)
        self.pending = 0
        self.committed = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        spider = spider or self.crawler.spider
        self.store.add_page(spider.run_id, commit=False, **item)
        self.pending += 1
        if self.pending >= BATCH or time.monotonic() - self.committed >= COMMIT_EVERY:
            self.store.commit()
            self.pending = 0
            self.committed = time.monotonic()
        return item

    def close_spider(self, spider=None) -> None:
        self.store.commit()
        self.store.close()
