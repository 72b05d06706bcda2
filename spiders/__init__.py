"""Crawling (Scrapy): one generic disclosure spider, CMS list adapters, polite settings.

Spiders only navigate and record pages in the store; nothing here parses dates or tables.
"""
