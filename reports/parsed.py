"""Render a parsed annual report for people (``auditor parse --format human``)."""

from __future__ import annotations

import unicodedata

from .. import vocabulary
from ..models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, AnnualReport

SECTION_NAMES = vocabulary.SECTION_TITLES
TABLE3_HEADERS = tuple(vocabulary.TABLE3_COLUMNS[c] for c in TABLE3_COLUMNS)
TABLE4_HEADERS = tuple(vocabulary.TABLE4_COLUMNS[c] for c in TABLE4_COLUMNS)


def _row_name(row: str, fmt: str | None) -> str:
    """A table 三 row as the format prints it, indented under its group."""
    label = vocabulary.row_label("table3", row, fmt, short=True)
    if row in vocabulary.TABLE3_ITEMS or row.startswith("subtotal."):
        return "  " + label
    return vocabulary.TABLE3_TOP_ROWS.get(row, label)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def fmt(value) -> str:
    if value is None:
        return "—"
    return str(value)


def render_report(report: AnnualReport) -> str:
    lines = [
        f"标题  {report.title or '（未识别）'}",
        f"发布机关  {report.issuer or '（未识别）'}    年度  {report.year or '（未识别）'}"
        f"    格式  {vocabulary.FORMAT_LABELS.get(report.format or '', '（未识别）')}"
        f"    发布日期  {report.published or '（未知）'}",
        "",
        "报告六部分:",
    ]
    for sid, name in SECTION_NAMES.items():
        section = report.sections.get(sid)
        mark = "✓" if section and section.found else "✗ 未找到"
        lines.append(f"  {mark} {name}")
    lines += ["", "表二 主动公开政府信息情况:"]
    for key, cell in report.table2.items():
        label = vocabulary.cell_label(f"table2.{key}", report.format, short=True, table=False)
        lines.append(f"  {pad(label, 44)} {pad(fmt(cell.value), 14, right=True)}")
    lines += ["", "表三 收到和处理政府信息公开申请情况:",
              "  " + pad("", 56) + "".join(pad(h, 14, right=True) for h in TABLE3_HEADERS)]
    for row, cols in report.table3.items():
        cells = "".join(pad(fmt(cols[c].value if c in cols else None), 14, right=True)
                        for c in TABLE3_COLUMNS)
        lines.append("  " + pad(_row_name(row, report.format), 56) + cells)
    lines += ["", "表四 行政复议、行政诉讼情况:",
              "  " + pad("", 32) + "".join(pad(h, 10, right=True) for h in TABLE4_HEADERS)]
    for group in TABLE4_GROUPS:
        cols = report.table4.get(group, {})
        cells = "".join(pad(fmt(cols[c].value if c in cols else None), 10, right=True)
                        for c in TABLE4_COLUMNS)
        lines.append("  " + pad(vocabulary.TABLE4_GROUPS[group], 32) + cells)
    unknown = sum(1 for _, c in report.iter_cells() if c.value is None)
    lines += ["", f"未知单元格（—）: {unknown}；— 表示空白、“/”、无法辨认或无法唯一拆分，不等于 0。"]
    if report.warnings:
        lines.append("解析提示:")
        lines += [f"  · {w}" for w in report.warnings]
    return "\n".join(lines)
