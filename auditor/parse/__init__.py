"""Parse a published annual report (HTML page or text) into :class:`~auditor.models.AnnualReport`.

Pure: bytes or str in, model out, no I/O. :func:`parse_report` never raises; input that is not
a readable report comes back with ``error`` set and every cell unknown.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager

from ..models import UNDERSTOOD, AnnualReport, Section
from ..narrative import table2_mentions
from . import labels, meta
from .attachments import read_attachment, sniff_attachment
from .decode import decode_bytes
from .html import embedded_html, html_to_text, looks_like_html
from .sections import find_headings, section_spans
from .tables import read_table2, read_table3, read_table4
from .text import content_lines, drop_running_titles, normalise, tokenize

__all__ = ["parse_page_report", "parse_report", "parse_text"]

#: A page that is a script holding the report as an HTML string (041-style portal clones).
_HTML_IN_SCRIPT = re.compile(r"<table\b|<p\b", re.I)


def _narrative_hints(text: str, fmt: str | None) -> dict[str, int]:
    """Table 二 numbers the narrative states once ("本年度制发的规范性文件77件")."""
    hints = {}
    for key, found in table2_mentions(text, fmt).items():
        values = {m.value for m in found}
        if len(values) == 1:
            hints[key] = values.pop()
    return hints


def detect_format(table_text: str) -> str | None:
    """2021 / 2019 / legacy by the table labels (domain.md §2.8); ``None`` if no signal."""
    compact = re.sub(r"\s+", "", table_text)
    score_2021 = sum(s in compact for s in labels.FORMAT_2021_SIGNALS)
    score_2019 = sum(s in compact for s in labels.FORMAT_2019_SIGNALS)
    if score_2021 or score_2019:
        return "2021" if score_2021 >= score_2019 else "2019"
    if any(s in compact for s in labels.LEGACY_SIGNALS):
        return "legacy"
    return None


def _tokens(text: str, start: int | None, end: int | None, line_map: list[int] | None = None):
    """Tokens of ``text[start:end]``; with ``line_map`` (text line -> source line) each token
    also knows the source line it came from."""
    if start is None:
        return []
    end = len(text) if end is None else end
    first_line = text.count("\n", 0, start)
    lines = [(n + first_line, line) for n, line in content_lines(text[start:end])]
    tokens = tokenize(lines)
    if line_map:
        for token in tokens:
            if 0 < token.line <= len(line_map):
                token.src = line_map[token.line - 1]
    return tokens


def _find(text: str, pattern: str, start: int = 0) -> int | None:
    m = re.search(pattern, text[start:])
    return start + m.start() if m else None


def _first(*positions: int | None) -> int | None:
    known = [p for p in positions if p is not None]
    return min(known) if known else None


def parse_text(text: str, *, source: str | None = None, input_kind: str = "text",
               encoding: str | None = None, line_map: list[int] | None = None,
               page: dict[str, str] | None = None) -> AnnualReport:
    """Parse report text (already decoded; HTML already reduced to text lines)."""
    text = drop_running_titles(normalise(text))
    headings = find_headings(text)
    spans = section_spans(text, headings)

    def at(sid: str) -> int | None:
        return headings[sid].end if sid in headings else None

    def begin(sid: str) -> int | None:
        return headings[sid].start if sid in headings else None

    # Table regions: between the section headings, or found by their own labels when a
    # heading is missing or misworded.
    t2_start = at("2") or _find(text, r"第二十条")
    t3_start = at("3") or _find(text, r"本年新收", t2_start or 0)
    if t3_start is None and t2_start is not None:
        t3_start = _find(text, r"申请人情况", t2_start)
    t4_start = at("4") or _find(text, r"行政复议", t3_start or t2_start or 0)
    t5_start = _first(begin("5"), begin("6"))
    t2_end = _first(begin("3"), t3_start, t4_start, t5_start)
    t3_end = _first(begin("4"), t4_start, t5_start)
    t4_end = t5_start if t5_start and t4_start and t5_start > t4_start else None
    if t4_end is None and t4_start is not None:
        t4_end = min(len(text), t4_start + 2000)

    tokens2 = _tokens(text, t2_start, t2_end, line_map)
    tokens3 = _tokens(text, t3_start, t3_end, line_map)
    tokens4 = _tokens(text, t4_start, t4_end, line_map)

    region_text = text[t2_start or 0:t3_end or t4_end or len(text)] if t2_start or t3_start else ""
    fmt = detect_format(region_text)
    narrative = text[: t2_start or len(text)]
    spec = labels.TABLE2_2019 if fmt == "2019" else labels.TABLE2_2021
    hints = _narrative_hints(narrative, fmt)
    warnings: list[str] = []

    t2 = read_table2(tokens2, spec, hints, closed=t2_end is not None)
    t3 = read_table3(tokens3, closed=t3_end is not None, fmt=fmt)
    t4 = read_table4(tokens4)
    table2, table3, table4 = t2.cells, t3.cells, t4.cells
    row_labels = {**t2.labels, **t3.labels}
    row_status = {**t2.status, **t3.status, **t4.status}
    table_status, table_confidence = {}, {}
    for name, read in (("table2", t2), ("table3", t3), ("table4", t4)):
        table_status[name], table_confidence[name] = summarise(read.status)
    warnings += t2.warnings + t3.warnings + t4.warnings
    if t3.old_other and fmt == "2021":
        warnings.append("表三：2021年及以后的报告仍用2019版格式的单行“（六）其他处理”")

    title, prefix, title_year = meta.find_title(text)
    first_section = text[slice(*spans["1"])] if "1" in spans else ""
    sections = {
        sid: Section(True, h.text, text[h.end:spans[sid][1]].strip(),
                     text.count("\n", 0, h.start) + 1)
        for sid, h in headings.items()
    }
    for sid in "123456":
        sections.setdefault(sid, Section(False))

    has_values = any(c.value is not None for _, c in _cells(table2, table3, table4))
    error = None
    if not headings and not has_values and title is None:
        error = "未找到年报标题、六部分或表格（可能不是政府信息公开工作年度报告）"

    return AnnualReport(
        title=title,
        issuer=meta.find_issuer(text, prefix),
        year=meta.find_year(text, title_year, first_section),
        format=fmt,
        published=meta.find_published(text),
        sections=dict(sorted(sections.items())),
        preamble=text[:min(h.start for h in headings.values())].strip() if headings else "",
        table2=table2,
        table3=table3,
        table4=table4,
        row_labels=row_labels,
        row_status=row_status,
        table_status=table_status,
        table_confidence=table_confidence,
        candidates=tuple(t2.candidates + t3.candidates + t4.candidates),
        page={**meta.page_facts(text), **(page or {})},
        warnings=tuple(warnings),
        source=source,
        input_kind=input_kind,
        encoding=encoding,
        error=error,
    )


def summarise(status: dict[str, str]) -> tuple[str, float]:
    """A table's status and confidence from its rows' statuses (models.TABLE_STATUSES)."""
    states = list(status.values())
    if not states or all(s == "absent" for s in states):
        return "absent", 0.0
    sure = sum(s in UNDERSTOOD for s in states)
    confidence = round(sure / len(states), 2)
    if sure == len(states):
        return "read", confidence
    if any(s in ("present", "blank") for s in states):
        return "partial", confidence
    return "not_understood", confidence


def _cells(table2, table3, table4):
    yield from table2.items()
    for table in (table3, table4):
        for row, cols in table.items():
            for col, cell in cols.items():
                yield f"{row}.{col}", cell


@contextmanager
def no_cycle_collection():
    """A page or text parse makes thousands of short-lived objects (tokens, cells) that
    reference counting frees; the cyclic collector, triggered by their number, would only walk
    them (and, in a long crawl, every object of the process) in the middle of the parse. It runs
    after. (Not around attachments: pdfminer's objects do form cycles, over many pages.) The
    audit's reading of a run uses it too (auditor/site_audit.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_report(data: bytes | str, source: str | None = None) -> AnnualReport:
    """Parse an annual report from HTML, text (bytes in any encoding, or str) or an attachment
    (PDF, .docx/.doc/.wps, .xlsx/.xls; images are reported as image-only). Never raises."""
    try:
        if isinstance(data, bytes):
            kind = sniff_attachment(data)
            if kind:  # PDF, Word, spreadsheet or image: auditor/parse/attachments.py
                return read_attachment(kind, data, source)
        with no_cycle_collection():
            return _parse(data, source)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"; say what broke
        return AnnualReport(source=source, error=f"解析程序内部错误：{type(exc).__name__}：{exc}")


def parse_page_report(page) -> AnnualReport:
    """:func:`parse_report` of a page already read (:func:`auditor.parse.page.read_page`): the
    same result, without decoding and parsing the page a second time. Never raises."""
    try:
        if page.is_html and looks_like_html(page.text):
            with no_cycle_collection():
                return _parse_html(page.text, page.url, page.encoding, page.root)
        return parse_report(page.body, page.url)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return AnnualReport(source=page.url, error=f"解析程序内部错误：{type(exc).__name__}：{exc}")


def _parse(data: bytes | str, source: str | None) -> AnnualReport:
    encoding = None
    raw: bytes | None = None  # the bytes, when they are the page's clean UTF-8
    if isinstance(data, bytes):
        decoded = decode_bytes(data)
        if decoded.error:
            return AnnualReport(source=source, encoding=decoded.encoding, error=decoded.error)
        text, encoding = decoded.text, decoded.encoding
        raw = data if encoding == "utf-8" else None
    else:
        text = data
        if not text.strip():
            return AnnualReport(source=source, error="输入内容为空")
    if not looks_like_html(text) and _HTML_IN_SCRIPT.search(text):
        embedded = embedded_html(text)
        if embedded:
            text, raw = embedded, None
    if looks_like_html(text):
        # One tree, from the bytes themselves when they are clean UTF-8 (libxml2 reads them
        # without the copy a str costs).
        return _parse_html(raw if raw is not None else text, source, encoding)
    return parse_text(text, source=source, input_kind="text", encoding=encoding)


def _parse_html(text: str | bytes, source: str | None, encoding: str | None,
                root=None, nested: bool = False) -> AnnualReport:
    page = html_to_text(text, root)
    if page.error:
        return AnnualReport(source=source, encoding=encoding, error=page.error)
    header = []
    title = page.meta.get("ArticleTitle") or page.meta.get("<title>", "").split("_")[0]
    if title:
        header.append(f"标题: {title}")
    if page.meta.get("PubDate"):
        header.append(f"发布时间: {page.meta['PubDate']}")
    body = "\n".join(header + [page.text])
    line_map = [0] * len(header) + page.line_map
    report = parse_text(body, source=source, input_kind="html", encoding=encoding,
                        line_map=line_map, page=page.facts)
    if report.error and not nested:
        # A portal page that builds its article from a JavaScript string ("let content =
        # '<p>…<table>…'"): the report is in a script of the page.
        scripts = "\n".join(el.text for el in page.root.iter("script") if el.text)
        embedded = embedded_html(scripts) if _HTML_IN_SCRIPT.search(scripts) else None
        if embedded:
            return _parse_html(embedded, source, encoding, nested=True)
    return report
