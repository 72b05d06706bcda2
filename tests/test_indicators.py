"""Issue 13, end to end: the website indicators on a generated county portal
(tests/indicator_sites.py) served on 127.0.0.1, crawled and audited with ``--as-of``.

A healthy portal gives no indicator violation (its unreadable column is 无法评估, never blank or
stale); every planted problem is found where it was planted, and nothing else; the same stored
run audited a year later is stale (单项否决), and audited again without ``--as-of`` is judged
as of its crawl date. Then the score: ``auditor score``, the Excel 检查指标 sheet and the HTML.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pytest
from indicator_sites import AS_OF, PLANTS, UNREAD_COLUMN, indicator_site
from openpyxl import load_workbook

from auditor.cli import main
from auditor.config import ConfigError, config_from_dict
from auditor.devserver import serve_site
from auditor.site_audit import CHINA

#: The rules of issue 13 (website indicators).
INDICATOR_RULES = {"WEB-03", "WEB-05", "WEB-06", "WEB-07", "WEB-08", "WEB-11", "WEB-12",
                   "WEB-14", "WEB-15", "WEB-16", "WEB-17"}


def cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def scan(site, db, *extra) -> tuple[str, dict]:
    with serve_site(site) as base:
        code, out, err = cli("scan", base + "/", "--db", db, "--delay", "0", "--quiet",
                             "--format", "json", "--exit-zero", *extra)
    assert code == 0, err
    return base, json.loads(out)


def path_of(url: str | None, base: str) -> str:
    return (url or "").replace(base, "") or "/"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Every plant at once (they do not overlap), scanned as of AS_OF."""
    tmp = tmp_path_factory.mktemp("planted")
    site = indicator_site(tmp / "site", plant=set(PLANTS))
    base, data = scan(site, tmp / "p.db", "--as-of", AS_OF.isoformat())
    return base, data, tmp / "p.db"


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    """The healthy portal dated to the day it is crawled (China time), scanned without --as-of."""
    tmp = tmp_path_factory.mktemp("healthy")
    today = dt.datetime.now(CHINA).date()
    site = indicator_site(tmp / "site", as_of=today)
    base, data = scan(site, tmp / "h.db")
    return base, data, tmp / "h.db", today


def test_a_healthy_portal_has_no_indicator_violation(healthy):
    base, data, _, today = healthy
    assert data["context"]["as_of"] == today.isoformat()  # the crawl date, by default
    found = [(f["rule"], f["status"], path_of(f["location"]["url"], base))
             for f in data["findings"]]
    assert not [f for f in found if f[1] == "violation"], found
    # the column whose list a script builds is not assessable, never blank or stale
    assert ("SCAN-01", "not_assessable", UNREAD_COLUMN) in found
    assert not [f for f in found if f[0] in ("WEB-06", "WEB-07", "WEB-08")]
    states = {path_of(c["url"], base): c["state"] for c in data["coverage"]["columns"]}
    assert states[UNREAD_COLUMN] == "unread"
    assert {states[p] for p in ("/xwzx/gzdt/", "/zwgk/zdxm/", "/zwgk/zfcg/")} == {"complete"}


def test_every_planted_problem_is_found(planted):
    base, data, _ = planted
    assert data["context"]["as_of"] == AS_OF.isoformat()
    found = {(f["rule"], f["status"], path_of(f["location"]["url"], base))
             for f in data["findings"]}
    for plant, (rule, status, where) in PLANTS.items():
        assert (rule, status, where or "/") in found, plant


def test_nothing_else_is_found(planted):
    base, data, _ = planted
    expected = {(rule, status, where or "/") for rule, status, where in PLANTS.values()}
    for f in data["findings"]:
        key = (f["rule"], f["status"], path_of(f["location"]["url"], base))
        if f["rule"] in INDICATOR_RULES and f["status"] == "violation":
            assert key in expected, f["message"]
        elif f["status"] == "violation":
            # the undated 政策文件 documents: no date (TIME-07), no PubDate tag (WEB-01)
            assert f["rule"] in ("TIME-07", "WEB-01") and key[2].startswith("/zwgk/zcwj/"), key
    # three stale columns and two blank ones stay below the 单项否决 counts (5, 10, 5)
    vetoes = [f for f in data["findings"] if (f["evidence"] or {}).get("indicator") == "veto"
              and f["rule"] in ("WEB-06", "WEB-07", "WEB-08")]
    assert not vetoes


