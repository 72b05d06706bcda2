"""The crawl's waiting requests on disk: Scrapy's LIFO pickle queue, naming callbacks cheaply.

Scrapy writes a request to its disk queue as a dict naming the spider methods it calls back;
it finds each name with ``inspect.getmembers(spider)`` — every attribute of the spider, twice
a request (callback and errback), about a twentieth of a crawl's CPU time. Our spider's
callbacks are its own bound methods, so their names are their ``__name__``; anything else is
left to Scrapy's own way.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.squeues import PickleLifoDiskQueue


class RequestDiskQueue(PickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    def push(self, request: Request) -> None:
        names = [_own_method(self.spider, f) for f in (request.callback, request.errback)]
        if any(name is False for name in names):
            return super().push(request)
        data: dict[str, Any] = {"url": request.url, "callback": names[0],
                                "errback": names[1], "headers": dict(request.headers)}
        for attr in request.attributes:
            data.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            data["_class"] = request.__module__ + "." + request.__class__.__name__
        # The dict Scrapy's own push would build: past it, to the pickling queue.
        return super(PickleLifoDiskQueue, self).push(data)


def _own_method(spider: Any, func: Any) -> str | None | bool:
    """The name of ``func`` if it is one of ``spider``'s methods, ``None`` for no function,
    ``False`` when it is something else (left to Scrapy)."""
    if func is None:
        return None
    name = getattr(func, "__name__", None)
    if getattr(func, "__self__", None) is spider and name and \
            getattr(getattr(spider, name, None), "__func__", None) is func.__func__:
        return name
    return False
