#!/usr/bin/env python3
"""History at scale: 100 runs of a 2,000-document site — time per run and database size.

    .venv/bin/python bench/history.py [--runs 100] [--documents 2000] [--store sqlite|postgres|both]

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
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def replay_run(store, source_run: int, day: int, edit_share: float) -> int:
    """A new run with the pages of ``source_run``; some documents get an edited body."""
    source = store.run(source_run)
    run_id = store.start_run(source.site, source.start_url, source.options)
    pages = store.pages(source_run)
    step = max(1, int(1 / edit_share)) if edit_share else 0
    # which documents are edited depends on their URLs, not on the order the crawl met them,
    # so two stores given the same site edit the same documents
    order = {url: i for i, url in enumerate(sorted(p.url for p in pages))}
    for page in pages:
        body = store.blob(page.hash)
        if step and page.kind == "document" and order[page.url] % step == day % step and body:
            # an edit of the main text (what 发布后有变动 compares), not of the page around it
            body = body.replace("请认真贯彻执行".encode(), f"请遵照执行（{day}）".encode())
        store.add_page(run_id, url=page.url, kind=page.kind, outcome=page.outcome,
                       status=page.status, body=body, commit=False, final_url=page.final_url,
                       column_name=page.column_name, title=page.title, list_date=page.list_date,
                       referer=page.referer, content_type=page.content_type)
    store.commit()
    store.finish_run(run_id, "finished", source.stats)
    return run_id


def run_history(db: str, base: str, args, today: dt.date) -> dict:
    """The benchmark on one store: timings, sizes and what each run found."""
    from auditor.history import compare, document_changes
    from auditor.scan import CrawlOptions, crawl
    from auditor.site_audit import audit_run
    from auditor.store import Store

    start = time.perf_counter()
    first = crawl(CrawlOptions(start_url=base + "/", db_path=db, delay=0, max_pages=100000,
                               max_depth=10, conditional=False))
    crawl_s = time.perf_counter() - start
    audit_times, diff_times, sizes, results = [], [], {}, []
    with Store(db) as store:
        run_ids = [first]
        for day in range(1, args.runs):
            run_ids.append(replay_run(store, first, day, args.edit_share))
        previous = None
        for n, run_id in enumerate(run_ids, start=1):
            t0 = time.perf_counter()
            result = audit_run(store, run_id, today=today)
            t1 = time.perf_counter()
            lifecycles, changes = {}, []
            if previous:
                for tracked in compare(store, previous, run_id):
                    lifecycles[tracked.lifecycle] = lifecycles.get(tracked.lifecycle, 0) + 1
                changes = sorted(c.url for c in document_changes(store, previous, run_id))
            t2 = time.perf_counter()
            results.append((sorted((f.rule, str(f.status), f.fingerprint)
                                   for f in result.findings), lifecycles, changes))
            audit_times.append(t1 - t0)
            if previous:
                diff_times.append(t2 - t1)
            previous = run_id
            if n in (1, 10, args.runs):
                sizes[n] = store.size_bytes() / 1e6
        pages = len(store.pages(first))
    return {"crawl_s": crawl_s, "audit": audit_times, "diff": diff_times, "sizes": sizes,
            "results": results, "pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--edit-share", type=float, default=0.01)
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="sqlite",
                        help="both: the same runs in SQLite and in PostgreSQL (started on a "
                             "free port by auditor/testing/services.py), results compared")
    args = parser.parse_args()

    from auditor.demo.sitegen import build_large_site
    from auditor.devserver import serve_site

    today = dt.date(2026, 11, 27)
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    with tempfile.TemporaryDirectory(prefix="zwgk-history-") as tmp, ExitStack() as stack:
        site = build_large_site(Path(tmp) / "site", documents=args.documents)
        base = stack.enter_context(serve_site(site))
        measured = {}
        for kind in stores:
            if kind == "postgres":
                from auditor.testing.services import postgres_server

                db = stack.enter_context(postgres_server()).create_database("history")
            else:
                db = str(Path(tmp) / "history.db")
            measured[kind] = run_history(db, base, args, today)
    for kind, m in measured.items():
        print(f"== {kind}: site {args.documents} documents ({m['pages']} pages per run), "
              f"{args.runs} runs, {args.edit_share:.0%} of documents edited per run")
        print(f"first crawl (real, local server): {m['crawl_s']:.1f} s")
        print(f"audit per run:  median {statistics.median(m['audit']):.2f} s, "
              f"worst {max(m['audit']):.2f} s, total {sum(m['audit']):.0f} s")
        if m["diff"]:
            print(f"diff per run:   median {statistics.median(m['diff']) * 1000:.0f} ms, "
                  f"worst {max(m['diff']) * 1000:.0f} ms")
        print("database size:  " + ", ".join(f"{n} run(s) {mb:.1f} MB"
                                             for n, mb in m["sizes"].items()))
    if len(measured) == 2:
        same = measured["sqlite"]["results"] == measured["postgres"]["results"]
        edits = sum(len(r[2]) for r in measured["sqlite"]["results"])
        print(f"SQLite and PostgreSQL: findings, lifecycles and {edits} edited documents of "
              f"every run {'identical' if same else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
