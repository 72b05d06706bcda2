"""Reports for people: the Excel 整改清单 and the printable HTML report, opened and checked.

SiteReports are built by hand from RunRecord / TrackedFinding objects (no crawl). Scraped text
is hostile: a title ``=HYPERLINK(...)`` must reach Excel as text, and ``<script>`` in a title or
message must reach the browser as text. The browser test renders the page in headless Chromium
(Debian's ``chromium``) and skips itself when no browser is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.calendar import WorkCalendar
from auditor.history import DocumentChange, SiteReport, TrackedFinding
from auditor.reports.html_out import render_html
from auditor.reports.xlsx_out import render_rectification_xlsx
from auditor.store import RunRecord

EVIL_FORMULA = '=HYPERLINK("http://evil","点我")'
EVIL_SCRIPT = "<script>document.body.appendChild(Object.assign(document.createElement('div'),{id:'pwned'}))</script>"
EVIL_IMG = "<img src=x onerror=\"document.title='pwned'\">"
CODE_A = "1101010001"


def _finding(rule, status, severity, message, *, url=None, evidence=None, table=None,
             row=None, column=None, waived=None, name="rule.name", legal="《中华人民共和国政府信息公开条例》第二十六条"):
    return {"rule": rule, "name": name, "status": status, "severity": severity,
            "message": message,
            "location": {"url": url, "section": None, "table": table, "row": row,
                         "column": column, "line": None},
            "evidence": evidence or {}, "legal_basis": legal,
            "fingerprint": f"{rule}-{url}-{table}", "waived": waived}


def _run(run_id, site, day, status="finished", coverage=None, failure=None):
    stats = {"coverage": coverage or {}, **({"failure": failure} if failure else {})}
    return RunRecord(run_id, site, f"http://{site}.example.gov.cn/", f"{day}T02:00:00+00:00",
                     f"{day}T02:30:00+00:00", status, {}, stats)


def unit_a() -> SiteReport:
    """城关镇: the site's second run (run ids 11 and 14 of the database); two problems new, one
    still open, one fixed, one waived; a gap newly not assessable, one now assessable; two
    documents changed after publication; the crawl timed out on some pages (not complete)."""
    prev, run = _run(11, "chengguan", "2024-12-20"), _run(14, "chengguan", "2025-01-20")
    doc = "http://chengguan.example.gov.cn/zwgk/tzgg/t20241105_1.html"
    tracked = [
        TrackedFinding(_finding(
            "TIME-05", "violation", "medium", "文件超过20个工作日才公开（成文 2024-09-02，发布 2024-11-05）。",
            url=doc, evidence={"issued": {"date": "2024-09-02", "strategy": "visible", "raw": "成文日期：2024年9月2日"},
                               "published": {"date": "2024-11-05", "strategy": "meta", "raw": "2024-11-05"},
                               "limit": 20, "title": EVIL_FORMULA, "working_days": 41,
                               "deadline": "2024-10-08"}), "new", "2025-01-20", 14),
        TrackedFinding(_finding(
            "TIME-07", "violation", "low", f"页面未标注发布时间：{EVIL_SCRIPT}",
            url="http://chengguan.example.gov.cn/zwgk/t2.html",
            evidence={"title": f"{EVIL_SCRIPT}关于印发{EVIL_IMG}的通知"}), "new", "2025-01-20", 14),
        TrackedFinding(_finding(
            "WEB-10", "violation", "low", "附件链接无法访问（HTTP 404）：附件1.pdf。",
            url="http://chengguan.example.gov.cn/files/a1.pdf",
            evidence={"status": 404, "linked_from": doc, "title": "附件1.pdf"},
            legal="扣分指标：链接可用性（出处未核实）"), "open", "2024-12-20", 14),
        TrackedFinding(_finding(
            "SCAN-01", "not_assessable", "medium", "2个页面访问超时，其内容未能检查。", legal="《审计方法》无法访问的内容不得计为合格",
            evidence={"outcome": "timeout", "count": 2,
                      "urls": ["http://chengguan.example.gov.cn/a", "http://chengguan.example.gov.cn/b"]}),
            "na_new", "2025-01-20", 14),
        TrackedFinding(_finding(
            "ARI-01", "violation", "high", "表三第一列不平衡：新收+结转≠办理结果+结转下年。",
            url="http://chengguan.example.gov.cn/nb/2023.html", table="table3", row="total",
            column="natural_person", evidence={"equation": "1 + 2 = 4", "lhs": 3, "rhs": 4}),
            "fixed", "2024-12-20", 11),
        TrackedFinding(_finding(
            "SCAN-01", "not_assessable", "medium", "1个页面robots.txt 禁止抓取，其内容未能检查。",
            legal="《审计方法》无法访问的内容不得计为合格", evidence={"outcome": "robots", "count": 1}),
            "na_assessable", "2024-12-20", 11),
        TrackedFinding(_finding(
            "WEB-02", "violation", "medium", "页脚未标注网站标识码。",
            evidence={"footer": []}, waived="集约化平台统一页脚，已报市政务公开办"),
            "waived", "2024-12-20", 14),
    ]
    changes = [DocumentChange(doc, "关于2024年秋季学期的通知", "edited", "a1b2c3d4e5f6", "0f9e8d7c6b5a"),
               DocumentChange("http://chengguan.example.gov.cn/zwgk/t3.html", EVIL_SCRIPT,
                              "disappeared", "ok", "HTTP 404")]
    coverage = {"run_status": "finished", "pages_total": 40, "pages_fetched": 37,
                "http_errors": 1, "timeouts": 2, "documents": 30, "reports": 1,
                "unparseable_reports": 0, "complete": False}
    return SiteReport("chengguan", f"城关镇人民政府{EVIL_IMG}", "township", CODE_A, run, prev,
                      tracked, coverage, changes, run_number=2, previous_number=1)


def unit_b() -> SiteReport:
    """区教育局: first run, complete crawl, one finding that needs review."""
    run = _run(5, "jyj", "2025-01-21")
    tracked = [TrackedFinding(_finding(
        "TXT-01", "needs_review", "medium", "正文所述申请总数（12件）与表三不一致（13件），请核实。",
        url="http://jyj.example.gov.cn/nb/2024.html", table="table3",
        evidence={"sentence": "共收到政府信息公开申请12件", "new_received_total": 13}),
        "new", "2025-01-21", 5)]
    coverage = {"run_status": "finished", "pages_total": 12, "pages_fetched": 12,
                "documents": 8, "reports": 1, "complete": True}
    return SiteReport("jyj", "区教育局", "department", "1101010002", run, None, tracked, coverage)


def failed_unit() -> SiteReport:
    """区卫健委: the site's fourth run could not reach it (its third did not either); the second
    found two problems, which are therefore not re-checked — never fixed."""
    prev = _run(20, "wjw", "2024-11-20")
    skipped = _run(31, "wjw", "2024-12-20", status="failed", failure="起始页无法访问：超时（20秒）")
    run = _run(40, "wjw", "2025-01-20", status="failed", failure="起始页无法访问：连接被拒绝",
               coverage={"run_status": "failed", "pages_total": 1, "pages_fetched": 0,
                         "network_errors": 1, "complete": False})
    url = "http://wjw.example.gov.cn/zwgk/t9.html"
    tracked = [
        TrackedFinding(_finding("TIME-05", "violation", "medium", "文件超过20个工作日才公开。", url=url),
                       "unchecked", "2024-11-20", 20),
        TrackedFinding(_finding("TXT-01", "needs_review", "medium", "正文与表三不一致，请核实。",
                                url=url + "?nb", table="table3"), "unchecked", "2024-11-20", 20),
        TrackedFinding(_finding("SCAN-01", "not_assessable", "high",
                                "起始页无法访问（连接被拒绝），站点内容未能检查。",
                                url="http://wjw.example.gov.cn/"), "na_new", "2025-01-20", 40),
    ]
    return SiteReport("wjw", "区卫生健康委员会", "department", "1101010004", run, prev, tracked,
                      run.stats["coverage"], [], run_number=4, previous_number=2,
                      skipped=[(3, skipped)])


def clean_unit(coverage) -> SiteReport:
    return SiteReport("clean", "区档案馆", "department", "1101010003",
                      _run(7, "clean", "2025-01-22"), None, [], coverage)


NOTICE = dt.date(2025, 1, 24)


def _workbook(reports, **kw):
    data = render_rectification_xlsx(reports, notice_date=NOTICE, **kw)
    return data, load_workbook(io.BytesIO(data))


def _rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, (c.value for c in row), strict=True))
                    for row in ws.iter_rows(min_row=2) if row[0].value]


# ---------------------------------------------------------------- the deadline, independently

def _nth_workday_2025_spring(start: dt.date, n: int) -> dt.date:
    """domain.md §4.2, 2025 row: 春节 off 01-28~02-04; makeup workdays 01-26 (Sun), 02-08 (Sat)."""
    off = {dt.date(2025, 1, 1)} | {dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)}
    makeup = {dt.date(2025, 1, 26), dt.date(2025, 2, 8)}
    day, count = start, 0
    while count < n:
        day += dt.timedelta(days=1)
        if day in makeup or (day.weekday() < 5 and day not in off):
            count += 1
    return day


def test_deadline_counts_working_days_across_spring_festival():
    # 01-24 Fri: 26(Sun, 调休上班) 27 | 春节 28..04 | 05 06 07 08(Sat, 调休上班) | 10 11 12 13
    expected = _nth_workday_2025_spring(NOTICE, 10)
    assert expected == dt.date(2025, 2, 13)
    assert NOTICE + dt.timedelta(days=10) == dt.date(2025, 2, 3)  # calendar days would be wrong
    _, wb = _workbook([unit_a()])
    _, rows = _rows(wb["整改清单"])
    row = next(r for r in rows if r["规则"].startswith("TIME-05"))
    assert row["整改期限"].date() == expected
    # not assessable: nothing to rectify yet, so no deadline
    scan = next(r for r in rows if r["规则"].startswith("SCAN-01"))
    assert "不适用" in scan["整改期限"]


def test_deadline_days_and_calendar_are_configurable():
    local = WorkCalendar({dt.date(2025, 2, 13): False})  # a local extra day off
    _, wb = _workbook([unit_b()], days=5, calendar=local)
    _, rows = _rows(wb["整改清单"])
    assert rows[0]["整改期限"].date() == _nth_workday_2025_spring(NOTICE, 5) == dt.date(2025, 2, 7)
    _, wb = _workbook([unit_b()], days=10, calendar=local)
    assert _rows(wb["整改清单"])[1][0]["整改期限"].date() == dt.date(2025, 2, 14)


def test_deadline_in_a_year_the_calendar_lacks_is_not_guessed():
    data = render_rectification_xlsx([unit_b()], notice_date=dt.date(2099, 12, 20))
    _, rows = _rows(load_workbook(io.BytesIO(data))["整改清单"])
    assert "无法计算" in rows[0]["整改期限"] and "2099" in rows[0]["整改期限"]


# ---------------------------------------------------------------- Excel

MAIN_HEADER = ["网站标识码", "单位", "栏目/位置", "标题", "网址", "规则", "法律依据", "问题描述",
               "证据", "状态", "严重程度", "复查情况", "首次发现", "整改期限"]


def test_xlsx_main_sheet_headers_and_a_row():
    _, wb = _workbook([unit_a(), unit_b()])
    assert wb.sheetnames == ["整改清单", "已整改与已豁免", "汇总", "发布后变动", "检查指标"]
    ws = wb["整改清单"]
    header, rows = _rows(ws)
    assert header == MAIN_HEADER
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:N{ws.max_row}"
    assert ws.column_dimensions["H"].width >= 40 and ws.column_dimensions["A"].width >= 12
    # active problems only (new / open / not assessable): 4 of unit A (fixed, now assessable
    # and waived are elsewhere), 1 of B
    assert [r["规则"].split()[0] for r in rows] == ["TIME-05", "TIME-07", "WEB-10", "SCAN-01",
                                                   "TXT-01"]
    row = rows[0]
    assert row["网站标识码"] == CODE_A
    assert row["单位"].startswith("城关镇人民政府")
    assert row["网址"] == "http://chengguan.example.gov.cn/zwgk/tzgg/t20241105_1.html"
    assert row["规则"] == "TIME-05 主动公开20个工作日"
    assert row["法律依据"] == "《中华人民共和国政府信息公开条例》第二十六条"
    assert row["状态"] == "违规" and row["严重程度"] == "中" and row["复查情况"] == "新发现"
    assert row["首次发现"].date() == dt.date(2025, 1, 20)
    assert "成文日期：2024-09-02（来源：页面正文，原文：成文日期：2024年9月2日）" in row["证据"]
    assert "实际用时（工作日）：41" in row["证据"]
    assert rows[2]["复查情况"] == "仍未整改" and rows[2]["首次发现"].date() == dt.date(2024, 12, 20)
    assert rows[3]["状态"] == "无法评估"
    assert rows[4]["状态"] == "需人工复核" and rows[4]["栏目/位置"] == "表三"
    assert ws["E2"].hyperlink.target == row["网址"]


def test_xlsx_neutralises_hostile_title():
    data, wb = _workbook([unit_a()])
    ws = wb["整改清单"]
    header, rows = _rows(ws)
    assert rows[0]["标题"] == "'" + EVIL_FORMULA
    title_cell = ws.cell(row=2, column=header.index("标题") + 1)
    assert title_cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # no formula anywhere in the workbook
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name


def test_xlsx_strips_control_characters_and_neutralises_what_follows():
    report = unit_b()
    report.findings[0].finding["evidence"]["title"] = "\x01\x02=cmd|' /C calc'!A0"
    report.findings[0].finding["message"] = "－1 全角减号开头"
    _, wb = _workbook([report])
    _, rows = _rows(wb["整改清单"])
    assert rows[0]["标题"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["问题描述"] == "'－1 全角减号开头"


def test_xlsx_fixed_and_waived_sheet():
    _, wb = _workbook([unit_a()])
    header, rows = _rows(wb["已整改与已豁免"])
    assert header[-4:] == ["处理情况", "豁免理由", "首次发现", "最后发现"]
    fixed, assessable, waived = rows
    assert assessable["处理情况"] == "已可评估" and assessable["状态"] == "无法评估"
    assert assessable["最后发现"].date() == dt.date(2024, 12, 20)
    assert fixed["规则"] == "ARI-01 表三勾稽（每列）" and fixed["处理情况"] == "已整改"
    assert fixed["栏目/位置"] == "表三 （七）总计 / 自然人"
    assert fixed["最后发现"].date() == dt.date(2024, 12, 20)
    assert waived["处理情况"] == "已豁免"
    assert waived["豁免理由"] == "集约化平台统一页脚，已报市政务公开办"


def test_xlsx_summary_per_unit_with_trend_and_coverage():
    _, wb = _workbook([unit_a(), unit_b()])
    ws = wb["汇总"]
    header, rows = _rows(ws)
    a, b = rows[0], rows[1]
    assert (a["违规"], a["违规变化"]) == (3, 1)  # before: WEB-10 (still open) + ARI-01 (fixed)
    assert (a["无法评估"], a["无法评估变化"]) == (1, 0)  # one newly, one no longer
    assert (a["新发现"], a["仍未整改"], a["已整改"], a["已豁免"]) == (2, 1, 1, 1)
    assert (a["新增无法评估"], a["仍无法评估"], a["已可评估"], a["未能复查"]) == (1, 0, 1, 0)
    assert a["本次抓取"] == "第 2 次抓取（运行编号 14）" and a["抓取状态"] == "正常完成"
    assert a["对比说明"] == "与第 1 次抓取（运行编号 11，2024-12-20）比较。"
    assert a["发布后变动"] == 2 and a["上次检查"].date() == dt.date(2024, 12, 20)
    assert "访问超时 2 个" in a["覆盖说明"]
    assert ws.cell(row=2, column=header.index("违规变化") + 1).number_format == "+0;-0;0"
    assert b["需人工复核"] == 1 and b["需复核变化"] == "（无上次）" and b["上次检查"] == "（首次检查）"
    assert b["覆盖说明"] == "抓取完整"
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("通知日期")]
    assert notes and "2025-02-13" in notes[0]


def test_xlsx_changes_sheet_and_per_unit_file():
    _, wb = _workbook([unit_a()])
    _, rows = _rows(wb["发布后变动"])
    assert [r["变动"] for r in rows] == ["发布后内容被修改", "已删除或无法访问"]
    _, wb = _workbook([unit_b()], scope="unit")
    _, rows = _rows(wb["整改清单"])
    assert {r["单位"] for r in rows} == {"区教育局"}
    assert _rows(wb["已整改与已豁免"])[1] == []


def test_xlsx_failed_run_is_never_finished_and_fixes_nothing():
    _, wb = _workbook([unit_a(), failed_unit()])
    _, summary = _rows(wb["汇总"])
    f = summary[1]
    assert f["抓取状态"] == "抓取失败（未能访问站点）"
    assert f["违规"] == f["需人工复核"] == "未能检查"  # not 0: nothing was checked
    assert f["违规变化"] == f["无法评估变化"] == "（本次未能访问）"
    assert (f["未能复查"], f["已整改"], f["新增无法评估"]) == (2, 0, 1)
    assert f["本次抓取"] == "第 4 次抓取（运行编号 40）"
    assert f["上次检查"].date() == dt.date(2024, 11, 20)
    assert "与第 2 次抓取（运行编号 20，2024-11-20）比较" in f["对比说明"]
    assert "第 3 次抓取（运行编号 31，2024-12-20）未能访问站点" in f["对比说明"]
    assert "连接被拒绝" in f["覆盖说明"] and f["覆盖说明"] != "抓取完整"
    _, rows = _rows(wb["整改清单"])
    mine = [r for r in rows if r["单位"] == "区卫生健康委员会"]
    assert [r["复查情况"] for r in mine] == ["未能复查", "未能复查", "新增无法评估"]
    assert mine[0]["整改期限"].date() == dt.date(2025, 2, 13)  # still to fix
    assert "不适用" in mine[2]["整改期限"]
    assert not [r for r in _rows(wb["已整改与已豁免"])[1] if r["单位"] == "区卫生健康委员会"]


# ---------------------------------------------------------------- HTML

def _html(reports=None, **kw):
    return render_html(reports if reports is not None else [unit_a(), unit_b()],
                       generated=dt.date(2025, 1, 24), **kw)


def test_html_escapes_hostile_text():
    html = _html(title="检查报告<script>alert(1)</script>")
    assert "<script" not in html  # not ours, not theirs: the page has no script at all
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;document.body.appendChild" in html
    assert "<img" not in html and "&lt;img src=x onerror=" in html


def test_html_summary_findings_and_changes():
    html = _html()
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html
    assert "@page { size: A4" in html and "break-before: page" in html
    for text in ("城关镇人民政府", "区教育局", CODE_A, "TIME-05 主动公开20个工作日", "新发现",
                 "仍未整改", "已整改", "已豁免", "集约化平台统一页脚，已报市政务公开办",
                 "《中华人民共和国政府信息公开条例》第二十六条", "成文日期：</span>2024-09-02",
                 "发布后内容被修改", "已删除或无法访问", "关于2024年秋季学期的通知",
                 '<span class="up">+1</span>', "首次检查"):
        assert text in html, text
    # a crawl that timed out on pages is flagged, never shown as clean
    assert "本次检查未能覆盖全部内容，结果不能视为合格" in html
    assert "访问超时 2 个" in html and "不完整" in html


def test_html_failed_run():
    html = _html([unit_b(), failed_unit()])
    assert "抓取失败：本次未能访问站点（起始页无法访问：连接被拒绝）" in html
    assert "以下 1 个单位的网站本次未能访问" in html and "区卫生健康委员会" in html
    ok, failed = html.split('id="unit-1"')[1].split('id="unit-2"')
    assert "正常完成" in ok
    assert "正常完成" not in failed and "未发现需整改的问题" not in failed
    assert "第 4 次抓取（运行编号 40）" in failed and "抓取失败（未能访问站点）" in failed
    assert "未能复查的问题与无法评估项（3 项）" in failed
    assert "第 3 次抓取（运行编号 31，2024-12-20）未能访问站点" in failed
    assert failed.count('class="badge lc-unchecked"') == 2
    assert "已整改 <strong>0</strong> 项" in failed and "<h3>已整改" not in failed


def test_html_not_assessable_lifecycle():
    html = _html([unit_a()])
    assert "新增无法评估" in html and "lc-na_new" in html
    assert "已可评估（1 项，上次无法评估、本次已能检查）" in html
    assert "第 2 次抓取（运行编号 14）" in html and "第 1 次抓取（运行编号 11）" in html


def test_html_clean_only_when_the_crawl_saw_everything():
    complete = {"run_status": "finished", "pages_total": 5, "pages_fetched": 5, "complete": True}
    assert "未发现需整改的问题" in _html([clean_unit(complete)])
    for coverage in ({}, {**complete, "complete": False}, {**complete, "blocked": 3}):
        html = _html([clean_unit(coverage)])
        assert "未发现需整改的问题" not in html and "不能视为合格" in html, coverage
    interrupted = clean_unit(complete)
    interrupted.run = _run(7, "clean", "2025-01-22", status="interrupted")
    assert "抓取未正常结束" in _html([interrupted])


# ---------------------------------------------------------------- a real browser

def _browser() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120)


def test_html_in_headless_chromium(tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no headless browser: install Debian's chromium (apt-get install chromium)")
    page = tmp_path / "report.html"
    page.write_text(_html([unit_a(), unit_b(), failed_unit()]), encoding="utf-8")
    png = tmp_path / "report.png"
    shot = _chromium(browser, tmp_path / "profile", f"--screenshot={png}",
                     "--window-size=1280,2000", page.as_uri())
    assert png.exists(), shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    try:
        from PIL import Image
    except ImportError:
        pass
    else:  # not a blank page: many colours (text, table borders, badges)
        with Image.open(png) as image:
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50

    dom = _chromium(browser, tmp_path / "profile2", "--dump-dom", page.as_uri()).stdout
    assert "<title>政府网站政务公开检查报告</title>" in dom  # the injected img did not rename it
    assert 'id="report-title">政府网站政务公开检查报告</h1>' in dom
    assert 'id="pwned"' not in dom  # the injected script did not run
    assert "<script" not in dom and "<img" not in dom  # nor was any element made from the text
    assert "&lt;script&gt;document.body.appendChild" in dom  # it is shown as text
    assert "抓取失败：本次未能访问站点" in dom and "未能复查" in dom
