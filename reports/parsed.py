"""Render a parsed annual report for people (``auditor parse --format human``)."""

from __future__ import annotations

import unicodedata

from ..models import TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, AnnualReport

SECTION_NAMES = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}
TABLE3_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计")
TABLE4_HEADERS = ("维持", "纠正", "其他", "未审结", "总计")
GROUP_NAMES = {"review": "行政复议", "litigation_direct": "未经复议直接起诉",
               "litigation_after_review": "复议后起诉"}
ROW_NAMES = {
    "new_received": "一、本年新收", "carried_in": "二、上年结转", "open": "（一）予以公开",
    "partial": "（二）部分公开", "withheld.state_secret": "  不予公开1 国家秘密",
    "withheld.law_prohibited": "  不予公开2 法律法规禁止", "withheld.security_stability":
    "  不予公开3 三安全一稳定", "withheld.third_party": "  不予公开4 第三方权益",
    "withheld.internal_affairs": "  不予公开5 内部事务", "withheld.process_info":
    "  不予公开6 过程性信息", "withheld.enforcement_file": "  不予公开7 执法案卷",
    "withheld.admin_query": "  不予公开8 行政查询", "unavailable.not_held": "  无法提供1 不掌握",
    "unavailable.needs_creation": "  无法提供2 另行制作", "unavailable.still_unclear":
    "  无法提供3 补正仍不明确", "not_processed.petition": "  不予处理1 信访举报",
    "not_processed.repeat": "  不予处理2 重复申请", "not_processed.publication":
    "  不予处理3 公开出版物", "not_processed.massive": "  不予处理4 大量反复",
    "not_processed.confirm": "  不予处理5 确认或重新出具", "other.no_correction":
    "  其他处理1 逾期不补正", "other.fee_unpaid": "  其他处理2 逾期未缴费", "other.other":
    "  其他处理3 其他", "other": "（六）其他处理", "total": "（七）总计",
    "carried_out": "四、结转下年度",
}


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
        f"    格式  {report.format or '（未识别）'}    发布日期  {report.published or '（未知）'}",
        "",
        "报告六部分:",
    ]
    for sid, name in SECTION_NAMES.items():
        section = report.sections.get(sid)
        mark = "✓" if section and section.found else "✗ 未找到"
        lines.append(f"  {mark} {name}")
    lines += ["", "表二 主动公开政府信息情况:"]
    for key, cell in report.table2.items():
        lines.append(f"  {pad(key, 28)} {pad(fmt(cell.value), 14, right=True)}")
    lines += ["", "表三 收到和处理政府信息公开申请情况:",
              "  " + pad("", 26) + "".join(pad(h, 10, right=True) for h in TABLE3_HEADERS)]
    for row, cols in report.table3.items():
        cells = "".join(pad(fmt(cols[c].value), 10, right=True) for c in TABLE3_COLUMNS)
        lines.append("  " + pad(ROW_NAMES.get(row, row), 26) + cells)
    lines += ["", "表四 行政复议、行政诉讼情况:",
              "  " + pad("", 18) + "".join(pad(h, 8, right=True) for h in TABLE4_HEADERS)]
    for group in TABLE4_GROUPS:
        cols = report.table4.get(group, {})
        cells = "".join(pad(fmt(cols[c].value if c in cols else None), 8, right=True)
                        for c in TABLE4_COLUMNS)
        lines.append("  " + pad(GROUP_NAMES[group], 18) + cells)
    unknown = sum(1 for _, c in report.iter_cells() if c.value is None)
    lines += ["", f"未知单元格（—）: {unknown}；— 表示空白、“/”、无法辨认或无法唯一拆分，不等于 0。"]
    if report.warnings:
        lines.append("解析提示:")
        lines += [f"  · {w}" for w in report.warnings]
    return "\n".join(lines)