def test_nothing_is_missing_on_incomplete_evidence(tmp_path):
    """The same missing 目录 and 统计信息 column, but robots.txt keeps the crawler out of one
    column of 法定主动公开内容: what is missing could be behind it, so 无法评估, not 违规."""
    site = indicator_site(tmp_path / "site", plant={"missing_catalogue", "missing_statistics"},
                          forbid=("/zwgk/zfcg/",))
    base, data = scan(site, tmp_path / "r.db", "--as-of", AS_OF.isoformat())
    found = {(f["rule"], f["status"]) for f in data["findings"]}
    assert ("WEB-12", "not_assessable") in found and ("WEB-15", "not_assessable") in found
    assert not [f for f in data["findings"] if f["status"] == "violation"
                and f["rule"] in INDICATOR_RULES]
    web15 = next(f for f in data["findings"] if f["rule"] == "WEB-15")
    assert "统计信息" in web15["message"] and "robots.txt" in web15["message"]


def test_undated_items_never_count_as_updates(planted):
    base, data, _ = planted
    undated = next(f for f in data["findings"] if f["rule"] == "WEB-06"
                   and path_of(f["location"]["url"], base) == "/zwgk/zcwj/")
    assert "均未注明发布时间（视为不更新）" in undated["message"]
    stale = next(f for f in data["findings"] if f["rule"] == "WEB-06"
                 and path_of(f["location"]["url"], base) == "/xwzx/gzdt/")
    newest = stale["evidence"]["newest"]
    assert newest["date"] == (AS_OF - dt.timedelta(days=25)).isoformat()
    assert newest["source"].startswith("文件页面发布日期")  # the best evidence, kept


def test_a_stored_run_re_audited_a_year_later(healthy, tmp_path):
    """The same bytes, judged as of a later day: every column stale, the home page too; with a
    local count of 3 the three stale 动态/通知公告/政策文件 columns are 单项否决. Audited again
    without --as-of: the crawl date again."""
    base, data, db, today = healthy
    run_id = data["context"]["run_id"]
    later = today + dt.timedelta(days=400)
    config = tmp_path / "auditor.toml"
    config.write_text('[rules."WEB-06"]\nveto_count = 3\n', "utf-8")
    code, out, _ = cli("audit", run_id, "--db", db, "--as-of", later, "--format", "json",
                       "--exit-zero", "--config", config)
    assert code == 0
    late = json.loads(out)
    assert late["context"]["as_of"] == later.isoformat()
    found = [(f["rule"], f["status"], f["severity"], path_of(f["location"]["url"], base))
             for f in late["findings"]]
    assert ("WEB-05", "violation", "critical", "/") in found
    # One severity a rule: the 单项否决 count is said by its message, at the rule's severity.
    assert {f[3] for f in found if f[:3] == ("WEB-06", "violation", "medium")} == {
        "/xwzx/gzdt/", "/zwgk/tzgg/", "/zwgk/zcwj/", "/"}
    assert any(f["rule"] == "WEB-06" and f["message"].startswith("单项否决")
               for f in late["findings"])
    assert ("WEB-07", "violation", "medium", "/zwgk/rsxx/") in found
    code, out, _ = cli("audit", run_id, "--db", db, "--format", "json", "--exit-zero")
    again = json.loads(out)
    assert again["context"]["as_of"] == today.isoformat()
    assert not [f for f in again["findings"] if f["status"] == "violation"]


# ---------------------------------------------------------------- the score


