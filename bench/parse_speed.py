#!/usr/bin/env python3
"""Speed of ``parse_report`` compared with ``lxml.html.fromstring`` alone on the same bytes.

Usage::

    python bench/parse_speed.py DOC [DOC...] [--repeat N]

For each document the bytes are read once; then, in the same process and alternating, the full
``parse_report(data, source=path)`` and the baseline ``lxml.html.fromstring(data)`` are each timed
N times with ``time.perf_counter`` (after one untimed warm-up call each). The figure used is the
median of the N runs (the best run is shown too). Printed per document and overall: documents per
second for the full parse, documents per second for lxml alone, and the ratio full/lxml.

The baseline is ``lxml.html.fromstring`` on the raw bytes for every kind of document: for HTML it
is the cost of just building the tree; for text documents it is the same call on the text bytes
(lxml wraps the text in a paragraph), which only gives a familiar unit of cost, not a like-for-like
comparison. Targets: ≤ 5× lxml for each HTML report; ≤ 20 ms (median) for each text report.
The five slowest documents (median full parse) are listed at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout wins

TARGET_RATIO_HTML = 5.0
TARGET_MS_TEXT = 20.0
SLOWEST = 5
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def _import_parse_report():
    """Import from this checkout (the path is set at the top of the script)."""
    from auditor import parse_report

    return parse_report


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".pdf":
        return "pdf"
    return "txt"


def lxml_baseline(data: bytes) -> None:
    import lxml.etree
    import lxml.html

    try:
        lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        pass  # empty or unparsable document: the failed call is still the cost measured


def time_both(fn_full, fn_base, repeat: int) -> tuple[list[float], list[float]]:
    """Alternate the two callables so that drift (CPU frequency, caches) hits both alike."""
    fn_full()
    fn_base()
    full: list[float] = []
    base: list[float] = []
    clock = time.perf_counter
    for _ in range(repeat):
        t0 = clock()
        fn_full()
        t1 = clock()
        fn_base()
        t2 = clock()
        full.append(t1 - t0)
        base.append(t2 - t1)
    return full, base


def rate(seconds: float) -> str:
    return f"{1.0 / seconds:,.1f}" if seconds > 0 else "inf"


def ratio(full: float, base: float) -> float:
    return full / base if base > 0 else float("inf")


def verdict(kind: str, r: float, seconds: float) -> str:
    if kind == "txt":
        ok = seconds * 1000 <= TARGET_MS_TEXT
        return f"{'OK' if ok else 'OVER'} (target ≤ {TARGET_MS_TEXT:g} ms on text)"
    if kind != "html":
        return f"n/a ({kind}: lxml baseline on the {kind} bytes)"
    ok = r <= TARGET_RATIO_HTML
    return f"{'OK' if ok else 'OVER'} (target ≤ {TARGET_RATIO_HTML:g}× on HTML)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/parse_speed.py",
        description="Time parse_report against lxml.html.fromstring alone on the same bytes.",
    )
    parser.add_argument("docs", metavar="DOC", nargs="+", help="report files (.html, .txt, ...)")
    parser.add_argument("--repeat", metavar="N", type=int, default=20,
                        help="timed runs per document; the median is used (default 20)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    paths: list[Path] = []
    for doc in args.docs:
        path = Path(doc)
        if path.is_file():
            paths.append(path)
        else:
            print(f"warning: {doc}: no such file, skipped", file=sys.stderr)
    if not paths:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: no readable document given", file=sys.stderr)
        return 2

    parse_report = _import_parse_report()

    print(f"parse_report vs lxml.html.fromstring on the same bytes; median of {args.repeat} runs "
          f"(best in brackets); documents/second")
    print("baseline for text documents: lxml.html.fromstring on the text bytes as well "
          "(a unit of cost, not a like-for-like comparison)\n")
    header = (f"{'document':<40} {'kind':<4} {'KiB':>7} {'full doc/s [best]':>22} "
              f"{'lxml doc/s [best]':>22} {'full/lxml':>9} {'ms':>7}  target")
    print(header)
    print("-" * (len(header) + 40))

    totals: dict[str, list[float]] = {}  # kind -> [n, full_median_sum, base_median_sum]
    timed: list[tuple[float, float, str, str]] = []  # (median s, ratio, kind, name)
    all_full = all_base = 0.0
    for path in paths:
        data = path.read_bytes()
        kind = kind_of(path)
        source = str(path)
        errors: list[str] = []

        def full(data=data, source=source, errors=errors):
            try:
                report = parse_report(data, source=source)
            except Exception as exc:  # contract says never raises; keep timing honest anyway
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            if getattr(report, "error", None) and not errors:
                errors.append(str(report.error))

        full_times, base_times = time_both(full, lambda data=data: lxml_baseline(data), args.repeat)
        f_med, b_med = statistics.median(full_times), statistics.median(base_times)
        f_best, b_best = min(full_times), min(base_times)
        r = ratio(f_med, b_med)
        name = path.name if len(path.name) <= 40 else path.name[:39] + "…"
        print(f"{name:<40} {kind:<4} {len(data) / 1024:>7.1f} "
              f"{rate(f_med):>10} [{rate(f_best):>9}] {rate(b_med):>10} [{rate(b_best):>9}] "
              f"{r:>8.2f}× {f_med * 1000:>7.2f}  {verdict(kind, r, f_med)}")
        timed.append((f_med, r, kind, path.name))
        if errors:
            print(f"{'':<40} note: not parsed: {' '.join(errors[0].split())[:100]}")
        t = totals.setdefault(kind, [0, 0.0, 0.0])
        t[0] += 1
        t[1] += f_med
        t[2] += b_med
        all_full += f_med
        all_base += b_med

    print("-" * (len(header) + 40))
    for kind, (n, f_sum, b_sum) in sorted(totals.items()):
        r = ratio(f_sum, b_sum)
        label = f"TOTAL {kind} ({n} doc{'s' if n != 1 else ''})"
        print(f"{label:<40} {kind:<4} {'':>7} {rate(f_sum / n):>10} {'':>11} "
              f"{rate(b_sum / n):>10} {'':>11} {r:>8.2f}× {f_sum / n * 1000:>7.2f}  "
              f"{verdict(kind, r, f_sum / n)}")
    n = len(paths)
    r = ratio(all_full, all_base)
    print(f"{f'TOTAL all ({n} docs)':<40} {'':<4} {'':>7} {rate(all_full / n):>10} {'':>11} "
          f"{rate(all_base / n):>10} {'':>11} {r:>8.2f}× {all_full / n * 1000:>7.2f}")
    print(f"\nslowest {min(SLOWEST, len(timed))} (median full parse):")
    for seconds, ratio_, kind, name in sorted(timed, reverse=True)[:SLOWEST]:
        print(f"  {seconds * 1000:8.2f} ms  {ratio_:6.2f}× lxml  {kind:<4}  {name}")
    over = [t for t in timed if verdict(t[2], t[1], t[0]).startswith("OVER")]
    print(f"\n{len(over)} document(s) over their target" + (
        ": " + ", ".join(t[3] for t in over) if over else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
