"""Generate sample government sites: the offline demo (a TRS-style county portal with planted
problems) and large synthetic sites for the crawl benchmark. Everything here is invented.

Pages follow real layouts: a 政府信息公开 area with its columns, TRS ``createPageHTML`` list
pages, a “下一页” list, document pages with the 信息公开 metadata table and 《政府网站发展指引》
page tags, and annual reports in the national 2021 table format.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SITE_NAME = "鹤鸣县人民政府"
SITE_CODE = "0000000006"
COLUMNS = {
    "zcwj": "政策文件",
    "tzgg": "通知公告",
    "zfxxgknb": "政府信息公开年报",
    "gkzn": "政府信息公开指南",
}
T3_ROWS = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "二、上年结转政府信息公开申请数量"),
    ("open", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld.state_secret", "1.属于国家秘密"),
    ("withheld.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("withheld.security_stability", "3.危及“三安全一稳定”"),
    ("withheld.third_party", "4.保护第三方合法权益"),
    ("withheld.internal_affairs", "5.属于三类内部事务信息"),
    ("withheld.process_info", "6.属于四类过程性信息"),
    ("withheld.enforcement_file", "7.属于行政执法案卷"),
    ("withheld.admin_query", "8.属于行政查询事项"),
    ("unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable.still_unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.repeat", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.massive", "4.无正当理由大量反复申请"),
    ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("total", "（七）总计"),
    ("carried_out", "四、结转下年度继续办理"),
]
GROUP_HEADINGS = {"withheld.state_secret": "（三）不予公开", "unavailable.not_held": "（四）无法提供",
                  "not_processed.petition": "（五）不予处理", "other.no_correction": "（六）其他处理"}


def _e(text: object) -> str:
    return html.escape(str(text))


def page(title: str, body: str, *, meta: dict[str, str] | None = None, column: str = "",
         charset: str = "utf-8") -> str:
    tags = {"SiteName": SITE_NAME, "SiteDomain": "www.heming.example.gov.cn",
            "SiteIDCode": SITE_CODE, "ColumnName": column}
    tags.update(meta or {})
    metas = "\n".join(f'<meta name="{_e(k)}" content="{_e(v)}" />' for k, v in tags.items()
                      if v is not None)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />
{metas}
<title>{_e(title)}_{_e(SITE_NAME)}</title></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main">{body}</div>
<div class="footer">主办单位：{_e(SITE_NAME)}办公室　网站标识码：{SITE_CODE}　ICP备案：示ICP备00000006号　示公网安备 00000000000006号</div>
</body></html>
"""


def metadata_table(doc: Document) -> str:
    rows = [("索引号", doc.index_no), ("发布机构", doc.agency), ("成文日期", doc.issued_text),
            ("文号", doc.doc_no), ("发布日期", doc.published_text), ("主题分类", "综合政务")]
    cells = "".join(f"<tr><th>{_e(k)}：</th><td>{_e(v)}</td></tr>" for k, v in rows if v)
    return f'<table class="xxgk_table">{cells}</table>'


@dataclass
class Document:
    slug: str
    title: str
    issued: dt.date | None
    published: dt.date | None
    doc_no: str = ""
    agency: str = "鹤鸣县人民政府办公室"
    pubdate_meta: str | None = "same"  # "same", None (missing), or an explicit value
    meta: dict[str, str | None] = field(default_factory=dict)
    attachments: list[tuple[str, str]] = field(default_factory=list)
    list_date: bool = True
    charset: str = "utf-8"

    @property
    def index_no(self) -> str:
        year = (self.published or self.issued or dt.date(2025, 1, 1)).year
        return f"00000006/{year}-{zlib.crc32(self.slug.encode()) % 100000:05d}"

    @property
    def issued_text(self) -> str:
        return f"{self.issued.year}年{self.issued.month}月{self.issued.day}日" if self.issued else ""

    @property
    def published_text(self) -> str:
        return self.published.isoformat() if self.published else ""

    def url(self, column: str) -> str:
        stamp = (self.published or dt.date(2025, 1, 1)).strftime("%Y%m%d")
        return f"/zwgk/{column}/{stamp[:6]}/t{stamp}_{self.slug}.html"

    def render(self, column: str) -> str:
        meta = {"ArticleTitle": self.title, "ContentSource": self.agency, "ColumnType": "信息公开"}
        if self.pubdate_meta == "same" and self.published:
            meta["PubDate"] = f"{self.published.isoformat()} 09:30"
        elif self.pubdate_meta not in (None, "same"):
            meta["PubDate"] = self.pubdate_meta
        meta.update(self.meta)
        links = "".join(f'<p>附件：<a href="{_e(href)}">{_e(text)}</a></p>'
                        for href, text in self.attachments)
        visible = f"<span>发布时间：{self.published_text}</span>" if self.published else ""
        body = (f'<div class="article"><h1>{_e(self.title)}</h1>'
                f'<div class="info">{visible}</div>{metadata_table(self)}'
                f'<div class="TRS_Editor"><p>各乡镇人民政府，县政府各部门：</p>'
                f"<p>现将《{_e(self.title)}》有关事项通知如下，请认真贯彻执行。</p>{links}"
                f'<p style="text-align:right">{_e(self.agency)}</p>'
                f'<p style="text-align:right">{self.issued_text}</p></div></div>')
        return page(self.title, body, meta=meta, column=COLUMNS.get(column, column),
                    charset=self.charset)


