"""A generated county portal for the website indicators (issue 13), healthy by default, with
problems planted on demand. Written into a temporary folder and served on 127.0.0.1.

Everything is dated relative to the 检查基准日 ``as_of``, so the site is healthy or stale only
as of that day. The layout follows real portals (demo page template, TRS lists): a home page
with a news list, the 政府信息公开 area with its 指南, 目录, 法定主动公开内容 (a navigation page of
columns with any names), 依申请公开 and 年报 columns, and an 在线咨询 column of messages.

``PLANTS`` names every problem :func:`indicator_site` can plant, with the finding it must give.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from auditor.demo.sitegen import Document, page, report_html, trs_list, write

AS_OF = dt.date(2026, 6, 30)
SITE = "鹤鸣县人民政府"

#: plant -> (rule, status, where: a path the finding's URL ends with, or "" for the site)
PLANTS: dict[str, tuple[str, str, str]] = {
    "stale_home": ("WEB-05", "violation", "/"),
    "stale_news": ("WEB-06", "violation", "/xwzx/gzdt/"),
    "stale_notice": ("WEB-06", "violation", "/zwgk/tzgg/"),
    "undated": ("WEB-06", "violation", "/zwgk/zcwj/"),
    "stale_personnel": ("WEB-07", "violation", "/zwgk/rsxx/"),
    "blank": ("WEB-08", "violation", "/zwgk/zdxm/"),
    "placeholder": ("WEB-08", "violation", "/zwgk/zfcg/"),
    "incomplete_guide": ("WEB-11", "violation", "/zwgk/gkzn/"),
    "missing_catalogue": ("WEB-12", "violation", ""),
    "no_channel": ("WEB-14", "violation", "/zwgk/ysqgk/"),
    "missing_statistics": ("WEB-15", "violation", ""),
    "unanswered": ("WEB-16", "violation", "/hdjl/zxzx/"),
    "footer": ("WEB-17", "violation", "/"),
}
#: A column whose list is built by a script the crawler cannot read: never blank, never stale.
UNREAD_COLUMN = "/zwgk/zxzj/"


def _e(text: object) -> str:
    return html.escape(str(text))


def _doc(folder: str, slug: str, title: str, day: dt.date | None, column: str,
         dated: bool = True) -> tuple[str, Document]:
    stamp = (day or AS_OF).strftime("%Y%m%d")
    url = f"{folder}{stamp[:6]}/t{stamp}_{slug}.html"
    doc = Document(slug, title, day if dated else None, day if dated else None,
                   pubdate_meta="same" if dated else None, list_date=dated)
    return url, doc


def _column(root: Path, folder: str, name: str, docs: list[tuple[str, str, dt.date | None]],
            *, dated: bool = True) -> None:
    """A TRS list column at ``folder`` with its documents: (slug, title, date)."""
    items = []
    for slug, title, day in docs:
        url, doc = _doc(folder, slug, title, day, name, dated)
        write(root / url.lstrip("/"), doc.render(name))
        items.append((url, title, day.isoformat() if dated and day else ""))
    if dated:
        body = trs_list(items, 0, 1)
    else:  # a list that prints no dates, of documents that state none
        lis = "".join(f'<li><a href="{_e(u)}">{_e(t)}</a></li>' for u, t, _ in items)
        body = (f'<ul class="list">{lis}</ul><div class="page"><script>'
                'createPageHTML(1, 0, "index", "html");</script></div>')
    write(root / folder.lstrip("/") / "index.html", page(name, body, column=name))


def _hub(root: Path, folder: str, name: str, links: list[tuple[str, str]]) -> None:
    lis = "".join(f'<li><a href="{_e(href)}">{_e(text)}</a></li>' for text, href in links)
    write(root / folder.lstrip("/") / "index.html",
          page(name, f'<ul class="columns">{lis}</ul>', column=name))


GUIDE_COMPLETE = (
    "<p>为方便公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
    "<p>一、信息分类与编排体系：本机关主动公开的政府信息分为机构职能、政策文件、规划计划、统计信息、财政预决算等类别，"
    "各类别内按发布时间倒序编排。</p>"
    "<p>二、获取方式：主动公开的政府信息通过县政府门户网站公开；依申请公开的，申请人可以当面提交、邮政寄送或通过网上"
    "申请平台提出申请。</p>"
    "<p>三、政府信息公开工作机构：名称：鹤鸣县人民政府办公室；办公地址：鹤鸣县人民路1号；"
    "办公时间：工作日上午8:30—12:00，下午14:30—17:30；联系电话：0000-6123456；"
    "传真号码：0000-6123457；电子邮箱：zwgk@heming.example.gov.cn。</p>")
#: The same 指南 without its 办公时间 and 传真号码.
GUIDE_INCOMPLETE = (
    "<p>为方便公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
    "<p>一、信息分类与编排体系：本机关主动公开的政府信息分为机构职能、政策文件等类别，按发布时间倒序编排。</p>"
    "<p>二、获取方式：主动公开的政府信息通过县政府门户网站公开；依申请公开的，申请人可以当面提交或邮政寄送申请。</p>"
    "<p>三、政府信息公开工作机构：名称：鹤鸣县人民政府办公室；办公地址：鹤鸣县人民路1号；"
    "联系电话：0000-6123456；电子邮箱：zwgk@heming.example.gov.cn。</p>")


def indicator_site(root: Path, *, as_of: dt.date = AS_OF,
                   plant: frozenset[str] | set[str] = frozenset(),
                   forbid: tuple[str, ...] = ()) -> Path:
    """Write the portal into ``root``; ``plant`` names problems of :data:`PLANTS`; ``forbid``
    lists paths robots.txt keeps the crawler out of."""
    unknown = set(plant) - set(PLANTS)
    if unknown:
        raise ValueError(f"unknown plants {sorted(unknown)}")
    if forbid:
        write(root / "robots.txt",
              "User-agent: *\n" + "".join(f"Disallow: {path}\n" for path in forbid))

    def ago(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    # 工作动态 (动态要闻类: 2 weeks) — also the home page's news list.
    news = [("101", "县政府召开第12次常务会议", ago(25 if "stale_news" in plant else 3)),
            ("102", "县长调研夏粮收购工作", ago(30)), ("103", "全县安全生产工作会议召开", ago(41))]
    _column(root, "/xwzx/gzdt/", "工作动态", news)
    home_folder, home_news = "/xwzx/gzdt/", news
    if "stale_home" in plant:  # the home page shows only older 图片新闻 (工作动态 stays fresh)
        home_folder = "/xwzx/tpxw/"
        home_news = [("111", "鹤鸣县举办农民丰收节", ago(20)), ("112", "城北公园建成开放", ago(27))]
        for slug, title, day in home_news:
            url, doc = _doc(home_folder, slug, title, day, "图片新闻")
            write(root / url.lstrip("/"), doc.render("图片新闻"))
    home_items = "".join(
        f'<li><a href="{_e(_doc(home_folder, s, t, d, "工作动态")[0])}">{_e(t)}</a>'
        f"<span>{d.isoformat()}</span></li>" for s, t, d in home_news)
    home = page(SITE, (
        '<div class="banner">欢迎访问鹤鸣县人民政府门户网站</div>'
        f'<div class="news"><h2>政务要闻</h2><ul class="list">{home_items}</ul></div>'
        '<ul class="entrances"><li><a href="/zwgk/">政府信息公开</a></li>'
        '<li><a href="/xwzx/gzdt/">工作动态</a></li><li><a href="/hdjl/zxzx/">在线咨询</a></li></ul>'))
    if "footer" in plant:
        home = home.replace("　示公网安备 00000000000006号", "")
    write(root / "index.html", home)

    # The 政府信息公开 area.
    # Without a 目录, the columns' page is not called 法定主动公开内容 either (that one may stand
    # for the 目录: 国办公开办函〔2019〕61号), so nothing on the site is the catalogue.
    hub_name = "主动公开信息" if "missing_catalogue" in plant else "法定主动公开内容"
    area = [("政府信息公开指南", "/zwgk/gkzn/"), (hub_name, "/zwgk/fdzdgknr/"),
            ("依申请公开", "/zwgk/ysqgk/"), ("政府信息公开年报", "/zwgk/nb/")]
    if "missing_catalogue" not in plant:
        area.insert(1, ("政府信息公开目录", "/zwgk/gkml/"))
    _hub(root, "/zwgk/", "政府信息公开", area)
    statutory = [("机构职能", "/zwgk/jgzn/"), ("政策文件", "/zwgk/zcwj/"),
                 ("通知公告", "/zwgk/tzgg/"), ("规划计划", "/zwgk/ghjh/"),
                 ("统计信息", "/zwgk/tjxx/"), ("财政预决算", "/zwgk/czyjs/"),
                 ("人事信息", "/zwgk/rsxx/"), ("重点项目", "/zwgk/zdxm/"),
                 ("政府采购", "/zwgk/zfcg/"), ("专项资金", UNREAD_COLUMN)]
    if "missing_statistics" in plant:
        statutory = [(t, h) for t, h in statutory if t != "统计信息"]
    _hub(root, "/zwgk/fdzdgknr/", hub_name, statutory)

    write(root / "zwgk" / "jgzn" / "index.html", page("机构职能", (
        '<div class="article"><h1>鹤鸣县人民政府办公室机构职能</h1><div class="TRS_Editor">'
        "<p>县政府办公室负责县政府日常工作，协助县政府领导同志处理政务，承担政府信息公开工作。</p>"
        "<p>办公地址：鹤鸣县人民路1号。负责人：某某某。</p></div></div>"), column="机构职能"))
    policy = [("201", "关于印发鹤鸣县夏季防汛工作方案的通知", ago(35)),
              ("202", "关于做好2026年高校毕业生就业工作的通知", ago(70))]
    _column(root, "/zwgk/zcwj/", "政策文件", policy, dated="undated" not in plant)
    notices = [("301", "关于开展2026年度政务公开第三方评估的公告",
                ago(200 if "stale_notice" in plant else 40)),
               ("302", "鹤鸣县2026年公开招聘社区工作者公告", ago(230))]
    _column(root, "/zwgk/tzgg/", "通知公告", notices)
    _column(root, "/zwgk/ghjh/", "规划计划", [("401", "鹤鸣县2026年国民经济和社会发展计划", ago(100))])
    if "missing_statistics" not in plant:
        _column(root, "/zwgk/tjxx/", "统计信息", [("501", "2026年5月全县主要经济指标", ago(20))])
    _column(root, "/zwgk/czyjs/", "财政预决算", [("601", "鹤鸣县2026年财政预算公开", ago(60))])
    _column(root, "/zwgk/rsxx/", "人事信息",
            [("701", "关于某某同志任职的通知", ago(400 if "stale_personnel" in plant else 90))])
    if "blank" in plant:  # an empty TRS list whose pager says 0 records
        write(root / "zwgk" / "zdxm" / "index.html", page("重点项目", (
            '<ul class="list"></ul><div class="page"><script>createPageHTML(0, 0, 0, "index", '
            '"html");</script></div>'), column="重点项目"))
    else:
        _column(root, "/zwgk/zdxm/", "重点项目", [("801", "鹤鸣县城北污水处理厂项目批复", ago(150))])
    if "placeholder" in plant:
        write(root / "zwgk" / "zfcg" / "index.html",
              page("政府采购", '<div class="list-box"><p>暂无信息</p></div>', column="政府采购"))
    else:
        _column(root, "/zwgk/zfcg/", "政府采购", [("901", "鹤鸣县办公设备采购项目中标公告", ago(45))])
    write(root / UNREAD_COLUMN.strip("/") / "index.html", page("专项资金", (
        '<div id="3001"></div><script src="/module/jslib/jquery/jpage/jquery.page.js"></script>'
        "<script>$('#3001').jpage({themeName:'default',dataStore:InitData3001,perPage:15,"
        "totalRecord:7});</script>"), column="专项资金"))

    guide = GUIDE_INCOMPLETE if "incomplete_guide" in plant else GUIDE_COMPLETE
    if "no_channel" in plant:  # the 指南 says nothing of how to apply either
        guide = guide.split("；依申请公开的")[0] + "。</p>" + guide.split("</p>", 3)[-1]
    guide_title, guide_day = f"{SITE}政府信息公开指南", ago(150)
    write(root / "zwgk" / "gkzn" / "index.html", page(guide_title, (
        f'<div class="article"><h1>{guide_title}</h1><div class="info">发布时间：{guide_day}</div>'
        f'<div class="TRS_Editor">{guide}</div></div>'), column="政府信息公开指南",
        meta={"ArticleTitle": guide_title, "PubDate": f"{guide_day} 09:00",
              "ContentSource": SITE}))
    if "missing_catalogue" not in plant:
        rows = "".join(
            f"<tr><td>00000006/{d.year}-{slug}</td><td><a href=\"{_e(_doc('/zwgk/zcwj/', slug, t, d, '政策文件')[0])}\">"
            f"{_e(t)}</a></td><td>{_e(t)}的主要内容</td><td>{d.isoformat()}</td></tr>"
            for slug, t, d in policy)
        write(root / "zwgk" / "gkml" / "index.html", page("政府信息公开目录", (
            '<table class="gkml"><tr><th>索引号</th><th>名称</th><th>内容概述</th><th>生成日期</th></tr>'
            f"{rows}</table>"), column="政府信息公开目录"))
    channel = ("<p>申请人可以通过以下方式提出政府信息公开申请：</p><p>1. 当面提交：鹤鸣县人民路1号县政府办公室。</p>"
               "<p>2. 邮政寄送：请在信封左下角注明“政府信息公开申请”字样。</p>"
               '<p><a href="/zwgk/ysqgk/form.html">在线申请</a></p>')
    if "no_channel" in plant:  # the 依申请公开 page only quotes the 条例
        channel = ("<p>《中华人民共和国政府信息公开条例》第二十七条：除行政机关主动公开的政府信息外，公民、法人或者"
                   "其他组织可以向地方各级人民政府、对外以自己名义履行行政管理职能的县级以上人民政府部门申请获取相关"
                   "政府信息。</p>")
    write(root / "zwgk" / "ysqgk" / "index.html", page("依申请公开", (
        f'<div class="article"><h1>依申请公开</h1><div class="TRS_Editor">{channel}</div></div>'),
        column="依申请公开"))
    report_day = dt.date(as_of.year, 1, 20)
    report_title = f"{SITE}{as_of.year - 1}年政府信息公开工作年度报告"  # as report_html titles it
    report_url = f"/zwgk/nb/{report_day:%Y%m}/t{report_day:%Y%m%d}_1.html"
    write(root / "zwgk" / "nb" / "index.html", page(
        "政府信息公开年报", trs_list([(report_url, report_title, report_day.isoformat())], 0, 1),
        column="政府信息公开年报"))
    write(root / report_url.lstrip("/"), _report(as_of.year - 1, report_day))

    # 在线咨询: messages with their 留言时间, 回复时间 or status.
    messages = [("1", "咨询城乡居民医保缴费时间", ago(12), ago(5)),
                ("2", "咨询学区划分", ago(100), ago(90)),
                ("3", "反映人民路路灯不亮", ago(20), None)]
    if "unanswered" in plant:
        messages.append(("4", "反映城北小区供水压力不足", ago(130), None))
    rows = []
    for slug, title, asked, replied in messages:
        href = f"/hdjl/zxzx/{asked:%Y%m}/t{asked:%Y%m%d}_{slug}.html"
        state = "已回复" if replied else "办理中"
        rows.append(f'<li><a href="{href}">{_e(title)}</a><span>留言时间：{asked}</span>'
                    f"<span>{state}</span></li>")
        reply = (f"<p>回复时间：{replied}</p><p>回复内容：您好，您反映的问题已转相关部门办理。</p>"
                 if replied else "<p>处理状态：办理中</p>")
        write(root / href.lstrip("/"), page(title, (
            f'<div class="article"><h1>{_e(title)}</h1><div class="TRS_Editor">'
            f"<p>留言时间：{asked}</p><p>留言内容：{_e(title)}，请予答复。</p>{reply}</div></div>"),
            column="在线咨询"))
    write(root / "hdjl" / "zxzx" / "index.html", page("在线咨询", (
        f'<ul class="list">{"".join(rows)}</ul><div class="page"><script>'
        'createPageHTML(1, 0, "index", "html");</script></div>'), column="在线咨询"))
    write(root / "zwgk" / "ysqgk" / "form.html", page("政府信息公开在线申请", (
        '<form action="/zwgk/ysqgk/submit" method="post"><label>申请人姓名</label>'
        '<input name="name" placeholder="申请人姓名"><input name="phone" placeholder="联系电话">'
        '<textarea name="content" placeholder="所需政府信息的内容描述"></textarea>'
        '<input type="submit" value="提交"></form>'), column="依申请公开"))
    return root


def _report(year: int, published: dt.date) -> str:
    """A complete, consistent 2021-format report of the county (the demo's 2024 figures)."""
    def row(natural: int, commercial: int = 0) -> list[int]:
        return [natural, commercial, 0, 0, 0, 0, natural + commercial]

    from auditor.demo.sitegen import T3_ROWS

    t3 = {key: [0] * 7 for key, _ in T3_ROWS}
    t3.update({"new_received": row(96, 4), "carried_in": row(3), "open": row(51, 2),
               "partial": row(12), "unavailable.not_held": row(22, 1),
               "not_processed.repeat": row(5), "other.other": row(5, 1), "total": row(95, 4),
               "carried_out": row(4)})
    t2 = {"rules": [0, 0, 0], "normative": [6, 2, 41], "licensing": 3120, "penalty": 265,
          "coercion": 18, "fees": 412.5}
    t4 = {"review": [2, 1, 0, 0, 3], "litigation_direct": [1, 0, 0, 0, 1],
          "litigation_after_review": [0, 0, 0, 0, 0]}
    return report_html(
        year, published, t2, t3, t4,
        narrative="全县坚持以公开为常态、不公开为例外，全年通过政府门户网站主动公开政府信息2860条。县政府办公室牵头"
                  "开展政务公开工作考核、社会评议，未发生责任追究情况。全年新收政府信息公开申请100件，上年结转3件，"
                  "办结99件，4件结转下年度继续办理。",
        problems="存在的问题：一是政策解读形式单一；二是基层公开标准化水平不高。改进措施：下一步将丰富图解、视频等"
                 "解读形式，推进基层政务公开标准目录动态更新，并加强业务培训。",
        fees="本年度未收取信息处理费。")
