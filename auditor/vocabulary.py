"""One vocabulary: the national-format label of every table, row, column and cell, and the
Chinese words for every machine value a person may read (evidence keys, date sources, fetch
outcomes, body types).

Keys (``table3.unavailable.not_held.natural_person``) are the machine contract of the JSON
(docs/report-schema.md); people read the labels the report itself prints (domain.md §2,
国办公开办函〔2021〕30号 and the 2019 trial format of 〔2019〕60号):

>>> cell_label("table3.unavailable.not_held.natural_person")
'表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 / 自然人'
>>> cell_label("table2.normative.made", "2019")
'表二 第二十条第（一）项 规范性文件 / 本年新制作数量'

Every renderer, rule message and location uses these functions; nothing else keeps a label
map of the report tables. This module imports nothing from the package (a leaf), so models,
rules and reporters can all use it.
"""

from __future__ import annotations

import re
from typing import Any

FORMATS = ("2021", "2019")

# ---------------------------------------------------------------- sections and tables

SECTION_TITLES: dict[str, str] = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}
SECTION_NUMERALS = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}

TABLE_LABELS: dict[str, str] = {"table2": "表二", "table3": "表三", "table4": "表四"}
TABLE_TITLES: dict[str, str] = {
    "table2": "主动公开政府信息情况",
    "table3": "收到和处理政府信息公开申请情况",
    "table4": "政府信息公开行政复议、行政诉讼情况",
}
#: Which part of the report holds each table.
TABLE_SECTIONS: dict[str, str] = {"table2": "2", "table3": "3", "table4": "4"}

# ---------------------------------------------------------------- table 二 (domain.md §2.4)

#: Row key -> (block of 第二十条, row label), per format.
TABLE2_ROWS: dict[str, dict[str, tuple[str, str]]] = {
    "2021": {
        "rules": ("第二十条第（一）项", "规章"),
        "normative": ("第二十条第（一）项", "行政规范性文件"),
        "licensing": ("第二十条第（五）项", "行政许可"),
        "penalty": ("第二十条第（六）项", "行政处罚"),
        "coercion": ("第二十条第（六）项", "行政强制"),
        "fees": ("第二十条第（八）项", "行政事业性收费"),
    },
    "2019": {
        "rules": ("第二十条第（一）项", "规章"),
        "normative": ("第二十条第（一）项", "规范性文件"),
        "licensing": ("第二十条第（五）项", "行政许可"),
        "other_services": ("第二十条第（五）项", "其他对外管理服务事项"),
        "penalty": ("第二十条第（六）项", "行政处罚"),
        "coercion": ("第二十条第（六）项", "行政强制"),
        "fees": ("第二十条第（八）项", "行政事业性收费"),
        "procurement": ("第二十条第（九）项", "政府集中采购"),
    },
}
#: Cell key (``row.column``) -> column label, per format.
TABLE2_COLUMNS: dict[str, dict[str, str]] = {
    "2021": {
        "rules.issued": "本年制发件数", "rules.repealed": "本年废止件数",
        "rules.in_force": "现行有效件数",
        "normative.issued": "本年制发件数", "normative.repealed": "本年废止件数",
        "normative.in_force": "现行有效件数",
        "licensing.decisions": "本年处理决定数量", "penalty.decisions": "本年处理决定数量",
        "coercion.decisions": "本年处理决定数量",
        "fees.amount": "本年收费金额（单位：万元）",
    },
    "2019": {
        **{f"{row}.{col}": label for row in ("rules", "normative")
           for col, label in (("made", "本年新制作数量"), ("published", "本年新公开数量"),
                              ("total", "对外公开总数量"))},
        **{f"{row}.{col}": label
           for row in ("licensing", "other_services", "penalty", "coercion")
           for col, label in (("prev_items", "上一年项目数量"), ("change", "本年增/减"),
                              ("decisions", "处理决定数量"))},
        "fees.prev_items": "上一年项目数量", "fees.change": "本年增/减",
        "procurement.items": "采购项目数量", "procurement.amount": "采购总金额",
    },
}