def trs_list(items: list[tuple[str, str, str]], page_no: int, pages: int) -> str:
    lis = "".join(f'<li><a href="{_e(href)}" title="{_e(t)}">{_e(t)}</a><span>{_e(d)}</span></li>'
                  for href, t, d in items)
    return (f'<ul class="list">{lis}</ul><div class="page"><script>'
            f'createPageHTML({pages}, {page_no}, "index", "html");</script></div>')


def next_list(items: list[tuple[str, str, str]], next_href: str | None) -> str:
    lis = "".join(f'<li><a href="{_e(href)}">{_e(t)}</a>' + (f"<span>{_e(d)}</span>" if d else "")
                  + "</li>" for href, t, d in items)
    nxt = f'<a href="{_e(next_href)}">下一页</a>' if next_href else ""
    return f'<ul class="list">{lis}</ul><div class="pager">{nxt}</div>'


def write(path: Path, text: str, charset: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("gb18030" if charset.lower().startswith("gb") else charset))


# ------------------------------------------------------------------ annual reports

def report_html(year: int, published: dt.date, t2: dict, t3: dict, t4: dict, *,
                narrative: str, problems: str, fees: str, title_body: str = SITE_NAME) -> str:
    def cells(values) -> str:
        return "".join(f"<td>{_e(v)}</td>" for v in values)

    t2_html = (
        "<table border='1'><tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        f"<tr><td>规章</td>{cells(t2['rules'])}</tr>"
        f"<tr><td>行政规范性文件</td>{cells(t2['normative'])}</tr>"
        "<tr><td colspan='4'>第二十条第（五）项</td></tr>"
        "<tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        f"<tr><td>行政许可</td><td colspan='3'>{t2['licensing']}</td></tr>"
        "<tr><td colspan='4'>第二十条第（六）项</td></tr>"
        "<tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
        f"<tr><td>行政处罚</td><td colspan='3'>{t2['penalty']}</td></tr>"
        f"<tr><td>行政强制</td><td colspan='3'>{t2['coercion']}</td></tr>"
        "<tr><td colspan='4'>第二十条第（八）项</td></tr>"
        "<tr><td>信息内容</td><td colspan='3'>本年收费金额（单位：万元）</td></tr>"
        f"<tr><td>行政事业性收费</td><td colspan='3'>{t2['fees']}</td></tr></table>")
    rows = []
    for key, label in T3_ROWS:
        group = GROUP_HEADINGS.get(key)
        prefix = f"<td>{_e(group)}</td>" if group else ""
        rows.append(f"<tr>{prefix}<td>{_e(label)}</td>{cells(t3[key])}</tr>")
    t3_html = ("<table border='1'><tr><td rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，"
               "等于第三项加第四项之和）</td><td colspan='7'>申请人情况</td></tr>"
               "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td>"
               "<td rowspan='2'>总计</td></tr><tr><td>商业<br/>企业</td><td>科研<br/>机构</td>"
               "<td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
               + "".join(rows) + "</table>")
    t4_html = ("<table border='1'><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
               "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
               "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
               f"<tr>{cells(t4['review'] + t4['litigation_direct'] + t4['litigation_after_review'])}"
               "</tr></table>")
    title = f"{title_body}{year}年政府信息公开工作年度报告"
    body = f"""<div class="article"><h1>{_e(title)}</h1>
<div class="info">来源：{_e(SITE_NAME)}　时间：{published.isoformat()} 10:00</div>
<div class="TRS_Editor">
<p>本报告由{_e(SITE_NAME)}办公室编制，所列数据统计期限自{year}年1月1日起至{year}年12月31日止。</p>
<p>一、总体情况</p><p>{_e(narrative)}</p>
<p>二、主动公开政府信息情况</p>{t2_html}
<p>三、收到和处理政府信息公开申请情况</p>{t3_html}
<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4_html}
<p>五、存在的主要问题及改进情况</p><p>{_e(problems)}</p>
<p>六、其他需要报告的事项</p><p>{_e(fees)}</p>
</div></div>"""
    meta = {"ArticleTitle": title, "PubDate": f"{published.isoformat()} 10:00",
            "ContentSource": SITE_NAME, "ColumnType": "政府信息公开年报"}
    return page(title, body, meta=meta, column="政府信息公开年报")


