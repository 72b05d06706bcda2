#!/usr/bin/env python3
"""Accuracy of ``parse_report`` against the gold files of the shared corpus.

Usage::

    python bench/accuracy.py GOLD_DIR DOC_DIR [DOC_DIR...] [--json OUT]

Every file in the DOC_DIRs whose stem has a gold file ``GOLD_DIR/<stem>.json`` is read as bytes,
parsed with ``parse_report(data, source=path)`` and scored:

- cells: every numeric leaf of ``table2`` / ``table3`` / ``table4`` in the gold whose dotted key
  (``table2.rules.issued``, ``table3.new_received.total``, ``table4.review.total``) is not listed
  in the gold's ``uncertain``. A cell is exact when the parsed value equals the gold value as a
  number (7545 == 7545.0; ``None`` only equals ``None``; booleans and strings never equal numbers).
  Wrong cells are told apart: a *wrong value* (a number the gold does not have — the parser
  was confidently wrong, the worst case) from an *unknown* (``None`` where the gold has a
  number — the parser admitted it could not read the cell).
- metadata: ``title``, ``issuer``, ``year``, ``format``, ``published`` (those not uncertain).
- sections: all six ``sections`` flags must match.

Results are also grouped by *form* — ``html`` (a page, or HTML inside a script), ``pdf`` (the
PDF file), ``pdftotext`` (text extracted from a PDF, page numbers such as "-3-"), ``ocr``
(PDF/OCR extraction to Markdown tables), ``crawler text`` (a crawler's page text) — and by the
gold *format* (2019 / 2021 / none), so a regression in one family shows. The form of a ``.txt``
file is told from its text (Markdown table rules, page-number lines) and from what the parser
found in it (HTML in a script).

A document the parser does not recognise (``report.error`` set, or an exception, which the
contract says cannot happen) is shown as ``not parsed: <error>``; the run goes on.

This is a measurement, not a test: the exit status is 0 whatever the scores (2 on bad arguments).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout wins

TABLES = ("table2", "table3", "table4")
METADATA = ("title", "issuer", "year", "format", "published")
SECTION_IDS = ("1", "2", "3", "4", "5", "6")
KINDS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}
MAX_WRONG_SHOWN = 8
#: Relative tolerance for floats only, so that 24252.311082 read via a unit conversion
#: (e.g. 2.4252311082 亿) still counts as exact; integers are compared exactly.
FLOAT_REL_TOL = 1e-9


def _import_parse_report():
    """Import from this checkout (the path is set at the top of the script)."""
    from auditor import parse_report

    return parse_report


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def same_value(got: Any, gold: Any) -> bool:
    """Gold/got equality: numbers as numbers, ``None`` only equals ``None``."""
    if gold is None or got is None:
        return gold is None and got is None
    if is_number(gold) and is_number(got):
        if isinstance(gold, float) or isinstance(got, float):
            return got == gold or math.isclose(got, gold, rel_tol=FLOAT_REL_TOL, abs_tol=0.0)
        return got == gold
    if is_number(gold) != is_number(got):
        return False
    return got == gold


def is_uncertain(key: str, uncertain: set[str]) -> bool:
    """A key is not scored when it, or a dotted prefix of it (``table2.normative``), is listed."""
    parts = key.split(".")
    return any(".".join(parts[:i]) in uncertain for i in range(1, len(parts) + 1))


def gold_cells(gold: dict[str, Any]) -> dict[str, Any]:
    """Dotted key -> gold value for every numeric (or null) leaf of tables 二, 三 and 四.

    table2 is flat (``rules.issued``); table3/table4 are ``{row: {col: value}}`` where a row key
    may itself contain a dot (``withheld.state_secret``), so the key is ``table3.<row>.<col>``.
    """
    cells: dict[str, Any] = {}
    for table in TABLES:
        content = gold.get(table) or {}
        for key, value in content.items():
            if isinstance(value, dict):
                for col, leaf in value.items():
                    if leaf is None or is_number(leaf):
                        cells[f"{table}.{key}.{col}"] = leaf
            elif value is None or is_number(value):
                cells[f"{table}.{key}"] = value
    return cells


_ABSENT = object()


def lookup(parsed: dict[str, Any], key: str) -> Any:
    """The parsed value at a dotted key as built by :func:`gold_cells`; ``_ABSENT`` if missing."""
    table, _, rest = key.partition(".")
    content = parsed.get(table) or {}
    if table == "table2":
        return content.get(rest, _ABSENT)
    row, _, col = rest.rpartition(".")
    cols = content.get(row)
    if not isinstance(cols, dict):
        return _ABSENT
    return cols.get(col, _ABSENT)


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)
_PAGE_NUMBER_LINE = re.compile(r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$|\f", re.M)
FORMS = ("html", "pdf", "pdftotext", "ocr", "crawler text")


def form_of(kind: str, data: bytes, input_kind: str | None) -> str:
    """The family a document belongs to (see the module docstring)."""
    if kind in ("html", "pdf"):
        return kind
    if input_kind == "html":
        return "html"
    text = data.decode("utf-8", "replace")
    if _MD_RULE.search(text):
        return "ocr"
    if len(_PAGE_NUMBER_LINE.findall(text)) >= 2:
        return "pdftotext"
    return "crawler text"


@dataclass
class DocScore:
    stem: str
    kind: str
    path: str
    form: str = ""
    fmt: str = ""
    error: str | None = None
    cells_exact: int = 0
    cells_total: int = 0
    wrong: list[tuple[str, Any, Any]] = field(default_factory=list)
    format_ok: bool | None = None
    sections_ok: bool | None = None
    metadata_ok: int = 0
    metadata_total: int = 0
    wrong_metadata: list[tuple[str, Any, Any]] = field(default_factory=list)
    gold_cells_total: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "stem": self.stem,
            "kind": self.kind,
            "form": self.form,
            "format": self.fmt,
            "path": self.path,
            "parsed": self.error is None,
            "error": self.error,
            "cells_exact": self.cells_exact,
            "cells_total": self.cells_total,
            "gold_cells_total": self.gold_cells_total,
            "wrong_cells": [{"key": k, "gold": g, "got": None if v is _ABSENT else v,
                             "missing": v is _ABSENT} for k, g, v in self.wrong],
            "format_ok": self.format_ok,
            "sections_ok": self.sections_ok,
            "metadata_ok": self.metadata_ok,
            "metadata_total": self.metadata_total,
            "wrong_metadata": [{"key": k, "gold": g, "got": v} for k, g, v in self.wrong_metadata],
        }


def score(parsed: dict[str, Any], gold: dict[str, Any], doc: DocScore) -> None:
    uncertain = set(gold.get("uncertain") or [])

    for key, gold_value in gold_cells(gold).items():
        if is_uncertain(key, uncertain):
            continue
        got = lookup(parsed, key)
        doc.cells_total += 1
        if got is not _ABSENT and same_value(got, gold_value):
            doc.cells_exact += 1
        else:
            doc.wrong.append((key, gold_value, got))

    for name in METADATA:
        if is_uncertain(name, uncertain):
            continue
        doc.metadata_total += 1
        got = parsed.get(name)
        if same_value(got, gold.get(name)):
            doc.metadata_ok += 1
        else:
            doc.wrong_metadata.append((name, gold.get(name), got))
        if name == "format":
            doc.format_ok = same_value(got, gold.get(name))

    if not is_uncertain("sections", uncertain):
        gold_sections = gold.get("sections") or {}
        got_sections = parsed.get("sections") or {}
        doc.sections_ok = all(
            bool(got_sections.get(sid)) == bool(gold_sections.get(sid)) for sid in SECTION_IDS
        )


def find_documents(doc_args: list[str], gold_dir: Path) -> list[tuple[str, str, Path]]:
    """(stem, kind, path) for each document with a gold file, sorted by stem then kind."""
    found: dict[Path, tuple[str, str, Path]] = {}
    for arg in doc_args:
        base = Path(arg)
        if base.is_dir():
            candidates = sorted(p for p in base.iterdir() if p.is_file())
        elif base.is_file():
            candidates = [base]
        else:
            print(f"warning: {arg}: no such file or directory, skipped", file=sys.stderr)
            continue
        for path in candidates:
            kind = KINDS.get(path.suffix.lower())
            if kind is None:
                continue
            if (gold_dir / f"{path.stem}.json").is_file():
                found[path.resolve()] = (path.stem, kind, path)
    return sorted(found.values(), key=lambda t: (t[0], t[1], str(t[2])))


def group_rows(scores: list[DocScore]) -> list[list[str]]:
    """One row per (form, format) met, then per form and per format, then all."""
    def row(form: str, fmt: str, docs: list[DocScore]) -> list[str]:
        parsed = [d for d in docs if d.error is None]
        exact = sum(d.cells_exact for d in parsed)
        total = sum(d.cells_total for d in parsed) + sum(d.gold_cells_total for d in docs
                                                         if d.error is not None)
        fmt_ok = sum(1 for d in parsed if d.format_ok)
        sec_ok = sum(1 for d in parsed if d.sections_ok)
        md_ok = sum(d.metadata_ok for d in parsed)
        md_n = sum(d.metadata_total for d in parsed)
        wrong = sum(1 for d in parsed for _, _, v in d.wrong if v is not _ABSENT and v is not None)
        return [form, fmt, str(len(docs)), f"{exact}/{total}", pct(exact, total),
                f"{fmt_ok}/{len(docs)}", f"{sec_ok}/{len(docs)}", f"{md_ok}/{md_n}",
                f"{wrong} wrong value(s)"]

    forms = sorted({d.form for d in scores}, key=lambda f: FORMS.index(f) if f in FORMS else 99)
    fmts = sorted({d.fmt for d in scores})
    out = []
    for form in forms:
        for fmt in fmts:
            docs = [d for d in scores if d.form == form and d.fmt == fmt]
            if docs:
                out.append(row(form, fmt, docs))
    out += [row(form, "all", [d for d in scores if d.form == form]) for form in forms]
    out += [row("all", fmt, [d for d in scores if d.fmt == fmt]) for fmt in fmts]
    out.append(row("all", "all", scores))
    return out


def fmt_value(value: Any) -> str:
    if value is _ABSENT:
        return "(absent)"
    if value is None:
        return "None"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def pct(num: int, den: int) -> str:
    return f"{100.0 * num / den:.1f}%" if den else "-"


def yes_no(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "NO")


def render_table(rows: list[list[str]], header: list[str]) -> str:
    """Plain-text table; the last column (free text) is not padded."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [_pad(c, widths[i]) for i, c in enumerate(row[:-1])] + [row[-1]]
        lines.append(" | ".join(cells).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 20)
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK (East Asian wide/fullwidth) characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/accuracy.py",
        description="Score parse_report against the corpus gold files (a measurement: exits 0).",
    )
    parser.add_argument("gold_dir", metavar="GOLD_DIR", help="directory of <stem>.json gold files")
    parser.add_argument("doc_dirs", metavar="DOC_DIR", nargs="+",
                        help="directories (or files) of documents: .txt, .html, .pdf")
    parser.add_argument("--json", metavar="OUT", help="also write the per-document scores as JSON")
    args = parser.parse_args(argv)

    gold_dir = Path(args.gold_dir)
    if not gold_dir.is_dir():
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: GOLD_DIR {gold_dir} is not a directory", file=sys.stderr)
        return 2

    documents = find_documents(args.doc_dirs, gold_dir)
    if not documents:
        print(f"no document in {' '.join(args.doc_dirs)} has a gold file in {gold_dir}")
        return 0

    parse_report = _import_parse_report()

    scores: list[DocScore] = []
    for stem, kind, path in documents:
        gold = json.loads((gold_dir / f"{stem}.json").read_text(encoding="utf-8"))
        doc = DocScore(stem=stem, kind=kind, path=str(path), fmt=str(gold.get("format") or "none"))
        doc.gold_cells_total = sum(
            1 for k in gold_cells(gold) if not is_uncertain(k, set(gold.get("uncertain") or []))
        )
        data = path.read_bytes()
        input_kind = None
        try:
            report = parse_report(data, source=str(path))
            error = getattr(report, "error", None)
            input_kind = getattr(report, "input_kind", None)
            parsed = None if error else report.to_dict()
        except Exception as exc:  # the contract says never, but a benchmark must not stop
            error = f"exception {type(exc).__name__}: {exc}"
            parsed = None
        doc.form = form_of(kind, data, input_kind)
        if error:
            doc.error = " ".join(str(error).split())
        else:
            score(parsed, gold, doc)
        scores.append(doc)

    header = ["document", "form", "cells", "%", "format ok", "sections ok", "metadata",
              "wrong cells (gold→got)"]
    rows: list[list[str]] = []
    for doc in scores:
        if doc.error is not None:
            rows.append([doc.stem, doc.form, "-", "-", "-", "-", "-", f"not parsed: {doc.error}"])
            continue
        wrong = [f"{k} {fmt_value(g)}→{fmt_value(v)}" for k, g, v in doc.wrong[:MAX_WRONG_SHOWN]]
        if len(doc.wrong) > MAX_WRONG_SHOWN:
            wrong.append(f"… +{len(doc.wrong) - MAX_WRONG_SHOWN} more")
        rows.append([
            doc.stem, doc.form, f"{doc.cells_exact}/{doc.cells_total}",
            pct(doc.cells_exact, doc.cells_total), yes_no(doc.format_ok),
            yes_no(doc.sections_ok), f"{doc.metadata_ok}/{doc.metadata_total}",
            "; ".join(wrong),
        ])

    parsed_docs = [d for d in scores if d.error is None]
    unparsed = [d for d in scores if d.error is not None]
    t_exact = sum(d.cells_exact for d in parsed_docs)
    t_total = sum(d.cells_total for d in parsed_docs)
    fmt_ok = sum(1 for d in parsed_docs if d.format_ok)
    fmt_n = sum(1 for d in parsed_docs if d.format_ok is not None)
    sec_ok = sum(1 for d in parsed_docs if d.sections_ok)
    sec_n = sum(1 for d in parsed_docs if d.sections_ok is not None)
    md_ok = sum(d.metadata_ok for d in parsed_docs)
    md_n = sum(d.metadata_total for d in parsed_docs)
    rows.append([
        f"TOTAL ({len(parsed_docs)} parsed of {len(scores)})", "", f"{t_exact}/{t_total}",
        pct(t_exact, t_total), f"{fmt_ok}/{fmt_n}", f"{sec_ok}/{sec_n}", f"{md_ok}/{md_n}",
        f"{sum(len(d.wrong) for d in parsed_docs)} wrong cells",
    ])
    print(render_table(rows, header))

    print("\nby form and format (a document not parsed counts its gold cells as wrong):")
    print(render_table(group_rows(scores), ["form", "format", "documents", "cells", "%",
                                            "format ok", "sections ok", "metadata", "wrong"]))

    wrong_values = sum(1 for d in parsed_docs for _, g, v in d.wrong
                       if v is not _ABSENT and v is not None)
    unknown = sum(1 for d in parsed_docs for _, g, v in d.wrong if v is _ABSENT or v is None)
    print(f"\nwrong cells: {wrong_values} wrong value(s) (a number the gold does not have), "
          f"{unknown} unknown (None or missing where the gold has a number)")

    if unparsed:
        missed = sum(d.gold_cells_total for d in unparsed)
        all_total = t_total + missed
        print(f"\n{len(unparsed)} document(s) not parsed; counting their {missed} gold cells "
              f"as wrong: {t_exact}/{all_total} = {pct(t_exact, all_total)}")

    wrong_md = [(d, k, g, v) for d in parsed_docs for k, g, v in d.wrong_metadata]
    if wrong_md:
        print("\nwrong metadata (gold→got):")
        for d, k, g, v in wrong_md:
            print(f"  {d.stem} [{d.kind}] {k}: {fmt_value(g)}→{fmt_value(v)}")

    if args.json:
        summary = {
            "documents": [d.to_json() for d in scores],
            "groups": [dict(zip(["form", "format", "documents", "cells", "percent",
                                 "format_ok", "sections_ok", "metadata", "wrong"], row,
                                strict=True)) for row in group_rows(scores)],
            "total": {
                "documents": len(scores), "parsed": len(parsed_docs),
                "cells_exact": t_exact, "cells_total": t_total,
                "cells_total_incl_unparsed": t_total + sum(d.gold_cells_total for d in unparsed),
                "format_ok": fmt_ok, "format_total": fmt_n,
                "sections_ok": sec_ok, "sections_total": sec_n,
                "metadata_ok": md_ok, "metadata_total": md_n,
                "wrong_values": wrong_values, "unknown": unknown,
            },
        }
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
