"""Targeted parser tests: null markers, full-width text, encodings, run-together rows, provenance.

The fixtures are described in tests/fixtures/make_fixtures.py and tests/report_cases.py; each test
names the fixture and the cell it looks at, so a failure points at one quirk.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from report_cases import FIXTURES, REPORTS, compare, load_expected, parse_fixture, read_fixture

from auditor import parse_report

TRS = "trs-lanxi-county-2023.html"
TRS_GBK = "trs-lanxi-county-2023.gbk.html"
DEMO = "demo-county-2024.html"
SEED = "seed-qingshi-township-2024.txt"
FLAT_2021 = "flat-haiyu-city-2023.txt"
FLAT_2019 = "flat-dongjia-county-2019.txt"
PDF_OLD_ROW = "pdf-layout-xinglan-district-2023.txt"
NOT_REPORTS = ["empty.txt", "random-bytes.bin", "fake-pdf.pdf", "news-article-not-a-report.txt"]


def text_of(name: str) -> str:
    return read_fixture(name).decode("utf-8")


def parse_text(text: str, name: str = "inline.txt"):
    return parse_report(text.encode("utf-8"), source=name)


def schema_subset(report) -> dict:
    d = report.to_dict()
    return {k: d[k] for k in ("title", "issuer", "year", "format", "published", "sections",
                              "table2", "table3", "table4")}


def has_warning_about(report, key: str, *words: str) -> bool:
    """The cell carries a warning, or a report warning names the row."""
    if report.cell(key).warning:
        return True
    return any(any(w in msg for w in words) for msg in report.warnings)


# --------------------------------------------------------------------------- null markers


@pytest.mark.parametrize(
    "key, printed",
    [
        ("table2.rules.issued", "/"),
        ("table2.rules.in_force", "/"),
        ("table2.coercion.decisions", "—"),
        ("table3.withheld.state_secret.research", "blank cell (&nbsp;)"),
        ("table3.withheld.security_stability.legal_service", "-"),
        ("table3.not_processed.publication.public_welfare", "／ (full-width)"),
        ("table3.not_processed.massive.other_org", "无"),
        ("table4.litigation_after_review.other", "U+3000 only"),
        ("table4.litigation_after_review.total", "无"),
    ],
)
def test_null_markers_in_trs_page_are_unknown_not_zero(key, printed):
    report = parse_fixture(TRS)
    assert report.value(key) is None, f"{key} printed as {printed!r} must be None"


@pytest.mark.parametrize("marker", ["/", "／", "—", "-", "－", "无", "", "&nbsp;", "\u3000", " / "])
def test_each_null_marker_in_a_single_cell(marker):
    html = text_of(DEMO)
    assert html.count(">18275<") == 1
    report = parse_text(html.replace(">18275<", f">{marker}<"), DEMO)
    assert report.error is None
    assert report.value("table2.licensing.decisions") is None
    # the neighbours are untouched
    assert report.value("table2.penalty.decisions") == 3406
    assert report.value("table2.normative.in_force") == 63


def test_zero_is_zero_and_not_unknown():
    report = parse_fixture(SEED)
    assert report.value("table2.rules.issued") == 0
    assert report.value("table2.fees.amount") == 0
    assert report.value("table4.litigation_direct.total") == 0


# --------------------------------------------------------------------------- full-width text


def test_full_width_digits_in_cells():
    report = parse_fixture(TRS)
    assert report.value("table2.normative.issued") == 12          # １２
    assert report.value("table2.penalty.decisions") == 2315       # ２３１５
    assert report.value("table3.new_received.natural_person") == 215  # ２１５
    assert report.value("table3.new_received.total") == 224
    assert report.value("table3.unavailable.not_held.total") == 48


def test_full_width_item_numbers_in_row_labels():
    # "１．属于国家秘密" and "２．重复申请" are matched like "1.属于国家秘密"
    report = parse_fixture(TRS)
    assert report.value("table3.withheld.state_secret.natural_person") == 0
    assert report.value("table3.not_processed.repeat.natural_person") == 3
    assert report.value("table3.not_processed.repeat.total") == 4


def test_full_width_number_replacing_an_ascii_one():
    html = text_of(DEMO).replace(">18275<", ">１８２７５<")
    assert parse_text(html, DEMO).value("table2.licensing.decisions") == 18275


def test_unit_in_cell_is_dropped():
    assert parse_fixture(TRS).value("table2.fees.amount") == pytest.approx(1523.6)  # "1523.6万元"


def test_extra_provincial_row_is_ignored():
    # "其他主动公开文件 — — 218" sits between 行政规范性文件 and 第二十条第（五）项
    report = parse_fixture(TRS)
    assert report.value("table2.normative.in_force") == 87
    assert report.value("table2.licensing.decisions") == 12406
    assert 218 not in [v for k, v in report.to_dict()["table2"].items()]


def test_table3_split_over_two_html_tables():
    report = parse_fixture(TRS)
    assert report.value("table3.withheld.admin_query.total") == 7      # end of the first <table>
    assert report.value("table3.unavailable.not_held.natural_person") == 46  # start of the second
    assert report.value("table3.carried_out.total") == 14


def test_related_links_and_scripts_do_not_leak_into_metadata():
    # the page lists the 2022 and 2021 reports under 相关文章 and has a date inside a <script>
    report = parse_fixture(TRS)
    assert report.year == 2023
    assert report.published == "2024-01-25"
    assert report.title == "岚溪县人民政府2023年政府信息公开工作年度报告"


# --------------------------------------------------------------------------- encodings


def test_gbk_page_equals_utf8_page():
    utf8 = parse_fixture(TRS)
    gbk = parse_fixture(TRS_GBK)
    assert gbk.error is None
    assert schema_subset(gbk) == schema_subset(utf8)
    assert gbk.to_dict()["provenance"] == utf8.to_dict()["provenance"]


def test_gbk_page_declared_gb2312_keeps_gbk_only_characters():
    # 堃 is in GBK but not in GB2312: a page declaring gb2312 must be decoded as GBK/GB18030
    gbk = parse_fixture(TRS_GBK)
    assert "堃" in gbk.sections["1"].text
    assert gbk.to_dict()["section_text"] == parse_fixture(TRS).to_dict()["section_text"]
    enc = (gbk.encoding or "").lower().replace("-", "").replace("_", "")
    assert enc in {"gbk", "gb18030", "gb2312", "cp936"}, gbk.encoding


def test_str_input_equals_bytes_input():
    for name in (FLAT_2021, TRS):
        as_bytes = parse_fixture(name)
        as_str = parse_report(text_of(name), source=name)
        assert schema_subset(as_str) == schema_subset(as_bytes), name


def test_utf8_bom_is_ignored():
    data = b"\xef\xbb\xbf" + read_fixture(FLAT_2021)
    report = parse_report(data, source=FLAT_2021)
    assert compare(load_expected(FLAT_2021), report) == []


def test_gbk_page_without_any_charset_declaration():
    html = text_of(TRS)
    html = html.replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n', "")
    html = html.replace('<meta charset="utf-8" />\n', "")
    assert "charset" not in html
    report = parse_report(html.encode("gbk"), source="page.html")
    assert compare(load_expected(TRS), report) == []


def test_gbk_encoded_text_report():
    report = parse_report(text_of(FLAT_2021).encode("gbk"), source="report.txt")
    assert compare(load_expected(FLAT_2021), report) == []


@pytest.mark.parametrize("name", ["pdf-layout-luchuan-city-2024.txt",
                                  "ocr-markdown-wutong-county-2024.txt", FLAT_2019])
def test_crlf_line_endings(name):
    report = parse_report(text_of(name).replace("\n", "\r\n").encode("utf-8"), source=name)
    assert compare(load_expected(name), report) == []


@pytest.mark.parametrize("printed, value", [("18,275", 18275), ("18，275", 18275),
                                            ("18275件", 18275), (" 18275 ", 18275)])
def test_thousands_separators_and_units_in_a_cell(printed, value):
    html = text_of(DEMO).replace(">18275<", f">{printed}<")
    assert parse_text(html, DEMO).value("table2.licensing.decisions") == value


# --------------------------------------------------------------------------- run-together rows


def test_table3_row_ambiguous_alone_is_settled_by_the_row_identity():
    # "一、本年新收政府信息公开申请数量11210020115": 72 splits into 7 cells, one with total = Σ
    report = parse_fixture(FLAT_2021)
    assert [report.value(f"table3.new_received.{c}") for c in
            ("natural_person", "commercial", "research", "public_welfare", "legal_service",
             "other_org", "total")] == [112, 1, 0, 0, 2, 0, 115]
    cell = report.cell("table3.new_received.natural_person")
    assert cell.method == "split"
    # The cell's own text is its digits; the run it was split from is kept beside them.
    assert cell.raw == "112" and "11210020115" in (cell.run or "").replace(" ", "")
    assert cell.to_dict()["run"] == cell.run


def test_table4_run_is_split_by_the_group_identities():
    # "...总计512083001410001" -> 5,1,2,0,8 | 3,0,0,1,4 | 1,0,0,0,1
    report = parse_fixture(FLAT_2021)
    got = [report.value(f"table4.{g}.{c}") for g in ("review", "litigation_direct",
                                                     "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [5, 1, 2, 0, 8, 3, 0, 0, 1, 4, 1, 0, 0, 0, 1]


def test_table2_row_with_two_readings_is_unknown_with_a_warning():
    # "规章2041" reads 2,0,41 or 20,4,1
    report = parse_fixture(FLAT_2021)
    for col in ("issued", "repealed", "in_force"):
        key = f"table2.rules.{col}"
        assert report.value(key) is None, key
        assert has_warning_about(report, key, "规章", "rules"), key


def test_table2_2019_row_with_many_readings_is_unknown_with_a_warning():
    # "规范性文件121245" (2019 format: 本年新制作数量/本年新公开数量/对外公开总数量)
    report = parse_fixture(FLAT_2019)
    for col in ("made", "published", "total"):
        key = f"table2.normative.{col}"
        assert report.value(key) is None, key
        assert has_warning_about(report, key, "规范性文件", "normative"), key


def test_narrative_settles_one_cell_of_an_ambiguous_row():
    # "动态更新本年度制发的规范性文件36件" + "行政规范性文件3615482"
    report = parse_fixture(FLAT_2021)
    issued = report.cell("table2.normative.issued")
    assert issued.value == 36
    assert issued.method == "split+narrative"
    assert report.value("table2.normative.repealed") is None
    assert report.value("table2.normative.in_force") is None
    assert has_warning_about(report, "table2.normative.repealed", "规范性文件", "normative")


def test_without_the_narrative_the_row_stays_unknown():
    text = text_of(FLAT_2021).replace("动态更新本年度制发的规范性文件36件，", "")
    report = parse_text(text, FLAT_2021)
    for col in ("issued", "repealed", "in_force"):
        assert report.value(f"table2.normative.{col}") is None, col


@pytest.mark.parametrize(
    "row, expected",
    [
        ("规章000", (0, 0, 0)),            # only one split without leading zeros
        ("规章0012", (0, 0, 12)),
        ("规章693665", (None, None, None)),
        ("规章 1 0 12", (1, 0, 12)),        # spaces are cell boundaries
    ],
)
def test_table2_three_cell_rows(row, expected):
    text = text_of(FLAT_2021).replace("规章2041", row)
    report = parse_text(text, FLAT_2021)
    got = tuple(report.value(f"table2.rules.{c}") for c in ("issued", "repealed", "in_force"))
    assert got == expected
    if None in expected:
        assert has_warning_about(report, "table2.rules.issued", "规章", "rules")


def test_single_cell_rows_take_the_whole_run():
    report = parse_fixture(FLAT_2021)
    assert report.value("table2.licensing.decisions") == 21583
    assert report.value("table2.penalty.decisions") == 9364
    assert report.value("table2.coercion.decisions") == 412
    assert report.value("table2.fees.amount") == pytest.approx(18342.56)


def test_2019_spaced_cells_and_negative_change():
    report = parse_fixture(FLAT_2019)
    assert report.value("table2.licensing.prev_items") == 86
    assert report.value("table2.licensing.decisions") == 1204
    assert report.value("table2.penalty.change") == -5
    assert report.value("table2.other_services.prev_items") == 4
    assert report.value("table2.procurement.amount") == pytest.approx(412.5)


@pytest.mark.parametrize(
    "row, expected",
    [
        # the sign of 本年增/减 belongs to the cell after it, even when digits run into it
        ("行政许可128-3588", (None, None, None)),   # 1/28/-3588? 12/8/-3588? 128/-3/588 …
        ("行政许可 128 -3 588", (128, -3, 588)),
        ("行政许可128-35", (None, None, None)),     # 128/-3/5, 12/8/-35 or 1/28/-35
    ],
)
def test_2019_run_together_negative_change_is_never_split_wrongly(row, expected):
    text = re.sub(r"行政许可[^\n其]*", row, text_of(FLAT_2019), count=1)
    report = parse_text(text, FLAT_2019)
    got = tuple(report.value(f"table2.licensing.{c}") for c in ("prev_items", "change",
                                                                "decisions"))
    assert got == expected


@pytest.mark.parametrize("printed, expected", [("00元", (0, 0)), ("6251000元", (None, None)),
                                               ("6 251000元", (6, 251000))])
def test_2019_procurement_cells_with_their_unit(printed, expected):
    # "政府集中采购00元": two cells ran together, the unit belongs to the last one.
    text = re.sub(r"政府集中采购[^\n]*", f"政府集中采购{printed}", text_of(FLAT_2019), count=1)
    report = parse_text(text, FLAT_2019)
    assert (report.value("table2.procurement.items"),
            report.value("table2.procurement.amount")) == expected


def test_long_run_together_table4_is_split_quickly():
    # 17 digits for 15 cells: the group totals prune the walk (no 65,000 ways tried).
    import time

    from auditor.parse.split import candidates, group_totals_check
    from auditor.parse.text import tokenize

    tokens = [t for t in tokenize([(1, "25380363300630003")]) if t.kind == "num"]
    start = time.perf_counter()
    options, complete = candidates(tokens, 15, group_totals_check(5))
    assert complete and options == [(25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3)]
    assert time.perf_counter() - start < 0.5


def test_table4_group_with_two_readings_is_unknown():
    # "51208" + "1001011" + "10001": the direct-litigation group reads (10,0,1,0,11) or
    # (1,0,0,10,11); both satisfy 总计 = 维持+纠正+其他+尚未审结, so the cells that differ are unknown.
    text = text_of(FLAT_2021).replace("总计512083001410001", "总计51208" + "1001011" + "10001")
    report = parse_text(text, FLAT_2021)
    for col in ("upheld", "other", "pending"):
        assert report.value(f"table4.litigation_direct.{col}") is None, col
    assert has_warning_about(report, "table4.litigation_direct.upheld", "table4", "行政诉讼",
                             "复议", "litigation")
    # the review group is still certain
    assert report.value("table4.review.total") == 8


# --------------------------------------------------------------------------- formats


def test_2021_report_with_the_old_single_other_row():
    report = parse_fixture(PDF_OLD_ROW)
    d = report.to_dict()
    assert d["format"] == "2021"
    assert "other" in d["table3"]
    assert d["table3"]["other"]["total"] == 1
    assert not [k for k, cols in d["table3"].items()
                if k.startswith("other.") and any(v is not None for v in cols.values())]


def test_row_label_typo_is_still_matched():
    # "2.其他法律行政止公开" (sic) is row withheld.law_prohibited
    assert parse_fixture(PDF_OLD_ROW).value("table3.withheld.law_prohibited.total") == 1


def test_2019_format_is_detected_by_table_labels():
    d = parse_fixture(FLAT_2019).to_dict()
    assert d["format"] == "2019"
    assert d["table2"]["procurement.items"] == 6
    only_2021 = ("rules.issued", "rules.repealed", "rules.in_force", "normative.issued",
                 "normative.repealed", "normative.in_force", "fees.amount")
    assert [k for k in only_2021 if d["table2"].get(k) is not None] == []
    assert not [k for k in d["table3"] if k.startswith("other.")
                and any(v is not None for v in d["table3"][k].values())]
    assert "other" in d["table3"]


def test_section_heading_variants_and_typo():
    # 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况 / 五、存在问题及改进情况 / 行政法复议
    report = parse_fixture("hanweb-baizhou-nrb-2022.html")
    assert all(report.to_dict()["sections"].values())
    assert report.value("table4.review.total") == 9


@pytest.mark.parametrize("sid, heading", [("5", "五、存在的主要问题及改进情况"),
                                          ("6", "六、其他需要报告的事项")])
def test_missing_section_is_reported_missing(sid, heading):
    # the intro sentence still lists every part by name ("全文包括总体情况、…、其他需要报告的事项");
    # that mention is not a heading
    html = text_of(DEMO)
    assert html.count(heading) == 1
    sections = parse_text(html.replace(heading, ""), DEMO).to_dict()["sections"]
    assert sections[sid] is False
    assert all(found for other, found in sections.items() if other != sid)


def test_legacy_report_has_no_current_tables():
    report = parse_fixture("legacy-qiaotou-county-2017.txt")
    assert report.error is None
    assert report.format == "legacy"
    assert all(cell.value is None for _, cell in report.iter_cells())


# --------------------------------------------------------------------------- provenance


def test_provenance_of_a_text_cell_has_raw_and_line():
    report = parse_fixture(SEED)
    cell = report.cell("table2.licensing.decisions")
    assert cell.value == 37
    assert "37" in (cell.raw or "")
    lines = text_of(SEED).splitlines()
    label_line = lines.index("行政许可 |") + 1
    assert cell.line in (label_line, label_line + 1), cell
    prov = report.to_dict()["provenance"]["table2.licensing.decisions"]
    assert set(prov) >= {"value", "raw", "where", "line", "method"}
    assert prov["value"] == 37 and prov["method"] == "cell"


def test_provenance_of_a_run_together_cell():
    report = parse_fixture(FLAT_2021)
    cell = report.cell("table3.new_received.total")
    assert cell.line == 10  # the crawler header takes 9 lines; the whole body is line 10
    assert "本年新收" in (cell.where or "")
    prov = report.to_dict()["provenance"]["table3.new_received.total"]
    assert prov["raw"] and prov["line"] == 10 and prov["method"] == "split"


def test_provenance_where_names_the_row_not_the_table_header():
    # `where` is quoted in findings; it should name the row, not the run of column headers
    # printed before the first row in flat text.
    report = parse_fixture(FLAT_2021)
    for key, label, junk in [("table3.new_received.total", "本年新收", "商业企业"),
                             ("table2.rules.issued", "规章", "本年制发件数")]:
        where = report.cell(key).where or ""
        assert label in where and junk not in where, f"{key}: where={where!r}"


def test_provenance_of_an_html_cell():
    report = parse_fixture(TRS)
    cell = report.cell("table2.licensing.decisions")
    assert cell.value == 12406
    assert "12406" in (cell.raw or "")
    assert isinstance(cell.line, int) and cell.line > 0
    assert "行政许可" in (cell.where or "")


def test_value_matches_to_dict_for_every_cell():
    report = parse_fixture(DEMO)
    d = report.to_dict()
    for key, cell in report.iter_cells():
        table, _, rest = key.partition(".")
        if table == "table2":
            assert d["table2"][rest] == cell.value == report.value(key)
        else:
            row, _, col = rest.rpartition(".")
            assert d[table][row][col] == cell.value == report.value(key)


# --------------------------------------------------------------------------- unreadable input


@pytest.mark.parametrize("name", NOT_REPORTS)
def test_not_a_report_gives_a_one_line_error(name):
    report = parse_fixture(name)
    assert isinstance(report.error, str) and report.error.strip()
    assert "\n" not in report.error
    assert report.format is None
    assert all(v is None for _, v in ((k, c.value) for k, c in report.iter_cells()))
    json.dumps(report.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("data", ["", "   \n\t", b"", b"\x00" * 64, b"\xff\xfe\x00\x00", "\ufeff"])
def test_empty_like_inputs(data):
    report = parse_report(data)
    assert isinstance(report.error, str) and report.error.strip() and "\n" not in report.error


def test_truncated_page_keeps_what_was_read():
    report = parse_fixture("truncated-trs-lanxi-county-2023.html")
    assert report.error is None
    assert report.value("table2.licensing.decisions") == 12406
    assert report.value("table3.unavailable.needs_creation.total") == 3
    assert report.value("table3.total.total") is None
    assert report.value("table4.review.total") is None


def test_readable_report_has_no_error():
    for name in (SEED, FLAT_2021, FLAT_2019, TRS, DEMO):
        assert parse_fixture(name).error is None, name


# --------------------------------------------------------------------------- fixture hygiene


def test_derived_fixtures_are_up_to_date():
    proc = subprocess.run([sys.executable, str(FIXTURES / "make_fixtures.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_expected_files_are_internally_consistent():
    """Fixture numbers obey the table identities, except cells that are deliberately unknown."""
    cols = ("natural_person", "commercial", "research", "public_welfare", "legal_service",
            "other_org")
    for path in sorted(REPORTS.glob("*.expected.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        t3 = exp.get("table3") or {}
        for row, cells in t3.items():
            parts = [cells[c] for c in cols]
            if cells["total"] is not None and None not in parts:
                assert sum(parts) == cells["total"], (path.name, row)
        if t3:
            for c in cols + ("total",):
                terms = [t3[r][c] for r in ("new_received", "carried_in", "total", "carried_out")]
                if None not in terms:
                    assert terms[0] + terms[1] == terms[2] + terms[3], (path.name, c)
        for group, cells in (exp.get("table4") or {}).items():
            parts = [cells[c] for c in ("upheld", "corrected", "other", "pending")]
            if cells["total"] is not None and None not in parts:
                assert sum(parts) == cells["total"], (path.name, group)
        for key in ("published",):
            if exp.get(key) is not None:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", exp[key])


def test_html_cell_number_split_over_word_runs_is_one_number():
    # Word splits a cell's text into runs (<span>s) at will: "1" "2" in one paragraph is 12;
    # two paragraphs are two values (not one number).
    page = text_of(DEMO).replace(">18275<", ">182</span><span>75<")
    assert ">182</span><span>75<" in page
    assert parse_text(page, DEMO).value("table2.licensing.decisions") == 18275
    page = text_of(DEMO).replace(">18275<", ">182</span></p><p><span>75<")
    assert parse_text(page, DEMO).value("table2.licensing.decisions") is None
