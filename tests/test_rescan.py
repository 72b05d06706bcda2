"""Re-scans ask the site whether pages changed (ETag / Last-Modified), reuse the stored bodies
of pages that did not, skip parsing documents read before, and give what a full scan gives."""

from __future__ import annotations

import datetime as dt

import pytest

import auditor.site_audit as site_audit
from auditor.demo.sitegen import build_demo_site
from auditor.devserver import serve_site
from auditor.history import document_changes
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import Store
from auditor.testing.services import free_port

TODAY = dt.date(2026, 11, 27)
PORT = free_port()


def scan(site, db, **options):
    with serve_site(site, port=PORT) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), delay=0.0,
                                    timeout=5.0, **options), site="heming")
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
    return run_id, result


def findings(result):
    return sorted((f.rule, str(f.status), f.fingerprint, f.message, str(f.evidence))
                  for f in result.findings)


@pytest.fixture
def counted(monkeypatch):
    """How many document pages the audit parsed for dates."""
    calls = []
    original = site_audit.extract_dates

    def counting(body, **kwargs):
        calls.append(kwargs.get("url"))
        return original(body, **kwargs)

    monkeypatch.setattr(site_audit, "extract_dates", counting)
    return calls


def test_unchanged_site_is_revalidated_and_audited_identically(tmp_path, counted):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first, result_first = scan(site, db)
    parsed_first = len(counted)
    counted.clear()
    second, result_second = scan(site, db)
    with Store(db) as store:
        pages_first = {p.url: p for p in store.pages(first)}
        pages_second = {p.url: p for p in store.pages(second)}
        docs_first = [{**d, "run_id": 0} for d in store.documents(first)]
        docs_second = [{**d, "run_id": 0} for d in store.documents(second)]
    assert findings(result_second) == findings(result_first)
    assert docs_second == docs_first
    assert set(pages_second) == set(pages_first)
    # every page the site gave validators for was asked about conditionally and reused
    revalidated = [p for p in pages_second.values() if p.status == 304]
    with_validators = [p for p in pages_first.values() if p.etag and p.outcome == "ok"
                       and "#" not in p.url]
    assert len(revalidated) == len(with_validators) > 10
    for page in revalidated:
        assert page.outcome == "ok" and page.hash == pages_first[page.url].hash
        assert page.etag == pages_first[page.url].etag
    # documents read before were not parsed again (reports and lists are, every time)
    assert parsed_first > 5 and len(counted) < parsed_first
    assert all(u is not None for u in counted)
    documents = {p.final_url or p.url for p in pages_second.values() if p.kind == "document"}
    assert not documents & set(counted)


def test_an_edited_document_is_fetched_and_reported_as_changed(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first, _ = scan(site, db)
    page = next(iter(sorted((site / "zwgk" / "zcwj").rglob("t2025*.html"))))
    text = page.read_text("utf-8")
    assert "请认真贯彻执行" in text
    page.write_text(text.replace("请认真贯彻执行", "请遵照执行"), "utf-8")
    second, _ = scan(site, db)
    with Store(db) as store:
        edited = [p for p in store.pages(second) if p.url.endswith(page.name)]
        assert edited[0].status == 200
        changes = document_changes(store, first, second)
    assert [c.url.rsplit("/", 1)[1] for c in changes if c.change == "edited"] == [page.name]


def test_a_full_rescan_when_asked(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    scan(site, db)
    second, _ = scan(site, db, conditional=False)
    with Store(db) as store:
        assert not [p for p in store.pages(second) if p.status == 304]


def test_a_site_without_validators_is_fetched_in_full(tmp_path):
    site = build_demo_site(tmp_path / "site")
    (site / "_server.json").write_text('{"validators": false}', "utf-8")
    db = tmp_path / "a.db"
    _, first = scan(site, db)
    second_id, second = scan(site, db)
    with Store(db) as store:
        assert not [p for p in store.pages(second_id) if p.status == 304]
    assert findings(first) == findings(second)


def test_a_new_parser_reads_every_document_again(tmp_path, counted, monkeypatch):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    run_id, first = scan(site, db)
    with Store(db) as store:
        counted.clear()
        audit_run(store, run_id, today=TODAY)  # re-audit: read from the cache
        cached = len(counted)
        monkeypatch.setattr(site_audit, "_PARSER_VERSION", "another parser")
        counted.clear()
        again = audit_run(store, run_id, today=TODAY)
    assert len(counted) > cached and findings(again) == findings(first)