# ---------------------------------------------------------------- table 三 (domain.md §2.5)

TABLE3_COLUMNS: dict[str, str] = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
    "public_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
    "total": "总计",
}
#: The header over the five organisation columns.
TABLE3_ORG_HEADER = "法人或其他组织"
TABLE3_APPLICANT_HEADER = "申请人情况"
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

#: Groups of 三、本年度办理结果: key prefix -> (ordinal, name).
TABLE3_GROUPS: dict[str, tuple[str, str]] = {
    "withheld": ("（三）", "不予公开"),
    "unavailable": ("（四）", "无法提供"),
    "not_processed": ("（五）", "不予处理"),
    "other": ("（六）", "其他处理"),
}
#: Rows that stand alone, as the format prints them.
TABLE3_TOP_ROWS: dict[str, str] = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "open": "（一）予以公开",
    "partial": "（二）部分公开",
    "other": "（六）其他处理",
    "total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
TABLE3_RESULTS_HEADING = "三、本年度办理结果"
#: Items of the groups: key -> item as printed (number and text).
TABLE3_ITEMS: dict[str, str] = {
    "withheld.state_secret": "1.属于国家秘密",
    "withheld.law_prohibited": "2.其他法律行政法规禁止公开",
    "withheld.security_stability": "3.危及“三安全一稳定”",
    "withheld.third_party": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息",
    "withheld.process_info": "6.属于四类过程性信息",
    "withheld.enforcement_file": "7.属于行政执法案卷",
    "withheld.admin_query": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息",
    "unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "unavailable.still_unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition": "1.信访举报投诉类申请",
    "not_processed.repeat": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.massive": "4.无正当理由大量反复申请",
    "not_processed.confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他",
}
#: Shorter forms of the long items, for sentences that name several cells.
_TABLE3_ITEM_SHORT = {
    "other.no_correction": "1.逾期不补正",
    "other.fee_unpaid": "2.逾期未缴纳费用",
}
_TABLE3_TOP_SHORT = {
    "new_received": "本年新收", "carried_in": "上年结转", "open": "予以公开",
    "partial": "部分公开", "other": "其他处理", "total": "（七）总计",
    "carried_out": "结转下年度",
}

# ---------------------------------------------------------------- table 四 (domain.md §2.6)

TABLE4_GROUPS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
_TABLE4_GROUP_SHORT = {"review": "行政复议", "litigation_direct": "未经复议直接起诉",
                       "litigation_after_review": "复议后起诉"}
TABLE4_COLUMNS: dict[str, str] = {
    "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
    "total": "总计",
}

#: Prefix of a key in last year's report (cross-year identities).
PREVIOUS = "prev:"


def _format(fmt: str | None) -> str:
    return fmt if fmt in FORMATS else "2021"


def table2_format(row: str, column: str | None, fmt: str | None) -> str | None:
    """The format a table 二 key belongs to when the report's is not known: the 2019 columns
    (本年新制作数量 …) and rows (其他对外管理服务事项, 政府集中采购) exist only in 2019."""
    if fmt in FORMATS:
        return fmt
    if row in TABLE2_ROWS["2019"] and row not in TABLE2_ROWS["2021"]:
        return "2019"
    if column and f"{row}.{column}" in TABLE2_COLUMNS["2019"] \
            and f"{row}.{column}" not in TABLE2_COLUMNS["2021"]:
        return "2019"
    return fmt


def table_label(table: str | None) -> str | None:
    """``table3`` -> 表三 (``None`` for ``None``; an unknown table as it is)."""
    if table is None:
        return None
    return TABLE_LABELS.get(table, table)


def section_label(section: str | None) -> str | None:
    """``3`` -> 第三部分."""
    if section is None:
        return None
    return f"第{SECTION_NUMERALS[section]}部分" if section in SECTION_NUMERALS else section


