#!/usr/bin/env python3
"""Run the report checks over a corpus and compare the findings with each gold file's defects.

    .venv/bin/python bench/findings.py ../shared/corpus/gold ../shared/corpus/reports [../shared/corpus/html ../shared/corpus/pdf]

For every document with a gold file: the findings by status, each recorded defect with the
findings that cover it (a defect names its rule codes, e.g. "ARI-04: …"; the few without a code
are mapped below), and any violation on a report whose gold lists no defects. Reports of the
same issuer in consecutive years are checked as a pair (--previous) so XY rules run.
A measurement, not a test: exit 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.audit import check_report  # noqa: E402
from auditor.findings import Status  # noqa: E402
from auditor.parse import parse_report  # noqa: E402
from auditor.rules.structure import place_core  # noqa: E402

# Defects recorded without a rule code: which rules are meant.
UNCODED = {"metadata": ("STR-05", "TIME-06"), "minor: section 五": ("STR-08",)}


def defect_codes(defect: str) -> tuple[str, ...]:
    head = defect.split(":", 1)[0]
    codes = tuple(re.findall(r"[A-Z]+-\d+", head))
    if codes:
        return codes
    for prefix, mapped in UNCODED.items():
        if defect.startswith(prefix):
            return mapped
    return ()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("doc_dirs", type=Path, nargs="+")
    parser.add_argument("--json", type=Path, help="write per-document details here")
    args = parser.parse_args(argv)

    docs = []
    for folder in args.doc_dirs:
        for path in sorted(folder.glob("*")):
            gold_path = args.gold_dir / f"{path.stem}.json"
            if path.suffix in (".txt", ".html", ".htm", ".pdf") and gold_path.exists():
                report = parse_report(path.read_bytes(), source=str(path))
                docs.append((path, json.loads(gold_path.read_text("utf-8")), report))

    def owner(report):
        return place_core(report.issuer or "") if report.issuer else None

    rows, details = [], []
    total_defects = found_defects = unexpected = 0
    for path, gold, report in docs:
        def same_body(other, report=report) -> bool:
            a, b = owner(other), owner(report)
            return bool(a and b and (a in b or b in a))

        previous = next((r for p, g, r in docs if r.year and report.year
                         and r.year == report.year - 1 and same_body(r)
                         and p.suffix == path.suffix), None)
        result = check_report(report, previous=previous)
        active = result.active()
        by_status = {s: [f for f in active if f.status == s] for s in Status}
        doc_detail = {"document": str(path), "previous": previous.source if previous else None,
                      "defects": [], "violations_without_defect": []}
        defects = gold.get("defects", [])
        covered_rules = set()
        for defect in defects:
            codes = defect_codes(defect)
            hits = [f for f in active if f.rule in codes and f.status != Status.NOT_ASSESSABLE]
            needs_previous = "cross-year" in defect and previous is None
            status = "found" if hits else ("needs previous-year report (not in corpus)"
                                           if needs_previous else "MISSED")
            total_defects += 0 if needs_previous else 1
            found_defects += 1 if hits else 0
            covered_rules.update(f.rule for f in hits)
            doc_detail["defects"].append({"defect": defect, "status": status,
                                          "findings": [f"{f.rule} {f.status}" for f in hits]})
        if not defects:
            for f in by_status[Status.VIOLATION]:
                unexpected += 1
                doc_detail["violations_without_defect"].append(f"{f.rule}: {f.message}")
        details.append(doc_detail)
        rows.append((path.name, len(by_status[Status.VIOLATION]), len(by_status[Status.NEEDS_REVIEW]),
                     len(by_status[Status.NOT_ASSESSABLE]),
                     sum(1 for d in doc_detail["defects"] if d["status"] == "found"),
                     len(defects), doc_detail))

    print(f"{'document':42} {'viol':>4} {'review':>6} {'n/a':>4}  defects found")
    for name, v, r, n, found, total, detail in rows:
        print(f"{name:42} {v:>4} {r:>6} {n:>4}  {found}/{total}")
        for d in detail["defects"]:
            print(f"    [{d['status']}] {d['defect'][:90]}"
                  + (f"  <- {', '.join(d['findings'])}" if d["findings"] else ""))
        for v_text in detail["violations_without_defect"]:
            print(f"    [violation on a report without recorded defects] {v_text[:100]}")
        if detail["previous"]:
            print(f"    (checked with previous year: {Path(detail['previous']).name})")
    print(f"\nTOTAL: {found_defects}/{total_defects} checkable defects found; "
          f"{unexpected} violation(s) on reports without recorded defects")
    if args.json:
        args.json.write_text(json.dumps(details, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