def _t3(values: dict[str, list[int]]) -> dict[str, list[int]]:
    out = {key: [0] * 7 for key, _ in T3_ROWS}
    out.update(values)
    return out


def _row(natural: int, commercial: int = 0, total: int | None = None) -> list[int]:
    return [natural, commercial, 0, 0, 0, 0, natural + commercial if total is None else total]


def demo_reports() -> dict[int, tuple[dt.date, str]]:
    """2024 (consistent) and 2025 (three planted defects) reports of the demo county."""
    t2_2024 = {"rules": [0, 0, 0], "normative": [6, 2, 41], "licensing": 3120, "penalty": 265,
               "coercion": 18, "fees": 412.5}
    t3_2024 = _t3({"new_received": _row(96, 4), "carried_in": _row(3), "open": _row(51, 2),
                   "partial": _row(12), "unavailable.not_held": _row(22, 1),
                   "not_processed.repeat": _row(5), "other.other": _row(5, 1),
                   "total": _row(95, 4), "carried_out": _row(4)})
    t4_2024 = {"review": [2, 1, 0, 0, 3], "litigation_direct": [1, 0, 0, 0, 1],
               "litigation_after_review": [0, 0, 0, 0, 0]}
    narrative_common = ("全县坚持以公开为常态、不公开为例外，全年通过政府门户网站主动公开政府信息2860条。"
                        "县政府办公室牵头开展政务公开工作考核、社会评议，未发生责任追究情况。")
    r2024 = report_html(
        2024, dt.date(2025, 1, 22), t2_2024, t3_2024, t4_2024,
        narrative=narrative_common + "全年新收政府信息公开申请100件，上年结转3件，办结99件，4件结转下年度继续办理。",
        problems="存在的问题：一是政策解读形式单一；二是基层公开标准化水平不高。改进措施：下一步将丰富图解、"
                 "视频等解读形式，推进基层政务公开标准目录动态更新，并加强业务培训。",
        fees="本年度未收取信息处理费。")
    t2_2025 = {"rules": [0, 0, 0], "normative": [5, 3, 43], "licensing": 3305, "penalty": 281,
               "coercion": 22, "fees": 398.2}
    t3_2025 = _t3({"new_received": _row(114, 4), "carried_in": _row(5), "open": _row(60, 2),
                   "partial": _row(15), "unavailable.not_held": _row(25, 1),
                   "not_processed.repeat": _row(6), "other.other": _row(9, 1),
                   "total": _row(115, 4), "carried_out": _row(4)})
    # Planted: 复议 total does not add up (ARI-04); carried_in 5 vs last year's carried_out 4
    # (XY-01); the narrative says 120 applications where the table has 118 new (TXT-01).
    t4_2025 = {"review": [3, 1, 1, 0, 4], "litigation_direct": [1, 1, 0, 0, 2],
               "litigation_after_review": [1, 0, 0, 0, 1]}
    r2025 = report_html(
        2025, dt.date(2026, 1, 23), t2_2025, t3_2025, t4_2025,
        narrative=narrative_common + "全年新收政府信息公开申请120件，办结119件，4件结转下年度继续办理。",
        problems="存在的问题：一是部分单位主动公开不够及时；二是依申请公开答复质量有待提升。改进措施："
                 "下一步将建立公开时限提醒机制，加强答复文书合法性审查，并组织专题培训。",
        fees="本年度未收取信息处理费。")
    return {2024: (dt.date(2025, 1, 22), r2024), 2025: (dt.date(2026, 1, 23), r2025)}


# ------------------------------------------------------------------ the demo site

