"""Write every crawled page into the SQLite store (batched commits)."""

from __future__ import annotations

from auditor.store import Store

BATCH = 50


class StorePipeline:
    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        self.store = Store(spider.db_path)
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        spider = spider or self.crawler.spider
        self.store.add_page(spider.run_id, commit=False, **item)
        self.pending += 1
        if self.pending >= BATCH:
            self.store.commit()
            self.pending = 0
        return item

    def close_spider(self, spider=None) -> None:
        self.store.commit()
        self.store.close()
