"""Excel 整改清单 for inspectors: one row per problem still to fix, keyed by 网站标识码.

``render_rectification_xlsx([report])`` is one unit's list; with every unit's SiteReport it is
the district's. Sheets: 整改清单 (new, still-open and not re-checked problems, each with a 整改期限
of N working days from the notice date on the official 调休 calendar, and what could not be
assessed, with no deadline), 已整改与已豁免 (what the re-check found fixed, what can now be
assessed, and what a waiver covers, with its reason), 汇总 (per unit: which run of the site, its
status — a run that could not reach the site is 抓取失败, never 正常完成 —, counts now, change
since the previous run that reached the site, lifecycle, whether the crawl saw everything),
发布后变动 (documents edited or gone after publication) and 检查指标 (the 政府网站检查指标 score of
each unit's run: 单项否决 and 扣分 items, each deduction with its finding; auditor.score).

Scraped text is hostile: every text cell goes through :func:`~auditor.reports.csv_out.neutralise`
(a leading = + - @ or full-width equivalent gets an apostrophe, so Excel or WPS never runs it as a
formula), after control characters that a workbook cannot hold are removed. Only http(s) URLs
become hyperlinks.

The helpers at the top (evidence as readable text, the location, the rule's Chinese title) are
shared with the HTML report.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditor.calendar import CalendarNotCovered, WorkCalendar
from auditor.findings import STATUS_LABEL, Location, Severity
from auditor.history import (
    ACTIVE,
    CLOSED,
    LIFECYCLE_CN,
    SiteReport,
    TrackedFinding,
    rectification_deadline,
)
from auditor.runstatus import RUN_STATUS_CN, run_label
from auditor.timefmt import local_day
from auditor.vocabulary import UNIT_TYPE_LABELS, evidence_label, evidence_value

from .csv_out import neutralise

# ---------------------------------------------------------------- shared helpers (xlsx, html)

STATUS_ORDER = {"violation": 0, "needs_review": 1, "not_assessable": 2}
STATUS_SHORT = {"violation": "违规", "needs_review": "需复核", "not_assessable": "无法评估"}
CHANGE_CN = {"edited": "发布后内容被修改", "disappeared": "已删除或无法访问"}

MAX_TEXT = 4000  # characters of evidence per cell / block; the rest is cut with a note


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status)  # type: ignore[call-overload]


def severity_label(severity: str) -> str:
    try:
        return Severity(severity).label
    except ValueError:
        return severity


def severity_rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


def rule_title(code: str, fallback: str = "") -> str:
    """The rule's Chinese short title from the registry (the dotted name if it is gone)."""
    from auditor.rules import REGISTRY

    rule = REGISTRY.get(code)
    return rule.title if rule is not None else fallback


def rule_text(finding: dict[str, Any]) -> str:
    title = rule_title(finding["rule"], finding.get("name", ""))
    return f"{finding['rule']} {title}".strip()


def location_of(finding: dict[str, Any]) -> Location:
    return Location.from_dict(finding.get("location"))


def column_text(finding: dict[str, Any]) -> str:
    """The site 栏目 when the evidence names one, else where in the document (表三 / 行 / 列)."""
    evidence = finding.get("evidence") or {}
    if isinstance(evidence, dict):
        for key in ("column", "column_name"):
            if isinstance(evidence.get(key), str) and evidence[key]:
                return evidence[key]
    try:
        return location_of(finding).describe()
    except (TypeError, ValueError):
        return ""


def title_text(finding: dict[str, Any]) -> str:
    evidence = finding.get("evidence") or {}
    title = evidence.get("title") if isinstance(evidence, dict) else None
    return str(title) if title else ""


