"""The parser says what it understood, and the rules never turn doubt into a violation.

One consistent report (our own numbers) is printed in the layouts real reports come in — PDF
text with labels detached from their numbers (label lines above or around the numbers,
multi-line labels such as "（三）不\\n予公开" interleaved with numbers, two rows' numbers on one
line), crawler text whose cells ran together, HTML tables with blank cells — and each test
checks the row statuses (present / absent / not_understood / blank), that every row read as
present has the true numbers, and that the rules give no violation the report does not have.
"""

from __future__ import annotations

import pytest

from auditor import parse_report
from auditor.audit import check_report
from auditor.models import TABLE3_COLUMNS

ZERO = [0] * 7
# (row key, label as printed, the seven numbers): 86 new + 4 carried in = 83 done + 7 carried out.
ROWS = [
    ("new_received", "一、本年新收政府信息公开申请数量", [80, 3, 0, 1, 2, 0, 86]),
    ("carried_in", "二、上年结转政府信息公开申请数量", [4, 0, 0, 0, 0, 0, 4]),
    ("open", "（一）予以公开", [30, 1, 0, 0, 1, 0, 32]),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [9, 0, 0, 0, 0, 0, 9]),
    ("withheld.state_secret", "1.属于国家秘密", ZERO),
    ("withheld.law_prohibited", "2.其他法律行政法规禁止公开", [1, 0, 0, 0, 0, 0, 1]),
    ("withheld.security_stability", "3.危及“三安全一稳定”", ZERO),
    ("withheld.third_party", "4.保护第三方合法权益", [2, 0, 0, 0, 0, 0, 2]),
    ("withheld.internal_affairs", "5.属于三类内部事务信息", [1, 0, 0, 0, 0, 0, 1]),
    ("withheld.process_info", "6.属于四类过程性信息", [3, 0, 0, 0, 0, 0, 3]),
    ("withheld.enforcement_file", "7.属于行政执法案卷", ZERO),
    ("withheld.admin_query", "8.属于行政查询事项", [2, 0, 0, 0, 0, 0, 2]),
    ("unavailable.not_held", "1.本机关不掌握相关政府信息", [20, 1, 0, 1, 0, 0, 22]),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作", [2, 0, 0, 0, 0, 0, 2]),
    ("unavailable.still_unclear", "3.补正后申请内容仍不明确", [1, 0, 0, 0, 0, 0, 1]),
    ("not_processed.petition", "1.信访举报投诉类申请", [3, 0, 0, 0, 0, 0, 3]),
    ("not_processed.repeat", "2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    ("not_processed.publication", "3.要求提供公开出版物", ZERO),
    ("not_processed.massive", "4.无正当理由大量反复申请", ZERO),
    ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息", ZERO),
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     [2, 0, 0, 0, 1, 0, 3]),
    ("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     ZERO),
    ("other.other", "3.其他", [1, 0, 0, 0, 0, 0, 1]),
    ("total", "（七）总计", [78, 2, 0, 1, 2, 0, 83]),
    ("carried_out", "四、结转下年度继续办理", [6, 1, 0, 0, 0, 0, 7]),
]
TRUTH = {key: numbers for key, _, numbers in ROWS}
# Group headings printed in the label column, before the row they are printed with.
HEADINGS = {"open": "三、本年度办理结果", "withheld.state_secret": "（三）不予公开",
            "unavailable.not_held": "（四）无法提供", "not_processed.petition": "（五）不予处理",
            "other.no_correction": "（六）其他处理"}

