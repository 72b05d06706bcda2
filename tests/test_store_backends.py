"""The store on PostgreSQL gives what it gives on SQLite; old stores are upgraded; a database
that goes away during a crawl loses nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest

from auditor.demo.sitegen import build_demo_site
from auditor.devserver import serve_site
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import SCHEMA_VERSION, Store
from auditor.testing.services import free_port

TODAY = dt.date(2026, 11, 27)


#: Every scan here serves the site on the same port, so URLs in results compare equal.
PORT = free_port()


def _scan(site, db, **options):
    with serve_site(site, port=PORT) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=db, delay=0.0, timeout=5.0,
                                    **options))
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        pages = store.pages(run_id)
        documents = store.documents(run_id)
    return run_id, result, pages, documents


def _findings(result):
    return sorted((f.rule, str(f.status), f.fingerprint, f.message) for f in result.findings)


def _paths(pages):
    return sorted((p.url, p.outcome, p.kind, p.hash) for p in pages)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    return build_demo_site(tmp_path_factory.mktemp("demo") / "site")


@pytest.fixture(scope="module")
def sqlite_scan(demo_site, tmp_path_factory):
    return _scan(demo_site, str(tmp_path_factory.mktemp("db") / "a.db"))


def test_postgres_gives_the_same_results_as_sqlite(demo_site, sqlite_scan, pg_url):
    _, result_pg, pages_pg, docs_pg = _scan(demo_site, pg_url)
    _, result_lite, pages_lite, docs_lite = sqlite_scan
    assert _findings(result_pg) == _findings(result_lite) and result_pg.findings
    assert _paths(pages_pg) == _paths(pages_lite)
    assert [{**d, "run_id": 0} for d in docs_pg] == [{**d, "run_id": 0} for d in docs_lite]
    with Store(pg_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.finding_counts(1) == {s: sum(1 for f in result_pg.findings
                                                  if str(f.status) == s)
                                           for s in {str(f.status) for f in result_pg.findings}}


SCHEMA_3 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE runs (id INTEGER PRIMARY KEY, site TEXT NOT NULL, start_url TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL DEFAULT 'running',
    options TEXT NOT NULL DEFAULT '{}', stats TEXT NOT NULL DEFAULT '{}');
CREATE TABLE blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE pages (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL, final_url TEXT, kind TEXT NOT NULL, status INTEGER, outcome TEXT NOT NULL,
    error TEXT, fetched_at TEXT NOT NULL, elapsed REAL, content_type TEXT,
    hash TEXT REFERENCES blobs(hash), column_name TEXT, title TEXT, list_date TEXT, referer TEXT,
    depth INTEGER, reached_as TEXT, kind_cue TEXT, column_url TEXT, UNIQUE (run_id, url));
CREATE TABLE documents (run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
    title TEXT, issued TEXT, issued_strategy TEXT, issued_raw TEXT, published TEXT,
    published_strategy TEXT, published_raw TEXT, text_hash TEXT, PRIMARY KEY (run_id, url));
CREATE TABLE findings (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),
    rule TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, severity TEXT NOT NULL,
    message TEXT NOT NULL, location TEXT NOT NULL, evidence TEXT NOT NULL,
    legal_basis TEXT NOT NULL, fingerprint TEXT NOT NULL, waived TEXT, discriminator TEXT);
INSERT INTO meta VALUES ('schema_version', '3');
INSERT INTO runs (site, start_url, started_at, status) VALUES ('s', 'http://s/', '2026-01-01', 'finished');
INSERT INTO pages (run_id, url, kind, outcome, fetched_at, status) VALUES (1, 'http://s/', 'home', 'ok', '2026-01-01', 200);
"""


