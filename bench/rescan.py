#!/usr/bin/env python3
"""Cheap re-scans: a generated 5,000-document site scanned, scanned again unchanged (standing
on the first crawl, then crawling with ``--no-replay``), then again with 1% of its documents
edited, in one run.

    .venv/bin/python bench/rescan.py [--documents 5000] [--edit-share 0.01] [--server nginx]

Each scan is ``auditor scan`` end to end (crawl into SQLite + audit) as a child process, with no
delay, against the same local server: nginx (Debian's ``nginx-light``, started by
``auditor.testing.services``) serving the generated pages as static files, as most government
sites serve their TRS pages — its answers cost next to nothing, so what is timed is the
crawler; or, with ``--server python`` (the default when nginx is not installed), our own test
server, which answers conditional requests the same way but spends ~0.4 ms of Python on each,
on the same two cores. Reported: each scan's time,
the share of pages answered 304, the re-scan's time as a share of the first (target ≤ 20%:
the unchanged re-scan, which stores the first crawl's pages once every one has answered 304,
spiders/replay.py; the same re-scan crawling again, serving the pages from the store, is shown
beside it),
whether its findings equal the first scan's, and, for the edited scan, whether the documents
reported edited after publication (发布后有变动, ``auditor diff``) are exactly the ones edited.
Beside them, two floors of asking the site about every page, each sending the re-scan's
conditional requests and doing nothing with the answers: a bare Scrapy spider (what a re-scan
that asks through Scrapy cannot go below: ours did until December 2026) and the revalidation
pass alone (spiders/revalidate.py, a keep-alive client in a fresh process: what ours cannot go
below).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def scan(auditor: str, url: str, db: Path, *extra: str) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([auditor, "scan", url, "--db", str(db), "--delay", "0",
                          "--max-pages", "100000", "--max-depth", "10", "--format", "json",
                          "--quiet", "--exit-zero", *extra], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(f"scan failed: {out.stderr[-800:]}")
    return elapsed, json.loads(out.stdout)


FLOOR = r'''
import sys, json, scrapy
from scrapy.crawler import AsyncCrawlerProcess
asks = json.load(open(sys.argv[1], encoding="utf-8"))

class Floor(scrapy.Spider):
    """Asks exactly what the re-scan asked, conditionally; does nothing with the answers."""
    name = "floor"
    count = 0
    async def start(self):
        for url, etag, modified in asks:
            headers = {k: v for k, v in (("If-None-Match", etag),
                                         ("If-Modified-Since", modified)) if v}
            yield scrapy.Request(url, headers=headers, callback=self.parse, dont_filter=True)
    def parse(self, response):
        Floor.count += 1

process = AsyncCrawlerProcess(settings={
    "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR",
    "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    "LOG_INSTALL_ROOT_HANDLER": False,
    "DOWNLOADER": "auditor.spiders.downloader.SiteBoundDownloader"})
process.crawl(Floor)
process.start()
print(json.dumps({"pages": Floor.count}))
'''


def floor(tmp: Path, db: Path, run_id: int) -> tuple[float, int]:
    """A bare Scrapy spider sending the same conditional requests as the re-scan: the least any
    re-scan that asks about every page can take with Scrapy, whatever it does with answers."""
    from auditor.store import Store

    with Store(db) as store:
        site = store.run(run_id).site
        known = store.validators(site, before_run=run_id + 1)
    asks = tmp / "asks.json"
    asks.write_text(json.dumps([[v.url, v.etag, v.last_modified] for v in known.values()]),
                    "utf-8")
    script = tmp / "floor_spider.py"  # a file: Scrapy reads callbacks' source
    script.write_text(FLOOR, "utf-8")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(script), str(asks)], capture_output=True,
                         text=True, check=True)
    return time.perf_counter() - start, json.loads(out.stdout.strip().splitlines()[-1])["pages"]


PASS = r'''
import sys, json, time
from auditor.spiders.revalidate import Politeness, revalidate
from auditor.spiders.settings import USER_AGENT
from auditor.store import Validators
asks = [Validators(url, etag, modified, "", None, None) for url, etag, modified in
        json.load(open(sys.argv[1], encoding="utf-8"))]
result = revalidate(asks, Politeness(user_agent=USER_AGENT, concurrency=2, delay=0))
print(json.dumps({"pages": len(result.unchanged)}))
'''


def pass_floor(tmp: Path) -> tuple[float, int]:
    """The revalidation pass alone, in a fresh process, over the same asks as :func:`floor`."""
    script = tmp / "pass_alone.py"
    script.write_text(PASS, "utf-8")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, str(script), str(tmp / "asks.json")],
                         capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(out.stdout.strip().splitlines()[-1])["pages"]


def findings(result: dict) -> list[tuple]:
    return sorted((f["rule"], f["status"], f["fingerprint"], f["message"])
                  for f in result["findings"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--edit-share", type=float, default=0.01)
    parser.add_argument("--server", choices=("nginx", "python"), default=None,
                        help="what serves the site (default: nginx when installed)")
    args = parser.parse_args()

    import contextlib

    from auditor.demo.sitegen import build_large_site
    from auditor.devserver import serve_site
    from auditor.store import Store
    from auditor.testing.services import NginxServer, ServiceUnavailable, nginx_server

    if args.server is None:
        try:
            NginxServer(".").close()
            args.server = "nginx"
        except ServiceUnavailable:
            args.server = "python"

    @contextlib.contextmanager
    def served(site):
        if args.server == "nginx":
            with nginx_server(site) as server:
                yield server.url
        else:
            with serve_site(site) as base:
                yield base

    auditor = str(Path(sys.executable).with_name("auditor"))
    with tempfile.TemporaryDirectory(prefix="zwgk-rescan-") as tmp:
        site = build_large_site(Path(tmp) / "site", documents=args.documents)
        db = Path(tmp) / "rescan.db"
        with served(site) as base:
            first_s, first = scan(auditor, base + "/", db)
            second_s, second = scan(auditor, base + "/", db)
            crawling_s, crawling = scan(auditor, base + "/", db, "--no-replay")
            floor_s, floor_pages = floor(Path(tmp), db, 1)
            pass_s, pass_pages = pass_floor(Path(tmp))
            documents = sorted((site / "zwgk" / "zcwj").rglob("t*.html"))
            step = max(1, round(1 / args.edit_share))
            edited = set()
            for path in documents[::step]:
                text = path.read_text("utf-8")
                path.write_text(text.replace("请认真贯彻执行", "请遵照执行"), "utf-8")
                edited.add(path.name)
            third_s, third = scan(auditor, base + "/", db)
        with Store(db) as store:
            records = store.runs()
            runs = [r.id for r in records]
            statuses = [[p.status for p in store.pages(r)] for r in runs]
            crawl_s = [(dt.datetime.fromisoformat(r.finished_at)
                        - dt.datetime.fromisoformat(r.started_at)).total_seconds()
                       for r in records]
        diff = subprocess.run([auditor, "diff", str(runs[2]), str(runs[3]), "--db", str(db),
                               "--format", "json"], capture_output=True, text=True, check=True)
        changes = json.loads(diff.stdout)["documents"]
        reported = {c["url"].rsplit("/", 1)[1] for c in changes if c["change"] == "edited"}
    print(f"site: {args.documents} documents ({len(statuses[0])} pages), no delay, SQLite, "
          f"served by {'nginx' if args.server == 'nginx' else 'our Python test server'}")
    print(f"{'scan':34}{'seconds':>9}{'crawl':>7}{'304':>8}{'share of 1st':>14}  findings")
    print(f"{'1 first (full)':34}{first_s:9.1f}{crawl_s[0]:7.0f}{statuses[0].count(304):8d}"
          f"{'':>14}  {len(first['findings'])}")
    for label, seconds, crawled, result, status in (
            ("2 unchanged re-scan", second_s, crawl_s[1], second, statuses[1]),
            ("  same, crawling (--no-replay)", crawling_s, crawl_s[2], crawling, statuses[2]),
            (f"3 re-scan, {len(edited)} documents edited", third_s, crawl_s[3], third,
             statuses[3])):
        same = "identical to 1st" if findings(result) == findings(first) else "differ from 1st"
        print(f"{label:34}{seconds:9.1f}{crawled:7.0f}{status.count(304):8d}"
              f"{seconds / first_s:13.0%}  {len(result['findings'])} ({same})")
    print("(crawl: the run's own start and end, whole seconds; the rest is starting the "
          "command and the audit)")
    print(f"{'bare Scrapy, same conditional asks':34}{floor_s:9.1f}{'':>7}{floor_pages:8d}"
          f"{floor_s / first_s:13.0%}  (nothing done with the answers)")
    print(f"{'revalidation pass alone, same asks':34}{pass_s:9.1f}{'':>7}{pass_pages:8d}"
          f"{pass_s / first_s:13.0%}  (a fresh process; nothing done with the answers)")
    replayed = records[1].stats.get("crawl", {}).get("replayed_from")
    print(f"the unchanged re-scan {'stood on run ' + str(replayed) if replayed else 'CRAWLED'}"
          " (spiders/replay.py); the crawling one served its pages from the store")
    print(f"re-scan / first scan: {second_s / first_s:.0%} (target ≤ 20%); only asking the same "
          f"{floor_pages} conditional requests takes {floor_s / first_s:.0%} of the first scan "
          f"through Scrapy, {pass_s / first_s:.0%} with the revalidation pass")
    print(f"edited after publication (发布后有变动) reported: {len(reported)} of {len(edited)} edited"
          f" — {'exactly the edited ones' if reported == edited else 'MISMATCH'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