def _table3_row(row: str, short: bool) -> str | None:
    if row.startswith("subtotal."):
        group = TABLE3_GROUPS.get(row.split(".", 1)[1])
        if group is None:
            return None
        return f"{group[1]}小计" if short else f"第{group[0]}项“{group[1]}”小计"
    if row in TABLE3_ITEMS:
        group = TABLE3_GROUPS[row.split(".", 1)[0]]
        item = _TABLE3_ITEM_SHORT.get(row, TABLE3_ITEMS[row]) if short else TABLE3_ITEMS[row]
        return f"{group[1]}{item}" if short else f"第{group[0]}项“{group[1]}”{item}"
    if row in TABLE3_TOP_ROWS:
        return _TABLE3_TOP_SHORT[row] if short else TABLE3_TOP_ROWS[row]
    return None


def row_label(table: str, row: str, fmt: str | None = None, *, short: bool = False) -> str:
    """The label of a row as the format prints it: ``("table3", "withheld.state_secret")`` ->
    第（三）项“不予公开”1.属于国家秘密 (``short``: 不予公开1.属于国家秘密). Table 二 rows carry
    their 第二十条 block (``short``: the row alone); table 四 rows are the three groups.
    A key the format does not know is called 未列入国家格式的行 (the key is never shown)."""
    if table == "table2":
        rows = TABLE2_ROWS[_format(fmt)]
        found = rows.get(row) or TABLE2_ROWS["2019" if _format(fmt) == "2021" else "2021"].get(row)
        if found:
            return found[1] if short else f"{found[0]} {found[1]}"
    elif table == "table3":
        found3 = _table3_row(row, short)
        if found3:
            return found3
    elif table == "table4":
        groups = _TABLE4_GROUP_SHORT if short else TABLE4_GROUPS
        if row in groups:
            return groups[row]
    return "未列入国家格式的行"


def column_label(table: str, column: str, fmt: str | None = None, *,
                 row: str | None = None) -> str:
    """The label of a column: 自然人, 结果维持, 本年制发件数 (table 二 needs its ``row``: the same
    key ``amount`` is 本年收费金额（单位：万元） for fees and 采购总金额 for procurement)."""
    if table == "table3":
        return TABLE3_COLUMNS.get(column, "未列入国家格式的列")
    if table == "table4":
        return TABLE4_COLUMNS.get(column, "未列入国家格式的列")
    if table == "table2":
        key = f"{row}.{column}" if row else None
        for candidate in (_format(fmt), *FORMATS):
            columns = TABLE2_COLUMNS[candidate]
            if key and key in columns:
                return columns[key]
        for candidate in (_format(fmt), *FORMATS):
            for cell, label in TABLE2_COLUMNS[candidate].items():
                if cell.endswith("." + column):
                    return label
    return "未列入国家格式的列"


def split_key(key: str) -> tuple[str, str, str | None]:
    """``table3.withheld.state_secret.total`` -> (table3, withheld.state_secret, total);
    ``table2.rules.issued`` -> (table2, rules, issued); a row key -> (table, row, None)."""
    table, _, rest = key.partition(".")
    if table == "table2":
        row, _, column = rest.partition(".")
        return table, row, column or None
    if table == "table3":
        if rest in TABLE3_TOP_ROWS or rest in TABLE3_ITEMS or rest.startswith("subtotal.") \
                and rest.count(".") == 1:
            return table, rest, None
        row, _, column = rest.rpartition(".")
        return table, row, column or None
    if table == "table4":
        row, _, column = rest.partition(".")
        return table, row, column or None
    return table, rest, None