def _value_text(value: Any, key: str = "", rule: str | None = None,
                table: str | None = None) -> str:
    """A piece of evidence as a person reads it: machine words (keys, date sources, outcomes)
    in the vocabulary's Chinese."""
    value = evidence_value(key, value, table)
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "date" in value and ("raw" in value or "strategy" in value):  # a date with evidence
            how = evidence_value("strategy", value.get("strategy") or "")
            raw = value.get("raw")
            extra = "，".join(p for p in (f"来源：{how}" if how else "",
                                          f"原文：{raw}" if raw else "") if p)
            return f"{value['date']}（{extra}）" if extra else str(value["date"])
        return "；".join(f"{evidence_label(str(k), rule)}：{_value_text(v, str(k), rule, table)}"
                        for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return "、".join(_value_text(v, key, rule, table) for v in value) if value else "（无）"
    return str(value)


def evidence_items(evidence: Any, *, rule: str | None = None,
                   table: str | None = None) -> list[tuple[str, str]]:
    """Evidence as (Chinese label, readable value) pairs, in the rule's order; the document
    title is left out (it has a column / line of its own: :func:`title_text`). ``rule`` and
    ``table`` (the finding's) name keys whose meaning depends on them."""
    if not evidence:
        return []
    if not isinstance(evidence, dict):
        return [("证据", _value_text(evidence))]
    out = []
    for key, value in evidence.items():
        if key == "title":
            continue
        text = _value_text(value, str(key), rule, table)
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT] + "…（已截断）"
        out.append((evidence_label(str(key), rule), text))
    return out


def finding_evidence(finding: dict[str, Any]) -> list[tuple[str, str]]:
    """A stored finding's evidence as (label, text) pairs."""
    return evidence_items(finding.get("evidence"), rule=finding.get("rule"),
                          table=(finding.get("location") or {}).get("table"))


def active(report: SiteReport) -> list[TrackedFinding]:
    """What is still to deal with (new, still open, not re-checked, not assessable), worst
    first."""
    return sorted((t for t in report.findings if t.lifecycle in ACTIVE), key=_order)


def closed(report: SiteReport) -> list[TrackedFinding]:
    """Fixed, now assessable, then waived findings."""
    return sorted((t for t in report.findings if t.lifecycle in CLOSED),
                  key=lambda t: (CLOSED.index(t.lifecycle), *_order(t)))


def _order(t: TrackedFinding) -> tuple:
    f = t.finding
    return (STATUS_ORDER.get(f["status"], 9), -severity_rank(f["severity"]), f["rule"],
            t.url or "")


def trend(report: SiteReport) -> dict[str, int | None]:
    """Change in active findings by status since the previous run that reached the site (None:
    no such run, or this run did not reach the site, so nothing can be said)."""
    now, before = report.counts("now"), report.counts("before")
    comparable = report.previous is not None and not report.failed
    return {k: (now[k] - before[k]) if comparable else None for k in now}


def run_text(report: SiteReport) -> str:
    """“第 3 次抓取（运行编号 12）”: the site's own count first, the run id for the commands."""
    return run_label(report.run_number, report.run.id)


def comparison_note(report: SiteReport) -> str:
    """What this run is compared with, and which runs were skipped because they failed."""
    if report.previous is None:
        text = ("首次检查。" if not report.skipped else
                "此前的检查均未能访问站点，无可比较的上次检查。" if report.failed else
                "首次成功访问站点，无可比较的上次检查。")
    else:
        text = (f"与{run_label(report.previous_number, report.previous.id, run_day(report.previous))}"
                "比较。")
    if report.skipped:
        text += "其间" + "、".join(run_label(n, r.id, run_day(r)) for n, r in report.skipped) \
            + "未能访问站点，不作为比较基准。"
    if report.failed and report.previous is not None:
        text += "本次未能访问站点：上次发现的问题列为“未能复查”，不视为已整改。"
    return text


