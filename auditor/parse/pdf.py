"""PDF reports: each page's characters laid out as text lines, then the text parser.

Two engines. pdfplumber (pdfminer.six) gives the characters and the table's ruling lines; where
pdfminer cannot map a CJK font to Unicode (``(cid:N)``, U+FFFD or private-use code points), the
page's characters come from PDFium (pypdfium2) instead. PDFium also opens the file first: it
tells an encrypted or broken file quickly, counts pages and finds pages that are only images
(scans), all in C and in bounded time.

Tables are read from the laid-out text like ``pdftotext -layout`` output: a ruling line or a
wide gap separates cells, a row's label may wrap over several lines, a table may continue on the
next page (its repeated header rows are labels like any other). Page numbers ("- 3 -",
"— 1 —", "第 2 页") and running headers and footers are dropped.

Provenance: every cell's ``where`` starts with ``page N`` and its ``line`` is the line on that
page (counted over the page's text lines, top to bottom).
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..models import AnnualReport
from .layout import Char, Grid, Line, fill_blank_columns, is_page_number, lay_out_page

#: Pages read at most; an annual report has 5–30.
MAX_PAGES = 80
#: Characters on one page read at most (a report page has under 3,000).
MAX_PAGE_CHARS = 40_000
#: Drawing objects on a page above which pdfminer (pure Python) is not asked: PDFium alone.
MAX_PAGE_OBJECTS = 20_000
#: Seconds spent on one document at most; pages after that are not read (said in a warning).
TIME_BUDGET = 45.0
#: Share of unmapped glyphs on a page above which the other engine is asked.
BAD_GLYPH_SHARE = 0.02
#: A page with fewer characters than this and an image over this share of its area is a scan.
SCAN_MAX_CHARS = 20
SCAN_MIN_IMAGE_SHARE = 0.3
#: Top and bottom bands of the page where page numbers and running headers live.
MARGIN = 0.09

_BAD = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")


@dataclass
class PageText:
    number: int
    lines: list[Line] = field(default_factory=list)
    engine: str = "pdfminer"
    height: float = 842.0
    scanned: bool = False
    #: Tables read as grids of cells (found by their ruling lines) on this page.
    tables: int = 0


@dataclass
class PdfText:
    pages: list[PageText] = field(default_factory=list)
    page_count: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Pages whose text came from PDFium because pdfminer could not map their fonts, and pages
    #: where neither engine could.
    pdfium_pages: list[int] = field(default_factory=list)
    unmapped_pages: list[int] = field(default_factory=list)
    #: Pages with too much text or too many drawing objects for pdfminer: PDFium only.
    heavy_pages: list[int] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def text_pages(self) -> list[PageText]:
        return [p for p in self.pages if p.lines]

    @property
    def scanned_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.scanned]


def _bad_share(texts: list[str]) -> float:
    if not texts:
        return 0.0
    return sum(1 for t in texts if _BAD.search(t)) / len(texts)


# ---------------------------------------------------------------- PDFium

def _open_pdfium(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data), None
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            return None, "PDF 已加密，需要密码才能打开，无法读取"
        if code == raw.FPDF_ERR_SECURITY:
            return None, "PDF 使用了不支持的安全保护，无法读取"
        return None, "PDF 已损坏或不完整（无可读的页面结构）"


def _pdfium_page(doc, index: int) -> tuple[list[Char], float, float, bool]:
    """Characters of a page via PDFium, the page height, the share of it covered by images and
    whether the page is too heavy for pdfminer (too many characters or drawing objects)."""
    import pypdfium2.raw as raw

    page = doc[index]
    try:
        width, height = page.get_size()
        area = max(width * height, 1.0)
        covered = 0.0
        objects = raw.FPDFPage_CountObjects(page.raw)
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            covered += max(0.0, min(right, width) - max(left, 0.0)) * \
                max(0.0, min(top, height) - max(bottom, 0.0))
        textpage = page.get_textpage()
        try:
            total = textpage.count_chars()
            count = min(total, MAX_PAGE_CHARS)
            text = textpage.get_text_range(0, count) if count else ""
            chars = []
            x, y = ctypes.c_double(), ctypes.c_double()
            # get_text_range may expand ligatures; index by char where the lengths agree.
            if len(text) == count:
                for i, ch in enumerate(text):
                    if not ch.strip():
                        continue
                    left, bottom, right, top = textpage.get_charbox(i, loose=True)
                    if right <= left:
                        continue
                    # Rows are told by the baseline: fonts differ in ascent and descent.
                    raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
                    size = top - bottom
                    base = height - y.value
                    chars.append(Char(ch, left, right, base - 0.8 * size, base + 0.2 * size,
                                      size))
        finally:
            textpage.close()
    finally:
        page.close()
    heavy = total > MAX_PAGE_CHARS or objects > MAX_PAGE_OBJECTS
    return chars, height, min(covered / area, 1.0), heavy


# ---------------------------------------------------------------- pdfminer

def _plumber_page(page) -> tuple[list[Char], list[tuple[float, float, float]]]:
    chars = [
        Char(c["text"], float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]),
             float(c.get("size") or (c["bottom"] - c["top"])))
        for c in page.chars
    ]
    vertical = [
        (float(e["x0"]), float(e["top"]), float(e["bottom"]))
        for e in page.edges
        if e.get("orientation") == "v" and float(e["bottom"]) - float(e["top"]) > 4
    ]
    return chars, vertical


def _plumber_tables(page) -> list[Grid]:
    """The cell grids of the tables pdfplumber finds by their ruling lines. A "table" of one
    column is a frame or ruled writing paper around text, not a table."""
    grids = []
    for table in page.find_tables():
        rows = [list(row.cells) for row in table.rows]
        if max((sum(1 for c in row if c) for row in rows), default=0) >= 2:
            grids.append(rows)
    return grids


# ---------------------------------------------------------------- document

@contextmanager
def _quiet_pdfminer():
    """pdfminer logs every oddity of a damaged file as a warning: say it once, in our words."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def extract_pdf(data: bytes, *, time_budget: float = TIME_BUDGET,
                max_pages: int = MAX_PAGES) -> PdfText:
    """Laid-out text of every page; never raises for bad input (``error`` says what is wrong)."""
    with _quiet_pdfminer():
        return _extract(data, time_budget, max_pages)