def cell_label(key: str, fmt: str | None = None, *, short: bool = False,
               table: bool = True) -> str:
    """The label of a dotted cell (or row) key: 表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 /
    自然人. ``short`` gives the compact form for sentences naming several cells (本年新收/自然人);
    ``table=False`` leaves out 表三. A key of last year's report (``prev:``) is 上年报告….
    """
    if key.startswith(PREVIOUS):
        return "上年报告" + cell_label(key[len(PREVIOUS):], fmt, short=short, table=table)
    name, row, column = split_key(key)
    if name not in TABLE_LABELS:
        return "报告中的数值"
    if name == "table2":
        fmt = table2_format(row, column, fmt)
    text = row_label(name, row, fmt, short=short)
    if column:
        sep = "/" if short else " / "
        text += sep + column_label(name, column, fmt, row=row)
    if table and not short:
        return f"{TABLE_LABELS[name]} {text}"
    if table and short:
        return f"{TABLE_LABELS[name]}{text}"
    return text


_KEY = re.compile(r"(?:prev:)?table[234](?:\.[A-Za-z_]+)+")


def label_keys(text: str, fmt: str | None = None, *, short: bool = True) -> str:
    """Every dotted cell key in ``text`` replaced by its label (an equation written over keys
    becomes one a person can read): ``table4.review.total == table4.review.upheld + …`` ->
    ``表四行政复议/总计 = 表四行政复议/结果维持 + …``."""
    out = _KEY.sub(lambda m: cell_label(m.group(0), fmt, short=short), text)
    return out.replace("==", "=")


def location_label(table: str | None, row: str | None = None, column: str | None = None,
                   fmt: str | None = None, *, section: str | None = None) -> str:
    """Where in a report, in the report's words: 表三 第（四）项“无法提供”1.本机关不掌握相关政府信息 /
    自然人; 表三 / 自然人 (a column); 第五部分."""
    if table in TABLE_LABELS:
        if table == "table2" and row:
            fmt = table2_format(row, column, fmt)
        parts = [TABLE_LABELS[table]]
        if row:
            parts.append(row_label(table, row, fmt))
        if column:
            label = column_label(table, column, fmt, row=row)
            parts.append(label if row else f"“{label}”列")
        if row or column:
            return parts[0] + " " + " / ".join(parts[1:])
        return parts[0]
    if table:
        return table
    return section_label(section) or ""


# ---------------------------------------------------------------- machine values people read

UNIT_TYPE_LABELS = {"department": "部门", "government": "本级人民政府", "township": "乡镇/街道",
                    "other": "其他主体", "unknown": "类型不明的机关"}
#: What a person may write for a body type (config, CLI): Chinese words and the English keys.
UNIT_TYPE_WORDS = {
    "部门": "department", "政府": "government", "人民政府": "government",
    "本级政府": "government", "本级人民政府": "government", "乡镇": "township",
    "街道": "township", "乡镇街道": "township", "乡镇/街道": "township", "其他": "other",
    "department": "department", "government": "government", "township": "township",
    "street": "township", "other": "other",
}


def unit_type_key(value: str) -> str:
    """部门 / 政府 / 乡镇 / 街道 / 其他 (or department / government / township / other) -> the key;
    ValueError for anything else."""
    key = UNIT_TYPE_WORDS.get(value.strip()) or UNIT_TYPE_WORDS.get(value.strip().lower())
    if key is None:
        raise ValueError(f"单位类型“{value}”无法识别（可用：部门、政府、乡镇、街道、其他）")
    return key


