"""Real services for the tests that need them: redis-server and PostgreSQL started on free
ports of 127.0.0.1 by auditor.testing.services (once per session) and stopped at the end;
nginx serving a test's own folder (``nginx_site``); and what our test server was asked
(``server_log``).
Tests that need them are skipped, with the reason, only where the binaries are not installed.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import pytest

from auditor.testing.services import (
    NginxServer,
    PostgresServer,
    RedisServer,
    ServiceUnavailable,
)

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer()
    except ServiceUnavailable as exc:
        pytest.skip(str(exc))
    server.start()
    yield server
    server.close()


@pytest.fixture
def pg_url(postgres) -> str:
    """A new empty PostgreSQL database for the test."""
    return postgres.create_database(f"test{next(_databases)}")


@pytest.fixture(scope="session")
def redis_service():
    try:
        server = RedisServer()
    except ServiceUnavailable as exc:
        pytest.skip(str(exc))
    server.start()
    yield server
    server.close()


@pytest.fixture
def redis_url(redis_service) -> str:
    """The session's redis-server, emptied for the test (restarted if a test stopped it)."""
    import redis

    if redis_service.process is None:
        redis_service.start()
    client = redis.Redis.from_url(redis_service.url)
    client.flushall()
    client.close()
    return redis_service.url


@pytest.fixture
def nginx_site():
    """Serve a folder with a real nginx: ``with nginx_site(folder) as base_url: ...``."""
    import contextlib

    @contextlib.contextmanager
    def serve(root):
        try:
            server = NginxServer(root)
        except ServiceUnavailable as exc:
            pytest.skip(str(exc))
        try:
            yield server.start().url
        finally:
            server.close()
    return serve


@dataclass(frozen=True)
class ServedRequest:
    method: str
    path: str  # without the query
    started: float  # time.monotonic() when the server began answering it
    client: tuple  # the connection's address
    referer: str | None


@dataclass
class ServerLog:
    requests: list[ServedRequest] = field(default_factory=list)
    now: int = 0
    most: int = 0  # the most answered at once
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.most = self.now


@pytest.fixture
def server_log(monkeypatch) -> ServerLog:
    """Every request the test servers of auditor.devserver answer (in this process), and the
    most they answered at once (each answer takes at least 5 ms, so requests sent together
    overlap)."""
    from auditor.devserver import SiteHandler

    log = ServerLog()
    original = SiteHandler.handle_request

    def logged(self, head=False):
        with log.lock:
            log.requests.append(ServedRequest("HEAD" if head else self.command,
                                              self.path.split("?")[0], time.monotonic(),
                                              self.client_address, self.headers.get("Referer")))
            log.now += 1
            log.most = max(log.most, log.now)
        try:
            time.sleep(0.005)
            original(self, head)
        finally:
            with log.lock:
                log.now -= 1

    monkeypatch.setattr(SiteHandler, "handle_request", logged)
    return log
