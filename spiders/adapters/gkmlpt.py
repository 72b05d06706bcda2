"""Guangdong gkmlpt (政府信息公开目录管理平台): docs/cms-variants.md §2."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from auditor.parse.lists import ListItem, ListReading, PageRequest
from auditor.parse.page import Page
from auditor.timefmt import day_of_timestamp

from .base import ListAdapter, balanced, json_of

_SID = re.compile(r"\bSID\s*:\s*['\"]?(\w+)['\"]?")
_TREE = re.compile(r"\bTREE\s*:\s*\[")
PER_PAGE = 100


def _leaves(nodes: list, out: list[dict]) -> None:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        children = node.get("children") or []
        if children:
            _leaves(children, out)
        elif not node.get("jump_url") and node.get("id") is not None:
            out.append(node)


def _day(article: dict) -> str | None:
    created = str(article.get("created_at") or "")
    m = re.match(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", created)
    if m:
        return "-".join(m.groups())
    for key in ("display_publish_time",):
        value = article.get(key)
        if isinstance(value, (int, float)) or str(value or "").isdigit():
            return day_of_timestamp(value)
    return None


def _issued(article: dict) -> str | None:
    """``date`` (unix seconds) is the 成文日期 in HULE-GK's mapping (cms-variants.md §2: which
    field the site shows as 发布日期 is unverified; ``created_at`` is taken as the publication)."""
    value = article.get("date")
    if isinstance(value, (int, float)) or str(value or "").isdigit():
        return day_of_timestamp(value)
    return None


class GkmlptAdapter(ListAdapter):
    """gkmlpt: the index page ``…/gkmlpt/index`` is a script shell whose ``window._CONFIG``
    carries ``SID`` and the category ``TREE``; each leaf category is read from the JSON API
    ``…/gkmlpt/api/all/{id}?page=N&sid=SID`` (100 articles a page, ``classify.post_count`` the
    category's size; keys vary per article: ``created_at``, ``display_publish_time`` and ``date``
    are all kept; ``identifier`` is the 索引号, ``document_number`` the 文号). The API often serves
    only a recent window of a category: the shortfall against ``post_count`` is reported.

    Built from ``gkmlpt-zhaoqing-api-col21023.json`` and ``gkmlpt-zhaoqing-content-post3255421.html``
    in shared/corpus/pages (an article without ``identifier`` and ``created_at``) and HULE-GK's
    ``store_gkmlpt_document`` (cms-variants.md §2)."""

    name = "gkmlpt"

    def cue(self, page: Page) -> str | None:
        if "/gkmlpt/api/" in page.url:
            data = json_of(page)
            return "gkmlpt 列表接口的回答" if isinstance(data, dict) and "articles" in data else None
        text = page.text
        if "_CONFIG" in text and _SID.search(text) and _TREE.search(text) and \
                not re.search(r"\bDETAIL\s*:", text):
            return "gkmlpt 目录页（_CONFIG 的 SID 与 TREE）"
        return None

    def read(self, page: Page, cue: str) -> ListReading:
        if "/gkmlpt/api/" in page.url:
            return self._answer(page, cue)
        text = page.text
        sid = _SID.search(text).group(1)
        tree_at = _TREE.search(text)
        try:
            tree = json.loads(balanced(text, tree_at.end() - 1))
        except ValueError:
            return ListReading(self.name, cue, unfollowed="gkmlpt 目录树（TREE）无法解析")
        leaves: list[dict] = []
        _leaves(tree if isinstance(tree, list) else [], leaves)
        path = urlsplit(page.url).path
        base = page.url[:page.url.index(path)] + path[:path.index("/gkmlpt/") + len("/gkmlpt/")] \
            if "/gkmlpt/" in path else urljoin(page.url, "/gkmlpt/")
        pages = tuple(PageRequest(f"{base}api/all/{leaf['id']}?{urlencode({'page': 1, 'sid': sid})}")
                      for leaf in leaves)
        declared = sum(int(leaf.get("post_count") or 0) for leaf in leaves) or None
        if not pages:
            return ListReading(self.name, cue, unfollowed="gkmlpt 目录树中没有可读取的栏目")
        return ListReading(self.name, cue, (), pages, declared_items=declared)

    def _answer(self, page: Page, cue: str) -> ListReading:
        data = json_of(page)
        articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
        items = []
        for article in articles:
            href = article.get("url") or article.get("post_url")
            if not href:
                continue
            fields = tuple((key, str(article[key])) for key in
                           ("identifier", "document_number", "publisher", "date",
                            "display_publish_time", "created_at")
                           if article.get(key) not in (None, ""))
            items.append(ListItem(urljoin(page.url, str(href)), str(article.get("title") or ""),
                                  _day(article), fields, _issued(article)))
        classify = data.get("classify") or {}
        declared = classify.get("post_count") if isinstance(classify.get("post_count"), int) \
            else None
        query = dict(parse_qsl(urlsplit(page.url).query))
        number = int(query.get("page") or 1)
        pages = []
        if len(articles) >= PER_PAGE and (declared is None or number * PER_PAGE < declared):
            query["page"] = str(max(number, 1) + 1)
            pages.append(PageRequest(page.url.split("?", 1)[0] + "?" + urlencode(query)))
        notes = ()
        if declared is not None and len(articles) < PER_PAGE and \
                (number - 1) * PER_PAGE + len(articles) < declared:
            notes = (f"gkmlpt 接口只提供了该栏目的{(number - 1) * PER_PAGE + len(articles)}条，"
                     f"栏目共{declared}条（接口只开放最近的部分）",)
        return ListReading(self.name, cue, tuple(items), tuple(pages), declared_items=declared,
                           notes=notes)
