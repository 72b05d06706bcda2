"""Scheduled audits: a site audited, changed (one problem fixed, one new, one report edited
after publication), audited again — and `auditor diff` reports exactly that."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from auditor.cli import main
from auditor.config import load_config
from auditor.demo.sitegen import Document, build_demo_site
from auditor.devserver import serve_site
from auditor.history import compare, document_changes
from auditor.inventory import scan_all
from auditor.lock import LockHeld, RunLock
from auditor.store import Store
from auditor.timefmt import local_day

TODAY = dt.date(2026, 11, 27)


def inventory(tmp_path, base: str, extra: str = "") -> str:
    path = tmp_path / "auditor.toml"
    path.write_text(f'''
rectification_days = 10
[[sites]]
id = "heming"
name = "鹤鸣县人民政府"
unit_type = "政府"
site_code = "0000000006"
urls = ["{base}/"]
delay = 0
max_pages = 500
{extra}
''', "utf-8")
    return str(path)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    site = build_demo_site(tmp / "site")
    db = str(tmp / "audit.db")
    with serve_site(site) as base:
        config = load_config(inventory(tmp, base))
        first = scan_all(config, db, today=TODAY)[0]
        # Fix one problem: the PubDate tag of 3104 now matches its visible date.
        fixed = Document("3104", "鹤鸣县人民政府关于公布行政规范性文件清理结果的决定",
                         dt.date(2025, 6, 10), dt.date(2025, 6, 16), "鹤政发〔2025〕9号")
        (site / fixed.url("zcwj").lstrip("/")).write_text(fixed.render("zcwj"), "utf-8")
        # Add one: a new document published 34 working days after it was written.
        late = Document("3108", "关于加强城乡供水安全管理的通知", dt.date(2025, 10, 9),
                        dt.date(2025, 11, 27), "鹤政办发〔2025〕33号")
        (site / late.url("zcwj").lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (site / late.url("zcwj").lstrip("/")).write_text(late.render("zcwj"), "utf-8")
        index = site / "zwgk" / "zcwj" / "index_1.html"
        index.write_text(index.read_text("utf-8").replace(
            '<ul class="list">', f'<ul class="list"><li><a href="{late.url("zcwj")}">'
            f'{late.title}</a><span>2025-11-27</span></li>', 1), "utf-8")
        # Edit the 2024 report after publication (same URL, different text).
        report = next((site / "zwgk" / "zfxxgknb").rglob("t20250122_*.html"))
        report.write_text(report.read_text("utf-8").replace("丰富图解", "丰富图表"), "utf-8")
        second = scan_all(config, db, today=TODAY)[0]
    return db, first, second, tmp, base


def test_both_runs_succeed(two_runs):
    _, first, second, _, _ = two_runs
    assert first.error is None and second.error is None
    assert second.run_id == first.run_id + 1


def test_diff_reports_exactly_the_changes(two_runs):
    db, first, second, _, _ = two_runs
    with Store(db) as store:
        tracked = compare(store, first.run_id, second.run_id)
        changes = document_changes(store, first.run_id, second.run_id)
    new = [(t.rule, t.url.rsplit("/", 1)[-1]) for t in tracked if t.lifecycle == "new"]
    fixed = [(t.rule, t.url.rsplit("/", 1)[-1]) for t in tracked if t.lifecycle == "fixed"]
    assert new == [("TIME-05", "t20251127_3108.html")]
    assert fixed == [("WEB-04", "t20250616_3104.html")]
    edited = [c.url.rsplit("/", 1)[-1] for c in changes if c.change == "edited"]
    assert edited == ["t20250122_20240.html"]
    assert not [c for c in changes if c.change == "disappeared"]
    still_open = {t.rule for t in tracked if t.lifecycle == "open"}
    assert {"TIME-05", "ARI-04", "XY-01", "WEB-10"} <= still_open


def test_first_seen_survives_across_runs(two_runs):
    db, first, second, _, _ = two_runs
    with Store(db) as store:
        tracked = compare(store, first.run_id, second.run_id)
        first_date = local_day(store.run(first.run_id).started_at)  # the day in China
    assert all(t.first_seen == first_date for t in tracked if t.lifecycle == "open")


def test_diff_cli(two_runs, capsys):
    db, first, second, _, _ = two_runs
    assert main(["diff", "--db", db, "--site", "heming", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["run_a"], data["run_b"]) == (first.run_id, second.run_id)
    lifecycles = {(f["rule"], f["lifecycle"]) for f in data["findings"]}
    assert ("WEB-04", "fixed") in lifecycles and ("TIME-05", "new") in lifecycles
    assert [d["change"] for d in data["documents"]] == ["edited"]
    assert main(["diff", str(first.run_id), str(second.run_id), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "【新发现】1 项" in out and "【已整改】1 项" in out and "【发布后有变动】1 篇" in out


def test_history_cli(two_runs, capsys):
    db, first, second, _, _ = two_runs
    assert main(["history", "heming", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[2].split()[0] == str(second.run_id)


def test_waiver_marks_finding_waived_in_history(two_runs):
    db, _, second, tmp, base = two_runs
    config = load_config(inventory(tmp, base, extra=(
        '[[sites.waivers]]\nrule = "WEB-10"\nreason = "附件已迁移，旧链接报备"\n')))
    from auditor.site_audit import audit_run

    with Store(db) as store:
        result = audit_run(store, second.run_id, config=config.for_site(config.sites[0]),
                           today=TODAY)
        tracked = compare(store, second.run_id - 1, second.run_id)
    assert all(f.waived for f in result.findings if f.rule == "WEB-10")
    assert {t.lifecycle for t in tracked if t.rule == "WEB-10"} == {"waived"}


def test_lock_prevents_overlapping_runs(tmp_path):
    db = tmp_path / "l.db"
    with RunLock(db):
        with pytest.raises(LockHeld, match="another audit is running"):
            with RunLock(db):
                pass
    with RunLock(db):  # released
        pass


def test_scan_all_exit_code_when_locked(tmp_path, capsys):
    db = tmp_path / "l.db"
    config = inventory(tmp_path, "http://127.0.0.1:9")
    held = threading.Event()
    with RunLock(db):
        held.set()
        code = main(["scan", "--all", "--config", config, "--db", str(db), "--quiet"])
    assert code == 3 and "another audit is running" in capsys.readouterr().err


def test_one_failing_site_does_not_stop_the_others(tmp_path, capsys):
    import socket

    site = build_demo_site(tmp_path / "site")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    with serve_site(site) as base:
        path = tmp_path / "auditor.toml"
        path.write_text(f'''
[[sites]]
id = "dead"
name = "无法访问的单位"
urls = ["http://127.0.0.1:{dead}/"]
delay = 0
[[sites]]
id = "heming"
name = "鹤鸣县人民政府"
urls = ["{base}/"]
delay = 0
''', "utf-8")
        code = main(["scan", "--all", "--config", str(path), "--db", str(tmp_path / "m.db"),
                     "--format", "json", "--quiet"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    by_site = {s["site"]: s for s in data["sites"]}
    assert code == 2
    assert "站点无法访问" in by_site["dead"]["error"]
    with Store(tmp_path / "m.db") as store:
        assert store.run(by_site["dead"]["run_id"]).status == "failed"
        assert store.run(by_site["heming"]["run_id"]).status == "finished"
    assert by_site["heming"]["error"] is None and by_site["heming"]["result"]["findings"]


def test_interrupted_run_can_be_resumed(tmp_path):
    from auditor.scan import CrawlOptions, crawl
    from auditor.site_audit import audit_run

    site = build_demo_site(tmp_path / "site")
    db = str(tmp_path / "r.db")
    with serve_site(site) as base:
        run_id = crawl(CrawlOptions(start_url=base + "/", db_path=db, delay=0, max_pages=6))
        with Store(db) as store:  # as if the process had been killed midway
            store.set_run_status(run_id, "interrupted")
            before = {p.url for p in store.pages(run_id) if p.outcome == "ok"}
        crawl(CrawlOptions(start_url=base + "/", db_path=db, delay=0, resume_run=run_id))
    with Store(db) as store:
        run = store.run(run_id)
        after = {p.url for p in store.pages(run_id) if p.outcome == "ok"}
        result = audit_run(store, run_id, today=TODAY)
    assert run.status == "finished" and before < after
    assert any(f.rule == "ARI-04" for f in result.findings)
