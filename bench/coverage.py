#!/usr/bin/env python3
"""Coverage honesty on local replicas of real list pages (../shared/corpus/pages).

    .venv/bin/python bench/coverage.py ../shared/corpus/pages [--keep DIR]

Each real list sample is served on 127.0.0.1 as a replica site: the page at its original
path (absolute links to its own host made site-relative), every item it lists served as a small
document page, list APIs the page calls answered from the sample's data. ``auditor scan`` then
crawls it from the list page. For each replica the script knows the full list (the *truth*) and
prints: items in the truth, fetched, reported (listed as a gap, or inside a column reported as
partly read / not read), missed silently (neither), and whether ``complete`` was honest (never
``true`` while something was not read). Target: 100% of listed items fetched or reported, and
no dishonest ``complete``. A measurement, not a test: exit 0.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.demo.sitegen import Document, write  # noqa: E402
from auditor.devserver import serve_site  # noqa: E402
from auditor.parse.lists import url_key  # noqa: E402
from auditor.scan import CrawlOptions, crawl  # noqa: E402
from auditor.site_audit import audit_run  # noqa: E402
from auditor.store import Store  # noqa: E402


@dataclass
class Replica:
    name: str
    family: str
    start: str  # path of the list page on the replica
    truth: list[str] = field(default_factory=list)  # site-relative item paths
    host: str | None = None  # the start host (resolved to 127.0.0.1) when not 127.0.0.1


def _doc_page(path: str, title: str) -> str:
    doc = Document(re.sub(r"\W", "", path)[-12:] or "x", title, None, None)
    return doc.render("list")


def _serve_items(root: Path, items: list[tuple[str, str]]) -> list[str]:
    out = []
    for path, title in items:
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        write(target, _doc_page(path, title))
        out.append(path)
    return out


def trs_avalon(sample: Path, root: Path, column_path: str, name: str) -> Replica:
    """A TRS trt/avalon column page at its original path, its static items served, and the
    Fujian list API (POST /fjdzapp/search) answering the whole list: the static items plus as
    many invented ones as the page's recordCount says (15 for a purely dynamic page)."""
    text = sample.read_text("utf-8").replace("https://www.pingtan.gov.cn", "")
    write(root / column_path.lstrip("/") / "index.html", text)
    hrefs = re.findall(r'<a href="(\./[^"]+)"[^>]*title="([^"]+)"', text)
    items = [(column_path + h[2:], t) for h, t in hrefs]
    declared = re.search(r"recordCount\s*:\s*'(\d+)'", text)
    channels = set(re.findall(r"chnlid=(\d+)", text)) or {"0"}
    total = int(declared.group(1)) if declared else 15
    for n in range(len(items), total):
        items.append((f"{column_path}200{n % 9 + 1}01/t200{n % 9 + 1}0115_{60000 + n}.htm",
                      f"第{n + 1}条（复制站点补充的动态条目）"))
    docs = [{"doctitle": t, "chnldocurl": "./" + p[len(column_path):],
             "docreltime": "2020-01-15 09:00:00"} for p, t in items]
    (root / "_api").mkdir(parents=True, exist_ok=True)
    for channel in channels:  # whichever column id the page's script ends up asking for
        (root / "_api" / f"fjdzapp-{channel}.json").write_text(
            json.dumps(docs, ensure_ascii=False), "utf-8")
    (root / "_server.json").write_text(json.dumps({"apis": {"/fjdzapp/search": "fjdzapp"}}),
                                       "utf-8")
    return Replica(name, "TRS trt/avalon", column_path, _serve_items(root, items))


def hanweb_datastore(sample: Path, root: Path) -> Replica:
    """A Hanweb column page carrying the real embedded datastore (45 records, one on another
    host), answered by a dataproxy.jsp that has no further group."""
    # The sample's one record on the site's other host (zwgk.dingxi.gov.cn) stays on another
    # host of the replica: www.dingxi.test and zwgk.dingxi.test both resolve to 127.0.0.1.
    xml = sample.read_text("utf-8").replace("http://zwgk.dingxi.gov.cn",
                                            "http://zwgk.dingxi.test:{port}")
    column = "/col/col12377/index.html"
    page = ("<html><head><meta charset='utf-8'><title>通知公告</title>"
            "<meta name='ColumnName' content='通知公告'></head><body>"
            f"<div id='38486'><script type='text/xml'>{xml}</script></div></body></html>")
    write(root / column.lstrip("/"), page)
    records = re.findall(r'href="([^"]+)" title="([^"]+)"', xml)
    local = [(h, t) for h, t in records if h.startswith("/")]
    other = [(h, t) for h, t in records if not h.startswith("/")]
    (root / "_hanweb").mkdir(parents=True, exist_ok=True)
    (root / "_hanweb" / "12377.json").write_text("[]", "utf-8")
    (root / "_server.json").write_text(json.dumps(
        {"hanweb": {"/module/web/jpage/dataproxy.jsp": "_hanweb"},
         "hosts": {"zwgk.dingxi.test": "zwgk"}}), "utf-8")
    _serve_items(root / "zwgk", [(urlsplit(h).path, t) for h, t in other])
    truth = _serve_items(root, local) + [h for h, _ in other]
    return Replica("hanweb-dingxi-datastore-col12377", "Hanweb datastore", column, truth,
                   host="www.dingxi.test")


