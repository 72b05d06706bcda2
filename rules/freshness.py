"""WEB-05..08, WEB-16: the update items of the 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号)
— 首页不更新, 栏目不更新 (动态要闻 / 通知公告政策文件, 应更新未更新, 空白栏目) and 互动回应差 —
judged against the 检查基准日 (``ctx.today``, ``--as-of``).

Every column is judged from its list evidence (:mod:`auditor.coverage`): a column is stale or
blank only when it was listed completely; a column that could not be read completely is 无法评估
with its reasons. An item's date is the best evidence there is — the 发布日期 its own page
states, else the date its list prints; items with no date never count as updates (“未注明信息
发布时间的视为不更新”, TIME-07), nor do dates after the 检查基准日.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditor.engine import Rule, SiteContext
from auditor.findings import LegalBasis, Severity, Status
from auditor.parse.lists import url_key

INDICATORS = "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）"
#: The 2015 普查评分表 note every freshness rule applies.
UNDATED_NOTE = "未注明信息发布时间的视为不更新（全国政府网站普查评分表注）"
_GAP_REASON = "个列出的条目未能抓取"


# ---------------------------------------------------------------- dates


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def iso_day(text: str | None) -> dt.date | None:
    m = re.search(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text or "")
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class DatedItem:
    """A listed item with the best evidence of its date (``date`` None: no date given)."""

    url: str
    title: str
    date: dt.date | None
    source: str
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url,
                "date": self.date.isoformat() if self.date else None,
                "source": self.source, "raw": self.raw}


def page_dates(ctx: SiteContext) -> dict[str, Any]:
    """The 发布日期 each fetched document states (DateEvidence), by URL key. A date read only
    from the URL does not count as stated (TIME-07)."""
    out = {}
    for doc in ctx.documents:
        if doc.published is not None and doc.published.strategy != "url":
            out[url_key(doc.url)] = doc.published
    return out


def date_item(url: str, title: str, list_date: str | None, dates: dict[str, Any]) -> DatedItem:
    stated = dates.get(url_key(url))
    if stated is not None:
        return DatedItem(url, title, stated.value, f"文件页面发布日期（{stated.strategy}）",
                         stated.raw)
    day = iso_day(list_date)
    if day is not None:
        return DatedItem(url, title, day, "列表所示日期", list_date or "")
    return DatedItem(url, title, None, "未注明日期")


# ---------------------------------------------------------------- options


def option_problem(options: dict[str, Any], patterns: tuple[str, ...] = (),
                   counts: tuple[str, ...] = ()) -> str | None:
    """A bad regular expression or count among configured options, as one message."""
    for key in patterns:
        if key in options:
            try:
                re.compile(str(options[key]))
            except re.error as exc:
                return f"{key} is not a valid regular expression ({exc})"
    for key in counts:
        if key in options:
            value = options[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                return f"{key} must be a whole number ≥ 1"
    return None


# ---------------------------------------------------------------- column freshness


@dataclass(frozen=True)
class Freshness:
    """A column's state at the 检查基准日: ``fresh`` (a dated item since ``since``), ``stale``
    (listed completely, none), ``blank`` (provably empty) or ``unknown`` (``why``)."""

    state: str
    newest: DatedItem | None = None
    items: int = 0
    undated: int = 0
    future: int = 0
    why: str = ""


def list_doubt(column, items: list[DatedItem]) -> str | None:
    """Why the column's list is not complete evidence that nothing newer was listed."""
    if column.state in ("unread", "failed", "none"):
        label = {"unread": "栏目列表未能读取", "failed": "栏目页无法访问",
                 "none": "栏目页未发现列表"}[column.state]
        reasons = "；".join(column.reasons)
        if reasons.startswith(label):
            return reasons
        return f"{label}（{reasons}）" if reasons else label
    if column.state == "partial":
        other = [r for r in column.reasons if not r.endswith(_GAP_REASON)]
        if other or column.pages_missing:
            return f"栏目未完整读取（{'；'.join(other) or '列表分页未能读取'}）"
        gaps = {url_key(i.url) for i in column.gaps}
        undated = [i for i in items if url_key(i.url) in gaps and i.date is None]
        if undated:
            return (f"{len(undated)}个列出的条目未能抓取，列表也未注明其日期"
                    f"（如《{undated[0].title or undated[0].url}》）")
    return None


