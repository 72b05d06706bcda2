"""STR: the report's structure, format version, completeness and required content."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterator

from auditor import vocabulary
from auditor.engine import Rule
from auditor.findings import FORMAT_DOCUMENTS, LegalBasis, Severity, Status
from auditor.models import row_key_of
from auditor.parse.text import BLANK_CELL
from auditor.vocabulary import FORMAT_LABELS

ART50 = LegalBasis("第五十条")
FORMAT_2021 = LegalBasis("", FORMAT_DOCUMENTS["2021"])
SECTION_TITLES = vocabulary.SECTION_TITLES

#: Table 三 labels as the format prints them (without their item numbers), for typo checks.
CANONICAL_LABELS = {
    f"table3.{key}": re.sub(r"^(?:[一二三四]、|\d\.)", "", label)
    for key, label in {**vocabulary.TABLE3_TOP_ROWS, **vocabulary.TABLE3_ITEMS}.items()
    if key in ("new_received", "carried_in", "carried_out") or key in vocabulary.TABLE3_ITEMS
    and not key.startswith("other.")
}


def expected_format(year: int | None) -> str | None:
    if year is None:
        return None
    if year <= 2018:
        return "legacy"
    return "2019" if year <= 2020 else "2021"


class SixParts(Rule):
    """年度报告包含第五十条规定的六个部分。

    为什么：第五十条列明了每份年报必须包含的内容，国家格式将其固定为六个部分；缺少第二、三、四部分，
    意味着法定统计数据缺失。

    依据：《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号。

    违规示例：报告有“一、总体情况”和各表格，但没有“五、存在的主要问题及改进情况”。

    合规示例：标题一至六齐全且顺序正确（“五、存在问题及改进情况”等措辞变体予以接受）。第二、三、四部
    分的标题未找到但其表格存在的，标为“需人工复核”，不报告为缺失：标题可能印错，或其版式本工具无法识
    别。
    """

    code = "STR-01"
    name = "structure.six_parts"
    title = "六部分齐全"
    severity = Severity.HIGH
    legal_basis = ART50

    def check(self, ctx):
        report = ctx.report
        for sid, title in SECTION_TITLES.items():
            section = report.sections.get(sid)
            if section is None or not section.found:
                table = _TABLE_OF.get(sid)
                if table and report.table_state(table) != "absent":
                    # The part's table is there: its heading is misprinted or not recognised.
                    yield self.finding(
                        ctx, Status.NEEDS_REVIEW,
                        f"未找到“{title}”的标题，但{_TABLE_CN[table]}存在，请核实该部分标题是否规范。",
                        section=sid, evidence={"missing_heading": title, "table": table})
                    continue
                yield self.finding(ctx, Status.VIOLATION, f"未找到“{title}”部分。",
                                   section=sid, evidence={"missing_section": title})


class FormatVersion(Rule):
    """年报使用与年度相符的国家格式（2021 年及以后用 2021 版格式）。

    为什么：2021年度及以后的年报必须采用国办公开办函〔2021〕30号的格式；2019–2020年度采用〔2019〕60
    号的试行格式。格式版本依据表格标签判断，而非依据标题。

    依据：国办公开办函〔2021〕30号；国办公开办函〔2019〕60号。

    违规示例：2023年度年报的表二含“本年新制作数量”“本年新公开数量”栏。

    合规示例：2023年度年报的表二含“本年制发件数”“本年废止件数”“现行有效件数”栏。
    """

    legacy = True
    code = "STR-02"
    name = "structure.format_version"
    title = "格式版本"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("", "国办公开办函〔2021〕30号、国办公开办函〔2019〕60号")

    def check(self, ctx):
        report = ctx.report
        expected = expected_format(report.year)
        if report.format is None:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               "未能从表格标签识别年报格式版本（未找到表二、表三的标准栏目）。",
                               evidence={"year": report.year})
            return
        if expected is None:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, "未识别报告年度，无法判断应使用的格式版本。",
                               evidence={"format": report.format})
            return
        if report.format != expected:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"{report.year}年度报告应使用{FORMAT_LABELS[expected]}，实际使用{FORMAT_LABELS[report.format]}。",
                evidence={"year": report.year, "expected": expected, "found": report.format})
        elif expected == "2021" and "other" in report.table3 \
                and report.row_state("table3.other") == "present":
            yield self.finding(
                ctx, Status.VIOLATION,
                "表三“（六）其他处理”仍为2019版的单行，未按2021版格式分列“申请人无正当理由逾期不补正”"
                "“申请人逾期未按收费通知要求缴纳费用”“其他”三项。",
                table="table3", row="other",
                evidence={"year": report.year, "found_row": "（六）其他处理（单行）"})


class TableRows(Rule):
    """表格行列完整，行标签与国家格式一致。

    为什么：所识别版本的每个必备行都必须存在，统计数据才能读取和核对；标签印错（如“其他法律行政止公
    开”）说明表格在发布前未经核对。只有标签在文档中找不到的行才算缺失：标签已印出但数字无法对应到该
    行（PDF 文本中标签与数字分离）的，为“无法评估”；印出标签但没有数字的行，交由 STR-04 处理；整张表
    格一无所获的，不逐行判断（缺少的部分由 STR-01 报告；以图片形式发布的表格无法读取）。

    依据：国办公开办函〔2021〕30号 年度报告格式。

    违规示例：表三缺少“3.补正后申请内容仍不明确”一行。（标签印错属于 STR-11。）

    合规示例：各行齐全，标签与国家格式一致。
    """

    code = "STR-03"
    name = "structure.table_rows"
    title = "表格行列完整"
    severity = Severity.HIGH
    legal_basis = FORMAT_2021

    def check(self, ctx):
        report = ctx.report
        for table in ("table2", "table3", "table4"):
            section = report.sections.get(_SECTION_OF[table])
            if report.table_state(table) == "absent":
                if section is not None and section.found and expected_rows(report, table):
                    yield self.finding(
                        ctx, Status.NOT_ASSESSABLE,
                        f"第{_SECTION_CN[table]}部分未找到{_TABLE_CN[table]}的任何行（表格可能以图片等"
                        "形式发布），无法核对其行列。", table=table, discriminator="no-table")
                continue
            rows = [f"{table}.{r}" for r in expected_rows(report, table)]
            rows += [r for r in report.table_rows(table) if r not in rows
                     and report.row_state(r) == "absent"]
            missing = sorted(r.split(".", 1)[1] for r in rows if report.row_state(r) == "absent")
            unread = [r.split(".", 1)[1] for r in rows
                      if report.row_state(r) == "not_understood"]
            fmt = report.format
            if missing:
                names = [vocabulary.row_label(table, r, fmt) for r in missing]
                yield self.finding(
                    ctx, Status.VIOLATION, f"{_TABLE_CN[table]}缺少以下行：{'、'.join(names)}。",
                    table=table, evidence={"missing_rows": missing}, discriminator="missing")
            if unread:
                names = [vocabulary.row_label(table, r, fmt) for r in unread[:8]]
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"{_TABLE_CN[table]}以下行的标签可见但数字无法对应到行（或该处文本未读全），无法判断"
                    f"是否完整：{'、'.join(names)}" + ("等" if len(unread) > 8 else "") + "。",
                    table=table, evidence={"rows": unread}, discriminator="not-understood")


_SECTION_OF = {"table2": "2", "table3": "3", "table4": "4"}
_TABLE_OF = {sid: table for table, sid in _SECTION_OF.items()}
_SECTION_CN = {t: vocabulary.SECTION_NUMERALS[s] for t, s in _SECTION_OF.items()}
_TABLE_CN = vocabulary.TABLE_LABELS


def expected_rows(report, table: str) -> list[str]:
    """The rows the detected format requires (table 二 by row, table 三 by key, 四 by group)."""
    from auditor.models import TABLE4_GROUPS
    from auditor.parse import labels

    if report.format not in ("2019", "2021"):
        return []
    if table == "table2":
        spec = labels.TABLE2_2019 if report.format == "2019" else labels.TABLE2_2021
        return list(spec)
    if table == "table3":
        old = report.format == "2019" or "other" in report.table3
        return [k for k in labels.TABLE3_ROWS if not k.startswith("subtotal.")
                and (k not in labels.TABLE3_OTHER_2021 if old else k != "other")]
    return list(TABLE4_GROUPS)


def _row_of(table: str, key: str) -> str:
    return key.rsplit(".", 1)[0] if table == "table2" else key


def _trim(printed: str, canonical: str) -> str:
    """The printed label without the text of neighbouring cells gathered before it."""
    m = re.search(r"\d\s*[.、]\s*" + re.escape(canonical[:2]), printed)
    return printed[m.start():] if m else printed[-(len(canonical) + 4):]


def interior_deletion(canonical: str, printed: str) -> bool:
    """Characters missing from the middle of ``canonical`` in ``printed`` (a typo), as opposed
    to its tail having moved to the next line (a PDF line break), or extra text around it."""
    if canonical in printed:
        return False
    matcher = difflib.SequenceMatcher(None, canonical, printed, autojunk=False)
    matched = [False] * len(canonical)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            matched[i] = True
    if sum(matched) < len(canonical) / 2:
        return False  # not this label at all
    last = max((i for i, m in enumerate(matched) if m), default=-1)
    first = min((i for i, m in enumerate(matched) if m), default=0)
    return any(not matched[i] for i in range(first, last))


class RowLabels(Rule):
    """表格行标签、栏目标题与国家格式一致（无错字）。

    为什么：标签印错（如“其他法律行政止公开”）说明表格在发布前未经核对。这是比缺行（STR-03）轻的缺
    陷：该行存在，其数字也能读取。标签尾部移到了下一行（PDF 换行）或带有多余字词的，不算错字：只有标
    签内部缺少字符才计入。

    表二、表三、表四的栏目标题（“本年废止件数”“社会公益组织”“尚未审结”……）从其所在部分的文本中读取，
    而这些文本常将各单元格连在一起：栏目标题只有同时满足以下条件才报告为印错——表格已读取；印出的文字
    与国家格式中恰好一个四字及以上的栏目标题相差一个字符，且该字符是在标题内部被替换（首尾字符与格式
    相同：一般为首尾各一个，六字及以上的标题为首尾各两个）；该文字也不属于某个正确印出的栏目标题或标
    签。缺字或多字的情形在此不作判断（栏目标题跨行、“法人或者其他组织”），以“其它”代替“其他”的也不作
    判断。由于是从连写文本中读取的，印错的栏目标题标为“需人工复核”，不报告为违规。

    依据：国办公开办函〔2021〕30号 年度报告格式（2019、2020年度报告：国办公开办函〔2019〕60号）。

    违规示例：标签“2.其他法律行政止公开”（缺少“法规禁”）。2021年版格式的表二中，某行写作“规范性文件”
    （2019年版措辞）而非“行政规范性文件”，或某栏目标题将“本年废止件数”写作“本年废纸件数”的，标为“需
    人工复核”。

    合规示例：所有标签和栏目标题均与国家格式印法一致。
    """

    code = "STR-11"
    name = "structure.row_labels"
    title = "行列标签无错字"
    severity = Severity.LOW
    legal_basis = FORMAT_2021

    def check(self, ctx):
        report = ctx.report
        printed = report.row_labels.get("table2.normative")
        if report.format == "2021" and printed and "行政规范性文件" not in printed:
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"表二第（一）项行标签印为“{printed[:12]}”，2021版格式为“行政规范性文件”，请核实表格是否按"
                "现行格式填报。", table="table2", row="normative",
                evidence={"printed": printed, "expected": "行政规范性文件"},
                discriminator="label:table2.normative")
        for key, canonical in CANONICAL_LABELS.items():
            printed = report.row_labels.get(key)
            if printed and interior_deletion(canonical, printed):
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"表三行标签有误：印为“{_trim(printed, canonical)}”，应为“{canonical}”。",
                    table="table3", row=key.split(".", 1)[1],
                    evidence={"printed": printed, "expected": canonical},
                    discriminator=f"label:{key}")
        for table, printed, expected in misprinted_headers(report):
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"{_TABLE_CN[table]}栏目标题印为“{printed}”，国家格式为“{expected}”，请核实。",
                table=table, evidence={"printed": printed, "expected": expected},
                discriminator=f"header:{table}:{printed}")


def _headers(table: str, fmt: str | None) -> list[str]:
    """The column headers (and group headers) the format prints over ``table``."""
    if table == "table2":
        columns = vocabulary.TABLE2_COLUMNS.get(fmt or "", {})
        return [re.sub(r"（.*", "", h) for h in dict.fromkeys(columns.values())] + ["信息内容"]
    if table == "table3":
        return [*vocabulary.TABLE3_COLUMNS.values(), vocabulary.TABLE3_ORG_HEADER,
                vocabulary.TABLE3_APPLICANT_HEADER]
    return [*vocabulary.TABLE4_COLUMNS.values(), *vocabulary._TABLE4_GROUP_SHORT.values(),
            "行政诉讼"]


def _known_words(table: str, fmt: str | None) -> list[str]:
    """Every header and row label printed in the table's region, to tell what is printed right."""
    words = _headers(table, fmt)
    if table == "table2":
        words += [label for _, label in vocabulary.TABLE2_ROWS.get(fmt or "", {}).values()]
        words += ["第二十条", "单位:万元", "万元"]
    elif table == "table3":
        words += [re.sub(r"^(?:[一二三四]、|\d\.|（[一二三四五六七]）)", "", label)
                  for label in [*vocabulary.TABLE3_TOP_ROWS.values(),
                                *vocabulary.TABLE3_ITEMS.values()]]
        words += ["本年度办理结果", "本列数据的勾稽关系为", "第一项加第二项之和", "等于第三项加第四项之和"]
    return words


