"""A re-scan of a site on which nothing changed, without crawling it again.

What a crawl stores is decided by what the site serves and how it is asked: the start pages,
the allowed hosts, the depth and page limits, robots.txt, and the navigating code. When the
site's last finished crawl ended by itself (not at its page or time limit, not resumed from an
interrupted one), with the same options and the same code (:func:`identity`), and this run
confirms every page it stored (:func:`_confirmation`):

- each page it fetched answers ``304 Not Modified`` to the revalidation pass
  (spiders/revalidate.py), with no host stopped;
- each page robots.txt forbade is still forbidden, each 4xx page still answers the same status
  and bytes, each redirect still goes where it went (:class:`Recheck`, asked again);
- links it recorded as off-site without following them need nothing (the links and the
  options decided them);

then a crawl now would request the same pages, read the same bytes, follow the same links and
stop the same lists as that crawl did. The run records that crawl's pages as its own, each
fetched page as the 304 this run got for it, and no crawl process is started: importing and
running Scrapy for pages whose every answer is known was most of such a re-scan. A page that
changed, is gone, moved, failed (a timeout, a 5xx), came from a POST list interface or was not
asked, and the crawl runs as always (spiders/conditional.py serves what did not change).

The audit is not skipped: findings are worked out again from the pages (they depend on the
audit date, the calendar and the configuration). The run's crawl notes say where the pages
came from (``replayed_from``); the coverage report says so too.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from auditor.store import Store, Validators, now

from .revalidate import Recheck, Revalidation

#: The options that decide which pages a crawl reaches (not how fast it goes).
IDENTITY_OPTIONS = ("start_url", "extra_start_urls", "domains", "max_depth", "max_pages",
                    "obey_robots", "extra_settings")

_CODE_VERSION: str | None = None


def code_version() -> str:
    """A digest of the code that navigates (the spider, its adapters, the page readers) and
    of Scrapy's version: a different crawler may reach different pages."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        from .navigation import parser_folder

        here = Path(__file__).parent
        digest = hashlib.sha256(_scrapy_version().encode())
        for source in sorted([*here.glob("*.py"), *here.glob("adapters/*.py"),
                              *parser_folder().glob("*.py")]):
            digest.update(source.name.encode() + b"\x00" + source.read_bytes())
        _CODE_VERSION = digest.hexdigest()[:16]
    return _CODE_VERSION


def _scrapy_version() -> str:
    """Scrapy's version, without importing Scrapy (its VERSION file; importlib.metadata
    scans every installed distribution: 30 ms)."""
    from importlib.util import find_spec

    spec = find_spec("scrapy")
    try:
        return Path(spec.origin).with_name("VERSION").read_text("utf-8").strip()
    except (AttributeError, TypeError, OSError):
        from importlib.metadata import version

        return version("scrapy")


