"""Property tests: ``parse_report`` never raises and always returns a well-formed model.

Inputs: arbitrary bytes, arbitrary text (plain and built from report fragments), and real fixtures
mangled by random deletions, insertions, duplications and truncation.
"""

from __future__ import annotations

import json
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_cases import read_fixture

from auditor import parse_report

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FORMATS = {"2021", "2019", "legacy", None}

#: pieces of real reports, so generated text reaches the table and section code paths
FRAGMENTS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    "第二十条第（一）项", "第二十条第(五)项", "第二十条第（九）项", "信息内容", "本年制发件数", "本年废止件数",
    "现行有效件数", "本年新制作数量", "上一年项目数量", "本年增/减", "规章", "行政规范性文件", "规范性文件",
    "行政许可", "行政处罚", "行政强制", "行政事业性收费", "政府集中采购", "本年收费金额（单位：万元）",
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
    "（一）予以公开", "（三）不予公开", "1.属于国家秘密", "3.危及“三安全一稳定”", "（六）其他处理", "3.其他",
    "（七）总计", "四、结转下年度继续办理", "行政复议", "未经复议直接起诉", "复议后起诉", "结果维持", "总计",
    "本年度制发的规范性文件", "件", "2023年", "2024年1月20日", "标题: ", "发布时间: 2024-03-08 15:34\n",
    "人民政府", "年政府信息公开工作年度报告", "0", "1", "00", "12", "2041", "11210020115", "-5", "3.5",
    "／", "/", "—", "-", "无", "万元", "０１２", " ", "\n", "|", " | ||", "-3-", "| - | - |",
    "| 类别 | 数据1 | 数据2 |", "<td>", "</td>", "<tr>", "<table>", "</table>", "<td rowspan=\"22\">",
    "<td colspan=\"3\">", "<br>", "<p>", "<div class=\"TRS_Editor\">", "<meta name=\"PubDate\" content=\"",
    "<meta charset=\"gb2312\">", "<!--", "-->", "<script>", "&nbsp;", "&#", "&amp;", "\x00", "\ufeff",
]

fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)

#: one fixture of every layout
MANGLE_SOURCES = [
    "seed-qingshi-township-2024.txt",
    "flat-haiyu-city-2023.txt",
    "flat-dongjia-county-2019.txt",
    "ocr-markdown-wutong-county-2024.txt",
    "pdf-layout-xinglan-district-2023.txt",
    "unclosed-tags-luwan-town-2022.html",
    "hanweb-baizhou-nrb-2022.html",
    "trs-lanxi-county-2023.html",
    "trs-lanxi-county-2023.gbk.html",
]
_SOURCES = {name: read_fixture(name) for name in MANGLE_SOURCES}


def check_model(report) -> None:
    """Invariants every parse result keeps, whatever the input."""
    assert report is not None
    assert report.error is None or (isinstance(report.error, str) and report.error.strip()
                                    and "\n" not in report.error)
    assert report.format in FORMATS
    assert report.year is None or (isinstance(report.year, int) and not isinstance(report.year, bool))
    assert report.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", report.published)
    assert isinstance(report.warnings, tuple) and all(isinstance(w, str) for w in report.warnings)
    d = report.to_dict()
    assert set(d["sections"]) == {"1", "2", "3", "4", "5", "6"}
    assert all(isinstance(v, bool) for v in d["sections"].values())
    for key, cell in report.iter_cells():
        v = cell.value
        assert v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)), (key, v)
        if isinstance(v, float):
            assert math.isfinite(v), (key, v)
        assert report.value(key) == v
    json.dumps(d, ensure_ascii=False)


@SETTINGS
@given(st.binary(max_size=4096))
def test_never_raises_on_arbitrary_bytes(data):
    check_model(parse_report(data))


@SETTINGS
@given(st.one_of(st.text(max_size=2000), fragment_text))
def test_never_raises_on_arbitrary_text(text):
    check_model(parse_report(text, source="generated.txt"))
    check_model(parse_report(text.encode("utf-8", "surrogatepass"), source="generated.html"))


@st.composite
def mangled_fixture(draw):
    name = draw(st.sampled_from(MANGLE_SOURCES))
    data = bytearray(_SOURCES[name])
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "flip"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "delete":
            j = min(len(data), i + draw(st.integers(1, 400)))
            del data[i:j]
        elif op == "insert":
            piece = draw(st.one_of(st.binary(max_size=40),
                                   st.sampled_from(FRAGMENTS).map(lambda s: s.encode("utf-8"))))
            data[i:i] = piece
        elif op == "duplicate":
            j = min(len(data), i + draw(st.integers(1, 400)))
            data[j:j] = data[i:j]
        else:
            data[i] ^= draw(st.integers(1, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return name, bytes(data)


@SETTINGS
@given(mangled_fixture())
def test_never_raises_on_mangled_fixtures(case):
    name, data = case
    check_model(parse_report(data, source=name))
