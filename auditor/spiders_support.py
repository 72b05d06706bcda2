"""Small helpers shared by the scan command and the store, kept out of the Scrapy import path."""

from __future__ import annotations

from urllib.parse import urlsplit


def site_name(url: str) -> str:
    return (urlsplit(url).hostname or url).lower()
