"""Rules on a whole crawl run: page tags, 网站标识码, broken links, the annual-report column,
and what the crawl could not see."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from auditor.engine import Rule, SiteContext
from auditor.findings import LegalBasis, Severity, Status

GUIDE = LegalBasis("网页标签", "政府网站发展指引（国办发〔2017〕47号）", verified=False)
REQUIRED_TAGS = ("SiteName", "SiteDomain", "SiteIDCode", "ArticleTitle", "PubDate",
                 "ContentSource")
SITE_ID = re.compile(r"^(?:\d{10}|bm\d{8})$")


def _sample(urls: list[str], n: int = 5) -> list[str]:
    return urls[:n]


class PageTags(Rule):
    """文章页面应有《政府网站发展指引》规定的网页标签（SiteName、SiteDomain、SiteIDCode、ArticleTitle、PubDate、ContentSource）。

    Why: the page tags let national and provincial monitoring read every article's site,
    title and publication time. A tag missing on every page is a site-wide template defect
    (medium); missing on some pages, a per-page defect (low).

    Legal basis: 《政府网站发展指引》（国办发〔2017〕47号）网页标签（附录条文未核实）。

    Non-compliant: article pages without `<meta name="SiteIDCode">`.

    Compliant: every article page carries the six tags with values.
    """

    code = "WEB-01"
    name = "website.page_tags"
    title = "网页标签齐全"
    severity = Severity.LOW
    legal_basis = GUIDE
    subject = "site"

    def check(self, ctx: SiteContext):
        docs = [d for d in ctx.documents]
        if not docs:
            return
        missing_by_tag: dict[str, list[str]] = defaultdict(list)
        for doc in docs:
            present = {k.lower() for k, v in doc.meta.items() if v.strip()}
            for tag in REQUIRED_TAGS:
                if tag.lower() not in present:
                    missing_by_tag[tag].append(doc.url)
        sitewide = [t for t, urls in missing_by_tag.items() if len(urls) == len(docs)]
        if sitewide:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"全站{len(docs)}个文章页面均缺少网页标签：{'、'.join(sitewide)}。",
                severity=Severity.MEDIUM, evidence={"tags": sitewide, "pages": len(docs)},
                discriminator="sitewide")
        partial = {t: urls for t, urls in missing_by_tag.items() if t not in sitewide}
        per_page: dict[str, list[str]] = defaultdict(list)
        for tag, urls in partial.items():
            for url in urls:
                per_page[url].append(tag)
        for url, tags in sorted(per_page.items()):
            yield self.finding(ctx, Status.VIOLATION, f"页面缺少网页标签：{'、'.join(tags)}。",
                               url=url, evidence={"missing": tags}, discriminator="page")


class SiteIdCode(Rule):
    """网站标识码（SiteIDCode）格式正确、全站一致，并与页脚所示一致。

    Why: the 网站标识码 identifies the site in national monitoring; it is 10 digits (division
    code + sequence) or “bm” + 8 digits for central departments, printed in the footer and
    carried by every page's SiteIDCode tag.

    Legal basis: 《政府网站发展指引》（国办发〔2017〕47号）网站标识码（条文未核实）。

    Non-compliant: SiteIDCode “35900001” (9 digits); pages with two different codes; a footer
    “网站标识码：3590000001” on pages tagged 3590000002.

    Compliant: every page tagged 3590000001 and the footer says the same.
    """

    code = "WEB-02"
    name = "website.site_id_code"
    title = "网站标识码"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("网站标识码", "政府网站发展指引（国办发〔2017〕47号）", verified=False)
    subject = "site"

    def check(self, ctx: SiteContext):
        codes = Counter()
        examples: dict[str, str] = {}
        for doc in ctx.documents:
            code = next((v for k, v in doc.meta.items() if k.lower() == "siteidcode"), "").strip()
            if code:
                codes[code] += 1
                examples.setdefault(code, doc.url)
        for code, url in examples.items():
            if not SITE_ID.match(code):
                yield self.finding(ctx, Status.VIOLATION,
                                   f"SiteIDCode“{code}”格式不正确（应为10位数字或bm加8位数字）。",
                                   url=url, evidence={"code": code}, discriminator=f"format:{code}")
        if len(codes) > 1:
            yield self.finding(ctx, Status.VIOLATION,
                               f"全站页面使用了{len(codes)}个不同的网站标识码：{dict(codes)}。",
                               evidence={"codes": dict(codes), "examples": examples},
                               discriminator="inconsistent")
        footer = {c for c in ctx.footer_codes.values() if c}
        tagged = set(codes)
        if footer and tagged and not footer & tagged:
            yield self.finding(ctx, Status.VIOLATION,
                               f"页脚网站标识码{sorted(footer)}与页面标签{sorted(tagged)}不一致。",
                               evidence={"footer": sorted(footer), "tags": sorted(tagged)},
                               discriminator="footer")


class BrokenLinks(Rule):
    """抓取范围内的文件链接和附件应能正常访问。

    Why: the inspection indicators deduct for links that do not open (链接可用性); a 404 on a
    document or attachment in the 政府信息公开 area means the information is not in fact public.
    Server errors (5xx) may be passing and are flagged for review.

    Legal basis: 政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）扣分指标“链接可用性”（扣分标准未核实）。

    Non-compliant: a list item linking to a page that answers HTTP 404; an attachment “附件1.pdf”
    that answers 404.

    Compliant: every listed document and attachment answers 200.
    """

    code = "WEB-10"
    name = "website.broken_links"
    title = "链接可用性"
    severity = Severity.LOW
    legal_basis = LegalBasis("扣分指标：链接可用性", "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）",
                             verified=False)
    subject = "site"

    def check(self, ctx: SiteContext):
        for page in ctx.pages:
            if page.outcome != "http_error" or page.kind == "home":
                continue
            status = page.status or 0
            what = {"attachment": "附件", "column": "栏目", "list": "列表页"}.get(page.kind, "文件")
            evidence = {"status": status, "linked_from": page.referer, "title": page.title}
            if status in (404, 410):
                yield self.finding(
                    ctx, Status.VIOLATION,
                    f"{what}链接无法访问（HTTP {status}）：{page.title or page.url}"
                    + (f"，链接所在页面 {page.referer}" if page.referer else "") + "。",
                    url=page.url, evidence=evidence)
            elif status >= 400:
                kind = "服务器错误" if status >= 500 else "拒绝访问或请求错误"
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"{what}链接返回{kind}（HTTP {status}）：{page.title or page.url}，请复查。",
                    url=page.url, evidence=evidence)


def report_deadline(year: int, unit_type: str) -> dt.date:
    return dt.date(year + 1, 3, 31) if unit_type == "government" else dt.date(year + 1, 1, 31)


def crawl_incomplete(ctx: SiteContext) -> bool:
    """Could the crawl have missed part of the site? (gaps, or a navigation page that failed)"""
    if ctx.run_status != "finished":
        return True
    for page in ctx.pages:
        if page.outcome in ("timeout", "blocked", "robots", "network_error", "redirect_loop"):
            return True
        if page.kind in ("home", "column", "list") and page.outcome not in ("ok", "offsite"):
            return True
    return False


class ReportColumn(Rule):
    """政府信息公开专栏应设年报栏目，并在时限届满后刊载上一年度的年度报告。

    Why: 第四十九条 requires the report to be 向社会公布; 国办公开办函〔2019〕61号 lists the
    年度报告 column among the four columns of every 政府信息公开 area. A due report that cannot
    be found on a completely crawled site is missing; when the crawl was incomplete the finding
    is not assessable.

    Legal basis: 《中华人民共和国政府信息公开条例》第四十九条；国办公开办函〔2019〕61号。

    Non-compliant: on 2025-04-10, the report column lists reports up to 2023 only.

    Compliant: the 2024 report is listed by 2025-01-31 (departments) or 2025-03-31 (governments).
    """

    code = "WEB-13"
    name = "website.report_column"
    title = "年报栏目"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第四十九条；国办公开办函〔2019〕61号")
    subject = "site"

    def check(self, ctx: SiteContext):
        incomplete = crawl_incomplete(ctx)
        if not ctx.report_column_found and not ctx.reports:
            status = Status.NOT_ASSESSABLE if incomplete else Status.VIOLATION
            yield self.finding(
                ctx, status, "未找到政府信息公开工作年度报告栏目"
                + ("（抓取不完整，无法断定缺失）。" if incomplete else "。"),
                evidence={"crawl_status": ctx.run_status}, discriminator="column")
            return
        due_year = ctx.today.year - 1
        if ctx.today <= report_deadline(due_year, ctx.unit_type):
            due_year -= 1
        years = {r.year for _, r in ctx.reports if r.year}
        titles = " ".join(p.title or "" for p in ctx.pages if p.kind == "report")
        # A newer report than the one due also shows the column is kept (older years missing
        # from the column are a matter for XY-07, not this rule).
        if any(y >= due_year for y in years) or f"{due_year}年" in titles:
            return
        deadline = report_deadline(due_year, ctx.unit_type)
        status = Status.NOT_ASSESSABLE if incomplete else Status.VIOLATION
        yield self.finding(
            ctx, status,
            f"年报栏目中未找到{due_year}年度政府信息公开工作年度报告（应于{deadline}前公布）"
            + ("；抓取不完整，无法断定缺失。" if incomplete else "。"),
            evidence={"due_year": due_year, "deadline": deadline.isoformat(),
                      "years_found": sorted(years)}, discriminator=f"year:{due_year}")


_GAPS = {
    "robots": "robots.txt 禁止抓取",
    "timeout": "访问超时",
    "blocked": "被反爬虫/防火墙拦截（如 HTTP 412 或脚本验证）",
    "network_error": "网络错误（无法连接或域名无法解析）",
    "redirect_loop": "重定向循环",
    "offsite": "跳转或链接至站外（未抓取）",
}


class CrawlCoverage(Rule):
    """抓取未能覆盖的内容如实报告为“无法评估”，不视为合格。

    Why: an audit is only as good as what it saw. Pages blocked, timed out, forbidden by
    robots.txt, unparseable, or cut off by the page budget are listed with the reason, so a run
    hit by blocking never reads as a clean pass. (An extension code: not in the domain list.)

    Legal basis: 审计方法要求（不对应具体法条）：无法访问的内容不得计为合格。

    Non-compliant: —（this rule reports coverage gaps, not violations of the site.）

    Compliant: a crawl in which every page in scope was fetched and read.
    """

    code = "SCAN-01"
    name = "coverage.crawl_gaps"
    title = "抓取覆盖不完整"
    severity = Severity.INFO
    legal_basis = LegalBasis("无法访问的内容不得计为合格", "审计方法", verified=True)
    subject = "site"

    def check(self, ctx: SiteContext):
        by_outcome: dict[str, list[str]] = defaultdict(list)
        for page in ctx.pages:
            if page.outcome in _GAPS:
                by_outcome[page.outcome].append(page.url)
        for outcome, urls in by_outcome.items():
            if outcome == "offsite":
                continue  # staying on the site is the point; listed in coverage, not a gap
            severity = Severity.HIGH if outcome == "blocked" else Severity.MEDIUM
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"{len(urls)}个页面{_GAPS[outcome]}，其内容未能检查：{'、'.join(_sample(urls, 3))}"
                + ("等" if len(urls) > 3 else "") + "。",
                severity=severity, evidence={"outcome": outcome, "count": len(urls),
                                             "urls": _sample(urls, 20)},
                discriminator=outcome)
        for page in ctx.pages:
            if page.kind == "home" and page.outcome not in ("ok", "offsite") and \
                    page.outcome not in by_outcome:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"起始页无法访问（{page.error or page.outcome}），站点内容未能检查。",
                    severity=Severity.HIGH, url=page.url,
                    evidence={"outcome": page.outcome, "status": page.status},
                    discriminator="home")
        for url, why in ctx.unparseable:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, f"年度报告无法解析：{why}", url=url,
                               severity=Severity.MEDIUM, evidence={"reason": why},
                               discriminator="unparseable")
        if ctx.run_status != "finished":
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"抓取未正常结束（{ctx.run_status}），以上结果只覆盖已抓取的页面。",
                               severity=Severity.HIGH, evidence={"status": ctx.run_status},
                               discriminator="status")
        elif ctx.max_pages and len(ctx.pages) >= ctx.max_pages:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"已达到抓取页数上限（{ctx.max_pages}页），站点可能未抓取完整。",
                               severity=Severity.MEDIUM, evidence={"max_pages": ctx.max_pages},
                               discriminator="budget")


SITE_RULES = [PageTags, SiteIdCode, BrokenLinks, ReportColumn, CrawlCoverage]