def freshness(column, dates: dict[str, Any], as_of: dt.date, since: dt.date) -> Freshness:
    if column.state == "empty":
        return Freshness("blank")
    items = [date_item(i.url, i.title, i.list_date, dates) for i in column.items]
    known = [i for i in items if i.date is not None and i.date <= as_of]
    newest = max(known, key=lambda i: i.date) if known else None
    counts = {"items": len(items), "undated": sum(1 for i in items if i.date is None),
              "future": sum(1 for i in items if i.date is not None and i.date > as_of)}
    if newest is not None and newest.date >= since:
        return Freshness("fresh", newest, **counts)
    doubt = list_doubt(column, items)
    if doubt:
        return Freshness("unknown", newest, why=doubt, **counts)
    return Freshness("stale", newest, **counts)


def home_keys(ctx: SiteContext) -> set[str]:
    keys = {url_key(ctx.start_url)}
    keys |= {url_key(p.url) for p in ctx.home_pages}
    keys |= {url_key(p.url) for p in ctx.pages if p.reached_as == "home"}
    keys |= {url_key(p.final_url) for p in ctx.pages if p.reached_as == "home" and p.final_url}
    return keys


def site_columns(ctx: SiteContext) -> list:
    """The run's columns, without the start page (a home page full of news is read as a list,
    but it is the home page: WEB-05 judges it)."""
    homes = home_keys(ctx)
    return [c for c in ctx.columns or () if url_key(c.url) not in homes]


def reached(ctx: SiteContext) -> bool:
    """Whether the run reached the site at all (a failed run checked nothing: SCAN-01 says so,
    the indicator rules stay silent)."""
    if ctx.run_status == "failed":
        return False
    return not ctx.pages or any(p.outcome == "ok" for p in ctx.pages)


def _describe(fresh: Freshness, window: str) -> str:
    if fresh.newest is not None:
        n = fresh.newest
        text = f"最新一条为{n.date}《{n.title or n.url}》（{n.source}），{window}内无更新"
    elif fresh.items:
        text = f"列出的{fresh.items}条信息均未注明发布时间（视为不更新）"
    else:
        text = "未列出任何信息"
    if fresh.newest is not None and fresh.undated:
        text += f"；另有{fresh.undated}条未注明发布时间，视为不更新"
    if fresh.future:
        text += f"；{fresh.future}条的日期晚于检查基准日，不计"
    return text


def _evidence(column, fresh: Freshness, **extra: Any) -> dict[str, Any]:
    return {"column": column.label, "column_url": column.url,
            "newest": fresh.newest.to_dict() if fresh.newest else None,
            "items_listed": fresh.items, "undated": fresh.undated,
            "after_as_of": fresh.future, "state": column.state, **extra}


