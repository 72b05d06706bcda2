"""Page kinds from evidence (issue 9): every fetched page is home, list, document, report,
attachment or other, with the cue that decided it — and `auditor check` refuses pages that are
not annual reports, saying what they are. Fixtures are our own pages modelled on the real
families (TRS WCM / trt avalon, Hanweb jcms, gkmlpt, NFRA-style article pages)."""

from __future__ import annotations

import pytest
import responses

from auditor.cli import main
from auditor.parse.page import read_page
from auditor.spiders.adapters import read_list

HEAD = ('<html><head><meta charset="utf-8"><title>{title}_云溪县人民政府</title>'
        '<meta name="SiteName" content="云溪县人民政府">{metas}</head><body>'
        '<div class="header"><a href="/">首页</a><a href="/zwgk/">政务公开</a>'
        '<a href="/hdjl/">互动交流</a></div>{body}'
        '<div class="footer">主办单位：云溪县人民政府办公室 网站标识码：0000000099</div></body></html>')


def html(title: str, body: str, **metas: str) -> bytes:
    tags = "".join(f'<meta name="{k}" content="{v}">' for k, v in metas.items())
    return HEAD.format(title=title, metas=tags, body=body).encode("utf-8")


def dated_items(n: int, *, dl: bool = False) -> str:
    rows = []
    for i in range(1, n + 1):
        href = f"./2025{i % 12 + 1:02d}/t2025{i % 12 + 1:02d}10_{7000 + i}.htm"
        title = f"云溪县关于第{i}批项目的公示"
        if dl:
            rows.append(f'<dl><dd><a href="{href}" title="{title}">{title}</a></dd>'
                        f"<dd>2025-{i % 12 + 1:02d}-10</dd></dl>")
        else:
            rows.append(f'<li><a href="{href}">{title}</a><span>2025-{i % 12 + 1:02d}-10</span></li>')
    return ("".join(rows)) if dl else f'<ul class="list">{"".join(rows)}</ul>'


