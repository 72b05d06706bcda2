"""The command line: output formats, exit codes, one-line errors, URLs via responses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import responses

from auditor.cli import main

REPORTS = Path(__file__).parent / "fixtures" / "reports"
CLEAN = REPORTS / "demo-county-2024.html"          # consistent report: no violation
DEFECTIVE = REPORTS / "pdf-layout-xinglan-district-2023.txt"  # old （六） row + label typo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_has_schema_keys(capsys):
    code, out, err = run(capsys, "parse", CLEAN)
    assert code == 0 and err == ""
    data = json.loads(out)
    for key in ("title", "issuer", "year", "format", "published", "sections", "table2",
                "table3", "table4"):
        assert key in data
    assert data["year"] == 2024 and data["format"] == "2021"
    assert data["provenance"]["table3.new_received.total"]["raw"]


def test_parse_human_is_chinese(capsys):
    code, out, _ = run(capsys, "parse", CLEAN, "--format", "human")
    assert code == 0
    assert "表三 收到和处理政府信息公开申请情况" in out and "鹤鸣县" in out


@pytest.mark.parametrize("name, message", [
    ("does-not-exist.html", "文件不存在"),
    ("random-bytes.bin", "二进制"),
    ("fake-pdf.pdf", "PDF"),
    ("empty.txt", "为空"),
    ("news-article-not-a-report.txt", "年度报告"),
])
def test_unreadable_input_is_one_line_exit_2(capsys, name, message):
    code, out, err = run(capsys, "parse", REPORTS / name)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and name in err
    assert "Traceback" not in err


def test_directory_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "check", tmp_path)
    assert code == 2 and "是目录" in err


@responses.activate
def test_parse_url(capsys):
    url = "http://www.example.gov.cn/zwgk/nb/t20250122_1.html"
    responses.add(responses.GET, url, body=CLEAN.read_bytes(), content_type="text/html")
    code, out, _ = run(capsys, "parse", url)
    assert code == 0 and json.loads(out)["source"] == url


@responses.activate
@pytest.mark.parametrize("status", [404, 500, 412])
def test_url_http_error(capsys, status):
    url = "http://www.example.gov.cn/missing.html"
    responses.add(responses.GET, url, status=status)
    code, out, err = run(capsys, "check", url)
    assert code == 2 and out == "" and f"HTTP {status}" in err and url in err


@responses.activate
def test_url_connection_error(capsys):
    import requests

    url = "http://unreachable.example.gov.cn/"
    responses.add(responses.GET, url, body=requests.ConnectionError("refused"))
    code, _, err = run(capsys, "parse", url)
    assert code == 2 and "无法访问" in err


def test_check_exit_codes(capsys):
    assert run(capsys, "check", CLEAN)[0] == 0
    code, out, _ = run(capsys, "check", DEFECTIVE, "--fail-on", "medium")
    assert code == 1 and "STR-02" in out
    assert run(capsys, "check", DEFECTIVE, "--fail-on", "medium", "--exit-zero")[0] == 0
    # The defects here are medium and low: the default threshold (high) passes.
    assert run(capsys, "check", DEFECTIVE)[0] == 0
    assert run(capsys, "check", DEFECTIVE, "--fail-on", "low")[0] == 1


def test_check_json_format(capsys):
    code, out, _ = run(capsys, "check", DEFECTIVE, "--format", "json", "--exit-zero")
    data = json.loads(out)
    assert code == 0 and data["findings"]
    for finding in data["findings"]:
        assert {"rule", "status", "severity", "message", "location", "evidence",
                "legal_basis", "fingerprint"} <= finding.keys()
        assert finding["status"] in ("violation", "needs_review", "not_assessable")
    rules = {f["rule"] for f in data["findings"]}
    assert {"STR-02", "STR-11"} <= rules
    assert data["coverage"]["documents"] == 1


def test_check_csv_format(capsys):
    _, out, _ = run(capsys, "check", DEFECTIVE, "--format", "csv")
    assert out.startswith("\ufeff")  # the BOM Excel on Chinese Windows needs
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows and {"rule", "status", "message", "fingerprint"} <= rows[0].keys()


def test_check_sarif_format(capsys):
    _, out, _ = run(capsys, "check", DEFECTIVE, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    ids = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert all(r["ruleId"] in ids for r in run_["results"])
    assert all(r["partialFingerprints"]["zwgkFingerprint/v2"] for r in run_["results"])


def test_check_output_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "check", CLEAN, "--format", "json", "--output", target)
    assert code == 0 and out == "" and json.loads(target.read_text("utf-8"))["findings"] is not None


def test_select_and_ignore(capsys):
    _, out, _ = run(capsys, "check", DEFECTIVE, "--format", "json", "--select", "STR-11")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"STR-11"}
    _, out, _ = run(capsys, "check", DEFECTIVE, "--format", "json", "--ignore", "structure")
    assert not any(f["rule"].startswith("STR") for f in json.loads(out)["findings"])


def test_previous_runs_cross_year_rules(capsys):
    _, out, _ = run(capsys, "check", CLEAN, "--previous", CLEAN, "--format", "json")
    findings = json.loads(out)["findings"]
    # Same report given as its own previous year: the years do not follow each other.
    assert any(f["rule"] == "XY-01" and f["status"] == "not_assessable" for f in findings)


def test_bad_published_date(capsys):
    code, _, err = run(capsys, "check", CLEAN, "--published", "2025-13-40")
    assert code == 2 and "2025-13-40" in err and err.count("\n") == 1


def test_bad_arguments(capsys):
    code, _, err = run(capsys, "check")
    assert code == 2 and "缺少必需的参数" in err
    assert run(capsys, "nonsense")[0] == 2
    assert run(capsys, "check", CLEAN, "--unit-type", "ministry")[0] == 2


def test_rules_and_rule(capsys):
    from auditor.rules import REGISTRY

    code, out, _ = run(capsys, "rules")
    assert code == 0 and all(code_ in out for code_ in REGISTRY)
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert {r["code"] for r in json.loads(out)} == set(REGISTRY)
    code, out, _ = run(capsys, "rule", "ari-01")
    assert code == 0 and "ARI-01" in out and "为什么：" in out and "依据：" in out
    code, out, _ = run(capsys, "rule", "arithmetic.table4_totals")
    assert code == 0 and "ARI-04" in out
    code, _, err = run(capsys, "rule", "NOPE-99")
    assert code == 2 and "NOPE-99" in err


# ---------------------------------------------------------------- the audit date (--as-of)


def _stored_run(db: Path, started_at: str) -> int:
    """A run stored without crawling: one home page, started at ``started_at`` (UTC)."""
    from auditor.store import Store

    with Store(db) as store:
        run_id = store.start_run("example", "http://www.example.gov.cn/", {},
                                 started_at=started_at)
        store.add_page(run_id, url="http://www.example.gov.cn/", kind="home", outcome="ok",
                       status=200, reached_as="home",
                       body="<html><head><title>某县人民政府</title></head><body>首页</body></html>"
                       .encode())
        store.finish_run(run_id, "finished", {})
    return run_id


def test_audit_defaults_to_the_crawl_date_in_china_time(capsys, tmp_path):
    from auditor.store import Store

    db = tmp_path / "a.db"
    # 2026-03-31 20:30 UTC is already 1 April in China
    run_id = _stored_run(db, "2026-03-31T20:30:00+00:00")
    code, out, _ = run(capsys, "audit", run_id, "--db", db, "--format", "json", "--exit-zero")
    assert code == 0 and json.loads(out)["context"]["as_of"] == "2026-04-01"
    with Store(db) as store:
        assert store.run(run_id).stats["as_of"] == "2026-04-01"
        assert "TIME-01" in store.run(run_id).stats["rules_run"]
    code, out, _ = run(capsys, "audit", run_id, "--db", db, "--as-of", "2025-06-30",
                       "--format", "json", "--exit-zero")
    assert json.loads(out)["context"]["as_of"] == "2025-06-30"
    code, out, _ = run(capsys, "audit", run_id, "--db", db, "--exit-zero")
    assert "检查基准日  2026-04-01" in out  # again the crawl date: the same audit every time


def test_as_of_must_be_a_date(capsys, tmp_path):
    code, out, err = run(capsys, "audit", "1", "--db", tmp_path / "x.db", "--as-of", "2025-13-01")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--as-of" in err and "不是日期" in err


def test_check_as_of_is_in_the_context(capsys):
    code, out, _ = run(capsys, "check", CLEAN, "--as-of", "2025-02-01", "--format", "json")
    assert json.loads(out)["context"]["as_of"] == "2025-02-01"


@pytest.mark.parametrize("argv, expected", [
    (["scan", "http://x.gov.cn/", "--max-pages", "abc"], "参数 --max-pages：'abc' 不是整数"),
    (["frobnicate"], "没有 'frobnicate' 这一项"),
    (["scan", "http://x.gov.cn/", "--bogus"], "无法识别的参数：--bogus"),
    (["rule"], "缺少必需的参数"),
    (["scan", "http://x.gov.cn/", "--delay"], "参数 --delay 需要一个值"),
])
def test_usage_errors_are_one_chinese_line(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_the_command_exits_with_main_s_code():
    """``auditor`` runs :func:`auditor.cli.run`: main's exit code, objects frozen at exit."""
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "auditor.cli", "--version"],
                        capture_output=True, text=True)
    bad = subprocess.run([sys.executable, "-m", "auditor.cli", "scan"],
                         capture_output=True, text=True)
    assert ok.returncode == 0 and "zwgk-auditor" in ok.stdout
    assert bad.returncode == 2 and "auditor scan" in bad.stderr