HEAD = """青禾县人民政府2024年政府信息公开工作年度报告
发布时间：2025-01-20
本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。
一、总体情况
2024年，青禾县坚持以公开为常态、不公开为例外，主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作有序推进。全年将政务公开纳入绩效考核，开展社会评议，未发生责任追究情况。
二、主动公开政府信息情况
第二十条第（一）项
信息内容    本年制发件数    本年废止件数    现行有效件数
规章    0    0    0
行政规范性文件    4    1    37
第二十条第（五）项
信息内容    本年处理决定数量
行政许可    1520
第二十条第（六）项
信息内容    本年处理决定数量
行政处罚    233
行政强制    12
第二十条第（八）项
信息内容    本年收费金额（单位：万元）
行政事业性收费    86.5
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况    自然人    法人或其他组织    总计
商业企业    科研机构    社会公益组织    法律服务机构    其他
"""
TAIL = """四、政府信息公开行政复议、行政诉讼情况
行政复议    行政诉讼
结果维持    结果纠正    其他结果    尚未审结    总计    未经复议直接起诉    复议后起诉
3    1    0    0    4    2    0    0    1    3    0    0    0    0    0
五、存在的主要问题及改进情况
本年度政务公开工作仍存在一些不足：一是政策解读形式单一；二是基层公开专区利用率不高。下一步将丰富解读形式，加强专区管理，提升公开质量。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def nums(values, sep="    ") -> str:
    return sep.join(str(v) for v in values)


def pdf_rows(rows=ROWS, headings=True) -> list[str]:
    """pdftotext-like: each row's label and numbers on one line."""
    out = []
    for key, label, values in rows:
        if headings and key in HEADINGS:
            out.append(HEADINGS[key])
        out.append(f"{label}        {nums(values)}")
    return out


def report_of(table3_lines: list[str], head: str = HEAD, tail: str = TAIL):
    text = head + "\n".join(table3_lines) + "\n" + tail
    return parse_report(text.encode("utf-8"), source="inline.txt")


def statuses(report) -> dict[str, str]:
    return {k[len("table3."):]: v for k, v in report.row_status.items()
            if k.startswith("table3.")}


def wrong_present_rows(report) -> list[str]:
    """Rows the parser calls present whose numbers are not the true ones."""
    out = []
    for key, numbers in TRUTH.items():
        if report.row_status.get(f"table3.{key}") != "present":
            continue
        got = [report.value(f"table3.{key}.{c}") for c in TABLE3_COLUMNS]
        if got != numbers:
            out.append(f"{key}: {got} != {numbers}")
    return out


def violations(report, *codes: str) -> list[str]:
    findings = check_report(report, published="2025-01-20").findings
    return [f"{f.rule}: {f.message}" for f in findings if str(f.status) == "violation"
            and (not codes or f.rule.startswith(codes))]


# --------------------------------------------------------------------------- the base report


def test_clean_layout_reads_every_row_and_has_no_violation():
    report = report_of(pdf_rows())
    assert set(statuses(report).values()) == {"present"}
    assert report.table_status == {"table2": "read", "table3": "read", "table4": "read"}
    assert report.table_confidence["table3"] == 1.0
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def test_status_and_candidates_are_in_the_json():
    report = report_of(pdf_rows())
    d = report.to_dict()
    assert d["row_status"]["table3.other.fee_unpaid"] == "present"
    assert d["row_status"]["table2.normative"] == "present"
    assert d["row_status"]["table4.review"] == "present"
    assert d["table_status"]["table3"] == "read"
    assert d["table_confidence"]["table3"] == 1.0
    assert d["candidates"] == []
    # the public schema keys are unchanged
    assert d["table3"]["new_received"]["total"] == 86


# --------------------------------------------------------------------------- detached labels


def test_group_labels_above_their_numbers():
    # Each group's labels printed one under the other, then the group's numbers.
    groups = [["new_received"], ["carried_in"], ["open"], ["partial"],
              [k for k in TRUTH if k.startswith("withheld.")],
              [k for k in TRUTH if k.startswith("unavailable.")],
              [k for k in TRUTH if k.startswith("not_processed.")],
              [k for k in TRUTH if k.startswith("other.")], ["total"], ["carried_out"]]
    labels = {k: label for k, label, _ in ROWS}
    lines = []
    for group in groups:
        lines += [labels[k] for k in group]
        lines += ["            " + nums(TRUTH[k]) for k in group]
    report = report_of(lines)
    assert set(statuses(report).values()) == {"present"}, statuses(report)
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def test_all_labels_then_all_numbers():
    lines = [label for _, label, _ in ROWS] + ["    " + nums(v) for _, _, v in ROWS]
    report = report_of(lines)
    assert set(statuses(report).values()) == {"present"}, statuses(report)
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def test_vertically_centred_labels_split_around_their_numbers():
    # "5.属于三类" / numbers / "内部事务信息": the keyword may come only after the numbers.
    # Short labels ("3.其他", "（七）总计") fit on one line and are printed beside their numbers.
    lines = []
    for _, label, values in ROWS:
        half = len(label) // 2 if len(label) > 6 else len(label)
        lines += [label[:half], "          " + nums(values), label[half:]]
    report = report_of(lines)
    assert set(statuses(report).values()) == {"present"}, statuses(report)
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def test_multi_line_group_heading_interleaved_with_rows():
    lines = pdf_rows(headings=False)
    index = {k: i for i, (k, _, _) in enumerate(ROWS)}
    lines[index["withheld.state_secret"]] = "（三）不    " + lines[index["withheld.state_secret"]]
    lines[index["withheld.law_prohibited"]] = "予公开    " + lines[index["withheld.law_prohibited"]]
    lines[index["unavailable.not_held"]] = "（四）无法    " + lines[index["unavailable.not_held"]]
    lines[index["unavailable.needs_creation"]] = "提供    " + lines[index["unavailable.needs_creation"]]
    report = report_of(lines)
    assert set(statuses(report).values()) == {"present"}
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def third_party_rows_on_one_line(numbers: list[int]) -> list[str]:
    """4.保护第三方合法权益 printed without numbers, ``numbers`` after 5.属于三类内部事务信息."""
    lines = []
    for key, label, values in ROWS:
        if key == "withheld.third_party":
            lines.append(label)
        elif key == "withheld.internal_affairs":
            lines.append(f"{label}    {nums(numbers)}")
        else:
            lines.append(f"{label}    {nums(values)}")
    return lines


