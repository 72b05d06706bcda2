"""``auditor scan``: crawl a site into the store (in a child process), then audit the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .runstatus import unreachable_reason
from .store import Store


@dataclass
class CrawlOptions:
    start_url: str
    db_path: str
    delay: float = 1.0
    concurrency: int = 2
    max_pages: int = 2000
    max_depth: int = 6
    timeout: float = 20.0
    obey_robots: bool = True
    domains: list[str] | None = None
    backoff_scale: float = 1.0
    extra_start_urls: list[str] = field(default_factory=list)
    #: Continue this interrupted run instead of starting a new one.
    resume_run: int | None = None
    #: The distributed campaign (auditor.worker) the run belongs to.
    campaign: str | None = None
    #: Ask the site whether pages stored by its last finished run changed (ETag,
    #: Last-Modified) and reuse their bodies when not (spiders/conditional.py).
    conditional: bool = True
    #: When every page proves unchanged, take the site's last crawl as this one's instead of
    #: crawling again (spiders/replay.py). Off: the crawl runs, serving unchanged pages.
    replay: bool = True
    #: Wall-clock bound of the crawl (seconds): what is left is reported, not lost.
    max_time: float = 3600.0
    extra_settings: dict[str, Any] = field(default_factory=dict)


def site_name(url: str) -> str:
    """The default site id of an ad-hoc scan: the URL's host."""
    return (urlsplit(url).hostname or url).lower()