def gkmlpt(sample: Path, root: Path) -> Replica:
    """A gkmlpt index page (window._CONFIG with SID and the classify TREE) and the real API
    answer at its path; articles served at their content paths."""
    data = json.loads(sample.read_text("utf-8"))
    base = "/zqhjj/gkmlpt"
    classify = data["classify"]
    tree = [{"id": classify["id"], "name": classify["name"], "parent": classify["parent"],
             "post_count": len(data["articles"]), "children": []}]
    write(root / base.lstrip("/") / "index", (
        "<html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
        "<div id='app'></div><script>window._CONFIG = {ACTION: 'index', SID: '758019', "
        f"TREE: {json.dumps(tree, ensure_ascii=False)}}};</script></body></html>"))
    articles = []
    for article in data["articles"]:
        path = urlsplit(article["url"]).path
        articles.append((path, article["title"]))
        article["url"] = path
    data["classify"]["post_count"] = len(data["articles"])
    (root / "_api").mkdir(parents=True, exist_ok=True)
    (root / "_api" / f"gkmlpt-{classify['id']}.json").write_text(
        json.dumps(data["articles"], ensure_ascii=False), "utf-8")
    (root / "_server.json").write_text(json.dumps({"apis": {f"{base}/api/all/": "gkmlpt"}}),
                                       "utf-8")
    return Replica("gkmlpt-zhaoqing-api-col21023", "Guangdong gkmlpt", base + "/index",
                   _serve_items(root, articles))


def samples(folder: Path) -> list[tuple[str, Callable[[Path], Replica]]]:
    out = []
    nianbao = folder / "trs-pingtan-list-nianbao.html"
    if nianbao.exists():
        out.append(("nianbao", lambda r: trs_avalon(nianbao, r, "/zwgk/zfxxgk/zfxxgknb/",
                                                     "trs-pingtan-list-nianbao")))
    gwhwj = folder / "trs-pingtan-list-gwhwj-cxjs.html"
    if gwhwj.exists():
        out.append(("gwhwj", lambda r: trs_avalon(gwhwj, r, "/zwgk/zfxxgk/gwhwj/cxjshgldzd/",
                                                   "trs-pingtan-list-gwhwj-cxjs")))
    dingxi = folder / "hanweb-dingxi-datastore-col12377.xml"
    if dingxi.exists():
        out.append(("dingxi", lambda r: hanweb_datastore(dingxi, r)))
    zhaoqing = folder / "gkmlpt-zhaoqing-api-col21023.json"
    if zhaoqing.exists():
        out.append(("gkmlpt", lambda r: gkmlpt(zhaoqing, r)))
    return out


def measure(replica: Replica, root: Path, db: Path) -> dict:
    with serve_site(root) as base:
        port = base.rsplit(":", 1)[1]
        start = f"http://{replica.host}:{port}" if replica.host else base
        run_id = crawl(CrawlOptions(
            start_url=start + replica.start, db_path=str(db), delay=0.0, timeout=5.0,
            max_pages=500, extra_settings={
                "DNS_RESOLVER": "auditor.spiders.resolver.LoopbackResolver"}))
    with Store(db) as store:
        result = audit_run(store, run_id)
        pages = store.pages(run_id)
    fetched_keys = {url_key(p.url) for p in pages if p.outcome == "ok"}
    columns = result.coverage["columns"]
    gap_keys = {url_key(g["url"]) for c in columns for g in c["gaps"]}
    doubted = any(c["state"] in ("partial", "unread", "failed") for c in columns)
    truth = [(t if t.startswith("http") else start + t).replace("{port}", port)
             for t in replica.truth]
    fetched = [t for t in truth if url_key(t) in fetched_keys]
    reported = [t for t in truth if t not in fetched and (url_key(t) in gap_keys or doubted)]
    silent = [t for t in truth if t not in fetched and t not in reported]
    complete = result.coverage["complete"]
    honest = not (complete and len(fetched) < len(truth))
    return {"replica": replica.name, "family": replica.family, "truth": len(truth),
            "fetched": len(fetched), "reported": len(reported), "silent": len(silent),
            "complete": complete, "honest": honest,
            "states": [f"{c['name'] or c['url']}: {c['state']}" for c in columns],
            "silent_examples": silent[:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", type=Path, help="the corpus pages folder")
    parser.add_argument("--keep", type=Path, help="build the replicas here and keep them")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="zwgk-coverage-")) if not args.keep else args.keep
    rows = []
    try:
        for key, build in samples(args.pages):
            root = work / key
            if root.exists():
                shutil.rmtree(root)
            replica = build(root)
            rows.append(measure(replica, root, work / f"{key}.db"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'replica':38} {'family':18} {'truth':>5} {'fetched':>7} {'reported':>8} "
          f"{'silent':>6} {'complete':>8} {'honest':>6}")
    for r in rows:
        print(f"{r['replica']:38} {r['family']:18} {r['truth']:>5} {r['fetched']:>7} "
              f"{r['reported']:>8} {r['silent']:>6} {str(r['complete']):>8} {str(r['honest']):>6}")
        print(f"    columns: {'; '.join(r['states'])}")
        if r["silent_examples"]:
            print(f"    missed silently: {', '.join(r['silent_examples'])}")
    truth = sum(r["truth"] for r in rows)
    accounted = sum(r["fetched"] + r["reported"] for r in rows)
    print(f"\nTOTAL: {accounted}/{truth} listed items fetched or reported "
          f"({100 * accounted / max(truth, 1):.1f}%); fetched "
          f"{sum(r['fetched'] for r in rows)}/{truth}; dishonest complete: "
          f"{sum(not r['honest'] for r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
