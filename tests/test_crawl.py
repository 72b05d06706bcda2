"""Crawls against local servers on ephemeral ports: CMS families, GBK, hostile behaviour."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sites import HANWEB_VARIANTS, hanweb_site, hostile_site

from auditor.cli import main
from auditor.demo.sitegen import build_demo_site
from auditor.devserver import serve_site
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import Store

TODAY = dt.date(2026, 11, 27)


def run_crawl(site, db, **options):
    with serve_site(site) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), delay=0.0,
                                    timeout=options.pop("timeout", 5.0), **options))
    return base, run_id


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    site = build_demo_site(root / "site")
    db = root / "demo.db"
    base, run_id = run_crawl(site, db)
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        pages = store.pages(run_id)
        documents = store.documents(run_id)
    return base, run_id, result, pages, documents, db


def test_demo_site_trs_pagination_and_columns(demo_run):
    base, _, _, pages, _, _ = demo_run
    urls = {p.url.replace(base, "") for p in pages}
    assert "/zwgk/zcwj/index_1.html" in urls          # TRS createPageHTML second page
    assert "/zwgk/tzgg/list2.html" in urls            # “下一页” pagination
    assert {p.kind for p in pages} >= {"home", "list", "document", "report", "attachment"}
    assert {p.reached_as for p in pages} >= {"home", "column", "list", "document"}
    kinds = {p.url.replace(base, ""): p.kind for p in pages}
    assert kinds["/zwgk/zcwj/"] == "list" and kinds["/zwgk/gkzn/"] != "list"
    reports = [p for p in pages if p.kind == "report"]
    assert len(reports) == 2 and all(p.outcome == "ok" for p in reports)


def test_demo_site_every_planted_problem_is_found(demo_run):
    _, _, result, _, _, _ = demo_run
    found = {(f.rule, str(f.status)) for f in result.findings}
    for rule in ("TIME-05", "TIME-06", "TIME-07", "WEB-04", "WEB-01", "WEB-10", "ARI-04",
                 "TXT-01", "XY-01"):
        assert (rule, "violation") in found, rule
    assert ("SCAN-01", "not_assessable") in found
    assert result.coverage["skipped_robots"] == 1 and result.coverage["complete"] is False


def test_demo_site_no_false_timeliness(demo_run):
    _, _, result, _, _, _ = demo_run
    late = [f.location.url for f in result.findings if f.rule == "TIME-05"]
    assert len(late) == 1 and late[0].endswith("t20251106_3101.html")


def test_gbk_page_dates_are_read(demo_run):
    _, _, _, _, documents, _ = demo_run
    gbk = next(d for d in documents if d["url"].endswith("_3106.html"))
    assert gbk["issued"] == "2025-02-05" and gbk["published"] == "2025-02-12"
    assert gbk["title"] == "关于进一步加强安全生产工作的通知"


def test_raw_pages_are_kept_as_evidence(demo_run):
    _, run_id, _, pages, _, db = demo_run
    with Store(db) as store:
        report = next(p for p in store.pages(run_id) if p.kind == "report")
        assert b"<table" in store.blob(report.hash)
        findings = list(store.findings(run_id))
    assert findings and all(f["fingerprint"] for f in findings)


def test_reaudit_offline_gives_the_same_findings(demo_run):
    _, run_id, result, _, _, db = demo_run
    with Store(db) as store:
        again = audit_run(store, run_id, today=TODAY)
    assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in result.findings]


@pytest.mark.parametrize("noise", [False, True], ids=["plain", "markup-noise"])
@pytest.mark.parametrize("variant", HANWEB_VARIANTS)
def test_hanweb_dataproxy_pagination(tmp_path, variant, noise):
    site = hanweb_site(tmp_path / "site", records=100, variant=variant)
    if noise:  # upper-case tags, single quotes, comments, CRLF, GBK (tests/markup_noise.py)
        from markup_noise import add_noise

        assert add_noise(site) > 0
    base, run_id = run_crawl(site, tmp_path / "h.db")
    with Store(tmp_path / "h.db") as store:
        docs = [p for p in store.pages(run_id) if p.kind == "document" and p.outcome == "ok"]
        result = audit_run(store, run_id, today=TODAY)
    assert len(docs) == 100
    assert all("/art/2025/" in p.url for p in docs)
    column = next(c for c in result.coverage["columns"] if c["name"] == "通知公告")
    assert column["adapter"] == "hanweb" and column["state"] == "complete"
    assert column["items_listed"] == column["items_fetched"] == 100


def test_hostile_site_outcomes(tmp_path):
    site = hostile_site(tmp_path / "site")
    base, run_id = run_crawl(site, tmp_path / "x.db", timeout=1.5, backoff_scale=0.1)
    with Store(tmp_path / "x.db") as store:
        by_name = {p.url.rsplit("/", 1)[-1]: p for p in store.pages(run_id)}
        result = audit_run(store, run_id, today=TODAY)
    assert by_name["ok.html"].outcome == "ok"
    assert by_name["error500.html"].status == 500
    assert by_name["blocked.html"].outcome == "blocked"
    assert by_name["challenge.html"].outcome == "blocked"
    assert by_name["slow.html"].outcome == "timeout"
    assert by_name["secret.html"].outcome == "robots"
    assert by_name["gone.html"].status == 404
    assert by_name["busy.html"].outcome == "ok"  # 429, backoff, then 200
    loops = [p for p in by_name.values() if p.outcome == "redirect_loop"]
    offsite = [p for p in by_name.values() if p.outcome == "offsite"]
    assert loops and offsite
    gaps = {f.evidence.get("outcome") for f in result.findings if f.rule == "SCAN-01"}
    assert {"timeout", "blocked", "robots", "redirect_loop"} <= gaps
    assert result.coverage["complete"] is False
    assert not any(p.url.startswith("http://localhost") and p.outcome == "ok"
                   for p in by_name.values())


def test_page_budget_is_reported(tmp_path):
    site = build_demo_site(tmp_path / "site")
    base, run_id = run_crawl(site, tmp_path / "b.db", max_pages=5)
    with Store(tmp_path / "b.db") as store:
        result = audit_run(store, run_id, today=TODAY)
    budget = [f for f in result.findings if f.rule == "SCAN-01" and "上限" in f.message]
    assert budget and result.coverage["page_budget_reached"] is True
    assert result.coverage["complete"] is False


def test_scan_cli_json_and_exit_code(tmp_path, capsys):
    site = build_demo_site(tmp_path / "site")
    with serve_site(site) as base:
        code = main(["scan", base + "/", "--db", str(tmp_path / "s.db"), "--delay", "0",
                     "--format", "json", "--quiet"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 1  # high-severity violations (ARI-04, TXT-01, XY-01)
    assert data["coverage"]["pages_fetched"] > 10
    for finding in data["findings"]:
        assert {"rule", "status", "severity", "message", "evidence"} <= finding.keys()
        assert "url" in finding["location"]
    assert "auditor audit" in err
    assert main(["audit", "1", "--db", str(tmp_path / "s.db"), "--exit-zero"]) == 0


def test_scan_unreachable_site_is_one_line_error(tmp_path, capsys):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = main(["scan", f"http://127.0.0.1:{port}/", "--db", str(tmp_path / "u.db"),
                 "--delay", "0", "--timeout", "2", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 2 and "站点无法访问" in err.splitlines()[-1]
    assert "无法评估" in out


def test_scan_rejects_non_http(capsys):
    assert main(["scan", "ftp://example.gov.cn/"]) == 2
    assert "不是 http(s) 网址" in capsys.readouterr().err


def test_audit_unknown_run(tmp_path, capsys):
    with Store(tmp_path / "e.db"):
        pass
    assert main(["audit", "99", "--db", str(tmp_path / "e.db")]) == 2
    assert "没有运行编号 99" in capsys.readouterr().err


def test_report_published_as_pdf_attachment_is_downloaded_and_audited(tmp_path):
    from pathlib import Path

    from sites import attachment_report_site

    pdf = (Path(__file__).parent / "fixtures" / "attachments" / "text-layout.pdf").read_bytes()
    site = attachment_report_site(tmp_path / "site", pdf)
    base, run_id = run_crawl(site, tmp_path / "a.db")
    with Store(tmp_path / "a.db") as store:
        attachment = next(p for p in store.pages(run_id) if p.kind == "attachment")
        assert attachment.outcome == "ok" and store.blob(attachment.hash).startswith(b"%PDF")
        result = audit_run(store, run_id, today=dt.date(2025, 2, 15))
    assert result.coverage["reports"] == 1 and result.coverage["unparseable_reports"] == 0
    # The 2024 report (published 2025-01-20) is there, so no WEB-13; nothing unreadable.
    assert not [f for f in result.findings if f.rule in ("WEB-13", "STR-10")
                and f.status == "violation"]
    assert not [f for f in result.findings if f.rule == "SCAN-01"]


def test_progress_moves_during_the_crawl(tmp_path):
    site = build_demo_site(tmp_path / "site")
    seen: list[dict] = []
    with serve_site(site) as base:
        crawl(CrawlOptions(start_url=base + "/", db_path=str(tmp_path / "p.db"), delay=0.15,
                           timeout=5.0), progress=seen.append, poll=0.2)
    final = seen[-1]
    assert final["pages"] >= 20 and final["documents"] >= 10 and final["columns"] >= 4
    during = [s for s in seen[:-1] if 0 < s["pages"] < final["pages"]]
    assert during, "the display stayed at 0 until the end"
    assert any(s["documents"] for s in during) and any(s["columns"] for s in during)


def test_a_site_never_gets_more_requests_at_a_time_than_its_concurrency(tmp_path, server_log):
    """Without a delay too (Scrapy's own downloader sent up to 8 at a time with the asyncio
    reactor: spiders/downloader.py); the connections are kept alive, not one per page, and
    every request after the start page names the page that linked it (Referer)."""
    from auditor.demo.sitegen import build_large_site

    site = build_large_site(tmp_path / "site", documents=60)
    _, run_id = run_crawl(site, tmp_path / "c.db", concurrency=2, max_depth=10)
    with Store(tmp_path / "c.db") as store:
        assert sum(store.page_counts(run_id).values()) >= 60
    assert server_log.most == 2
    # robots.txt, the pages' two, a spare
    assert len({r.client for r in server_log.requests}) <= 4
    documents = [r for r in server_log.requests if "/t20" in r.path]
    assert documents and all(r.referer and r.referer.endswith((".html", "/"))
                             for r in documents)


def test_lists_read_while_crawling_are_not_read_again_by_the_audit(tmp_path, monkeypatch):
    """``auditor scan`` reads the stored pages while the crawl goes on; the audit after it takes
    the list readings from there, and says exactly what an audit of the stored run says."""
    import auditor.spiders.adapters as adapters
    from auditor.cli import _ParseCacheWarming

    site = build_demo_site(tmp_path / "site")
    warm = _ParseCacheWarming()
    with serve_site(site) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=str(tmp_path / "w.db"),
                                    delay=0.0, timeout=5.0), between=warm, poll=0.05)
    with Store(tmp_path / "w.db") as store:
        warm(store, run_id)  # the rest, as a last poll would
    warmer = warm.warmer(run_id)
    assert warmer is not None and warmer.list_readings
    calls = []
    original = adapters.read_list
    monkeypatch.setattr(adapters, "read_list", lambda view: calls.append(view.url)
                        or original(view))
    with Store(tmp_path / "w.db") as store:
        handed = audit_run(store, run_id, today=TODAY, warmed=warmer)
        read_in_audit = len(calls)
        alone = audit_run(store, run_id, today=TODAY)
    # read while crawling, so not again by the audit (and kept: nor by a later audit)
    assert read_in_audit == 0 and len(calls) == 0
    assert [f.fingerprint for f in handed.findings] == [f.fingerprint for f in alone.findings]
    assert handed.coverage == alone.coverage


def test_robots_txt_holds_for_every_request_that_waited_for_it(tmp_path, server_log):
    """Several requests wait for a site's robots.txt at once (start pages here; a re-scan's
    pages served from the store send many): each is judged by it. Scrapy 2.19's middleware
    let all but the first through with the asyncio reactor (spiders/robots.py)."""
    site = build_demo_site(tmp_path / "site")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /zwgk/nbgl/\n"
                                     "Disallow: /zwgk/gkzn/\n", "utf-8")
    with serve_site(site) as base:
        run_id = crawl(CrawlOptions(
            start_url=base + "/", db_path=str(tmp_path / "r.db"), delay=0.0, timeout=5.0,
            extra_start_urls=[base + "/zwgk/zcwj/", base + "/zwgk/gkzn/",
                              base + "/zwgk/nbgl/"]))
    assert not [path for path in server_log.paths
                if path.startswith(("/zwgk/nbgl/", "/zwgk/gkzn/"))]
    with Store(tmp_path / "r.db") as store:
        outcomes = {p.url.split("/", 3)[3]: p.outcome for p in store.pages(run_id)}
    assert outcomes["zwgk/gkzn/"] == outcomes["zwgk/nbgl/"] == "robots"