def _one_replaced(printed: str, header: str) -> bool:
    """Same length, one character replaced inside (the ends as printed), and not 它 for 他."""
    if len(printed) != len(header) or printed == header:
        return False
    ends = 2 if len(header) >= 6 else 1
    if printed[:ends] != header[:ends] or printed[-ends:] != header[-ends:]:
        return False
    diff = [(a, b) for a, b in zip(printed, header, strict=True) if a != b]
    return len(diff) == 1 and diff[0] != ("它", "他") and "\u4e00" <= diff[0][0] <= "\u9fff"


def misprinted_headers(report) -> list[tuple[str, str, str]]:
    """(table, printed, expected) for each column header printed with one character replaced."""
    out: list[tuple[str, str, str]] = []
    for table in ("table2", "table3", "table4"):
        section = report.sections.get(_SECTION_OF[table])
        if section is None or not section.found or report.table_state(table) not in ("read",
                                                                                      "partial"):
            continue
        text = re.sub(r"[\s|]", "", unicodedata.normalize("NFKC", section.text))
        if table == "table3" and "本年新收" in text:
            text = text[:text.index("本年新收")]  # the headers are printed above the rows
        # Where the format's own words are printed right: no misprint can be there.
        right = [False] * len(text)
        for word in map(lambda w: unicodedata.normalize("NFKC", w),
                        _known_words(table, report.format)):
            for m in re.finditer(re.escape(word), text):
                right[m.start():m.end()] = [True] * (m.end() - m.start())
        seen = set()
        for header in (h for h in _headers(table, report.format) if len(h) >= 4):
            n = len(header)
            for i in range(len(text) - n + 1):
                window = text[i:i + n]
                if window in seen or any(right[i:i + n]) or re.search(r"\d", window):
                    continue
                near = [h for h in _headers(table, report.format)
                        if _one_replaced(window, h)]
                if near == [header]:
                    seen.add(window)
                    out.append((table, window, header))
    return out


