"""List-page adapters: each CMS family says where a column's items and further pages are.

An adapter is pure: it reads a :class:`~auditor.parse.page.Page` and returns a
:class:`~auditor.parse.lists.ListReading` — the items, the requests for the column's other
pages (including the list APIs the page's own script calls), the totals the page claims and any
part of the list it cannot follow. The spider turns the requests into Scrapy requests; the
offline audit reads the stored pages with the same adapters to judge coverage. Each adapter
names the cue it matched on, so a list met in the field that no adapter reads is reported with
what was seen, and a new variant is one class in one of these modules:

``hanweb``  大汉 jcms datastore / jpage / InitData, JPAAS unit build, the xxgk search module
``trs``     TRS WCM ``createPageHTML``, trt avalon (``quickMode``) with its search API, IRS
``gkmlpt``  Guangdong 政府信息公开目录管理平台 (``_CONFIG`` SID/TREE and ``api/all``)
``ucap``    开普云 UCAP ``/common/search`` JSON
``ajax``    any JSON list the page's own script asks for (``$.ajax``, ``fetch``…)
``base``    the generic reader (dated links, 下一页 / numbered / ``index_N`` pages, iframes)
"""

from __future__ import annotations

from auditor.parse.lists import ListReading
from auditor.parse.page import Page

from .ajax import AjaxJsonAdapter
from .base import ListAdapter
from .gkmlpt import GkmlptAdapter
from .hanweb import HanwebAdapter, JpaasAdapter, XxgkSearchAdapter
from .trs import TrsAdapter, TrsAvalonAdapter, TrsIrsAdapter, TrsSearchAnswerAdapter
from .ucap import UcapAdapter

__all__ = ["ADAPTERS", "ListAdapter", "read_list"]

#: Tried in order; the first whose cue matches a page reads it (generic is the fallback).
ADAPTERS: list[ListAdapter] = [
    GkmlptAdapter(), UcapAdapter(), JpaasAdapter(), XxgkSearchAdapter(), HanwebAdapter(),
    TrsSearchAnswerAdapter(), TrsIrsAdapter(), TrsAvalonAdapter(), TrsAdapter(),
    AjaxJsonAdapter(), ListAdapter(),
]


def read_list(page: Page) -> ListReading:
    """The list a page carries, read by the first adapter that recognises it.

    The page comes from the site: markup or JSON no adapter was written for may break one.
    That list is then *unread* (its column not complete, SCAN-01 at its URL), never a lost
    crawl or audit and never an empty column."""
    for adapter in ADAPTERS:
        cue = adapter.cue(page)
        if cue:
            try:
                return adapter.read(page, cue)
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is "not read"
                return ListReading(adapter.name, cue, unfollowed=f"列表无法解析（{adapter.name}："
                                   f"{type(exc).__name__}）")
    raise AssertionError("the generic adapter always matches")  # pragma: no cover