@pytest.mark.parametrize("order", ["row by row", "column by column"])
def test_two_rows_numbers_on_one_line(order):
    # The numbers of 4.保护第三方合法权益 and 5.属于三类内部事务信息 ran into one line of 14.
    a, b = TRUTH["withheld.third_party"], TRUTH["withheld.internal_affairs"]
    both = a + b if order == "row by row" else [x for pair in zip(a, b, strict=True) for x in pair]
    report = report_of(third_party_rows_on_one_line(both))
    # Both rows are printed: never "missing"; the row totals tell which reading it is.
    assert statuses(report)["withheld.third_party"] == "present"
    assert statuses(report)["withheld.internal_affairs"] == "present"
    assert wrong_present_rows(report) == []
    assert violations(report) == []


def test_two_rows_numbers_that_cannot_be_shared_are_not_understood():
    # 14 numbers whose row totals hold in no reading: neither row can be told.
    report = report_of(third_party_rows_on_one_line([1, 1, 0, 0, 0, 0, 5, 2, 0, 0, 0, 0, 0, 9]))
    assert statuses(report)["withheld.third_party"] == "not_understood"
    assert statuses(report)["withheld.internal_affairs"] == "not_understood"
    assert report.table_status["table3"] == "partial"
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []
    findings = check_report(report, published="2025-01-20").findings
    assert any(f.rule == "STR-03" and str(f.status) == "not_assessable" for f in findings)


def numbers_above_labels(truth=None, skip: str | None = None) -> list[str]:
    """Every row's numbers one line above its label (``skip``: a row printed without any)."""
    lines = []
    for key, label, _values in ROWS:
        if key != skip:
            lines.append("        " + nums((truth or TRUTH)[key]))
        lines.append(label)
    return lines


def test_numbers_printed_above_their_labels_are_read_by_the_row_order():
    # Read label-then-numbers, each row would get the next row's numbers. Numbers before the
    # first label and none after the last: the one reading the row count admits is "each
    # row's numbers above its label", and the table's identities confirm it.
    report = report_of(numbers_above_labels())
    assert set(statuses(report).values()) == {"present"}, statuses(report)
    assert wrong_present_rows(report) == []
    assert any("按行序对应" in w for w in report.warnings)
    assert violations(report) == []


def test_numbers_above_labels_with_a_row_without_numbers_are_not_attributed():
    # One row printed without numbers: the order no longer decides which row each run is.
    report = report_of(numbers_above_labels(skip="withheld.process_info"))
    assert "present" not in statuses(report).values(), statuses(report)
    assert wrong_present_rows(report) == []
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


def test_numbers_above_labels_whose_identities_fail_are_not_understood():
    # Read in the row order, 新收 + 结转 != 办理 + 结转下年: the reading is not confirmed, and a
    # table read by order alone never yields an arithmetic violation.
    truth = dict(TRUTH)
    truth["new_received"] = [81, 3, 0, 1, 2, 0, 87]
    report = report_of(numbers_above_labels(truth))
    assert set(statuses(report).values()) == {"not_understood"}
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