class BlankCells(Rule):
    """表格数值单元格不得空白或填写“/”“—”等非数值内容。

    为什么：空白单元格不等于零；它只是表明该统计数据未予报告，所有用到它的勾稽关系都无法核对。本工具
    无法无歧义读取的单元格报告为“无法评估”，不视为空白；在其他各行均读取清楚的表格中，某行印有标签而
    其后没有任何内容的，为空白行。数字连写的行，其数字位数少于单元格数的（七个单元格只有“000000”），
    标为“需人工复核”：有单元格留了空。

    依据：国办公开办函〔2021〕30号（明确责任：发布内容不准确不全面）。

    违规示例：表三“（一）予以公开 / 总计”留空；表二“行政许可”填“—”。

    合规示例：每个单元格都填有数字，未发生的填0。
    """

    code = "STR-04"
    name = "structure.blank_cells"
    title = "空白或非数值单元格"
    severity = Severity.MEDIUM
    legal_basis = FORMAT_2021

    def check(self, ctx):
        report = ctx.report
        blanks: dict[str, list[str]] = {}
        unreadable: dict[str, list[str]] = {}
        short: dict[str, list[str]] = {}
        for key, cell in report.iter_cells():
            if cell.value is not None:
                continue
            row = row_key_of(key)
            state = report.row_state(row)
            if state == "absent":
                continue  # STR-03
            table = key.split(".")[0]
            if state == "not_understood":
                unreadable.setdefault(table, []).append(key)
                if _too_few_digits(cell.raw, len(report.row_cells(row))):
                    if row not in short.setdefault(table, []):
                        short[table].append(row)
            elif cell.printed_blank:
                if key.startswith("table2.rules.") and cell.raw in ("/", "-", "—"):
                    continue  # “/” is the accepted entry for bodies without rule-making power
                shown = "空白" if cell.raw in ("", BLANK_CELL) else cell.raw
                blanks.setdefault(table, []).append((key, shown))
            else:
                unreadable.setdefault(table, []).append(key)
        fmt = report.format
        for table, found in blanks.items():
            names = [f"{_cell(k, fmt)}（{shown}）" for k, shown in found[:8]]
            yield self.finding(
                ctx, Status.VIOLATION,
                f"{_TABLE_CN[table]}有{len(found)}个数值单元格为空白或非数值：{'、'.join(names)}"
                + ("等" if len(found) > 8 else "") + "。",
                table=table, evidence={"cells": [k for k, _ in found],
                                       "printed": [shown for _, shown in found]},
                discriminator="blank")
        for table, rows in short.items():
            if rows:
                names = [vocabulary.cell_label(r, fmt, short=True, table=False) for r in rows]
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"{_TABLE_CN[table]}以下行印出的数字少于单元格数，可能有单元格空白（位置无法确定）："
                    f"{'、'.join(names)}。", table=table, evidence={"rows": rows},
                    discriminator="short")
        for table, cells in unreadable.items():
            names = [_cell(k, fmt) for k in cells[:8]]
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"{_TABLE_CN[table]}有{len(cells)}个单元格无法唯一识别（原文数字连写、与行标签分离或无法辨认）："
                f"{'、'.join(names)}" + ("等" if len(cells) > 8 else "") + "。",
                table=table, evidence={"cells": cells}, discriminator="unreadable")


