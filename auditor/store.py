"""The store: every run, every page fetched (raw bytes kept compressed as evidence), the dates
found on each document and every finding — in SQLite (the embedded default: a file) or
PostgreSQL (``postgresql://…``: one database shared by workers on several machines).

Crawling writes pages here and stops; everything after (dates, rules, reports) reads the
store, so ``auditor audit RUN_ID`` re-audits a stored run offline with the current rules.

Both backends have one schema, written once below with SQLAlchemy Core: the tables, the upserts
(``ON CONFLICT``, which SQLite and PostgreSQL both have) and the types (BLOB / BYTEA) come from
the same definitions, so no SQL text is kept per backend. Every query of the program goes through
a method here; nothing else writes SQL.

Writes are buffered and sent in one transaction by :meth:`Store.commit` (or by the method that
needs them written, e.g. :meth:`Store.finish_run`). Every write is an upsert, so a transaction
that failed because the database went away is simply sent again: when the connection drops,
the store waits and retries (``retry_for`` seconds, default 300) instead of losing the batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import SQLAlchemyError as _SQLAlchemyError
from sqlalchemy.pool import NullPool

SCHEMA_VERSION = 4  # 2: pages.reached_as/kind_cue/column_url, findings.discriminator; 3: both;
#                     4: runs.campaign, pages.etag/last_modified, the parses cache

#: Ids: 64-bit in PostgreSQL; SQLite needs exactly INTEGER for its rowid primary keys.
_Id = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

meta_table = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text))

runs_table = Table(
    "runs", metadata,
    Column("id", _Id, primary_key=True),
    Column("site", Text, nullable=False),
    Column("start_url", Text, nullable=False),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    # running, finished, failed (site not reached), interrupted, crashed
    Column("status", Text, nullable=False, server_default="running"),
    Column("options", Text, nullable=False, server_default="{}"),
    Column("stats", Text, nullable=False, server_default="{}"),
    # the distributed campaign the run belongs to (auditor.queue), NULL for local scans
    Column("campaign", Text),
)
Index("runs_site", runs_table.c.site)
Index("runs_campaign", runs_table.c.campaign, runs_table.c.site)

blobs_table = Table(
    "blobs", metadata,
    Column("hash", Text, primary_key=True),        # sha256 of the raw bytes
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),   # zlib-compressed raw bytes
)

pages_table = Table(
    "pages", metadata,
    Column("id", _Id, primary_key=True),
    Column("run_id", _Id, ForeignKey("runs.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    # home, list, document, report, attachment, other (the page's own evidence)
    Column("kind", Text, nullable=False),
    Column("status", Integer),      # HTTP status, NULL when no response; 304: not modified
    # ok, http_error, timeout, robots, blocked, offsite, redirect_loop, network_error, skipped
    Column("outcome", Text, nullable=False),
    Column("error", Text),
    Column("fetched_at", Text, nullable=False),
    Column("elapsed", Float),
    Column("content_type", Text),
    Column("hash", Text, ForeignKey("blobs.hash")),
    Column("column_name", Text),
    Column("title", Text),
    Column("list_date", Text),
    Column("referer", Text),
    Column("depth", Integer),
    Column("reached_as", Text),     # how the crawl got there: home, column, list, document…
    Column("kind_cue", Text),       # the evidence for kind
    Column("column_url", Text),     # the first page of the column the page belongs to
    Column("etag", Text),           # the response's validators, for conditional re-scans
    Column("last_modified", Text),
    UniqueConstraint("run_id", "url"),
)
Index("pages_run", pages_table.c.run_id, pages_table.c.kind)

documents_table = Table(
    "documents", metadata,
    Column("run_id", _Id, ForeignKey("runs.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text),
    Column("issued", Text), Column("issued_strategy", Text), Column("issued_raw", Text),
    Column("published", Text), Column("published_strategy", Text),
    Column("published_raw", Text),
    # sha256 of the normalised main text (changed after publication?)
    Column("text_hash", Text),
    PrimaryKeyConstraint("run_id", "url"),
)

findings_table = Table(
    "findings", metadata,
    Column("id", _Id, primary_key=True),
    Column("run_id", _Id, ForeignKey("runs.id"), nullable=False),
    Column("rule", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("waived", Text),
    Column("discriminator", Text),  # NULL in rows written before schema 2
)
Index("findings_run", findings_table.c.run_id)
Index("findings_fp", findings_table.c.fingerprint)

#: What reading a stored body gave, keyed by the body's hash, what else the reading depended
#: on and the parser's own source (auditor.site_audit): an unchanged page is not parsed again.
#: Also what the crawl's navigation of a document page found (``nav:`` keys,
#: spiders/navigation.py): a re-scan revisits an unchanged one without reading it.
parses_table = Table(
    "parses", metadata,
    Column("key", Text, primary_key=True),
    Column("data", Text, nullable=False),
)

#: Columns added after schema version 1: (table, column, SQL type). Old stores get them on open.
ADDED_COLUMNS = (("pages", "reached_as", "TEXT"), ("pages", "kind_cue", "TEXT"),
                 ("pages", "column_url", "TEXT"),
                 # a finding's discriminator, so a fingerprint can be recomputed from the
                 # stored row (auditor.history does, across fingerprint schemes)
                 ("findings", "discriminator", "TEXT"),
                 ("runs", "campaign", "TEXT"), ("pages", "etag", "TEXT"),
                 ("pages", "last_modified", "TEXT"))


def default_db_path() -> Path:
    """``$ZWGK_AUDITOR_DB``, else ``$XDG_DATA_HOME/zwgk-auditor/auditor.db`` (~/.local/share)."""
    if os.environ.get("ZWGK_AUDITOR_DB"):
        return Path(os.environ["ZWGK_AUDITOR_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "zwgk-auditor" / "auditor.db"


def is_url(target: str | Path) -> bool:
    """A database URL (``postgresql://…``, ``sqlite:///…``) rather than a SQLite file path."""
    return isinstance(target, str) and "://" in target


def is_postgres(target: str | Path) -> bool:
    return isinstance(target, str) and target.split("://", 1)[0].split("+", 1)[0] in (
        "postgresql", "postgres")


def store_exists(target: str | Path) -> bool:
    """Whether there is a store to read: a SQLite file that exists, or any server URL (its
    problems are reported when it is opened)."""
    if is_postgres(target):
        return True
    return Path(_sqlite_path(target)).exists()


def display_name(target: str | Path) -> str:
    """How messages name the store: the file, or the URL without its password."""
    if is_url(target) and not str(target).startswith("sqlite"):
        try:
            return make_url(str(target)).render_as_string(hide_password=True)
        except ArgumentError:
            return str(target)
    return str(_sqlite_path(target))


def _sqlite_path(target: str | Path) -> str:
    text_target = str(target)
    return text_target[len("sqlite:///"):] if text_target.startswith("sqlite:///") else text_target


class StoreError(Exception):
    """The database cannot be opened or used; the message names the file or server."""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PageRecord:
    id: int
    run_id: int
    url: str
    final_url: str | None
    kind: str
    status: int | None
    outcome: str
    error: str | None
    fetched_at: str
    elapsed: float | None
    content_type: str | None
    hash: str | None
    column_name: str | None
    title: str | None
    list_date: str | None
    referer: str | None
    depth: int | None
    reached_as: str | None = None
    kind_cue: str | None = None
    column_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None


#: The pages columns, in PageRecord's order.
PAGE_COLUMNS = ("id", "run_id", "url", "final_url", "kind", "status", "outcome", "error",
                "fetched_at", "elapsed", "content_type", "hash", "column_name", "title",
                "list_date", "referer", "depth", "reached_as", "kind_cue", "column_url", "etag",
                "last_modified")
_PAGE_FIELDS = PAGE_COLUMNS[1:]


@dataclass(frozen=True)
class RunRecord:
    id: int
    site: str
    start_url: str
    started_at: str
    finished_at: str | None
    status: str
    options: dict[str, Any]
    stats: dict[str, Any]
    campaign: str | None = None


@dataclass(frozen=True)
class Validators:
    """What a previous run stored of a page: enough to ask the site whether it changed, and
    to reuse the stored body when it did not."""

    url: str            # the URL the body was fetched from (final URL)
    etag: str | None
    last_modified: str | None
    hash: str
    content_type: str | None
    status: int | None
    #: The page that linked it (sent as ``Referer`` when asking again, as the crawl does).
    referer: str | None = None


_T = TypeVar("_T")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


#: What PostgreSQL and psycopg say when the server is restarting, down or cut off.
_PG_TRANSIENT = ("connection refused", "could not connect", "server closed the connection",
                 "terminating connection", "the database system is starting up",
                 "the database system is shutting down", "connection reset",
                 "consuming input failed", "connection timeout", "timeout expired",
                 "connection is closed", "connection is lost", "ssl syscall error",
                 "no connection to the server", "deadlock detected",
                 "could not serialize access")

_PENDING_ORDER = ("blob", "page", "document", "kinds", "parse")

#: Schema checked in this process (PostgreSQL: opening a store many times must stay cheap).
_SCHEMA_READY: set[str] = set()


class Store:
    """The store at ``target``: a SQLite file path (or ``sqlite:///path``) or a PostgreSQL URL.

    ``retry_for``: how long to wait for a database that went away before giving up
    (PostgreSQL restarting, a network blip; SQLite: a write lock held too long).
    """

    def __init__(self, target: str | Path, *, retry_for: float | None = None) -> None:
        self.target = str(target)
        self.postgres = is_postgres(self.target)
        self.path: Path | str = (display_name(self.target) if self.postgres
                                 else Path(_sqlite_path(self.target)))
        self.retry_for = float(os.environ.get("ZWGK_DB_RETRY", 300)) if retry_for is None \
            else retry_for
        #: Buffered rows by kind, each keyed by its unique key (the last write of a key wins,
        #: as it would row by row); sent in this order (pages refer to blobs).
        self._pending: dict[str, dict[Any, dict[str, Any]]] = {k: {} for k in _PENDING_ORDER}
        self.engine = self._engine()
        self._statements: dict[str, Any] = {}
        try:
            # Opening waits less than work in progress does: a wrong address should be said
            # soon; a server restarting under a running campaign is waited for.
            self._retrying(self._ensure_schema, patience=min(self.retry_for, 30.0))
        except StoreError as exc:
            self.engine.dispose()
            reason = str(exc).removeprefix(f"{self.path}: ")
            raise StoreError(f"{self.path}：无法打开数据库（{reason}）") from None
        except (_SQLAlchemyError, OSError) as exc:
            self.engine.dispose()
            raise StoreError(f"{self.path}：无法打开数据库（{_reason(exc)}）") from None

    def _engine(self) -> Engine:
        if self.postgres:
            url = make_url(self.target)
            url = url.set(drivername="postgresql+psycopg")
            # pre_ping: a pooled connection that the server dropped (restart) is replaced
            # before use instead of failing the first statement.
            return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                                 connect_args={"connect_timeout": 10})
        path = Path(_sqlite_path(self.target))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}：无法打开数据库（{exc}）") from None
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool,
                               connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        # One connection for the store's life (NullPool would reconnect per statement).
        return engine

    # ------------------------------------------------------------ connections and retries

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self.postgres:
            with self.engine.connect() as conn:
                yield conn
            return
        if getattr(self, "_sqlite_conn", None) is None:
            self._sqlite_conn = self.engine.connect()
        yield self._sqlite_conn

    def _retrying(self, work: Callable[[Connection], _T], *, write: bool = True,
                  patience: float | None = None) -> _T:
        """Run ``work`` in one transaction; when the database went away, wait and run it
        again (every write of the store is an upsert or a replace, so this is safe)."""
        deadline = time.monotonic() + (self.retry_for if patience is None else patience)
        wait, told = 0.2, False
        while True:
            try:
                with self._connection() as conn:
                    try:
                        result = work(conn)
                        conn.commit()
                    except BaseException:
                        if conn.in_transaction():
                            conn.rollback()
                        raise
                if told:
                    print(f"auditor：{self.path}：数据库已恢复连接", file=sys.stderr)
                return result
            except (OperationalError, InterfaceError, DBAPIError) as exc:
                if not self._transient(exc) or time.monotonic() + wait > deadline:
                    raise StoreError(f"{self.path}：{_reason(exc)}") from None
                if not told:
                    print(f"auditor：{self.path}：数据库暂不可用（{_reason(exc)}）；"
                          f"最多重试 {self.retry_for:g} 秒", file=sys.stderr)
                    told = True
                self._drop_connection()
                time.sleep(wait)
                wait = min(wait * 2, 5.0)

    def _transient(self, exc: DBAPIError) -> bool:
        """The database went away or is busy (worth waiting for), not a wrong address,
        password or query."""
        message = str(getattr(exc, "orig", exc)).lower()
        if self.postgres:
            if "authentication" in message or "does not exist" in message:
                return False
            return exc.connection_invalidated or any(cue in message for cue in _PG_TRANSIENT)
        return "locked" in message or "busy" in message

    def _drop_connection(self) -> None:
        conn = getattr(self, "_sqlite_conn", None)
        if conn is not None:
            try:
                conn.close()
            except _SQLAlchemyError:
                pass
            self._sqlite_conn = None
        if self.postgres:
            self.engine.dispose()

    def _read(self, statement: Any, params: Any = None, *,
              each: Callable[[Any], Any] | None = None) -> list[Any]:
        """The rows of ``statement``; with ``each``, what it makes of each row, made as the rows
        come (a 50,000-page run's rows and records are not all held at once)."""
        def work(conn: Connection) -> list[Any]:
            result = conn.execute(statement, params) if params is not None \
                else conn.execute(statement)
            return [each(row) for row in result] if each is not None else list(result)
        return self._retrying(work, write=False)

    def _write(self, *ops: tuple[Any, Any], returning: Any = None) -> Any:
        """Send the buffered writes and ``ops`` in one transaction; then ``returning`` (a
        statement) is executed and its inserted primary key returned."""
        batches = [(self._statement(kind), list(rows.values()))
                   for kind, rows in self._pending.items() if rows]

        def work(conn: Connection) -> Any:
            for statement, rows in [*batches, *ops]:
                if rows is None:
                    conn.execute(statement)
                elif rows:
                    conn.execute(statement, rows)
            if returning is not None:
                return conn.execute(returning).inserted_primary_key[0]
            return None
        result = self._retrying(work)
        self._pending = {k: {} for k in _PENDING_ORDER}
        return result

    def _statement(self, kind: str) -> Any:
        """The upsert that writes buffered rows of ``kind`` (built once per store)."""
        if kind not in self._statements:
            if kind == "blob":
                statement = self._insert(blobs_table).on_conflict_do_nothing()
            elif kind == "parse":
                statement = self._insert(parses_table).on_conflict_do_nothing()
            elif kind in ("page", "document"):
                table = pages_table if kind == "page" else documents_table
                statement = self._insert(table)
                statement = statement.on_conflict_do_update(
                    index_elements=["run_id", "url"],
                    set_={c.name: statement.excluded[c.name] for c in table.columns
                          if c.name not in ("id", "run_id", "url")})
            else:  # page kinds read by the audit
                from sqlalchemy import bindparam

                statement = update(pages_table).where(
                    pages_table.c.id == bindparam("page_id")).values(
                    kind=bindparam("new_kind"), kind_cue=bindparam("new_cue"))
            self._statements[kind] = statement
        return self._statements[kind]

    # ------------------------------------------------------------ schema

    def _ensure_schema(self, conn: Connection) -> None:
        if self.postgres:
            if self.target in _SCHEMA_READY:
                return
            # Several workers may open a new database at once: one creates, the others wait.
            conn.execute(text("SELECT pg_advisory_xact_lock(7270014)"))
        else:
            current = conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = 'schema_version'").first() \
                if inspect(conn).has_table("meta") else None
            if current is not None and int(current[0]) >= SCHEMA_VERSION:
                return  # the usual case: nothing to create, no write lock taken
            # Take the write lock first: processes opening a new file at once wait here, and
            # the others then find the tables made.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn, checkfirst=True)
        self._migrate(conn)
        conn.execute(self._insert(meta_table).values(
            key="schema_version", value=str(SCHEMA_VERSION)).on_conflict_do_nothing())
        if self.postgres:
            _SCHEMA_READY.add(self.target)

    #: kept as an attribute for callers that list the migrations
    ADDED_COLUMNS = ADDED_COLUMNS

    def _migrate(self, conn: Connection) -> None:
        """Bring a store written by an older version up to this schema (columns, indexes)."""
        # Read first and write only when something is missing: opening a current store must
        # not take the write lock (parallel scans open it from several processes).
        row = conn.execute(select(meta_table.c.value).where(
            meta_table.c.key == "schema_version")).first()
        if row is not None and int(row[0]) >= SCHEMA_VERSION:
            return
        inspector = inspect(conn)
        for table, column, kind in ADDED_COLUMNS:
            have = {c["name"] for c in inspector.get_columns(table)}
            if column not in have:
                try:
                    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
                except OperationalError as exc:  # another process migrated it just now
                    if "duplicate column" not in str(exc):
                        raise
        for index in (*runs_table.indexes, *pages_table.indexes, *findings_table.indexes):
            index.create(conn, checkfirst=True)
        if row is not None:
            conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                         .values(value=str(SCHEMA_VERSION)))

    def _insert(self, table: Table):
        if self.postgres:
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def schema_version(self) -> int:
        rows = self._read(select(meta_table.c.value).where(meta_table.c.key == "schema_version"))
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        if any(self._pending.values()):
            self._write()
        self._drop_connection()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ runs

    def start_run(self, site: str, start_url: str, options: dict[str, Any], *,
                  campaign: str | None = None, started_at: str | None = None) -> int:
        """A new run; ``started_at`` (ISO, UTC) only to record a run made elsewhere."""
        return int(self._write(returning=runs_table.insert().values(
            site=site, start_url=start_url, started_at=started_at or now(),
            options=_json(options), campaign=campaign)))

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        self._write((update(runs_table).where(runs_table.c.id == run_id).values(
            finished_at=now(), status=status, stats=_json(stats)), None))

    def set_run_status(self, run_id: int, status: str) -> None:
        self._write((update(runs_table).where(runs_table.c.id == run_id)
                     .values(status=status), None))

    def update_stats(self, run_id: int, **values: Any) -> None:
        run = self.run(run_id)
        if run is not None:
            self._write((update(runs_table).where(runs_table.c.id == run_id).values(
                stats=_json({**run.stats, **values})), None))

    _RUN_COLUMNS = (runs_table.c.id, runs_table.c.site, runs_table.c.start_url,
                    runs_table.c.started_at, runs_table.c.finished_at, runs_table.c.status,
                    runs_table.c.options, runs_table.c.stats, runs_table.c.campaign)

    @staticmethod
    def _run_record(row: Any) -> RunRecord:
        return RunRecord(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]),
                         json.loads(row[7]), row[8])

    def run(self, run_id: int) -> RunRecord | None:
        rows = self._read(select(*self._RUN_COLUMNS).where(runs_table.c.id == run_id))
        return self._run_record(rows[0]) if rows else None

    def runs(self, site: str | None = None) -> list[RunRecord]:
        query = select(*self._RUN_COLUMNS).order_by(runs_table.c.id)
        if site:
            query = query.where(runs_table.c.site == site)
        return [self._run_record(row) for row in self._read(query)]

    def run_ids(self, site: str, *, after: int | None = None, before: int | None = None,
                finished_only: bool = False, newest_first: bool = False) -> list[int]:
        """The site's run ids in order (``after`` < id < ``before``; ``finished_only``: not
        still running)."""
        query = select(runs_table.c.id).where(runs_table.c.site == site)
        if after is not None:
            query = query.where(runs_table.c.id > after)
        if before is not None:
            query = query.where(runs_table.c.id < before)
        if finished_only:
            query = query.where(runs_table.c.status != "running")
        query = query.order_by(runs_table.c.id.desc() if newest_first else runs_table.c.id)
        return [row[0] for row in self._read(query)]

    def campaign_run(self, campaign: str, site: str) -> RunRecord | None:
        """The run of ``site`` in a distributed campaign, if one was started."""
        rows = self._read(select(*self._RUN_COLUMNS).where(and_(
            runs_table.c.campaign == campaign, runs_table.c.site == site))
            .order_by(runs_table.c.id.desc()).limit(1))
        return self._run_record(rows[0]) if rows else None

    # ------------------------------------------------------------ pages

    def put_blob(self, data: bytes) -> str:
        """Buffer ``data`` for the next commit; returns its hash."""
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self._pending["blob"]:
            self._pending["blob"][digest] = {"hash": digest, "size": len(data),
                                             "data": zlib.compress(data, 6)}
        return digest

    def blob(self, digest: str | None) -> bytes | None:
        if not digest:
            return None
        rows = self._read(select(blobs_table.c.data).where(blobs_table.c.hash == digest))
        return zlib.decompress(rows[0][0]) if rows else None

    def blobs(self, digests: Iterable[str]) -> dict[str, bytes]:
        """The stored bytes of several hashes at once (those not stored are left out)."""
        digests = list(dict.fromkeys(digests))
        out: dict[str, bytes] = {}
        for start in range(0, len(digests), 500):
            out.update((digest, zlib.decompress(data)) for digest, data in self._read(
                select(blobs_table.c.hash, blobs_table.c.data).where(
                    blobs_table.c.hash.in_(digests[start:start + 500]))))
        return out

    def add_page(self, run_id: int, *, url: str, kind: str, outcome: str,
                 status: int | None = None, body: bytes | None = None,
                 commit: bool = True, **fields: Any) -> None:
        """Record a page (the same URL again in the same run replaces it)."""
        unknown = set(fields) - set(_PAGE_FIELDS)
        if unknown:
            raise TypeError(f"add_page: unknown page fields {sorted(unknown)}")
        row = dict.fromkeys(_PAGE_FIELDS)
        row.update(fields)
        row.update(run_id=run_id, url=url, kind=kind, outcome=outcome, status=status,
                   fetched_at=fields.get("fetched_at") or now())
        if body is not None:
            row["hash"] = self.put_blob(body)
        self._pending["page"][(run_id, url)] = row
        if commit:
            self.commit()

    def commit(self) -> None:
        if any(self._pending.values()):
            self._write()

    def pages(self, run_id: int, kinds: Iterable[str] | None = None, *,
              after: int | None = None, limit: int | None = None) -> list[PageRecord]:
        """The run's pages in the order they were stored (``after``: ids after that one)."""
        query = select(*(pages_table.c[name] for name in PAGE_COLUMNS)).where(
            pages_table.c.run_id == run_id)
        if kinds:
            query = query.where(pages_table.c.kind.in_(list(kinds)))
        if after is not None:
            query = query.where(pages_table.c.id > after)
        if limit is not None:
            query = query.limit(limit)
        return self._read(query.order_by(pages_table.c.id),
                          each=lambda row: PageRecord(*_interned(row)))

    def page_fields(self, run_id: int, *names: str) -> list[tuple[Any, ...]]:
        """Only some fields of the run's pages (in the order they were stored): cheaper than
        :meth:`pages` for a question about all of them."""
        return [tuple(row) for row in self._read(
            select(*(pages_table.c[name] for name in names)).where(
                pages_table.c.run_id == run_id).order_by(pages_table.c.id))]

    def copy_pages(self, from_run: int, to_run: int, *, fetched_at: str,
                   changes: dict[str, dict[str, Any]]) -> None:
        """Store ``from_run``'s pages as ``to_run``'s too, in the same order, stamped
        ``fetched_at``; ``changes`` gives, by URL, fields whose values differ (those named in
        any of them, given for every URL it names)."""
        from sqlalchemy import bindparam, literal

        copied = [name for name in _PAGE_FIELDS if name not in ("run_id", "fetched_at")]
        source = select(literal(to_run), *(pages_table.c[name] for name in copied),
                        literal(fetched_at)).where(
            pages_table.c.run_id == from_run).order_by(pages_table.c.id)
        ops: list[tuple[Any, Any]] = [(pages_table.insert().from_select(
            ["run_id", *copied, "fetched_at"], source), None)]
        changed = sorted({name for fields in changes.values() for name in fields})
        if changes and changed:
            ops.append((update(pages_table).where(and_(
                pages_table.c.run_id == to_run, pages_table.c.url == bindparam("page_url")))
                .values({name: bindparam(f"new_{name}") for name in changed}),
                [{"page_url": url, **{f"new_{name}": fields[name] for name in changed}}
                 for url, fields in changes.items()]))
        self._write(*ops)

    def crawl_progress(self, run_id: int) -> dict[str, int]:
        """What a crawl has stored so far: pages, fetched, errors (not fetched, off-site
        aside), documents (article and report pages) and columns (distinct column pages);
        during a re-scan's revalidation pass also ``asked``, ``unchanged`` and ``of`` (how
        many pages of the last run it asks about: spiders/revalidate.py)."""
        from sqlalchemy import case

        p = pages_table.c
        ok = p.outcome == "ok"
        row = self._read(select(
            func.count(), func.sum(case((ok, 1), else_=0)),
            func.sum(case((p.outcome.not_in(("ok", "offsite")), 1), else_=0)),
            func.sum(case((ok & p.kind.in_(("document", "report")), 1), else_=0)),
            func.count(p.column_url.distinct())).where(p.run_id == run_id))[0]
        counts = {"pages": row[0] or 0, "ok": int(row[1] or 0), "errors": int(row[2] or 0),
                  "documents": int(row[3] or 0), "columns": row[4] or 0}
        run = self.run(run_id)
        revalidating = run.stats.get("revalidating") if run is not None else None
        if isinstance(revalidating, dict):
            counts.update({k: int(revalidating.get(k) or 0) for k in ("asked", "unchanged", "of")})
        return counts

    def page_counts(self, run_id: int) -> dict[str, int]:
        rows = self._read(select(pages_table.c.outcome, func.count()).where(
            pages_table.c.run_id == run_id).group_by(pages_table.c.outcome))
        return {outcome: count for outcome, count in rows}

    def set_page_kinds(self, changes: Iterable[tuple[str, str | None, int]]) -> None:
        """Store the kinds the audit read from the pages' bytes: (kind, cue, page id)."""
        for kind, cue, page_id in changes:
            self._pending["kinds"][page_id] = {"new_kind": kind, "new_cue": cue,
                                               "page_id": page_id}

    def last_finished_run(self, site: str, before_run: int) -> RunRecord | None:
        """The site's last run before ``before_run`` that finished (what a re-scan reuses)."""
        rows = self._read(select(*self._RUN_COLUMNS).where(and_(
            runs_table.c.site == site, runs_table.c.id < before_run,
            runs_table.c.status == "finished")).order_by(runs_table.c.id.desc()).limit(1))
        return self._run_record(rows[0]) if rows else None

    def validators(self, site: str, before_run: int) -> dict[str, Validators]:
        """Stored bodies of the site's last finished run before ``before_run`` with what the
        site said to recognise them (ETag, Last-Modified), by the URL they were fetched from:
        what a re-scan may ask about conditionally. In the order that run fetched them (a
        re-scan asks in much the same order: spiders/conditional.py reads bodies ahead)."""
        last = self.last_finished_run(site, before_run)
        if last is None:
            return {}
        query = select(pages_table.c.url, pages_table.c.final_url, pages_table.c.etag,
                       pages_table.c.last_modified, pages_table.c.hash,
                       pages_table.c.content_type, pages_table.c.status,
                       pages_table.c.referer).where(and_(
                           pages_table.c.run_id == last.id, pages_table.c.outcome == "ok",
                           pages_table.c.hash.is_not(None),
                           (pages_table.c.etag.is_not(None))
                           | (pages_table.c.last_modified.is_not(None)))).order_by(
                               pages_table.c.id)
        out = {}
        for url, final_url, etag, modified, digest, content_type, status, referer in \
                self._read(query):
            if "#" in url:  # a POST to a list interface: never asked conditionally
                continue
            fetched = final_url or url
            out[fetched] = Validators(fetched, etag, modified, digest, content_type, status,
                                      referer)
        return out

    # ------------------------------------------------------------ documents and findings

    _DOCUMENT_COLUMNS = tuple(c.name for c in documents_table.columns)

    def put_document(self, run_id: int, url: str, **fields: Any) -> None:
        row = dict.fromkeys(self._DOCUMENT_COLUMNS)
        row.update(fields, run_id=run_id, url=url)
        self._pending["document"][(run_id, url)] = row

    def documents(self, run_id: int) -> list[dict[str, Any]]:
        rows = self._read(select(documents_table).where(documents_table.c.run_id == run_id)
                          .order_by(documents_table.c.url))
        return [dict(row._mapping) for row in rows]

    def replace_findings(self, run_id: int, findings: Iterable[Any]) -> None:
        rows = [{"run_id": run_id, "rule": f.rule, "name": f.name, "status": str(f.status),
                 "severity": str(f.severity), "message": f.message,
                 "location": json.dumps(f.location.to_dict(), ensure_ascii=False),
                 "evidence": _json(f.evidence), "legal_basis": f.legal_basis,
                 "fingerprint": f.fingerprint, "waived": f.waived,
                 "discriminator": f.discriminator} for f in findings]
        self._write((delete(findings_table).where(findings_table.c.run_id == run_id), None),
                    (findings_table.insert(), rows))

    _FINDING_COLUMNS = ("rule", "name", "status", "severity", "message", "location",
                        "evidence", "legal_basis", "fingerprint", "waived", "discriminator")

    def findings(self, run_id: int) -> Iterator[dict[str, Any]]:
        rows = self._read(select(*(findings_table.c[n] for n in self._FINDING_COLUMNS))
                          .where(findings_table.c.run_id == run_id)
                          .order_by(findings_table.c.id))
        for row in rows:
            out = dict(zip(self._FINDING_COLUMNS, row, strict=True))
            out["location"] = json.loads(out["location"])
            out["evidence"] = json.loads(out["evidence"])
            yield out

    def finding_counts(self, run_id: int) -> dict[str, int]:
        rows = self._read(select(findings_table.c.status, func.count()).where(
            findings_table.c.run_id == run_id).group_by(findings_table.c.status))
        return {status: count for status, count in rows}

    def known_discriminators(self) -> list[tuple[str, str]]:
        """(rule, discriminator) pairs written since schema 2 (auditor.history)."""
        return [tuple(row) for row in self._read(
            select(findings_table.c.rule, findings_table.c.discriminator).distinct()
            .where(findings_table.c.discriminator.is_not(None)))]

    def site_findings(self, site: str) -> list[tuple[Any, ...]]:
        """Every finding of the site's runs, oldest run first: (rule, status, location,
        evidence, fingerprint, discriminator, run started_at)."""
        f, r = findings_table.c, runs_table.c
        return [tuple(row) for row in self._read(
            select(f.rule, f.status, f.location, f.evidence, f.fingerprint, f.discriminator,
                   r.started_at).select_from(findings_table.join(
                       runs_table, runs_table.c.id == findings_table.c.run_id))
            .where(r.site == site).order_by(r.started_at, f.id))]

    # ------------------------------------------------------------ the parse cache

    def cached_parses(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        out: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            out.update((k, v) for k, v in self._read(
                select(parses_table.c.key, parses_table.c.data).where(
                    parses_table.c.key.in_(chunk))))
        return out

    def cache_parse(self, key: str, data: str) -> None:
        self._pending["parse"][key] = {"key": key, "data": data}

    # ------------------------------------------------------------ housekeeping

    def size_bytes(self) -> int:
        """The store's size on disk (SQLite: after a WAL checkpoint)."""
        self.commit()
        if self.postgres:
            return int(self._read(text("SELECT pg_database_size(current_database())"))[0][0])
        self._retrying(lambda conn: conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)"))
        return Path(self.path).stat().st_size

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A lock on the database (PostgreSQL advisory lock) held while the block runs;
        yields whether it was obtained. SQLite: see :mod:`auditor.lock` (a lock file)."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:7], "big")
        with self.engine.connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
                       .scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()


#: Page columns whose values repeat from row to row (kinds, outcomes, a list's URL for its
#: items…): held once in memory, however many pages a big site has.
_REPEATED = tuple(PAGE_COLUMNS.index(name) for name in (
    "kind", "outcome", "content_type", "column_name", "list_date", "referer", "reached_as",
    "kind_cue", "column_url", "fetched_at"))


_URL, _FINAL_URL = PAGE_COLUMNS.index("url"), PAGE_COLUMNS.index("final_url")


def _interned(row: Any) -> list[Any]:
    values = list(row)
    for index in _REPEATED:
        if isinstance(values[index], str):
            values[index] = sys.intern(values[index])
    if values[_FINAL_URL] == values[_URL]:  # nearly always: one string for both
        values[_FINAL_URL] = values[_URL]
    return values


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()
    return message[0] if message else type(orig).__name__
