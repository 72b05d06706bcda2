"""Retries for 429 and 503 with exponential backoff, honouring Retry-After (capped)."""

from __future__ import annotations

import asyncio

from scrapy.http import Request, Response

BACKOFF_CODES = (429, 503)
MAX_TRIES = 3
BASE_DELAY = 2.0
MAX_DELAY = 60.0


class BackoffRetryMiddleware:
    async def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in BACKOFF_CODES:
            return response
        tries = request.meta.get("backoff_tries", 0)
        if tries >= MAX_TRIES:
            return response
        delay = min(BASE_DELAY * (2 ** tries), MAX_DELAY)
        retry_after = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
        if retry_after.isdigit():
            delay = min(float(retry_after), MAX_DELAY)
        delay *= getattr(spider, "backoff_scale", 1.0)
        await asyncio.sleep(delay)
        retry = request.replace(dont_filter=True)
        retry.meta["backoff_tries"] = tries + 1
        return retry
