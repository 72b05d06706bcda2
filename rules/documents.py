"""Rules on crawled document pages: 20-working-day timeliness, dates, page tags."""

from __future__ import annotations

import datetime as dt

from auditor.calendar import CalendarNotCovered
from auditor.engine import DocumentContext, Rule
from auditor.findings import LegalBasis, Severity, Status


def _ev(evidence) -> dict | None:
    if evidence is None:
        return None
    return {"date": evidence.value.isoformat(), "strategy": evidence.strategy, "raw": evidence.raw}


class ProactiveDisclosureTimeliness(Rule):
    """主动公开的政府信息应自形成之日起20个工作日内公开（第二十六条）。

    为什么：第二十六条规定，自该信息形成之日（成文日期）起20个工作日内予以公开。工作日按国务院公布的
    节假日安排（含调休）计算；第1日为成文日期后的第一个工作日。所涉年份不在官方节假日安排覆盖范围内
    的，结果为“需人工复核”，绝不推测。其他法律对公开期限另有规定的栏目可以豁免（`exempt_columns`）。

    依据：《中华人民共和国政府信息公开条例》第二十六条。

    违规示例：成文日期 2024-01-26，发布日期 2024-03-13（春节按休息日扣除后，仍达21个工作日以上）。

    合规示例：成文日期 2024-02-08，发布日期 2024-03-07（春节假期不计入）。
    """

    code = "TIME-05"
    name = "timeliness.proactive_20_workdays"
    title = "主动公开20个工作日"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第二十六条")
    subject = "document"
    config_keys = {"limit": 20, "exempt_columns": []}

    def check(self, ctx: DocumentContext):
        if ctx.issued is None or ctx.published is None:
            return
        if any(word and word in (ctx.column or "") for word in self.options["exempt_columns"]):
            return
        issued, published = ctx.issued.value, ctx.published.value
        if published <= issued:
            return  # TIME-06 reports inverted dates
        limit = int(self.options["limit"])
        evidence = {"issued": _ev(ctx.issued), "published": _ev(ctx.published), "limit": limit,
                    "title": ctx.title}
        try:
            used = ctx.calendar.workdays_between(issued, published)
            # Only a late document needs its deadline (which may lie in an uncovered year).
            deadline = ctx.calendar.nth_workday_after(issued, limit) if used > limit else None
        except CalendarNotCovered as exc:
            calendar_days = (published - issued).days
            if calendar_days <= limit:
                return  # fewer calendar days than the limit: timely whatever the holidays
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"《{ctx.title or ctx.url}》成文于{issued}，发布于{published}（相隔{calendar_days}个自然日）；"
                f"{exc}，无法按官方调休安排计算工作日，请人工核对。",
                evidence=evidence, discriminator="uncovered")
            return
        evidence["working_days"] = used
        if deadline is not None:
            evidence["deadline"] = deadline.isoformat()
            yield self.finding(
                ctx, Status.VIOLATION,
                f"《{ctx.title or ctx.url}》成文日期{issued}，发布日期{published}，相隔{used}个工作日，"
                f"超过{limit}个工作日（应于{deadline}前公开）。",
                evidence=evidence)


class MissingPublishDate(Rule):
    """文件页面应注明信息发布时间。

    为什么：检查指标将未显示发布时间的信息视为未更新（“未注明信息发布时间的视为不更新”），且没有发布
    时间就无法判断公开是否及时。仅能从 URL 推出的日期，不算页面已注明。

    依据：全国政府网站普查评分表（国办发〔2015〕15号）注“未注明信息发布时间的视为不更新”。

    违规示例：文件页面既无发布日期，也无 PubDate 标签，所在列表中也没有日期。

    合规示例：页面的信息公开表格中注明“发布日期：2025-01-10”。
    """

    code = "TIME-07"
    name = "timeliness.missing_publish_date"
    title = "缺失发布时间"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("注“未注明信息发布时间的视为不更新”",
                             "全国政府网站普查评分表（国办发〔2015〕15号）")
    subject = "document"

    def check(self, ctx: DocumentContext):
        if ctx.published is not None and ctx.published.strategy != "url":
            return
        from_url = ctx.published is not None
        if ctx.script_built:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"《{ctx.title or ctx.url}》页面内容由脚本生成，未能从页面读取发布时间，无法判断是否注明。",
                evidence={"published": _ev(ctx.published), "script_built": True})
            return
        yield self.finding(
            ctx, Status.VIOLATION,
            f"《{ctx.title or ctx.url}》页面未注明发布时间"
            + ("（仅能从网址推断日期）" if from_url else "") + "。",
            evidence={"published": _ev(ctx.published)})


class PubDateMatchesVisible(Rule):
    """页面 PubDate 标签应与页面显示的发布时间一致。

    为什么：《政府网站发展指引》规定的网页标签供监测工具读取发布时间；PubDate 与页面显示的日期不同，
    会误导监测工具，还可能掩盖倒填日期。

    依据：《政府网站发展指引》（国办发〔2017〕47号）网页标签（具体条文未核实）。

    违规示例：`<meta name="PubDate" content="2025-01-15 09:00">`，而页面显示的发布日期为
    2025-01-10。

    合规示例：两者均为 2025-01-10。
    """

    code = "WEB-04"
    name = "website.pubdate_matches_visible"
    title = "PubDate一致"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("网页标签", "政府网站发展指引（国办发〔2017〕47号）", verified=False)
    subject = "document"

    def check(self, ctx: DocumentContext):
        meta = next((c for c in ctx.candidates if c.kind == "published"
                     and c.strategy == "meta-tag"), None)
        visible = next((c for c in ctx.candidates if c.kind == "published"
                        and c.strategy in ("metadata", "visible-text")), None)
        raw_pubdate = next((v for k, v in ctx.meta.items() if k.lower() == "pubdate"), None)
        if raw_pubdate and meta is None:
            yield self.finding(ctx, Status.VIOLATION,
                               f"PubDate 标签“{raw_pubdate}”不是可识别的日期。",
                               evidence={"PubDate": raw_pubdate}, discriminator="unparseable")
            return
        if meta and visible and abs((meta.value - visible.value).days) >= 1:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"《{ctx.title or ctx.url}》PubDate 标签为{meta.value}，页面显示发布时间为{visible.value}，不一致。",
                evidence={"meta": _ev(meta), "visible": _ev(visible)})


def inverted_or_future(ctx: DocumentContext):
    """Findings data for TIME-06 on a document: (message, evidence) pairs."""
    out = []
    if ctx.issued and ctx.published and ctx.published.value < ctx.issued.value:
        out.append((f"《{ctx.title or ctx.url}》发布日期{ctx.published.value}早于成文日期"
                    f"{ctx.issued.value}（日期倒挂）。",
                    {"issued": _ev(ctx.issued), "published": _ev(ctx.published)}, "inverted"))
    if ctx.published and ctx.published.value > ctx.fetched + dt.timedelta(days=1):
        out.append((f"《{ctx.title or ctx.url}》发布日期{ctx.published.value}晚于抓取日期{ctx.fetched}（未来日期）。",
                    {"published": _ev(ctx.published), "fetched": ctx.fetched.isoformat()},
                    "future"))
    return out


DOCUMENT_RULES = [ProactiveDisclosureTimeliness, MissingPublishDate, PubDateMatchesVisible]
