"""Local replica sites of the CMS list families (docs/cms-variants.md), for crawl tests.

Each builder writes a small site into a folder — the real family's markup and list API shape,
our own content — and returns a :class:`Family` saying where the crawl starts, which column it
must read, which adapter must read it and every document URL the column lists (the truth).
The list APIs are answered by :mod:`auditor.devapis` from ``_api/*.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from auditor.demo.sitegen import Document, page, write

DAY0 = dt.date(2025, 3, 1)


@dataclass
class Family:
    name: str
    start: str  # path the crawl starts from
    column: str  # the column's name in coverage
    adapter: str  # the adapter that must read it
    truth: list[str] = field(default_factory=list)  # site-relative document paths
    settings: dict = field(default_factory=dict)  # extra crawl settings (resolver…)
    host: str | None = None  # start host name (resolved to 127.0.0.1), when not 127.0.0.1


def _docs(n: int, url) -> list[tuple[str, str, dt.date]]:
    out = []
    for i in range(1, n + 1):
        day = DAY0 + dt.timedelta(days=i)
        out.append((url(i, day), f"关于第{i}项政务服务事项调整的公告", day))
    return out


def _write_docs(root: Path, docs, column: str) -> list[str]:
    for path, title, day in docs:
        doc = Document(f"{abs(hash(path)) % 10**8}", title, day, day)
        write(root / path.lstrip("/"), doc.render(column))
    return [path for path, _, _ in docs]


def _api(root: Path, name: str, rows) -> None:
    (root / "_api").mkdir(parents=True, exist_ok=True)
    (root / "_api" / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")


def _server(root: Path, **config) -> None:
    (root / "_server.json").write_text(json.dumps(config, ensure_ascii=False), "utf-8")


def _home(root: Path, link: str, text: str = "政府信息公开") -> None:
    write(root / "index.html", page("云溪县人民政府", f'<ul class="nav"><li><a href="{link}">{text}'
                                    "</a></li></ul>"))


# ------------------------------------------------------------------------------- TRS

def trs_static(root: Path, n: int = 45, per: int = 20, three_numbers: bool = False) -> Family:
    """TRS WCM ``index.shtml``/``index_N.shtml`` with ``createPageHTML`` in its page script."""
    docs = _docs(n, lambda i, d: f"/zwgk/tzgg/{d:%Y%m}/t{d:%Y%m%d}_{5000 + i}.shtml")
    pages = (n + per - 1) // per
    for p in range(pages):
        chunk = docs[p * per:(p + 1) * per]
        lis = "".join(f'<li><a href="./{u.split("/", 3)[3]}" title="{t}">{t}</a><span>{d}</span>'
                      "</li>" for u, t, d in chunk)
        pager = (f'createPageHTML({n}, {pages}, {p}, "index", "shtml");' if three_numbers
                 else f'createPageHTML({pages}, {p}, "index", "shtml");')
        name = "index.shtml" if p == 0 else f"index_{p}.shtml"
        write(root / "zwgk" / "tzgg" / name, page("通知公告", f'<ul class="list">{lis}</ul>'
                                                  f"<script>{pager}</script>", column="通知公告"))
    _home(root, "/zwgk/tzgg/index.shtml", "通知公告")
    return Family("trs-static", "/", "通知公告", "trs", _write_docs(root, docs, "tzgg"))


def trs_avalon(root: Path, mode: str = "动态", static: int = 0, n: int = 23) -> Family:
    """The Fujian TRS trt template: ``listModel({quickMode, listArgs: {channelid:
    SiteInfo.searchId, classsql}, pagebar: {prepage, recordCount}})``; static items (动静结合)
    and the rest from ``POST /fjdzapp/search``."""
    docs = _docs(n, lambda i, d: f"/zwgk/zfxxgk/gwhwj/{d:%Y%m}/t{d:%Y%m%d}_{7100 + i}.htm")
    rows = "".join(f'<dl><dd><a href="./{u.split("/", 4)[4]}" title="{t}">{t}</a></dd>'
                   f"<dd>{d}</dd></dl>" for u, t, d in docs[:static])
    body = (f'<div ms-controller="list"><div ms-visible="showStatic">{rows}</div>'
            '<dl ms-repeat="list"><dd><a ms-attr-href="el.chnldocurl"></a></dd></dl>'
            '<div class="page_base" ms-include-src="pgTemp"></div></div>'
            "<script>var SiteInfo = {searchId: 200977};</script>"
            '<script>require(["list2.trsapi", "tools"], function(listModel) {listModel({'
            f'quickMode: "{mode}", maxStaticIndex: 1, listArgs: {{channelid: SiteInfo.searchId,'
            ' classsql: "" || "chnlid=1728", sortfield: "-docreltime"}, pagebar: {prepage: 10,'
            f" recordCount: '{n}', pgTemp: \"pgBar_xxgk.html\"}}}});}});</script>")
    write(root / "zwgk" / "zfxxgk" / "gwhwj" / "index.html",
          page("管委会文件", body, column="管委会文件"))
    _api(root, "fjdzapp-1728", [
        {"doctitle": t, "chnldocurl": f"./{u.split('/', 4)[4]}",
         "docpuburl": f"http://127.0.0.1:{{port}}{u}", "docreltime": f"{d} 09:00:00",
         "fileno": f"云政〔2025〕{i}号", "idxid": f"YX001-{i:04d}"}
        for i, (u, t, d) in enumerate(docs, 1)])
    _server(root, apis={"/fjdzapp/search": "fjdzapp"})
    _home(root, "/zwgk/zfxxgk/gwhwj/", "管委会文件")
    return Family(f"trs-avalon-{mode}", "/", "管委会文件", "trs-avalon",
                  _write_docs(root, docs, "gwhwj"))


def trs_irs(root: Path, n: int = 33) -> Family:
    """A TRS IRS list: the page's config object names ``tableName``; ``POST /irs/front/list``."""
    docs = _docs(n, lambda i, d: f"/zwgk/zcwj/{d:%Y%m}/t{d:%Y%m%d}_{8100 + i}.html")
    body = ('<div id="list"></div><script>var irsConfig = {tenantId: "7", tableName: "t_zcwj",'
            ' pageSize: 15, url: "/irs/front/list"};</script>')
    write(root / "zwgk" / "zcwj" / "index.html", page("政策文件", body, column="政策文件"))
    _api(root, "irs-t_zcwj", [{"title": t, "url": u, "pubdate": f"{d} 10:00:00"}
                              for u, t, d in docs])
    _server(root, apis={"/irs/front/list": "irs"})
    _home(root, "/zwgk/zcwj/", "政策文件")
    return Family("trs-irs", "/", "政策文件", "trs-irs", _write_docs(root, docs, "zcwj"))


