#!/usr/bin/env python3
"""Run the report checks over a corpus and compare the findings with each gold file's defects.

    .venv/bin/python bench/findings.py ../shared/corpus/gold ../shared/corpus/reports [../shared/corpus/html ../shared/corpus/pdf]

For every document with a gold file: the findings by status, each recorded defect with the
findings that cover it (a defect names its rule codes, e.g. "ARI-04: …"; the few without a code
are mapped below; a defect is found by a violation or needs_review of one of its codes), every
violation whose rule is not among the document's recorded defect codes (a violation the gold
does not back: the number that must be zero), and every needs_review finding. Reports of the
same issuer (the body named in the title, else the issuer; "淮安市洪泽区人民政府" is
"洪泽区人民政府") in consecutive years are checked as a pair (--previous) so XY rules run.
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
from auditor.parse.meta import _TITLE  # noqa: E402

# Defects recorded without a rule code: which rules are meant.
UNCODED = {"metadata": ("STR-05", "TIME-06"), "minor: section 五": ("STR-08",),
           # 本年制发 − 本年废止 above 现行有效 within one report (the single-year bound of XY-02)
           "plausibility: 规范性文件": ("ARI-10",),
           # the page's 发布时间 against the date in the 原文链接 URL: what TIME-06 compares
           "minor: 发布时间": ("TIME-06",)}

# Rules split since the gold was written: a misprinted row or column label was part of STR-03
# ("rows missing") and is now STR-11 (low), so a gold STR-03 defect may be found by either.
SPLIT = {"STR-03": ("STR-11",)}


def defect_codes(defect: str) -> tuple[str, ...]:
    head = defect.split(":", 1)[0]
    codes = tuple(re.findall(r"[A-Z]+-\d+", head))
    if codes:
        return codes + tuple(c for code in codes for c in SPLIT.get(code, ()) if c not in codes)
    for prefix, mapped in UNCODED.items():
        if defect.startswith(prefix):
            return mapped
    return ()


_PLACE_CHAIN = re.compile(r"(?:[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|盟|地区))+")
_GOVERNMENT_OFFICE = re.compile(r"(?<=人民政府)(?:办公厅|办公室)$|(?<=管委会)办公室$")


def body_name(report) -> str | None:
    """The reporting body: the name in the title before the year, else the issuer; without
    spaces, and a government's general office counted as the government."""
    name = None
    if report.title:
        m = _TITLE.search(re.sub(r"\s+", "", report.title))
        if m:
            name = m.group(1)
    name = name or report.issuer
    if not name:
        return None
    return _GOVERNMENT_OFFICE.sub("", re.sub(r"\s+", "", name))


def same_issuer(a: str | None, b: str | None) -> bool:
    """Equal names, or one is the other with the places above it in front
    ("淮安市洪泽区人民政府" and "洪泽区人民政府"); "平潭综合实验区" is not "平潭综合实验区财政金融局"."""
    if not a or not b:
        return False
    if a == b:
        return True
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return long.endswith(short) and bool(_PLACE_CHAIN.fullmatch(long[:-len(short)]))


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

    rows, details = [], []
    total_defects = found_defects = unbacked = 0
    review_total = 0
    for path, gold, report in docs:
        previous = next((r for p, g, r in docs if r.year and report.year
                         and r.year == report.year - 1
                         and same_issuer(body_name(r), body_name(report))
                         and p.suffix == path.suffix), None)
        result = check_report(report, previous=previous)
        active = result.active()
        by_status = {s: [f for f in active if f.status == s] for s in Status}
        doc_detail = {"document": str(path), "previous": previous.source if previous else None,
                      "defects": [], "violations_not_recorded": [], "needs_review": []}
        defects = gold.get("defects", [])
        recorded = {code for defect in defects for code in defect_codes(defect)}
        for defect in defects:
            codes = defect_codes(defect)
            hits = [f for f in active if f.rule in codes and f.status != Status.NOT_ASSESSABLE]
            needs_previous = "cross-year" in defect and previous is None
            status = "found" if hits else ("needs previous-year report (not in corpus)"
                                           if needs_previous else "MISSED")
            total_defects += 0 if needs_previous else 1
            found_defects += 1 if hits else 0
            doc_detail["defects"].append({"defect": defect, "status": status,
                                          "findings": [f"{f.rule} {f.status}" for f in hits]})
        for f in by_status[Status.VIOLATION]:
            if f.rule not in recorded:
                unbacked += 1
                doc_detail["violations_not_recorded"].append(f"{f.rule}: {f.message}")
        for f in by_status[Status.NEEDS_REVIEW]:
            review_total += 1
            doc_detail["needs_review"].append(f"{f.rule}: {f.message}")
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
        for v_text in detail["violations_not_recorded"]:
            print(f"    [VIOLATION NOT A RECORDED DEFECT] {v_text[:110]}")
        for r_text in detail["needs_review"]:
            print(f"    [needs_review] {r_text[:110]}")
        if detail["previous"]:
            print(f"    (checked with previous year: {Path(detail['previous']).name})")
    print(f"\nTOTAL: {found_defects}/{total_defects} checkable defects found; "
          f"{unbacked} violation(s) whose rule is not among the report's recorded defects; "
          f"{review_total} needs_review finding(s)")
    if args.json:
        args.json.write_text(json.dumps(details, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
