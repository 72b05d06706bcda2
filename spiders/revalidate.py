"""Before a re-scan's crawl: ask the site, page by page, whether what the last finished run
stored is still current — cheaply, outside Scrapy.

A re-scan of an unchanged site is mostly ``304 Not Modified`` answers, and through Scrapy each
costs about as much CPU as a full page (scheduler, a dozen middlewares, Twisted's HTTP client,
a response object, callbacks): 2 ms a page, most of a re-scan. Here a plain keep-alive HTTP
client asks the same conditional questions (``If-None-Match`` / ``If-Modified-Since``) at a
fraction of that. The crawl that follows navigates as always; a page answered 304 here is
served from the store instead of being requested again (``spiders/conditional.py``), and
anything else — changed, moved, gone, refused, failed — is simply left to the crawl, which
fetches it the way a first scan does. So this pass can only save work, never decide anything
— except that when every page of the site's last crawl proves unchanged (and its
:class:`Recheck` pages answer the same), no crawl is needed at all (``spiders/replay.py``).

It is as polite as the crawl: at most ``concurrency`` requests at a time to a host, request
starts at least ``delay`` apart (randomised 0.5–1.5×, as Scrapy does), robots.txt obeyed with
Scrapy's own parser (Protego), the crawl's User-Agent. It stops asking a host, leaving the rest
to the crawl (which has the backoff and retries), at the first 429 or 503, after a few network
errors in a row, when none of the first answers is a 304 (a site that ignores validators, or
answers with a challenge page), at the deadline, or when requests would go through a proxy
(the crawl honours proxies; this client does not).

Its price: a page that changed is asked twice (here conditionally, then by the crawl); and it
is done before the crawl starts, so a killed run loses these answers (the crawl that redoes
the site asks again).
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import json
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

from w3lib.url import safe_url_string

from auditor.store import Validators

from .keepalive import KeepAliveConnection, ProtocolError, unverified_context

#: Answers without a single 304 after which a host is left to the crawl (it ignores
#: validators, or answers a challenge page). Not a share: a site's list pages come first and
#: all change whenever a document is published.
JUDGE_AFTER = 20
#: Network errors in a row after which a host is left to the crawl.
MAX_ERRORS_IN_A_ROW = 3
#: A body of a changed page up to this size is read (keeping the connection); larger ones
#: close it.
DRAIN_LIMIT = 256 * 1024
#: The HTTP statuses asking a client to slow down: left to the crawl's backoff.
SLOW_DOWN = (429, 503)
#: Seconds between two progress reports (a polite pass over 2,000 pages lasts half an hour).
PROGRESS_EVERY = 1.0


@dataclass(frozen=True)
class NotModified:
    """A page the site answered 304 for: what it said (validators, cookies it set), and how
    long it took."""

    etag: str | None
    last_modified: str | None
    elapsed: float
    set_cookies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recheck:
    """A page the site's last crawl stored as not fetched straight, asked again (only when a
    re-scan may stand on that crawl: spiders/replay.py) to see whether the site still answers
    it the same: robots.txt still forbids it (``forbidden``), it still answers ``status`` with
    the same bytes (``hash``: a 404 page), or it still redirects to ``location``; asked with
    ``method`` (HEAD: how the crawl asks about attachments it does not read)."""

    url: str
    referer: str | None = None
    method: str = "GET"
    forbidden: bool = False
    status: int | None = None
    hash: str | None = None
    location: str | None = None


@dataclass
class Revalidation:
    """What the pass found: the pages answered 304 (by URL), how many it asked, and why it
    stopped asking a host before its end, if it did; then how many of the unchanged pages the
    crawl was served from the store, and of those how many without reading them again."""

    unchanged: dict[str, NotModified] = field(default_factory=dict)
    #: Rechecks answered the same, by URL: how long the answer took (0 for robots.txt's).
    same: dict[str, float] = field(default_factory=dict)
    asked: int = 0
    stopped: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    served: int = 0
    revisited: int = 0
    total: int = 0
    progress: Callable[[dict[str, int]], None] | None = field(default=None, repr=False)
    #: Called (from any thread) at the first sign that not every page is unchanged: an
    #: answer other than 304, a page robots.txt now forbids, a host stopped.
    changed: Callable[[], None] | None = field(default=None, repr=False)
    reported: float = 0.0
    reporting: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def report(self, *, final: bool = False) -> None:
        """Tell ``progress`` how far the pass is, at most every :data:`PROGRESS_EVERY` s (one
        thread at a time; the others go on asking)."""
        if self.progress is None or not self.reporting.acquire(blocking=final):
            return
        try:
            now = time.monotonic()
            if final or now - self.reported >= PROGRESS_EVERY:
                self.reported = now
                self.progress({"asked": self.asked, "unchanged": len(self.unchanged),
                               "of": self.total})
        finally:
            self.reporting.release()

    def saw_change(self) -> None:
        if self.changed is not None:
            self.changed()

    def notes(self) -> dict[str, object]:
        return {"asked": self.asked, "unchanged": len(self.unchanged),
                "stopped": dict(self.stopped), "seconds": round(self.seconds, 1),
                "served": self.served, "revisited": self.revisited}

    def to_json(self) -> str:
        """The answers, for the crawl process (auditor.scan.crawl runs some passes itself)."""
        return json.dumps({"unchanged": {url: [a.etag, a.last_modified, a.elapsed,
                                               list(a.set_cookies)]
                                         for url, a in self.unchanged.items()},
                           "asked": self.asked, "stopped": self.stopped,
                           "seconds": self.seconds, "total": self.total}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Revalidation | None:
        data = json.loads(text)
        if data is None:
            return None
        return cls(unchanged={url: NotModified(etag, modified, elapsed, tuple(cookies))
                              for url, (etag, modified, elapsed, cookies)
                              in data["unchanged"].items()},
                   asked=int(data["asked"]), stopped=dict(data["stopped"]),
                   seconds=float(data["seconds"]), total=int(data["total"]))


@dataclass(frozen=True)
class Politeness:
    user_agent: str
    concurrency: int = 2
    delay: float = 1.0
    timeout: float = 20.0
    obey_robots: bool = True
    headers: tuple[tuple[str, str], ...] = ()


def politeness_for(settings: dict[str, Any]) -> Politeness:
    """The pass's politeness from the crawl's settings (spiders/runner.py settings_for), with
    the headers Scrapy sends."""
    return Politeness(
        user_agent=settings["USER_AGENT"], concurrency=settings["CONCURRENT_REQUESTS_PER_DOMAIN"],
        delay=float(settings["DOWNLOAD_DELAY"]), timeout=float(settings["DOWNLOAD_TIMEOUT"]),
        obey_robots=bool(settings["ROBOTSTXT_OBEY"]),
        headers=(("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                 ("Accept-Language", "en"), ("Accept-Encoding", "gzip, deflate")))


def revalidate(known: Iterable[Validators], politeness: Politeness, *,
               deadline: float | None = None, limit: int | None = None,
               progress: Callable[[dict[str, int]], None] | None = None,
               changed: Callable[[], None] | None = None,
               rechecks: Iterable[Recheck] = (),
               stop: threading.Event | None = None) -> Revalidation:
    """Ask about every page of ``known`` (in its order, at most ``limit``), host by host, until
    ``deadline`` (``time.monotonic()``); then the ``rechecks``. ``progress`` gets
    ``{"asked", "unchanged", "of"}`` now and then (from the pass's threads); ``changed()`` is
    called as soon as not every page can be unchanged and every recheck the same
    (spiders/replay.py waits for that or the end); ``stop`` set: stop asking (the run was
    interrupted)."""
    started = time.monotonic()
    result = Revalidation(progress=progress, changed=changed)
    pages_of: dict[tuple[str, str, int], list[Validators]] = defaultdict(list)
    rechecks_of: dict[tuple[str, str, int], list[Recheck]] = defaultdict(list)
    every, again = list(known), list(rechecks)
    pages = every[:limit]
    result.total = len(pages)
    for items, into in ((pages, pages_of), (again, rechecks_of)):
        for item in items:
            origin = _origin(item.url)
            if origin is not None:
                into[origin].append(item)
    if sum(map(len, pages_of.values())) < len(every) or \
            sum(map(len, rechecks_of.values())) < len(again):  # beyond the limit, not HTTP(S)
        result.saw_change()
    for origin in dict.fromkeys([*pages_of, *rechecks_of]):
        if deadline is not None and time.monotonic() >= deadline:
            result.stopped[origin[1]] = "到达抓取时限"
            result.saw_change()
            break
        _Host(origin, pages_of.get(origin, []), politeness, result, deadline,
              rechecks_of.get(origin, []), stop).run()
    result.seconds = time.monotonic() - started
    result.report(final=True)
    return result


class _Host:
    """The pass over one host: ``concurrency`` threads, each on its own kept-alive
    connection, sharing one queue and one request clock."""

    def __init__(self, origin: tuple[str, str, int], pages: list[Validators],
                 politeness: Politeness, result: Revalidation, deadline: float | None,
                 rechecks: list[Recheck] | None = None,
                 stop: threading.Event | None = None) -> None:
        self.scheme, self.host, self.port = origin
        self.interrupted = stop
        self.pages = pages
        self.rechecks = rechecks or []
        self.politeness = politeness
        self.result = result
        self.deadline = deadline
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.position = 0
        self.answers = 0
        self.not_modified = 0
        self.errors_in_a_row = 0
        self.stop_reason: str | None = None
        self.robots = None

    def run(self) -> None:
        if self.proxied():
            self.result.stopped[self.host] = "经代理访问，由抓取程序逐页询问"
            self.result.saw_change()
            return
        if self.politeness.obey_robots:
            self.read_robots()
        if self.stop_reason is None and self.pages:
            threads = [threading.Thread(target=self.work, daemon=True)
                       for _ in range(max(1, min(self.politeness.concurrency, len(self.pages))))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if self.stop_reason is None and self.rechecks:
            try:
                self.recheck_all()
            except Exception as exc:  # noqa: BLE001 - only a saving: the crawl asks them
                self.stop(f"复核出错（{type(exc).__name__}），余下由抓取程序处理")
        if self.stop_reason:
            self.result.stopped[self.host] = self.stop_reason
            self.result.saw_change()

    def proxied(self) -> bool:
        return bool(getproxies().get(self.scheme)) and not proxy_bypass(self.host)

    # ------------------------------------------------------------------ robots.txt

    def read_robots(self) -> None:
        """Protego's reading of the host's robots.txt (what Scrapy's robots middleware uses);
        an unreadable robots.txt leaves the host to the crawl, which decides what it means."""
        from protego import Protego

        connection = self.connect()
        try:
            self.wait_turn()
            connection.request("GET", "/robots.txt", headers=self.base_headers())
            response = connection.getresponse()
            body = response.read(DRAIN_LIMIT + 1)
        except (OSError, http.client.HTTPException):
            self.stop_reason = "robots.txt 无法读取，由抓取程序逐页询问"
            return
        finally:
            connection.close()
        self.result.asked += 1
        if 400 <= response.status < 500:
            return  # no robots.txt: everything allowed, as Scrapy reads it
        if response.status != 200 or len(body) > DRAIN_LIMIT:
            self.stop_reason = f"robots.txt 返回 HTTP {response.status}，由抓取程序逐页询问"
            return
        self.robots = Protego.parse(body.decode("utf-8", "replace"))

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, self.politeness.user_agent)

    # ------------------------------------------------------------------ asking

    def base_headers(self) -> dict[str, bytes]:
        # Bytes, UTF-8 as Scrapy sends them (http.client would encode str as Latin-1, and our
        # User-Agent says who we are in Chinese).
        return {name: value.encode("utf-8") for name, value in (
            ("User-Agent", self.politeness.user_agent), *self.politeness.headers)}

    def connect(self) -> http.client.HTTPConnection:
        """A connection for robots.txt (one request, its body read whatever its framing)."""
        timeout = self.politeness.timeout
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=unverified_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def wait_turn(self) -> bool:
        """Sleep until this thread may start a request (the host's clock); False when the
        pass must stop."""
        delay = self.politeness.delay
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + (delay * random.uniform(0.5, 1.5) if delay > 0 else 0)
        if start > now:
            time.sleep(start - now)
        if self.interrupted is not None and self.interrupted.is_set():
            return False
        return self.deadline is None or time.monotonic() < self.deadline

    def next_page(self) -> Validators | None:
        with self.lock:
            while self.stop_reason is None and self.position < len(self.pages):
                page = self.pages[self.position]
                self.position += 1
                if self.allowed(page.url):
                    return page
                self.result.saw_change()  # robots.txt forbids it now
            return None

    def work(self) -> None:
        connection = KeepAliveConnection(self.scheme, self.host, self.port,
                                         self.politeness.timeout, drain_limit=DRAIN_LIMIT)
        try:
            while (page := self.next_page()) is not None:
                if not self.wait_turn():
                    self.stop("到达抓取时限")
                    return
                started = time.monotonic()
                try:
                    status, headers = connection.get(self.target(page), self.headers_for(page))
                except (OSError, ProtocolError, UnicodeError):  # timeouts are OSErrors
                    self.count(page, None, None, 0.0)
                    continue
                self.count(page, status, headers, time.monotonic() - started)
                self.result.report()
        except Exception as exc:  # noqa: BLE001 - only a saving: the crawl asks the rest
            self.stop(f"复核出错（{type(exc).__name__}），余下由抓取程序处理")
        finally:
            connection.close()

    def recheck_all(self) -> None:
        """Ask each recheck again, one at a time on the host's clock; the same answers go
        into ``result.same`` (a different one only means the crawl runs)."""
        for recheck in self.rechecks:
            if recheck.forbidden:
                if not self.allowed(recheck.url):
                    self.result.same[recheck.url] = 0.0
                else:
                    self.result.saw_change()
                continue
            if not self.allowed(recheck.url):
                self.result.saw_change()
                continue
            if not self.wait_turn():
                self.stop("到达抓取时限")
                return
            started = time.monotonic()
            answer = self.ask_plainly(recheck)
            with self.lock:
                self.result.asked += 1
            if answer is not None and _same_answer(recheck, *answer):
                self.result.same[recheck.url] = round(time.monotonic() - started, 3)
            else:
                self.result.saw_change()

    def ask_plainly(self, recheck: Recheck) -> tuple[int, str | None, bytes] | None:
        """GET without validators or compression, redirects not followed: the status, the
        Location and the body (None: no answer, or a body larger than the crawl reads here)."""
        headers = self.base_headers()
        headers["Accept-Encoding"] = b"identity"  # the bytes as the crawl stored them
        if recheck.referer:
            headers["Referer"] = _safe_referer(recheck.referer).encode("utf-8")
        connection = self.connect()
        try:
            connection.request(recheck.method, self.target(recheck), headers=headers)
            response = connection.getresponse()
            body = response.read(DRAIN_LIMIT + 1)
        except (OSError, http.client.HTTPException, UnicodeError):
            return None
        finally:
            connection.close()
        if len(body) > DRAIN_LIMIT or response.getheader("Content-Encoding", "identity") \
                not in ("identity", ""):
            return None
        return response.status, response.getheader("Location"), body

    @staticmethod
    def target(page: Validators | Recheck) -> str:
        parts = urlsplit(page.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if _SENT_AS_IS.fullmatch(target):
            return target
        parts = urlsplit(safe_url_string(page.url))
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def headers_for(self, page: Validators) -> dict[str, bytes]:
        headers = self.base_headers()
        for name, value in (("If-None-Match", page.etag),
                            ("If-Modified-Since", page.last_modified),
                            ("Referer", page.referer and _safe_referer(page.referer))):
            if value:
                headers[name] = value.encode("utf-8")
        return headers

    def count(self, page: Validators, status: int | None, headers, elapsed: float) -> None:
        with self.lock:
            self.result.asked += 1
            if status != 304:
                self.result.saw_change()
            if status is None:
                self.errors_in_a_row += 1
                if self.errors_in_a_row >= MAX_ERRORS_IN_A_ROW:
                    self.stop_reason = f"连续 {self.errors_in_a_row} 次网络错误，余下由抓取程序处理"
                return
            self.errors_in_a_row = 0
            self.answers += 1
            if status == 304:
                self.not_modified += 1
                self.result.unchanged[page.url] = NotModified(
                    _first(headers, "etag"), _first(headers, "last-modified"),
                    round(elapsed, 3), tuple(headers.get("set-cookie", ())))
            elif status in SLOW_DOWN:
                self.stop_reason = f"网站返回 HTTP {status}（要求降低频率），余下由抓取程序处理"
            if self.answers >= JUDGE_AFTER and not self.not_modified:
                self.stop_reason = f"前 {self.answers} 次询问无一返回 304，余下由抓取程序逐页抓取"

    def stop(self, reason: str) -> None:
        with self.lock:
            self.stop_reason = self.stop_reason or reason


#: A path and query w3lib's safe_url_string leaves as they are (it costs ~20 µs, a sixth of
#: asking a page, and the URLs a crawl stored are nearly always safe already).
_SENT_AS_IS = re.compile(r"[A-Za-z0-9\-._~:/?@!$&()*+,;=]*")
#: Referers repeat (a list page's documents): their safe form, remembered.
_safe_referer = functools.lru_cache(maxsize=4096)(safe_url_string)


def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not one
        return None
    return parts.scheme, parts.hostname, port


def _same_answer(recheck: Recheck, status: int, location: str | None, body: bytes) -> bool:
    """Whether an answer is the one the last crawl stored for ``recheck``."""
    if recheck.location is not None:
        return 300 <= status < 400 and bool(location) and \
            safe_url_string(urljoin(recheck.url, location)) == recheck.location
    return status == recheck.status and hashlib.sha256(body).hexdigest() == recheck.hash


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None