def coverage_notes(report: SiteReport) -> list[str]:
    """Why this run may not have seen everything; empty only for a complete, finished crawl."""
    cov, run = report.coverage or {}, report.run
    notes = []
    if report.failed:
        notes.append(f"抓取失败：未能访问站点（{report.failure or '原因未记录'}），站点内容均未检查，"
                     "结果不能视为合格。")
    elif run.status != "finished":
        notes.append(f"抓取未正常结束（{RUN_STATUS_CN.get(run.status, run.status)}），结果只覆盖已抓取的页面。")
    if not cov:
        notes.append("本次运行未记录抓取覆盖情况，无法确认是否检查了全部页面。")
        return notes
    gaps = [("timeouts", "访问超时"), ("blocked", "被拦截"), ("skipped_robots", "robots 禁止"),
            ("network_errors", "网络错误"), ("redirect_loops", "重定向循环")]
    seen = [f"{label} {cov[k]} 个" for k, label in gaps if cov.get(k)]
    if seen:
        notes.append("有页面未能抓取：" + "，".join(seen) + "，其内容未检查。")
    extra = [(k, label) for k, label in (("too_large", "超过大小上限"), ("empty_pages", "内容为空"))
             if cov.get(k)]
    if extra:
        notes.append("有页面未能读取：" + "，".join(f"{label} {cov[k]} 个" for k, label in extra)
                     + "，其内容未检查。")
    if cov.get("unparseable_reports"):
        notes.append(f"{cov['unparseable_reports']} 份年度报告无法解析，未能检查其内容。")
    partial = [c for c in cov.get("columns") or [] if c.get("state") in (
        "partial", "unread", "failed") or c.get("gaps")]
    if partial:
        first = partial[0]
        why = "；".join(first.get("reasons") or []) or first.get("state_label", "")
        notes.append(f"{len(partial)} 个栏目未完整读取（如“{first.get('name') or first['url']}”："
                     f"{why}），未读取的部分未检查。")
    if cov.get("trap_patterns"):
        notes.append(f"{len(cov['trap_patterns'])} 个疑似抓取陷阱的网址模式被停止抓取，跳过的页面未检查。")
    if cov.get("time_limit_reached"):
        notes.append("达到抓取时间上限，抓取提前结束。")
    na = report.counts("now")["not_assessable"]
    if na:
        notes.append(f"{na} 项无法评估（见各项说明）。")
    unchecked = report.lifecycle_counts()["unchecked"]
    if unchecked and not report.failed:
        notes.append(f"上次发现的 {unchecked} 项问题本次未能复查（所在页面未抓取或无法评估）。")
    if cov.get("complete") is False and not notes:
        notes.append("本次抓取未能覆盖全部内容。")
    return notes


def coverage_complete(report: SiteReport) -> bool:
    return not coverage_notes(report)


def coverage_summary(report: SiteReport) -> str:
    cov = report.coverage or {}
    if not cov:
        return "未记录"
    return (f"页面 {cov.get('pages_total', 0)} 个，成功 {cov.get('pages_fetched', 0)}，"
            f"HTTP 错误 {cov.get('http_errors', 0)}；文件 {cov.get('documents', 0)} 篇，"
            f"年度报告 {cov.get('reports', 0)} 份")


def unit_type_label(unit_type: str | None) -> str:
    return UNIT_TYPE_LABELS.get(unit_type or "", unit_type or "")


def run_day(run: Any) -> str:
    """The day the run started, in China (北京时间)."""
    return local_day(getattr(run, "started_at", "") or "")


def deadline_for(notice_date: dt.date, days: int, calendar: WorkCalendar | None
                 ) -> dt.date | str:
    """The 整改期限, or why it cannot be computed (a year the official calendar lacks)."""
    try:
        return rectification_deadline(notice_date, days, calendar or WorkCalendar())
    except CalendarNotCovered as exc:
        return f"无法计算：{exc}，请人工确定"


# ---------------------------------------------------------------- the workbook

MAIN_COLUMNS = [  # header, width (in Excel character units; a Chinese character is ~2), wrap
    ("网站标识码", 14, False), ("单位", 22, True), ("栏目/位置", 18, True), ("标题", 30, True),
    ("网址", 40, True), ("规则", 22, True), ("法律依据", 30, True), ("问题描述", 50, True),
    ("证据", 50, True), ("状态", 11, False), ("严重程度", 9, False), ("复查情况", 10, False),
    ("首次发现", 12, False), ("整改期限", 12, False),
]
CLOSED_COLUMNS = [
    ("网站标识码", 14, False), ("单位", 22, True), ("栏目/位置", 18, True), ("标题", 30, True),
    ("网址", 40, True), ("规则", 22, True), ("法律依据", 30, True), ("问题描述", 50, True),
    ("证据", 50, True), ("状态", 11, False), ("严重程度", 9, False), ("处理情况", 10, False),
    ("豁免理由", 30, True), ("首次发现", 12, False), ("最后发现", 12, False),
]
SUMMARY_COLUMNS = [
    ("网站标识码", 14, False), ("单位", 22, True), ("单位类型", 12, False),
    ("本次检查", 12, False), ("本次抓取", 16, True), ("上次检查", 12, False),
    ("抓取状态", 14, True),
    ("违规", 9, False), ("违规变化", 9, False), ("需人工复核", 11, False),
    ("需复核变化", 11, False), ("无法评估", 9, False), ("无法评估变化", 12, False),
    ("新发现", 8, False), ("仍未整改", 9, False), ("已整改", 8, False),
    ("未能复查", 9, False), ("已豁免", 8, False), ("新增无法评估", 12, False),
    ("仍无法评估", 11, False), ("已可评估", 9, False),
    ("发布后变动", 11, False), ("对比说明", 40, True), ("覆盖说明", 50, True),
    ("抓取概况", 40, True),
]
CHANGE_COLUMNS = [
    ("网站标识码", 14, False), ("单位", 22, True), ("标题", 36, True), ("网址", 50, True),
    ("变动", 18, False), ("之前", 16, False), ("之后", 16, False),
]

