"""Run one crawl in this process: ``python -m auditor.spiders.runner '<json options>'``.

:func:`auditor.scan.crawl` starts this in a child process, so the Twisted reactor (which cannot
be restarted) lives and dies with each crawl, and the caller can show progress and survive a
crash of the crawl itself.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from typing import Any


def die_with_parent(parent_pid: int | None) -> None:
    """Linux: be killed when the process that started this crawl dies (a worker killed
    mid-site must leave no crawler writing into a run another worker resumes)."""
    if not parent_pid or not sys.platform.startswith("linux"):
        return
    import ctypes
    import os
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # it died before we asked
        os._exit(1)


#: The crawl queue directories under the temporary directory: ``zwgk-crawl-queue-PID-…``.
QUEUE_PREFIX = "zwgk-crawl-queue-"


def sweep_orphan_queues() -> None:
    """Remove the queue directories of crawls whose process is gone: a crawl killed outright
    (SIGKILL, or with the worker that started it) cannot clean up after itself."""
    import shutil
    from pathlib import Path

    for path in Path(tempfile.gettempdir()).glob(f"{QUEUE_PREFIX}*"):
        pid = path.name[len(QUEUE_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # alive under another user: not ours to remove


def settings_for(options: dict[str, Any]) -> dict[str, Any]:
    """The crawl's Scrapy settings for these options (spiders/settings.py)."""
    from .settings import crawl_settings

    settings = crawl_settings(
        delay=options.get("delay", 1.0), concurrency=options.get("concurrency", 2),
        max_pages=options.get("max_pages", 2000), max_depth=options.get("max_depth", 6),
        timeout=options.get("timeout", 20.0), obey_robots=options.get("obey_robots", True),
        conditional=options.get("conditional", True) and not options.get("resume_run"),
        max_time=options.get("max_time", 3600.0),
    )
    settings.update(options.get("extra_settings") or {})
    settings["LOG_INSTALL_ROOT_HANDLER"] = False
    return settings


def run(options: dict[str, Any]) -> int:
    die_with_parent(options.get("parent_pid"))
    settings = settings_for(options)
    from .replay import identity

    crawl_identity = None if options.get("resume_run") else identity(options)
    # A re-scan's revalidation pass waits on the site most of the time: it runs while Scrapy
    # and the page readers are imported (a second of CPU), and the crawl starts after it. (When
    # the site's last crawl may stand, auditor.scan.crawl runs the pass itself and starts this
    # process only at the first change; the answers then come on stdin when the pass ends.)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        revalidating = pool.submit(_revalidate, options, settings)
        from scrapy import signals
        from scrapy.crawler import AsyncCrawlerProcess

        from .disclosure import DisclosureSpider

        if revalidating.running():  # Scrapy's HTTP handler, imported by the engine anyway
            import scrapy.core.downloader.handlers.http11  # noqa: F401
        stored, revalidation = revalidating.result()
    delay = float(settings["DOWNLOAD_DELAY"])
    if delay and revalidation is not None and revalidation.asked:
        time.sleep(delay)  # the crawl's first request a delay after the pass's last
    # Requests waiting to be sent stay in memory up to a bound and spill to disk beyond it:
    # lists go first, so a big column's every document waits in the queue (50,000 requests,
    # ~100 MB in memory) — see spiders/scheduler.py. A fresh directory per crawl: it is
    # Scrapy's queue, never resumed from (the store is).
    sweep_orphan_queues()
    queue_dir = tempfile.TemporaryDirectory(prefix=f"{QUEUE_PREFIX}{os.getpid()}-")
    settings.setdefault("JOBDIR", queue_dir.name)
    settings.setdefault("SCHEDULER", "auditor.spiders.scheduler.SpillingScheduler")
    settings.setdefault("DUPEFILTER_CLASS", "auditor.spiders.scheduler.MemoryDupeFilter")
    settings.setdefault("SCHEDULER_DISK_QUEUE", "auditor.spiders.diskqueue.RequestDiskQueue")
    process = AsyncCrawlerProcess(settings=settings)
    # Scrapy's default logging puts its "scrapy" logger at DEBUG, to be filtered by the root
    # handler we do not install: every "Crawled"/"Scraped" message became a log record (two a
    # page) only to be dropped. Records below LOG_LEVEL are not made at all.
    import logging

    logging.getLogger("scrapy").setLevel(settings["LOG_LEVEL"])
    crawler = process.create_crawler(DisclosureSpider)
    crawler.signals.connect(_spider_error, signal=signals.spider_error)
    crawler.signals.connect(_spider_closed, signal=signals.spider_closed)
    process.crawl(crawler, start_url=options["start_url"], run_id=options["run_id"],
                  db_path=options["db_path"], domains=options.get("domains"),
                  backoff_scale=options.get("backoff_scale", 1.0),
                  extra_start_urls=options.get("extra_start_urls") or [],
                  resume=bool(options.get("resume_run")),
                  max_depth=options.get("max_depth", 6), stored=stored,
                  revalidation=revalidation, identity=crawl_identity)
    try:
        process.start()
    finally:
        queue_dir.cleanup()
    return 0