def test_more_numbers_than_cells_is_not_understood():
    lines = pdf_rows(headings=False)
    lines[0] = f"{ROWS[0][1]}    {nums(TRUTH['new_received'] + [5, 6])}"
    report = report_of(lines)
    assert statuses(report)["new_received"] == "not_understood"
    assert report.cell("table3.new_received.total").method == "unread"
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


# --------------------------------------------------------------------------- blank, absent, cut


def test_label_printed_with_nothing_after_it_is_a_blank_row():
    lines = pdf_rows()
    lines = [ln if not ln.startswith("2.申请人逾期") else ln.split("    ")[0].strip()
             for ln in lines]
    report = report_of(lines)
    assert statuses(report)["other.fee_unpaid"] == "blank"
    assert report.cell("table3.other.fee_unpaid.total").printed_blank
    found = violations(report)
    assert [v.split(":")[0] for v in found] == ["STR-04"], found


def test_crawler_text_with_blank_rows_run_together():
    # "2.申请人逾期未按收费通知要求缴纳费用、…申请3.其他（七）总计5000005" (seen in a real report).
    rows = [(k, label, v) for k, label, v in ROWS]
    parts = []
    for key, label, values in rows:
        if key in HEADINGS:
            parts.append(HEADINGS[key])
        digits = "".join(str(v) for v in values)
        parts.append(label if key in ("other.fee_unpaid", "other.other") else label + digits)
    text_rows = "".join(parts)
    report = report_of([text_rows])
    got = statuses(report)
    assert got["other.fee_unpaid"] == "blank" and got["other.other"] == "blank", got
    assert {v for k, v in got.items() if k not in ("other.fee_unpaid", "other.other")} == \
        {"present"}
    assert wrong_present_rows(report) == []
    # The blank 3.其他 row makes 办理结果 unknown, never wrong: only STR-04 says so.
    assert {v.split(":")[0] for v in violations(report)} == {"STR-04"}


def test_missing_row_is_absent():
    lines = [ln for ln in pdf_rows() if not ln.startswith("3.危及")]
    report = report_of(lines)
    assert statuses(report)["withheld.security_stability"] == "absent"
    assert [v.split(":")[0] for v in violations(report, "STR-03")] == ["STR-03"]


def test_missing_label_where_unclaimed_numbers_sit_is_not_understood():
    # The label of 3.危及“三安全一稳定” is misprinted beyond recognition, its numbers are there.
    lines = [ln if not ln.startswith("3.危及") else "3.危害社会    " + nums(ZERO)
             for ln in pdf_rows()]
    report = report_of(lines)
    assert statuses(report)["withheld.security_stability"] == "not_understood"
    assert violations(report, "STR-03") == []


def test_text_cut_inside_table_three():
    lines = pdf_rows()
    cut = next(i for i, ln in enumerate(lines) if ln.startswith("2.重复申请"))
    report = report_of(lines[:cut], tail="")
    got = statuses(report)
    assert got["not_processed.petition"] == "present"
    assert got["carried_out"] == "not_understood"
    assert "absent" not in got.values()
    assert violations(report, "STR-03", "STR-04", "ARI") == []


def test_page_with_only_a_title():
    report = parse_report("平潭综合实验区某某局2024年政府信息公开工作年度报告\n来源：某某局\n"
                          .encode(), source="title-only.txt")
    assert report.table_status == {"table2": "absent", "table3": "absent", "table4": "absent"}
    assert set(report.row_status.values()) == {"absent"}
    found = check_report(report, published="2025-01-20").findings
    assert not [f for f in found if f.rule == "STR-03"]


# --------------------------------------------------------------------------- HTML tables


def _html(cells_by_row: dict[str, list[str]]) -> str:
    rows = []
    for key, label, values in ROWS:
        cells = cells_by_row.get(key, [str(v) for v in values])
        tds = "".join(f"<td>{c}</td>" for c in cells)
        rows.append(f"<tr><td>{label}</td>{tds}</tr>")
    head = HEAD.split("三、收到和处理")[0]
    head_html = "".join(f"<p>{line}</p>" for line in head.splitlines() if line.strip())
    tail_html = "".join(f"<p>{line}</p>" for line in TAIL.splitlines() if line.strip())
    return (f"<html><body><div class='TRS_Editor'>{head_html}"
            f"<p>三、收到和处理政府信息公开申请情况</p><table>{''.join(rows)}</table>"
            f"{tail_html}</div></body></html>")