def _cell(key: str, fmt: str | None) -> str:
    """A cell named in a list of cells of one table: 不予公开1.属于国家秘密/总计."""
    return vocabulary.cell_label(key, fmt, short=True, table=False)


def _too_few_digits(raw: str | None, cells: int) -> bool:
    """A row of bare digits with fewer digits than it has cells ("000000" for seven cells):
    some cell was left blank, though which one cannot be told."""
    if not raw or not re.fullmatch(r"[\d\s]+", raw):
        return False
    return len(re.sub(r"\s", "", raw)) < cells


_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
                     r"[^。\n\d]{0,8}?(?:((?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日")
#: Any stated period: 统计期限自2019年9月1日起至2019年12月31日止.
_ANY_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间)[^。\n]{0,12}?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日"
                         r"[^。\n\d]{0,8}?(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日")
_ORGAN_SUFFIX = re.compile(r"(党工委管委会|管理委员会|管委会|人民政府|政府|办公室|办公厅|办)+$")


def place_core(name: str) -> str:
    core = name
    while True:
        stripped = _ORGAN_SUFFIX.sub("", core)
        if stripped == core or not stripped:
            return core
        core = stripped


class TitleYearPeriod(Rule):
    """标题、年度、统计期限与发布时间相互一致，页面来源与报告机关一致。

    为什么：年报报告的是上一年度的情况（第四十九条）：标题写明年度，统计期限为该年度1月1日至12月31
    日，并于次年发布。页面所示“来源/发布机构”与报告机关不一致的，会误导读者。统计期限只覆盖年度的一
    部分（如“自2019年9月1日起至2019年12月31日止”）的，可能是机构年中设立或撤并，也可能是笔误，标为
    “需人工复核”。

    依据：《中华人民共和国政府信息公开条例》第四十九条。

    违规示例：标题为“2023年…年度报告”，统计期限却为“2022年1月1日至2022年12月31日”；平潭综合实验区的
    报告，其页面来源为平潭县人民政府。

    合规示例：标题为2023年度，统计期限为2023-01-01至2023-12-31，于2024-01-25发布。
    """

    legacy = True
    code = "STR-05"
    name = "structure.title_year_period"
    title = "标题、年度、统计期限一致"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第四十九条")

    def check(self, ctx):
        report = ctx.report
        if report.title is None:
            yield self.finding(ctx, Status.NEEDS_REVIEW, "未找到报告标题（“某机关某年政府信息公开工作年度报告”）。",
                               discriminator="no-title")
        text = "\n".join([report.preamble, *(s.text for s in report.sections.values()),
                          report.title or ""])
        m = _PERIOD.search(re.sub(r"\s+", "", text))
        if m and report.year and {int(m.group(1)), int(m.group(2) or m.group(1))} != {report.year}:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"统计期限（{m.group(1)}年1月1日至{m.group(2) or m.group(1)}年12月31日）"
                f"与报告年度{report.year}年不一致。",
                evidence={"year": report.year, "period": m.group(0)}, discriminator="period")
        elif report.year and not m:
            partial = _ANY_PERIOD.search(re.sub(r"\s+", "", text))
            if partial and _is_part_of_year(partial, report.year):
                y1, m1, d1, y2, m2, d2 = partial.groups()
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"统计期限为{y1}年{int(m1)}月{int(d1)}日至{y2 or y1}年{int(m2)}月{int(d2)}日，"
                    f"不是{report.year}年全年；如机构于年中设立或撤并，应在报告中说明，请核实。",
                    evidence={"year": report.year, "period": partial.group(0)},
                    discriminator="part-year")
        if ctx.published and report.year:
            if ctx.published.year <= report.year:
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"{report.year}年度报告的发布日期为{ctx.published.isoformat()}，早于年度结束，日期有误。",
                    evidence={"year": report.year, "published": ctx.published.isoformat()},
                    discriminator="early")
        page_body = report.page.get("source") or report.page.get("publisher")
        owner = _owner(report)
        if page_body and owner:
            a, b = place_core(page_body), place_core(owner)
            if a not in b and b not in a and a not in (report.title or ""):
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"页面来源/发布机构“{page_body}”与报告机关“{owner}”不一致，请核实。",
                    evidence={"page_source": page_body, "report_issuer": owner},
                    discriminator="page-source")


