"""A distributed campaign: the inventory's sites queued in Redis for ``auditor worker`` processes
on any number of machines, and what each site's state is (``auditor status``).

The queue itself is Dramatiq's (auditor.worker): it delivers each site to one worker and, when
that worker dies without acknowledging it, to another. What is kept here, in plain Redis keys
under ``zwgk:``, is what the people running the campaign want to see and what makes a site's
work safe to do twice:

``zwgk:campaigns``                  campaign ids, oldest first
``zwgk:campaign:<id>``              hash: created, db (the store URL or file), config (the
                                    inventory as JSON), sites (ids, in inventory order)
``zwgk:campaign:<id>:sites``        hash: site id -> JSON state (queued, crawling, done,
                                    failed; worker, run id, pages, findings, error, attempts)
``zwgk:lease:<host[:port]>``        which worker crawls that server now (expires unless
                                    renewed): one crawler per server, whatever the number of
                                    workers

The database is the truth about the work itself: a site's run is found by campaign and site
(``runs.campaign``), so a redelivered site resumes the run its dead worker left.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import redis

from .config import Config, config_from_dict

PREFIX = "zwgk"
STATES = ("queued", "crawling", "done", "failed")
#: How a site's state in a campaign reads (auditor status, the worker's log).
SITE_STATE_CN = {"queued": "排队", "crawling": "抓取中", "done": "完成", "failed": "失败"}


class QueueError(Exception):
    """Redis cannot be reached or holds no such campaign; the message says which."""


class CampaignUnfinished(QueueError):
    """Another campaign of the queue still has sites to scan (two would audit them twice)."""


def connect(url: str) -> redis.Redis:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise QueueError(f"{url}：不是 Redis 地址（应为 redis://主机[:端口]/库号）")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                      health_check_interval=10)
    except ValueError as exc:
        raise QueueError(f"{url}：不是 Redis 地址（{exc}）") from None
    return client


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def worker_name() -> str:
    import os

    return f"{socket.gethostname()}:{os.getpid()}"


# ------------------------------------------------------------------ the inventory as JSON

def _encode(value: Any) -> Any:
    """TOML values as JSON: dates and datetimes (waiver expiry) are tagged, not stringified."""
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dt.time):
        return {"__time__": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (key, text), = value.items()
            if key == "__date__":
                return dt.date.fromisoformat(text)
            if key == "__datetime__":
                return dt.datetime.fromisoformat(text)
            if key == "__time__":
                return dt.time.fromisoformat(text)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def config_to_json(config: Config) -> str:
    return json.dumps({"raw": _encode(config.raw),
                       "path": str(config.path) if config.path else None}, ensure_ascii=False)


def config_from_json(text: str) -> Config:
    from pathlib import Path

    data = json.loads(text)
    return config_from_dict(_decode(data["raw"]), Path(data["path"]) if data["path"] else None)


# ------------------------------------------------------------------ campaigns

@dataclass
class SiteState:
    state: str = "queued"
    worker: str | None = None
    run_id: int | None = None
    pages: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    attempts: int = 0
    updated: str = ""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes | None) -> SiteState:
        return cls(**json.loads(text)) if text else cls()


class Campaign:
    """One campaign's keys in Redis."""

    def __init__(self, client: redis.Redis, campaign_id: str) -> None:
        self.client = client
        self.id = campaign_id
        self.key = f"{PREFIX}:campaign:{campaign_id}"
        self.sites_key = f"{self.key}:sites"

    @classmethod
    def create(cls, client: redis.Redis, config: Config, db: str, site_ids: list[str]
               ) -> Campaign:
        campaign_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + \
            secrets.token_hex(3)
        campaign = cls(client, campaign_id)
        state = SiteState(updated=now()).to_json()
        with client.pipeline() as pipe:  # MULTI: all of it or nothing
            pipe.hset(campaign.key, mapping={"created": now(), "db": db,
                                             "config": config_to_json(config),
                                             "sites": json.dumps(site_ids)})
            pipe.hset(campaign.sites_key, mapping={s: state for s in site_ids})
            pipe.rpush(f"{PREFIX}:campaigns", campaign_id)
            pipe.execute()
        return campaign

    @classmethod
    def latest(cls, client: redis.Redis) -> Campaign | None:
        newest = client.lindex(f"{PREFIX}:campaigns", -1)
        return cls(client, newest.decode()) if newest else None

    @classmethod
    def all(cls, client: redis.Redis) -> list[Campaign]:
        return [cls(client, c.decode()) for c in client.lrange(f"{PREFIX}:campaigns", 0, -1)]

    def exists(self) -> bool:
        return bool(self.client.exists(self.key))

    def info(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.client.hgetall(self.key).items()}

    def config(self) -> Config:
        return config_from_json(self.info()["config"])

    def site_ids(self) -> list[str]:
        return json.loads(self.info().get("sites") or "[]")

    def state(self, site_id: str) -> SiteState:
        return SiteState.from_json(self.client.hget(self.sites_key, site_id))

    def states(self) -> dict[str, SiteState]:
        raw = {k.decode(): SiteState.from_json(v)
               for k, v in self.client.hgetall(self.sites_key).items()}
        return {s: raw.get(s, SiteState()) for s in self.site_ids()}

    def update(self, site_id: str, **changes: Any) -> SiteState:
        state = self.state(site_id)
        for key, value in changes.items():
            setattr(state, key, value)
        state.updated = now()
        self.client.hset(self.sites_key, site_id, state.to_json())
        return state

    def unfinished(self) -> list[str]:
        return [s for s, st in self.states().items() if st.state not in ("done", "failed")]