@pytest.mark.parametrize("blank", ["/", "—", "&nbsp;", "", "<p>&nbsp;</p>", "无"])
def test_html_blank_cells(blank):
    page = _html({"withheld.enforcement_file": [blank] * 7,
                  "open": ["30", "1", blank, "0", "1", "0", "32"]})
    report = parse_report(page.encode("utf-8"), source="blank.html")
    got = statuses(report)
    assert got["withheld.enforcement_file"] == "blank"
    assert got["open"] == "present"
    assert report.value("table3.open.research") is None
    assert report.cell("table3.open.research").printed_blank
    assert wrong_present_rows(report) == [f"open: {[30, 1, None, 0, 1, 0, 32]} != {TRUTH['open']}"]
    found = violations(report)
    assert {v.split(":")[0] for v in found} == {"STR-04"}, found


def test_html_row_with_label_only_cell():
    page = _html({"other.other": []})
    report = parse_report(page.encode("utf-8"), source="label-only.html")
    assert statuses(report)["other.other"] == "blank"


# --------------------------------------------------------------------------- candidates


def test_run_together_table2_row_keeps_its_readings():
    head = HEAD.replace("行政规范性文件    4    1    37", "行政规范性文件4137")
    report = report_of(pdf_rows(), head=head)
    assert report.row_status["table2.normative"] == "present"
    assert report.value("table2.normative.issued") is None
    (cset,) = [c for c in report.candidates if "table2.normative.issued" in c.cells]
    assert (4, 1, 37) in cset.readings and (41, 3, 7) in cset.readings
    assert report.to_dict()["candidates"][0]["readings"]


def test_narrative_settles_one_cell_and_the_rest_keep_their_readings():
    head = HEAD.replace("行政规范性文件    4    1    37", "行政规范性文件4137").replace(
        "主动公开、依申请公开", "本年度制发行政规范性文件4件，主动公开、依申请公开")
    report = report_of(pdf_rows(), head=head)
    assert report.value("table2.normative.issued") == 4
    (cset,) = [c for c in report.candidates if "table2.normative.repealed" in c.cells]
    assert all(r[0] == 4 for r in cset.readings)
    assert {r[1:] for r in cset.readings} >= {(1, 37), (13, 7)}


def test_table2_labels_above_numbers_one_line_per_row():
    head = HEAD.replace("规章    0    0    0\n行政规范性文件    4    1    37",
                        "规章\n行政规范性文件\n0    0    0\n4    1    37")
    report = report_of(pdf_rows(), head=head)
    assert report.row_status["table2.rules"] == "present"
    assert [report.value(f"table2.normative.{c}") for c in ("issued", "repealed", "in_force")] \
        == [4, 1, 37]


def test_table2_two_rows_numbers_on_one_line_keep_both_readings():
    # Nothing tells row by row from column by column in table 二: both readings are kept,
    # the cells they disagree on are unknown, and no rule is sure of them.
    head = HEAD.replace("规章    0    0    0\n行政规范性文件    4    1    37",
                        "规章\n行政规范性文件    0    0    0    4    1    37")
    report = report_of(pdf_rows(), head=head)
    assert report.row_status["table2.normative"] == "present"
    assert report.value("table2.rules.issued") == 0
    assert report.value("table2.normative.in_force") == 37
    assert report.value("table2.normative.issued") is None
    assert any("table2.normative.issued" in c.cells and len(c.readings) == 2
               for c in report.candidates)
    assert violations(report) == []


# --------------------------------------------------------------------------- a real PDF


def _centred_table_pdf(wrap: int) -> bytes:
    """Our report as a PDF whose table 三 labels are wrapped over lines of ``wrap`` characters
    and vertically centred on their row, the numbers on the row's middle baseline — between two
    label lines when a label has two (the layout of many provincial PDFs)."""
    import io

    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    font, size, leading = "STSong-Light", 9, 12
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = A4[1] - 50

    def line(text: str, x: float = 50) -> None:
        nonlocal y
        if y < 60:
            page.showPage()
            y = A4[1] - 50
        page.setFont(font, size)
        page.drawString(x, y, text)
        y -= leading

    for text in HEAD.splitlines():
        line(text)
    for _key, label, values in ROWS:
        parts = [label[i:i + wrap] for i in range(0, len(label), wrap)]
        if y < 60 + leading * (len(parts) + 1):
            page.showPage()
            y = A4[1] - 50
        top = y
        page.setFont(font, size)
        for i, part in enumerate(parts):
            page.drawString(50, top - i * leading, part)
        middle = top - (len(parts) - 1) * leading / 2
        for col, value in enumerate(values):
            page.drawString(330 + col * 32, middle, str(value))
        y = top - len(parts) * leading - 4
    for text in TAIL.splitlines():
        line(text)
    page.showPage()
    page.save()
    return buf.getvalue()


