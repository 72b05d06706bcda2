#!/usr/bin/env python3
"""Crawl speed: ``auditor scan`` of a generated 5,000-document site against a bare Scrapy
spider fetching the same pages with the same concurrency and no delay, in one run.

    .venv/bin/python bench/crawl_speed.py [--documents 5000] [--concurrency 2]

Both run as child processes against the same local server (127.0.0.1, ephemeral port). The
scan runs first and is timed end to end (crawl into SQLite + offline audit of every page); the
bare spider then fetches exactly the URLs the scan fetched and does nothing with them, once on
stock Scrapy and once on our downloader (spiders/downloader.py: stock Scrapy 2.19 sends up to 8
requests at a time to the site without a delay, whatever the concurrency, and opens a new
connection for about every second page). Peak memory is each child's maximum resident set
size. Target: ≤ 1.25× the stock bare spider (issue 10).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BARE = r'''
import sys, json, scrapy
from scrapy.crawler import AsyncCrawlerProcess
opts = json.loads(sys.argv[1])
urls = open(opts["urls"], encoding="utf-8").read().split()

class Bare(scrapy.Spider):
    """Fetches exactly the pages the scan fetched; does nothing with them."""
    name = "bare"
    count = 0
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)
    def parse(self, response):
        Bare.count += 1

process = AsyncCrawlerProcess(settings={
    "CONCURRENT_REQUESTS": opts["concurrency"] * 4, "CONCURRENT_REQUESTS_PER_DOMAIN":
    opts["concurrency"], "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True, "LOG_INSTALL_ROOT_HANDLER": False,
    **({"DOWNLOADER": opts["downloader"]} if opts.get("downloader") else {})})
process.crawl(Bare)
process.start()
print(json.dumps({"pages": Bare.count}))
'''


_MEASURE = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
            "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "file=sys.stderr); sys.exit(r.returncode)")


def child_run(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd`` under a wrapper that reports the peak RSS of it and its own children."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:3]} failed: {out.stderr[-500:]}")
    peak_kb = next((int(line.split()[1]) for line in out.stderr.splitlines()
                    if line.startswith("MAXRSS")), 0)
    return elapsed, peak_kb / 1024, out.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    from auditor.demo.sitegen import build_large_site
    from auditor.devserver import serve_site

    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        site = build_large_site(Path(tmp) / "site", documents=args.documents)
        auditor = str(Path(sys.executable).with_name("auditor"))
        with serve_site(site) as base:
            url = base + "/"
            db = Path(tmp) / "bench.db"
            scan_s, scan_mb, scan_out = child_run(
                [auditor, "scan", url, "--db", str(db), "--delay", "0",
                 "--concurrency", str(args.concurrency), "--max-pages", "100000",
                 "--max-depth", "10", "--format", "json", "--quiet", "--exit-zero"])
            # The bare spider fetches the very pages the scan fetched (robots.txt included).
            from auditor.store import Store

            with Store(db) as store:
                fetched = [p.final_url or p.url for p in store.pages(1) if p.status]
            url_file = Path(tmp) / "urls.txt"
            url_file.write_text("\n".join(fetched), "utf-8")
            # A file, not -c: Scrapy reads callbacks' source (inspect.getsource).
            bare_script = Path(tmp) / "bare_spider.py"
            bare_script.write_text(BARE, "utf-8")
            bare_s, bare_mb, bare_out = child_run(
                [sys.executable, str(bare_script), json.dumps(
                    {"urls": str(url_file), "concurrency": args.concurrency})])
            # The same bare spider on our downloader, which holds a site to its concurrency
            # (stock Scrapy sends up to 8 requests at a time here: spiders/downloader.py).
            held_s, _, held_out = child_run(
                [sys.executable, str(bare_script), json.dumps(
                    {"urls": str(url_file), "concurrency": args.concurrency,
                     "downloader": "auditor.spiders.downloader.SiteBoundDownloader"})])
        bare_pages = json.loads(bare_out.strip().splitlines()[-1])["pages"]
        held_pages = json.loads(held_out.strip().splitlines()[-1])["pages"]
        coverage = json.loads(scan_out)["coverage"]
        print(f"site: {args.documents} documents, concurrency {args.concurrency}, no delay")
        print(f"{'':22}{'seconds':>9}{'pages':>8}{'pages/s':>9}{'peak MB':>9}")
        print(f"{'bare Scrapy spider':22}{bare_s:9.1f}{bare_pages:8d}{bare_pages / bare_s:9.1f}"
              f"{bare_mb:9.0f}")
        print(f"{'bare, concurrency held':22}{held_s:9.1f}{held_pages:8d}"
              f"{held_pages / held_s:9.1f}{'':>9}")
        scanned = coverage["pages_total"]
        print(f"{'auditor scan':22}{scan_s:9.1f}{scanned:8d}{scanned / scan_s:9.1f}{scan_mb:9.0f}")
        print(f"ratio scan/bare: {scan_s / bare_s:.2f}x (target ≤ 1.25x, issue 10); "
              f"scan/bare with concurrency held: {scan_s / held_s:.2f}x; documents audited: "
              f"{coverage['documents']}")
        print("(peak MB: the largest resident set among each command's processes; the scan's "
              "crawl runs in its own child process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
