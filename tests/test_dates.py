"""``extract_dates`` and ``parse_chinese_date``: every date form, every strategy and its evidence,
the 文号/索引号 traps, our fixture pages against their gold, and inputs that are not pages."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.models import DateEvidence
from auditor.parse.dates import STRATEGIES, DocumentDates, extract_dates, parse_chinese_date

PAGES = Path(__file__).parent / "fixtures" / "pages"
GOLD = {k: v for k, v in json.loads((PAGES / "dates.json").read_text("utf-8")).items()
        if not k.startswith("_")}


def page(body: str, head: str = "", title: str = "青石市人民政府关于印发某某办法的通知") -> str:
    """A minimal document page: the title in <title>, ArticleTitle and an <h1>."""
    return (f'<html><head><meta charset="utf-8"><title>{title}_青石市人民政府</title>'
            f'<meta name="ArticleTitle" content="{title}">{head}</head>'
            f"<body><div class='nav'>首页 &gt; 政府信息公开</div><h1>{title}</h1>{body}</body></html>")


def iso(ev: DateEvidence | None) -> str | None:
    return ev.value.isoformat() if ev else None


# --------------------------------------------------------------------------- date forms

@pytest.mark.parametrize("text, expected", [
    ("2024年1月5日", date(2024, 1, 5)),
    ("2024 年 1 月 5 日", date(2024, 1, 5)),
    ("2024年01月05日", date(2024, 1, 5)),
    ("发布日期：2024年01月31日", date(2024, 1, 31)),  # dateparser gives None here
    ("二〇二四年一月五日", date(2024, 1, 5)),
    ("二零二四年一月三十一日", date(2024, 1, 31)),
    ("二〇二四年十二月二十三日", date(2024, 12, 23)),
    ("二〇二四年十月十日", date(2024, 10, 10)),
    ("二〇二四年十一月二十日", date(2024, 11, 20)),
    ("二○二三年九月十五日", date(2023, 9, 15)),  # ○ (U+25CB) for 〇, common in scans
    ("二〇二五年二月廿三日", date(2025, 2, 23)),
    ("二〇二四年 一 月 五 日", date(2024, 1, 5)),
    ("2024-01-05 10:30", date(2024, 1, 5)),
    ("2024-1-5", date(2024, 1, 5)),
    ("2024/1/5", date(2024, 1, 5)),
    ("2024/01/05 10:30:15", date(2024, 1, 5)),
    ("2024.01.05", date(2024, 1, 5)),
    ("2024-01-05T10:30:00+08:00", date(2024, 1, 5)),
    ("２０２４年１月５日", date(2024, 1, 5)),
    ("２０２４－０１－０５　10∶08", date(2024, 1, 5)),
    ("２０２４／１／５", date(2024, 1, 5)),
    ("20240105", date(2024, 1, 5)),
    ("成文日期：2020-12-28 发布日期：2020-12-29", date(2020, 12, 28)),  # the first date
    ("2024年2月29日", date(2024, 2, 29)),
])
def test_parse_chinese_date_forms(text, expected):
    assert parse_chinese_date(text) == expected


@pytest.mark.parametrize("text", [
    None, "", "   ", "无", "abc",
    "〔2024〕30号", "青政办〔2024〕30号", "11350000/2024-00123", "PZ00101-1300-2020-00031",
    "2024年度", "2024年1月", "2024年第3号", "2024-13-01", "2023年2月29日", "2024-02-30",
    "二〇二四年二月三十日", "二〇二四年十三月一日", "12024-01-05", "1.2024.01.05", "2024-01-0512",
])
def test_parse_chinese_date_rejects(text):
    assert parse_chinese_date(text) is None


# --------------------------------------------------------------------------- metadata block

def test_metadata_table_label_and_value_cells():
    html = page("""<table class="xxgk_table">
      <tr><td>索 引 号：</td><td>11350000/2024-00123</td><td>主题分类：</td><td>综合政务</td></tr>
      <tr><td>发布机构：</td><td>青石市人民政府</td><td>成文日期：</td><td>2024年12月20日</td></tr>
      <tr><td>文　　号：</td><td>青政〔2024〕30号</td><td>发布日期：</td><td>2025-01-06</td></tr>
    </table>""")
    dates = extract_dates(html)
    assert dates.issued == DateEvidence(date(2024, 12, 20), "issued", "metadata", "成文日期： 2024年12月20日")
    assert dates.published == DateEvidence(date(2025, 1, 6), "published", "metadata", "发布日期： 2025-01-06")
    assert dates.title == "青石市人民政府关于印发某某办法的通知"


def test_metadata_trs_index_box_with_padded_labels():
    html = page("""<div class="index_box"><ul>
      <li>索&ensp;引&ensp;号：<font>PZ00101-1300-2020-00031</font></li>
      <li>发文机关：<font>平潭综合实验区行政审批局</font></li>
      <li>成&ensp;文&ensp;日&ensp;期：<font>2020-12-28</font></li>
      <li>发文字号：<font>岚综管综〔2020〕134号</font></li>
      <li>发布日期：<font>2020-12-29</font></li></ul></div>""")
    dates = extract_dates(html)
    assert (iso(dates.issued), iso(dates.published)) == ("2020-12-28", "2020-12-29")
    assert dates.issued.raw == "成 文 日 期：2020-12-28"
    assert dates.published.strategy == "metadata"


def test_metadata_label_lines_on_one_line():
    html = page("<p>文号：青政〔2024〕3号　　成文日期：2024-01-05　　发布日期：2024-01-09</p>")
    dates = extract_dates(html)
    assert (iso(dates.issued), iso(dates.published)) == ("2024-01-05", "2024-01-09")
    assert dates.issued.raw == "成文日期：2024-01-05"


@pytest.mark.parametrize("label", ["成文日期", "成文时间", "形成日期", "印发日期", "签发日期", "发文日期",
                                   "生成日期", "作出处罚决定的日期", "作出行政处罚决定日期"])
def test_issued_labels(label):
    dates = extract_dates(page(f"<table><tr><td>{label}</td><td>2024年7月8日</td></tr></table>"))
    assert iso(dates.issued) == "2024-07-08"
    assert dates.issued.strategy == "metadata"
    assert dates.issued.raw.startswith(label)


def test_not_issued_labels():
    html = page("<p>生效日期：2024-02-01</p><p>废止日期：2029-01-31</p><p>施行日期：2024年2月1日</p>")
    assert extract_dates(html).issued is None


def test_header_row_metadata_table():
    html = page("""<table><tr><th>索引号</th><th>文号</th><th>成文日期</th><th>发布日期</th></tr>
      <tr><td>11350000/2024-00087</td><td>青财〔2024〕30号</td><td>2024年3月1日</td>
      <td>2024-03-08</td></tr></table>""")
    dates = extract_dates(html)
    assert dates.issued == DateEvidence(date(2024, 3, 1), "issued", "metadata", "成文日期 2024年3月1日")
    assert iso(dates.published) == "2024-03-08" and dates.published.strategy == "metadata"


def test_list_table_is_not_a_metadata_block():
    rows = "".join(f"<tr><td>1135/2024-0{i}</td><td>文件{i}</td><td>2024-0{i}-0{i}</td>"
                   f"<td>2024-0{i}-1{i}</td></tr>" for i in range(1, 4))
    html = page(f"<table><tr><th>索引号</th><th>标题</th><th>成文日期</th><th>发布日期</th></tr>{rows}"
                "</table>", title="政策文件")
    dates = extract_dates(html)
    assert dates.issued is None and dates.published is None


def test_empty_value_does_not_borrow_the_next_label_date():
    html = page("""<table><tr><td>索引号：</td><td>11350000/2024-00123</td>
      <td>成文日期：</td><td>&nbsp;</td></tr>
      <tr><td>文号：</td><td>青政〔2024〕30号</td><td>发布日期：</td><td>2024-05-06</td></tr></table>""")
    dates = extract_dates(html)
    assert dates.issued is None
    assert iso(dates.published) == "2024-05-06"


def test_nfra_penalty_table():
    html = page("""<div class="pages-date"><span>发布时间：2024-11-08</span><span>来源：海屿监管局</span></div>
      <table class="MsoNormalTable">
      <tr><td><p><b><span>行政处罚决定书文号</span></b></p></td><td><p>海金罚决字〔2024〕30号</p></td></tr>
      <tr><td><p><b><span>作出处罚决定的</span></b><b><span><br></span></b><b><span>机关名称</span></b></p></td>
          <td><p>国家金融监督管理总局海屿监管局</p></td></tr>
      <tr><td><p><b><span>作出处罚决定的日期</span></b></p></td><td><p><span>2024年10月30日</span></p></td></tr>
      </table>""", head='<meta name="PubDate" content="2024-11-08 16:20">',
                title="海屿监管局行政处罚信息公开表")
    dates = extract_dates(html)
    assert dates.issued == DateEvidence(date(2024, 10, 30), "issued", "metadata",
                                        "作出处罚决定的日期 2024年10月30日")
    # The header line "发布时间：… 来源：…" is visible text, so the PubDate meta outranks it.
    assert dates.published.strategy == "meta-tag" and dates.published.time == "16:20"
    assert any(c.strategy == "visible-text" and c.raw == "发布时间：2024-11-08"
               for c in dates.candidates)


# --------------------------------------------------------------------------- meta tags

@pytest.mark.parametrize("tag, expected_time", [
    ('<meta name="PubDate" content="2025-01-20 10:30">', "10:30"),
    ('<meta name="PubDate" content="2025-01-20 10:30:59">', "10:30:59"),
    ('<meta name="PubDate" content="2025-01-20">', None),
    ('<meta content="2025-01-20 09:05" name="pubdate">', "09:05"),
    ('<meta name="firstpublishedtime" content="2025-01-20-17:02:36">', "17:02:36"),
    ('<meta property="article:published_time" content="2025-01-20T08:00:00+08:00">', "08:00:00"),
    ('<meta name="publishdate" content="20250120">', None),
])
def test_meta_tags(tag, expected_time):
    dates = extract_dates(page("<p>正文</p>", head=tag))
    assert iso(dates.published) == "2025-01-20"
    assert dates.published.strategy == "meta-tag"
    assert dates.published.time == expected_time
    assert dates.published.raw.startswith("<meta ")
    assert dates.issued is None


def test_meta_pubdate_before_firstpublishedtime_and_empty_ignored():
    head = ('<meta name="PubDate" content=""><meta name="firstpublishedtime" content="2025-01-21 08:00">'
            '<meta name="PubDate" content="2025-01-20 10:00">')
    dates = extract_dates(page("", head=head))
    assert iso(dates.published) == "2025-01-20"
    assert [iso(c) for c in dates.candidates] == ["2025-01-20", "2025-01-21"]


def test_metadata_block_outranks_pubdate():
    html = page("<table><tr><td>索引号：</td><td>x/2024-001</td><td>发布日期：</td><td>2024-05-06</td></tr></table>",
                head='<meta name="PubDate" content="2024-05-07 09:00">')
    dates = extract_dates(html)
    assert dates.published.strategy == "metadata" and iso(dates.published) == "2024-05-06"
    assert [c.strategy for c in dates.candidates] == ["metadata", "meta-tag"]


# --------------------------------------------------------------------------- visible text

@pytest.mark.parametrize("line, expected, time", [
    ("发布时间：2024-03-08 15:34 来源：青石市财政局", "2024-03-08", "15:34"),
    ("发布日期：2024年3月8日", "2024-03-08", None),
    ("来源：平潭县人民政府 时间：2022-02-08 16:34", "2022-02-08", "16:34"),
    ("日期：2024/3/8", "2024-03-08", None),
    ("发布时间：２０２４－０３－０８　10∶08", "2024-03-08", "10:08"),
    ("发布时间：2024年3月8日 10时08分", "2024-03-08", "10:08"),
    ("发布时间: [2024-03-08]", "2024-03-08", None),
])
def test_visible_text_under_the_title(line, expected, time):
    dates = extract_dates(page(f'<div class="info">{line}</div><div class="content"><p>正文。</p></div>'))
    assert iso(dates.published) == expected
    assert dates.published.strategy == "visible-text"
    assert dates.published.time == time
    assert dates.issued is None


def test_visible_text_ignores_other_times_and_far_dates():
    body = ("<div class='side'>留言时间： 2024-10-16</div><div class='side'>更新时间：2024-10-17</div>"
            "<div class='content'><p>" + "为做好有关工作，现通知如下。" * 10 + "</p></div>"
            "<div class='related'>相关文章 日期：2023-01-09 发布时间：2023-01-10</div>")
    dates = extract_dates(page(body))
    assert dates.published is None and dates.candidates == []


def test_strong_label_anywhere_when_the_title_is_not_on_the_page():
    html = "<html><body><div>首页</div><p>正文</p><p>发布日期：2024-06-01</p></body></html>"
    dates = extract_dates(html)
    assert iso(dates.published) == "2024-06-01" and dates.published.strategy == "visible-text"


def test_plain_text_input():
    dates = extract_dates("标题: 某某通知\n发布时间: 2024-03-08 15:34\n正文……")
    assert iso(dates.published) == "2024-03-08"


# --------------------------------------------------------------------------- signature (落款)

def test_signature_date_is_issued():
    body = ("<div id='zoom'><p>各县（市、区）民政局：</p><p>现就有关事项通知如下。</p>"
            "<p style='text-align:right'>柏洲市民政局</p><p style='text-align:right'>2025年1月17日</p>"
            "</div>")
    dates = extract_dates(page(body))
    assert dates.issued == DateEvidence(date(2025, 1, 17), "issued", "signature",
                                        "柏洲市民政局 2025年1月17日")
    assert dates.published is None


def test_signature_in_chinese_numerals_and_brackets():
    body = "<p>同意。</p><p>海屿市人民政府办公室</p><p>（二〇二四年十二月二十三日）</p>"
    assert iso(extract_dates(page(body)).issued) == "2024-12-23"


def test_metadata_issued_outranks_signature():
    body = ("<ul><li>索引号：x</li><li>成文日期：2020-12-28</li></ul><p>通知如下。</p>"
            "<p>平潭综合实验区管委会</p><p>2020年12月18日</p>")
    dates = extract_dates(page(body))
    assert iso(dates.issued) == "2020-12-28"
    assert [(c.strategy, iso(c)) for c in dates.candidates if c.kind == "issued"] == [
        ("metadata", "2020-12-28"), ("signature", "2020-12-18")]


def test_date_lines_without_an_issuer_are_not_signatures():
    body = ("<dl><dd><a href='#'>平潭综合实验区2024年度政府信息公开工作年度报告</a></dd><dd>2025年3月10日</dd>"
            "<dd><a href='#'>2023年度报告</a></dd><dd>2024-03-08</dd></dl>")
    assert extract_dates(page(body, title="政府信息公开年报")).issued is None


# --------------------------------------------------------------------------- list date and URL

def test_list_date():
    dates = extract_dates(page("<p>正文</p>"), list_date="2025-03-10")
    assert dates.published == DateEvidence(date(2025, 3, 10), "published", "list-page", "2025-03-10")
    dates = extract_dates(page("<p>正文</p>"), list_date="[2025年3月10日 09:12]")
    assert iso(dates.published) == "2025-03-10" and dates.published.time == "09:12"


def test_list_date_ignored_when_not_a_date():
    assert extract_dates(page("<p>正文</p>"), list_date="置顶").published is None


@pytest.mark.parametrize("url, expected", [
    ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm", "2022-02-08"),
    ("http://www.example.gov.cn/art/2025/1/20/art_1229_6651204.html", "2025-01-20"),
    ("http://www.example.gov.cn/zhengce/content/2025-01/20/content_7000.htm", "2025-01-20"),
    ("http://www.example.gov.cn/xxgk/202501/20/c_123.html", "2025-01-20"),
    ("http://www.example.gov.cn/news/2025/0120/c123.html", "2025-01-20"),
    ("http://www.example.gov.cn/news/20250120/123.html", "2025-01-20"),
    ("http://www.example.gov.cn/zwgk/202501/t20250120_1.html?x=1#top", "2025-01-20"),
])
def test_url_patterns(url, expected):
    dates = extract_dates(page("<p>正文</p>"), url=url)
    assert dates.published == DateEvidence(date.fromisoformat(expected), "published", "url", url)


@pytest.mark.parametrize("url", [
    "http://www.example.gov.cn/zwgk/202501/t20251340_1.html",   # no 40 Dec
    "http://www.example.gov.cn/art_1229_20250120.html",
    "http://www.example.gov.cn/gkmlpt/content/2/2651/post_2651337.html",
    "http://www.example.gov.cn/col/col1229/index.html",
])
def test_url_without_a_date(url):
    assert extract_dates(page("<p>正文</p>"), url=url).published is None


def test_url_from_the_page_itself_and_the_given_url_first():
    head = '<meta name="Url" content="https://www.example.gov.cn/zwgk/202202/t20220208_80613.htm">'
    assert iso(extract_dates(page("", head=head)).published) == "2022-02-08"
    canonical = '<link rel="canonical" href="https://www.example.gov.cn/art/2022/2/9/art_1_2.html">'
    assert iso(extract_dates(page("", head=canonical)).published) == "2022-02-09"
    given_url = "https://www.example.gov.cn/art/2023/3/3/art_1_2.html"
    dates = extract_dates(page("", head=head), url=given_url)
    assert dates.published.raw == given_url


def test_strategy_order_for_published():
    head = '<meta name="PubDate" content="2024-01-03 10:00">'
    meta_block = "<ul><li>索引号：x</li><li>发布日期：2024-01-02</li></ul>"
    visible = "<div>发布时间：2024-01-04</div>"
    url = "http://www.example.gov.cn/art/2024/1/6/art_1_1.html"
    dates = extract_dates(page(meta_block + visible, head=head), url=url, list_date="2024-01-05")
    assert [c.strategy for c in dates.candidates] == [
        "metadata", "meta-tag", "visible-text", "list-page", "url"]
    assert [c.value.day for c in dates.candidates] == [2, 3, 4, 5, 6]
    assert dates.published.strategy == "metadata"
    assert list(STRATEGIES) == ["metadata", "meta-tag", "visible-text", "signature", "list-page", "url"]
    # Each strategy in turn when the better ones are absent.
    assert extract_dates(page(visible, head=head), url=url).published.strategy == "meta-tag"
    assert extract_dates(page(visible), url=url, list_date="2024-01-05").published.strategy == "visible-text"
    assert extract_dates(page(""), url=url, list_date="2024-01-05").published.strategy == "list-page"
    assert extract_dates(page(""), url=url).published.strategy == "url"


# --------------------------------------------------------------------------- 文号 and 索引号

def test_never_a_date_from_wenhao_or_suoyinhao():
    html = page("""<table class="xxgk_table">
      <tr><td>索 引 号：</td><td>11350000/2024-00123</td><td>主题分类：</td><td>综合政务</td></tr>
      <tr><td>索 引 号：</td><td>11350000-2024-01-05-001</td><td>文号：</td><td>青政办〔2024〕30号</td></tr>
      <tr><td>发布机构：</td><td>青石市人民政府办公室</td><td>成文日期：</td><td></td></tr>
    </table><div class='content'><p>根据《通知》（国办发〔2024〕30号）和2024年第3号公告，2024年度工作要点如下。</p></div>
    <div class='foot'>Copyright © 2024 青石市人民政府</div>""")
    dates = extract_dates(html, url="https://www.example.gov.cn/zwgk/content_4469012.html")
    assert dates.issued is None and dates.published is None and dates.candidates == []


# --------------------------------------------------------------------------- our fixture pages

EXPECTED_STRATEGIES = {
    "trs-xxgk-table.html": ("metadata", "metadata"),
    "hanweb-art.html": ("signature", "visible-text"),
    "gkmlpt-doc.html": ("metadata", "metadata"),
    "nfra-style.html": ("metadata", "meta-tag"),
    "gbk-doc.gbk.html": ("metadata", "metadata"),
    "cn-numeral.html": ("metadata", "metadata"),
    "fullwidth.html": ("metadata", "visible-text"),
    "no-date.html": (None, None),
    "hanweb-url-only.html": (None, "url"),
    "list-page.html": (None, None),
    "label-lines.html": ("metadata", "meta-tag"),
}


def test_every_fixture_page_has_gold_and_an_expectation():
    pages = {p.name for p in PAGES.iterdir() if p.suffix in (".html", ".htm")}
    assert pages == set(GOLD) == set(EXPECTED_STRATEGIES)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_fixture_pages_match_gold(name):
    gold = GOLD[name]
    dates = extract_dates((PAGES / name).read_bytes(), url=gold.get("url"))
    assert (iso(dates.issued), iso(dates.published)) == (gold["issued"], gold["published"])
    strategies = (dates.issued.strategy if dates.issued else None,
                  dates.published.strategy if dates.published else None)
    assert strategies == EXPECTED_STRATEGIES[name]
    for ev in (dates.issued, dates.published):
        if ev is not None:
            assert ev in dates.candidates and ev.raw


def test_gbk_page_bytes_and_evidence():
    data = (PAGES / "gbk-doc.gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    dates = extract_dates(data)
    assert dates.title.startswith("东嘉县人民政府关于公布")
    assert dates.issued.raw == "成 文 日 期：2023 年 12 月 5 日"
    assert dates.published.raw == "发布日期：2023 年 12 月 8 日"
    # 落款 (12-01) differs from the 成文日期 of the metadata block (12-05): both are kept.
    assert ("signature", date(2023, 12, 1)) in [(c.strategy, c.value) for c in dates.candidates]
    assert extract_dates(data.decode("gb18030")) == dates


def test_fullwidth_page_time_and_raw():
    dates = extract_dates((PAGES / "fullwidth.html").read_bytes())
    assert dates.published.raw == "发布时间：２０２４－０３－０８ 10∶08"
    assert dates.published.time == "10:08"
    assert dates.issued.raw == "成文日期 ２０２４年３月１日"


def test_to_dict_is_json():
    dates = extract_dates((PAGES / "trs-xxgk-table.html").read_bytes())
    out = json.loads(json.dumps(dates.to_dict(), ensure_ascii=False))
    assert out["issued"] == {"value": "2024-12-20", "kind": "issued", "strategy": "metadata",
                             "raw": "成文日期： 2024年12月20日", "time": None}
    assert out["published"]["value"] == "2025-01-06"
    assert len(out["candidates"]) == len(dates.candidates)


def test_date_evidence_is_frozen():
    ev = DateEvidence(date(2024, 1, 5), "issued", "metadata", "成文日期：2024-01-05")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.kind = "published"  # type: ignore[misc]
    assert ev.time is None


# --------------------------------------------------------------------------- inputs that are not pages

@pytest.mark.parametrize("html", [
    b"", "", "   ", b"\x00\x01\x02", b"%PDF-1.7\n...", b"PK\x03\x04zip", "<<<>>>", "<html", "</p></div>",
    '<?xml version="1.0" encoding="gb2312"?><html><body>发布日期：2024-01-05</body></html>',
    "<p>发布日期：2024-01-05\x00</p>", "\ud800 发布日期：2024-01-05", None, 42,
])
def test_never_raises_on_odd_input(html):
    dates = extract_dates(html)
    assert isinstance(dates, DocumentDates)


def test_malformed_html_keeps_what_it_can():
    html = ('<html><head><meta name="PubDate" content="2024-01-05 10:30"><title>x</title>'
            '<body><table><tr><td>索引号：<td>x/2024-1<td>成文日期：<td>2024年1月3日<tr><td>发布')
    dates = extract_dates(html)
    assert iso(dates.issued) == "2024-01-03"
    assert iso(dates.published) == "2024-01-05"
    assert iso(extract_dates(html.encode("utf-8")[:-7]).issued) == "2024-01-03"


def test_odd_arguments_are_ignored():
    dates = extract_dates(page("<p>正文</p>"), url=123, list_date=object())  # type: ignore[arg-type]
    assert dates.published is None


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FRAGMENTS = ["<table>", "<tr>", "<td>", "</td>", "<p>", "<br>", "<li>", "<ul>", "</ul>", "<div>",
             "索引号：", "成文日期：", "发布日期：", "发布时间：", "时间：", "文号：", "〔2024〕30号",
             "2024年1月5日", "二〇二四年一月五日", "2024-01-05 10:30", "２０２４－０１－０５", "10∶08",
             "2024/1/5", "二〇二四年十三月四十日", "2024-02-30", "青石市人民政府", "\n", " ", "&ensp;",
             "&nbsp;", "<meta name=\"PubDate\" content=\"", "\">", "<h1>", "</h1>", "。", "<!--",
             "-->", "<script>", "<meta charset=\"gb2312\">", "\x00", "\ufeff", "廿", "十", "〇"]


@SETTINGS
@given(st.binary(max_size=3000))
def test_never_raises_on_arbitrary_bytes(data):
    dates = extract_dates(data)
    assert isinstance(dates, DocumentDates)
    _check_consistent(dates)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60),
       st.one_of(st.none(), st.text(max_size=60)), st.one_of(st.none(), st.text(max_size=20)))
def test_never_raises_on_page_like_text(parts, url, list_date):
    text = "".join(parts)
    dates = extract_dates(text, url=url, list_date=list_date)
    _check_consistent(dates)
    assert _check_consistent(extract_dates(text.encode("utf-8", "surrogatepass"))) is None


def _check_consistent(dates: DocumentDates) -> None:
    assert isinstance(dates, DocumentDates)
    for ev in dates.candidates:
        assert isinstance(ev.value, date)
        assert ev.kind in ("issued", "published") and ev.strategy in STRATEGIES
    if dates.issued is not None:
        assert dates.issued.kind == "issued" and dates.issued in dates.candidates
    if dates.published is not None:
        assert dates.published.kind == "published" and dates.published in dates.candidates