def _extract(data: bytes, time_budget: float, max_pages: int) -> PdfText:
    start = time.monotonic()
    out = PdfText()
    doc, error = _open_pdfium(data)
    if doc is None:
        out.error = error
        return out
    try:
        out.page_count = len(doc)
        if out.page_count == 0:
            out.error = "PDF 没有页面"
            return out
        if out.page_count > max_pages:
            out.warnings.append(f"PDF 共{out.page_count}页，只读取了前{max_pages}页")
        plumber = _open_plumber(data, out)
        plumber_pages = None
        if plumber is not None:
            try:
                plumber_pages = plumber.pages
            except Exception as exc:  # noqa: BLE001 - a damaged page tree, many exception types
                out.warnings.append(f"pdfminer 无法读取页面结构（{type(exc).__name__}），"
                                    "文字仅由 PDFium 读取")
        unreadable = []
        try:
            for index in range(min(out.page_count, max_pages)):
                if time.monotonic() - start > time_budget:
                    out.warnings.append(f"达到读取时限（{time_budget:g}秒）：第{index + 1}–{out.page_count}页"
                                        "未读取")
                    break
                try:
                    out.pages.append(_read_page(doc, plumber_pages, index, out))
                except Exception:  # noqa: BLE001 - a damaged page: say so, read the others
                    unreadable.append(index + 1)
        finally:
            _close(plumber)
    finally:
        doc.close()
    if unreadable:
        if not out.pages:
            out.error = "PDF 已损坏：没有一页能够读取"
            return out
        out.warnings.append(f"第{_ranges(unreadable)}页已损坏，未读取")
    _drop_running_lines(out.pages)
    text_pages = out.text_pages
    for page, lines in zip(text_pages, fill_blank_columns([p.lines for p in text_pages]),
                           strict=True):
        page.lines = lines
    if out.pdfium_pages:
        out.warnings.append(f"第{_ranges(out.pdfium_pages)}页：字体在 pdfminer 中没有 Unicode 映射"
                            "（(cid:N)/U+FFFD），文字由 PDFium 读取")
    if out.heavy_pages:
        out.warnings.append(f"第{_ranges(out.heavy_pages)}页：字符或图形过多，仅由 PDFium 读取"
                            f"（至多{MAX_PAGE_CHARS}个字符）")
    if out.unmapped_pages:
        out.warnings.append(f"第{_ranges(out.unmapped_pages)}页：部分字符在两种读取引擎中都没有"
                            "Unicode 映射，其文字未知")
    if out.scanned_pages:
        out.facts["file_scanned_pages"] = ",".join(map(str, out.scanned_pages))
    grid_pages = [p.number for p in out.pages if p.tables]
    if grid_pages:  # tables found by their ruling lines and read cell by cell
        out.facts["file_grid_pages"] = ",".join(map(str, grid_pages))
    out.facts["file_pages"] = str(out.page_count)
    return out


def _close(plumber) -> None:
    if plumber is None:
        return
    try:
        plumber.close()
    except Exception:  # noqa: BLE001 - close() walks the page tree again, which may be damaged
        if getattr(plumber, "stream", None) is not None:
            plumber.stream.close()