#: Where a document date was read (auditor.parse.dates STRATEGIES).
DATE_SOURCE_LABELS = {
    "metadata": "页面信息公开元数据", "meta-tag": "网页标签", "visible-text": "页面正文",
    "signature": "落款", "list-page": "栏目列表页", "url": "网址中的日期",
    # older evidence
    "meta": "网页标签", "visible": "页面正文", "list": "栏目列表页",
}
#: How a page fetch ended (store pages.outcome).
FETCH_OUTCOME_LABELS = {
    "ok": "成功", "timeout": "访问超时", "blocked": "被拦截", "robots": "robots.txt 禁止抓取",
    "network_error": "网络错误", "redirect_loop": "重定向循环", "offsite": "重定向至站外",
    "http_error": "HTTP 错误", "skipped": "未抓取", "too_large": "超过大小上限",
    "empty": "内容为空", "error": "抓取出错", "server_error": "服务器错误",
    "broken": "链接失效", "not_fetched": "未抓取",
}
#: A crawl run's status (runs.status).
RUN_STATUS_LABELS = {"finished": "正常完成", "failed": "抓取失败（未能访问站点）",
                     "interrupted": "中断（已保存已抓取部分）", "crashed": "异常终止",
                     "running": "进行中（未结束）"}
#: Table and row statuses of the parser (auditor.models ROW_STATUSES, TABLE_STATUSES).
READ_STATE_LABELS = {"present": "已读取", "absent": "文中没有", "not_understood": "未能读懂",
                     "blank": "印为空白", "read": "已读取", "partial": "部分读取",
                     "complete": "已完整读取", "unread": "未能读取", "empty": "空栏目",
                     "none": "无列表", "failed": "访问失败"}
FORMAT_LABELS = {"2021": "2021版格式（国办公开办函〔2021〕30号）",
                 "2019": "2019版格式（国办公开办函〔2019〕60号）",
                 "legacy": "2019年以前的旧格式"}
#: How a cell's value was obtained (auditor.models.Cell.method).
CELL_METHOD_LABELS = {"cell": "单元格原文", "split": "连写数字唯一拆分",
                      "split+identity": "连写数字按勾稽关系拆分",
                      "split+narrative": "连写数字按正文数字拆分", "rows": "多行数字依次对应",
                      "unread": "未能对应到行", "missing": "文中没有"}

