"""Row labels of the national report tables (domain.md §2.4–2.6) as keyword patterns.

Rows are matched by meaning, not position: each row key has patterns found in the printed
label, including typos seen in real reports ("其他法律行政止公开"). When the text gathered
before a row's numbers matches several rows, the match that starts last wins: run-together
labels end with the row they belong to.
"""

from __future__ import annotations

import re

# Table 二, 2021 format: key prefix -> (label pattern, column keys).
TABLE2_2021: dict[str, tuple[str, tuple[str, ...]]] = {
    "rules": (r"规章", ("issued", "repealed", "in_force")),
    # "行政" first, so that the printed label keeps it (STR-03 notes the 2019 wording).
    "normative": (r"行政规范性文件|规范性文件", ("issued", "repealed", "in_force")),
    "licensing": (r"行政许可", ("decisions",)),
    "penalty": (r"行政处罚", ("decisions",)),
    "coercion": (r"行政强制", ("decisions",)),
    "fees": (r"行政事业性收费|事业性收费", ("amount",)),
}

TABLE2_2019: dict[str, tuple[str, tuple[str, ...]]] = {
    "rules": (r"规章", ("made", "published", "total")),
    "normative": (r"规范性文件", ("made", "published", "total")),
    "licensing": (r"行政许可", ("prev_items", "change", "decisions")),
    "other_services": (r"其他对外管理服务", ("prev_items", "change", "decisions")),
    "penalty": (r"行政处罚", ("prev_items", "change", "decisions")),
    "coercion": (r"行政强制", ("prev_items", "change", "decisions")),
    "fees": (r"行政事业性收费|事业性收费", ("prev_items", "change")),
    "procurement": (r"政府集中采购|集中采购", ("items", "amount")),
}

# Table 三 rows in printed order.
TABLE3_ROWS: dict[str, str] = {
    "new_received": r"本年新收",
    "carried_in": r"上年结转",
    "open": r"予以公开",
    "partial": r"部分公开",
    "withheld.state_secret": r"国家秘密",
    "withheld.law_prohibited": r"其他法律|禁止公开|行政止公开",
    "withheld.security_stability": r"三安全|一稳定",
    "withheld.third_party": r"第三方",
    "withheld.internal_affairs": r"内部事务",
    "withheld.process_info": r"过程性",
    "withheld.enforcement_file": r"执法案卷",
    "withheld.admin_query": r"行政查询|查询事项",
    "unavailable.not_held": r"不掌握",
    "unavailable.needs_creation": r"另行制作|没有现成",
    "unavailable.still_unclear": r"仍不明确|补正后申请",
    "not_processed.petition": r"信访|举报投诉",
    "not_processed.repeat": r"重复申请",
    "not_processed.publication": r"出版物",
    "not_processed.massive": r"大量反复|大量申请",
    "not_processed.confirm": r"确认或重新出具|重新出具|要求行政机关确认",
    "other.no_correction": r"不补正",
    "other.fee_unpaid": r"收费通知|缴纳费用",
    "other.other": r"3\s*[.、]\s*其他(?!处理)",
    "other": r"其他处理",
    "total": r"\(七\)\s*总计|七\s*、\s*总计|^总计$",
    "carried_out": r"结转下年",
    # Subtotal rows a few agencies add (domain.md §2.7 I6): a group heading carrying numbers.
    "subtotal.withheld": r"不予公开(?:小计|合计)?$",
    "subtotal.unavailable": r"无法提供(?:小计|合计)?$",
    "subtotal.not_processed": r"不予处理(?:小计|合计)?$",
}

#: Group headings of table 三 printed in a column of their own left of the row labels, often
#: wrapped ("（三）不" / "予公开") or one character per line ("三" / "、" / "本" …).
TABLE3_GROUPS = ("三、本年度办理结果", "(三)不予公开", "(四)无法提供", "(五)不予处理", "(六)其他处理")

