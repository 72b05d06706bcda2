"""What a crawl run saw, column by column, judged from evidence (design.md §9).

A column is read **completely** only when its list pages yielded items and every further page of
the list was fetched and nothing on it was left unfollowed, or when it is **provably empty** (a
"暂无信息" placeholder and no list machinery). A column whose page shows list machinery but yielded
no items is **not read**; one with a page or part missing is **partly read**. Every item listed
is either fetched or counted as a gap with the reason. Pure: pages and readings in, coverage out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .parse.links import is_report_column, is_report_title
from .parse.lists import ListItem, ListReading, url_key

#: Outcomes of a page whose content the audit could not see.
GAP_OUTCOMES = {"timeout": "访问超时", "blocked": "被反爬虫/防火墙拦截（如 HTTP 412 或脚本验证）",
                "robots": "robots.txt 禁止抓取", "network_error": "网络错误（无法连接或域名无法解析）",
                "redirect_loop": "重定向循环或重定向过多", "offsite": "位于站外，未抓取",
                "skipped": "未抓取", "too_large": "超过大小上限（含解压后），未读取",
                "empty": "页面内容为空（疑似防火墙拦截或系统故障）",
                "server_error": "服务器错误（HTTP 500–599，重试后仍失败）"}


def gap_of(page: Any) -> str | None:
    """The gap outcome of a page whose content the audit could not see (``server_error`` for
    an HTTP 5xx), ``None`` for a page that was read or answered a client error (404…)."""
    if page.outcome == "http_error":
        return "server_error" if (page.status or 0) >= 500 else None
    return page.outcome if page.outcome in GAP_OUTCOMES else None
STATE_CN = {"complete": "已完整读取", "partial": "部分读取", "unread": "未能读取",
            "empty": "确认为空栏目", "none": "未发现列表", "failed": "栏目页无法访问"}


@dataclass(frozen=True)
class ItemCoverage:
    url: str
    title: str
    list_date: str | None
    #: ok, broken (fetched, HTTP error: WEB-10 reports it), or a gap: not_fetched, timeout,
    #: blocked, robots, network_error, redirect_loop, offsite, skipped.
    outcome: str
    why: str | None = None

    @property
    def fetched(self) -> bool:
        return self.outcome in ("ok", "broken")


@dataclass(frozen=True)
class ColumnCoverage:
    """One column: its list pages, what they listed and what the crawl fetched of it."""

    url: str
    name: str | None
    adapter: str
    cue: str
    state: str
    reasons: tuple[str, ...]
    items: tuple[ItemCoverage, ...]
    pages_read: int
    pages_missing: tuple[tuple[str, str], ...] = ()
    declared_items: int | None = None
    report_column: bool = False
    dated: int = 0
    placeholder: str | None = None
    #: How the column was found: by its link text, its page's ColumnName tag, the start page.
    found_by: str = ""

    @property
    def listed_completely(self) -> bool:
        return self.state in ("complete", "empty")

    @property
    def gaps(self) -> list[ItemCoverage]:
        return [i for i in self.items if not i.fetched]

    @property
    def label(self) -> str:
        return self.name or self.url

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "name": self.name, "state": self.state,
            "state_label": STATE_CN.get(self.state, self.state),
            "adapter": self.adapter, "cue": self.cue, "reasons": list(self.reasons),
            "items_listed": len(self.items), "items_fetched": sum(i.fetched for i in self.items),
            "items_dated": self.dated, "declared_items": self.declared_items,
            "pages_read": self.pages_read,
            "pages_missing": [{"url": u, "why": w} for u, w in self.pages_missing],
            "gaps": [{"url": i.url, "title": i.title, "outcome": i.outcome, "why": i.why}
                     for i in self.gaps[:50]],
            "report_column": self.report_column,
            "found_by": self.found_by,
        }


@dataclass
class _Column:
    url: str
    name: str | None = None
    readings: list[ListReading] = field(default_factory=list)
    pages_read: int = 0
    failed: str | None = None
    found_by: str = ""
    stopped: str | None = None


def column_coverage(pages: Iterable[Any], readings: Mapping[int, ListReading],
                    dated_urls: Iterable[str] = (),
                    names: Mapping[int, str] | None = None,
                    stopped: Mapping[str, str] | None = None) -> list[ColumnCoverage]:
    """Coverage of every column of a run.

    ``pages`` are the run's :class:`~auditor.store.PageRecord` s (with their evidence kind);
    ``readings`` the list reading of every list page, by page id; ``dated_urls`` the documents
    that have a 发布日期; ``names`` what a list page calls its column (ColumnName, title), by
    page id, for columns the crawl did not reach by a named link; ``stopped`` why the crawl
    stopped turning a column's pages (its crawl notes), by column URL.
    """
    names = names or {}
    stopped = {url_key(k): v for k, v in (stopped or {}).items()}
    pages = list(pages)
    by_key: dict[str, Any] = {}
    for page in pages:
        for address in (page.url, page.final_url):
            if address:
                by_key.setdefault(url_key(address), page)
    dated = {url_key(u) for u in dated_urls}
    columns: dict[str, _Column] = {}
    for page in pages:
        reading = readings.get(page.id)
        navigational = (page.reached_as or page.kind) in ("column", "list")
        if reading is None and not (navigational and page.outcome != "ok"):
            continue
        if page.outcome == "offsite" and page.reached_as == "column":
            continue  # a link to another site's column: recorded as off-site, not ours
        key = page.column_url or page.url
        column = columns.setdefault(url_key(key), _Column(key))
        if not column.found_by:
            column.found_by = _found_by(page, names.get(page.id))
        column.name = column.name or page.column_name or names.get(page.id)
        if page.outcome != "ok":
            if url_key(page.url) == url_key(key):
                column.failed = GAP_OUTCOMES.get(page.outcome) or page.error or page.outcome
            continue
        column.pages_read += 1
        column.readings.append(reading)
    for key, column in columns.items():
        column.stopped = stopped.get(key)
    return [_judge(c, by_key, dated) for c in columns.values()]


def _found_by(page: Any, page_name: str | None) -> str:
    """How the crawl came to this column, for the coverage report."""
    from .parse.links import is_column_link

    if page.reached_as == "home" or (page.kind == "home" and not page.column_name):
        return "抓取起始页"
    if page.column_name and is_column_link(page.column_name, page.url):
        return f"链接文字“{page.column_name}”"
    if page.column_name:
        return f"政府信息公开专栏之下的网址（链接文字“{page.column_name}”）"
    if page_name:
        return f"页面标签或标题“{page_name}”"
    return "列表页"


def _judge(column: _Column, by_key: Mapping[str, Any], dated: set[str]) -> ColumnCoverage:
    if column.failed and not column.readings:
        return ColumnCoverage(column.url, column.name, "-", "-", "failed",
                              (f"栏目页无法访问：{column.failed}",), (), 0,
                              found_by=column.found_by)
    items: dict[str, ListItem] = {}
    wanted: dict[str, str] = {}
    reasons: list[str] = []
    declared = None
    placeholder = None
    # Every page of a TRS list names all its pages, and the audit holds one tuple for them
    # (auditor.site_audit): walked once, not once a page (a million URLs at 1,000 pages).
    walked: set[int] = set()
    for reading in column.readings:
        for item in reading.items:
            items.setdefault(url_key(item.url), item)
        if id(reading.pages) not in walked:
            walked.add(id(reading.pages))
            for request in reading.pages:
                wanted.setdefault(url_key(request.key) if request.method == "GET"
                                  else request.key, request.key)
        if reading.unfollowed and reading.unfollowed not in reasons:
            reasons.append(reading.unfollowed)
        reasons.extend(n for n in reading.notes if n not in reasons)
        if reading.declared_items is not None:
            declared = max(declared or 0, reading.declared_items)
        placeholder = placeholder or reading.placeholder
        if not reading.items and not reading.unfollowed and (
                reading.declared_items == 0 or reading.declared_pages == 0):
            # The page's own pager says the list has nothing ("共0条"): provably empty.
            placeholder = placeholder or "列表声明共0条"
    first = column.readings[0]
    missing = []
    for key, address in wanted.items():
        page = by_key.get(key) or by_key.get(url_key(address))
        if page is None or page.outcome != "ok":
            why = (column.stopped or "未抓取（超出页数预算或时间上限，或被中止）") if page is None \
                else (GAP_OUTCOMES.get(gap_of(page) or "") or page.error or page.outcome)
            missing.append((address, why))
    covered = []
    for key, item in items.items():
        page = by_key.get(key)
        if page is None:
            covered.append(ItemCoverage(item.url, item.title, item.list_date, "not_fetched",
                                        "未抓取（超出页数预算、深度或被中止）"))
        elif page.outcome == "ok":
            covered.append(ItemCoverage(item.url, item.title, item.list_date, "ok"))
        elif gap_of(page) is None and page.outcome == "http_error":
            covered.append(ItemCoverage(item.url, item.title, item.list_date, "broken",
                                        page.error))
        else:
            gap = gap_of(page) or page.outcome
            covered.append(ItemCoverage(item.url, item.title, item.list_date, gap,
                                        GAP_OUTCOMES.get(gap) or page.error))
    if column.stopped and column.stopped not in reasons:
        reasons.append(column.stopped)
    if missing:
        reasons.append(f"{len(missing)}个列表分页未能读取")
    if declared is not None and declared > len(items) and not any(
            r.unfollowed for r in column.readings):
        reasons.append(f"列表声称共{declared}条，实际读到{len(items)}条")
    gaps = [c for c in covered if not c.fetched]
    if gaps:
        reasons.append(f"{len(gaps)}个列出的条目未能抓取")
    if not items:
        if any(r.unfollowed for r in column.readings):
            state = "unread"
        elif placeholder:
            state = "empty"
        else:
            state = "none"
    else:
        state = "partial" if reasons else "complete"
    name = column.name
    report_column = bool(name and is_report_column(name)) or (
        bool(items) and sum(is_report_title(i.title) for i in items.values()) * 2 >= len(items))
    return ColumnCoverage(
        column.url, name, first.adapter, first.cue, state, tuple(reasons), tuple(covered),
        column.pages_read, tuple(missing), declared, report_column,
        sum(1 for k in items if k in dated), placeholder, column.found_by)
