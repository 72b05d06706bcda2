"""The SQLite store: every run, every page fetched (raw bytes kept compressed as evidence),
the dates found on each document and every finding.

Crawling writes pages here and stops; everything after (dates, rules, reports) reads the
store, so ``auditor audit RUN_ID`` re-audits a stored run offline with the current rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3  # 2: pages.reached_as/kind_cue/column_url, findings.discriminator; 3: both

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    start_url TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',  -- running, finished, failed (site not
                                             -- reached), interrupted, crashed
    options TEXT NOT NULL DEFAULT '{}',
    stats TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS blobs (
    hash TEXT PRIMARY KEY,          -- sha256 of the raw bytes
    size INTEGER NOT NULL,
    data BLOB NOT NULL              -- zlib-compressed raw bytes
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    final_url TEXT,
    kind TEXT NOT NULL,             -- home, list, document, report, attachment, other
                                    -- (from the page's own evidence; auditor.parse.page)
    status INTEGER,                 -- HTTP status, NULL when no response
    outcome TEXT NOT NULL,          -- ok, http_error, timeout, robots, blocked, offsite,
                                    -- redirect_loop, network_error, skipped
    error TEXT,
    fetched_at TEXT NOT NULL,
    elapsed REAL,
    content_type TEXT,
    hash TEXT REFERENCES blobs(hash),
    column_name TEXT,
    title TEXT,
    list_date TEXT,
    referer TEXT,
    depth INTEGER,
    reached_as TEXT,                -- how the crawl got there: home, column, list, document…
    kind_cue TEXT,                  -- the evidence for kind
    column_url TEXT,                -- the first page of the column the page belongs to
    UNIQUE (run_id, url)
);
CREATE INDEX IF NOT EXISTS pages_run ON pages(run_id, kind);
CREATE TABLE IF NOT EXISTS documents (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    title TEXT,
    issued TEXT, issued_strategy TEXT, issued_raw TEXT,
    published TEXT, published_strategy TEXT, published_raw TEXT,
    text_hash TEXT,                 -- sha256 of the normalised main text (changed after publication?)
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    rule TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    location TEXT NOT NULL,
    evidence TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    waived TEXT,
    discriminator TEXT              -- NULL in rows written before schema 2
);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS findings_fp ON findings(fingerprint);
"""