@pytest.mark.parametrize("wrap", [14, 9])
def test_pdf_with_vertically_centred_wrapped_labels(wrap):
    report = parse_report(_centred_table_pdf(wrap), source="centred.pdf")
    assert report.input_kind == "pdf", report.error
    got = statuses(report)
    assert "absent" not in got.values(), got
    assert wrong_present_rows(report) == []
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


def test_statuses_and_candidates_survive_the_json_round_trip():
    from auditor.models import report_from_dict

    head = HEAD.replace("行政规范性文件    4    1    37", "行政规范性文件4137")
    lines = [ln if not ln.startswith("2.申请人逾期") else ln.split("    ")[0].strip()
             for ln in pdf_rows()]
    lines[0] = f"{ROWS[0][1]}    {nums(TRUTH['new_received'] + [5, 6])}"
    report = report_of(lines, head=head)
    again = report_from_dict(report.to_dict())
    assert again.row_status == report.row_status
    assert again.table_status == report.table_status
    assert again.candidates == report.candidates
    # With the first row not understood the table is not clean: the row printed without
    # numbers cannot be called blank either.
    assert again.row_state("table3.other.fee_unpaid") == "not_understood"
    assert again.row_state("table3.new_received") == "not_understood"
    assert again.cell("table3.new_received.total").method == "unread"
    assert [f.rule for f in check_report(again).findings if str(f.status) == "violation"] == \
        [f.rule for f in check_report(report).findings if str(f.status) == "violation"]


def test_hand_written_report_without_statuses_tells_them_from_its_cells():
    from auditor.models import report_from_dict

    report = report_from_dict({"format": "2021", "table3": {
        "open": {c: 1 for c in TABLE3_COLUMNS},
        "partial": {c: "/" for c in TABLE3_COLUMNS},
        "total": {c: None for c in TABLE3_COLUMNS},
        "carried_out": {c: {"value": None, "method": "unread"} for c in TABLE3_COLUMNS}}})
    assert report.row_state("table3.open") == "present"
    assert report.row_state("table3.partial") == "blank"
    assert report.row_state("table3.total") == "absent"
    assert report.row_state("table3.carried_out") == "not_understood"
    assert report.row_state("table3.carried_in") == "absent"
    assert report.table_state("table3") == "partial"
    assert report.table_state("table4") == "absent"


def test_unknown_row_status_is_refused():
    from auditor.models import report_from_dict

    with pytest.raises(ValueError, match="unknown row status"):
        report_from_dict({"row_status": {"table3.open": "missing"}})


def test_prose_before_the_table_naming_rows_does_not_disturb_them():
    # Section 三 opens with a sentence that names rows and numbers before the table starts.
    head = HEAD.replace("（本列数据的勾稽关系为", "本年新收政府信息公开申请86件，其中予以公开32件，"
                        "本机关不掌握相关政府信息22件。\n（本列数据的勾稽关系为")
    report = report_of(pdf_rows(), head=head)
    assert set(statuses(report).values()) == {"present"}
    assert wrong_present_rows(report) == []
    assert report.row_labels["table3.new_received"].startswith("一、本年新收")
    assert violations(report) == []


def test_crawler_digits_of_two_rows_run_together_are_not_split_for_one():
    # "4.保护第三方合法权益5.属于三类内部事务信息20000021000001": the digits of both rows
    # after the second label. A split of all 14 digits into the second row alone could pass its
    # row total by chance; with a row printed before it without numbers, none is trusted.
    parts = []
    for key, label, values in ROWS:
        digits = "".join(str(v) for v in values)
        if key == "withheld.third_party":
            parts.append(label)
        elif key == "withheld.internal_affairs":
            parts.append(label + "".join(str(v) for v in TRUTH["withheld.third_party"]) + digits)
        else:
            parts.append(label + digits)
    report = report_of(["".join(parts)])
    got = statuses(report)
    assert got["withheld.third_party"] == "not_understood"
    assert got["withheld.internal_affairs"] == "not_understood"
    assert wrong_present_rows(report) == []
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


