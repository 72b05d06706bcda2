"""Fixture sites for crawl tests, written into temporary folders and served on 127.0.0.1.

Pages use the demo site generator's page layout (meta tags, footer, metadata table), so every
site here looks like a real TRS/Hanweb/generic government site.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from auditor.demo.sitegen import Document, page, trs_list, write

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
