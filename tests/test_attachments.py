"""Reports published as attachments: PDF, Word (.docx/.doc), spreadsheets, images, and broken
files. The fixtures are ours, written by tests/fixtures/make_attachments.py (an invented
report, 云溪县 2024); ``EXPECTED`` there is what every readable one must parse to."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

import docx
import pytest
import responses

from auditor.audit import check_report
from auditor.cli import main
from auditor.config import Config
from auditor.findings import Status
from auditor.parse import parse_report
from auditor.parse import pdf as pdf_module
from auditor.parse.attachments import sniff_attachment
from auditor.parse.layout import Char, lay_out
from auditor.parse.office import DocLines, _docx_table
from auditor.parse.pdf import extract_pdf

FIXTURES = Path(__file__).parent / "fixtures"
ATTACHMENTS = FIXTURES / "attachments"


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_attachments",
                                                  FIXTURES / "make_attachments.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_attachments"] = module
    spec.loader.exec_module(module)
    return module


EXPECTED = _load_generator().EXPECTED

#: Complete reports (narrative and tables) and table-only spreadsheets.
DOCUMENTS = ["ruled-table-across-pages.pdf", "text-layout.pdf", "owner-locked.pdf",
             "report.docx", "report.doc"]
SPREADSHEETS = ["tables.xlsx", "tables.xls"]


def parse(name: str):
    return parse_report((ATTACHMENTS / name).read_bytes(), source=name)


def wrong_cells(report) -> list[tuple[str, object, object]]:
    data = report.to_dict()
    wrong = []
    for table in ("table2", "table3", "table4"):
        for key, value in EXPECTED[table].items():
            if isinstance(value, dict):
                for col, want in value.items():
                    got = data[table].get(key, {}).get(col)
                    if got != want:
                        wrong.append((f"{table}.{key}.{col}", want, got))
            elif data[table].get(key) != value:
                wrong.append((f"{table}.{key}", value, data[table].get(key)))
    return wrong


# ---------------------------------------------------------------- readable files

@pytest.mark.parametrize("name", DOCUMENTS + SPREADSHEETS)
def test_every_cell_exact(name):
    report = parse(name)
    assert report.error is None, report.error
    assert wrong_cells(report) == []
    assert report.title == EXPECTED["title"] and report.year == EXPECTED["year"]
    assert report.format == "2021"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_have_all_six_parts(name):
    report = parse(name)
    assert all(report.sections[sid].found for sid in "123456")
    assert report.issuer == "云溪县人民政府"


@pytest.mark.parametrize(("name", "kind"), [
    ("ruled-table-across-pages.pdf", "pdf"), ("report.docx", "docx"), ("report.doc", "doc"),
    ("tables.xlsx", "xlsx"), ("tables.xls", "xls"),
])
def test_input_kind(name, kind):
    assert parse(name).input_kind == kind


def test_pdf_cells_name_their_page_and_the_table_continues_on_the_next_page():
    report = parse("ruled-table-across-pages.pdf")
    pages = {}
    for key, cell in report.iter_cells():
        assert cell.where and cell.where.startswith("page "), (key, cell.where)
        assert cell.line and cell.line > 0
        pages[key] = int(cell.where.split(",")[0].split()[1])
    # Table 三 starts on page 1 and continues on page 2 under its repeated header rows.
    assert pages["table3.new_received.total"] == 1
    assert pages["table3.total.total"] == 2
    assert pages["table4.review.total"] == 2
    assert report.page["file_pages"] == "3"


def test_pdf_page_numbers_are_dropped():
    for name in ("ruled-table-across-pages.pdf", "text-layout.pdf"):
        pdf = extract_pdf((ATTACHMENTS / name).read_bytes())
        texts = [line.text.replace(" ", "") for p in pdf.pages for line in p.lines]
        assert not any(t in ("-1-", "-2-", "-3-") for t in texts), name
        assert any("本年新收" in t for t in texts)


def test_ruled_table_cells_are_split_on_the_ruling_lines():
    pdf = extract_pdf((ATTACHMENTS / "ruled-table-across-pages.pdf").read_bytes())
    lines = [line.text for p in pdf.pages for line in p.lines]
    row = next(t for t in lines if t.startswith("一、本年新收"))
    assert row.split(" | ")[1:] == ["123", "8", "0", "1", "2", "1", "135"]


def test_office_provenance_names_table_and_sheet():
    cell = parse("report.docx").cell("table3.open.total")
    assert cell.where.startswith("Word table 5, row ") and cell.raw
    cell = parse("tables.xlsx").cell("table3.open.total")
    assert cell.where.startswith("sheet '表三', row ")
    assert cell.line == int(cell.where.split("row ")[1].split(",")[0])


def test_docx_merged_cells_are_written_once():
    document = docx.Document(str(ATTACHMENTS / "report.docx"))
    table = document.tables[4]  # table 三 (after the four small tables of 二)
    out = DocLines()
    _docx_table(table._tbl, out, 5, lambda p: "".join(t.text or "" for t in p.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    assert out.lines[0].count("申请人情况") == 1
    # The vertically merged 三、本年度办理结果 cell appears in its first row only.
    assert sum("本年度办理结果" in line for line in out.lines) == 1
    assert out.lines[4].startswith("二、上年结转政府信息公开申请数量 | 6 |")


def test_second_engine_when_pdfminer_cannot_map_the_fonts(monkeypatch):
    real = pdf_module._plumber_page

    def unmapped(page):
        chars, vertical = real(page)
        return [Char("(cid:1234)", c.x0, c.x1, c.top, c.bottom, c.size) for c in chars], vertical

    monkeypatch.setattr(pdf_module, "_plumber_page", unmapped)
    report = parse("ruled-table-across-pages.pdf")
    assert wrong_cells(report) == []
    assert any("PDFium" in w for w in report.warnings)


def test_owner_password_only_pdf_is_read():
    # Copy-protected (owner password, empty user password): opens without asking.
    report = parse("owner-locked.pdf")
    assert report.error is None and wrong_cells(report) == []


def test_letter_spaced_title_is_one_cell():
    chars = [Char(ch, 100 + 40 * i, 116 + 40 * i, 50, 66, 16) for i, ch in enumerate("年度报告")]
    assert [line.text for line in lay_out(chars)] == ["年度报告"]


def test_cell_gap_and_word_gap():
    def char(ch, x0, width):
        return Char(ch, x0, x0 + width, 0, 10, 10)

    # a label, a wide gap, a number, a space-wide gap, a CJK character
    chars = [char("规", 0, 10), char("章", 10, 10), char("1", 40, 5), char("2", 45, 5),
             char("年", 53, 10), char("件", 63.5, 10)]
    assert lay_out(chars)[0].text == "规章    12 年件"


# ---------------------------------------------------------------- images and scans

@pytest.mark.parametrize("name", ["scanned.pdf", "scan.png", "scan.jpg"])
def test_image_only_reports_say_so(name):
    report = parse(name)
    assert report.input_kind == "image"
    assert report.error and "图片" in report.error and "OCR" in report.error
    result = check_report(report, config=Config(select=["STR-10"]))
    (finding,) = result.findings
    assert finding.rule == "STR-10" and finding.status == Status.NEEDS_REVIEW
    assert "图片或扫描件" in finding.message


def test_pdf_with_a_scanned_page_keeps_its_text_pages(monkeypatch):
    real = pdf_module._pdfium_page

    def third_page_scanned(doc, index):
        chars, height, share, heavy = real(doc, index)
        return ([], height, 1.0, heavy) if index == 2 else (chars, height, share, heavy)

    monkeypatch.setattr(pdf_module, "_pdfium_page", third_page_scanned)
    report = parse("ruled-table-across-pages.pdf")
    assert report.error is None and report.page["file_scanned_pages"] == "3"
    assert any("扫描图片" in w for w in report.warnings)
    assert report.value("table3.new_received.total") == 135


# ---------------------------------------------------------------- broken and hostile files

@pytest.mark.parametrize(("name", "message"), [
    ("encrypted.pdf", "PDF 已加密"),
    ("truncated.pdf", "PDF 已损坏或不完整"),
    ("truncated.docx", "ZIP 容器（.docx/.xlsx）已损坏或不完整"),
    ("corrupt.docx", "docx 文档已损坏或无法读取"),
    ("bomb.docx", "解压炸弹"),
    ("corrupt.doc", "OLE 文档（.doc/.wps/.xls）已损坏或不完整"),
])
def test_broken_files_end_in_one_line_errors(name, message):
    start = time.monotonic()
    report = parse(name)
    assert time.monotonic() - start < 5
    assert report.error and message in report.error and "\n" not in report.error
    assert not any(c.value is not None for _, c in report.iter_cells())


def test_zip_bomb_is_refused_before_decompression():
    data = (ATTACHMENTS / "bomb.docx").read_bytes()
    tracemalloc.start()
    try:
        report = parse_report(data, source="bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "解压炸弹" in report.error
    assert peak < 5 * 1024 * 1024  # the 100 MB member is never inflated


def test_heavy_pages_skip_pdfminer(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGE_OBJECTS", 0)
    report = parse("ruled-table-across-pages.pdf")
    assert wrong_cells(report) == []
    assert any("仅由 PDFium 读取" in w for w in report.warnings)


def test_page_and_time_limits():
    data = (ATTACHMENTS / "ruled-table-across-pages.pdf").read_bytes()
    pdf = extract_pdf(data, max_pages=1)
    assert len(pdf.pages) == 1 and "只读取了前1页" in pdf.warnings[0]
    pdf = extract_pdf(data, time_budget=0)
    assert pdf.pages == [] and "达到读取时限" in pdf.warnings[0]


@pytest.mark.parametrize("name", ["ruled-table-across-pages.pdf", "report.docx", "report.doc",
                                  "tables.xlsx"])
def test_damaged_bytes_never_raise(name):
    data = (ATTACHMENTS / name).read_bytes()
    rng = random.Random(name)
    start = time.monotonic()
    for _ in range(12):
        damaged = bytearray(data)
        for _ in range(rng.randrange(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.choice([len(damaged), rng.randrange(16, len(damaged))])
        report = parse_report(bytes(damaged[:cut]), source=name)
        assert report.error is None or ("\n" not in report.error
                                        and "解析程序内部错误" not in report.error)
    assert time.monotonic() - start < 20


def test_magic_bytes():
    assert sniff_attachment(b"\xef\xbb\xbf  %PDF-1.4\n...") == "pdf"
    assert sniff_attachment(b"PK\x03\x04rest") == "zip"
    assert sniff_attachment(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "ole"
    assert sniff_attachment(b"\x89PNG\r\n\x1a\nrest") == "image:PNG"
    assert sniff_attachment(b"BM text that starts like a bitmap header") is None
    assert sniff_attachment("<html><body>年度报告</body></html>".encode()) is None
    assert sniff_attachment(b"<p>save as %PDF-1.7</p>") is None


# ---------------------------------------------------------------- command line

def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_parses_a_pdf(capsys):
    code, out, err = run(capsys, "parse", ATTACHMENTS / "ruled-table-across-pages.pdf")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["input_kind"] == "pdf" and data["table3"]["total"]["total"] == 133
    assert data["provenance"]["table3.total.total"]["where"].startswith("page 2")


def test_cli_image_only_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "parse", ATTACHMENTS / "scan.png")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "图片" in err and "scan.png" in err


def test_cli_check_image_only_is_a_one_line_error(capsys):
    # Issue 9: `check` of an image (even one renamed .html) says what it is and exits 2.
    code, out, err = run(capsys, "check", ATTACHMENTS / "scan.png", "--format", "json")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "图片文件，没有可检查的文字" in err and "scan.png" in err


def test_cli_check_png_renamed_html(capsys, tmp_path):
    renamed = tmp_path / "report.html"
    renamed.write_bytes((ATTACHMENTS / "scan.png").read_bytes())
    code, _, err = run(capsys, "check", renamed)
    assert code == 2 and "图片文件" in err


def test_library_check_report_of_an_image_gives_str10():
    report = parse_report((ATTACHMENTS / "scan.png").read_bytes(), source="scan.png")
    result = check_report(report)
    assert [f.rule for f in result.findings] == ["STR-10"]
    assert result.coverage["complete"] is False and "图片" in result.coverage["unreadable"]


@responses.activate
def test_cli_reads_an_attachment_url(capsys):
    url = "http://www.example.gov.cn/zwgk/nb/P020250120_report.docx"
    responses.add(responses.GET, url, body=(ATTACHMENTS / "report.docx").read_bytes(),
                  content_type="application/vnd.openxmlformats-officedocument."
                               "wordprocessingml.document")
    code, out, _ = run(capsys, "parse", url)
    assert code == 0 and json.loads(out)["table3"]["new_received"]["total"] == 135