def default_db_path() -> Path:
    """``$ZWGK_AUDITOR_DB``, else ``$XDG_DATA_HOME/zwgk-auditor/auditor.db`` (~/.local/share)."""
    if os.environ.get("ZWGK_AUDITOR_DB"):
        return Path(os.environ["ZWGK_AUDITOR_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "zwgk-auditor" / "auditor.db"


class StoreError(Exception):
    """The database cannot be opened or used; the message names the file."""


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


#: The pages columns, in PageRecord's order (SELECT lists them by name: old stores that were
#: migrated have the added columns at the end, in the same order).
PAGE_COLUMNS = ("id", "run_id", "url", "final_url", "kind", "status", "outcome", "error",
                "fetched_at", "elapsed", "content_type", "hash", "column_name", "title",
                "list_date", "referer", "depth", "reached_as", "kind_cue", "column_url")


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


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # Opening an existing, current store writes nothing (no write lock: several scans
            # open it at once); a new store gets its tables, an older one its new columns.
            fresh = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'meta'").fetchone() is None
            if fresh:
                self.db.executescript(SCHEMA)
            self._migrate()
            if fresh:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                (str(SCHEMA_VERSION),))
            self.db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from None

    #: Columns added after schema version 1: (table, column, type).
    ADDED_COLUMNS = (("pages", "reached_as", "TEXT"), ("pages", "kind_cue", "TEXT"),
                     ("pages", "column_url", "TEXT"),
                     # a finding's discriminator, so a fingerprint can be recomputed from the
                     # stored row (auditor.history does, across fingerprint schemes)
                     ("findings", "discriminator", "TEXT"))

    def _migrate(self) -> None:
        """Bring a store written by an older version up to this schema (columns added)."""
        # Read first and write only when something is missing: opening a current store must
        # not take the write lock (parallel scans open it from several processes).
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and int(row[0]) >= SCHEMA_VERSION:
            return
        for table, column, kind in self.ADDED_COLUMNS:
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                try:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                except sqlite3.OperationalError as exc:  # another process migrated it just now
                    if "duplicate column" not in str(exc):
                        raise
        if row is not None:
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                            (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ runs

    def start_run(self, site: str, start_url: str, options: dict[str, Any]) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (site, start_url, started_at, options) VALUES (?, ?, ?, ?)",
            (site, start_url, now(), json.dumps(options, ensure_ascii=False, default=str)))
        self.db.commit()
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        self.db.execute("UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                        (now(), status, json.dumps(stats, ensure_ascii=False, default=str),
                         run_id))
        self.db.commit()

    def update_stats(self, run_id: int, **values: Any) -> None:
        run = self.run(run_id)
        if run is not None:
            stats = {**run.stats, **values}
            self.db.execute("UPDATE runs SET stats = ? WHERE id = ?",
                            (json.dumps(stats, ensure_ascii=False, default=str), run_id))
            self.db.commit()

    def run(self, run_id: int) -> RunRecord | None:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        return RunRecord(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]),
                         json.loads(row[7]))

    def runs(self, site: str | None = None) -> list[RunRecord]:
        query = "SELECT id FROM runs" + (" WHERE site = ?" if site else "") + " ORDER BY id"
        return [self.run(r[0]) for r in self.db.execute(query, (site,) if site else ())]

    # ------------------------------------------------------------ pages

    def put_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self.db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)",
                        (digest, len(data), zlib.compress(data, 6)))
        return digest

    def blob(self, digest: str | None) -> bytes | None:
        if not digest:
            return None
        row = self.db.execute("SELECT data FROM blobs WHERE hash = ?", (digest,)).fetchone()
        return zlib.decompress(row[0]) if row else None

    def add_page(self, run_id: int, *, url: str, kind: str, outcome: str,
                 status: int | None = None, body: bytes | None = None,
                 commit: bool = True, **fields: Any) -> None:
        digest = self.put_blob(body) if body is not None else None
        columns = {"run_id": run_id, "url": url, "kind": kind, "outcome": outcome,
                   "status": status, "hash": digest, "fetched_at": fields.pop("fetched_at", now()),
                   **fields}
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        self.db.execute(f"INSERT OR REPLACE INTO pages ({names}) VALUES ({marks})",
                        tuple(columns.values()))
        if commit:
            self.db.commit()

    def commit(self) -> None:
        self.db.commit()

    def pages(self, run_id: int, kinds: Iterable[str] | None = None) -> list[PageRecord]:
        query = f"SELECT {', '.join(PAGE_COLUMNS)} FROM pages WHERE run_id = ?"
        params: list[Any] = [run_id]
        if kinds:
            kinds = list(kinds)
            query += f" AND kind IN ({', '.join('?' for _ in kinds)})"
            params += kinds
        return [PageRecord(*row) for row in self.db.execute(query + " ORDER BY id", params)]

    def crawl_progress(self, run_id: int) -> dict[str, int]:
        """What a crawl has stored so far: pages, fetched, errors (not fetched, off-site
        aside), documents (article and report pages) and columns (distinct column pages)."""
        row = self.db.execute(
            "SELECT COUNT(*), SUM(outcome = 'ok'), SUM(outcome NOT IN ('ok', 'offsite')), "
            "SUM(outcome = 'ok' AND kind IN ('document', 'report')), "
            "COUNT(DISTINCT column_url) FROM pages WHERE run_id = ?", (run_id,)).fetchone()
        return {"pages": row[0] or 0, "ok": row[1] or 0, "errors": row[2] or 0,
                "documents": row[3] or 0, "columns": row[4] or 0}

    def page_counts(self, run_id: int) -> dict[str, int]:
        rows = self.db.execute("SELECT outcome, COUNT(*) FROM pages WHERE run_id = ? "
                               "GROUP BY outcome", (run_id,))
        return dict(rows.fetchall())

    # ------------------------------------------------------------ documents and findings

    def put_document(self, run_id: int, url: str, **fields: Any) -> None:
        columns = {"run_id": run_id, "url": url, **fields}
        self.db.execute(f"INSERT OR REPLACE INTO documents ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' for _ in columns)})", tuple(columns.values()))

    def documents(self, run_id: int) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT * FROM documents WHERE run_id = ? ORDER BY url", (run_id,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def replace_findings(self, run_id: int, findings: Iterable[Any]) -> None:
        self.db.execute("DELETE FROM findings WHERE run_id = ?", (run_id,))
        self.db.executemany(
            "INSERT INTO findings (run_id, rule, name, status, severity, message, location, "
            "evidence, legal_basis, fingerprint, waived, discriminator) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(run_id, f.rule, f.name, str(f.status), str(f.severity), f.message,
              json.dumps(f.location.to_dict(), ensure_ascii=False),
              json.dumps(f.evidence, ensure_ascii=False, default=str), f.legal_basis,
              f.fingerprint, f.waived, f.discriminator) for f in findings])
        self.db.commit()

    def findings(self, run_id: int) -> Iterator[dict[str, Any]]:
        cur = self.db.execute("SELECT rule, name, status, severity, message, location, evidence,"
                              " legal_basis, fingerprint, waived, discriminator FROM findings"
                              " WHERE run_id = ? ORDER BY id", (run_id,))
        for row in cur:
            yield {"rule": row[0], "name": row[1], "status": row[2], "severity": row[3],
                   "message": row[4], "location": json.loads(row[5]),
                   "evidence": json.loads(row[6]), "legal_basis": row[7],
                   "fingerprint": row[8], "waived": row[9], "discriminator": row[10]}