SCORE_COLUMNS = [
    ("网站标识码", 14, False), ("单位", 22, True), ("检查基准日", 12, False),
    ("指标类型", 10, False), ("一级指标", 14, True), ("二级指标", 20, True),
    ("检查结果", 10, False), ("扣分", 8, False), ("指标内容", 40, True),
    ("问题与证据", 60, True), ("说明", 30, True),
]
_SCORE_KIND = {"veto": "单项否决", "deduct": "扣分", "check": "专栏与规范"}


def score_rows(reports: list[SiteReport], score: dict[str, Any] | None = None
               ) -> list[list[Any]]:
    """The 检查指标 sheet: per unit its 结论 and 得分, then every indicator with its result,
    its deduction and the findings it comes from (auditor.score)."""
    from auditor.score import scorecard_of_report

    rows: list[list[Any]] = []
    for report in reports:
        card = scorecard_of_report(report, config_score=score)
        code = report.site_code or "（未配置）"
        as_of = _date_or_text(card.as_of)
        total = "" if card.verdict == "not_checked" else round(card.deducted, 2)
        rows.append([code, report.unit_name, as_of, "结论", "", "", card.verdict_text, total,
                     f"满分{card.full_marks:g}，得分{card.score:g}，低于{card.pass_mark:g}分不合格"
                     if card.verdict != "not_checked" else "", "", "\n".join(card.notes)])
        for line in card.lines:
            problems = "\n".join(
                (f"−{f.points:g} " if f.points else "") + f"{f.rule} "
                + (f"已豁免（{f.waived}）" if f.waived else status_label(f.status))
                + (f"（{f.note}）" if f.note else "") + f"：{f.message}"
                + (f" {f.url}" if f.url else "") for f in line.findings)
            points = round(line.points, 2) if line.item.kind != "veto" and line.result not in (
                "需人工核查", "未运行") else ""
            rows.append([code, report.unit_name, as_of, _SCORE_KIND[line.item.kind],
                         line.item.group, line.item.name, line.result, points,
                         line.item.criterion, problems, line.note])
    return rows


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_SAFE_URL = re.compile(r"^https?://[^\s\"<>]+$", re.I)
_CELL_LIMIT = 32000  # Excel holds at most 32,767 characters in a cell


