"""A county site with the worst of what real government sites do to a crawler (issue 15): a 日历
page linking every day from 1900 to 2100, a list whose ``index_N.html`` exists for every N, a
60 MB page (with and without Content-Length), a gzip body inflating to 1.2 GB, a column that
answers 503 forever, a 12-hop redirect chain, a list whose ``<base href>`` points elsewhere, an
empty 200 from a firewall and links that carry a new session id each time — beside 29 ordinary
documents, three of them published late. Served by :mod:`auditor.devserver` (the hostile
routes are :mod:`auditor.devhostile`); used by tests and ``bench/hostile.py``. Invented content.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .sitegen import Document, next_list, page, trs_list, write

#: Requests each hostile part may cost, at most (asserted by tests, printed by the bench).
CAPS = {"calendar": 45, "endless": 8, "busy": 5, "chain": 8, "session": 3, "huge": 2,
        "bomb": 1, "empty": 1}


@dataclass
class HostileSite:
    root: Path
    documents: list[str] = field(default_factory=list)  # site paths of the ordinary documents
    late: list[str] = field(default_factory=list)  # those published late (TIME-05)
    parts: dict[str, str] = field(default_factory=dict)  # hostile part -> path prefix


def build_hostile_site(dest: str | Path) -> HostileSite:
    root = Path(dest)
    site = HostileSite(root)
    day = dt.date(2025, 3, 3)
    docs: dict[str, list[Document]] = {"zcwj": [], "tzgg": [], "gzdt": [], "gsgg": []}
    for i in range(29):
        column = ("zcwj", "tzgg", "gzdt", "gsgg")[i % 4]
        issued = day + dt.timedelta(days=7 * i)
        late = i in (5, 14, 23)
        published = issued + dt.timedelta(days=60 if late else 3)
        doc = Document(f"{7000 + i}", f"关于第{i + 1}项政务工作安排的通知", issued, published,
                       f"云政办发〔2025〕{i + 1}号")
        docs[column].append(doc)
    for column, column_docs in docs.items():
        for doc in column_docs:
            write(root / doc.url(column).lstrip("/"), doc.render(column))
            site.documents.append(doc.url(column))
            if doc.published - doc.issued > dt.timedelta(days=30):
                site.late.append(doc.url(column))

    def items(column: str) -> list[tuple[str, str, str]]:
        return [(d.url(column), d.title, d.published_text) for d in docs[column]]

    write(root / "index.html", page("云溪县人民政府", '<ul class="nav"><li><a href="/zwgk/">政府信息公开'
                                    '</a></li><li><a href="/rili/2025-03-01.html">日历</a></li></ul>'))
    hub = "".join(f'<li><a href="/zwgk/{slug}/">{name}</a></li>' for slug, name in (
        ("zcwj", "政策文件"), ("tzgg", "通知公告"), ("gzdt", "工作动态"), ("gsgg/list", "公示公告"),
        ("rsxx", "人事信息"), ("nb", "政府信息公开年报")))
    write(root / "zwgk" / "index.html", page("政府信息公开", f'<ul class="columns">{hub}</ul>',
                                             column="政府信息公开"))
    # 政策文件: a TRS list over two pages whose pager claims 5000 pages (the rest repeat).
    zcwj = items("zcwj")
    write(root / "zwgk" / "zcwj" / "index.html", page("政策文件", trs_list(zcwj[:4], 0, 5000),
                                                    column="政策文件"))
    write(root / "zwgk" / "zcwj" / "index_1.html", page("政策文件", trs_list(zcwj[4:], 1, 5000),
                                                      column="政策文件"))
    # 通知公告: ordinary items, then the hostile links a real column page carries.
    hostile_links = [
        ("/rili/2025-03-01.html", "2025年3月1日 日程安排", "2025-03-01"),
        ("/files/big.html", "关于全县统计数据汇编的通知", "2025-03-02"),
        ("/files/big-chunked.html", "关于全县统计数据汇编（续）的通知", "2025-03-02"),
        ("/files/bomb.html", "关于压缩包下载的说明", "2025-03-03"),
        ("/hop/0", "关于重定向页面的通知", "2025-03-04"),
        ("/files/blank.html", "关于系统维护的公告", "2025-03-05"),
        ("/sess/doc.html;jsessionid=1", "会话页面", "2025-03-06"),
    ]
    write(root / "zwgk" / "tzgg" / "index.html",
          page("通知公告", next_list(items("tzgg") + hostile_links, None), column="通知公告"))
    # 工作动态: index_N.html exists for every N, always the same items and a 下一页.
    # 公示公告: a list whose <base href> points to another folder (relative links resolve there).
    gsgg = items("gsgg")
    base_items = "".join(f'<li><a href="{href.rsplit("/", 2)[1]}/{href.rsplit("/", 1)[1]}">{t}</a>'
                         f"<span>{d}</span></li>" for href, t, d in gsgg)
    write(root / "zwgk" / "gsgg" / "list" / "index.html", page("公示公告", (
        '<base href="/zwgk/gsgg/">' f'<ul class="list">{base_items}</ul>'), column="公示公告"))
    write(root / "zwgk" / "rsxx" / "placeholder.txt", "served by the hostile route")
    report = ("/zwgk/nb/202601/t20260120_1.html", "云溪县2025年政府信息公开工作年度报告", "2026-01-20")
    write(root / "zwgk" / "nb" / "index.html", page("政府信息公开年报", trs_list([report], 0, 1),
                                                  column="政府信息公开年报"))
    write(root / report[0].lstrip("/"), page(report[1], f"<h1>{report[1]}</h1>", meta={
        "ArticleTitle": report[1], "PubDate": "2026-01-20 10:00", "ContentSource": "云溪县人民政府"}))
    site.parts = {"calendar": "/rili/", "endless": "/zwgk/gzdt/", "busy": "/zwgk/rsxx/",
                  "chain": "/hop/", "session": "/sess/", "huge": "/files/big",
                  "bomb": "/files/bomb.html", "empty": "/files/blank.html"}
    (root / "_server.json").write_text(json.dumps({"hostile": {
        "/rili/": {"kind": "calendar"},
        "/zwgk/gzdt/": {"kind": "endless", "title": "工作动态", "items": items("gzdt")},
        "/files/big-chunked.html": {"kind": "huge", "mb": 60, "chunked": True},
        "/files/big.html": {"kind": "huge", "mb": 60},
        "/files/bomb.html": {"kind": "gzipbomb", "mb": 1200},
        "/zwgk/rsxx/": {"kind": "status", "status": 503, "retry_after": 1},
        "/hop/": {"kind": "chain", "hops": 12},
        "/files/blank.html": {"kind": "empty"},
        "/sess/": {"kind": "session"},
    }}, ensure_ascii=False), "utf-8")
    return site
