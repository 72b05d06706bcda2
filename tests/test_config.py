"""auditor.toml: discovery, selection, severities, rule options, waivers, bad files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from auditor.audit import check, exit_code
from auditor.cli import main
from auditor.config import ConfigError, load_config

REPORTS = Path(__file__).parent / "fixtures" / "reports"
DEFECTIVE = REPORTS / "pdf-layout-xinglan-district-2023.txt"


def test_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.path is None and config.select == ["ALL"] and config.fail_on == "high"


def test_discovered_upward(tmp_path, monkeypatch):
    (tmp_path / "auditor.toml").write_text('ignore = ["STR-06"]\n', "utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    config = load_config()
    assert config.path == tmp_path / "auditor.toml" and config.ignore == ["STR-06"]


def test_pyproject_tool_section(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nfail_on = "low"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config().fail_on == "low"


def test_default_config_file_is_valid():
    from auditor.config import DEFAULT_CONFIG

    config = load_config(DEFAULT_CONFIG)
    assert config.select == ["ALL"] and "TIME-03" in config.rule_options


@pytest.mark.parametrize("text, problem", [
    ("select = [", "不是有效的 TOML"),
    ('select = ["NOPE-1"]', "相符的规则"),
    ('[severity]\n"ARI-01" = "urgent"', "未知的严重程度"),
    ('[rules."TIME-03"]\nbogus = 1', "未知选项"),
    ('[[waivers]]\nrule = "ARI-01"', "需要 rule（规则）和 reason（理由）"),
    ('fail_on = "everything"', "未知的严重程度"),
])
def test_bad_config_is_one_line_error(tmp_path, capsys, text, problem):
    path = tmp_path / "auditor.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_config(path)
    code = main(["check", str(DEFECTIVE), "--config", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and err.count("\n") == 1


def test_severity_override_and_waiver(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text(
        '[severity]\n"STR-02" = "critical"\n'
        '[[waivers]]\nrule = "STR-11"\nreason = "标签已在原件更正"\n', "utf-8")
    result = check(str(DEFECTIVE), config=str(path))
    str02 = [f for f in result.findings if f.rule == "STR-02"]
    assert str02 and all(f.severity == "critical" for f in str02)
    str03 = [f for f in result.findings if f.rule == "STR-11"]
    assert str03 and all(f.waived == "标签已在原件更正" for f in str03)
    assert exit_code(result) == 1  # the critical STR-02 fails the default threshold
    assert result.counts()["waived"] == len(str03)


def test_expired_waiver_is_ignored(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text('[[waivers]]\nrule = "STR-11"\nreason = "临时"\nexpires = 2020-01-01\n',
                    "utf-8")
    result = check(str(DEFECTIVE), config=str(path), today=dt.date(2026, 1, 1))
    assert all(f.waived is None for f in result.findings)


def test_waiver_by_location_only_covers_that_location(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text('[[waivers]]\nrule = "STR-11"\nlocation = "elsewhere.html"\nreason = "x"\n',
                    "utf-8")
    result = check(str(DEFECTIVE), config=str(path))
    assert all(f.waived is None for f in result.findings if f.rule == "STR-11")


def test_waived_findings_stay_visible_in_json(tmp_path, capsys):
    path = tmp_path / "auditor.toml"
    path.write_text('[[waivers]]\nrule = "STR-02"\nreason = "已报备"\n', "utf-8")
    main(["check", str(DEFECTIVE), "--config", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    waived = [f for f in data["findings"] if f["waived"]]
    assert waived and data["summary"]["waived"] == len(waived)


def test_rule_options_reach_the_rule(tmp_path):
    from auditor.audit import check_report
    from auditor.config import Config
    from auditor.parse import parse_report

    report = parse_report((REPORTS / "seed-qingshi-township-2024.txt").read_bytes())
    strict = Config(select=["TIME-03"], rule_options={"TIME-03": {"deadline": "01-10"}})
    found = check_report(report, unit_type="township", config=strict).findings
    assert [f.status for f in found] == ["violation"]  # published 2025-01-16 > 01-10
    default = check_report(report, unit_type="township", config=Config(select=["TIME-03"]))
    assert default.findings == []


def test_a_failing_rule_is_not_assessable_not_a_traceback(monkeypatch):
    from auditor.audit import check_report
    from auditor.config import Config
    from auditor.parse import parse_report
    from auditor.rules.arithmetic import Table4Totals

    def broken(self, ctx):
        raise ZeroDivisionError("boom")
        yield

    monkeypatch.setattr(Table4Totals, "check", broken)
    report = parse_report((REPORTS / "demo-county-2024.html").read_bytes())
    result = check_report(report, config=Config(select=["ARI"]))
    failed = [f for f in result.findings if f.rule == "ARI-04"]
    assert [f.status for f in failed] == ["not_assessable"] and "boom" in failed[0].evidence["error"]
