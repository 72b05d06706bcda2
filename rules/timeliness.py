"""TIME: when the annual report was published against its deadline (第四十九条)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from auditor.calendar import CalendarNotCovered
from auditor.engine import UNIT_TYPE_LABELS, ReportContext, Rule
from auditor.findings import Finding, LegalBasis, Severity, Status


class _DeadlineRule(Rule):
    legacy = True
    unit_types: tuple[str, ...] = ()
    #: The one deadline rule that speaks when the body type is unknown (never judged on a
    #: default: every deadline it could have is named and the inspector decides).
    judges_unknown = False

    def check_unknown(self, ctx: ReportContext) -> Iterator[Finding]:
        report = ctx.report
        if report.year is None or report.year <= 2018 or ctx.published is None:
            return
        earliest = dt.date(report.year + 1, 1, 31)
        if ctx.published <= earliest:
            return  # on time whatever the body is
        yield self.finding(
            ctx, Status.NEEDS_REVIEW,
            f"未能判断报告机关是部门、本级人民政府还是乡镇/街道，发布时限无法确定：年报发布于"
            f"{ctx.published.isoformat()}，部门应于{earliest.isoformat()}前、本级人民政府应于"
            f"{report.year + 1}-03-31前发布，请人工判断。",
            evidence={"published": ctx.published.isoformat(), "unit_type": "unknown",
                      "deadlines": {"department": earliest.isoformat(),
                                    "government": f"{report.year + 1}-03-31"}},
            discriminator="unknown-unit")

    def deadline(self, year: int) -> dt.date:
        raise NotImplementedError

    def check(self, ctx: ReportContext) -> Iterator[Finding]:
        if ctx.unit_type == "unknown" and self.judges_unknown:
            yield from self.check_unknown(ctx)
            return
        if ctx.unit_type not in self.unit_types:
            return
        report = ctx.report
        unit = UNIT_TYPE_LABELS[ctx.unit_type]
        how = "（单位类型据报告机关名称推断）" if ctx.unit_type_source == "inferred" else ""
        if report.year is None:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, "未识别报告年度，无法确定发布时限。")
            return
        if report.year <= 2018:
            return  # old 条例 (3月31日 for all): TIME-04, not judged here
        deadline = self.deadline(report.year)
        if ctx.published is None:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"未找到报告的发布日期（页面元数据或落款），无法核对{unit}年报应于"
                f"{deadline.month}月{deadline.day}日前发布的时限。",
                evidence={"deadline": deadline.isoformat(), "unit_type": ctx.unit_type})
            return
        evidence = {"published": ctx.published.isoformat(), "published_from": ctx.published_source,
                    "deadline": deadline.isoformat(), "unit_type": ctx.unit_type,
                    "unit_type_source": ctx.unit_type_source}
        if ctx.published <= deadline:
            return
        late_days = (ctx.published - deadline).days
        note, rollover = "", None
        try:
            off = ctx.calendar.describe_day(deadline)
            if off:
                rollover = ctx.calendar.nth_workday_after(deadline, 1)
                note = (f"截止日{deadline.isoformat()}适逢{off}，顺延后的第一个工作日为"
                        f"{rollover.isoformat()}；")
                evidence["deadline_day_off"] = off
                evidence["next_workday"] = rollover.isoformat()
        except CalendarNotCovered as exc:
            note = f"{exc}，无法判断截止日是否为节假日；"
            if late_days <= self.options.get("uncovered_margin_days", 10):
                # A holiday block could move the verdict: do not guess (domain.md §4.4).
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"{unit}年报发布于{ctx.published.isoformat()}，晚于时限{deadline.isoformat()}"
                    f"共{late_days}天；{note}请人工判断{how}。", evidence=evidence)
                return
        if rollover and ctx.published <= rollover:
            status = Status.NEEDS_REVIEW if not self.options.get("lenient_rollover") else None
            if status is None:
                return
            yield self.finding(
                ctx, status,
                f"{unit}年报发布于{ctx.published.isoformat()}，晚于法定时限{deadline.isoformat()}"
                f"{late_days}天；{note}是否顺延法无明文，请人工判断{how}。",
                evidence=evidence)
            return
        if rollover:
            # Said once, and right: late against the statutory date, and still late if the
            # deadline is taken to roll over to the next working day.
            late = (f"晚于{deadline.year}年{deadline.month}月{deadline.day}日的法定时限{late_days}天；"
                    f"截止日适逢{evidence['deadline_day_off']}，即使顺延至第一个工作日"
                    f"{rollover.isoformat()}，也晚了{(ctx.published - rollover).days}天")
        else:
            late = (f"超过{deadline.year}年{deadline.month}月{deadline.day}日的发布时限{late_days}天"
                    + (f"；{note.rstrip('；')}" if note else ""))
        yield self.finding(
            ctx, Status.VIOLATION,
            f"{unit}年报发布于{ctx.published.isoformat()}（{ctx.published_source}），{late}{how}。",
            evidence=evidence)


class DepartmentDeadline(_DeadlineRule):
    """县级以上人民政府部门的年报应于每年1月31日前公布。

    为什么：第四十九条第一款规定政府部门的年报于1月31日前公布。截止日适逢节假日的，该时限仍是一个日
    历日期，而非以工作日计算的期限；检查结果会注明截止日适逢休息日，设置 `lenient_rollover = true`
    时，接受在其后第一个工作日公布。

    依据：《中华人民共和国政府信息公开条例》第四十九条第一款。

    违规示例：某市生态环境局2024年度报告于2025-02-10公布。

    合规示例：于2025-01-24公布。
    """

    code = "TIME-01"
    name = "timeliness.department_report_deadline"
    title = "部门年报按时发布"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第四十九条第一款")
    config_keys = {"lenient_rollover": False, "uncovered_margin_days": 10}
    unit_types = ("department",)
    judges_unknown = True

    def deadline(self, year):
        return dt.date(year + 1, 1, 31)


class GovernmentDeadline(_DeadlineRule):
    """本级人民政府的年报应于每年3月31日前公布。

    为什么：第四十九条第二款：政府信息公开工作主管部门应于3月31日前公布本级政府的年报。依据标题中的
    地名或“人民政府”识别（“XX县2024年政府信息公开工作年度报告”）；也可指定单位类型（单位类型：部门 /
    政府 / 乡镇 / 街道 / 其他）。

    依据：《中华人民共和国政府信息公开条例》第四十九条第二款。

    违规示例：某县人民政府2024年报于2025-04-08公布。

    合规示例：于2025-03-10公布。
    """

    code = "TIME-02"
    name = "timeliness.government_report_deadline"
    title = "本级政府年报按时发布"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第四十九条第二款")
    config_keys = {"lenient_rollover": False, "uncovered_margin_days": 10}
    unit_types = ("government",)

    def deadline(self, year):
        return dt.date(year + 1, 3, 31)


class OtherBodyDeadline(_DeadlineRule):
    """乡镇、街道、派出机构等其他主体的年报时限（按地方通知配置，默认1月31日）。

    为什么：第四十九条未规定乡镇、街道的时限；各省在本地通知中规定，通常为1月31日。在
    `[rules."TIME-03"]` 下配置 `deadline = "MM-DD"` 和 `notice`（所依据的本地文件）；对条例所涵盖的
    主体，配置的时限不得宽于条例规定。

    依据：省级政务公开主管部门的年报通知（按配置）；参照《中华人民共和国政府信息公开条例》第四十九
    条。

    违规示例：按默认的1月31日，某镇人民政府2024年报于2025-03-02公布。

    合规示例：于2025-01-20公布。
    """

    code = "TIME-03"
    name = "timeliness.other_body_deadline"
    title = "其他主体年报时限"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第四十九条（参照）；地方年报通知", verified=False)
    config_keys = {"deadline": "01-31", "notice": "", "lenient_rollover": False,
                   "uncovered_margin_days": 10}
    unit_types = ("township", "other")

    def deadline(self, year):
        m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(self.options["deadline"]))
        month, day = (int(m.group(1)), int(m.group(2))) if m else (1, 31)
        return dt.date(year + 1, month, day)


_URL_DATE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_|/art/(\d{4})/(\d{1,2})/(\d{1,2})/")


class PageDateConsistency(Rule):
    """页面显示的发布日期与 URL 中的日期一致（相差不超过1天）。

    为什么：内容管理系统生成的 URL 带有文件的创建日期（t20260313_…、/art/2025/1/20/）；页面显示的发
    布时间与之相差数日，提示日期可能被改动，而伪造发稿日期属于检查指标的单项否决事项。此项标为“需人
    工复核”而非违规：文稿完全可能先创建、后发布。

    依据：说明（不对应具体法条）：日期不一致本身不等于弄虚作假；核实为伪造发稿日期的，属政府网站与政
    务新媒体检查指标（国办秘函〔2019〕19号）单项否决“存在弄虚作假行为”。

    对抓取到的文件，本规则还将发布日期早于成文日期（日期倒挂）或晚于页面抓取日（未来日期）的情形报告
    为违规。

    违规示例：URL 为 …/t20260313_105587.htm 的页面显示发布时间 2026-03-10。

    合规示例：…/t20220208_80613.htm 页面显示发布时间 2022-02-08。
    """

    code = "TIME-06"
    name = "timeliness.page_date_consistency"
    title = "日期倒挂/不一致"
    severity = Severity.MEDIUM
    extra_subjects = ("document",)

    def check_document(self, ctx):
        """On crawled documents: 发布日期 before 成文日期, or a publication date in the future."""
        from auditor.rules.documents import inverted_or_future

        for message, evidence, key in inverted_or_future(ctx):
            yield self.finding(ctx, Status.VIOLATION, message, evidence=evidence,
                               discriminator=key)
    # A gap of days is a question, not proof of 弄虚作假: the 单项否决 is named only as what a
    # confirmed forgery would be.
    legal_basis = LegalBasis("页面日期应如实反映发布时间；日期不一致本身不等于弄虚作假，核实为伪造发稿日期的，"
                             "属政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决“存在弄虚作假行为”",
                             "", note=True)

    def check(self, ctx):
        url = ctx.report.page.get("url") or ctx.url or ""
        m = _URL_DATE.search(url)
        if not m or ctx.published is None or ctx.published_source != "页面发布日期":
            return
        y, mo, d = (g for g in m.groups() if g is not None)
        try:
            url_date = dt.date(int(y), int(mo), int(d))
        except ValueError:
            return
        gap = abs((ctx.published - url_date).days)
        if gap > 1:
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"页面发布时间{ctx.published.isoformat()}与网址中的日期{url_date.isoformat()}相差{gap}天，请核实发布日期。",
                evidence={"published": ctx.published.isoformat(), "url": url,
                          "url_date": url_date.isoformat(), "gap_days": gap})


TIMELINESS_RULES = [DepartmentDeadline, GovernmentDeadline, OtherBodyDeadline,
                    PageDateConsistency]
