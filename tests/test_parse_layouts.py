"""Parse accuracy over the layout families real reports come in (tests/fixtures/make_layouts.py).

Each family prints invented, consistent reports (random numbers that satisfy every identity,
both formats) the way a family of real reports prints them; every cell is compared with the
report it was printed from. A family passes when no cell is confidently wrong, the format,
title, year and issuer are right, and the share of exact cells reaches its floor (100% where
the layout determines every cell; a cell left unknown must then say why, with its readings).
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from auditor import parse_report
from auditor.audit import check_report

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


layouts = _load("make_layouts")
SEEDS = range(1, 7)


@dataclass
class Score:
    exact: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)  # unknown without readings
    metadata: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.exact / self.total if self.total else 0.0


def score(report, expected: dict, name: str, out: Score) -> None:
    """Every cell of ``expected`` against ``report``."""
    for key in ("title", "year", "format", "issuer"):
        got = getattr(report, key)
        if got != expected[key]:
            out.metadata.append(f"{name}: {key} {expected[key]!r} -> {got!r}")
    for table in ("table2", "table3", "table4"):
        for row, want in expected[table].items():
            cells = want.items() if isinstance(want, dict) else [(None, want)]
            for col, value in cells:
                key = f"{table}.{row}" + (f".{col}" if col else "")
                cell = report.cell(key)
                out.total += 1
                if cell.value == value or (cell.value is not None and value is not None
                                           and abs(cell.value - value) < 1e-9):
                    out.exact += 1
                elif cell.value is not None:
                    out.wrong.append(f"{name}: {key} {value} -> {cell.value}")
                elif not cell.options and not any(key in c.cells for c in report.candidates):
                    out.unexplained.append(f"{name}: {key} {value} -> None ({cell.warning})")


def run_family(make, seeds=SEEDS) -> Score:
    out = Score()
    for seed in seeds:
        data, report_model, name = make(seed)
        report = parse_report(data, source=name)
        assert report.error is None, f"{name}: {report.error}"
        score(report, report_model.expected(), f"{name}#{seed}", out)
    return out


def assert_family(out: Score, floor: float = 1.0) -> None:
    assert out.wrong == [], "\n".join(out.wrong[:20])
    assert out.metadata == [], "\n".join(out.metadata[:20])
    assert out.share >= floor, (f"{out.exact}/{out.total} exact; unknown without readings:\n"
                                + "\n".join(out.unexplained[:20]))


# ---------------------------------------------------------------- text extracted from PDFs

@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("style", layouts.TEXT_STYLES)
def test_pdf_text_layouts(style, fmt):
    """``pdftotext -layout`` text: labels wrapped, detached above or below their numbers, two
    rows on one line, group headings in a left column, vertical 三、本年度办理结果, page breaks
    with the header and the title printed again, full-width digits, "—" blanks, headings
    without "、", a sentence with a year under heading 四."""
    def make(seed):
        rng = random.Random(seed * 7 + len(style))
        model = layouts.make_report(seed, fmt, blanks=rng.choice([0, 0, 3]))
        grouped = rng.random() < 0.6
        text = layouts.layout_text(
            model, style, seed=seed, wrap=8 + seed % 9, group_column=grouped,
            vertical_results=grouped and rng.random() < 0.5, full_width=rng.random() < 0.3,
            blank=rng.choice(["—", "/", "-", "无"]), bare_headings=rng.random() < 0.3,
            page_lines=rng.choice([0, 30, 38, 45]), t2_style=rng.choice(["inline", "above",
                                                                         "below"]),
            repeat_header=rng.random() < 0.5, running_title=rng.random() < 0.5)
        return text.encode(), model, f"{style}-{fmt}.txt"

    out = run_family(make)
    # Two rows' numbers on one line read column by column or row by row: where the table's
    # identities cannot tell them apart the cells stay unknown, with both readings.
    assert_family(out, 0.995 if style in ("pairs", "mixed") else 1.0)
    if style != "pairs":
        assert out.unexplained == []


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_detached_layouts_give_no_violation(fmt):
    """A consistent report read from a detached layout: no rule finds a violation."""
    for seed, style in zip(SEEDS, ["below", "pairs", "mixed", "centred", "above", "below"],
                           strict=True):
        model = layouts.make_report(seed, fmt)
        text = layouts.layout_text(model, style, seed=seed, wrap=7 + seed)
        report = parse_report(text.encode(), source=f"{style}.txt")
        found = check_report(report, published=f"{model.year + 1}-01-20").findings
        bad = [f"{f.rule}: {f.message}" for f in found if str(f.status) == "violation"
               and not f.rule.startswith(("TIME", "STR-06", "STR-07", "STR-08", "STR-09"))]
        assert bad == [], f"{style} #{seed}: {bad}"


# ---------------------------------------------------------------- crawler text and HTML

@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("spaced", [False, True])
def test_crawler_text(fmt, spaced):
    """A crawler's page text: the body on one line, cells run together. Digits that admit
    several splits stay unknown with their readings; none is wrong."""
    def make(seed):
        model = layouts.make_report(seed, fmt)
        return layouts.crawler_text(model, spaced=spaced, bare_headings=seed % 3 == 0).encode(), \
            model, "crawler.txt"

    out = run_family(make)
    assert_family(out, 0.9)
    assert out.unexplained == []


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("per_group", [True, False])
def test_ocr_markdown(fmt, per_group):
    """A PDF turned into Markdown by OCR: table 三 one table per group under generic headers
    ("类别 | 数据1 …"), table 四 one table per group."""
    def make(seed):
        model = layouts.make_report(seed, fmt, blanks=seed % 3)
        return layouts.markdown_text(model, per_group=per_group,
                                     spaced_labels=seed % 2 == 0).encode(), model, "ocr.md"

    assert_family(run_family(make))


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_html_pages(fmt):
    def make(seed):
        model = layouts.make_report(seed, fmt, blanks=seed % 3)
        vertical = seed % 2 == 0
        return layouts.html_page(model, vertical=vertical).encode(), model, "page.html"

    assert_family(run_family(make))


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("in_html", [False, True])
def test_report_in_a_javascript_string(fmt, in_html):
    """The report's HTML in a JavaScript string: a script file, or a page whose article the
    script fills in."""
    def make(seed):
        model = layouts.make_report(seed, fmt)
        return layouts.script_page(model, in_html).encode(), model, "page.js"

    assert_family(run_family(make))


# ---------------------------------------------------------------- PDF and Word files

PDF_LAYOUTS = {
    # ruled tables with merged cells, table 三 crossing a page break under its repeated header
    "ruled": {},
    "ruled, header not repeated": {"repeat_header": False},
    # labels wrapping in narrow cells, numbers vertically centred
    "ruled, narrow labels": {"label_width": 22},
    "ruled, vertical headers": {"vertical": True},
    "ruled, table 三 landscape": {"landscape_t3": True, "label_width": 60},
    "ruled, full-width digits and — blanks": {"full_width": True, "blank": "—", "blanks": 4},
    "ruled, empty cells": {"blank": "", "blanks": 4},
    # columns by position only
    "borderless": {"ruled": False},
    "borderless, narrow labels": {"ruled": False, "label_width": 24},
    "borderless, vertical headers": {"ruled": False, "vertical": True},
    "borderless, empty cells": {"ruled": False, "blank": "", "blanks": 4},
}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("layout", list(PDF_LAYOUTS))
def test_pdf_files(layout, fmt):
    """PDFs made with reportlab in the layouts published PDFs have; table 四's three groups
    in one 15-column row."""
    options = dict(PDF_LAYOUTS[layout])
    blanks = options.pop("blanks", 0)

    def make(seed):
        model = layouts.make_report(seed, fmt, blanks=blanks)
        return layouts.pdf_report(model, bare_headings=seed % 2 == 0, **options), model, \
            f"{layout}.pdf"

    assert_family(run_family(make, seeds=range(1, 3)))


WORD_LAYOUTS = {
    "merged cells": {},
    "table 三 split in two, 续表": {"split_after": "withheld.admin_query"},
    "table 三 split after its first rows": {"split_after": "partial", "continued": "续表"},
    "vertical headers, full-width digits": {"vertical": True, "full_width": True},
    "empty cells": {"blank": ""},
}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("layout", list(WORD_LAYOUTS))
def test_word_files(layout, fmt):
    """.docx files: merged cells, table 三 split into two tables, the 2019 format's table 二
    as its five small tables."""
    def make(seed):
        model = layouts.make_report(seed, fmt, blanks=2)
        return layouts.docx_report(model, **WORD_LAYOUTS[layout]), model, f"{layout}.docx"

    assert_family(run_family(make, seeds=range(1, 3)))


def test_ruled_pdf_tables_are_read_as_grids_and_borderless_ones_by_position():
    from auditor.parse.pdf import extract_pdf

    model = layouts.make_report(3, "2021", blanks=4)
    ruled = extract_pdf(layouts.pdf_report(model, blank=""))
    assert sum(p.tables for p in ruled.pages) >= 5  # four small tables of 二, 三 (two pages), 四
    assert ruled.facts["file_grid_pages"]
    borderless = extract_pdf(layouts.pdf_report(model, ruled=False, blank=""))
    assert sum(p.tables for p in borderless.pages) == 0
    assert "file_grid_pages" not in borderless.facts
    # an empty cell is a blank cell in both, never a missing one
    for pdf in (ruled, borderless):
        rows = [ln.text for p in pdf.pages for ln in p.lines if "本年新收" in ln.text
                or "结转下年度" in ln.text]
        assert rows and all(len(re.split(r"\s*\|\s*|\s{2,}", r)) == 8 for r in rows), rows