# ----------------------------------------------------------------------------- Hanweb

def hanweb_initdata(root: Path, n: int = 52) -> Family:
    """Older jcms: the first group in ``var InitData3105 = ['<li>…', …]``, the rest by POST."""
    docs = _docs(n, lambda i, d: f"/art/{d.year}/{d.month}/{d.day}/art_3105_{i}.html")
    snippets = [f'<li><a href="{u}" title="{t}">{t}</a><span>{d}</span></li>' for u, t, d in docs]
    array = ",".join("'" + s.replace("'", "\\'") + "'" for s in snippets[:45])
    body = (f'<div id="3105"></div><script>var InitData3105 = [{array}];</script>'
            "<script>$('#3105').jpage({themeName:'default',showMode:'full',"
            f"totalRecord:{n},dataStore:InitData3105,groupSize:3,"
            "proxyUrl:'/module/jslib/jquery/jpage/dataproxy.jsp',perPage:15,"
            "ajaxParam:{col:1,appid:'1',webid:7,path:'/',columnid:3105,unitid:'3105',"
            "webname:'云溪县',permissiontype:0}});</script>")
    write(root / "col" / "col3105" / "index.html", page("通知公告", body, column="通知公告"))
    (root / "_hanweb").mkdir(parents=True, exist_ok=True)
    (root / "_hanweb" / "3105.json").write_text(json.dumps(snippets, ensure_ascii=False), "utf-8")
    _server(root, hanweb={"/module/jslib/jquery/jpage/dataproxy.jsp": "_hanweb"})
    _home(root, "/col/col3105/index.html", "通知公告")
    return Family("hanweb-initdata", "/", "通知公告", "hanweb", _write_docs(root, docs, "col3105"))


def hanweb_jpaas(root: Path, n: int = 40, rows: int = 15) -> Family:
    """JPAAS: ``count``/``rows``/``queryData`` on the pager; pages from ``…/build/unit``."""
    docs = _docs(n, lambda i, d: f"/art/{d.year}/{d.month}/{d.day}/art_2293_{i}.html")
    body = ('<ul id="list"></ul><div class="pagination" count="' + str(n) + f'" rows="{rows}" '
            "pageNo=\"1\" queryData=\"{'webId':'3185','pageId':'2293','tagId':'信息列表',"
            "'tplSetId':'a1b2'}\"></div><script src=\"/static/jpaas/page.js\"></script>")
    write(root / "col" / "col2293" / "index.html", page("政策解读", body, column="政策解读"))
    _api(root, "jpaas-2293", [f'<li><a href="{u}" title="{t}">{t}</a><span>{d}</span></li>'
                              for u, t, d in docs])
    _server(root, apis={"/api-gateway/jpaas-publish-server/front/page/build/unit": "jpaas"})
    _home(root, "/col/col2293/index.html", "政策解读")
    return Family("hanweb-jpaas", "/", "政策解读", "hanweb-jpaas",
                  _write_docs(root, docs, "col2293"))