def _revalidate(options: dict[str, Any], settings: dict[str, Any]):
    """A re-scan first asks, outside Scrapy, whether each page the site's last finished run
    stored is unchanged (spiders/revalidate.py); the crawl then serves those from the store
    (spiders/conditional.py). Returns the stored pages (None for a resumed run or
    ``--full``) and the answers (None when there was nothing to ask or the pass failed);
    with ``"answers": "stdin"`` the answers of the pass the parent process ran, read from
    stdin (sent when that pass ends)."""
    from .revalidate import Revalidation, politeness_for, revalidate
    from .stored import StoredPages

    if not settings.get("CONDITIONAL_REQUESTS"):
        return None, None
    try:
        stored = StoredPages.before_run(options["db_path"], options["run_id"])
    except Exception as exc:  # noqa: BLE001 - the crawl reports the store's trouble itself
        print(f"auditor.spiders: the last run's pages could not be read, every page is "
              f"fetched in full: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None, None
    max_time = float(settings.get("CLOSESPIDER_TIMEOUT") or 0)
    if options.get("answers") == "stdin":
        try:
            revalidation = Revalidation.from_json(sys.stdin.read())
        except (OSError, ValueError, TypeError, KeyError) as exc:
            print(f"auditor.spiders: the revalidation pass's answers could not be read, every "
                  f"page is asked by the crawl: {type(exc).__name__}: {exc}", file=sys.stderr)
            return stored, None
    elif not stored.validators:
        return stored, None
    else:
        started = time.monotonic()
        try:
            revalidation = revalidate(stored.validators.values(), politeness_for(settings),
                                      deadline=started + max_time if max_time else None,
                                      limit=settings.get("CLOSESPIDER_PAGECOUNT") or None,
                                      progress=progress_into_run(options))
        except Exception as exc:  # noqa: BLE001 - only a saving: the crawl asks page by page
            print(f"auditor.spiders: revalidation before the crawl failed, every page is "
                  f"asked by the crawl: {type(exc).__name__}: {exc}", file=sys.stderr)
            return stored, None
    if revalidation is None:
        return stored, None
    if max_time:  # the run's wall-clock bound covers both
        settings["CLOSESPIDER_TIMEOUT"] = max(1.0, max_time - revalidation.seconds)
    return stored, revalidation


def progress_into_run(options: dict[str, Any]):
    """Where the revalidation pass says how far it is: the run's stats (``revalidating``),
    which the progress display reads (a polite pass over a big site lasts as long as its
    crawl would)."""
    from auditor.store import Store

    def progress(counts: dict[str, int]) -> None:
        try:
            with Store(options["db_path"]) as store:
                store.update_stats(options["run_id"], revalidating=counts)
        except Exception:  # noqa: BLE001 - progress only
            pass
    return progress


def _spider_error(failure, response, spider) -> None:
    """A bug met while navigating a page: one line on stderr (kept in the run's stats), the
    page itself is already stored and the audit reports what was not followed."""
    print(f"auditor.spiders: error navigating {getattr(response, 'url', 'a start page')}: "
          f"{type(failure.value).__name__}: {failure.value}", file=sys.stderr)


NOTES_PREFIX = "AUDITOR_CRAWL_NOTES "


def _spider_closed(spider, reason) -> None:
    """The crawl's own decisions (why it closed, traps stopped, lists cut short) on stdout;
    :func:`auditor.scan.crawl` keeps them in the run's stats for the coverage report."""
    spider.close_reason = reason
    print(NOTES_PREFIX + json.dumps(spider.notes(), ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = json.loads(argv[0])
    except (IndexError, ValueError) as exc:
        print(f"auditor.spiders.runner: expected one JSON argument ({exc})", file=sys.stderr)
        return 2
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