def demo_documents() -> dict[str, list[Document]]:
    d = dt.date
    zcwj = [
        Document("3101", "关于印发《鹤鸣县农村人居环境整治提升实施方案》的通知", d(2025, 9, 1),
                 d(2025, 11, 6), "鹤政办发〔2025〕31号"),  # planted: TIME-05 (≈40 working days)
        Document("3102", "关于做好2025年冬春季节森林防火工作的通知", d(2025, 10, 20), d(2025, 10, 24),
                 "鹤政办发〔2025〕30号", attachments=[("/files/2025/fanghuo.pdf", "附件：责任分工表.pdf")]),
        Document("3103", "关于调整县政府领导工作分工的通知", d(2025, 8, 12), d(2025, 8, 8),
                 "鹤政发〔2025〕12号"),  # planted: TIME-06 日期倒挂
        Document("3104", "鹤鸣县人民政府关于公布行政规范性文件清理结果的决定", d(2025, 6, 10),
                 d(2025, 6, 16), "鹤政发〔2025〕9号", pubdate_meta="2025-06-19 09:30"),  # WEB-04
        Document("3105", "关于印发《鹤鸣县防汛抗旱应急预案》的通知", d(2025, 5, 6), d(2025, 5, 14),
                 "鹤政办发〔2025〕18号", meta={"SiteIDCode": None, "ContentSource": None}),  # WEB-01
        Document("3106", "关于进一步加强安全生产工作的通知", d(2025, 2, 5), d(2025, 2, 12),
                 "鹤政办发〔2025〕5号", charset="gbk"),
        Document("3107", "关于春节期间值班安排的通知", d(2025, 1, 20), d(2025, 2, 10),
                 "鹤政办发〔2025〕2号"),  # spans 春节: 14 working days, compliant
    ]
    tzgg = [
        Document("4101", "鹤鸣县2025年公开招聘社区工作者公告", d(2025, 7, 1), d(2025, 7, 3)),
        Document("4102", "关于开展2025年度政务公开第三方评估的公告", None, None,
                 pubdate_meta=None, list_date=False),  # planted: TIME-07 no date anywhere
        Document("4103", "鹤鸣县人民政府关于征收土地的公告", d(2025, 3, 3), d(2025, 3, 5)),
    ]
    return {"zcwj": zcwj, "tzgg": tzgg}


def build_demo_site(dest: str | Path) -> Path:
    """Write the demo site into ``dest``; returns it. Planted problems are listed in
    ``dest/PLANTED.md``."""
    root = Path(dest)
    docs = demo_documents()
    home_links = "".join(f'<li><a href="/zwgk/{slug}/">{_e(name)}</a></li>'
                         for slug, name in COLUMNS.items())
    write(root / "index.html", page(SITE_NAME, '<div class="banner">欢迎访问鹤鸣县人民政府门户网站</div>'
                                    '<ul><li><a href="/zwgk/">政府信息公开</a></li>'
                                    '<li><a href="/hdjl/">互动交流</a></li></ul>'))
    write(root / "zwgk" / "index.html", page("政府信息公开", f'<ul class="columns">{home_links}'
                                             '<li><a href="/zwgk/nbgl/">政务公开内部管理</a></li></ul>',
                                             column="政府信息公开"))
    write(root / "robots.txt", "User-agent: *\nDisallow: /zwgk/nbgl/\n")
    # 政策文件: TRS list over two pages, plus a link whose page is gone (WEB-10).
    items = [(doc.url("zcwj"), doc.title, doc.published_text) for doc in docs["zcwj"]]
    items.insert(2, ("/zwgk/zcwj/202504/t20250410_3099.html", "关于印发2025年政务公开工作要点的通知",
                     "2025-04-10"))
    write(root / "zwgk" / "zcwj" / "index.html",
          page("政策文件", trs_list(items[:5], 0, 2), column="政策文件"))
    write(root / "zwgk" / "zcwj" / "index_1.html",
          page("政策文件", trs_list(items[5:], 1, 2), column="政策文件"))
    # 通知公告: a plain “下一页” list.
    t_items = [(doc.url("tzgg"), doc.title, doc.published_text if doc.list_date else "")
               for doc in docs["tzgg"]]
    write(root / "zwgk" / "tzgg" / "index.html",
          page("通知公告", next_list(t_items[:2], "list2.html"), column="通知公告"))
    write(root / "zwgk" / "tzgg" / "list2.html",
          page("通知公告", next_list(t_items[2:], None), column="通知公告"))
    for column, column_docs in docs.items():
        for doc in column_docs:
            write(root / doc.url(column).lstrip("/"), doc.render(column), doc.charset)
    # Annual reports.
    reports = demo_reports()
    r_items = []
    for year, (published, text) in sorted(reports.items(), reverse=True):
        href = f"/zwgk/zfxxgknb/{published:%Y%m}/t{published:%Y%m%d}_{year}0.html"
        write(root / href.lstrip("/"), text)
        r_items.append((href, f"{SITE_NAME}{year}年政府信息公开工作年度报告", published.isoformat()))
    write(root / "zwgk" / "zfxxgknb" / "index.html",
          page("政府信息公开年报", trs_list(r_items, 0, 1), column="政府信息公开年报"))
    write(root / "zwgk" / "gkzn" / "index.html",
          page("政府信息公开指南", '<div class="TRS_Editor"><p>一、主动公开…办公地址：鹤鸣县人民路1号。</p></div>',
               column="政府信息公开指南"))
    (root / "files" / "2025").mkdir(parents=True, exist_ok=True)
    (root / "_server.json").write_text(json.dumps({"status": {
        "/zwgk/zcwj/202504/t20250410_3099.html": 404}}), "utf-8")
    (root / "PLANTED.md").write_text(PLANTED, "utf-8")
    return root