def hanweb_xxgk(root: Path, n: int = 37) -> Family:
    """The 信息公开目录 module: a form posting to ``/module/xxgk/search.jsp`` (currpage)."""
    docs = _docs(n, lambda i, d: f"/art/{d.year}/{d.month}/{d.day}/art_4401_{i}.html")
    form = ('<form id="searchform" method="post" action="/module/xxgk/search.jsp?texttype=0">'
            '<input type="hidden" name="infotypeId" value="A0101"><input type="hidden" '
            'name="jdid" value="7"><input type="hidden" name="area" value="">'
            '<input type="text" name="vc_title" value=""><input type="submit" value="搜索">'
            "</form>")
    write(root / "col" / "col4401" / "index.html",
          page("法定主动公开内容", form, column="法定主动公开内容"))
    _api(root, "xxgk-A0101", [f'<tr><td>00000007/2025-{i:05d}</td><td><a href="{u}">{t}</a>'
                              f"</td><td>{d}</td></tr>" for i, (u, t, d) in enumerate(docs, 1)])
    _server(root, apis={"/module/xxgk/search.jsp": "xxgk"})
    _home(root, "/col/col4401/index.html", "法定主动公开内容")
    return Family("hanweb-xxgk", "/", "法定主动公开内容", "hanweb-xxgk",
                  _write_docs(root, docs, "col4401"))


# ----------------------------------------------------------------------------- gkmlpt

def gkmlpt(root: Path, sizes: tuple[int, ...] = (130, 12), window: int | None = None) -> Family:
    """A gkmlpt site: ``/yxhjj/gkmlpt/index`` with ``window._CONFIG`` (SID, TREE of a parent
    and leaf categories, one ``jump_url`` leaf) and the API ``…/api/all/{cat}``; articles vary
    their keys (no ``identifier``/``created_at`` on some)."""
    base = "/yxhjj/gkmlpt"
    tree = [{"id": 3000, "name": "政策文件", "parent": 0, "children": [
        {"id": 3000 + k + 1, "name": f"类目{k + 1}", "parent": 3000, "post_count": size}
        for k, size in enumerate(sizes)] + [
        {"id": 3999, "name": "外部链接", "parent": 3000, "jump_url": "http://www.gd.gov.cn/"}]}]
    write(root / base.lstrip("/") / "index", (
        "<!doctype html><html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
        "<div id='app'></div><script>window._CONFIG = {ACTION: 'index', SID: '758099', "
        f"TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1}};</script>"
        "</body></html>"))
    truth = []
    for k, size in enumerate(sizes):
        cat = 3000 + k + 1
        docs = _docs(size, lambda i, d, cat=cat: f"{base}/content/3/{cat}/post_{cat * 1000 + i}.html")
        articles = []
        for i, (u, t, d) in enumerate(docs, 1):
            article = {"id": cat * 1000 + i, "title": t, "url": f"http://127.0.0.1:{{port}}{u}",
                       "date": int(dt.datetime(d.year, d.month, d.day).timestamp()),
                       "publisher": "云溪县生态环境局", "classify_main": cat, "attachment": []}
            if i % 3:
                article.update({"identifier": f"11441200MB2C9/{d.year}-{i:05d}",
                                "created_at": f"{d} 10:48:49",
                                "document_number": f"云环〔{d.year}〕{i}号"})
            articles.append(article)
        _api(root, f"gkmlpt-{cat}", articles)
        if window is not None:
            (root / "_api" / f"gkmlpt-{cat}.window").write_text(str(window))
        for u, t, _ in docs:
            detail = {"id": int(u.rsplit("_", 1)[1].split(".")[0]), "title": t,
                      "content": f"<p>{t}。</p>", "publisher": "云溪县生态环境局"}
            write(root / u.lstrip("/"), (
                f"<!doctype html><html><head><meta charset='utf-8'><title>{t}</title></head>"
                f"<body><script>window._CONFIG = {{ACTION: 'content', DETAIL: "
                f"{json.dumps(detail, ensure_ascii=False)}, TREE: []}};</script></body></html>"))
        truth += [u for u, _, _ in (docs[:window] if window is not None else docs)]
    _server(root, apis={f"{base}/api/all/": "gkmlpt"})
    _home(root, f"{base}/index", "政府信息公开")
    return Family("gkmlpt", "/", "政府信息公开", "gkmlpt", truth)


