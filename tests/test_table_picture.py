"""The table as a picture: for a table or narrative finding the HTML report redraws 表二/三/四 as
the report printed them and marks the cells of the broken identity, the readings of an
ambiguous cell and the sentence of a narrative finding, so an inspector sees the problem before
reading the sentence. Checked in the markup, then in headless Chromium with a CJK font: the
marked cell is drawn in its colour on the screenshot."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from rulecases import build
from test_people_reports import _browser, _chromium

from auditor.audit import check_report
from auditor.config import Config
from auditor.history import SiteReport, TrackedFinding
from auditor.reports.html_out import render_html
from auditor.reports.table_picture import marks_of, paragraph_of, picture_of
from auditor.store import RunRecord

URL = "http://www.example.gov.cn/zwgk/nb/t20250120_1.html"


def _report():
    """The case files' consistent report with three planted problems: 行政复议 总计 4 for
    3 + 1 + 1 + 0, 予以公开 总计 one too many, and a run-together 上年结转 row."""
    report = build({"table4": {"review": {"upheld": 3, "corrected": 1, "other": 1,
                                          "pending": 0, "total": 4}}})
    return report


def _findings(report, rules=("ARI",)):
    result = check_report(report, config=Config(select=list(rules)))
    return [f for f in result.findings]


def _site(findings) -> SiteReport:
    run = RunRecord(3, "county", "http://www.example.gov.cn/", "2025-06-30T02:00:00+00:00",
                    "2025-06-30T02:30:00+00:00", "finished", {}, {"coverage": {}})
    tracked = [TrackedFinding({**f.to_dict(), "location": {**f.to_dict()["location"],
                                                           "url": URL}}, "new", "2025-06-30", 3)
               for f in findings]
    return SiteReport("0001", "某县人民政府", "government", "1101010001", run, None, tracked,
                      {"pages_total": 3, "pages_fetched": 3, "documents": 1, "reports": 1,
                       "complete": True}, run_number=1)


def test_broken_identity_marks_its_cells():
    report = _report()
    ari = [f for f in _findings(report) if f.rule == "ARI-04"]
    assert ari and ari[0].status == "violation"
    marks = marks_of(ari[0].to_dict(), report)
    assert marks["table4.review.total"] == "target"
    assert {marks[f"table4.review.{c}"] for c in ("upheld", "corrected", "other", "pending")} \
        == {"broken"}
    assert "table4.litigation_direct.total" not in marks


def test_picture_is_the_printed_table_with_its_labels():
    report = _report()
    finding = [f for f in _findings(report) if f.rule == "ARI-04"][0].to_dict()
    picture = picture_of(finding, report)
    (grid,) = picture["grids"]
    texts = [c["text"] for row in grid["rows"] for c in row]
    assert "行政复议" in texts and "未经复议直接起诉" in texts and "复议后起诉" in texts
    data = grid["rows"][-1]
    assert [c["text"] for c in data[:5]] == ["3", "1", "1", "0", "4"]
    assert data[4]["mark"] == "target" and data[0]["mark"] == "broken"
    assert data[4]["label"] == "表四 行政复议 / 总计"


def test_table3_picture_has_every_row_in_printed_order():
    report = build({"table3": {"open": {"total": 31}}})
    finding = [f for f in _findings(report) if f.rule == "ARI-02"][0].to_dict()
    (grid,) = picture_of(finding, report)["grids"]
    labels = [row[0]["text"] for row in grid["rows"][3:]]
    assert labels[:4] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                          "三、本年度办理结果", "（一）予以公开"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert "1.本机关不掌握相关政府信息" in labels and "（四）无法提供" in labels
    open_row = grid["rows"][3 + labels.index("（一）予以公开")]
    assert open_row[-1]["mark"] == "target" and open_row[-1]["text"] == "31"


def test_candidates_of_an_ambiguous_cell_are_marked_with_their_readings():
    report = build({"table4": {"review": {"total": {"value": None, "method": "split",
                                                    "options": [4, 5]}}}})
    finding = [f for f in _findings(report) if f.rule == "ARI-04"][0].to_dict()
    (grid,) = picture_of(finding, report)["grids"]
    total = grid["rows"][-1][4]
    assert total["text"] == "？" and total["note"] == "可能为4/5"


def test_narrative_sentence_is_marked_in_its_paragraph():
    report = build({"sections": {"1": "一、总体情况\n本年度共收到政府信息公开申请99件，均已按时答复。"
                                      "下一步将继续做好依申请公开工作。"}})
    finding = [f for f in _findings(report, ("TXT",)) if f.rule == "TXT-01"][0].to_dict()
    picture = picture_of(finding, report)
    (paragraph,) = picture["paragraphs"]
    assert "99件" in paragraph["sentence"] and paragraph["heading"] == "一、总体情况"
    assert paragraph_of(report, "没有这句话") is None
    assert "table3.new_received.total" in marks_of(finding, report)


def _html(findings, report) -> str:
    return render_html([_site(findings)], generated=dt.date(2025, 6, 30),
                       parsed={URL: report})


def test_html_draws_the_table_before_the_sentence():
    report = _report()
    html = _html(_findings(report), report)
    article = html[html.index("ARI-04"):]
    article = article[:article.index("</article>")]
    assert article.index('class="report-table"') < article.index('class="message"')
    assert re.search(r'<td class="num m-target"[^>]*>4</td>', article)
    assert "表四 政府信息公开行政复议、行政诉讼情况（按报告原表重建）" in article


def _cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(out.stdout.strip())


def test_picture_in_headless_chromium(tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no headless browser: install Debian's chromium (make test does, as root)")
    if not _cjk_font():
        pytest.skip("no CJK font: install Debian's fonts-noto-cjk (make test does, as root); "
                    "without it the labels are drawn as boxes")
    report = _report()
    findings = [f for f in _findings(report) if f.rule == "ARI-04"]
    page = tmp_path / "report.html"
    page.write_text(_html(findings, report), encoding="utf-8")
    png = tmp_path / "report.png"
    shot = _chromium(browser, tmp_path / "profile", f"--screenshot={png}",
                     "--window-size=1280,1400", page.as_uri())
    assert png.exists(), shot.stderr[-2000:]
    from PIL import Image

    with Image.open(png) as image:
        colours = dict((c, n) for n, c in image.convert("RGB").getcolors(maxcolors=1 << 22))
    # The target cell's fill and the yellow of the identity's other cells are on the page.
    assert colours.get((255, 210, 204), 0) > 200, "the marked cell is not drawn"
    assert colours.get((255, 224, 138), 0) > 400, "the identity's cells are not drawn"
    dom = _chromium(browser, tmp_path / "profile2", "--dump-dom", page.as_uri()).stdout
    assert "本项所指单元格" in dom and 'class="num m-target"' in dom
