"""Issue 15: a crawl that survives the worst government sites. One local hostile site
(auditor/demo/hostile.py) with a calendar trap, an endless list, a pager claiming 5000 pages,
60 MB pages, a gzip bomb, a 503 column, a 12-hop redirect chain, <base href>, an empty 200 and
session ids, beside 29 ordinary documents (3 published late): every document audited, every
hostile part read or reported at its URL, each within its request cap, no false 违规."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from auditor.demo.hostile import CAPS, build_hostile_site
from auditor.devserver import serve_site
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import Store

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    site = build_hostile_site(root / "site")
    db = root / "h.db"
    with serve_site(site.root) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), delay=0.0,
                                    timeout=5.0, backoff_scale=0.1))
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        pages = store.pages(run_id)
        run = store.run(run_id)
    return site, base, result, pages, run


def path_of(base: str, url: str) -> str:
    return url.replace(base, "")


def test_every_ordinary_document_is_audited(hostile_run):
    site, base, result, pages, _ = hostile_run
    fetched = {path_of(base, p.url) for p in pages if p.outcome == "ok"}
    assert set(site.documents) <= fetched
    late = {path_of(base, f.location.url) for f in result.findings
            if f.rule == "TIME-05" and str(f.status) == "violation"}
    assert late == set(site.late)


def test_each_hostile_part_stays_within_its_cap(hostile_run):
    site, base, _, pages, _ = hostile_run
    requests = collections.Counter()
    for page in pages:
        path = path_of(base, page.url)
        for part, prefix in site.parts.items():
            if path.startswith(prefix) and path not in site.documents:
                requests[part] += 1
    for part, cap in CAPS.items():
        assert 0 < requests[part] <= cap, (part, requests[part], cap)


def test_each_hostile_part_is_read_or_reported(hostile_run):
    site, base, result, pages, run = hostile_run
    outcome = {path_of(base, p.url): p.outcome for p in pages}
    assert outcome["/files/big.html"] == outcome["/files/big-chunked.html"] == "too_large"
    assert outcome["/files/bomb.html"] == "too_large"
    assert outcome["/files/blank.html"] == "empty"
    assert outcome["/hop/0"] == "redirect_loop"
    assert outcome["/zwgk/rsxx/"] == "http_error"
    at = {path_of(base, f.location.url or "") for f in result.findings
          if f.rule == "SCAN-01" and str(f.status) == "not_assessable"}
    for path in ("/files/big.html", "/files/big-chunked.html", "/files/bomb.html",
                 "/files/blank.html", "/hop/0", "/zwgk/rsxx/"):
        assert path in at, path
    notes = run.stats["crawl"]
    assert any("/rili/" in p for p in notes["trap_patterns"])
    stopped = {path_of(base, c) for c in notes["stopped_lists"]}
    assert {"/zwgk/zcwj/", "/zwgk/gzdt/"} <= stopped
    assert result.coverage["complete"] is False


def test_no_false_violation(hostile_run):
    site, base, result, _, _ = hostile_run
    violations = [f for f in result.findings if str(f.status) == "violation"]
    # the planted late documents, nothing about the hostile parts (no broken links from the
    # <base href> list, no WEB-01 on the firewall's empty page, no 404 from the pager's claim)
    assert {f.rule for f in violations} == {"TIME-05"}, [
        (f.rule, f.message[:60]) for f in violations if f.rule != "TIME-05"]


def test_session_links_are_one_page(hostile_run):
    _, base, _, pages, _ = hostile_run
    session = [p for p in pages if "/sess/" in p.url]
    assert len(session) == 1 and ";jsessionid" not in session[0].url


def test_memory_and_time_stay_bounded(tmp_path):
    """The 60 MB pages and the 1.2 GB gzip bomb cost no more than the size limit: the crawl
    child's peak memory stays far below 500 MB, and the whole crawl is quick."""
    import resource
    import time

    site = build_hostile_site(tmp_path / "site")
    started = time.monotonic()
    with serve_site(site.root) as base:
        crawl(CrawlOptions(start_url=base + "/", db_path=str(tmp_path / "m.db"), delay=0.0,
                           timeout=5.0, backoff_scale=0.1))
    elapsed = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 500, peak_mb
    assert elapsed < 120, elapsed


def test_wall_clock_bound_reports_what_is_left(tmp_path):
    site = build_hostile_site(tmp_path / "site")
    with serve_site(site.root) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(tmp_path / "t.db"),
                                    delay=0.5, timeout=5.0, max_time=3.0))
    with Store(tmp_path / "t.db") as store:
        result = audit_run(store, run_id, today=TODAY)
        run = store.run(run_id)
    assert run.stats["crawl"]["close_reason"] == "closespider_timeout"
    assert result.coverage["time_limit_reached"] is True
    assert result.coverage["complete"] is False
    assert any(f.rule == "SCAN-01" and "抓取时间上限" in f.message for f in result.findings)
    assert not [f for f in result.findings if str(f.status) == "violation"
                and f.rule in ("WEB-13", "WEB-10", "WEB-01")]
