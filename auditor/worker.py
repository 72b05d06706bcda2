"""Sites crawled and audited by workers on any number of machines, through Redis (Dramatiq).

    auditor scan --all --queue redis://HOST/0 --db postgresql://…   # enqueue the inventory
    auditor worker --queue redis://HOST/0                           # any number, anywhere
    auditor status --queue redis://HOST/0                           # the campaign

The unit of work is a site: one message per site on the ``zwgk-sites`` queue of Dramatiq's
Redis broker. Dramatiq acknowledges a message only when its site is done and, when a worker
stops heart-beating (killed, machine lost), gives its unacknowledged site to another worker;
a failing site is retried with backoff. A site is crawled by one worker at a time (a lease
per host, :class:`auditor.campaign.HostLease`), so politeness — one crawler, the site's delay
between requests — holds whatever the number of workers. A redelivered site resumes the run
its dead worker left in the store (pages are keyed by run and URL, findings replaced), so
nothing is stored twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker

from .campaign import (
    PREFIX,
    SITE_STATE_CN,
    Campaign,
    CampaignUnfinished,
    HostLease,
    QueueError,
    connect,
    patiently,
    worker_name,
)


def server_of(url: str) -> str:
    """What politeness is owed to: the server (host and port), whatever sites it carries."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.netloc or url).lower()

QUEUE = "zwgk-sites"
ACTOR = "scan_site"
#: Attempts at a site before it is marked failed (a worker dying counts, a busy host not).
MAX_ATTEMPTS = 5
HEARTBEAT_TIMEOUT = 60.0


class HostBusy(Exception):
    """Another worker is crawling one of the site's hosts; the site waits its turn."""


class LeaseLost(Exception):
    """This worker lost its hold on the site's hosts (Redis forgot it); it stopped crawling."""


def make_broker(url: str, heartbeat_timeout: float = HEARTBEAT_TIMEOUT) -> RedisBroker:
    """Dramatiq's Redis broker. A worker that has not heart-beaten for ``heartbeat_timeout``
    seconds is dead: its unacknowledged sites go back on the queue (maintenance runs on one
    fetch in ten, so an idle worker notices within seconds)."""
    broker = RedisBroker(url=url, namespace=PREFIX, heartbeat_timeout=int(heartbeat_timeout *
                                                                          1000),
                         maintenance_chance=100_000, socket_connect_timeout=5,
                         socket_timeout=30, health_check_interval=10)
    return broker


def declare_actor(broker: RedisBroker, fn: Callable[..., Any] | None = None) -> dramatiq.Actor:
    return dramatiq.actor(fn or _not_here, broker=broker, actor_name=ACTOR, queue_name=QUEUE,
                          # retried with backoff: infrastructure errors (database, Redis) and
                          # a busy host; a site that itself fails is marked failed, not retried
                          max_retries=1000, min_backoff=1_000, max_backoff=30_000,
                          time_limit=7 * 24 * 3600 * 1000)


def _not_here(campaign_id: str, site_id: str) -> None:  # pragma: no cover - enqueue side
    raise RuntimeError("sites are scanned by `auditor worker`")


# ------------------------------------------------------------------ enqueue and status

def enqueue(queue_url: str, config, db: str, site_ids: list[str]) -> Campaign:
    """A new campaign of ``site_ids`` on the queue; raises QueueError when another campaign
    of this queue is unfinished (two campaigns would audit the same sites at once)."""
    client = connect(queue_url)
    try:
        for earlier in Campaign.all(client):
            left = earlier.unfinished()
            if left:
                raise CampaignUnfinished(f"{queue_url}：任务 {earlier.id} 尚未完成"
                                         f"（还有 {len(left)} 个站点；见 auditor status "
                                         f"--queue {queue_url}）")
        campaign = Campaign.create(client, config, db, site_ids)
    except redis.RedisError as exc:
        raise QueueError(f"{queue_url}：Redis 无法连接（{exc}）") from None
    broker = make_broker(queue_url)
    actor = declare_actor(broker)
    for site_id in site_ids:
        actor.send(campaign.id, site_id)
    broker.close()
    return campaign


