"""One vocabulary: what a person reads names tables, rows, columns and cells as the national
format prints them, and is Chinese throughout.

Every rule's findings over its case files (tests/fixtures/rules) are rendered in every format
— human, CSV, SARIF, JSON, the HTML report, the Excel 整改清单 — and the text a person reads is
searched for schema keys and English words. Allowed: rule codes, URLs and file paths, and the
few proper names that are written in Latin letters in Chinese government practice too (HTTP,
PDF, robots.txt, the 网页标签 names of the 政府网站发展指引 …). Machine fields (JSON keys, the
CSV's machine columns, SARIF ids) keep their keys beside the labels.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from functools import lru_cache

import pytest
from openpyxl import load_workbook
from rulecases import case_findings, load_cases

from auditor import vocabulary
from auditor.engine import AuditResult
from auditor.findings import Location
from auditor.history import SiteReport, TrackedFinding
from auditor.models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS
from auditor.parse.labels import TABLE2_2019, TABLE2_2021, TABLE3_ROWS
from auditor.reports import render
from auditor.reports.html_out import render_html
from auditor.reports.xlsx_out import render_rectification_xlsx
from auditor.rules import REGISTRY
from auditor.store import RunRecord

#: Words in Latin letters a Chinese inspector's documents use as they are.
ALLOWED_WORDS = {
    # protocols, formats and files
    "HTTP", "HTTPS", "PDF", "URL", "robots", "txt", "Word", "WPS", "Excel", "OFD", "MB", "KB",
    "JSON", "ICP", "IP", "ZIP", "Office", "OCR", "gzip",
    # page tags of the 政府网站发展指引 (网页标签) and their values
    "SiteName", "SiteDomain", "SiteIDCode", "SiteIdCode", "ColumnName", "ColumnType",
    "ColumnDescription", "ColumnKeywords", "ArticleTitle", "PubDate", "ContentSource",
    "Keywords", "Author", "Description", "Image", "Url", "meta", "name", "content",
    # CMS families and their list machinery, named as their vendors do (cue of SCAN-01)
    "TRS", "Hanweb", "jcms", "jpage", "proxyUrl", "ajaxParam", "gkmlpt", "UCAP", "JPAAS", "IRS",
    "createPageHTML", "InitData", "datastore", "nextgroup", "ajax", "API", "xxgk",
    "www", "gov", "cn", "html", "htm", "shtml", "index", "example", "com",
    # the 网站标识码 of a department is written bm + 8 digits
    "bm",
}
URL = re.compile(r"(?:https?|file)://\S+|\bcase:\S+|[\w-]+(?:\.[\w-]+)*\.(?:cn|com|net|org)\b|(?:/[\w.\-#%?=&]+)+/?|\b[\w.-]+\.(?:html?|pdf|docx?|"
                 r"xlsx?|txt|wps)\b")
CODE = re.compile(r"\b(?:TIME|STR|ARI|TXT|XY|WEB|SCAN)-\d{2}\b|\bzwgk-auditor\b")
WORD = re.compile(r"[A-Za-z][A-Za-z_.]*[A-Za-z]|[A-Za-z]")


def schema_keys() -> set[str]:
    """Every key word of the report schema (rows, columns, tables)."""
    keys = {"table2", "table3", "table4", *TABLE3_COLUMNS, *TABLE4_COLUMNS, *TABLE4_GROUPS}
    for spec in (TABLE2_2019, TABLE2_2021):
        for row, (_, columns) in spec.items():
            keys |= {row, *columns}
    for row in TABLE3_ROWS:
        keys |= set(row.split("."))
    return keys


def foreign_words(text: str) -> list[str]:
    """Latin-letter words of ``text`` that are not rule codes, URLs or allowed names."""
    text = CODE.sub(" ", URL.sub(" ", text))
    found = []
    for word in WORD.findall(text):
        parts = [p for p in re.split(r"[._]", word) if p]
        if word in ALLOWED_WORDS or all(p in ALLOWED_WORDS for p in parts):
            continue
        if len(word) == 1 and word in "xX":  # 2×3 written with a letter
            continue
        found.append(word)
    return found


@lru_cache(maxsize=1)
def all_findings() -> list:
    findings = []
    for code, case in load_cases():
        findings += case_findings(code, case)
    return findings


def _result(findings) -> AuditResult:
    return AuditResult(list(findings), ["report.html"], sorted({f.rule for f in findings}),
                       {"documents": 1, "complete": False},
                       {"report": {"source": "report.html", "title": "某县2024年政府信息公开工作年度报告",
                                   "issuer": "某县人民政府", "year": 2024, "format": "2021"},
                        "unit_type": "government", "unit_type_source": "configured",
                        "published": "2025-01-20", "published_from": "页面发布日期",
                        "as_of": "2025-06-30"})


def _site_report(findings) -> SiteReport:
    run = RunRecord(7, "county", "http://www.example.gov.cn/", "2025-06-30T02:00:00+00:00",
                    "2025-06-30T02:30:00+00:00", "finished", {}, {"coverage": {}})
    tracked = [TrackedFinding(f.to_dict(), "new", "2025-06-30", 7) for f in findings]
    return SiteReport("0001", "某县人民政府", "government", "1101010001", run, None, tracked,
                      {"pages_total": 10, "pages_fetched": 10, "documents": 5, "reports": 1,
                       "complete": True}, run_number=1)


def _visible_html(html: str) -> str:
    html = re.sub(r"<(style|head)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            .replace("&#34;", '"').replace("&#39;", "'").replace("&quot;", '"'))


def _problems(where: str, text: str) -> list[str]:
    keys = schema_keys()
    problems = []
    for line in text.splitlines():
        words = foreign_words(line)
        if words:
            flagged = [w for w in words if w in keys or "." in w]
            problems.append(f"{where}: {'、'.join(flagged or words)} in {line.strip()[:160]!r}")
    return problems


def _check(where: str, text: str) -> None:
    problems = _problems(where, text)
    assert not problems, f"{len(problems)} lines:\n" + "\n".join(problems[:40])


def test_every_rule_has_findings_to_render():
    rules = {f.rule for f in all_findings()}
    # Every rule has at least one case that finds something (the registry test asks for
    # failing cases); so every rule's wording is under this test.
    assert rules == set(REGISTRY), set(REGISTRY) - rules


def test_human_output_has_no_schema_key_or_english_word():
    _check("human", render(_result(all_findings()), "human"))


def test_csv_text_columns_have_no_schema_key_or_english_word():
    text = render(_result(all_findings()), "csv")
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads UTF-8 only with a BOM
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows
    for row in rows:
        for column in ("status_cn", "severity_cn", "message", "location_label", "legal_basis",
                       "evidence_cn"):
            _check(f"csv {column}", row[column])


def test_sarif_messages_have_no_schema_key_or_english_word():
    sarif = json.loads(render(_result(all_findings()), "sarif"))
    for result in sarif["runs"][0]["results"]:
        _check("sarif", result["message"]["text"])


def test_json_keeps_keys_and_adds_labels():
    data = json.loads(render(_result(all_findings()), "json"))
    located = [f for f in data["findings"] if f["location"]["table"]]
    assert located
    for finding in located:
        loc = finding["location"]
        assert {"url", "section", "table", "row", "column", "line", "page", "label"} <= loc.keys()
        _check("json location.label", loc["label"])
        _check("json message", finding["message"])


def test_html_report_has_no_schema_key_or_english_word():
    html = render_html([_site_report(all_findings())], generated=dt.date(2025, 6, 30))
    _check("html", _visible_html(html))


def test_xlsx_has_no_schema_key_or_english_word():
    data = render_rectification_xlsx([_site_report(all_findings())],
                                     notice_date=dt.date(2025, 7, 1))
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    _check(f"xlsx {ws.title}", value)


# ---------------------------------------------------------------- the vocabulary itself

@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_cell_of_both_formats_has_a_label(fmt):
    spec = TABLE2_2019 if fmt == "2019" else TABLE2_2021
    keys = [f"table2.{row}.{col}" for row, (_, cols) in spec.items() for col in cols]
    keys += [f"table3.{row}.{col}" for row in TABLE3_ROWS for col in TABLE3_COLUMNS]
    keys += [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    for key in keys:
        for short in (False, True):
            label = vocabulary.cell_label(key, fmt, short=short)
            assert not foreign_words(label) and "未列入" not in label, (key, label)


def test_labels_are_the_formats_own_words():
    assert vocabulary.cell_label("table3.unavailable.not_held.natural_person") == \
        "表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 / 自然人"
    assert vocabulary.cell_label("table2.normative.issued", "2021") == \
        "表二 第二十条第（一）项 行政规范性文件 / 本年制发件数"
    assert vocabulary.cell_label("table2.normative.made", "2019") == \
        "表二 第二十条第（一）项 规范性文件 / 本年新制作数量"
    assert vocabulary.cell_label("table2.procurement.amount") == \
        "表二 第二十条第（九）项 政府集中采购 / 采购总金额"
    assert vocabulary.cell_label("table2.fees.amount") == \
        "表二 第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）"
    assert vocabulary.cell_label("table4.litigation_after_review.pending") == \
        "表四 行政诉讼（复议后起诉） / 尚未审结"
    assert vocabulary.cell_label("prev:table3.carried_out.total", short=True) == \
        "上年报告表三结转下年度/总计"
    assert vocabulary.label_keys("table4.review.total == table4.review.upheld") == \
        "表四行政复议/总计 = 表四行政复议/结果维持"


def test_location_describes_itself_in_the_reports_words():
    loc = Location(url="nb.pdf", table="table3", row="unavailable.not_held",
                   column="natural_person", line=12, page=4)
    assert loc.describe() == \
        "表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 / 自然人（第4页第12行）"
    assert Location(table="table3", column="total").describe() == "表三 “总计”列"
    assert Location(section="5").describe() == "第五部分"
    assert loc.to_dict()["label"] and loc.to_dict()["table"] == "table3"


@pytest.mark.parametrize(("word", "key"), [("部门", "department"), ("政府", "government"),
                                           ("乡镇", "township"), ("街道", "township"),
                                           ("其他", "other"), ("department", "department")])
def test_unit_type_words(word, key):
    assert vocabulary.unit_type_key(word) == key


def test_unknown_unit_type_word_is_a_chinese_error():
    with pytest.raises(ValueError, match="部门、政府、乡镇、街道、其他"):
        vocabulary.unit_type_key("county")


def test_csv_file_round_trips_through_a_spreadsheet(tmp_path):
    """Written by the CLI, the CSV starts with the UTF-8 BOM and reads back (as a spreadsheet
    program reads it: BOM-aware UTF-8) with the Chinese intact, into a workbook and out."""
    from openpyxl import Workbook

    from auditor.cli import main

    report = tmp_path / "检查结果.csv"
    fixture = "tests/fixtures/reports/pdf-layout-xinglan-district-2023.txt"
    assert main(["check", fixture, "--format", "csv", "-o", str(report), "--exit-zero"]) == 0
    data = report.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "rule" and len(rows) > 1
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "检查结果.xlsx"
    wb.save(path)
    back = [[c if c is not None else "" for c in r]
            for r in load_workbook(path).active.iter_rows(values_only=True)]
    assert back == rows
    header = rows[0]
    messages = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert any("行标签有误" in m["message"] and m["status_cn"] == "违规" for m in messages)
    assert any(m["location_label"].startswith("表三") for m in messages)



@pytest.mark.parametrize("name", ["flat-dongjia-county-2019.txt", "demo-county-2024.html",
                                  "trs-lanxi-county-2023.html",
                                  "pdf-layout-xinglan-district-2023.txt"])
def test_parse_human_names_rows_and_columns_by_label(name):
    from pathlib import Path

    from auditor.parse import parse_report
    from auditor.reports.parsed import render_report

    data = (Path(__file__).parent / "fixtures" / "reports" / name).read_bytes()
    text = render_report(parse_report(data, source=name))
    _check(f"parse {name}", text)


def test_parse_warnings_are_chinese():
    from pathlib import Path

    from auditor.parse import parse_report

    seen = 0
    for path in sorted((Path(__file__).parent / "fixtures" / "reports").glob("*.*")):
        if path.suffix not in (".txt", ".html"):
            continue
        report = parse_report(path.read_bytes(), source=path.name)
        for warning in report.warnings:
            seen += 1
            _check(f"parse warning {path.name}", warning)
        for key, cell in report.iter_cells():
            if cell.warning:
                _check(f"cell warning {path.name} {key}", cell.warning)
    assert seen


def test_cell_raw_is_the_cells_own_text():
    from pathlib import Path

    from auditor.parse import parse_report

    data = (Path(__file__).parent / "fixtures" / "reports" / "flat-haiyu-city-2023.txt")
    report = parse_report(data.read_bytes())
    split = [c for _, c in report.iter_cells() if c.method == "split" and c.value is not None]
    assert split
    for cell in split:
        assert cell.raw == str(cell.value) and cell.run and cell.raw in cell.run.replace(" ", "")


def test_unknown_key_raises_with_the_nearest_key():
    from auditor.models import AnnualReport

    report = AnnualReport()
    assert report.value("table3.new_received.total") is None  # a real key the report lacks
    with pytest.raises(KeyError, match="table3.new_received.total"):
        report.cell("table3.new_recieved.total")
    with pytest.raises(KeyError, match="table2.rules.issued"):
        report.value("table2.rules.issue")
    with pytest.raises(KeyError):
        report.cell("table5.anything")