# ------------------------------------------------------------------------------- UCAP

def ucap(root: Path, n: int = 45) -> Family:
    """A UCAP list page whose script calls ``/common/search/{channel}``; urls in the JSON are
    site-relative and protocol-relative."""
    channel = "8a8e2f1c9d3b4a5e6f70819a2b3c4d5e"
    docs = _docs(n, lambda i, d: f"/yxgdj/c109213/{d:%Y%m}/{9000 + i}.shtml")
    body = ('<ul class="list" id="list"></ul><script>var url = "/common/search/'
            f'{channel}?_isAgg=true&_isJson=true&_pageSize=20&_template=index";</script>')
    write(root / "yxgdj" / "c109213" / "xwzx.shtml", page("新闻中心", body, column="新闻中心"))
    _api(root, f"ucap-{channel}", [
        {"title": t, "url": u if i % 2 else f"//127.0.0.1:{{port}}{u}",
         "publishedTimeStr": f"{d} 09:30:03",
         "channelName": "新闻中心", "domainMetaList": [{"resultList": [
             {"key": "syh", "name": "索引号", "value": f"YX-{i:04d}"},
             {"key": "wh", "name": "文号", "value": "null"}]}]}
        for i, (u, t, d) in enumerate(docs, 1)])
    _server(root, apis={"/common/search/": "ucap"})
    _home(root, "/yxgdj/c109213/xwzx.shtml", "新闻中心")
    return Family("ucap", "/", "新闻中心", "ucap", _write_docs(root, docs, "xwzx"))


# ---------------------------------------------------------------------------- generic

def iframe_list(root: Path, n: int = 9) -> Family:
    """A column page that frames its list (``<iframe src="list.html">``)."""
    docs = _docs(n, lambda i, d: f"/zwgk/rsxx/{d:%Y%m}/t{d:%Y%m%d}_{6100 + i}.html")
    lis = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in docs)
    write(root / "zwgk" / "rsxx" / "index.html",
          page("人事信息", '<iframe src="list.html" width="100%" height="800"></iframe>',
               column="人事信息"))
    write(root / "zwgk" / "rsxx" / "list.html", f"<html><body><ul>{lis}</ul></body></html>")
    _home(root, "/zwgk/rsxx/", "人事信息公开")
    return Family("iframe", "/", "人事信息公开", "generic", _write_docs(root, docs, "rsxx"))


def xxgk_host(root: Path, n: int = 6) -> Family:
    """Discovery from the root: the portal ``www.yunxi.test`` links its 政府信息公开 专栏 on its
    own host ``xxgk.yunxi.test``; a footer link to another site (``www.other.test``, 政务公开) must
    never be fetched."""
    docs = _docs(n, lambda i, d: f"/tzgg/{d:%Y%m}/t{d:%Y%m%d}_{4100 + i}.html")
    write(root / "www" / "index.html", page("云溪县人民政府", (
        '<ul class="nav"><li><a href="http://xxgk.yunxi.test:{port}/">政府信息公开</a></li></ul>'
        '<div class="footer-links"><a href="http://www.other.test:{port}/zwgk/">政务公开</a>'
        "</div>")))
    lis = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in docs)
    xx = root / "xxgk"
    write(xx / "index.html", page("政府信息公开", '<a href="/tzgg/">通知公告</a>', column="政府信息公开"))
    write(xx / "tzgg" / "index.html", page("通知公告", f"<ul>{lis}</ul>", column="通知公告"))
    _write_docs(xx, docs, "tzgg")
    write(root / "other" / "zwgk" / "index.html", page("别的网站", "<p>不应被抓取</p>"))
    _server(root, hosts={"www.yunxi.test": "www", "xxgk.yunxi.test": "xxgk",
                         "www.other.test": "other"})
    return Family("xxgk-host", "/", "通知公告", "generic",
                  [f"http://xxgk.yunxi.test:{{port}}{u}" for u, _, _ in docs],
                  settings={"DNS_RESOLVER": "auditor.spiders.resolver.LoopbackResolver"},
                  host="www.yunxi.test")


FAMILIES = {
    "trs-static": trs_static,
    "trs-static-3": lambda root: trs_static(root, three_numbers=True),
    "trs-avalon-dynamic": trs_avalon,
    "trs-avalon-mixed": lambda root: trs_avalon(root, mode="动静结合", static=10),
    "trs-irs": trs_irs,
    "hanweb-initdata": hanweb_initdata,
    "hanweb-jpaas": hanweb_jpaas,
    "hanweb-xxgk": hanweb_xxgk,
    "gkmlpt": gkmlpt,
    "ucap": ucap,
    "iframe": iframe_list,
}