def _open_plumber(data: bytes, out: PdfText):
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on bad files
        out.warnings.append(f"pdfminer 无法打开该文件（{type(exc).__name__}），"
                            "文字仅由 PDFium 读取")
        return None


def _read_page(doc, plumber_pages, index: int, out: PdfText) -> PageText:
    number = index + 1
    pd_chars, height, image_share, heavy = _pdfium_page(doc, index)
    page = PageText(number, height=height)
    if len(pd_chars) < SCAN_MAX_CHARS and image_share >= SCAN_MIN_IMAGE_SHARE:
        page.scanned = True
    if not pd_chars:
        return page
    chars, vertical, grids = pd_chars, [], []
    page.engine = "pdfium"
    if heavy:
        out.heavy_pages.append(number)
    elif plumber_pages is not None and index < len(plumber_pages):
        try:
            pl_page = plumber_pages[index]
            pl_chars, vertical = _plumber_page(pl_page)
            try:
                grids = _plumber_tables(pl_page)
            except Exception:  # noqa: BLE001 - odd ruling lines: the text layout reads them
                grids = []
            pl_page.close()
        except Exception:  # noqa: BLE001 - pdfminer failed on this page: PDFium has read it
            pl_chars, vertical = [], []
            out.pdfium_pages.append(number)
        bad_pl = _bad_share([c.text for c in pl_chars])
        if pl_chars and bad_pl <= BAD_GLYPH_SHARE:
            chars, page.engine = pl_chars, "pdfminer"
        elif pl_chars:
            bad_pd = _bad_share([c.text for c in pd_chars])
            if bad_pd < bad_pl:
                out.pdfium_pages.append(number)
            else:
                chars, page.engine = pl_chars, "pdfminer"
    if _bad_share([c.text for c in chars]) > BAD_GLYPH_SHARE:
        out.unmapped_pages.append(number)
    # Tables with ruling lines are read as grids (their cells filled with the characters of
    # whichever engine read the page); text elsewhere, and tables without lines, by position.
    page.lines = lay_out_page(chars, vertical, grids)
    page.tables = len(grids)
    if page.scanned and page.lines:
        page.scanned = False
    return page


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1–3, 5"."""
    out, run = [], [numbers[0]]
    for n in numbers[1:]:
        if n == run[-1] + 1:
            run.append(n)
            continue
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [n]
    out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(out)


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom < height * MARGIN or line.top > height * (1 - MARGIN)


def _drop_running_lines(pages: list[PageText]) -> None:
    """Page numbers anywhere as their own line; a bare number or a line repeated on most pages
    only in the top or bottom margin."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    text_pages = [p for p in pages if p.lines]
    repeated: Counter[str] = Counter()
    for page in text_pages:
        repeated.update({key(ln) for ln in page.lines if _in_margin(ln, page.height)})
    running = {k for k, n in repeated.items() if len(text_pages) >= 3 and n > len(text_pages) / 2}
    for page in text_pages:
        kept = []
        for line in page.lines:
            margin = _in_margin(line, page.height)
            stripped = line.text.strip()
            if is_page_number(stripped) and (margin or not stripped.isdigit()):
                continue
            if margin and key(line) in running:
                continue
            kept.append(line)
        page.lines = kept


def read_pdf(data: bytes, source: str | None = None) -> AnnualReport:
    """Parse a report PDF; never raises."""
    from . import parse_text
    from .attachments import relocate

    pdf = extract_pdf(data)
    if pdf.error:
        return AnnualReport(source=source, input_kind="pdf", error=pdf.error)
    if not pdf.text_pages:
        if pdf.scanned_pages:
            return AnnualReport(
                source=source, input_kind="image", page=pdf.facts,
                error=f"扫描图片 PDF（共{pdf.page_count}页扫描图片，无文字层），"
                      "不经文字识别（OCR）无法读取其中表格")
        return AnnualReport(source=source, input_kind="pdf", page=pdf.facts,
                            error="PDF 中没有文字（既无文字层也无页面图片）")
    lines: list[str] = []
    locs: list[tuple[str, int]] = []
    for page in pdf.text_pages:
        for n, line in enumerate(page.lines, start=1):
            lines.append(line.text)
            locs.append((f"page {page.number}", n))
    report = parse_text("\n".join(lines), source=source, input_kind="pdf", page=pdf.facts)
    warnings = list(report.warnings) + pdf.warnings
    if pdf.scanned_pages:
        warnings.append(f"第{_ranges(pdf.scanned_pages)}页是扫描图片，其内容未读取")
    return relocate(report, locs, warnings)
