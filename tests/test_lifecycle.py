"""Run status and the finding lifecycle, for real: the demo site served twice on different
ports into one database, a site that cannot be reached (a closed port on 127.0.0.1) scanned
into the same database, the demo again; and a site whose coverage gaps change between runs.

What must hold: the port is not part of a finding's identity (nothing both new and fixed); a
run that did not reach its site is ``failed`` in the store, ``auditor runs``, ``history``,
``diff``, the Excel 汇总 and the HTML report, exits 2, makes nothing look fixed, and is skipped
as the baseline of the next run; not-assessable items have a lifecycle of their own; “第 N 次抓取”
counts the site's runs, not the database's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import socket
import sqlite3

import pytest
from openpyxl import load_workbook

from auditor.cli import main
from auditor.config import Waiver, load_config
from auditor.demo.sitegen import build_demo_site
from auditor.devserver import serve_site
from auditor.findings import Finding, Location, Severity, Status, legacy_fingerprint, site_path
from auditor.history import Fingerprints, compare, document_changes, previous_run, site_report
from auditor.inventory import scan_all
from auditor.reports import render
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import SCHEMA_VERSION, Store

TODAY = dt.date(2026, 11, 27)
SITE = "127.0.0.1"  # the site id of an ad-hoc scan of http://127.0.0.1:PORT/ (no port)


def closed_port() -> int:
    with socket.socket() as sock:  # bound and closed again: nobody listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def diff_json(db: str, *runs: str) -> dict:
    code, out, err = cli("diff", *runs, "--db", db, "--format", "json",
                         *(() if runs else ("--site", SITE)))
    assert code == 0, err
    return json.loads(out)


def lifecycles(data: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in data["findings"]:
        out.setdefault(f["lifecycle"], []).append(f["rule"])
    return out


def xlsx_rows(path, sheet: str) -> list[dict]:
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=2) if row[0].value]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    """Run 1: an inventory site that is down; runs 2, 3: `auditor demo` (each on a new port);
    run 4: the demo's site id on a closed port; run 5: `auditor demo` again. Outputs of the
    commands are captured after the steps where they matter."""
    tmp = tmp_path_factory.mktemp("lifecycle")
    db = str(tmp / "audit.db")
    config = tmp / "auditor.toml"
    config.write_text(f'[[sites]]\nid = "down"\nname = "无法访问的单位"\n'
                      f'urls = ["http://127.0.0.1:{closed_port()}/"]\ndelay = 0\n', "utf-8")
    seen: dict = {"db": db, "config": str(config), "tmp": tmp}
    seen["down"] = scan_all(load_config(config), db, today=TODAY)[0]
    for step in ("demo1", "demo2"):
        seen[step] = cli("demo", "--db", db)
    seen["diff_ports"] = diff_json(db)
    seen["scan_dead"] = cli("scan", f"http://127.0.0.1:{closed_port()}/", "--db", db,
                            "--delay", "0", "--timeout", "2", "--quiet")
    seen["diff_failed"] = diff_json(db)
    seen["diff_failed_text"] = cli("diff", "--db", db, "--site", SITE)[1]
    for fmt in ("xlsx", "html"):
        path = tmp / f"failed.{fmt}"
        code, _, err = cli("report", "--db", db, "--config", str(config), "--site", SITE,
                           "--site", "down", "--format", fmt, "-o", str(path),
                           "--notice-date", "2026-12-01")
        assert code == 0, err
        seen[f"report_failed_{fmt}"] = path
    seen["demo3"] = cli("demo", "--db", db)
    seen["diff_after"] = diff_json(db)
    seen["runs"] = cli("runs", "--db", db)[1]
    seen["history"] = cli("history", SITE, "--db", db)[1]
    path = tmp / "after.xlsx"
    cli("report", "--db", db, "--config", str(config), "--site", SITE, "-o", str(path),
        "--notice-date", "2026-12-01")
    seen["report_after_xlsx"] = path
    return seen


def test_the_runs_are_what_they_seem(timeline):
    with Store(timeline["db"]) as store:
        runs = {r.id: r for r in store.runs()}
    assert [(r.site, r.status) for r in runs.values()] == [
        ("down", "failed"), (SITE, "finished"), (SITE, "finished"), (SITE, "failed"),
        (SITE, "finished")]
    assert "起始页无法访问" in runs[4].stats["failure"]
    assert all(code == 0 for code, _, _ in (timeline[k] for k in ("demo1", "demo2", "demo3")))


def test_demo_twice_on_two_ports_nothing_is_both_new_and_fixed(timeline):
    data = timeline["diff_ports"]
    assert (data["run_a"], data["run_b"]) == (2, 3)
    by = lifecycles(data)
    assert not by.get("new") and not by.get("fixed") and not by.get("unchecked")
    assert {"TIME-05", "ARI-04", "XY-01", "WEB-10"} <= set(by["open"])
    # robots.txt keeps /zwgk/nbgl/ out, both times: the gap, and the website indicators that
    # cannot decide without that column (首页更新, 目录, 依申请, 第二十条 columns; no 咨询 column)
    assert "SCAN-01" in by["na_open"]
    assert set(by["na_open"]) <= {"SCAN-01", "WEB-05", "WEB-12", "WEB-14", "WEB-15", "WEB-16"}
    new = {f["fingerprint"] for f in data["findings"] if f["lifecycle"] == "new"}
    fixed = {f["fingerprint"] for f in data["findings"] if f["lifecycle"] == "fixed"}
    assert not new & fixed
    assert data["documents"] == []  # the same documents, on another port: not gone


def test_unreachable_scan_exits_2_with_one_line(timeline):
    code, out, err = timeline["scan_dead"]
    assert code == 2
    assert "站点无法访问" in err.strip().splitlines()[-1]
    assert "抓取失败" in out and "不能视为合格" in out
    assert timeline["down"].error and "站点无法访问" in timeline["down"].error


def test_failed_run_makes_nothing_look_fixed(timeline):
    data = timeline["diff_failed"]
    assert (data["run_a"], data["run_b"]) == (3, 4)
    assert (data["run_a_status"], data["run_b_status"]) == ("finished", "failed")
    assert "起始页无法访问" in data["run_b_failure"]
    by = lifecycles(data)
    assert not by.get("fixed") and not by.get("open") and not by.get("na_assessable")
    # every problem the last run found is “not re-checked”, the gap itself is new
    before = timeline["diff_ports"]["findings"]
    assert len(by["unchecked"]) == len([f for f in before if f["status"] != "not_assessable"])
    assert set(by["na_new"]) <= {"SCAN-01", "WEB-13"} and "SCAN-01" in by["na_new"]
    # what could not be assessed before (robots.txt) is still not assessable as far as we know
    assert sorted(by["na_open"]) == sorted(f["rule"] for f in before
                                           if f["status"] == "not_assessable")
    assert data["documents"] == []  # a run that saw nothing says nothing about documents
    text = timeline["diff_failed_text"]
    assert "failed" in text.splitlines()[0] and "【未能复查】" in text and "不能视为已整改" in text


def test_next_run_is_compared_with_the_last_one_that_reached_the_site(timeline):
    data = timeline["diff_after"]
    assert (data["run_a"], data["run_b"]) == (3, 5) and data["skipped_runs"] == [4]
    assert any("未能访问站点" in note for note in data["notes"])
    by = lifecycles(data)
    assert not by.get("new") and not by.get("fixed") and not by.get("unchecked")
    with Store(timeline["db"]) as store:
        assert previous_run(store, 5).id == 3 and previous_run(store, 4).id == 3


def test_runs_and_history_show_failed(timeline):
    runs = {line.split()[0]: line for line in timeline["runs"].splitlines()}
    assert "抓取失败" in runs["1"] and "抓取失败" in runs["4"] and "未能访问站点" in runs["4"]
    assert "正常完成" in runs["5"]
    lines = timeline["history"].splitlines()
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(rows) == ["2", "3", "4", "5"]
    # run id, then the site's own count: run 4 is the site's third crawl
    assert [rows[k][1] for k in rows] == ["1", "2", "3", "4"]
    assert rows["4"][4] == "抓取失败" and rows["4"][5] == rows["4"][6] == "-"
    assert "跳过未访问到站点的 #4" in lines[-1]


def test_excel_and_html_show_the_failed_run(timeline):
    summary = {r["单位"]: r for r in xlsx_rows(timeline["report_failed_xlsx"], "汇总")}
    dead = summary[SITE]
    assert dead["抓取状态"] == "抓取失败（未能访问站点）"
    assert dead["违规"] == "未能检查" and dead["违规变化"] == "（本次未能访问）"
    assert dead["未能复查"] >= 10 and dead["已整改"] == 0
    assert "抓取失败" in dead["覆盖说明"] and "未能复查" in dead["对比说明"]
    assert dead["本次抓取"] == "第 3 次抓取（运行编号 4）"
    assert summary["无法访问的单位"]["抓取状态"] == "抓取失败（未能访问站点）"
    assert summary["无法访问的单位"]["对比说明"] == "首次检查。"
    main_rows = xlsx_rows(timeline["report_failed_xlsx"], "整改清单")
    states = {r["复查情况"] for r in main_rows if r["单位"] == SITE}
    assert states == {"未能复查", "新增无法评估", "仍无法评估"}
    assert not [r for r in xlsx_rows(timeline["report_failed_xlsx"], "已整改与已豁免")
                if r["处理情况"] == "已整改"]
    html = timeline["report_failed_html"].read_text("utf-8")
    assert "抓取失败：本次未能访问站点" in html and "正常完成" not in html
    assert "第 3 次抓取（运行编号 4" in html and "未能复查" in html


def test_reports_count_the_sites_own_runs(timeline):
    summary = xlsx_rows(timeline["report_after_xlsx"], "汇总")[0]
    assert summary["本次抓取"] == "第 4 次抓取（运行编号 5）"
    assert summary["抓取状态"] == "正常完成"
    assert "第 2 次抓取（运行编号 3" in summary["对比说明"]
    assert "第 3 次抓取（运行编号 4" in summary["对比说明"]  # skipped, and said so
    # a scheduled scan's own output says which run of the site it is
    result = timeline["down"].result
    assert "第 1 次抓取（运行编号 1" in render(result, "human")


def test_not_assessable_items_are_never_open_or_fixed(timeline):
    for key in ("diff_ports", "diff_failed", "diff_after"):
        for f in timeline[key]["findings"]:
            if f["waived"]:
                continue
            assert (f["status"] == "not_assessable") == f["lifecycle"].startswith("na_"), f


# ---------------------------------------------------------------- gaps that change


def _serve(site, statuses: dict[str, int], redirects: dict[str, str]):
    (site / "_server.json").write_text(json.dumps(
        {"status": {"/zwgk/zcwj/202504/t20250410_3099.html": 404, **statuses},
         "redirect": redirects}), "utf-8")
    return serve_site(site)


def test_not_assessable_lifecycle_on_a_real_crawl(tmp_path):
    """Run 1: /zwgk/nbgl/ forbidden by robots.txt, 3104 behind a 412 wall. Run 2: robots.txt
    allows everything, 3104 is back, 3101 is walled off and 3103 redirects to itself."""
    site = build_demo_site(tmp_path / "site")
    db = str(tmp_path / "gaps.db")
    doc = "/zwgk/zcwj/{}/t{}.html".format
    runs = []
    for statuses, redirects in (({doc("202506", "20250616_3104"): 412}, {}),
                                ({doc("202511", "20251106_3101"): 412},
                                 {doc("202508", "20250808_3103"): doc("202508", "20250808_3103")})):
        with _serve(site, statuses, redirects) as base:
            run_id = crawl(CrawlOptions(start_url=base + "/", db_path=db, delay=0, timeout=5,
                                        backoff_scale=0.1))
        with Store(db) as store:
            audit_run(store, run_id, today=TODAY)
        runs.append(run_id)
        (site / "robots.txt").write_text("User-agent: *\nDisallow:\n", "utf-8")
    with Store(db) as store:
        tracked = compare(store, *runs)
    by = {(t.rule, t.lifecycle, (t.finding["evidence"] or {}).get("outcome")
           or site_path(t.url or "")) for t in tracked}
    gaps = {(t.lifecycle, site_path(t.url or "")) for t in tracked if t.rule == "SCAN-01"}
    # Gaps are reported at their own URL: 3104 walled off in run 1 only, 3101 in run 2 only.
    assert ("na_assessable", doc("202506", "20250616_3104")) in gaps
    assert ("na_new", doc("202511", "20251106_3101")) in gaps
    assert ("SCAN-01", "na_open", "/zwgk/zcwj/") in by  # the column read only in part twice
    assert ("SCAN-01", "na_assessable", "robots") in by  # robots.txt no longer forbids it
    assert ("SCAN-01", "na_new", "redirect_loop") in by
    # What run 2 could not fetch is not fixed; what run 1 could not see is new, not old.
    assert ("TIME-05", "unchecked", doc("202511", "20251106_3101")) in by
    assert ("TIME-06", "unchecked", doc("202508", "20250808_3103")) in by
    assert ("WEB-04", "new", doc("202506", "20250616_3104")) in by
    assert not [t for t in tracked if t.lifecycle == "fixed"]


# ---------------------------------------------------------------- fingerprints


def _finding(url: str, discriminator: str = "") -> Finding:
    return Finding("TIME-05", "timeliness.x", Status.VIOLATION, Severity.MEDIUM, "m",
                   Location(url=url, table="table3"), discriminator=discriminator)


def test_fingerprint_is_the_path_within_the_site():
    a = _finding("http://127.0.0.1:8001/zwgk/t1.html?id=3")
    assert a.fingerprint == _finding("https://www.example.gov.cn/zwgk/t1.html?id=3").fingerprint
    assert a.fingerprint != _finding("http://127.0.0.1:8001/zwgk/t1.html?id=4").fingerprint
    assert a.fingerprint != _finding("http://127.0.0.1:8001/zwgk/t1.html", "x").fingerprint
    assert a.fingerprint != a.legacy_fingerprint
    assert site_path("http://h:1") == "/" and site_path("reports/2024.html") == "reports/2024.html"
    # a report checked from a file keeps its path
    assert _finding("reports/2024.html").fingerprint != _finding("other/2024.html").fingerprint


def test_waiver_naming_an_old_fingerprint_still_applies():
    finding = _finding("http://127.0.0.1:8001/zwgk/t1.html", "x")
    waiver = Waiver("TIME-05", "已报备", location=finding.legacy_fingerprint)
    assert waiver.covers(finding, TODAY)
    assert Waiver("TIME-05", "r", location=finding.fingerprint).covers(finding, TODAY)


def test_comparison_across_the_fingerprint_upgrade(timeline, tmp_path):
    """A database written before schema 2: no discriminator column, v1 fingerprints (with
    host:port). Opening it migrates the table; run 3 (old) still matches run 5 (new)."""
    db = str(tmp_path / "old.db")
    source = sqlite3.connect(timeline["db"])
    source.execute("VACUUM INTO ?", (db,))
    source.close()
    raw = sqlite3.connect(db)
    later = raw.execute("SELECT id, discriminator FROM findings WHERE run_id > 3").fetchall()
    for fid, rule, location, disc in raw.execute(
            "SELECT id, rule, location, discriminator FROM findings WHERE run_id <= 3").fetchall():
        loc = Location(**json.loads(location))
        raw.execute("UPDATE findings SET fingerprint = ? WHERE id = ?",
                    (legacy_fingerprint(rule, loc, disc), fid))
    raw.execute("ALTER TABLE findings DROP COLUMN discriminator")
    raw.execute("UPDATE runs SET status = 'finished' WHERE status = 'failed'")  # as v1 stored it
    raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    with Store(db) as store:  # migrates: the column is back, every row NULL
        assert store.schema_version() == SCHEMA_VERSION
        assert store.known_discriminators() == []
    # runs 4 and 5 as the upgraded auditor writes them
    raw = sqlite3.connect(db)
    raw.executemany("UPDATE findings SET discriminator = ? WHERE id = ?",
                    [(disc, fid) for fid, disc in later])
    raw.commit()
    raw.close()
    with Store(db) as store:
        tracked = compare(store, 3, 5)
        old_only = compare(store, 2, 3)
        report = site_report(store, 4, fingerprints=Fingerprints(store))
    states = {t.lifecycle for t in tracked}
    assert "new" not in states and "fixed" not in states and "open" in states
    # between two old runs on different ports, what can be recovered is matched too
    assert {t.rule for t in old_only if t.lifecycle == "open"} >= {"TIME-05", "ARI-04"}
    # a v1 database's unreachable run (stored as finished) is recognised as failed
    assert report.run.status == "failed" and report.previous.id == 3
    assert not [t for t in report.findings if t.lifecycle == "fixed"]


def test_document_changes_are_matched_by_path(timeline):
    with Store(timeline["db"]) as store:
        assert document_changes(store, 2, 3) == []
        assert document_changes(store, 3, 4) == []
