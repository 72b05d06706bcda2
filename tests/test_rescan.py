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
    return scans(site, db, options)[0]


def scans(site, db, *option_sets):
    """Scans one after the other with the same server (which counts what it answered)."""
    run_ids = []
    with serve_site(site, port=PORT) as base:
        for options in option_sets:
            run_ids.append(crawl(CrawlOptions(start_url=base + "/", db_path=str(db), **{
                "delay": 0.0, "timeout": 5.0, **options}), site="heming"))
    with Store(db) as store:
        return [(run_id, audit_run(store, run_id, today=TODAY)) for run_id in run_ids]


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


# ---------------------------------------------------------------- the revalidation pass

def crawl_notes(db, run_id):
    with Store(db) as store:
        return store.run(run_id).stats["crawl"]


def test_a_page_found_unchanged_is_asked_once_and_documents_are_not_read_again(tmp_path,
                                                                                server_log):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first, _ = scan(site, db)
    server_log.clear()
    second, _ = scan(site, db, replay=False)  # the crawl runs (spiders/conditional.py)
    pages = [path for path in server_log.paths if path != "/robots.txt"]
    assert pages and len(pages) == len(set(pages))  # asked once, not again by the crawl
    notes = crawl_notes(db, second)["revalidation"]
    with Store(db) as store:
        revalidated = [p for p in store.pages(second) if p.status == 304]
    assert notes["unchanged"] == notes["served"] == len(revalidated) > 10
    # document and report pages come back from what the first crawl kept of them
    documents = [p for p in revalidated if p.reached_as == "document"]
    assert notes["revisited"] == len(documents) > 5


