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

    为什么：第二十六条 sets 20 working days from the day the information is formed (成文日期) to
    publication. Working days follow the State Council's holiday schedule with 调休; day 1 is the
    first working day after the 成文日期. A year the official calendar does not cover gives
    needs_review, never a guess. Columns where another law sets the period can be exempted
    (`exempt_columns`).

    依据：《中华人民共和国政府信息公开条例》第二十六条。

    违规示例：成文日期 2024-01-26, 发布日期 2024-03-13 (Spring Festival counted as days off:
    still 21+ working days).

    合规示例：成文日期 2024-02-08, 发布日期 2024-03-07 (the 春节 holiday is not counted).
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

    为什么：the inspection indicators treat items without a visible publication time as not
    updated (“未注明信息发布时间的视为不更新”), and without it timeliness cannot be judged. A
    date only recoverable from the URL does not count as stated on the page.

    依据：全国政府网站普查评分表（国办发〔2015〕15号）注“未注明信息发布时间的视为不更新”。

    违规示例：a document page with no 发布日期, no PubDate tag and no date in its list.

    合规示例：“发布日期：2025-01-10” in the page's 信息公开 table.
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

    为什么：the 《政府网站发展指引》 page tags let monitoring tools read the publication time; a
    PubDate different from the visible date misleads them and can hide back-dating.

    依据：《政府网站发展指引》（国办发〔2017〕47号）网页标签（具体条文未核实）。

    违规示例：`<meta name="PubDate" content="2025-01-15 09:00">` with visible 发布日期
    2025-01-10.

    合规示例：both 2025-01-10.
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