def _is_part_of_year(match: re.Match, year: int) -> bool:
    """A period inside ``year`` that is not the whole of it (a valid date pair, in order)."""
    y1, m1, d1, y2, m2, d2 = match.groups()
    try:
        start = dt.date(int(y1), int(m1), int(d1))
        end = dt.date(int(y2 or y1), int(m2), int(d2))
    except ValueError:
        return False
    whole = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    return start.year == end.year == year and start <= end and (start, end) != whole


def _owner(report) -> str | None:
    from auditor.parse.meta import _TITLE

    if report.title:
        m = _TITLE.search(report.title)
        if m:
            return m.group(1)
    return report.issuer


class GovernmentAccountability(Rule):
    """各级人民政府的年报应报告工作考核、社会评议和责任追究结果情况。

    为什么：第五十条第（四）项为各级人民政府（含乡镇）增加了这项内容。年报常在“监督保障”下表述这部分
    内容；本规则查找这三个词，缺少其中之一时结果为“需人工复核”，因为其他措辞也可能涵盖相应内容。

    依据：《中华人民共和国政府信息公开条例》第五十条第（四）项、第四十六条。

    违规示例：某县人民政府的年报提到“考核”，但未提及“社会评议”或“责任追究”。

    合规示例：“本年度开展政务公开考核…开展社会评议…未发生责任追究情况。”
    """

    code = "STR-06"
    name = "structure.government_accountability"
    title = "政府年报含考核评议追究"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第五十条第（四）项")

    def check(self, ctx):
        if ctx.unit_type not in ("government", "township"):
            return
        text = re.sub(r"\s+", "", "".join(s.text for s in ctx.report.sections.values()))
        wanted = {"工作考核": r"考核", "社会评议": r"评议", "责任追究": r"追究|问责"}
        missing = [name for name, pattern in wanted.items() if not re.search(pattern, text)]
        if missing:
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"人民政府年报未见{'、'.join(missing)}结果情况的表述（第五十条第（四）项），请人工确认。",
                evidence={"missing": missing, "unit_type": ctx.unit_type})