class _StaleCounting(Rule):
    """Shared by WEB-06 and WEB-07: stale columns one by one, then the count that turns into
    单项否决 (a violation at the threshold; 无法评估 when the columns that could not be judged
    could take the count there)."""

    veto_item: str = ""
    #: What a hit column is, in the 单项否决 message ("5个栏目{hit_words}").
    hit_words: str = ""

    def classes(self) -> list[tuple[str, re.Pattern[str], str, dt.timedelta | int]]:
        raise NotImplementedError

    def window(self, as_of: dt.date, period: dt.timedelta | int) -> tuple[dt.date, str]:
        if isinstance(period, dt.timedelta):
            return as_of - period, f"{period.days}天"
        return months_before(as_of, period), f"{period}个月"

    def check(self, ctx: SiteContext):
        if not reached(ctx) or ctx.columns is None:
            return
        exclude = re.compile(str(self.options.get("exclude_pattern") or r"^\b$"))
        dates = page_dates(ctx)
        children = column_children(ctx)
        stale, unknown = [], []
        for column in site_columns(ctx):
            name = column.name or ""
            if not name or exclude.search(name):
                continue
            if column.state == "none" and children.get(url_key(column.url)):
                continue  # a navigation page (政策文件 → 规范性文件, 部门文件): its columns count
            cls = next((c for c in self.classes() if c[1].search(name)), None)
            if cls is None:
                continue
            label, _, key, period = cls
            since, window = self.window(ctx.today, period)
            fresh = freshness(column, dates, ctx.today, since)
            evidence = _evidence(column, fresh, column_class=label, since=since.isoformat(),
                                 as_of=ctx.today.isoformat(), window=window)
            if fresh.state == "stale":
                stale.append(column.label)
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"栏目“{column.label}”（{label}）{_describe(fresh, '检查基准日' + str(ctx.today) + '前' + window)}。",
                    url=column.url, evidence=evidence, discriminator=f"column:{key}")
            elif fresh.state == "unknown":
                unknown.append(column.label)
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"栏目“{column.label}”（{label}）无法判断是否更新：{fresh.why}"
                    + (f"；已读取部分的最新一条为{fresh.newest.date}" if fresh.newest else "")
                    + "。", url=column.url, evidence={**evidence, "why": fresh.why},
                    discriminator=f"column:{key}")
        yield from self.veto(ctx, stale, unknown)

    def veto(self, ctx: SiteContext, hits: list[str], unknown: list[str]):
        threshold = int(self.options["veto_count"])
        evidence = {"indicator": "veto", "count": len(hits), "threshold": threshold,
                    "hit_columns": hits, "not_assessable": unknown,
                    "as_of": ctx.today.isoformat()}
        if len(hits) >= threshold:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"单项否决（{self.veto_item}）：{len(hits)}个栏目{self.hit_words}，达到（含）{threshold}个"
                f"：{'、'.join(hits[:10])}{'等' if len(hits) > 10 else ''}。",
                evidence=evidence, discriminator="veto")
        elif unknown and len(hits) + len(unknown) >= threshold:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"无法判断是否构成单项否决（{self.veto_item}）：已确认{len(hits)}个栏目{self.hit_words}，"
                f"另有{len(unknown)}个栏目无法评估，合计可能达到{threshold}个。",
                evidence=evidence, discriminator="veto")


NEWS_PATTERN = r"动态|要闻|新闻|时政|资讯|工作信息|政务信息|头条|热点"
NOTICE_PATTERN = r"通知|公告|公示|政策文件|政府文件|规范性文件|部门文件|政策法规|文件"
EXCLUDE_PATTERN = r"年报|年度报告|指南|目录|解读|咨询|留言|信箱|问政|访谈|征集"


class ColumnNotUpdated(_StaleCounting):
    """动态、要闻类栏目2周内、通知公告和政策文件类栏目6个月内应有更新；未更新栏目累计5个（含）以上单项否决。

    为什么：栏目不更新属全国检查指标的单项否决事项：“监测时间点前2周内的动态、要闻类栏目，以及监测时
    间点前6个月内的通知公告、政策文件类一级栏目，累计超过（含）5个未更新”。栏目按名称归类
    （`news_pattern`、`notice_pattern`；年报、指南、目录、解读、咨询栏目由各自的规则判断，见
    `exclude_pattern`）。栏目的最后更新时间，取检查基准日（`--as-of`）当日或之前最新一条带日期的信
    息；该信息的日期取其页面所示的发布日期，页面未示的取列表所列日期；无日期的信息不算更新（普查评分
    表注）。只有完整列出的栏目才可判定为未更新；只读取了一部分、未读取或页面抓取失败的栏目为“无法评
    估”，并注明原因。空白栏目（“暂无信息”）由 WEB-08 计数，本规则不计。每个未更新栏目为一项违规
    （中）；数量达到 `veto_count` 的，另报一项单项否决违规（同为中）；未读取的栏目可能使数量达到该值
    的，该项为“无法评估”。指标所称“一级栏目”无法从抓取结果判断：所有通知公告、政策文件类栏目均计入。
    各项阈值（2周、6个月、5个）出自指标原文，仍可配置。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“栏目不更新”第1项。

    违规示例：检查基准日为 2026-06-30，已完整列出的“工作动态”栏目最新一条信息的日期为 2026-06-01；
    “通知公告”栏目在 2025-11-20 之后没有任何信息。

    合规示例：“工作动态”栏目有 2026-06-25 的信息，“通知公告”栏目有 2026-03-02 的信息。
    """

    code = "WEB-06"
    name = "website.column_not_updated"
    title = "栏目不更新"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("单项否决：栏目不更新（第1项）", INDICATORS)
    subject = "site"
    config_keys = {"news_pattern": NEWS_PATTERN, "news_days": 14,
                   "notice_pattern": NOTICE_PATTERN, "notice_months": 6,
                   "exclude_pattern": EXCLUDE_PATTERN, "veto_count": 5}
    veto_item = "栏目不更新"
    hit_words = "未按期更新"

    @classmethod
    def option_problem(cls, options):
        return option_problem(options, ("news_pattern", "notice_pattern", "exclude_pattern"),
                              ("news_days", "notice_months", "veto_count"))

    def classes(self):
        return [("动态、要闻类", re.compile(str(self.options["news_pattern"])), "news",
                 dt.timedelta(days=int(self.options["news_days"]))),
                ("通知公告、政策文件类", re.compile(str(self.options["notice_pattern"])), "notice",
                 int(self.options["notice_months"]))]