def test_score_of_the_planted_run(planted):
    base, data, db = planted
    run_id = data["context"]["run_id"]
    code, out, err = cli("score", run_id, "--db", db, "--format", "json")
    assert code == 0, err
    card = json.loads(out)
    assert card["as_of"] == AS_OF.isoformat() and card["verdict"] == "fail"
    veto = {line["item"]: line for line in card["veto"]}
    assert veto["首页不更新"]["result"] == "不合格" and veto["互动回应差"]["result"] == "不合格"
    assert veto["栏目不更新"]["result"] == "合格"  # below the counts
    assert veto["安全、泄密事故等严重问题"]["result"] == "需人工核查"
    assert "单项否决：首页不更新、互动回应差" in card["verdict_text"]
    lines = {line["item"]: line for line in card["deductions"]}
    update = lines["栏目更新"]
    # 3 WEB-06 + 1 WEB-07 stale columns, 1 point each (the default, unverified amount)
    assert update["result"] == "不合格" and update["points"] == 4
    assert sorted(f["rule"] for f in update["findings"]) == ["WEB-06"] * 3 + ["WEB-07"]
    assert all(f["points"] == 1 for f in update["findings"])
    assert lines["空白栏目"]["points"] == 2
    assert lines["链接可用性"]["result"] == "合格" and lines["首页可用性"]["result"] == "需人工核查"
    assert card["deducted"] == 6 and card["score"] == 94
    checks = {line["item"]: line["result"] for line in card["checks"]}
    assert checks["政府信息公开指南"] == checks["法定主动公开内容"] == "不合格"
    assert checks["政府信息公开工作年度报告"] == "合格"
    assert any("出处未核实" in note for note in card["notes"])


def test_score_text_and_configured_amounts(planted, tmp_path):
    _, data, db = planted
    run_id = data["context"]["run_id"]
    code, out, _ = cli("score", run_id, "--db", db)
    assert code == 0
    for text in ("一、单项否决指标", "二、扣分指标", "首页不更新：不合格", "栏目不更新：合格",
                 "信息更新情况／栏目更新：不合格  扣4分", "−1 WEB-06 违规", "结论  不合格",
                 "得分  100 − 6 = 94", f"检查基准日  {AS_OF}"):
        assert text in out, text
    config = tmp_path / "auditor.toml"
    config.write_text("[score]\npass_mark = 95\n[score.deductions]\nstale_column = 2.5\n",
                      "utf-8")
    code, out, _ = cli("score", run_id, "--db", db, "--config", config, "--format", "json")
    card = json.loads(out)
    assert {line["item"]: line["points"] for line in card["deductions"]}["栏目更新"] == 10
    assert card["score"] == 88 and "得分88低于95分" in card["verdict_text"]


def test_score_errors_are_one_line(planted, tmp_path):
    _, _, db = planted
    code, _, err = cli("score", "999", "--db", db)
    assert code == 2 and "没有运行编号 999" in err and err.count("\n") == 1
    code, _, err = cli("score", "--db", db)
    assert code == 2 and "--site" in err


@pytest.mark.parametrize("table, problem", [
    ({"score": {"bonus": 3}}, "未知键 'bonus'"),
    ({"score": {"deductions": {"stale_column": -1}}}, "应为不小于 0 的数"),
    ({"rules": {"WEB-06": {"news_pattern": "动态("}}}, "not a valid regular expression"),
    ({"rules": {"WEB-07": {"frequencies": [{"label": "x"}]}}}, "needs a pattern"),
    ({"rules": {"WEB-15": {"items": {"a": {"pattern": "x", "applies": ["city"]}}}}},
     "must list body types"),
])
def test_bad_indicator_config(table, problem):
    with pytest.raises(ConfigError, match=problem):
        config_from_dict(table)


def test_reports_carry_the_score(planted, tmp_path):
    _, data, db = planted
    site = data["context"]["site"]
    xlsx, page = tmp_path / "r.xlsx", tmp_path / "r.html"
    for fmt, path in (("xlsx", xlsx), ("html", page)):
        code, _, err = cli("report", "--db", db, "--site", site, "--format", fmt, "-o", path,
                           "--notice-date", "2026-07-01")
        assert code == 0, err
    ws = load_workbook(xlsx)["检查指标"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=2)]
    assert rows[0]["指标类型"] == "结论" and rows[0]["检查结果"].startswith("不合格")
    assert rows[0]["扣分"] == 6
    update = next(r for r in rows if r["二级指标"] == "栏目更新")
    assert update["检查结果"] == "不合格" and update["扣分"] == 4
    assert update["问题与证据"].count("−1 WEB-0") == 4
    html = page.read_text("utf-8")
    assert "检查指标评分（政府网站与政务新媒体检查指标）" in html
    assert "结论：不合格（单项否决：首页不更新、互动回应差）" in html
    assert "100 − 6 = <strong>94</strong>" in html and "需人工核查" in html