PAGES = {
    # (bytes, url, expected kind)
    "trs static list": (html("公示公告", dated_items(15) + '<script>createPageHTML(3, 0, "index", '
                             '"htm");</script>', ColumnName="公示公告"),
                        "http://www.yunxi.gov.cn/zwgk/gsgg/", "list"),
    "trt avalon dl list": (html("政府信息公开年报", '<div ms-visible="showStatic">'
                                + dated_items(4, dl=True) + "</div>"
                                '<script>listModel({quickMode: "动静结合", pagebar: {prepage: 10, '
                                "recordCount: '4'}});</script>"),
                           "http://www.yunxi.gov.cn/zwgk/nb/", "list"),
    "trt avalon dynamic only": (html("重大事项", '<dl ms-repeat="list"><dd><a ms-attr-href='
                                     '"el.chnldocurl"></a></dd></dl><script>listModel({quickMode:'
                                     ' "动态", listArgs: {classsql: "chnlid=1728"}});</script>'),
                                "http://www.yunxi.gov.cn/zwgk/gwhwj/", "list"),
    "hanweb jpage only": (html("通知公告", '<div id="3001"></div><script>$(\'#3001\').jpage({'
                               "dataStore: [], proxyUrl:'/module/web/jpage/dataproxy.jsp', "
                               "perPage: 15, totalRecord: 60, ajaxParam: {col:1, webid:5, "
                               "columnid: 501}});</script>"),
                          "http://www.yunxi.gov.cn/col/col501/index.html", "list"),
    "placeholder column": (html("人事信息", '<div class="list_con"><p>暂无信息</p></div>',
                                ColumnName="人事信息"),
                           "http://www.yunxi.gov.cn/zwgk/rsxx/", "list"),
    "catalogue table list": (html("政策文件", '<table class="list"><tr><th>索引号</th><th>标题</th>'
                                  "<th>成文日期</th><th>发布日期</th></tr>" + "".join(
                                      f'<tr><td>00000099/2025-0000{i}</td><td><a href="./202501/'
                                      f't20250110_{i}.html">关于印发第{i}号文件的通知</a></td>'
                                      f"<td>2025-01-0{i}</td><td>2025-01-10</td></tr>"
                                      for i in range(1, 5)) + "</table>", ColumnName="政策文件"),
                             "http://www.yunxi.gov.cn/zwgk/zcwj/", "list"),
    "article with tags": (html("关于做好防汛工作的通知", '<div class="TRS_Editor"><p>各乡镇：现将有关'
                               "事项通知如下。</p></div>" + dated_items(5),
                               ArticleTitle="关于做好防汛工作的通知", PubDate="2025-06-01 09:00"),
                          "http://www.yunxi.gov.cn/zwgk/tzgg/202506/t20250601_1.html", "document"),
    "metadata block only": (html("关于印发方案的通知", '<div class="xxgk"><table><tr><th>索引号：</th>'
                                 "<td>00000099/2025-00012</td><th>发文字号：</th><td>云政发〔2025〕3号"
                                 "</td></tr><tr><th>成文日期：</th><td>2025年1月3日</td></tr></table>"
                                 "</div><div class='zoom'><p>正文。</p></div>"),
                            "http://www.yunxi.gov.cn/art/2025/1/8/art_501_9.html", "document"),
    "gkmlpt detail": (b"<html><head><script>window._CONFIG = { ACTION: 'content', DETAIL: "
                      b'{"id":1,"title":"x"}, TREE: []};</script></head><body></body></html>',
                      "http://www.yunxi.gov.cn/gkmlpt/content/1/1/post_1.html", "document"),
    "report page": (html("云溪县2025年政府信息公开工作年度报告", "<h1>云溪县2025年政府信息公开工作年度报告</h1>"
                         "<div class='TRS_Editor'><p>一、总体情况</p></div>",
                         ArticleTitle="云溪县2025年政府信息公开工作年度报告"),
                    "http://www.yunxi.gov.cn/zwgk/nb/202601/t20260120_1.html", "report"),
    "notice about reports is a document": (
        html("关于报送2025年度政府信息公开工作年度报告的通知", "<div class='TRS_Editor'><p>各单位：请于1月"
             "31日前报送。</p></div>", ArticleTitle="关于报送2025年度政府信息公开工作年度报告的通知"),
        "http://www.yunxi.gov.cn/zwgk/tzgg/202601/t20260105_2.html", "document"),
    "interaction hub": (html("互动交流", '<div class="hd"><a href="/hdjl/zxft/">在线访谈</a>'
                             '<a href="/hdjl/myzj/">民意征集</a></div>'),
                        "http://www.yunxi.gov.cn/hdjl/", "other"),
    "landing with TRS_Editor body": (html("走进示范", '<div class="TRS_Editor"><p>示范区概况简介。</p>'
                                          "</div>", ColumnName="走进示范"),
                                     "http://www.yunxi.gov.cn/zjsf/", "other"),
    "home page": (html("云溪县人民政府", '<div class="banner">欢迎</div><a href="/zwgk/">政府信息公开</a>'),
                  "http://www.yunxi.gov.cn/", "home"),
    "empty firewall body": (b"<html><body></body></html>", "http://www.yunxi.gov.cn/zwgk/tzgg/",
                            "other"),
    "pdf": (b"%PDF-1.7\n%...", "http://www.yunxi.gov.cn/files/a.pdf", "attachment"),
    "png named html": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "http://www.yunxi.gov.cn/a.html",
                       "attachment"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_kind_from_evidence(name):
    body, url, expected = PAGES[name]
    page = read_page(body, url)
    assert page.kind.kind == expected, (name, page.kind)
    assert page.kind.cue  # every kind says why


def test_reached_as_column_with_one_item_is_a_list():
    body = html("年度报告", dated_items(1), ColumnName="年度报告")
    assert read_page(body, "http://www.yunxi.gov.cn/zwgk/nb/").kind.kind == "other"
    assert read_page(body, "http://www.yunxi.gov.cn/zwgk/nb/", reached_as="column").kind.kind \
        == "list"


def test_list_states():
    readings = {name: read_list(read_page(PAGES[name][0], PAGES[name][1]))
                for name in ("trs static list", "trt avalon dl list", "trt avalon dynamic only",
                             "hanweb jpage only", "placeholder column")}
    assert readings["trs static list"].state == "items"
    assert len(readings["trs static list"].items) == 15 and len(readings["trs static list"].pages) == 3
    assert readings["trt avalon dl list"].state == "items"
    assert readings["trt avalon dl list"].unfollowed is None  # recordCount 4 = 4 static items
    assert readings["trt avalon dl list"].items[0].list_date  # the date in the sibling <dd>
    assert readings["trt avalon dynamic only"].state == "unread"
    hanweb = readings["hanweb jpage only"]
    assert hanweb.adapter == "hanweb" and len(hanweb.pages) == 2  # 60 records, groups of 45
    assert all(p.method == "POST" and ("unitid", "3001") in p.form for p in hanweb.pages)
    assert readings["placeholder column"].state == "empty"


def test_template_and_foreign_links_are_not_items():
    body = html("公示公告", dated_items(3) + '<a href="{{el.url}}">模板</a>'
                '<a href="http://paper.people.com.cn/rmrb/html/2023-11/02/nbs.D110000renmrb_01.htm">'
                "人民日报</a>")
    items = read_list(read_page(body, "http://www.yunxi.gov.cn/zwgk/gsgg/")).items
    assert len(items) == 3


def test_base_href_is_honoured():
    body = html("公示公告", '<base href="http://www.yunxi.gov.cn/other/">' + dated_items(3))
    items = read_list(read_page(body, "http://www.yunxi.gov.cn/zwgk/gsgg/")).items
    assert all(i.url.startswith("http://www.yunxi.gov.cn/other/") for i in items)


@pytest.mark.parametrize(("name", "says"), [
    ("trs static list", "栏目列表页"), ("article with tags", "文章页“关于做好防汛工作的通知”"),
    ("interaction hub", "其他页面"),
])
def test_check_refuses_what_is_not_a_report(tmp_path, capsys, name, says):
    path = tmp_path / "page.html"
    path.write_bytes(PAGES[name][0])
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    line = captured.err.strip()
    assert len(line.splitlines()) == 1 and says in line and "不是政府信息公开工作年度报告" in line


def test_check_of_a_list_page_counts_its_items(tmp_path, capsys):
    path = tmp_path / "list.html"
    path.write_bytes(PAGES["trs static list"][0])
    main(["check", str(path)])
    assert "列出15条" in capsys.readouterr().err


@responses.activate
def test_check_of_a_site_home_url(capsys):
    responses.add(responses.GET, "http://www.yunxi.gov.cn/", body=PAGES["home page"][0],
                  content_type="text/html; charset=utf-8")
    code = main(["check", "http://www.yunxi.gov.cn/"])
    err = capsys.readouterr().err
    assert code == 2 and "这是网站首页（网站根地址）" in err