#: [R] 人事、规划计划类 columns are expected to change at least yearly (普查 explainer; the
#: 1-year figure is unverified).
DEFAULT_FREQUENCIES = [
    {"label": "人事类", "pattern": r"人事|任免|招考|招录|招聘|录用", "months": 12},
    {"label": "规划计划类", "pattern": r"规划|计划", "months": 12},
]


class ColumnLongUnupdated(_StaleCounting):
    """应更新的栏目（按配置的更新频率，默认人事类、规划计划类1年）不得长期未更新；累计10个（含）以上单项否决。

    为什么：检查指标“栏目不更新”第2项为“应更新但长期未更新的栏目数量超过（含）10个”。哪些栏目应当更
    新、多久更新一次，由一张表配置（`frequencies`：类别名、栏目名称匹配式、月数）；默认人事类、规划
    计划类栏目每年更新一次——普查说明列举了这两类栏目，但一年的周期出处不明（[R] 未经核实），请按本地
    考核细则设置该表。已由 WEB-06 判断的栏目不再计入。栏目的判断方法同 WEB-06：取检查基准日当日或之
    前最新一条带日期的信息，仅对完整列出的列表作出判定，否则为“无法评估”；每个未更新栏目为一项违规
    （中），达到 `veto_count` 个的，另报一项单项否决违规（同为中）。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“栏目不更新”第2项（各类栏目的
    更新周期出处未核实）。

    违规示例：2026-06-30 检查时，“人事信息”栏目在 2025-03-01 之后没有任何信息。

    合规示例：“规划计划”栏目有 2025-12-10 的信息。
    """

    code = "WEB-07"
    name = "website.column_long_unupdated"
    title = "应更新但长期未更新"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("单项否决：栏目不更新（第2项）；各类栏目的更新周期", INDICATORS,
                             verified=False)
    subject = "site"
    config_keys = {"frequencies": DEFAULT_FREQUENCIES, "veto_count": 10,
                   "exclude_pattern": EXCLUDE_PATTERN + "|" + NEWS_PATTERN + "|" + NOTICE_PATTERN}
    veto_item = "栏目不更新"
    hit_words = "应更新但长期未更新"

    @classmethod
    def option_problem(cls, options):
        frequencies = options.get("frequencies", [])
        if not isinstance(frequencies, list):
            return "frequencies must be a list of {label, pattern, months}"
        for i, entry in enumerate(frequencies):
            if not isinstance(entry, dict) or "pattern" not in entry:
                return f"frequencies[{i}] needs a pattern (and months)"
            problem = option_problem(entry, ("pattern",), ("months",))
            if problem:
                return f"frequencies[{i}]: {problem}"
        return option_problem(options, ("exclude_pattern",), ("veto_count",))

    def classes(self):
        out = []
        for i, entry in enumerate(self.options["frequencies"] or []):
            out.append((str(entry.get("label") or entry["pattern"]),
                        re.compile(str(entry["pattern"])), f"f{i}", int(entry.get("months", 12))))
        return out