PLANTED = """# Planted problems of the demo site (鹤鸣县人民政府, invented)

- TIME-05: 政策文件 t20251106_3101 — 成文 2025-09-01, 发布 2025-11-06, far beyond 20 working days.
- TIME-06: 政策文件 t20250808_3103 — 发布日期 2025-08-08 before 成文日期 2025-08-12.
- WEB-04: 政策文件 t20250616_3104 — PubDate tag 2025-06-19, visible 发布日期 2025-06-16.
- WEB-01: 政策文件 t20250514_3105 — no SiteIDCode and ContentSource tags.
- TIME-07: 通知公告 4102 — no date on the page or in the list (only a placeholder date in the URL).
- WEB-10: 政策文件 list links t20250410_3099 (HTTP 404); attachment /files/2025/fanghuo.pdf (404).
- WEB-11: the 政府信息公开指南 gives only an address: no 分类/编排体系, 获取方式, 工作机构, 办公时间,
  电话, 传真, 互联网联系方式.
- WEB-06: on a 检查基准日 after 2026-05-06, 政策文件 (newest 2025-11-06) and 通知公告 (newest
  2025-07-03) are more than 6 months old (the demo's content is fixed; time moves on).
- SCAN-01: /zwgk/nbgl/ is forbidden by robots.txt — reported as not assessable.
- 2025 annual report: ARI-04 (行政复议 3+1+1+0 ≠ 4), TXT-01 (narrative 120 vs table 118 new),
  XY-01 (上年结转 5 vs the 2024 report's 结转下年度 4).
- 政策文件 t20250210_3106 is GBK-encoded; t20250210_3107 spans the Spring Festival and is on time.
"""


# ------------------------------------------------------------------ benchmark sites

def build_large_site(dest: str | Path, documents: int = 5000, per_page: int = 50) -> Path:
    """A TRS-style site with one big 政策文件 column of ``documents`` pages (crawl benchmark)."""
    root = Path(dest)
    write(root / "index.html", page(SITE_NAME, '<a href="/zwgk/">政府信息公开</a>'))
    write(root / "zwgk" / "index.html",
          page("政府信息公开", '<a href="/zwgk/zcwj/">政策文件</a>', column="政府信息公开"))
    start = dt.date(2020, 1, 6)
    docs = []
    for i in range(documents):
        day = start + dt.timedelta(days=i % 1500)
        docs.append(Document(f"{10000 + i}", f"关于第{i + 1}项工作的通知", day,
                             day + dt.timedelta(days=3), f"鹤政办发〔{day.year}〕{i % 300 + 1}号"))
    pages = (documents + per_page - 1) // per_page
    for p in range(pages):
        chunk = docs[p * per_page:(p + 1) * per_page]
        items = [(doc.url("zcwj"), doc.title, doc.published_text) for doc in chunk]
        name = "index.html" if p == 0 else f"index_{p}.html"
        write(root / "zwgk" / "zcwj" / name, page("政策文件", trs_list(items, p, pages),
                                                 column="政策文件"))
    for doc in docs:
        write(root / doc.url("zcwj").lstrip("/"), doc.render("zcwj"))
    return root
