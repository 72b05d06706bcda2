#!/usr/bin/env python3
"""Distributed campaigns: generated sites crawled by 1, 2 and 4 ``auditor worker`` processes
through a real Redis into a real PostgreSQL, against one ``scan --all`` process, in one run.

    .venv/bin/python bench/distributed.py [--sites 200] [--pages 100] [--delay 0.2]
                                          [--workers 1,2,4] [--threads 1]

Every site is a TRS-style site of about ``--pages`` pages served on its own port of 127.0.0.1
(one HTTP server per site, all in this process, each request logged). redis-server and
PostgreSQL are started by auditor/testing/services.py on free ports. For each worker count the
inventory is enqueued (``auditor scan --all --queue``) into a new database and that many
workers are started; the time is from the first worker's start to the last one's exit.
Reported: seconds, pages, pages per second, the ratio to one worker (target: 4 workers ≥ 3.5×
one: the work is bound by each site's politeness delay, not by the CPU), each site's fastest
request spacing (politeness: never below Scrapy's 0.5 × delay jitter, one crawler per site),
and whether every site's findings equal those of the single-process ``scan --all``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REQUESTS: dict[int, list[float]] = {}
_lock = threading.Lock()


def log_requests() -> None:
    from auditor.devserver import SiteHandler

    original = SiteHandler.handle_request

    def logged(self, head: bool = False) -> None:
        with _lock:
            REQUESTS.setdefault(self.server.server_port, []).append(time.monotonic())
        original(self, head)

    SiteHandler.handle_request = logged


def write_inventory(path: Path, bases: dict[str, str], delay: float) -> str:
    path.write_text("".join(f'''
[[sites]]
id = "{name}"
name = "{name}"
unit_type = "部门"
urls = ["{base}/"]
delay = {delay}
max_pages = 2000
''' for name, base in bases.items()), "utf-8")
    return str(path)


def findings_by_site(db: str) -> dict[str, list[tuple]]:
    from auditor.store import Store

    with Store(db) as store:
        out = {}
        for run in store.runs():
            out[run.site] = sorted((f["rule"], f["status"], f["fingerprint"], f["message"])
                                   for f in store.findings(run.id))
            out[run.site + "#pages"] = sum(store.page_counts(run.id).values())
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--threads", type=int, default=1, help="sites at a time per worker")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]

    from auditor.demo.sitegen import build_large_site
    from auditor.devserver import serve_site
    from auditor.testing.services import postgres_server, redis_server

    auditor = str(Path(sys.executable).with_name("auditor"))
    log_requests()
    documents = max(1, args.pages - 2 - (args.pages - 2) // 10)  # home, 政务公开, lists
    with tempfile.TemporaryDirectory(prefix="zwgk-dist-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        print(f"generating {args.sites} sites of ~{args.pages} pages…", file=sys.stderr)
        bases = {}
        for i in range(args.sites):
            name = f"site{i:03d}"
            site = build_large_site(tmp / "sites" / name, documents=documents, per_page=10)
            bases[name] = stack.enter_context(serve_site(site))
        redis = stack.enter_context(redis_server())
        postgres = stack.enter_context(postgres_server())
        config = write_inventory(tmp / "auditor.toml", bases, args.delay)

        print("reference: one process, scan --all --parallel 2 (SQLite, no delay)…",
              file=sys.stderr)
        local_db = str(tmp / "local.db")
        local_config = write_inventory(tmp / "local.toml", bases, 0.0)
        start = time.perf_counter()
        subprocess.run([auditor, "scan", "--all", "--config", local_config, "--db", local_db,
                        "--quiet", "--exit-zero", "--format", "json", "-o", str(tmp / "l.json")],
                       check=True)
        local_s = time.perf_counter() - start
        reference = findings_by_site(local_db)

        rows = []
        for n in counts:
            db = postgres.create_database(f"bench{n}")
            import redis as redis_lib

            redis_lib.Redis.from_url(redis.url).flushall()
            subprocess.run([auditor, "scan", "--all", "--config", config, "--db", db,
                            "--queue", redis.url], check=True, capture_output=True)
            REQUESTS.clear()
            print(f"{n} worker(s)…", file=sys.stderr)
            start = time.perf_counter()
            workers = [subprocess.Popen([auditor, "worker", "--queue", redis.url,
                                         "--threads", str(args.threads)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                       for _ in range(n)]
            for worker in workers:
                worker.wait()
            elapsed = time.perf_counter() - start
            found = findings_by_site(db)
            pages = sum(v for k, v in found.items() if k.endswith("#pages"))
            spacing = []
            for times in REQUESTS.values():
                times.sort()
                gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
                if gaps:
                    spacing.append((min(gaps), sum(gaps) / len(gaps)))
            same = found == reference
            rows.append((n, elapsed, pages, min(s[0] for s in spacing),
                         min(s[1] for s in spacing), same))
        print(f"{args.sites} sites × ~{args.pages} pages, delay {args.delay} s per site, "
              f"{args.threads} site(s) at a time per worker; Redis + PostgreSQL on 127.0.0.1")
        print(f"single process scan --all --parallel 2, no delay (reference): {local_s:.0f} s")
        print(f"{'workers':>8}{'seconds':>9}{'pages':>8}{'pages/s':>9}{'vs 1':>7}"
              f"{'min gap':>9}{'min mean gap':>14}  findings = scan --all")
        base = rows[0][2] / rows[0][1]
        for n, elapsed, pages, min_gap, mean_gap, same in rows:
            print(f"{n:>8}{elapsed:>9.1f}{pages:>8}{pages / elapsed:>9.1f}"
                  f"{pages / elapsed / base:>6.2f}x{min_gap:>9.3f}{mean_gap:>14.3f}  "
                  f"{'identical' if same else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