def test_html_empty_cell_under_a_merged_group_label():
    # Word-pasted pages repeat an empty cell where the group label column was merged.
    page = _html({"withheld.law_prohibited": ["&nbsp;", "1", "0", "0", "0", "0", "0", "1"]})
    report = parse_report(page.encode("utf-8"), source="spacer.html")
    assert statuses(report)["withheld.law_prohibited"] == "present"
    assert wrong_present_rows(report) == []
    assert violations(report) == []


@pytest.mark.parametrize("sentence", [
    "2024年，本机关政府信息公开行政复议、行政诉讼情况如下：",
    "本年度共发生政府信息公开行政复议4件、行政诉讼4件，情况如下：",
    "截至2024年12月31日，行政复议和行政诉讼情况见下表（单位：件）。",
])
def test_prose_under_heading_four_is_not_table_four(sentence):
    # Table 四 is where its column headers are; a year, a date or a count in the sentence
    # under the heading is never 行政复议 结果维持.
    tail = TAIL.replace("四、政府信息公开行政复议、行政诉讼情况\n",
                        f"四、政府信息公开行政复议、行政诉讼情况\n{sentence}\n")
    report = report_of(pdf_rows(), tail=tail)
    assert report.value("table4.review.upheld") == 3
    assert report.value("table4.litigation_direct.total") == 3
    assert set(report.row_status[f"table4.{g}"] for g in ("review", "litigation_direct",
                                                          "litigation_after_review")) == {"present"}
    assert violations(report) == []


def test_rows_read_apart_from_their_labels_are_trusted_only_if_the_identities_hold():
    # The 不予公开 rows print their numbers above their labels, the others beside them, and a
    # label the parser does not know (a provincial extra row) breaks the row order. Read label
    # by label, each 不予公开 row would get the numbers of the row below it; the identities
    # fail over that reading, so those rows are not understood rather than wrong.
    lines = []
    for key, label, values in ROWS:
        if key.startswith("withheld."):
            lines += ["        " + nums(values), label]
            if key == "withheld.third_party":
                lines += ["        " + nums([1, 0, 0, 0, 0, 0, 1]), "其中：涉及商业秘密"]
        else:
            lines.append(f"{label}        {nums(values)}")
    report = report_of(lines)
    assert wrong_present_rows(report) == []
    assert statuses(report)["open"] == "present"
    assert violations(report, "STR-03", "STR-04", "ARI", "TXT") == []


TABLE4_TURNED = """四、政府信息公开行政复议、行政诉讼情况
项目    行政复议    未经复议直接起诉    复议后起诉
结果维持    3    2    0
结果纠正    1    0    0
其他结果    0    0    0
尚未审结    0    1    0
总计    4    3    0
""" + TAIL[TAIL.index("五、"):]


def test_table_four_printed_one_row_per_result_is_read_by_group():
    report = report_of(pdf_rows(), tail=TABLE4_TURNED)
    got = {g: [report.value(f"table4.{g}.{c}") for c in ("upheld", "corrected", "other",
                                                          "pending", "total")]
           for g in ("review", "litigation_direct", "litigation_after_review")}
    assert got == {"review": [3, 1, 0, 0, 4], "litigation_direct": [2, 0, 0, 1, 3],
                   "litigation_after_review": [0, 0, 0, 0, 0]}
    assert violations(report) == []


def test_table_four_numbers_in_an_unknown_layout_must_add_up():
    # Fifteen numbers in rows of three under labels that are not the result headers: read in
    # print order the group totals fail, so nothing is attributed (never a wrong 结果维持).
    tail = TABLE4_TURNED.replace("结果纠正", "纠正").replace("其他结果", "其它").replace(
        "尚未审结", "未结")
    report = report_of(pdf_rows(), tail=tail)
    assert all(report.value(f"table4.{g}.upheld") is None
               for g in ("review", "litigation_direct", "litigation_after_review"))
    assert report.row_status["table4.review"] == "not_understood"
    assert violations(report, "ARI-04", "TXT-03") == []