def test_the_revalidation_pass_is_as_polite_as_the_crawl(tmp_path, server_log):
    from auditor.demo.sitegen import build_large_site

    site = build_large_site(tmp_path / "site", documents=20)
    db = tmp_path / "a.db"
    scan(site, db)
    server_log.clear()
    second, _ = scan(site, db, delay=0.1)
    assert crawl_notes(db, second)["revalidation"]["unchanged"] > 20
    starts = sorted(r.started for r in server_log.requests)
    gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
    # Scrapy's randomised delay: 0.5–1.5 × 0.1 s (the times are taken by the server's threads:
    # a busy machine shifts them by a few milliseconds)
    assert gaps[0] >= 0.05 - 0.02 and gaps[len(gaps) // 2] >= 0.07
    assert server_log.most <= 2


def test_a_page_robots_txt_now_forbids_is_not_asked(tmp_path, server_log):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    scan(site, db)
    forbidden = "/zwgk/tzgg/202503/t20250305_4103.html"
    with (site / "robots.txt").open("a", encoding="utf-8") as robots:
        robots.write(f"Disallow: {forbidden}\n")
    server_log.clear()
    second, _ = scan(site, db)
    assert forbidden not in server_log.paths
    with Store(db) as store:
        page = next(p for p in store.pages(second) if p.url.endswith(forbidden))
    assert page.outcome == "robots"


def test_a_site_asking_to_slow_down_stops_the_pass_and_the_crawl_backs_off(tmp_path):
    site = build_demo_site(tmp_path / "site")
    # the first scan gets a 200, the pass a 429 (stops), the crawl's retry the page
    (site / "_server.json").write_text(
        '{"sequence": {"/zwgk/zcwj/index_1.html": [200, 429, 200]}}', "utf-8")
    db = tmp_path / "a.db"
    (first_id, first), (second_id, second) = scans(site, db, {}, {"backoff_scale": 0.01})
    notes = crawl_notes(db, second_id)["revalidation"]
    assert "429" in next(iter(notes["stopped"].values()))
    with Store(db) as store:
        pages_first = {p.url: (p.kind, p.outcome, p.hash) for p in store.pages(first_id)}
        pages_second = {p.url: (p.kind, p.outcome, p.hash) for p in store.pages(second_id)}
    assert notes["asked"] < len(pages_first)
    assert pages_second == pages_first
    assert findings(second) == findings(first)


def test_a_site_ignoring_validators_is_left_to_the_crawl_after_a_few_pages(tmp_path,
                                                                            monkeypatch):
    from auditor.devserver import SiteHandler
    from auditor.spiders.revalidate import JUDGE_AFTER

    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    _, first = scan(site, db)
    monkeypatch.setattr(SiteHandler, "not_modified", lambda self, validators: False)
    second_id, second = scan(site, db)
    notes = crawl_notes(db, second_id)["revalidation"]
    # robots.txt, then the first answers (and the one asked meanwhile on the other connection)
    assert notes["unchanged"] == 0 and JUDGE_AFTER + 1 <= notes["asked"] <= JUDGE_AFTER + 2
    assert "304" in next(iter(notes["stopped"].values()))
    with Store(db) as store:
        assert {p.status for p in store.pages(second_id) if p.outcome == "ok"} == {200}
    assert findings(second) == findings(first)


def test_pages_served_from_the_store_count_towards_the_page_budget(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    (first, _), (second, _) = scans(site, db, {}, {"max_pages": 8})
    notes = crawl_notes(db, second)
    assert notes["close_reason"] == "closespider_pagecount"
    assert 0 < notes["revalidation"]["served"] <= 8
    with Store(db) as store:  # Scrapy lets the requests under way finish, as in any crawl
        assert len(store.pages(second)) < len(store.pages(first))


def test_a_document_published_since_is_found_and_the_rest_read_as_a_full_scan_would(tmp_path):
    from auditor.demo.sitegen import build_large_site

    site = build_large_site(tmp_path / "site", documents=30)
    db = tmp_path / "a.db"
    scan(site, db)
    build_large_site(site, documents=31)  # one more on the list; the others unchanged
    rescan_id, rescan = scan(site, db)
    full_id, full = scan(site, db, conditional=False)
    with Store(db) as store:
        def pages(run_id):
            return {p.url: (p.kind, p.outcome, p.column_name, p.list_date, p.title, p.hash,
                            p.depth) for p in store.pages(run_id)}
        assert pages(rescan_id) == pages(full_id)
        statuses = [p.status for p in store.pages(rescan_id)]
    assert statuses.count(304) == 30 + 2  # the documents, home and 政府信息公开; not the list
    assert findings(rescan) == findings(full)


def test_the_progress_display_follows_the_revalidation_pass(tmp_path):
    import io

    from auditor.cli import _progress
    from auditor.demo.sitegen import build_large_site

    site = build_large_site(tmp_path / "site", documents=40)
    db = tmp_path / "a.db"
    seen = []
    with serve_site(site, port=PORT) as base:
        options = {"start_url": base + "/", "db_path": str(db), "timeout": 5.0}
        crawl(CrawlOptions(**options, delay=0.0), site="heming")
        crawl(CrawlOptions(**options, delay=0.05), site="heming", progress=seen.append,
              poll=0.2)
    asking = [counts for counts in seen if counts.get("of") and not counts["pages"]]
    assert asking and asking[-1]["of"] > 40
    assert any(0 < counts["asked"] for counts in asking)
    shown = io.StringIO()
    _progress(shown)(asking[-1])
    assert shown.getvalue().startswith("\r复核中：已询问 ")
    assert seen[-1]["pages"] > 40  # then the crawl's own counts
def test_a_rescan_through_nginx(tmp_path, nginx_site):
    """nginx's own validators (an ETag of mtime and size, Last-Modified) and 304s, as a real
    government site's static pages give them: an unchanged site is asked once a page and
    served from the store; an edited document is fetched and reported as edited."""
    from auditor.demo.sitegen import build_large_site

    site = build_large_site(tmp_path / "site", documents=30)
    db = tmp_path / "a.db"
    run_ids = []
    with nginx_site(site) as base:
        options = CrawlOptions(start_url=base + "/", db_path=str(db), delay=0.0, timeout=5.0)
        run_ids.append(crawl(options, site="heming"))
        run_ids.append(crawl(options, site="heming"))
        edited = sorted((site / "zwgk" / "zcwj").rglob("t*.html"))[3]
        edited.write_text(edited.read_text("utf-8").replace("请认真贯彻执行", "请遵照执行"), "utf-8")
        run_ids.append(crawl(options, site="heming"))
    first, second, third = run_ids
    with Store(db) as store:
        pages = [store.pages(run_id) for run_id in run_ids]
        for run_id in (second, third):
            audit_run(store, run_id, today=TODAY)
        changes = document_changes(store, second, third)
    assert pages[0][0].etag and pages[0][0].etag.count("-") == 1  # nginx's own ETag
    assert {p.status for p in pages[1]} == {304}
    assert crawl_notes(db, second)["revalidation"]["served"] == len(pages[1]) > 30
    assert [p.url.rsplit("/", 1)[1] for p in pages[2] if p.status == 200] == [edited.name]
    assert [c.url.rsplit("/", 1)[1] for c in changes if c.change == "edited"] == [edited.name]


def test_a_session_cookie_set_with_a_304_reaches_the_crawl(tmp_path):
    """The start page sets a session cookie (with its 304 too) that a list page needs: served
    from the store, the start page's cookie still goes into the crawl's cookie jar."""
    site = build_demo_site(tmp_path / "site")
    (site / "_server.json").write_text(
        '{"session": {"set": "/", "needed": ["/zwgk/zcwj/index_1.html"]}}', "utf-8")
    db = tmp_path / "a.db"
    (first_id, first), (second_id, second) = scans(site, db, {}, {})
    with Store(db) as store:
        pages = {run_id: {p.url.rsplit(":", 1)[1]: p for p in store.pages(run_id)}
                 for run_id in (first_id, second_id)}
    needing = next(page for url, page in pages[first_id].items() if url.endswith("index_1.html"))
    assert needing.status == 200  # the crawl kept the cookie the first time
    again = pages[second_id][needing.url.rsplit(":", 1)[1]]
    assert again.outcome == "ok" and again.status in (200, 304)
    assert crawl_notes(db, second_id)["revalidation"]["served"] > 10
    assert findings(second) == findings(first)


def test_a_store_that_cannot_be_read_makes_the_page_fetched_after_all():
    """The middleware serving unchanged pages, alone: when the stored bytes cannot be read,
    the request goes to Scrapy (which asks the site) instead of being lost."""
    import scrapy
    from scrapy import signals
    from scrapy.utils.test import get_crawler

    from auditor.spiders.conditional import RevalidatedPagesMiddleware
    from auditor.spiders.revalidate import NotModified, Revalidation
    from auditor.spiders.stored import StoredPages
    from auditor.store import Validators

    url = "http://127.0.0.1:9/zwgk/a.html"

    class Unreadable(StoredPages):
        def body(self, digest, upcoming=None):
            raise OSError("disk I/O error")

    class Spider(scrapy.Spider):
        name = "s"

        def parse(self, response):
            raise AssertionError("never served")

    crawler = get_crawler(Spider)
    spider = Spider()
    spider.stored = Unreadable(None, {url: Validators(url, '"e"', None, "h", "text/html", 200)})
    spider.revalidation = Revalidation(unchanged={url: NotModified('"e"', None, 0.01)})
    errors = []
    crawler.signals.connect(lambda failure, response, spider: errors.append(failure),
                            signal=signals.spider_error, weak=False)
    middleware = RevalidatedPagesMiddleware(crawler)
    middleware.spider_opened(spider)
    request = scrapy.Request(url, callback=spider.parse, meta={"kind": "list"})
    out = [o for o in middleware.process_spider_output(None, [request]) if o is not None]
    assert out == [request] and len(errors) == 1
    # and asked only once: a second request for it is a duplicate
    again = scrapy.Request(url, callback=spider.parse)
    assert [o for o in middleware.process_spider_output(None, [again]) if o is not None] == []


def test_list_readings_are_kept_and_a_new_list_reader_reads_them_again(tmp_path, monkeypatch):
    import auditor.spiders.adapters as adapters

    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    run_id, first = scan(site, db)
    calls = []
    original = adapters.read_list
    monkeypatch.setattr(adapters, "read_list", lambda view: calls.append(view.url)
                        or original(view))
    with Store(db) as store:
        again = audit_run(store, run_id, today=TODAY)  # a re-audit: nothing read again
        kept = len(calls)
        monkeypatch.setattr(site_audit, "_LIST_READER_VERSION", "another list reader")
        anew = audit_run(store, run_id, today=TODAY)
    assert kept == 0 and len(calls) > 3
    assert findings(again) == findings(first) == findings(anew)
    assert again.coverage == first.coverage == anew.coverage
