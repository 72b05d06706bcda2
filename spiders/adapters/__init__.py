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
``base``    the generic reader (dated links, 下一页 / numbered / ``index_N`` pages, iframes)
"""

from __future__ import annotations

from auditor.parse.lists import ListReading
from auditor.parse.page import Page

from .base import ListAdapter
from .gkmlpt import GkmlptAdapter
from .hanweb import HanwebAdapter, JpaasAdapter, XxgkSearchAdapter
from .trs import TrsAdapter, TrsAvalonAdapter, TrsIrsAdapter, TrsSearchAnswerAdapter
from .ucap import UcapAdapter

__all__ = ["ADAPTERS", "ListAdapter", "read_list"]

#: Tried in order; the first whose cue matches a page reads it (generic is the fallback).
ADAPTERS: list[ListAdapter] = [
    GkmlptAdapter(), UcapAdapter(), JpaasAdapter(), XxgkSearchAdapter(), HanwebAdapter(),
    TrsSearchAnswerAdapter(), TrsIrsAdapter(), TrsAvalonAdapter(), TrsAdapter(), ListAdapter(),
]


def read_list(page: Page) -> ListReading:
    """The list a page carries, read by the first adapter that recognises it."""
    for adapter in ADAPTERS:
        cue = adapter.cue(page)
        if cue:
            return adapter.read(page, cue)
    raise AssertionError("the generic adapter always matches")  # pragma: no cover