def test_a_schema_3_sqlite_store_is_upgraded(tmp_path):
    db = tmp_path / "v3.db"
    raw = sqlite3.connect(db)
    raw.executescript(SCHEMA_3)
    raw.close()
    with Store(db) as store:
        assert store.schema_version() == SCHEMA_VERSION
        page = store.pages(1)[0]
        assert page.url == "http://s/" and page.etag is None
        assert store.runs()[0].campaign is None
        run_id = store.start_run("s", "http://s/", {}, campaign="c1")
        store.add_page(run_id, url="http://s/", kind="home", outcome="ok", body=b"x",
                       etag='"e1"', last_modified="Mon, 01 Jan 2026 00:00:00 GMT")
        assert store.campaign_run("c1", "s").id == run_id
        assert store.pages(run_id)[0].etag == '"e1"'


def test_a_schema_3_postgres_store_is_upgraded(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in SCHEMA_3.replace("BLOB", "BYTEA").replace("REAL", "DOUBLE PRECISION") \
                .replace("INTEGER PRIMARY KEY", "SERIAL PRIMARY KEY").split(";"):
            if statement.strip():
                conn.execute(statement)
    with Store(pg_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.pages(1)[0].last_modified is None
        run_id = store.start_run("s", "http://s/", {}, campaign="c1")
        assert run_id == 2 and store.campaign_run("c1", "s").id == 2


def test_postgres_restarting_during_a_crawl_loses_no_page(demo_site, sqlite_scan, postgres,
                                                          pg_url):
    """The crawl child, the parent and the audit all wait for the database and go on."""
    restarted = threading.Event()

    def restart_when_crawling() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with Store(pg_url, retry_for=0) as store:
                    if store.runs() and sum(store.page_counts(1).values()) >= 5:
                        break
            except Exception:  # noqa: BLE001 - not created yet
                pass
            time.sleep(0.05)
        postgres.restart(down_for=2.0)
        restarted.set()

    thread = threading.Thread(target=restart_when_crawling)
    thread.start()
    _, result, pages, _ = _scan(demo_site, pg_url, extra_settings={"DOWNLOAD_DELAY": 0.05})
    thread.join()
    assert restarted.is_set()
    _, result_lite, pages_lite, _ = sqlite_scan
    assert _paths(pages) == _paths(pages_lite)
    assert len({p.url for p in pages}) == len(pages)
    assert _findings(result) == _findings(result_lite)


def test_two_inventory_scans_of_one_postgres_store_never_overlap(pg_url):
    from auditor.lock import LockHeld, RunLock

    with RunLock(pg_url):
        with pytest.raises(LockHeld, match="another audit is running"), RunLock(pg_url):
            pass
    with RunLock(pg_url):  # released
        pass


def test_a_wrong_postgres_database_is_one_line(postgres, capsys):
    from auditor.cli import main

    assert main(["runs", "--db", postgres.url("no_such_db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no_such_db" in err and "无法打开数据库" in err


def test_a_rescan_on_postgres_serves_what_did_not_change_as_on_sqlite(demo_site, tmp_path,
                                                                      pg_url):
    """The revalidation pass, the pages served from the store, the documents revisited from
    their kept navigation and the kept list readings — then a re-scan standing on the last
    crawl (every page unchanged: spiders/replay.py) — on both stores: the same re-scans."""
    outcomes = {}
    for name, db in (("sqlite", str(tmp_path / "r.db")), ("postgres", pg_url)):
        first = _scan(demo_site, db)
        second = _scan(demo_site, db, replay=False)
        third = _scan(demo_site, db)
        with Store(db) as store:
            notes = store.run(second[0]).stats["crawl"]["revalidation"]
            replayed = store.run(third[0]).stats["crawl"]
        assert notes["served"] == notes["unchanged"] > 10 and notes["revisited"] > 5
        assert replayed["replayed_from"] == second[0]
        for scan in (second, third):
            assert _paths(scan[2]) == _paths(first[2])
            assert _findings(scan[1]) == _findings(first[1])
        outcomes[name] = (notes["served"], notes["revisited"], _paths(second[2]),
                          _findings(second[1]), replayed["revalidation"]["served"],
                          _paths(third[2]))
    assert outcomes["postgres"] == outcomes["sqlite"]
