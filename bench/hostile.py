#!/usr/bin/env python3
"""A scan of the hostile county site (auditor/demo/hostile.py) with the default budget.

    .venv/bin/python bench/hostile.py [--delay 1.0]

Serves the site on 127.0.0.1 and runs ``auditor scan`` on it as a user would (default page
budget, depth, size limits; ``--delay`` as given, 1 s by default), under a wrapper that
reports the peak resident memory of the scan and its crawl child. Prints: the wall time, the
peak RSS, the ordinary documents audited, the planted late documents found, the requests each
hostile part cost against its cap, how each hostile part was reported, and every violation (the
target is the planted late documents and nothing else). A measurement, not a test: exit 0.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawl_speed import child_run  # noqa: E402

from auditor.demo.hostile import CAPS, build_hostile_site  # noqa: E402
from auditor.devserver import serve_site  # noqa: E402
from auditor.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args(argv)
    auditor = str(Path(sys.executable).with_name("auditor"))
    with tempfile.TemporaryDirectory(prefix="zwgk-hostile-") as tmp:
        site = build_hostile_site(Path(tmp) / "site")
        db = Path(tmp) / "h.db"
        with serve_site(site.root) as base:
            seconds, peak_mb, out = child_run(
                [auditor, "scan", base + "/", "--db", str(db), "--delay", str(args.delay),
                 "--format", "json", "--exit-zero", "--quiet"])
        result = json.loads(out)
        with Store(db) as store:
            run_id = result["context"]["run_id"]
            pages = store.pages(run_id)
            notes = store.run(run_id).stats.get("crawl", {})
    fetched = {p.url.replace(base, "") for p in pages if p.outcome == "ok"}
    requests = collections.Counter()
    outcomes = collections.defaultdict(collections.Counter)
    for page in pages:
        path = page.url.replace(base, "")
        for part, prefix in site.parts.items():
            if path.startswith(prefix) and path not in site.documents:
                requests[part] += 1
                outcomes[part][page.outcome] += 1
    late = {f["location"]["url"].replace(base, "") for f in result["findings"]
            if f["rule"] == "TIME-05" and f["status"] == "violation"}
    violations = [f for f in result["findings"] if f["status"] == "violation"]
    other = [f for f in violations if f["rule"] != "TIME-05"]
    reported = {f["location"]["url"].replace(base, "") for f in result["findings"]
                if f["rule"] == "SCAN-01"}
    print(f"wall time {seconds:.1f} s (delay {args.delay:g} s), peak RSS {peak_mb:.0f} MB "
          f"(target ≤ 500 MB), pages requested {len(pages)}")
    print(f"ordinary documents audited {sum(d in fetched for d in site.documents)}"
          f"/{len(site.documents)}; late documents found {len(late & set(site.late))}"
          f"/{len(site.late)}")
    print(f"{'hostile part':14} {'requests':>8} {'cap':>4}  outcomes / how reported")
    for part, cap in CAPS.items():
        prefix = site.parts[part]
        how = ("SCAN-01 at its URL" if any(r.startswith(prefix) for r in reported) else
               "trap pattern stopped" if any(prefix in p for p in notes.get("trap_patterns", {}))
               else "list stopped" if any(prefix in c for c in notes.get("stopped_lists", {}))
               else "read")
        print(f"{part:14} {requests[part]:>8} {cap:>4}  {dict(outcomes[part])} / {how}")
    print(f"violations: {len(violations)} ({len(violations) - len(other)} TIME-05 planted, "
          f"{len(other)} other{': ' + '; '.join(f['rule'] + ' ' + f['message'][:90] for f in other) if other else ''})")
    print(f"complete: {result['coverage']['complete']} — "
          + "; ".join(result["coverage"].get("incomplete_reasons", [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
