"""Real services for the tests that need them: redis-server and PostgreSQL started on free
ports of 127.0.0.1 by auditor.testing.services (once per session) and stopped at the end;
nginx serving a test's own folder (``nginx_site``).
Tests that need them are skipped, with the reason, only where the binaries are not installed.
"""

from __future__ import annotations

import itertools

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