def clean_cell(value: Any) -> Any:
    """A value safe for a cell: numbers and dates as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | dt.date):
        return value
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > _CELL_LIMIT:
        text = text[:_CELL_LIMIT] + "…（已截断）"
    return neutralise(text)


def _date_or_text(iso: str | None) -> dt.date | str:
    if not iso:
        return ""
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, int, bool]],
           rows: Iterable[list[Any]], *, first: bool = False) -> Worksheet:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append([h for h, _, _ in columns])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for values in rows:
        ws.append([clean_cell(v) for v in values])
        row = ws.max_row
        for col, (header, _, wrap) in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=col)
            cell.alignment = _WRAP if wrap else _TOP
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif header.endswith("变化") and isinstance(cell.value, int):
                cell.number_format = "+0;-0;0"
            elif header == "网址" and isinstance(cell.value, str) and _SAFE_URL.match(cell.value):
                cell.hyperlink = cell.value
                cell.font = Font(color="1F4E9E", underline="single")
    for col, (_, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _identity(report: SiteReport, t: TrackedFinding) -> list[Any]:
    f = t.finding
    return [report.site_code or "（未配置）", report.unit_name, column_text(f), title_text(f),
            t.url or "", rule_text(f), f.get("legal_basis", ""), f.get("message", ""),
            "\n".join(f"{label}：{value}" for label, value in finding_evidence(f)),
            status_label(f["status"]),
            severity_label(f["severity"])]


def render_rectification_xlsx(reports: list[SiteReport], *, notice_date: dt.date,
                              days: int = 10, calendar: WorkCalendar | None = None,
                              scope: str = "district",
                              score: dict[str, Any] | None = None) -> bytes:
    """The 整改清单 workbook (.xlsx bytes) for one unit's report or the whole district's.

    ``notice_date`` is the date of the 整改通知; the 整改期限 is the ``days``-th working day after
    it on the official calendar (``calendar``; a default WorkCalendar otherwise). Problems the
    audit could not assess get no deadline: there is nothing yet to rectify, only to re-check.
    ``scope`` ("district" or "unit") only names the workbook in its properties.
    """
    deadline = deadline_for(notice_date, days, calendar)
    main_rows, closed_rows, summary_rows, change_rows = [], [], [], []
    for report in reports:
        for t in active(report):
            due: Any = deadline
            if t.finding["status"] == "not_assessable":
                due = "不适用（无法评估，待复查）"
            main_rows.append(_identity(report, t) + [
                LIFECYCLE_CN.get(t.lifecycle, t.lifecycle), _date_or_text(t.first_seen), due])
        for t in closed(report):
            last_seen = report.run if t.run_id == report.run.id else report.previous
            closed_rows.append(_identity(report, t) + [
                LIFECYCLE_CN.get(t.lifecycle, t.lifecycle), t.finding.get("waived") or "",
                _date_or_text(t.first_seen), _date_or_text(run_day(last_seen) or None)])
        now, change, life = report.counts("now"), trend(report), report.lifecycle_counts()
        notes = coverage_notes(report)
        # A run that did not reach the site checked nothing: no count of problems, no change.
        not_checked = "未能检查" if report.failed else None
        summary_rows.append([
            report.site_code or "（未配置）", report.unit_name, unit_type_label(report.unit_type),
            _date_or_text(run_day(report.run)), run_text(report),
            _date_or_text(run_day(report.previous)) if report.previous else "（首次检查）",
            RUN_STATUS_CN.get(report.run.status, report.run.status),
            not_checked or now["violation"], _change_cell(change["violation"], report),
            not_checked or now["needs_review"], _change_cell(change["needs_review"], report),
            now["not_assessable"], _change_cell(change["not_assessable"], report),
            life["new"], life["open"], life["fixed"], life["unchecked"], life["waived"],
            life["na_new"], life["na_open"], life["na_assessable"], len(report.changes),
            comparison_note(report), "\n".join(notes) if notes else "抓取完整",
            coverage_summary(report)])
        for c in report.changes:
            change_rows.append([report.site_code or "（未配置）", report.unit_name, c.title or "",
                                c.url, CHANGE_CN.get(c.change, c.change), c.before or "",
                                c.after or ""])

    wb = Workbook()
    _sheet(wb, "整改清单", MAIN_COLUMNS, main_rows, first=True)
    _sheet(wb, "已整改与已豁免", CLOSED_COLUMNS, closed_rows)
    summary = _sheet(wb, "汇总", SUMMARY_COLUMNS, summary_rows)
    _summary_notes(summary, reports, notice_date, days, deadline)
    _sheet(wb, "发布后变动", CHANGE_COLUMNS, change_rows)
    _sheet(wb, "检查指标", SCORE_COLUMNS, score_rows(reports, score))
    wb.properties.title = clean_cell(
        f"整改清单（{'全区' if scope == 'district' else '单位'}）{notice_date.isoformat()}")
    wb.properties.creator = "zwgk-auditor"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _change_cell(value: int | None, report: SiteReport) -> int | str:
    if value is not None:
        return value
    return "（本次未能访问）" if report.failed else "（无上次）"


def _summary_notes(ws: Worksheet, reports: list[SiteReport], notice_date: dt.date, days: int,
                   deadline: dt.date | str) -> None:
    """Below the table (outside the autofilter range): how the deadline was computed."""
    due = deadline.isoformat() if isinstance(deadline, dt.date) else deadline
    lines = [
        f"通知日期：{notice_date.isoformat()}；整改期限：{due}（通知日期后第 {days} 个工作日，"
        "按国务院公布的放假和调休安排计算，通知当日不计）。",
        "“变化”为与同一网站上次成功访问站点的检查相比的增减；“无法评估”表示检查未能看到相关内容，不等于合格；"
        "“未能复查”为上次发现、本次未能访问或未能检查的问题，不等于已整改。",
        f"共 {len(reports)} 个单位。",
    ]
    row = ws.max_row + 2
    for text in lines:
        ws.cell(row=row, column=1, value=clean_cell(text)).alignment = Alignment(vertical="top")
        row += 1
