"""What keeps a crawl out of the traps government sites lay: the bookkeeping, not the requests.

:class:`TrapGuard` watches the pages followed as documents by their URL *pattern* (digits and
query values folded away): a pattern that keeps yielding pages that are not documents (a 日历
page linking every day from 1900 to 2100, a search page per keyword) or the same body again (a
session id in every link) is stopped after a few pages, and the count of what it skipped is
kept for the coverage report.

:class:`ListPacer` releases a column's further list pages a few at a time and stops when pages
stop adding items (an ``index_N.html`` that exists for every N, a pager that claims thousands of
pages), with the reason kept for the coverage report.

Pure bookkeeping (no Scrapy): the spider asks, records and reports.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_DIGITS = re.compile(r"\d+")
#: Session parameters dropped from links (the same page under endless names).
_SESSION = re.compile(r";jsessionid=[^?#/]*", re.I)
_SESSION_KEYS = frozenset({"jsessionid", "phpsessid", "aspsessionid", "sessionid"})


def without_session(url: str) -> str:
    """``url`` without a ``;jsessionid=`` path parameter or session query keys."""
    url = _SESSION.sub("", url)
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _SESSION_KEYS]
    if len(kept) == len(parse_qsl(parts.query, keep_blank_values=True)):
        return url
    from urllib.parse import urlencode

    return parts._replace(query=urlencode(kept)).geturl()


def pattern_of(url: str) -> str:
    """The URL's shape: host, path with digit runs folded to ``#``, and the query's keys."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.hostname or ''}{_DIGITS.sub('#', parts.path)}" + (
        "?" + "&".join(keys) if keys else "")


@dataclass
class _Pattern:
    fetched: int = 0
    documents: int = 0
    bodies: set[str] = field(default_factory=set)
    repeats: int = 0
    skipped: int = 0
    why: str | None = None


class TrapGuard:
    """Stops URL patterns that are traps; ``probe`` pages of a pattern are always fetched."""

    def __init__(self, probe: int = 20, repeat_share: float = 0.8) -> None:
        self.probe = probe
        self.repeat_share = repeat_share
        self.patterns: dict[str, _Pattern] = {}

    def allows(self, url: str) -> bool:
        """Whether a page followed as a document may be fetched (counts what is not)."""
        entry = self.patterns.get(pattern_of(url))
        if entry is None or entry.why is None:
            return True
        entry.skipped += 1
        return False

    def saw(self, url: str, kind: str, body_hash: str | None) -> None:
        """A page followed as a document was fetched: what it turned out to be."""
        entry = self.patterns.setdefault(pattern_of(url), _Pattern())
        entry.fetched += 1
        if kind in ("document", "report", "attachment"):
            entry.documents += 1
        if body_hash:
            if body_hash in entry.bodies:
                entry.repeats += 1
            entry.bodies.add(body_hash)
        if entry.why is None and entry.fetched >= self.probe:
            if entry.documents == 0:
                entry.why = (f"同一网址模式的{entry.fetched}个页面都不是文件（疑似日历、检索等无限链接），"
                             "停止抓取该模式")
            elif entry.repeats >= entry.fetched * self.repeat_share:
                entry.why = (f"同一网址模式的{entry.fetched}个页面内容大多重复（疑似会话参数等无限链接），"
                             "停止抓取该模式")

    def report(self) -> dict[str, dict[str, Any]]:
        return {p: {"fetched": e.fetched, "skipped": e.skipped, "why": e.why}
                for p, e in self.patterns.items() if e.why}


@dataclass
class _Column:
    queue: deque = field(default_factory=deque)
    queued: set[str] = field(default_factory=set)
    in_flight: int = 0
    released: int = 0
    items: set[str] = field(default_factory=set)
    stale: int = 0
    stopped: str | None = None


class ListPacer:
    """Releases each column's further list pages ``window`` at a time; a column whose pages
    stop adding items (``patience`` in a row) or that reaches ``max_pages`` is stopped."""

    def __init__(self, window: int = 4, patience: int = 3, max_pages: int = 1000) -> None:
        self.window = window
        self.patience = patience
        self.max_pages = max_pages
        self.columns: dict[str, _Column] = {}

    def offer(self, column: str, key: str, request: Any) -> None:
        """A further page the column's list asks for (kept once, released later)."""
        state = self.columns.setdefault(column, _Column())
        if key not in state.queued:
            state.queued.add(key)
            state.queue.append(request)

    def read(self, column: str, item_keys: list[str], *, first: bool = False) -> None:
        """A list page of the column was read (or failed: no items)."""
        state = self.columns.setdefault(column, _Column())
        if not first:
            state.in_flight = max(0, state.in_flight - 1)
        new = [k for k in item_keys if k not in state.items]
        state.items.update(new)
        if first:
            return
        state.stale = 0 if new else state.stale + 1
        if state.stale >= self.patience and state.stopped is None:
            state.stopped = (f"连续{self.patience}个列表分页没有新条目（疑似无限分页或重复列表），"
                             f"停止翻页，余下{len(state.queue)}页未抓取")

    def release(self, column: str) -> list[Any]:
        """Requests to send now for the column."""
        state = self.columns.get(column)
        if state is None or state.stopped:
            return []
        out = []
        while state.queue and state.in_flight < self.window:
            if state.released >= self.max_pages:
                state.stopped = (f"列表分页超过{self.max_pages}页，余下{len(state.queue)}页未抓取")
                break
            out.append(state.queue.popleft())
            state.in_flight += 1
            state.released += 1
        return out

    def report(self) -> dict[str, str]:
        return {c: s.stopped for c, s in self.columns.items() if s.stopped}
