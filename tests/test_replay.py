"""A re-scan on which every page proves unchanged stands on the site's last crawl instead of
crawling again (spiders/replay.py) — and anything that could make a crawl now store something
else makes the crawl run."""

from __future__ import annotations

import datetime as dt
import json
import time

from auditor.demo.sitegen import build_demo_site
from auditor.devserver import serve_site
from auditor.reports import render
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.spiders.replay import identity
from auditor.store import Store
from auditor.testing.services import free_port

TODAY = dt.date(2026, 11, 27)
PORT = free_port()
#: What a page record says about the page (not when it was stored, or under which run).
FIELDS = ("url", "final_url", "kind", "status", "outcome", "error", "content_type", "hash",
          "column_name", "title", "list_date", "referer", "depth", "reached_as", "kind_cue",
          "column_url", "etag", "last_modified")


def scan(site, db, **options):
    with serve_site(site, port=PORT) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), **{
            "delay": 0.0, "timeout": 5.0, **options}), site="heming")
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        notes = store.run(run_id).stats["crawl"]
        pages = {p.url: tuple(getattr(p, name) for name in FIELDS)
                 for p in store.pages(run_id)}
        documents = [{**d, "run_id": 0} for d in store.documents(run_id)]
    return run_id, notes, pages, documents, _findings(result)


def _findings(result):
    return sorted((f.rule, str(f.status), f.fingerprint, f.message, str(f.evidence))
                  for f in result.findings)


def _configure(site, **changes):
    config = site / "_server.json"
    data = json.loads(config.read_text("utf-8"))
    data.update(changes)
    config.write_text(json.dumps(data), "utf-8")


def test_an_unchanged_site_stands_on_its_last_crawl_and_says_what_a_crawl_says(tmp_path,
                                                                            server_log):
    site = build_demo_site(tmp_path / "site")  # a robots.txt rule and two 404 links too
    db = tmp_path / "a.db"
    first = scan(site, db)
    crawled = scan(site, db, replay=False)  # a re-scan crawling, served from the store
    server_log.clear()
    replayed = scan(site, db)
    assert "replayed_from" not in first[1] and "replayed_from" not in crawled[1]
    assert replayed[1]["replayed_from"] == crawled[0]
    assert replayed[2] == crawled[2]  # every page as the crawl stored it: 304s, 404s, robots
    assert replayed[3] == crawled[3] == first[3]
    assert replayed[4] == crawled[4] == first[4]
    outcomes = [page[4] for page in replayed[2].values()]
    assert {"ok", "http_error", "robots"} <= set(outcomes)
    # what it asked: robots.txt, each page with validators once (conditionally), each 404
    # again (the crawl asks an attachment it does not read with HEAD); nothing else
    asked = [(r.method, r.path) for r in server_log.requests]
    assert len(asked) == len(set(asked))
    assert sorted(m for m, _ in asked) == sorted(
        ["GET"] * (1 + outcomes.count("ok") + 1) + ["HEAD"])
    assert replayed[1]["revalidation"]["served"] == outcomes.count("ok")
    # and the report says so
    with Store(db) as store:
        result = audit_run(store, replayed[0], today=TODAY)
    assert result.coverage["replayed_from"] == crawled[0]
    assert f"与运行编号 {crawled[0]} 相同，沿用其抓取结果" in render(result, "human")


def test_a_replayed_run_is_stood_on_in_turn(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    second = scan(site, db)
    third = scan(site, db)
    assert second[1]["replayed_from"] == first[0] and third[1]["replayed_from"] == second[0]
    assert third[2] == second[2] and third[4] == first[4]


def test_one_edited_document_makes_the_crawl_run_with_the_answers_already_got(tmp_path,
                                                                              server_log):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    page = sorted((site / "zwgk" / "zcwj").rglob("t2025*.html"))[0]
    page.write_text(page.read_text("utf-8").replace("请认真贯彻执行", "请遵照执行"), "utf-8")
    server_log.clear()
    second = scan(site, db)
    assert "replayed_from" not in second[1]
    assert second[2][next(u for u in second[2] if u.endswith(page.name))][3] == 200
    assert set(second[2]) == set(first[2])
    # the pass ran in the scanning process; the crawl got its answers and served the
    # unchanged pages from the store: only the edited page (and what the crawl asks again
    # anyway: robots.txt, the 404s) was asked twice
    unchanged = [u for u, p in second[2].items() if p[3] == 304]
    assert second[1]["revalidation"]["served"] == len(unchanged) > 10
    asked = [(r.method, r.path) for r in server_log.requests]
    twice = {path for method, path in asked if asked.count((method, path)) > 1}
    assert any(path.endswith(page.name) for path in twice)
    assert not {path for path in twice if any(u.endswith(path) for u in unchanged)}


def test_interrupting_a_rescan_stops_its_pass(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    scan(site, db)
    _configure(site, delay={"/zwgk/": 3.0})
    with serve_site(site, port=PORT) as base:
        started = time.monotonic()
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), delay=0.0,
                                    timeout=5.0), site="heming", poll=0.1,
                       should_stop=lambda: time.monotonic() - started > 0.5)
        took = time.monotonic() - started
    with Store(db) as store:
        run = store.run(run_id)
        assert run.status == "interrupted" and not store.pages(run_id)
    assert took < 8