class BlankColumn(Rule):
    """不得有空白栏目（栏目页无任何信息，含“暂无信息”页面）；空白栏目5个（含）以上单项否决。

    为什么：检查指标“栏目不更新”第3项计算空白栏目（“空白栏目数量超过（含）5个”）；普查说明将空白栏目
    定义为从未提供过任何信息的栏目。只有页面本身表明为空时，才判定为空白栏目：列表页写明为空（“暂无
    信息”“共0条”），既没有条目，也没有未读取的列表脚本。列表未能读取的页面，或没有列表的其他类型页面
    （落地页、文章页），绝不判为空白栏目：在可能影响单项否决计数时计为“无法评估”。每个空白栏目为一项
    违规（中）；数量达到 `veto_count` 的，另报一项单项否决违规（同为中）。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“栏目不更新”第3项（空白栏
    目）。

    违规示例：“重点项目”栏目页仅显示“暂无信息”。

    合规示例：每个栏目页均至少列有一条信息。
    """

    code = "WEB-08"
    name = "website.blank_column"
    title = "空白栏目"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("单项否决：栏目不更新（第3项：空白栏目）", INDICATORS)
    subject = "site"
    config_keys = {"veto_count": 5}

    @classmethod
    def option_problem(cls, options):
        return option_problem(options, (), ("veto_count",))

    def check(self, ctx: SiteContext):
        if not reached(ctx) or ctx.columns is None:
            return
        blank, unknown = [], []
        for column in site_columns(ctx):
            if column.state == "empty":
                blank.append(column.label)
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"空白栏目“{column.label}”：栏目页无任何信息（页面显示“{column.placeholder}”）。",
                    url=column.url, evidence={"column": column.label, "column_url": column.url,
                                              "placeholder": column.placeholder},
                    discriminator="column")
            elif column.state in ("unread", "failed"):
                unknown.append(column.label)
        threshold = int(self.options["veto_count"])
        evidence = {"indicator": "veto", "count": len(blank), "threshold": threshold,
                    "hit_columns": blank, "not_assessable": unknown}
        if len(blank) >= threshold:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"单项否决（栏目不更新）：空白栏目{len(blank)}个，达到（含）{threshold}个："
                f"{'、'.join(blank[:10])}{'等' if len(blank) > 10 else ''}。",
                evidence=evidence, discriminator="veto")
        elif unknown and len(blank) + len(unknown) >= threshold:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"无法判断空白栏目是否达到单项否决：已确认{len(blank)}个空白栏目，另有{len(unknown)}个"
                f"栏目未能读取（如“{unknown[0]}”），合计可能达到{threshold}个。",
                evidence=evidence, discriminator="veto")