def status(queue_url: str, campaign_id: str | None = None) -> dict[str, Any]:
    """The campaign (default: the latest) as a dict: counts by state, pages, findings, and
    every site's state."""
    client = connect(queue_url)
    try:
        campaign = Campaign(client, campaign_id) if campaign_id else Campaign.latest(client)
        if campaign is None or not campaign.exists():
            raise QueueError(f"{queue_url}：没有任务" + (f" {campaign_id}" if campaign_id
                                                            else ""))
        info, states = campaign.info(), campaign.states()
        holders = {}
        for key in client.scan_iter(f"{PREFIX}:lease:*"):
            holders[key.decode().split(":", 2)[2]] = (client.get(key) or b"").decode()
        queued = client.hlen(f"{PREFIX}:{QUEUE}.msgs") + client.hlen(f"{PREFIX}:{QUEUE}.DQ.msgs")
    except redis.RedisError as exc:
        raise QueueError(f"{queue_url}：Redis 无法连接（{exc}）") from None
    counts = dict.fromkeys(("queued", "crawling", "done", "failed"), 0)
    findings: dict[str, int] = {}
    for state in states.values():
        counts[state.state] = counts.get(state.state, 0) + 1
        for key, value in state.findings.items():
            findings[key] = findings.get(key, 0) + value
    return {"campaign": campaign.id, "created": info.get("created"), "db": info.get("db"),
            "sites": counts, "pages": sum(s.pages for s in states.values()),
            "findings": findings, "messages": queued, "leases": holders,
            "site_states": {k: v.__dict__ for k, v in states.items()}}


# ------------------------------------------------------------------ the work on one site

class SiteJob:
    """What a worker does with one message: crawl and audit a site of a campaign."""

    def __init__(self, queue_url: str, db_override: str | None, lease_ttl: float) -> None:
        self.queue_url = queue_url
        self.db_override = db_override
        self.lease_ttl = lease_ttl
        self.client = connect(queue_url)

    def __call__(self, campaign_id: str, site_id: str) -> None:
        campaign = Campaign(self.client, campaign_id)
        info = patiently(campaign.info, what="campaign")
        if not info:
            logging.getLogger("auditor.worker").warning("campaign %s is gone; site %s dropped",
                                                        campaign_id, site_id)
            return
        state = patiently(lambda: campaign.state(site_id), what="site state")
        if state.state in ("done", "failed"):
            return  # delivered again after it was finished (acknowledgement lost)
        config = patiently(campaign.config, what="campaign")
        site = config.site(site_id)
        if site is None:
            patiently(lambda: campaign.update(site_id, state="failed",
                                              error=f"no site {site_id!r} in the inventory"),
                      what="site state")
            return
        lease = HostLease(self.client, [server_of(u) for u in site.urls], self.lease_ttl)
        if not patiently(lease.acquire, what="host lease"):
            raise HostBusy(f"{site_id}：{lease.holder()} 正在抓取该站点的主机")
        try:
            self._scan(campaign, info, config, site, state, lease)
        finally:
            lease.release()

    def _scan(self, campaign: Campaign, info: dict[str, str], config, site, state,
              lease: HostLease) -> None:
        from .inventory import audit_site, scan_site
        from .store import Store

        attempts = state.attempts + 1
        if attempts > MAX_ATTEMPTS:
            patiently(lambda: campaign.update(
                site.id, state="failed", worker=worker_name(),
                error=f"gave up after {MAX_ATTEMPTS} attempts ({state.error})"),
                what="site state")
            return
        patiently(lambda: campaign.update(site.id, state="crawling", worker=worker_name(),
                                          attempts=attempts, error=None), what="site state")
        db = self.db_override or info["db"]
        try:
            with Store(db) as store:
                run = store.campaign_run(campaign.id, site.id)
            last_shown = [0.0]

            def progress(counts: dict[str, int]) -> None:
                if time.monotonic() - last_shown[0] < 2:
                    return
                last_shown[0] = time.monotonic()
                try:
                    campaign.update(site.id, pages=counts["pages"])
                except redis.RedisError:
                    pass  # progress only

            if run is not None and run.status in ("finished", "failed"):
                # the crawl ended before the last worker died: audit it again
                outcome = audit_site(site, config, db, run.id)
            else:
                outcome = scan_site(site, config, db, resume_run=run.id if run else None,
                                    campaign=campaign.id, progress=progress,
                                    should_stop=lease.lost.is_set)
            if lease.lost.is_set():
                raise LeaseLost(f"{site.id}: lost the lease on its hosts; stopped")
        except (HostBusy, LeaseLost):
            raise
        except Exception as exc:  # noqa: BLE001 - recorded, then retried by Dramatiq
            message = f"{type(exc).__name__}: {exc}"[:500]
            patiently(lambda: campaign.update(site.id, state="queued", error=message),
                      what="site state")
            raise
        pages, counts = 0, {}
        if outcome.run_id is not None:
            with Store(db) as store:
                pages = sum(store.page_counts(outcome.run_id).values())
                counts = store.finding_counts(outcome.run_id)
        final = "failed" if outcome.error else "done"
        patiently(lambda: campaign.update(site.id, state=final, run_id=outcome.run_id,
                                          pages=pages, findings=counts, error=outcome.error),
                  what="site state")


