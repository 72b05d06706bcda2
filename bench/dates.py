#!/usr/bin/env python3
"""Date extraction: our ``extract_dates`` against ``htmldate`` on the same pages, in one run.

Usage::

    python bench/dates.py PAGES_DIR [PAGES_DIR...] [--json OUT]

Each PAGES_DIR holds a ``dates.json`` of gold dates (``../shared/corpus/pages`` and our own
``tests/fixtures/pages``): keys are page paths relative to the directory (``_``-keys are
comments), values ``{"issued": "YYYY-MM-DD"|null, "published": ...|null}`` plus an optional
``url`` (the address the page was fetched from, given to both tools). ``issued`` is the
成文日期 (or 形成/印发日期, 作出决定的日期), ``published`` the 发布日期; ``null`` means the page
does not say, and the right answer is then no date at all.

Each page is read as bytes once. Ours: ``extract_dates(data, url=url)``. htmldate
(``pip install -e '.[bench]'``) gets the same page decoded by ``auditor.parse.decode`` (so GBK
pages reach it as text, not as a guess) and the same ``url``, and is run twice:
``find_date(text, url=url, original_date=True)`` — the original publication date, its closest
notion to 成文日期 and its usual best shot at 发布日期 too — and ``find_date(text, url=url)``, its
default (the latest date it trusts, e.g. an update). Both modes are scored for both fields, so
htmldate is not held to one guess of ours. ``extensive_search`` is left on (its default).

A field is right when the date equals the gold exactly (a date where the gold is ``null`` is
wrong: ``extra``); ``miss`` is no date where the gold has one. htmldate has no notion of 成文日期
apart from 发布日期, so its issued scores mostly show how often the two coincide.

This is a measurement, not a test: the exit status is 0 whatever the scores (2 on bad arguments).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout wins

FIELDS = ("issued", "published")
HTMLDATE_MODES = {"orig": True, "default": False}  # mode -> original_date


def _import_auditor():
    """Import from this checkout (the path is set at the top of the script)."""
    from auditor.parse.dates import extract_dates
    from auditor.parse.decode import decode_bytes

    return extract_dates, decode_bytes


def _import_htmldate():
    try:
        from htmldate import find_date
    except ImportError:
        return None
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    return find_date


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    miss: int = 0
    extra: int = 0
    gold_dated: int = 0
    right_dated: int = 0

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.miss + self.extra

    def add(self, gold: str | None, got: str | None) -> str:
        if gold:
            self.gold_dated += 1
        if got == gold:
            self.right += 1
            if gold:
                self.right_dated += 1
            return "ok"
        if got is None:
            self.miss += 1
            return "miss"
        if gold is None:
            self.extra += 1
            return "extra"
        self.wrong += 1
        return "wrong"

    def line(self) -> str:
        pct = 100.0 * self.right / self.total if self.total else 0.0
        return (f"{self.right:>3}/{self.total:<3} {pct:5.1f}%  wrong {self.wrong:>2}  miss "
                f"{self.miss:>2}  extra {self.extra:>2}  (dated pages right "
                f"{self.right_dated}/{self.gold_dated})")


@dataclass
class Totals:
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    pages: int = 0

    def score(self, key: str) -> Score:
        return self.scores.setdefault(key, Score())


def _fmt(value: str | None, verdict: str, width: int = 16) -> str:
    shown = value or "—"
    return f"{shown} {verdict}".ljust(width)


def _htmldate_call(find_date, text: str, url: str | None, original: bool) -> str | None:
    try:
        return find_date(text, url=url, original_date=original)
    except Exception as exc:  # noqa: BLE001 - a crash is a missing date for the score
        return f"error: {type(exc).__name__}"


def run(dirs: list[Path], json_out: Path | None) -> int:
    extract_dates, decode_bytes = _import_auditor()
    find_date = _import_htmldate()
    if find_date is None:
        print("htmldate is NOT installed: scoring our extractor only. Install the bench extra "
              "(pip install -e '.[bench]') to compare with htmldate.\n")
    rows: list[dict[str, Any]] = []
    grand = Totals()
    per_dir: dict[str, Totals] = {}
    tools = ["ours"] + ([f"htmldate-{m}" for m in HTMLDATE_MODES] if find_date else [])

    # Warm up (imports, lazy tables) so the first page does not carry a one-off cost.
    warm = "<html><head><meta name='PubDate' content='2024-01-05 10:30'></head><body>x</body></html>"
    extract_dates(warm)
    if find_date:
        for original in HTMLDATE_MODES.values():
            _htmldate_call(find_date, warm, None, original)

    header = (f"{'page':<38} | {'issued gold':<11} {'ours':<16} {'strategy':<12} "
              + (f"{'htmldate-orig':<16} " if find_date else "")
              + f"| {'published gold':<14} {'ours':<16} {'strategy':<12} "
              + (f"{'htmldate-orig':<16} {'htmldate-default':<16}" if find_date else ""))
    print(header)
    print("-" * len(header))

    for directory in dirs:
        gold_file = directory / "dates.json"
        try:
            gold_all = json.loads(gold_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"{directory}: cannot read dates.json ({exc}); skipped")
            continue
        totals = per_dir.setdefault(str(directory), Totals())
        for name, gold in gold_all.items():
            if name.startswith("_") or not isinstance(gold, dict):
                continue
            path = directory / name
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"{name:<38} | cannot read: {exc}")
                continue
            url = gold.get("url")
            got: dict[str, dict[str, str | None]] = {}
            strategies: dict[str, str] = {}

            t0 = time.perf_counter()
            ours = extract_dates(data, url=url)
            elapsed = {"ours": time.perf_counter() - t0}
            got["ours"] = {f: (getattr(ours, f).value.isoformat() if getattr(ours, f) else None)
                           for f in FIELDS}
            strategies = {f: (getattr(ours, f).strategy if getattr(ours, f) else "") for f in FIELDS}
            if find_date:
                text = decode_bytes(data).text
                for mode, original in HTMLDATE_MODES.items():
                    t0 = time.perf_counter()
                    value = _htmldate_call(find_date, text, url, original)
                    elapsed[f"htmldate-{mode}"] = time.perf_counter() - t0
                    got[f"htmldate-{mode}"] = {f: value for f in FIELDS}

            verdicts: dict[str, dict[str, str]] = {}
            for tool in tools:
                verdicts[tool] = {}
                for f in FIELDS:
                    for t in (totals, grand):
                        verdict = t.score(f"{f}:{tool}").add(gold.get(f), got[tool][f])
                    verdicts[tool][f] = verdict
                for t in (totals, grand):
                    t.seconds[tool] = t.seconds.get(tool, 0.0) + elapsed[tool]
            totals.pages += 1
            grand.pages += 1

            shown = name if len(name) <= 38 else "…" + name[-37:]
            line = (f"{shown:<38} | {gold.get('issued') or '—':<11} "
                    f"{_fmt(got['ours']['issued'], verdicts['ours']['issued'])} "
                    f"{strategies['issued']:<12} ")
            if find_date:
                line += (f"{_fmt(got['htmldate-orig']['issued'], verdicts['htmldate-orig']['issued'])} ")
            line += (f"| {gold.get('published') or '—':<14} "
                     f"{_fmt(got['ours']['published'], verdicts['ours']['published'])} "
                     f"{strategies['published']:<12} ")
            if find_date:
                line += (f"{_fmt(got['htmldate-orig']['published'], verdicts['htmldate-orig']['published'])} "
                         f"{_fmt(got['htmldate-default']['published'], verdicts['htmldate-default']['published'])}")
            print(line.rstrip())
            rows.append({"dir": str(directory), "page": name, "gold": {f: gold.get(f) for f in FIELDS},
                         "got": got, "verdicts": verdicts, "strategy": strategies,
                         "seconds": elapsed})

    def summary(title: str, totals: Totals) -> None:
        print(f"\n{title}: {totals.pages} pages")
        for f in FIELDS:
            label = "成文日期 (issued)   " if f == "issued" else "发布日期 (published)"
            for tool in tools:
                print(f"  {label} {tool:<17} {totals.score(f'{f}:{tool}').line()}")
        for tool in tools:
            secs = totals.seconds.get(tool, 0.0)
            per = 1000.0 * secs / totals.pages if totals.pages else 0.0
            print(f"  time {tool:<17} {secs:7.3f} s  ({per:.1f} ms/page)")

    for directory, totals in per_dir.items():
        summary(f"TOTAL {directory}", totals)
    if len(per_dir) > 1:
        summary("TOTAL all", grand)
    if find_date:
        print("\nhtmldate-orig = find_date(text, url=url, original_date=True); htmldate-default = "
              "find_date(text, url=url); both with extensive_search on. htmldate returns one "
              "date per page, scored against both fields.")
    if json_out:
        json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path, help="directories holding a dates.json")
    parser.add_argument("--json", type=Path, help="also write per-page results here")
    args = parser.parse_args(argv)
    missing = [d for d in args.dirs if not (d / "dates.json").is_file()]
    if missing:
        print(f"no dates.json in: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    return run(args.dirs, args.json)


if __name__ == "__main__":
    sys.exit(main())