class HomePageUpdated(Rule):
    """首页在检查基准日前2周内应有信息更新；首页仅为导航入口的，其二级页面应有更新。

    为什么：首页不更新属单项否决事项：“监测2周，首页无信息更新的，即单项否决。如首页仅为网站栏目导航
    入口，所有二级页面无信息更新的，即单项否决。”首页上带日期的链接即首页的信息；检查基准日
    （`--as-of`）当日或之前最新的一条带日期信息，须在 `days`（14）天之内。不带日期的链接不算更新。首
    页没有任何信息链接的，视为导航入口：此时首页所链接的页面须在同一期限内有更新（其中的导航页代表其
    再链接的各栏目；已完整读取的文章页或落地页视为无更新）。仅在证据完整时才判定为未更新的严重违规：
    首页在没有列表脚本的情况下完整读取，且每个二级栏目均已完整列出；任一栏目的列表未能读取的，结果为
    “无法评估”。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“首页不更新”。

    违规示例：检查基准日为 2026-06-30，首页最新一条带日期的信息为 2026-06-10。

    合规示例：首页列有 2026-06-26 的信息；或仅作导航的首页链接的“工作动态”栏目于 2026-06-29 有更新。
    """

    code = "WEB-05"
    name = "website.home_page_updated"
    title = "首页更新"
    severity = Severity.CRITICAL
    legal_basis = LegalBasis("单项否决：首页不更新", INDICATORS)
    subject = "site"
    config_keys = {"days": 14}

    @classmethod
    def option_problem(cls, options):
        return option_problem(options, (), ("days",))

    def check(self, ctx: SiteContext):
        if not reached(ctx):
            return
        days = int(self.options["days"])
        since = ctx.today - dt.timedelta(days=days)
        homes = [p for p in ctx.home_pages if p.kind != "attachment"]
        base = {"as_of": ctx.today.isoformat(), "since": since.isoformat(), "days": days}
        if not homes:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               "首页未能抓取或读取，无法判断首页是否更新。",
                               evidence={**base, "indicator": "veto"}, discriminator="home")
            return
        dates = page_dates(ctx)
        items = [date_item(i.url, i.title, i.list_date, dates) for p in homes for i in p.items]
        known = [i for i in items if i.date is not None and i.date <= ctx.today]
        newest = max(known, key=lambda i: i.date) if known else None
        evidence = {**base, "indicator": "veto", "home": [p.url for p in homes],
                    "items": len(items), "undated": sum(1 for i in items if i.date is None),
                    "newest": newest.to_dict() if newest else None}
        if newest is not None and newest.date >= since:
            return
        script = next((p.machinery for p in homes if p.machinery), None)
        if items:
            what = (f"首页最新一条信息为{newest.date}《{newest.title or newest.url}》（{newest.source}）"
                    if newest else f"首页列出的{len(items)}条信息均未注明发布时间（视为不更新）")
            if script:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"{what}，但首页含脚本加载的列表（{script}），其条目未能读取，无法判断首页是否更新。",
                    url=homes[0].url, evidence={**evidence, "script": script},
                    discriminator="home")
                return
            yield self.finding(
                ctx, Status.VIOLATION,
                f"首页不更新（单项否决）：{what}，检查基准日{ctx.today}前{days}天内首页无信息更新。",
                url=homes[0].url, evidence=evidence, discriminator="home")
            return
        yield from self._navigation_home(ctx, homes, since, dates, evidence, script)

    def _navigation_home(self, ctx, homes, since, dates, evidence, script):
        """A home page without information links: its second-level pages decide."""
        second = second_level(ctx, [p.url for p in homes])
        # A page read completely that shows no list (an article, a landing page) shows no
        # update; only pages whose list could not be read leave the question open.
        verdicts = [(c, Freshness("stale") if c.state == "none"
                     else freshness(c, dates, ctx.today, since)) for c in second]
        fresh = [(c, f) for c, f in verdicts if f.state == "fresh"]
        if fresh:
            return
        unknown = [(c, f) for c, f in verdicts if f.state == "unknown"]
        names = [c.label for c, _ in verdicts]
        evidence = {**evidence, "second_level": names,
                    "second_level_newest": {c.label: f.newest.to_dict() if f.newest else None
                                            for c, f in verdicts}}
        doubt = None
        if not verdicts:
            doubt = "首页未列出带日期的信息，也未找到可读取的二级栏目"
        elif script:
            doubt = f"首页含脚本加载的列表（{script}），其条目未能读取"
        elif unknown:
            doubt = (f"首页未列出带日期的信息；其链接的{len(unknown)}个二级栏目无法判断是否更新"
                     f"（如“{unknown[0][0].label}”：{unknown[0][1].why}）")
        if doubt:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, f"{doubt}，无法判断首页是否更新。",
                               url=homes[0].url, evidence={**evidence, "why": doubt},
                               discriminator="home")
            return
        yield self.finding(
            ctx, Status.VIOLATION,
            f"首页不更新（单项否决）：首页仅为栏目导航入口，未列出带日期的信息；其链接的{len(verdicts)}个"
            f"二级栏目（{'、'.join(names[:6])}{'等' if len(names) > 6 else ''}）在检查基准日"
            f"{ctx.today}前{self.options['days']}天内均无更新。",
            url=homes[0].url, evidence=evidence, discriminator="home")


def column_children(ctx: SiteContext) -> dict[str, list]:
    """The columns each page links to (the crawl reached them from it), by the page's URL key."""
    by_key = {url_key(c.url): c for c in ctx.columns or ()}
    children: dict[str, list] = {}
    for page in ctx.pages:
        key = url_key(page.url)
        if page.referer and page.reached_as == "column" and key in by_key:
            children.setdefault(url_key(page.referer), []).append(by_key[key])
    return children


def second_level(ctx: SiteContext, homes: Iterable[str]) -> list:
    """The columns the home page links to; a navigation page among them (no list of its own)
    stands for the columns it links to."""
    home = {url_key(u) for u in homes} | home_keys(ctx)
    children = column_children(ctx)
    out, seen = [], set()
    for column in [c for h in home for c in children.get(h, [])]:
        key = url_key(column.url)
        if key in seen or key in home:
            continue
        seen.add(key)
        below = [c for c in children.get(key, []) if url_key(c.url) not in home]
        if column.state == "none" and below:
            # a navigation page: it shows what the columns it links to show (those reached
            # first from elsewhere are judged there)
            for child in below:
                if url_key(child.url) not in seen:
                    seen.add(url_key(child.url))
                    out.append(child)
        else:
            out.append(column)
    # by address: the crawl's order (which depends on which answer came first) must not
    # change what a finding says
    return sorted(out, key=lambda c: c.url)