# ------------------------------------------------------------------ per-host leases

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class HostLease:
    """The right to crawl some hosts, held by one worker at a time: taken with ``SET NX PX``,
    renewed by a thread every third of its time to live, lost when the holder dies (it
    expires) — or when Redis forgot it and someone else took it, which ``lost`` reports so
    the holder stops crawling."""

    def __init__(self, client: redis.Redis, hosts: Iterable[str], ttl: float = 30.0) -> None:
        self.client = client
        self.keys = [f"{PREFIX}:lease:{h}" for h in sorted(set(hosts))]
        self.ttl_ms = int(ttl * 1000)
        self.token = f"{worker_name()}:{secrets.token_hex(4)}"
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def holder(self) -> str | None:
        for key in self.keys:
            value = self.client.get(key)
            if value:
                return value.decode()
        return None

    def acquire(self) -> bool:
        taken = []
        for key in self.keys:
            if self.client.set(key, self.token, nx=True, px=self.ttl_ms):
                taken.append(key)
            else:
                for done in taken:
                    self.client.eval(_RELEASE, 1, done, self.token)
                return False
        self._thread = threading.Thread(target=self._renew, daemon=True, name="lease")
        self._thread.start()
        return True

    def _renew(self) -> None:
        interval = self.ttl_ms / 3000
        while not self._stop.wait(interval):
            try:
                for key in self.keys:
                    if not self.client.eval(_RENEW, 1, key, self.token, self.ttl_ms):
                        # Expired while Redis was away: take it back if nobody else did.
                        if not self.client.set(key, self.token, nx=True, px=self.ttl_ms):
                            self.lost.set()
                            return
            except redis.RedisError:
                continue  # Redis away: nobody else can take it meanwhile; try again

    def release(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        for key in self.keys:
            try:
                self.client.eval(_RELEASE, 1, key, self.token)
            except redis.RedisError:
                pass  # it expires


def patiently(action, *, what: str, limit: float = 600.0):
    """Run ``action`` (a Redis call), waiting for Redis to come back for up to ``limit``
    seconds: the campaign's bookkeeping must not be lost to a Redis restart."""
    import sys

    deadline = time.monotonic() + limit
    wait, told = 0.5, False
    while True:
        try:
            result = action()
            if told:
                print(f"auditor：Redis 已恢复连接（{what}）", file=sys.stderr)
            return result
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError) as exc:
            if time.monotonic() > deadline:
                raise QueueError(f"Redis 连续 {limit:g} 秒无法连接（{what}）：{exc}") from None
            if not told:
                print(f"auditor：Redis 无法连接（{what}）：{exc}；等待恢复", file=sys.stderr)
                told = True
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
