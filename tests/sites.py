"""Fixture sites for crawl tests, written into temporary folders and served on 127.0.0.1.

Pages use the demo site generator's page layout (meta tags, footer, metadata table), so every
site here looks like a real TRS/Hanweb/generic government site.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from auditor.demo.sitegen import Document, next_list, page, trs_list, write

HANWEB_VARIANTS = ("datastore-get", "jpage-post", "datastore-jpage")


def hanweb_site(root: Path, records: int = 100, variant: str = "datastore-get") -> Path:
    """A Hanweb jcms column /col/col1001/ in one of the real variants (docs/cms-variants.md §1):

    ``datastore-get``   the first group (15 × 3 records) inline in ``<datastore>`` with no
                        ``<totalrecord>``, the rest by GET of the ``<nextgroup>`` link (the
                        Dingxi sample: duplicated ``appid``, double-encoded ``webname``)
    ``jpage-post``      only ``$('#2001').jpage({dataStore: [], proxyUrl, ajaxParam})`` with no
                        ``unitid`` in ``ajaxParam`` (it is the element id): every group by POST
    ``datastore-jpage`` the inline first group and the jpage call with ``totalRecord``: the
                        rest by POST windows
    """
    docs = []
    for i in range(1, records + 1):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        docs.append((f"/art/{day.year}/{day.month}/{day.day}/art_1001_{i}.html",
                     f"关于第{i}批政务服务事项的公告", day))
    snippets = [f'\n<li class="clearfix">    <a target="_blank" href="{u}" title="{t}">{t[:8]}...</a>'
                f"    <b>{d}</b></li>" for u, t, d in docs]
    group = snippets[:45]
    inline = "".join(f"<record><![CDATA[{s}]]></record>" for s in group)
    nextgroup = ('<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1'
                 '&appid=1&webid=1&path=/&columnid=1001&unitid=2001&webname=%25E6%25B5%258B'
                 '&permissiontype=0&perpage=15"></a>]]></nextgroup>')
    datastore = (f'<div id="2001"><script type="text/xml"><datastore>{nextgroup}<recordset>'
                 f"{inline}</recordset></datastore></script></div>")
    jpage = ("<script>$('#2001').jpage({themeName:'default',showMode:'full',"
             f"totalRecord:{records},openCookies:false,dataStore:[],groupSize:3,"
             "proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15,barPosition:'bottom',"
             "ajaxParam:{col:1,appid:'1',webid:1,path:'/',columnid:1001,"
             "webname:'某市政府信息公开',permissiontype:0}});</script>")
    body = {"datastore-get": datastore, "jpage-post": '<div id="2001"></div>' + jpage,
            "datastore-jpage": datastore + jpage}[variant]
    write(root / "index.html", page("某市人民政府", '<a href="/col/col1000/index.html">政府信息公开</a>'))
    write(root / "col" / "col1000" / "index.html",
          page("政府信息公开", '<a href="/col/col1001/index.html">通知公告</a>'))
    write(root / "col" / "col1001" / "index.html", page("通知公告", body, column="通知公告"))
    (root / "_hanweb").mkdir(parents=True, exist_ok=True)
    (root / "_hanweb" / "1001.json").write_text(json.dumps(snippets, ensure_ascii=False), "utf-8")
    for url, title, day in docs:
        doc = Document(url.rsplit("_", 1)[1].split(".")[0], title, day, day)
        write(root / url.lstrip("/"), doc.render("通知公告"))
    (root / "_server.json").write_text(json.dumps(
        {"hanweb": {"/module/web/jpage/dataproxy.jsp": "_hanweb"}}), "utf-8")
    return root


def hostile_site(root: Path) -> Path:
    """Every way a government site fails a crawler, one link each."""
    links = {
        "ok.html": "正常文件", "error500.html": "服务器错误", "blocked.html": "防火墙拦截",
        "slow.html": "响应很慢", "loop-a.html": "重定向循环", "away.html": "跳转站外",
        "private/secret.html": "禁止抓取", "busy.html": "限流后恢复", "gone.html": "已删除",
        "challenge.html": "脚本验证",
    }
    day = dt.date(2025, 3, 1)
    items = [(f"/zwgk/tzgg/{href}", f"关于{text}的通知", day.isoformat()) for href, text in links.items()]
    write(root / "index.html", page("某县人民政府", '<a href="/zwgk/tzgg/">通知公告</a>'))
    write(root / "zwgk" / "tzgg" / "index.html", page("通知公告", trs_list(items, 0, 1)))
    for href, text in links.items():
        if href in ("gone.html",):
            continue
        doc = Document(href.split(".")[0].replace("/", "-"), f"关于{text}的通知", day, day)
        write(root / "zwgk" / "tzgg" / href, doc.render("tzgg"))
    write(root / "zwgk" / "tzgg" / "challenge.html",
          "<html><head><script>document.cookie='acw_sc__v2=1';location.reload();</script>"
          "</head><body></body></html>")
    write(root / "robots.txt", "User-agent: *\nDisallow: /zwgk/tzgg/private/\n")
    (root / "_server.json").write_text(json.dumps({
        "status": {"/zwgk/tzgg/error500.html": 500, "/zwgk/tzgg/blocked.html": 412},
        "delay": {"/zwgk/tzgg/slow.html": 4},
        "redirect": {"/zwgk/tzgg/loop-a.html": "/zwgk/tzgg/loop-b.html",
                     "/zwgk/tzgg/loop-b.html": "/zwgk/tzgg/loop-a.html",
                     "/zwgk/tzgg/away.html": "http://localhost:{port}/elsewhere.html"},
        "sequence": {"/zwgk/tzgg/busy.html": [429, 200]},
    }), "utf-8")
    return root


def attachment_report_site(root: Path, pdf: bytes) -> Path:
    """A report column whose report page is only a link to the PDF: the report is the PDF."""
    write(root / "index.html", page("云溪县人民政府", '<a href="/zwgk/">政府信息公开</a>'))
    write(root / "zwgk" / "index.html",
          page("政府信息公开", '<a href="/zwgk/nb/">政府信息公开年报</a>'))
    item = ("/zwgk/nb/202501/t20250120_1.html", "云溪县人民政府2024年政府信息公开工作年度报告",
            "2025-01-20")
    write(root / "zwgk" / "nb" / "index.html", page("政府信息公开年报", trs_list([item], 0, 1)))
    write(root / item[0].lstrip("/"), page(item[1], (
        f"<h1>{item[1]}</h1><div>发布时间：2025-01-20</div><div class='TRS_Editor'>"
        "<p>附件：<a href='/zwgk/nb/202501/P020250120_report.pdf'>年度报告全文.pdf</a></p></div>"),
        meta={"PubDate": "2025-01-20 09:00", "ArticleTitle": item[1],
              "ContentSource": "云溪县人民政府"}))
    (root / "zwgk" / "nb" / "202501" / "P020250120_report.pdf").write_bytes(pdf)
    return root


# ------------------------------------------------------------------ issue 9: coverage and doubt

def _report_page(title: str, published: dt.date, *, site: str = "云溪县人民政府") -> str:
    """A minimal annual report page (2021 format headings and a consistent table 三 row)."""
    body = (f"<h1>{title}</h1><div class='TRS_Editor'><p>一、总体情况</p><p>本年度新收政府信息公开申请0件。</p>"
            "<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p>"
            "<p>六、其他需要报告的事项</p></div>")
    return page(title, body, meta={"ArticleTitle": title, "PubDate": f"{published} 10:00",
                                   "ContentSource": site, "SiteName": site})


def trt_report_column_site(root: Path, *, years: range = range(2016, 2026),
                           declared: int | None = 20) -> Path:
    """A TRS "trt" front end (Fujian 集约化 template) whose 年报 column is "动静结合": static items
    as <dl><dd><a href="./YYYYMM/tYYYYMMDD_N.htm"></dd><dd>date</dd></dl> inside
    ms-visible="showStatic", a hidden avalon template (ms-repeat="list"), and a
    listModel({quickMode, pagebar: {recordCount}}) config — modelled on the real Pingtan page."""
    items, rows = [], []
    for n, year in enumerate(sorted(years, reverse=True)):
        published = dt.date(year + 1, 3, 10)
        href = f"./{published:%Y%m}/t{published:%Y%m%d}_{9000 + n}.htm"
        title = f"云溪县{year}年度政府信息公开工作年度报告"
        items.append((href, title, published))
        rows.append(f'<dl><dd class="trt-col-sm-24"><a href="{href}" target="_blank" '
                    f'title="{title}">{title}</a></dd><dd class="trt-col-4">\n    {published}\n'
                    "</dd></dl>")
    template = ('<div ms-visible="!showStatic" style="display: none"><dl ms-repeat="list">'
                '<dd><a ms-attr-href="el.chnldocurl" ms-text="el.doctitle|html"></a></dd>'
                '<dd ms-text="el.docreltime|date(\'yyyy-MM-dd\')"></dd></dl></div>')
    config = ("<script>require(['list2.trsapi'], function(listModel) { listModel({"
              'quickMode: "动静结合", maxStaticIndex: 1, listArgs: {channelid: SiteInfo.searchId,'
              ' classsql: "chnlid=1813"}, pagebar: {prepage: 10, '
              + (f"recordCount: '{declared}', " if declared is not None else "")
              + 'pgTemp: "pgBar_xxgk.html"}}); });</script>')
    body = (f'<div class="tabs" ms-controller="list"><div ms-visible="showStatic">{"".join(rows)}'
            f'</div>{template}<div class="page_base" ms-include-src="pgTemp"></div></div>{config}')
    column = root / "zwgk" / "zfxxgk" / "zfxxgknb"
    write(column / "index.html", page("政府信息公开年报", body, column="政府信息公开年报"))
    for href, title, published in items:
        write(column / href[2:], _report_page(title, published))
    return root


def opaque_root_site(root: Path) -> Path:
    """A home page whose navigation the crawler cannot read (image links, a script menu)."""
    write(root / "index.html", (
        '<html><head><meta charset="utf-8"><title>云溪县人民政府</title>'
        '<meta name="SiteName" content="云溪县人民政府"><meta name="SiteDomain" '
        'content="www.yunxi.gov.cn"><meta name="SiteIDCode" content="0000000099"></head><body>'
        '<div class="nav"><a href="/zwgk/"><img src="/images/zwgk.png" alt=""></a>'
        '<a href="javascript:openMenu(3)"><img src="/images/hdjl.png"></a></div>'
        '<script>var menu = ["/zwgk/zcwj/", "/zwgk/nb/"];</script></body></html>'))
    write(root / "zwgk" / "index.html", page("政府信息公开", "<p>见左侧菜单</p>"))
    return root


def hanweb_unreadable_site(root: Path) -> Path:
    """A Hanweb column whose list is declared only by a jpage call without its data interface
    (no proxyUrl/ajaxParam in the page): the list cannot be read, only its machinery seen."""
    write(root / "index.html", page("某市人民政府", '<a href="/col/col1000/index.html">政府信息公开</a>'))
    write(root / "zwgk" / "index.html", page("政务公开", '<a href="/col/col1000/index.html">信息公开</a>'))
    write(root / "col" / "col1000" / "index.html",
          page("政府信息公开", '<a href="/col/col1002/index.html">政府信息公开年报</a>'
               '<a href="/col/col1003/index.html">通知公告</a>'))
    write(root / "col" / "col1002" / "index.html", page("政府信息公开年报", (
        '<div id="2002"></div><script src="/module/jslib/jquery/jpage/jquery.page.js"></script>'
        "<script>$('#2002').jpage({themeName:'default',dataStore:InitData2002,perPage:15,"
        "totalRecord:12});</script>"), column="政府信息公开年报"))
    items = [(f"/art/2025/3/{d}/art_1003_{d}.html", f"关于第{d}次会议的通知", f"2025-03-{d:02d}")
             for d in range(1, 6)]
    write(root / "col" / "col1003" / "index.html",
          page("通知公告", next_list(items, None), column="通知公告"))
    for url, title, day in items:
        doc = Document(url.rsplit("_", 1)[1].split(".")[0], title, dt.date.fromisoformat(day),
                       dt.date.fromisoformat(day))
        write(root / url.lstrip("/"), doc.render("通知公告"))
    return root


def landing_pages_site(root: Path) -> Path:
    """A report column that also links landing pages (互动交流 hub, 走进示范 with a TRS_Editor
    body): those are not annual reports and not articles."""
    report = ("/zwgk/nb/202601/t20260120_1.html", "云溪县2025年政府信息公开工作年度报告", "2026-01-20")
    write(root / "index.html", page("云溪县人民政府", '<a href="/zwgk/">政府信息公开</a>'))
    write(root / "zwgk" / "index.html", page("政府信息公开", '<a href="/zwgk/nb/">政府信息公开年报</a>',
                                             column="政府信息公开"))
    links = ('<div class="side"><a href="/hdjl/index.html">互动交流</a>'
             '<a href="/zjsf/202401/t20240101_5.html">走进示范区年度报告简介</a></div>')
    write(root / "zwgk" / "nb" / "index.html",
          page("政府信息公开年报", trs_list([report], 0, 1) + links, column="政府信息公开年报"))
    write(root / report[0].lstrip("/"), _report_page(report[1], dt.date(2026, 1, 20)))
    write(root / "hdjl" / "index.html", page("互动交流", (
        '<div class="hd"><a href="/hdjl/zxft/">在线访谈</a><a href="/hdjl/myzj/">民意征集</a>'
        "</div>"), column="互动交流"))
    write(root / "zjsf" / "202401" / "t20240101_5.html", page("走进示范", (
        '<div class="TRS_Editor"><p>示范区位于县城东部。</p></div>'), column="走进示范"))
    return root