# ---------------------------------------------------------------- 互动回应


CONSULT_PATTERN = r"咨询|留言|信箱|问政|诉求|建言|民声|民意直通"
#: 在线访谈、调查征集、网上信访、纪检举报 columns are outside the indicator.
CONSULT_EXCLUDE = r"访谈|调查|征集|信访|举报|纪检|监督"
_ASKED = re.compile(r"(?:留言|提问|来信|咨询|提交|写信|发布|发表|诉求|信件)(?:时间|日期)\s*[:：]?\s*"
                    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_REPLIED = re.compile(r"(?:回复|答复|办结|处理|反馈|回应)(?:时间|日期)\s*[:：]?\s*"
                      r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_OPEN = re.compile(r"未回复|待回复|未答复|待答复|办理中|处理中|受理中|已受理|待处理|待办理|未办结|未处理|"
                   r"正在办理|正在处理")
_DONE = re.compile(r"已回复|已答复|已办结|已处理|已反馈|回复内容|答复内容|回复单位|答复单位|回复意见|答复意见")


@dataclass(frozen=True)
class Message:
    url: str
    title: str
    asked: dt.date | None
    replied: dt.date | None
    status: str  # "answered", "open" or "unknown"
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url,
                "asked": self.asked.isoformat() if self.asked else None,
                "replied": self.replied.isoformat() if self.replied else None,
                "status": {"answered": "已回复", "open": "未回复", "unknown": "未注明"}[self.status],
                "source": self.source}


def message_facts(text: str) -> tuple[dt.date | None, dt.date | None, str]:
    """(留言日期, 回复日期, status) as a message page or list row states them."""
    compact = re.sub(r"\s+", " ", text or "")
    asked = _ASKED.search(compact)
    replied = _REPLIED.search(compact)
    status = "open" if _OPEN.search(compact) else ("answered" if _DONE.search(compact)
                                                   else "unknown")
    replied_day = iso_day(replied.group(1)) if replied else None
    if replied_day is not None:
        status = "answered"
    return (iso_day(asked.group(1)) if asked else None, replied_day, status)


def messages_of(column, pages: list) -> list[Message]:
    """The column's messages from its list rows and the message pages (a page's own labels
    win over its row)."""
    by_url = {url_key(p.url): p for p in pages}
    rows: dict[str, tuple[str, str, str | None]] = {}
    for page in pages:
        if url_key(page.column_url or page.url) != url_key(column.url) and \
                url_key(page.url) != url_key(column.url):
            continue
        for item in page.items:
            row = dict(item.fields).get("row", "")
            rows.setdefault(url_key(item.url), (item.title, row, item.list_date))
    for item in column.items:
        rows.setdefault(url_key(item.url), (item.title, "", item.list_date))
    out = []
    for key, (title, row, list_date) in rows.items():
        page = by_url.get(key)
        asked, replied, status = message_facts(row)
        source = "列表"
        if page is not None:
            p_asked, p_replied, p_status = message_facts(page.text)
            if p_asked or p_replied or p_status != "unknown":
                source = "留言页面"
                asked = p_asked or asked
                replied = p_replied or replied
                status = p_status if p_status != "unknown" else status
                if replied is not None:
                    status = "answered"
        if asked is None:
            asked = iso_day(list_date)
        url = page.url if page is not None else next(
            (i.url for i in column.items if url_key(i.url) == key), key)
        out.append(Message(url, title or (page.label if page else ""), asked, replied, status,
                           source))
    return out


class InteractionResponse(Rule):
    """政务咨询类栏目对检查基准日前1年内的网民留言应在3个月内回应。

    为什么：互动回应差属单项否决事项：“监测时间点前1年内，对网民留言应及时答复处理的政务咨询类栏目
    （在线访谈、调查征集、网上信访、纪检举报类栏目除外）存在超过3个月未回应有效留言的现象”。按名称查
    找政务咨询类栏目（`pattern`：咨询、留言、信箱、问政……；`exclude_pattern` 排除访谈、征集、信访、
    举报）。每条留言的留言时间，以及回复时间或办理状态（已回复 / 办理中 / 未回复），从留言页面读取，
    否则从列表行读取。检查基准日前 `window_months`（12）个月内的留言，留言后超过 `reply_months`（3）
    个月仍未回应，或超过该期限后才答复的，即为命中。命中为严重违规（单项否决）。未见命中，但有留言的
    状态无法辨认，或栏目列表未完整读取的，为“无法评估”；抓取未找到带日期留言的咨询栏目的，同样为“无
    法评估”（网站是否提供咨询建言渠道，由检查人员判断）。3个月和1年的期限出自指标原文。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“互动回应差”第2项。

    违规示例：2026-06-30 检查时，“在线咨询”中 2026-02-10 的一条留言仍显示未回复；2025-09-01 的一条留
    言到 2026-01-15 才答复。

    合规示例：近一年的每条留言均在三个月内答复，或留言尚不满三个月。
    """

    code = "WEB-16"
    name = "website.interaction_response"
    title = "互动回应"
    severity = Severity.CRITICAL
    legal_basis = LegalBasis("单项否决：互动回应差（第2项）", INDICATORS)
    subject = "site"
    config_keys = {"pattern": CONSULT_PATTERN, "exclude_pattern": CONSULT_EXCLUDE,
                   "reply_months": 3, "window_months": 12}

    @classmethod
    def option_problem(cls, options):
        return option_problem(options, ("pattern", "exclude_pattern"),
                              ("reply_months", "window_months"))

    def check(self, ctx: SiteContext):
        if not reached(ctx) or ctx.columns is None:
            return
        wanted = re.compile(str(self.options["pattern"]))
        exclude = re.compile(str(self.options["exclude_pattern"]))
        reply = int(self.options["reply_months"])
        start = months_before(ctx.today, int(self.options["window_months"]))
        overdue_before = months_before(ctx.today, reply)
        columns = [c for c in site_columns(ctx) if c.name and wanted.search(c.name)
                   and not exclude.search(c.name)]
        base = {"indicator": "veto", "as_of": ctx.today.isoformat(),
                "window_start": start.isoformat(), "reply_months": reply}
        for column in columns:
            messages = messages_of(column, list(ctx.site_pages))
            recent = [m for m in messages if m.asked and start <= m.asked <= ctx.today]
            hits, unknown = [], []
            for m in recent:
                limit = months_after(m.asked, reply)
                if m.replied is not None:
                    if m.replied > limit:
                        hits.append((m, f"{m.asked}留言，{m.replied}才回复"))
                elif m.status == "open":
                    if m.asked < overdue_before:
                        hits.append((m, f"{m.asked}留言，至检查基准日仍未回复"))
                elif m.status == "unknown" and m.asked < overdue_before:
                    unknown.append(m)
            evidence = {**base, "column": column.label, "column_url": column.url,
                        "messages": len(messages), "recent": len(recent),
                        "undated": sum(1 for m in messages if m.asked is None)}
            if hits:
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"互动回应差（单项否决）：政务咨询栏目“{column.label}”有{len(hits)}条留言超过"
                    f"{reply}个月未回应（{'；'.join(w for _, w in hits[:3])}"
                    f"{'等' if len(hits) > 3 else ''}）。",
                    url=column.url, evidence={**evidence, "hits": [
                        {**m.to_dict(), "why": w} for m, w in hits[:20]]},
                    discriminator=f"column:{url_key(column.url)}")
                continue
            doubt = None
            if column.state not in ("complete", "empty"):
                doubt = list_doubt(column, []) or "栏目未完整读取"
            elif unknown:
                doubt = (f"{len(unknown)}条{reply}个月前的留言未注明回复情况"
                         f"（如《{unknown[0].title or unknown[0].url}》）")
            elif messages and not any(m.asked for m in messages):
                doubt = f"列出的{len(messages)}条留言均未注明留言时间"
            if doubt:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"政务咨询栏目“{column.label}”无法判断是否存在超过{reply}个月未回应的留言：{doubt}。",
                    url=column.url,
                    evidence={**evidence, "why": doubt,
                              "unknown": [m.to_dict() for m in unknown[:10]]},
                    discriminator=f"column:{url_key(column.url)}")
        if not columns:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                "未找到政务咨询类栏目（在线咨询、留言、信箱等）的留言列表，未能评估互动回应情况"
                "（是否提供网上咨询建言渠道请人工核实）。",
                evidence=base, discriminator="no-column")


FRESHNESS_RULES = [HomePageUpdated, ColumnNotUpdated, ColumnLongUnupdated, BlankColumn,
                   InteractionResponse]
