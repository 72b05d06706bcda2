"""Start real ``redis-server``, PostgreSQL and nginx (the Debian packages) on 127.0.0.1, on
free ports, for the tests and the benchmarks — and stop or restart them, to test what a
campaign does when they go away.

    python -m auditor.testing.services redis      # print the URL, serve until Ctrl-C
    python -m auditor.testing.services postgres

nginx serves a generated site's folder as static files, the way most government sites serve
their TRS pages: its own ``ETag`` and ``Last-Modified``, 304 answers, keep-alive — a site whose
answers cost next to nothing, so a benchmark times the crawler, not our Python test server.

Redis keeps its data in an append-only file (``appendfsync always``), so a restart loses no
queued site; PostgreSQL runs as the ``postgres`` system user when started by root (initdb
refuses root), with fsync off: its files are thrown away with the temporary folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator


class ServiceUnavailable(Exception):
    """The binaries are not installed; the message says which and how to get them."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:g} s")


class _Service:
    """A server process of ours with its files in ``self.dir``."""

    dir: str

    def start(self) -> _Service:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer(_Service):
    """A redis-server of our own in a temporary folder (``start``, ``stop``, ``restart``)."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise ServiceUnavailable("redis-server not installed (apt-get install redis-server)")
        self.dir = tempfile.mkdtemp(prefix="zwgk-redis-")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", "always", "--save", "",
             "--protected-mode", "no", "--daemonize", "no", "--logfile", "redis.log"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.process, "redis-server")
        # listening is not loaded: wait until it answers PING with its data read back
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.ping():
                    break
            except redis.exceptions.BusyLoadingError:
                pass
            except redis.exceptions.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not answer PING")
            time.sleep(0.05)
        client.close()
        return self

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            self.process.wait(timeout=30)
        self.process = None



def postgres_bindir() -> str | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


class PostgresServer(_Service):
    """A PostgreSQL cluster of our own in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        if not self.bindir:
            raise ServiceUnavailable("PostgreSQL not installed (apt-get install postgresql)")
        self.dir = tempfile.mkdtemp(prefix="zwgk-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.user = None
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise ServiceUnavailable("running as root and no 'postgres' user to run "
                                         "PostgreSQL as") from None
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self._run([os.path.join(self.bindir, "initdb"), "-D", self.data, "-A", "trust",
                   "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])

    def _as_user(self):
        if self.user is None:
            return None
        uid, gid = self.user.pw_uid, self.user.pw_gid

        def demote() -> None:
            os.setgid(gid)
            os.setuid(uid)
        return demote

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=self._as_user(),
                              cwd=self.dir)
        if done.returncode:
            raise RuntimeError(f"{os.path.basename(cmd[0])} failed: {done.stderr.strip()[-300:]}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> PostgresServer:
        self.process = subprocess.Popen(
            [os.path.join(self.bindir, "postgres"), "-D", self.data, "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.dir}",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=200", "-c", "logging_collector=off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=self._as_user(),
            cwd=self.dir)
        _wait_port(self.port, self.process, "postgres")
        deadline = time.monotonic() + 30
        while not self._ready():
            if time.monotonic() > deadline:
                raise RuntimeError("postgres did not accept connections")
            time.sleep(0.1)
        return self

    def _ready(self) -> bool:
        import psycopg

        try:
            psycopg.connect(self.url(), connect_timeout=2).close()
            return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: sessions cut off
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None



class NginxServer(_Service):
    """nginx serving ``root`` (a folder of static pages) on a free port (``start``, ``stop``)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.binary = shutil.which("nginx") or next(
            (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)
        if not self.binary:
            raise ServiceUnavailable("nginx not installed (apt-get install nginx-light)")
        self.root = os.path.abspath(root)
        self.dir = tempfile.mkdtemp(prefix="zwgk-nginx-")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        mime = "/etc/nginx/mime.types"
        types = f"include {mime};" if os.path.exists(mime) else "types { text/html html; }"
        # Started by root, nginx's workers would run as nobody, who cannot read a private
        # temporary folder.
        user = "user root;" if os.geteuid() == 0 else ""
        return f"""{user}
worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    {types}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root};
        index index.html;
    }}
}}
"""

    def start(self) -> NginxServer:
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as out:
            out.write(self.config())
        self.process = subprocess.Popen([self.binary, "-c", conf, "-p", self.dir],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.process, "nginx")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def nginx_server(root: str | os.PathLike) -> Iterator[NginxServer]:
    server = NginxServer(root)
    try:
        yield server.start()
    finally:
        server.close()


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.close()


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in (["redis"], ["postgres"]):
        print("usage: python -m auditor.testing.services redis|postgres", file=sys.stderr)
        return 2
    try:
        manager = redis_server() if argv[0] == "redis" else postgres_server()
        with manager as server:
            print(server.url if argv[0] == "redis" else server.url(), flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    except ServiceUnavailable as exc:
        print(f"auditor.testing.services: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