#: Table 三's header cells and the pieces they wrap into ("商业企" / "业"): printed again under
#: a page break inside the table, where they may fall between two lines of a row label.
TABLE3_HEADER = re.compile(
    r"(?:申请人情况|法人或其他组织|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|"
    r"\(?本列数据的勾稽关系为:?|第一项加第二项之和,?|等于第三项加第四项之和\)?|"
    r"商业企?|企?业|科研机?|机?构|社会公益|公益|组织|法律服务|服务|社会|法律|科研)+")

TABLE3_WITHHELD = [k for k in TABLE3_ROWS if k.startswith("withheld.")]
TABLE3_UNAVAILABLE = [k for k in TABLE3_ROWS if k.startswith("unavailable.")]
TABLE3_NOT_PROCESSED = [k for k in TABLE3_ROWS if k.startswith("not_processed.")]
TABLE3_OTHER_2021 = ["other.no_correction", "other.fee_unpaid", "other.other"]
#: Subtotal row -> the rows it sums.
TABLE3_SUBTOTALS = {
    "subtotal.withheld": TABLE3_WITHHELD,
    "subtotal.unavailable": TABLE3_UNAVAILABLE,
    "subtotal.not_processed": TABLE3_NOT_PROCESSED,
    "subtotal.other": TABLE3_OTHER_2021,
}

# Header words of table 四; numbers after other text in section 四 are narrative, not cells.
TABLE4_HEADER = re.compile(r"维持|纠正|结果|审结|总计|复议|诉讼|起诉|^$")
#: The column headers under which table 四's numbers are printed.
TABLE4_COLUMNS = re.compile(r"维持|纠正|审结|总计")
#: Every word table 四's header and group labels are made of: text between two runs of the
#: table's numbers (a header repeated on the next page, one group printed per row) is only these.
TABLE4_WORDS = re.compile(r"未经复议直接起诉|复议后起诉|直接起诉|行政复议|行政诉讼|结果维持|结果纠正|"
                          r"其他结果|尚未审结|总计|合计|结果|维持|纠正|其他|尚未|审结|起诉|复议|诉讼|"
                          r"[^\u4e00-\u9fff]")

# Format signals (domain.md §2.8): (pattern, weight).
FORMAT_2021_SIGNALS = ("本年制发件数", "本年废止件数", "现行有效件数", "行政规范性文件",
                       "本年收费金额", "本年处理决定数量")
FORMAT_2019_SIGNALS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                       "其他对外管理服务事项", "政府集中采购", "采购总金额")
LEGACY_SIGNALS = ("依申请公开政府信息情况", "统计指标", "政府信息公开的收费及减免情况",
                  "主动公开政府信息的情况", "依申请公开政府信息和不予公开政府信息的情况")


def compile_rows(rows: dict[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(key, re.compile(pattern)) for key, pattern in rows.items()]


ITEM_MARKER = re.compile(r"[一二三四五六七八九十]+\s*、|\([一二三四五六七八九十]+\)|\d{1,2}\s*[.、]")


def match_row(label: str, rows: list[tuple[str, re.Pattern[str]]]) -> str | None:
    """The row whose pattern matches ``label`` latest (ties: the longer match)."""
    found = _match(label, rows)
    return found[0] if found else None


def row_label(label: str, rows: list[tuple[str, re.Pattern[str]]]) -> str:
    """The part of the gathered ``label`` that is the matched row's own label: from its item
    marker ("2.", "(一)", "一、") or its first keyword, without header text gathered before it."""
    found = _match(label, rows)
    if not found:
        return label
    key, start = found
    marker_start = start
    for m in ITEM_MARKER.finditer(label, max(0, start - 14), start):
        marker_start = m.start()
    return label[marker_start:]


def _match(label: str, rows) -> tuple[str, int] | None:
    best: tuple[int, int, str] | None = None
    spans: dict[str, list[int]] = {}
    for key, pattern in rows:
        for m in pattern.finditer(label):
            spans.setdefault(key, []).append(m.start())
            rank = (m.start(), m.end() - m.start(), key)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None:
        return None
    key = best[2]
    # The chosen row's label begins at its first keyword after every other row's keywords.
    others = [s for k, starts in spans.items() if k != key for s in starts]
    floor = max((s for s in others if s < best[0]), default=-1)
    start = min((s for s in spans[key] if s > floor), default=best[0])
    return key, start