def test_a_document_published_since_makes_the_crawl_run_and_is_found(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    listing = site / "zwgk" / "tzgg" / "list2.html"
    old = next(p for p in (site / "zwgk" / "tzgg").rglob("t2025*.html")
               if p.name in listing.read_text("utf-8"))
    new = old.with_name("t20251120_4199.html")
    new.write_text(old.read_text("utf-8"), "utf-8")
    listing.write_text(listing.read_text("utf-8").replace(old.name, new.name, 1), "utf-8")
    second = scan(site, db)
    assert "replayed_from" not in second[1]
    assert any(u.endswith(new.name) for u in second[2])
    assert not any(u.endswith(new.name) for u in first[2])


def test_a_missing_page_now_served_makes_the_crawl_run(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    gone = next(u for u, page in first[2].items() if page[3] == 404 and u.endswith(".html"))
    _configure(site, status={})  # its link now leads to a page (the server's own 404 body)
    second = scan(site, db)
    assert "replayed_from" not in second[1]
    assert second[2][gone][3] == 404  # fetched again by the crawl


def test_robots_txt_now_allowing_a_page_makes_the_crawl_run(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    forbidden = next(u for u, page in first[2].items() if page[4] == "robots")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    second = scan(site, db)
    assert "replayed_from" not in second[1]
    assert second[2][forbidden][4] != "robots"


def test_redirects_are_asked_again(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    target = "/zwgk/zcwj/202511/t20251106_3101.html"
    _configure(site, status={}, redirect={"/zwgk/zcwj/202504/t20250410_3099.html": target,
                                          "/files/2025/fanghuo.pdf": "http://elsewhere.example/"})
    first = scan(site, db)
    moved = next(u for u in first[2] if u.endswith("t20250410_3099.html"))
    assert first[2][moved][1].endswith(target) and first[2][moved][4] == "ok"
    assert any(page[4] == "offsite" and page[1] for page in first[2].values())
    second = scan(site, db)
    assert second[1]["replayed_from"] == first[0] and second[2] == scan(
        site, db, replay=False)[2]
    _configure(site, redirect={"/zwgk/zcwj/202504/t20250410_3099.html": target,
                               "/files/2025/fanghuo.pdf": "http://elsewhere.example/new"})
    third = scan(site, db)
    assert "replayed_from" not in third[1]
    assert any(page[1] == "http://elsewhere.example/new" for page in third[2].values())


def test_the_options_that_decide_what_is_reached_must_be_the_same(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    scan(site, db, max_depth=6)
    deeper = scan(site, db, max_depth=5)
    again = scan(site, db, max_depth=5, delay=0.01, concurrency=1)
    assert "replayed_from" not in deeper[1] and again[1]["replayed_from"] == deeper[0]
    base = {"start_url": "http://a.gov.cn/", "domains": ["a.gov.cn"], "max_depth": 6,
            "max_pages": 2000, "obey_robots": True, "extra_start_urls": [],
            "extra_settings": {}}
    assert identity(base) == identity({**base, "delay": 5, "concurrency": 1, "timeout": 3})
    for name, value in (("start_url", "http://b.gov.cn/"), ("domains", ["b.gov.cn"]),
                        ("max_depth", 7), ("max_pages", 10), ("obey_robots", False),
                        ("extra_start_urls", ["http://a.gov.cn/x/"]),
                        ("extra_settings", {"USER_AGENT": "x"})):
        assert identity({**base, name: value}) != identity(base), name


def test_a_crawl_cut_short_by_its_budget_is_not_stood_on(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db, max_pages=8)
    assert first[1]["close_reason"] == "closespider_pagecount"
    second = scan(site, db, max_pages=8)
    assert "replayed_from" not in second[1]


def test_a_site_that_stops_answering_304_makes_the_crawl_run(tmp_path):
    site = build_demo_site(tmp_path / "site")
    db = tmp_path / "a.db"
    first = scan(site, db)
    _configure(site, validators=False)
    second = scan(site, db)
    assert "replayed_from" not in second[1]
    assert not [p for p in second[2].values() if p[3] == 304]
    assert second[4] == first[4]


def test_the_command_line_replays_unless_told_not_to(tmp_path, capsys):
    from auditor.cli import main

    site = build_demo_site(tmp_path / "site")
    db = str(tmp_path / "a.db")
    with serve_site(site, port=PORT) as base:
        for extra in ([], [], ["--no-replay"]):
            assert main(["scan", base + "/", "--db", db, "--delay", "0", "--quiet",
                         "--exit-zero", *extra]) == 0
    out = capsys.readouterr().out
    with Store(db) as store:
        notes = [run.stats["crawl"] for run in store.runs()]
    assert [n.get("replayed_from") for n in notes] == [None, 1, None]
    assert "沿用其抓取结果" in out