def identity(options: dict[str, Any]) -> str:
    """What a crawl with these options reaches depends on: the options of
    :data:`IDENTITY_OPTIONS` and :func:`code_version`."""
    chosen = {name: options.get(name) for name in IDENTITY_OPTIONS}
    text = json.dumps([code_version(), chosen], sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class _Page(NamedTuple):
    """What the decision needs of a stored page."""

    url: str
    final_url: str | None
    outcome: str
    status: int | None
    hash: str | None
    etag: str | None
    last_modified: str | None
    referer: str | None


#: The hash of no bytes at all.
EMPTY = hashlib.sha256(b"").hexdigest()
#: How a stored page of the last crawl is confirmed for this one (see :func:`_confirmation`).
STANDS, ASKED, RECHECKED, ASKED_AND_RECHECKED = "stands", "asked", "rechecked", "both"


@dataclass(frozen=True)
class LastCrawl:
    """The site's last finished crawl, when a re-scan could stand on it: its run id, its crawl
    notes, its pages (in their order) and how each is to be confirmed."""

    run_id: int
    crawl_notes: dict[str, Any]
    pages: list[_Page]
    confirmations: list[str]

    @classmethod
    def of(cls, store: Store, run_id: int, crawl_identity: str) -> LastCrawl | str:
        """The last finished crawl of ``run_id``'s site, or why a re-scan cannot stand on it."""
        run = store.run(run_id)
        last = store.last_finished_run(run.site, before_run=run_id) if run else None
        if last is None:
            return "该网站没有已完成的上次抓取"
        notes = last.stats.get("crawl") or {}
        if notes.get("identity") != crawl_identity:
            return f"上次抓取（运行编号 {last.id}）的抓取选项或程序版本与本次不同"
        if notes.get("close_reason") != "finished":
            return f"上次抓取（运行编号 {last.id}）未自行结束（{notes.get('close_reason')}）"
        pages = [_Page(*row) for row in store.page_fields(last.id, *_Page._fields)]
        budget = last.options.get("max_pages")
        if not pages or (budget and len(pages) >= budget):
            return f"上次抓取（运行编号 {last.id}）没有页面或达到页数上限"
        confirmations = []
        for page in pages:
            how = _confirmation(page)
            if how not in (STANDS, ASKED, RECHECKED, ASKED_AND_RECHECKED):
                return f"上次抓取（运行编号 {last.id}）的页面 {page.url} {how}"
            confirmations.append(how)
        return cls(last.id, notes, pages, confirmations)

    def _with(self, *ways: str) -> list[_Page]:
        return [p for p, how in zip(self.pages, self.confirmations, strict=True) if how in ways]

    def asks(self) -> list[Validators]:
        """The pages the revalidation pass asks conditionally: each page fetched (by the URL
        it was fetched from), in that crawl's order — what :meth:`Store.validators` gives for
        the same run, from the rows read here already."""
        asks: dict[str, Validators] = {}
        for page in self._with(ASKED, ASKED_AND_RECHECKED):
            fetched = page.final_url or page.url
            asks[fetched] = Validators(fetched, page.etag, page.last_modified, page.hash,
                                       None, page.status, page.referer)
        return list(asks.values())

    def rechecks(self) -> list[Recheck]:
        """What the revalidation pass must ask again besides the pages with validators."""
        out = []
        for page in self._with(RECHECKED, ASKED_AND_RECHECKED):
            if page.outcome == "robots":
                out.append(Recheck(page.url, page.referer, forbidden=True))
            elif page.final_url not in (None, page.url):
                out.append(Recheck(page.url, page.referer, location=page.final_url))
            else:  # nothing stored: the crawl asked with HEAD (an attachment it does not read)
                method = "HEAD" if page.hash == EMPTY else "GET"
                out.append(Recheck(page.url, page.referer, method, status=page.status,
                                   hash=page.hash))
        return out

    def unconfirmed(self, revalidation: Revalidation | None) -> str | None:
        """Why this run's answers do not confirm every page of that crawl (None: they do)."""
        if revalidation is None:
            return "未能询问网站页面是否更新"
        if revalidation.stopped:
            host, reason = next(iter(revalidation.stopped.items()))
            return f"{host}：{reason}"
        missing = [p.url for p in self._with(ASKED, ASKED_AND_RECHECKED)
                   if (p.final_url or p.url) not in revalidation.unchanged]
        missing += [p.url for p in self._with(RECHECKED, ASKED_AND_RECHECKED)
                    if p.url not in revalidation.same]
        if missing:
            return f"{len(missing)} 个页面有变动或未确认未变（如 {missing[0]}）"
        return None

    def record(self, store: Store, run_id: int, revalidation: Revalidation) -> None:
        """Store that crawl's pages as this run's: each page fetched straight as the 304 this
        run got for it (validators it gave, how long it took), each page asked again as the
        same answer, the rest (off-site links, pages robots.txt forbids) as they were."""
        changes = {}
        for page in self._with(ASKED, ASKED_AND_RECHECKED):
            answer = revalidation.unchanged[page.final_url or page.url]
            changes[page.url] = {"status": 304, "elapsed": answer.elapsed,
                                 "etag": answer.etag or page.etag,
                                 "last_modified": answer.last_modified or page.last_modified}
        for page in self._with(RECHECKED):
            if page.outcome == "http_error":
                changes[page.url] = {"status": page.status, "elapsed": revalidation.same[page.url],
                                     "etag": page.etag, "last_modified": page.last_modified}
        store.copy_pages(self.run_id, run_id, fetched_at=now(), changes=changes)

    def notes(self, revalidation: Revalidation, crawl_identity: str) -> dict[str, Any]:
        """This run's crawl notes: that crawl's decisions (why it ended, hosts, lists
        stopped, trap patterns), this run's answers, and where the pages came from."""
        revalidation.served = len(self._with(ASKED, ASKED_AND_RECHECKED))
        last = self.crawl_notes
        return {"close_reason": last.get("close_reason"), "hosts": last.get("hosts") or [],
                "stopped_lists": last.get("stopped_lists") or {},
                "trap_patterns": last.get("trap_patterns") or {},
                "revalidation": revalidation.notes(), "replayed_from": self.run_id,
                "identity": crawl_identity}


def _confirmation(page: _Page) -> str:
    """How this run confirms that a crawl now would store ``page`` as the last one did:
    :data:`STANDS` (nothing to ask: a link the crawl recorded as off-site without following
    it), :data:`ASKED` (fetched straight: a 304 for it), :data:`RECHECKED` (asked again for
    the same answer: robots.txt still forbids it, a 4xx page still answers the same bytes, an
    off-site redirect still goes there), :data:`ASKED_AND_RECHECKED` (a redirect to a page:
    the redirect again and a 304 for the page) — or why it cannot be."""
    redirected = page.final_url not in (None, page.url)
    if "#" in page.url:
        return "来自列表接口（POST），须重新抓取"
    if page.outcome == "offsite":
        return RECHECKED if redirected else STANDS
    if page.outcome == "robots":
        return RECHECKED
    if page.outcome == "http_error" and not redirected and page.hash and \
            page.status is not None and 400 <= page.status < 500 and page.status != 429:
        return RECHECKED
    if page.outcome != "ok":
        return f"上次未能正常抓取（{page.outcome}），须重新尝试"
    if not page.hash or not (page.etag or page.last_modified):
        return "没有可用于条件询问的 ETag / Last-Modified"
    return ASKED_AND_RECHECKED if redirected else ASKED


class Attempt:
    """A re-scan that may stand on the site's last crawl, as :func:`auditor.scan.crawl` runs
    it: the revalidation pass in a thread of this process, so that no crawl process is started
    when every page proves unchanged, and one is started at the pass's first sign of a change
    (it imports Scrapy while the pass goes on, and gets the answers when the pass ends:
    :meth:`answers`)."""

    def __init__(self, options: dict[str, Any], run_id: int, last: LastCrawl,
                 settings: dict[str, Any], crawl_identity: str) -> None:
        self.options, self.run_id, self.last = options, run_id, last
        self.settings, self.identity = settings, crawl_identity
        #: Set at the pass's first sign of a change, and when it ends.
        self.decided = threading.Event()
        self.done = threading.Event()
        self.interrupted = threading.Event()
        self.result: Revalidation | None = None
        self.thread = threading.Thread(target=self._run, name="revalidation", daemon=True)

    @classmethod
    def start(cls, options: dict[str, Any], run_id: int) -> Attempt | None:
        """The attempt, its pass started; None when the run cannot stand on the last crawl
        (then the crawl process runs its own pass)."""
        from .runner import settings_for

        settings = settings_for(options)
        if options.get("resume_run") or not options.get("replay", True) or \
                not settings.get("CONDITIONAL_REQUESTS"):
            return None
        crawl_identity = identity(options)
        with Store(options["db_path"]) as store:
            last = LastCrawl.of(store, run_id, crawl_identity)
        if not isinstance(last, LastCrawl):
            return None
        attempt = cls(options, run_id, last, settings, crawl_identity)
        attempt.thread.start()
        return attempt

    def _run(self) -> None:
        from .revalidate import politeness_for, revalidate
        from .runner import progress_into_run

        settings = self.settings
        max_time = float(settings.get("CLOSESPIDER_TIMEOUT") or 0)
        try:
            self.result = revalidate(
                self.last.asks(), politeness_for(settings),
                deadline=time.monotonic() + max_time if max_time else None,
                limit=settings.get("CLOSESPIDER_PAGECOUNT") or None,
                progress=progress_into_run({**self.options, "run_id": self.run_id}),
                changed=self.decided.set, rechecks=self.last.rechecks(),
                stop=self.interrupted)
        except Exception as exc:  # noqa: BLE001 - only a saving: the crawl asks page by page
            print(f"auditor: 复核页面是否更新时出错，由抓取程序逐页询问（{type(exc).__name__}: {exc}）",
                  file=sys.stderr)
        finally:
            self.done.set()
            self.decided.set()

    def confirmed(self) -> bool:
        """The pass ended and confirmed every page of the last crawl."""
        return self.done.is_set() and self.last.unconfirmed(self.result) is None

    def record(self) -> dict[str, Any]:
        """Store the last crawl's pages as this run's; the run's crawl notes."""
        with Store(self.options["db_path"]) as store:
            self.last.record(store, self.run_id, self.result)
        return self.last.notes(self.result, self.identity)

    def answers(self) -> str:
        """The pass's answers for the crawl process, once it has ended (JSON; ``null``: none)."""
        self.done.wait()
        return self.result.to_json() if self.result is not None else "null"

    def interrupt(self) -> None:
        self.interrupted.set()