# ------------------------------------------------------------------ the worker process

def _heartbeat(broker: RedisBroker, every: float, stop: threading.Event) -> None:
    """Beat for this worker even while its one consumer is busy with a long site."""
    key = f"{broker.namespace}:__heartbeats__"
    while not stop.wait(every):
        try:
            broker.client.zadd(key, {broker.broker_id: int(time.time() * 1000)})
        except redis.RedisError:
            pass


def _idle(client: redis.Redis) -> bool:
    """No message anywhere on the queue: not waiting, not delayed for a retry, and none
    fetched and unacknowledged by a worker (Dramatiq keeps a message until it is acked)."""
    return client.hlen(f"{PREFIX}:{QUEUE}.msgs") == 0 and \
        client.hlen(f"{PREFIX}:{QUEUE}.DQ.msgs") == 0


def _requeue_orphans(client: redis.Redis, broker: RedisBroker, actor) -> int:
    """Sites of unfinished campaigns that no message carries any more (a message lost with a
    Redis that had not written it to disk): sent again, so every campaign completes."""
    sent = 0
    for campaign in Campaign.all(client):
        created = campaign.info().get("created")
        if created and (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(created)
                        ).total_seconds() < 30:
            continue  # still being enqueued, perhaps
        for site_id in campaign.unfinished():
            if campaign.state(site_id).attempts <= MAX_ATTEMPTS:
                actor.send(campaign.id, site_id)
                sent += 1
    return sent


def run_worker(queue_url: str, *, db: str | None = None, threads: int = 1,
               heartbeat_timeout: float = HEARTBEAT_TIMEOUT, lease_ttl: float = 30.0,
               wait: bool = False, poll: float = 1.0,
               log: Callable[[str], None] | None = None) -> int:
    """Take sites off the queue until it is empty (``wait``: until interrupted). Returns the
    number of sites this worker finished."""
    log = log or (lambda line: print(f"auditor worker：{line}", file=sys.stderr, flush=True))
    connect(queue_url)  # a malformed URL is one line, before any thread starts
    logging.basicConfig(level=logging.WARNING, format="auditor worker: %(name)s: %(message)s")
    logging.getLogger("dramatiq").setLevel(logging.ERROR)
    broker = make_broker(queue_url, heartbeat_timeout)
    job = SiteJob(queue_url, db, lease_ttl)
    done = [0]

    def scan_one(campaign_id: str, site_id: str) -> None:
        try:
            job(campaign_id, site_id)
        except HostBusy as exc:
            log(f"{exc}；稍后再试")
            raise
        except Exception as exc:
            log(f"{site_id}：{type(exc).__name__}：{exc}；将重试")
            raise
        else:
            done[0] += 1
            try:
                state = Campaign(job.client, campaign_id).state(site_id)
            except redis.RedisError:
                return
            log(f"{site_id}：{SITE_STATE_CN.get(state.state, state.state)}（运行编号 {state.run_id}，"
                f"页面 {state.pages} 个" + (f"，{state.error}" if state.error else "") + "）")

    actor = declare_actor(broker, scan_one)
    worker = dramatiq.Worker(broker, worker_threads=max(1, threads), worker_timeout=500)
    # One site per thread, none held back for later: an idle worker elsewhere takes it.
    worker.queue_prefetch = max(1, threads)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(broker, heartbeat_timeout / 4, stop),
                            daemon=True)
    worker.start()
    beat.start()
    log(f"{worker_name()} 从 {queue_url} 领取站点")
    client = connect(queue_url)
    idle_since = None
    try:
        while True:
            time.sleep(poll)
            try:
                idle = _idle(client)
                if idle and not wait and not _requeue_orphans(client, broker, actor):
                    idle_since = idle_since or time.monotonic()
                    if time.monotonic() - idle_since >= 2 * poll:
                        break
                else:
                    idle_since = None
            except redis.RedisError as exc:
                idle_since = None
                log(f"Redis 无法连接（{exc}）；等待恢复")
    except KeyboardInterrupt:
        log("已中断：本进程的心跳超时后，正在抓取的站点将回到队列")
        stop.set()
        os.kill(os.getpid(), signal.SIGKILL)  # no acknowledgement: redelivered, resumed
    stop.set()
    worker.stop(timeout=30_000)
    broker.close()
    log(f"队列已空；本进程完成 {done[0]} 个站点")
    return done[0]


def db_for_campaign(value: str | None) -> str:
    """The store a campaign names: a URL as given, a SQLite file made absolute (workers on
    this machine run elsewhere in the file system)."""
    from .scan import db_path
    from .store import is_url

    path = db_path(value)
    return path if is_url(path) else str(Path(path).resolve())
