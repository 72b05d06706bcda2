"""Issue 9, end to end: local sites on 127.0.0.1 for each way an audit used to be confidently
wrong — a real-layout 年报 list started from, a root whose navigation cannot be read, a Hanweb
list declared only by script, landing pages in a report column, and the body type of an ad-hoc
scan. Each asserts what was fetched, what coverage says and that no false 违规 is printed."""

from __future__ import annotations

import datetime as dt

from sites import (
    hanweb_site,
    hanweb_unreadable_site,
    landing_pages_site,
    opaque_root_site,
    trt_report_column_site,
)

from auditor.devserver import serve_site
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import Store

TODAY = dt.date(2026, 12, 6)


def scan(site, db, start: str = "/", **options):
    with serve_site(site) as base:
        run_id = crawl(CrawlOptions(start_url=base + start, db_path=str(db), delay=0.0,
                                    timeout=5.0, **options))
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        pages = store.pages(run_id)
    return base, result, pages


def by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


def test_started_at_a_real_layout_report_list(tmp_path):
    site = trt_report_column_site(tmp_path / "site")
    base, result, pages = scan(site, tmp_path / "a.db", "/zwgk/zfxxgk/zfxxgknb/")
    reports = [p for p in pages if p.kind == "report" and p.outcome == "ok"]
    assert len(reports) == 10  # every ./YYYYMM/t…htm item was requested and read
    column = result.coverage["columns"][0]
    assert column["state"] == "partial" and column["items_listed"] == 10
    assert column["items_fetched"] == 10 and column["declared_items"] == 20
    assert "其余条目由脚本动态加载" in column["reasons"][0]
    assert result.coverage["complete"] is False
    assert not [f for f in by_rule(result, "WEB-13") if str(f.status) == "violation"]
    assert not [f for f in result.findings if str(f.status) == "violation"
                and f.rule in ("WEB-01", "SCAN-01", "WEB-13")]


def test_report_list_whose_static_items_are_all_is_complete(tmp_path):
    site = trt_report_column_site(tmp_path / "site", years=range(2020, 2026), declared=6)
    _, result, _ = scan(site, tmp_path / "a.db", "/zwgk/zfxxgk/zfxxgknb/")
    column = result.coverage["columns"][0]
    assert column["state"] == "complete" and column["report_column"] is True
    assert not by_rule(result, "WEB-13")


def test_report_list_missing_the_due_report_is_a_violation_only_when_complete(tmp_path):
    complete = trt_report_column_site(tmp_path / "c", years=range(2019, 2025), declared=6)
    _, result, _ = scan(complete, tmp_path / "c.db", "/zwgk/zfxxgk/zfxxgknb/")
    assert [str(f.status) for f in by_rule(result, "WEB-13")] == ["violation"]
    partial = trt_report_column_site(tmp_path / "p", years=range(2019, 2025), declared=12)
    _, result, _ = scan(partial, tmp_path / "p.db", "/zwgk/zfxxgk/zfxxgknb/")
    web13 = by_rule(result, "WEB-13")
    assert [str(f.status) for f in web13] == ["not_assessable"]
    assert "未完整读取" in web13[0].message


def test_root_whose_navigation_cannot_be_read(tmp_path):
    _, result, pages = scan(opaque_root_site(tmp_path / "site"), tmp_path / "o.db")
    assert len([p for p in pages if p.outcome == "ok"]) == 1
    assert result.coverage["complete"] is False
    assert "未找到任何栏目列表" in result.coverage["incomplete_reasons"]
    assert not [f for f in result.findings if str(f.status) == "violation"]
    scan01 = [f.message for f in by_rule(result, "SCAN-01")]
    assert any("未在已抓取的页面中找到政府信息公开栏目" in m for m in scan01)
    assert [str(f.status) for f in by_rule(result, "WEB-13")] == ["not_assessable"]


def test_hanweb_list_declared_only_by_script_is_read(tmp_path):
    site = hanweb_site(tmp_path / "site", records=60, variant="jpage-post")
    _, result, pages = scan(site, tmp_path / "h.db")
    assert len([p for p in pages if p.kind == "document" and p.outcome == "ok"]) == 60
    column = next(c for c in result.coverage["columns"] if c["name"] == "通知公告")
    assert column["cue"] == "大汉 jpage 列表配置" and column["state"] == "complete"


def test_hanweb_list_without_its_interface_is_not_assessable_at_its_url(tmp_path):
    base, result, _ = scan(hanweb_unreadable_site(tmp_path / "site"), tmp_path / "u.db")
    column = next(c for c in result.coverage["columns"] if c["name"] == "政府信息公开年报")
    assert column["state"] == "unread" and column["report_column"] is True
    unread = [f for f in by_rule(result, "SCAN-01")
              if f.location.url == base + "/col/col1002/index.html"]
    assert unread and "列表未能读取" in unread[0].message and "大汉" in unread[0].message
    assert [str(f.status) for f in by_rule(result, "WEB-13")] == ["not_assessable"]
    assert result.coverage["complete"] is False
    # Nothing is judged missing or blank at the unread column; what the site does lack (no
    # 指南, 目录, 依申请 channel, 第二十条 columns; 通知公告 stale at TODAY) is found through the
    # navigation pages, which were read completely.
    assert not [f for f in result.findings if str(f.status) == "violation"
                and (f.location.url == base + "/col/col1002/index.html"
                     or f.rule in ("WEB-05", "WEB-08", "WEB-13", "SCAN-01"))]
    assert {f.rule for f in result.findings if str(f.status) == "violation"} <= {
        "WEB-06", "WEB-11", "WEB-12", "WEB-14", "WEB-15"}


def test_landing_pages_are_not_reports_nor_articles(tmp_path):
    base, result, pages = scan(landing_pages_site(tmp_path / "site"), tmp_path / "l.db")
    kinds = {p.url.replace(base, ""): p.kind for p in pages if p.outcome == "ok"}
    assert kinds["/zjsf/202401/t20240101_5.html"] == "other"
    assert kinds["/zwgk/nb/202601/t20260120_1.html"] == "report"
    assert not result.coverage["unparseable_reports"]
    assert not any("zjsf" in (f.location.url or "") or "hdjl" in (f.location.url or "")
                   for f in result.findings)


def test_body_type_of_an_adhoc_scan_comes_from_the_site(tmp_path):
    # A county government's report published on 3月10日: late for a department, on time for
    # the level's government. The site says whose it is (SiteName 云溪县人民政府).
    site = trt_report_column_site(tmp_path / "site", years=range(2020, 2026), declared=6)
    _, result, _ = scan(site, tmp_path / "g.db", "/zwgk/zfxxgk/zfxxgknb/")
    assert result.context["unit_type"] == "government"
    assert "SiteName" in result.context["unit_type_source"]
    assert not by_rule(result, "TIME-01") and not by_rule(result, "TIME-02")