class CrawlError(Exception):
    """The crawl process itself failed (not a page: pages fail into the store)."""

    def __init__(self, message: str, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


def crawl(options: CrawlOptions, *, site: str | None = None,
          progress: Callable[[dict[str, int]], None] | None = None,
          poll: float = 0.5, should_stop: Callable[[], bool] | None = None,
          between: Callable[[Store, int], None] | None = None) -> int:
    """Crawl into the store; returns the run id. Pages gathered are kept even if it fails.

    The run ends ``finished``, or ``failed`` when it never reached the site (its start pages
    not fetched, or no page fetched: see :mod:`auditor.runstatus`; the reason is in
    ``stats["failure"]``), ``interrupted`` (Ctrl-C, or ``should_stop()`` said so: a worker
    that lost its hold on the site) or ``crashed`` (CrawlError raised).

    ``between(store, run_id)`` is called between polls (work to do while the crawl runs:
    :class:`auditor.site_audit.ParseCacheWarmer`).

    The crawl child dies with this process (``parent_pid``: spiders/runner.py), so a worker
    killed mid-site leaves no crawler behind to write into the run another worker resumes.

    A re-scan that may stand on the site's last crawl (spiders/replay.py) asks whether its
    pages changed from here; when none did it stores that crawl's pages and starts no crawl
    process, else the crawl starts at the first change and is sent the answers.
    """
    with Store(options.db_path) as store:
        if options.resume_run:
            run = store.run(options.resume_run)
            if run is None:
                raise CrawlError(f"运行编号 {options.resume_run}：不存在，无法续抓")
            if run.status == "finished":
                raise CrawlError(f"运行编号 {run.id}：已完成，无需续抓")
            run_id = run.id
            store.set_run_status(run_id, "running")
        else:
            run_id = store.start_run(site or site_name(options.start_url), options.start_url,
                                     {k: v for k, v in options.__dict__.items()
                                      if k != "db_path"}, campaign=options.campaign)
    attempt = _attempt_to_stand(options, run_id)
    child: subprocess.Popen | None = None
    sender = None  # the thread sending the pass's answers to the crawl process
    replayed: dict[str, Any] | None = None
    may_stand = True
    status = "finished"
    try:
        with Store(options.db_path) as store:
            while True:
                # A re-scan that may stand on the last crawl runs its pass here; the crawl
                # process is started only at the pass's first sign of a change.
                if child is None and attempt is not None and attempt.decided.is_set() and \
                        may_stand and attempt.confirmed():
                    try:
                        replayed = attempt.record()
                        break
                    except Exception as exc:  # noqa: BLE001 - the crawl does it the long way
                        print(f"auditor：沿用上次抓取结果失败（{type(exc).__name__}: {exc}），照常抓取",
                              file=sys.stderr)
                        may_stand = False
                if child is None and (attempt is None or attempt.decided.is_set()):
                    child, sender = _start_crawl(options, run_id, attempt)
                if child is not None and child.poll() is not None:
                    break  # the crawl ended: the audit starts at once
                if progress:
                    progress(store.crawl_progress(run_id))
                if should_stop is not None and should_stop():
                    raise KeyboardInterrupt
                if between is not None:  # first called as the crawl or the pass starts
                    between(store, run_id)
                if child is None:
                    attempt.decided.wait(timeout=poll)
                else:
                    try:
                        child.wait(timeout=poll)
                    except subprocess.TimeoutExpired:
                        pass
    except KeyboardInterrupt:
        status = "interrupted"
        if attempt is not None:
            attempt.interrupt()
        if child is not None:
            child.terminate()
            child.wait(timeout=30)
    if attempt is not None:
        attempt.interrupt()  # a pass still asking stops (the crawl ended first: it failed)
    if sender is not None:
        sender.join(timeout=30)
        child.stdin = None  # closed by the sender (communicate() would flush it)
    if child is not None:
        out, err = child.communicate()
        returncode = child.returncode
    else:
        out, err, returncode = b"", b"", 0
    if returncode not in (0, None) and status != "interrupted":
        status = "crashed"
    with Store(options.db_path) as store:
        counts = store.page_counts(run_id)
        stats: dict[str, Any] = {"pages": counts, "returncode": returncode,
                                 "stderr": err.decode("utf-8", "replace")[-2000:],
                                 "crawl": replayed if replayed is not None else _notes(out)}
        if status == "finished":  # the crawl ended normally: but did it see the site at all?
            failure = unreachable_reason(store, run_id)
            if failure:
                status, stats["failure"] = "failed", failure
        store.finish_run(run_id, status, stats)
        if progress:
            progress(store.crawl_progress(run_id))
    if status == "crashed":
        tail = err.decode("utf-8", "replace").strip().splitlines()
        raise CrawlError(f"运行编号 {run_id}：抓取进程异常退出"
                         f"（{tail[-1] if tail else '退出码 ' + str(child.returncode)}）；"
                         f"已抓取的页面已保存（续抓：auditor scan --resume {run_id}）",
                         run_id)
    return run_id


def _attempt_to_stand(options: CrawlOptions, run_id: int):
    """The re-scan's attempt to stand on the site's last crawl (spiders/replay.py), its
    revalidation pass started; None when it cannot (the crawl process runs its own pass)."""
    from .spiders.replay import Attempt

    try:
        return Attempt.start({**options.__dict__, "run_id": run_id}, run_id)
    except Exception as exc:  # noqa: BLE001 - only a saving: the crawl runs as always
        print(f"auditor：未能按上次抓取复查（{type(exc).__name__}: {exc}），照常抓取", file=sys.stderr)
        return None


def _start_crawl(options: CrawlOptions, run_id: int, attempt):
    """The crawl process (spiders/runner.py); with an ``attempt`` still asking, it is sent
    the attempt's answers on stdin when the pass ends, by a thread (the pipe may fill),
    returned with it."""
    payload = {**options.__dict__, "run_id": run_id, "parent_pid": os.getpid()}
    if attempt is not None:
        payload["answers"] = "stdin"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, "-m", "auditor.spiders.runner",
                              json.dumps(payload)],
                             stdin=subprocess.PIPE if attempt is not None else None,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if attempt is not None:
        import threading

        def send() -> None:
            try:
                child.stdin.write(attempt.answers().encode("utf-8"))
            except OSError:
                pass  # the crawl ended first (killed, or failed): its own error says why
            finally:
                try:
                    child.stdin.close()
                except OSError:
                    pass
        sender = threading.Thread(target=send, name="answers", daemon=True)
        sender.start()
        return child, sender
    return child, None


def _notes(stdout: bytes) -> dict[str, Any]:
    """The crawl notes the child printed at the end (auditor.spiders.runner), if any."""
    from .spiders.runner import NOTES_PREFIX

    for line in reversed(stdout.decode("utf-8", "replace").splitlines()):
        if line.startswith(NOTES_PREFIX):
            try:
                return json.loads(line[len(NOTES_PREFIX):])
            except ValueError:
                break
    return {}


def db_path(value: str | None) -> str:
    """The store ``--db`` names: a database URL as given, else a SQLite file path (default:
    the user data directory, or ``$ZWGK_AUDITOR_DB``)."""
    from .store import default_db_path, is_url

    value = value or os.environ.get("ZWGK_AUDITOR_DB")
    if value and is_url(value):
        return value
    return str(Path(value) if value else default_db_path())
