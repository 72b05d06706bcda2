#!/usr/bin/env python3
"""History at scale: 100 runs of a 2,000-document site — time per run and database size.

    .venv/bin/python bench/history.py [--runs 100] [--documents 2000]

The generated site is crawled once for real (local server). The other runs are replayed from
that crawl inside the store, each with 1% of the documents edited (a new body), as a monthly
schedule would see them; every run is then audited offline and compared with the run before
(new / open / fixed and documents edited after publication). Reported: crawl time, audit and
diff time per run (median and worst), and the database size after 1, 10 and all runs, with
raw pages deduplicated by content hash.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def replay_run(store, source_run: int, day: int, edit_share: float) -> int:
    """A new run with the pages of ``source_run``; some documents get an edited body."""
    source = store.run(source_run)
    run_id = store.start_run(source.site, source.start_url, source.options)
    pages = store.pages(source_run)
    step = max(1, int(1 / edit_share)) if edit_share else 0
    for index, page in enumerate(pages):
        body = store.blob(page.hash)
        if step and page.kind == "document" and index % step == day % step and body:
            body = body.replace(b"</body>", f"<p>更新{day}</p></body>".encode())
        store.add_page(run_id, url=page.url, kind=page.kind, outcome=page.outcome,
                       status=page.status, body=body, commit=False, final_url=page.final_url,
                       column_name=page.column_name, title=page.title, list_date=page.list_date,
                       referer=page.referer, content_type=page.content_type)
    store.commit()
    store.finish_run(run_id, "finished", source.stats)
    return run_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--edit-share", type=float, default=0.01)
    args = parser.parse_args()

    from auditor.demo.sitegen import build_large_site
    from auditor.devserver import serve_site
    from auditor.history import compare, document_changes
    from auditor.scan import CrawlOptions, crawl
    from auditor.site_audit import audit_run
    from auditor.store import Store

    today = dt.date(2026, 11, 27)
    with tempfile.TemporaryDirectory(prefix="zwgk-history-") as tmp:
        site = build_large_site(Path(tmp) / "site", documents=args.documents)
        db = Path(tmp) / "history.db"
        with serve_site(site) as base:
            start = time.perf_counter()
            first = crawl(CrawlOptions(start_url=base + "/", db_path=str(db), delay=0,
                                       max_pages=100000, max_depth=10))
            crawl_s = time.perf_counter() - start
        audit_times, diff_times, sizes = [], [], {}
        with Store(db) as store:
            run_ids = [first]
            for day in range(1, args.runs):
                run_ids.append(replay_run(store, first, day, args.edit_share))
            previous = None
            for n, run_id in enumerate(run_ids, start=1):
                t0 = time.perf_counter()
                audit_run(store, run_id, today=today)
                t1 = time.perf_counter()
                if previous:
                    compare(store, previous, run_id)
                    document_changes(store, previous, run_id)
                t2 = time.perf_counter()
                audit_times.append(t1 - t0)
                if previous:
                    diff_times.append(t2 - t1)
                previous = run_id
                if n in (1, 10, args.runs):
                    sizes[n] = store.size_bytes() / 1e6
            pages = len(store.pages(first))
        print(f"site: {args.documents} documents ({pages} pages per run), {args.runs} runs, "
              f"{args.edit_share:.0%} of documents edited per run")
        print(f"first crawl (real, local server): {crawl_s:.1f} s")
        print(f"audit per run:  median {statistics.median(audit_times):.2f} s, "
              f"worst {max(audit_times):.2f} s, total {sum(audit_times):.0f} s")
        if diff_times:
            print(f"diff per run:   median {statistics.median(diff_times) * 1000:.0f} ms, "
                  f"worst {max(diff_times) * 1000:.0f} ms")
        print("database size:  " + ", ".join(f"{n} run(s) {mb:.1f} MB" for n, mb in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