# ---------------------------------------------------------------- the score, from findings


def _f(rule, status="violation", *, veto=False, waived=None, url="http://x.gov.cn/a/",
       linked_from=None, severity="medium"):
    evidence = {"indicator": "veto"} if veto else {}
    if linked_from:
        evidence["linked_from"] = linked_from
    return {"rule": rule, "status": status, "severity": severity, "message": f"{rule} 的问题",
            "location": {"url": url}, "evidence": evidence, "waived": waived}


def _card(findings, *, rules_run=None, status="finished", score=None):
    from auditor.rules import REGISTRY
    from auditor.score import build_scorecard

    stats = {"as_of": "2026-06-30",
             "rules_run": sorted(REGISTRY) if rules_run is None else rules_run}
    return build_scorecard(findings, site="s", run_id=1, start_url="http://x.gov.cn/",
                           run_status=status, stats=stats, config_score=score)


def _line(card, name):
    return next(line for line in card.lines if line.item.name == name)


def test_score_is_never_a_silent_pass():
    card = _card([])
    assert card.verdict == "no_fail_found" and "不能据此认定合格" in card.verdict_text
    assert _line(card, "首页不更新").result == "合格"
    assert _line(card, "服务不实用").result == "需人工核查"
    # a rule that did not run is not a pass
    card = _card([], rules_run=["WEB-06"])
    assert _line(card, "首页不更新").result == "未运行"
    # a run audited before the rules were recorded: nothing is known
    from auditor.score import build_scorecard

    old = build_scorecard([], site="s", run_id=1, start_url="u", run_status="finished",
                          stats={})
    assert {line.result for line in old.lines} <= {"未运行", "需人工核查"}
    # a failed run checked nothing
    failed = _card([], status="failed")
    assert failed.verdict == "not_checked" and "抓取失败" in failed.verdict_text
    assert _line(failed, "首页不更新").result == "无法评估"


def test_score_waived_not_assessable_and_traced_deductions():
    findings = [
        _f("WEB-05", veto=True, severity="critical", waived="首页改版，经批准暂停两周"),
        _f("WEB-16", "not_assessable", veto=True),
        _f("WEB-06", url="http://x.gov.cn/b/"), _f("WEB-06", url="http://x.gov.cn/c/"),
        _f("WEB-06", "not_assessable", url="http://x.gov.cn/d/"),
        _f("WEB-10", url="http://x.gov.cn/1.html", linked_from="http://x.gov.cn/"),
        _f("WEB-10", url="http://x.gov.cn/2.html", linked_from="http://x.gov.cn/a/"),
        _f("WEB-10", "needs_review", url="http://x.gov.cn/3.html", linked_from="http://x.gov.cn/"),
    ]
    card = _card(findings, score={"caps": {"column_update": 1.5}})
    home = _line(card, "首页不更新")
    assert home.result == "已豁免" and home.findings[0].waived.startswith("首页改版")
    assert _line(card, "互动回应差").result == "无法评估"
    update = _line(card, "栏目更新")
    assert update.result == "不合格" and update.points == 1.5 and update.capped
    assert "另有部分内容无法评估" in update.note and "上限1.5分" in update.note
    links = _line(card, "链接可用性")
    assert [(f.points, f.note) for f in links.findings] == [
        (1.0, "首页链接"), (0.1, "其他页面链接"), (0.0, "")]
    assert card.deducted == pytest.approx(2.6) and card.verdict == "no_fail_found"
    # the counts that stay below 单项否决 are said
    assert "WEB-06 2个" in _line(card, "栏目不更新").note