#: Chinese labels of the evidence keys rules write.
EVIDENCE_LABELS = {
    "title": "标题", "issued": "成文日期", "published": "发布日期", "limit": "时限（工作日）",
    "working_days": "实际用时（工作日）", "deadline": "截止日期", "linked_from": "链接所在页面",
    "crawl_status": "抓取状态", "run_status": "抓取状态", "outcome": "抓取结果", "count": "数量",
    "urls": "网址", "reason": "原因", "equation": "勾稽关系", "lhs": "左边合计",
    "rhs": "右边合计", "key": "单元格", "value": "数值", "raw": "原文", "sentence": "原句",
    "narrative": "正文表述", "year": "年度", "previous_year": "上一年度", "missing": "缺少",
    "missing_section": "缺少部分", "missing_heading": "未找到的标题", "missing_rows": "缺少行",
    "due_year": "应公布年度", "years_found": "已找到的年度", "similarity": "相似度",
    "previous_source": "上年报告", "text": "原文", "section6": "第六部分原文",
    "unit_type": "单位类型", "expected": "应为", "found": "实际", "code": "标识码",
    "codes": "标识码", "examples": "示例", "tags": "标签", "pages": "页面数", "footer": "页脚",
    "cells": "单元格", "unassessable": "无法评估项", "deadline_day_off": "截止日为休息日",
    "next_workday": "顺延后的工作日", "published_from": "发布日期来源",
    "carried_in": "本年报告“上年结转”", "previous_carried_out": "上年报告“结转下年度”",
    "max_pages": "页数上限", "input_kind": "输入类型", "scanned_pages": "扫描页",
    "images": "图片", "columns": "列", "totals": "合计", "corrected": "纠错数",
    "pending": "尚未审结", "fee_unpaid_total": "收费数", "notices": "通知数",
    "new_received_total": "新收申请总数", "PubDate": "PubDate 网页标签", "meta": "网页标签日期",
    "visible": "页面显示日期", "issuer": "发布机关", "page_source": "页面来源",
    "report_issuer": "报告机关", "period": "统计期限", "format": "格式", "printed": "表中文字",
    "ordinals": "序号", "found_row": "表中的行", "column": "栏目", "column_name": "栏目",
    "input": "输入", "status": "状态", "values": "各单元格数值", "candidates": "可能的读法",
    "readings": "读法组合数", "table": "表格数值", "table_at_least": "表格数值至少为",
    "agreeing_reading": "相符的读法", "table_status": "表格读取情况", "rows": "行",
    "subject": "主语", "error": "错误", "missing_cells": "缺少的单元格", "rule": "规则",
    "previous": "上年报告", "current": "本年报告", "url_date": "网址中的日期",
    "page_date": "页面日期", "gap_days": "相差天数",
    # website indicators (rules/freshness.py, rules/platform.py)
    "column_url": "栏目地址", "newest": "最新一条", "items_listed": "列出条数",
    "undated": "未注明日期条数", "after_as_of": "晚于检查基准日条数", "state": "读取状态",
    "column_class": "栏目类别", "since": "应有更新的起始日", "as_of": "检查基准日",
    "window": "更新周期", "why": "原因", "indicator": "指标类型", "threshold": "否决数量",
    "hit_columns": "涉及栏目", "not_assessable": "无法评估的栏目", "home": "首页",
    "items": "条目数", "second_level": "二级栏目", "second_level_newest": "二级栏目最新信息",
    "script": "列表脚本", "placeholder": "页面文字", "window_start": "留言起算日期",
    "reply_months": "回复时限（月）", "messages": "留言数", "recent": "一年内留言数",
    "hits": "超时未回应的留言", "unknown": "回复情况不明的留言", "guide": "指南页面",
    "present": "已有内容", "attachments": "附件", "guide_date": "指南日期",
    "guide_date_raw": "指南日期原文", "change": "机构变动文件", "change_title": "机构变动标题",
    "change_date": "机构变动日期", "institution_page": "机构信息页面",
    "institution_date": "机构信息日期", "links": "链接", "doubt": "无法断定的原因",
    "catalogue": "目录", "catalogue_url": "目录地址", "entries_read": "已核对的条目页面",
    "shown": "已显示的内容", "pages_read": "已读取的页面", "item": "事项", "pattern": "识别词",
    "domain": "域名", "from": "判断依据", "site_domain": "SiteDomain 网页标签",
    "host": "访问地址", "column_names": "栏目", "days": "天数", "url": "网址", "date": "日期",
    "source": "日期来源", "asked": "留言时间", "replied": "回复时间", "strategy": "日期来源",
    "time": "时间", "kind": "类别", "http_status": "HTTP 状态码", "page_kind": "页面类别",
    **_TABLE4_GROUP_SHORT, "upheld": "结果维持", "unit_type_source": "单位类型的来源", "deadlines": "各类机关的时限", "department": "部门",
    "government": "本级人民政府", "township": "乡镇/街道", "close_reason": "抓取结束原因",
    "cue": "识别依据", "adapter": "列表读法", "reasons": "原因", "items_fetched": "已抓取条数",
    "gaps": "未抓取的条目", "pages_missing": "未读取的列表页", "fetched": "已抓取",
    "skipped": "已跳过", "referer": "链接所在页面", "in_force": "现行有效件数",
    "previous_in_force": "上年现行有效件数", "repealed": "本年废止件数",
    "file": "文件", "percent": "所印百分比", "total": "总数", "total_name": "总数口径",
}
#: Evidence keys that mean something else under one rule (XY-02's ``issued`` is a count).
EVIDENCE_LABELS_BY_RULE = {"XY-02": {"issued": "本年制发件数"}, "ARI-10": {"issued": "本年制发件数"}}
#: The CMS list readers (auditor.spiders.adapters), by the vendor's name as inspectors know it.
ADAPTER_LABELS = {
    "generic": "通用列表", "ajax-json": "脚本接口列表（JSON）", "gkmlpt": "广东政务公开目录（gkmlpt）",
    "hanweb": "大汉 jcms 列表", "hanweb-jpaas": "大汉 JPAAS 列表", "hanweb-xxgk": "大汉信息公开目录",
    "trs": "拓尔思 TRS 静态列表", "trs-avalon": "拓尔思 TRS 前端列表", "trs-irs": "拓尔思 TRS IRS 列表",
    "ucap": "开普 UCAP 列表",
}
_PAGE_KINDS = {"document": "文件页面", "report": "年度报告页面", "list": "栏目页面", "home": "首页",
               "column": "栏目页面", "attachment": "附件", "other": "其他页面"}