_PROBLEM = re.compile(r"问题|不足|短板|薄弱|差距|欠缺|有待|不够|不到位")
_MEASURE = re.compile(r"改进|措施|下一步|整改|加强|提升|推进|完善|强化|将")
_ORDINALS = "一二三四五六七八九十"


class ProblemsAndImprovements(Rule):
    """“五、存在的主要问题及改进情况”应具体写明问题和改进措施。

    为什么：第五十条第（四）项要求年报写明存在的主要问题及改进情况；该部分空白或只写“无”，会掩盖问
    题。序号不连贯（“一是…三是…三是”）是编辑草率的迹象，标为“需人工复核”。

    第五部分标题未提改进情况的（“五、存在的主要问题及明年工作计划”），同样标为“需人工复核”：标题承诺
    的是工作计划，而条例要求说明问题如何改进（改进情况）；其正文仍可能有所报告。标题以其他措辞提到
    “改进”或“整改”的（“…及改进措施”）予以接受。

    依据：《中华人民共和国政府信息公开条例》第五十条第（四）项。

    违规示例：“五、存在的主要问题及改进情况 无。”；标题为“五、存在的问题及下一步打算”（需人工复
    核）。

    合规示例：“一是政策解读形式单一…下一步将…”。
    """

    code = "STR-08"
    name = "structure.problems_and_improvements"
    title = "问题及改进不空泛"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第五十条第（四）项")
    config_keys = {"min_chars": 40}

    def check(self, ctx):
        section = ctx.report.sections.get("5")
        if section is None or not section.found:
            return  # STR-01 reports the missing section
        title = _problems_title(section.heading or "")
        if title and not re.search(r"改进|整改|改善|改正", title):
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"第五部分标题为“{title}”，未提改进情况（第五十条第（四）项要求报告存在的主要问题及"
                "改进情况），请核实该部分是否报告了改进情况。", section="5",
                evidence={"printed": title, "expected": SECTION_TITLES["5"]},
                discriminator="title")
        text = re.sub(r"\s+", "", section.text)
        if len(text) < self.options["min_chars"] or re.fullmatch(r"[无暂。.、]*", text):
            yield self.finding(ctx, Status.VIOLATION,
                               f"第五部分内容过少（{len(text)}字），未具体说明存在的问题和改进情况。",
                               section="5", evidence={"text": text[:200]}, discriminator="empty")
            return
        lacking = [w for w, p in (("问题", _PROBLEM), ("改进措施", _MEASURE)) if not p.search(text)]
        if lacking:
            yield self.finding(ctx, Status.VIOLATION,
                               f"第五部分未写明{'和'.join(lacking)}。", section="5",
                               evidence={"text": text[:200]},
                               discriminator="boilerplate")
        for run in _ordinal_runs(text):
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"第五部分列举序号不连续：{'…'.join(o + '是' for o in run)}。", section="5",
                evidence={"ordinals": run}, discriminator="ordinals")
            break


_PROBLEMS_TITLE = re.compile(r"五[、.]?(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和|与|以及)"
                             r"[^\d(（,，。:：;；]{1,10}?(?:情况|措施|计划|打算|安排|方向|思路|举措)")


def _problems_title(heading: str) -> str | None:
    """The title of part 五 as printed (the heading without the text run on after it), when it
    has the form “五、存在的主要问题及……”; ``None`` for any other form."""
    m = _PROBLEMS_TITLE.match(re.sub(r"\s+", "", heading))
    return m.group(0) if m else None


def _ordinal_runs(text: str) -> Iterator[list[str]]:
    """Lists of “一是/二是…” whose ordinals do not go 一, 二, 三…"""
    found = re.findall(r"([一二三四五六七八九十])是", text)
    runs: list[list[str]] = []
    for ordinal in found:
        if ordinal == "一" or not runs:
            runs.append([ordinal])
        else:
            runs[-1].append(ordinal)
    for run in runs:
        expected = list(_ORDINALS[:len(run)])
        if len(run) > 1 and run != expected:
            yield run


class InformationFees(Rule):
    """2021 年及以后的年报应在第六部分报告信息处理费收取情况。

    为什么：自2021年起，依国办函〔2020〕109号收取的信息处理费必须在第六部分报告（格式本身的说明写明
    “收取信息处理费情况在此处报告”）；“未收取”也是有效的表述。

    依据：《中华人民共和国政府信息公开条例》第四十二条；国办函〔2020〕109号；国办公开办函〔2021〕30
    号（第六部分）。

    违规示例：2022年度年报的第六部分仅写“无其他需要报告的事项”。

    合规示例：“本年度未收取信息处理费。”“收取信息处理费3940元。”或“无向申请人收取政府信息公开费用。”
    第六部分缺失时，检索整份报告（缺少部分由 STR-01 报告）。
    """

    code = "STR-09"
    name = "structure.information_fees"
    title = "信息处理费已报告"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第四十二条；国办函〔2020〕109号")

    def check(self, ctx):
        report = ctx.report
        if report.year is None or report.year < 2021:
            return
        six = report.sections.get("6")
        text = re.sub(r"\s+", "", six.text) if six and six.found else ""
        if not text:
            # Part 六 is missing (STR-01); the statement may still be elsewhere in the report.
            found = [s for s in report.sections.values() if s.found]
            whole = re.sub(r"\s+", "", "".join(s.text for s in found))
            if len(found) >= 4 and not _FEE_STATEMENT.search(whole):
                yield self.finding(
                    ctx, Status.VIOLATION,
                    "报告缺少第六部分，全文也未报告信息处理费收取情况（未收取也应写明）。",
                    section="6", evidence={"sections_found": [s for s, v in
                                                              report.sections.items() if v.found]},
                    discriminator="nowhere")
            return
        if _FEE_STATEMENT.search(text):
            return
        yield self.finding(ctx, Status.VIOLATION,
                           "第六部分未报告信息处理费收取情况（未收取也应写明）。", section="6",
                           evidence={"section6": text[:200]})


#: A statement on fees for disclosure: “信息处理费”, or charging (not) for 政府信息公开 in other
#: words (“无向申请人收取政府信息公开费用”).
_FEE_STATEMENT = re.compile(r"处理费|收取[^。；]{0,16}(?:信息公开|公开|申请)[^。；]{0,6}费|"
                            r"(?:信息公开|依申请)[^。；]{0,10}(?:收费|费用)")


STRUCTURE_RULES = [SixParts, FormatVersion, TableRows, RowLabels, BlankCells, TitleYearPeriod,
                   GovernmentAccountability, ProblemsAndImprovements, InformationFees]