#: Evidence values that are machine words, by the key they stand under.
_VALUE_WORDS: dict[str, dict[str, str]] = {
    "strategy": DATE_SOURCE_LABELS, "source": DATE_SOURCE_LABELS,
    "outcome": FETCH_OUTCOME_LABELS, "crawl_status": RUN_STATUS_LABELS,
    "run_status": RUN_STATUS_LABELS, "unit_type": UNIT_TYPE_LABELS,
    "table_status": READ_STATE_LABELS, "state": READ_STATE_LABELS,
    "format": FORMAT_LABELS, "expected": FORMAT_LABELS, "found": FORMAT_LABELS,
    "indicator": {"veto": "单项否决", "deduct": "扣分"},
    "status": RUN_STATUS_LABELS,
    "input_kind": {"image": "图片", "pdf": "PDF 文件", "docx": "Word 文件",
                   "doc": "Word 文件（97–2003）", "wps": "WPS 文件", "xlsx": "Excel 文件",
                   "xls": "Excel 文件（97–2003）", "html": "网页", "text": "文本", "ofd": "OFD 版式文件"},
    "adapter": ADAPTER_LABELS,
    "unit_type_source": {"configured": "已指定", "inferred": "据名称推断", "unknown": "未能判断"},
    "close_reason": {"closespider_timeout": "达到抓取时间上限", "finished": "正常结束",
                     "closespider_pagecount": "达到页数上限", "shutdown": "被中止"},
    "page_kind": _PAGE_KINDS,
    "kind": {"issued": "成文日期", "published": "发布日期", "document": "文件页面",
             "report": "年度报告", "list": "栏目页面", "home": "首页", "column": "栏目页面",
             "attachment": "附件", "other": "其他页面"},
}


def evidence_label(key: str, rule: str | None = None) -> str:
    """The Chinese name of an evidence key; a cell key names its cell; anything else unknown
    is 其他 (a key is never shown to a person)."""
    by_rule = EVIDENCE_LABELS_BY_RULE.get(rule or "", {})
    if key in by_rule:
        return by_rule[key]
    if key in EVIDENCE_LABELS:
        return EVIDENCE_LABELS[key]
    if _KEY.fullmatch(key):
        return cell_label(key, short=True)
    if not re.search(r"[A-Za-z]", key):  # already in words (a reading's name: 本年新收总计)
        return key
    return "其他"


#: Evidence keys whose values are row keys of the finding's table (STR-03, STR-04).
_ROW_LISTS = ("missing_rows", "rows")


def evidence_value(key: str, value: Any, table: str | None = None) -> Any:
    """An evidence value with machine words put in Chinese (a date source, a fetch outcome, a
    run status, a cell or row key, an equation over keys); other values as they are. ``table``
    is the finding's table, for row keys written without it."""
    if isinstance(value, list | tuple) and key in _ROW_LISTS and table in TABLE_LABELS:
        return [row_label(table, v) if isinstance(v, str) else v for v in value]
    if isinstance(value, str):
        words = _VALUE_WORDS.get(key)
        if words and value in words:
            return words[value]
        if value in TABLE_LABELS:
            return TABLE_LABELS[value]
        if _KEY.fullmatch(value):
            return cell_label(value, short=True)
        if _KEY.search(value):
            return label_keys(value)
    return value
