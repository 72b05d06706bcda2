"""Rules on a whole crawl run: page tags, 网站标识码, broken links, the annual-report column,
and what the crawl could not see."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from auditor.coverage import GAP_OUTCOMES, STATE_CN, gap_of
from auditor.engine import Rule, SiteContext
from auditor.findings import LegalBasis, Severity, Status
from auditor.parse.links import is_report_title

GUIDE = LegalBasis("网页标签", "政府网站发展指引（国办发〔2017〕47号）", verified=False)
REQUIRED_TAGS = ("SiteName", "SiteDomain", "SiteIDCode", "ArticleTitle", "PubDate",
                 "ContentSource")
SITE_ID = re.compile(r"^(?:\d{10}|bm\d{8})$")


def _sample(urls: list[str], n: int = 5) -> list[str]:
    return urls[:n]


#: The tags each kind of page must carry (domain.md §3.2: 站点类 on every page, 栏目类 on column
#: and article pages, 内容类 on article pages). Other pages (landing pages, forms) are not judged.
TAGS_BY_KIND = {
    "document": REQUIRED_TAGS, "report": REQUIRED_TAGS,
    "list": ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName"),
    "home": ("SiteName", "SiteDomain", "SiteIDCode"),
}
KIND_CN = {"document": "文章页面", "report": "文章页面", "list": "栏目页面", "home": "首页"}


class PageTags(Rule):
    """页面应有《政府网站发展指引》规定的网页标签：文章页 SiteName、SiteDomain、SiteIDCode、ArticleTitle、PubDate、ContentSource；栏目页 SiteName、SiteDomain、SiteIDCode、ColumnName；首页站点类标签。

    为什么：网页标签使国家和省级监测能够读取每个页面所属的网站、栏目及其标题和发布时间。每个页面按其
    自身类型的标签集合判断（类型依据页面证据确定：栏目页不含 ArticleTitle 或 PubDate，也不因此被判缺
    失）。某类页面全部缺少某一标签的，属全站模板缺陷（文章页为“中”）；部分文章页缺少的，属单页缺陷
    （“低”）。落地页、表单页以及爬虫无法归类的页面不作判断。

    依据：《政府网站发展指引》（国办发〔2017〕47号）网页标签（附录条文未核实；按页面类型分组的标签集
    合为实际网站做法）。

    违规示例：文章页缺少 `<meta name="SiteIDCode">`；栏目页缺少 ColumnName。

    合规示例：每个文章页均带有上述六个标签且均有取值；栏目列表页带有 SiteName、SiteDomain、
    SiteIDCode 和 ColumnName。
    """

    code = "WEB-01"
    name = "website.page_tags"
    title = "网页标签齐全"
    severity = Severity.LOW
    legal_basis = GUIDE
    subject = "site"

    def check(self, ctx: SiteContext):
        docs = list(ctx.documents)
        if docs:
            yield from self._judge(ctx, "document",
                                   [(d.url, d.meta) for d in docs], per_page=True)
        for kind in ("list", "home"):
            pages = [(url, meta) for url, k, meta in ctx.page_tags if k == kind]
            if pages:
                yield from self._judge(ctx, kind, pages, per_page=False)

    def _judge(self, ctx: SiteContext, kind: str, pages: list[tuple[str, dict[str, str]]],
               per_page: bool):
        missing_by_tag: dict[str, list[str]] = defaultdict(list)
        for url, meta in pages:
            present = {k.lower() for k, v in meta.items() if v.strip()}
            for tag in TAGS_BY_KIND[kind]:
                if tag.lower() not in present:
                    missing_by_tag[tag].append(url)
        sitewide = [t for t, urls in missing_by_tag.items() if len(urls) == len(pages)]
        what = KIND_CN[kind]
        if sitewide:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"全站{len(pages)}个{what}均缺少网页标签：{'、'.join(sitewide)}。",
                evidence={"tags": sitewide, "pages": len(pages), "page_kind": kind,
                          "examples": [u for u, _ in pages[:3]]},
                discriminator="sitewide" if kind == "document" else f"sitewide:{kind}")
        if not per_page:
            return
        partial = {t: urls for t, urls in missing_by_tag.items() if t not in sitewide}
        per_url: dict[str, list[str]] = defaultdict(list)
        for tag, urls in partial.items():
            for url in urls:
                per_url[url].append(tag)
        for url, tags in sorted(per_url.items()):
            yield self.finding(ctx, Status.VIOLATION, f"页面缺少网页标签：{'、'.join(tags)}。",
                               url=url, evidence={"missing": tags}, discriminator="page")


class SiteIdCode(Rule):
    """网站标识码（SiteIDCode）格式正确、全站一致，并与页脚所示一致。

    为什么：网站标识码在全国监测中用于识别网站；为10位数字（行政区划代码加顺序号），中央部门为“bm”加
    8位数字，印于页脚，并由每个页面的 SiteIDCode 标签携带。

    依据：《政府网站发展指引》（国办发〔2017〕47号）网站标识码（条文未核实）。

    违规示例：SiteIDCode 为“35900001”（9位）；页面带有两个不同的标识码；页脚为“网站标识码：
    3590000001”，而页面标签为 3590000002。

    合规示例：所有页面的标签均为 3590000001，页脚所示与之相同。
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

    为什么：检查指标对无法打开的链接扣分（链接可用性）；政府信息公开专区中的文件或附件返回 404，意味
    着该信息实际上并未公开。其他客户端错误（403 等）标为“需人工复核”。服务器错误（重试后仍为 5xx）可
    能只是暂时的：属于抓取覆盖缺口（SCAN-01，在其 URL 处为“无法评估”），在本规则中绝不判为违规。脚本
    分页器声称存在的列表后续页（``createPageHTML(5000, …)``）并非页面上印出的链接：覆盖情况报告会说
    明列表读取到了哪里。

    依据：政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）扣分指标“链接可用性”（扣分标准未核
    实）。

    违规示例：列表条目所链接的页面返回 HTTP 404；附件“附件1.pdf”返回 404。

    合规示例：所列每个文件和附件均返回 200。
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
            if page.outcome != "http_error" or page.kind == "home" or gap_of(page):
                continue
            if page.reached_as == "list":
                continue  # a further list page the pager claims, not a link printed on a page
            status = page.status or 0
            what = {"attachment": "附件", "column": "栏目", "list": "列表页"}.get(
                page.reached_as or page.kind, "文件")
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
        if gap_of(page) not in (None, "offsite"):
            return True
        if page.kind in ("home", "column", "list") and page.outcome not in ("ok", "offsite"):
            return True
    return bool((ctx.crawl_notes or {}).get("trap_patterns")) or \
        (ctx.crawl_notes or {}).get("close_reason") == "closespider_timeout"


_AREA = re.compile(r"政府信息公开|信息公开|政务公开")
_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _title_year(title: str | None) -> int | None:
    m = _REPORT_YEAR.search(title or "")
    return int(m.group(1)) if m else None


class ReportColumn(Rule):
    """政府信息公开专栏应设年报栏目，并在时限届满后刊载上一年度的年度报告。

    为什么：第四十九条要求年报“向社会公布”；国办公开办函〔2019〕61号将年度报告栏目列为每个政府信息公
    开专区的四大栏目之一。仅在证据完整时才认定缺失：年报栏目已完整列出（全部列表页均已读取，没有留给
    脚本加载的部分），且所列条目中没有该年报的，应公布的年报即为缺失。栏目只读取了一部分，或某一指向
    该年报的条目无法抓取的，结果为“无法评估”并注明原因；未找到年报栏目的，仅当抓取读取了所发现的整个
    政府信息公开专区时才判为违规。

    依据：《中华人民共和国政府信息公开条例》第四十九条；国办公开办函〔2019〕61号。

    违规示例：2025-04-10 检查时，已完整列出的年报栏目只列到2023年度的年报。

    合规示例：2024年度年报于2025-01-31（部门）或2025-03-31（政府）前列出。
    """

    code = "WEB-13"
    name = "website.report_column"
    title = "年报栏目"
    severity = Severity.HIGH
    legal_basis = LegalBasis("第四十九条；国办公开办函〔2019〕61号")
    subject = "site"

    def check(self, ctx: SiteContext):
        columns = list(ctx.columns or ())
        report_columns = [c for c in columns if c.report_column]
        unknown_unit = ctx.unit_type not in ("department", "government", "township", "other")
        unit = "department" if unknown_unit else ctx.unit_type
        due_year = ctx.today.year - 1
        if ctx.today <= report_deadline(due_year, unit):
            due_year -= 1
        years = {r.year for _, r in ctx.reports if r.year}
        titles = [p.title or "" for p in ctx.pages if p.kind == "report" and p.outcome == "ok"]
        # A newer report than the one due also shows the column is kept (older years missing
        # from the column are a matter for XY-07, not this rule).
        if any(y >= due_year for y in years) or any(
                (_title_year(t) or 0) >= due_year for t in titles):
            return
        deadline = report_deadline(due_year, "government" if unknown_unit else unit)
        if unknown_unit and ctx.today <= deadline:
            return  # due for a department, not yet for a government: the body type decides
        evidence = {"due_year": due_year, "deadline": deadline.isoformat(),
                    "years_found": sorted(years), "unit_type": ctx.unit_type}
        if not report_columns and not ctx.reports:
            yield from self._no_column(ctx, columns, evidence)
            return
        listed = [(c, i) for c in report_columns for i in c.items
                  if (_title_year(i.title) or 0) >= due_year and is_report_title(i.title)]
        if listed:
            column, item = listed[0]
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"年报栏目“{column.label}”列出了“{item.title}”，但该页面未能抓取或解析"
                f"（{item.why or '未能读取'}），无法核对{due_year}年度报告是否按时公开。",
                url=column.url, evidence={**evidence, "item": item.url, "outcome": item.outcome},
                discriminator=f"year:{due_year}")
            return
        doubt = self._doubt(ctx, report_columns)
        message = f"年报栏目中未找到{due_year}年度政府信息公开工作年度报告（应于{deadline}前公布）"
        if doubt:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, f"{message}；但{doubt}，无法断定缺失。",
                               evidence={**evidence, "doubt": doubt},
                               discriminator=f"year:{due_year}")
        else:
            yield self.finding(
                ctx, Status.VIOLATION, message + "。",
                url=report_columns[0].url if report_columns else None,
                evidence={**evidence, "columns": [c.url for c in report_columns]},
                discriminator=f"year:{due_year}")

    @staticmethod
    def _doubt(ctx: SiteContext, report_columns) -> str | None:
        """Why the report columns are not complete evidence of absence, or ``None``."""
        if ctx.run_status != "finished":
            from auditor.runstatus import status_label

            return f"抓取未正常结束（{status_label(ctx.run_status)}）"
        if ctx.columns is None:
            return "未记录栏目列表的读取情况"
        for column in report_columns:
            if not column.listed_completely:
                return (f"年报栏目“{column.label}”未完整读取（"
                        f"{'；'.join(column.reasons) or STATE_CN.get(column.state, column.state)}）")
            if column.gaps:
                return f"年报栏目“{column.label}”有{len(column.gaps)}个条目未能抓取"
        if not report_columns:
            return "未识别出年报栏目，年报页面来自其他栏目"
        return None

    def _no_column(self, ctx: SiteContext, columns, evidence):
        area = [c for c in columns if c.name and _AREA.search(c.name)]
        doubt = None
        if ctx.run_status != "finished":
            from auditor.runstatus import status_label

            doubt = f"抓取未正常结束（{status_label(ctx.run_status)}）"
        elif ctx.columns is None:
            doubt = "未记录栏目列表的读取情况"
        elif not area:
            doubt = "未找到政府信息公开专栏"
        else:
            unread = [c for c in columns if c.state in ("unread", "partial", "failed") or c.gaps]
            if unread:
                doubt = f"{len(unread)}个栏目未完整读取（如“{unread[0].label}”）"
            elif crawl_incomplete(ctx):
                doubt = "部分页面无法访问"
        if doubt:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"未找到政府信息公开工作年度报告栏目（{doubt}，无法断定缺失）。",
                evidence={**evidence, "doubt": doubt, "crawl_status": ctx.run_status},
                discriminator="column")
            return
        yield self.finding(
            ctx, Status.VIOLATION,
            f"已完整读取政府信息公开专栏的{len(columns)}个栏目，未找到政府信息公开工作年度报告栏目。",
            evidence={**evidence, "columns": [c.label for c in columns][:20]},
            discriminator="column")


_KIND_CN = {"home": "起始页", "column": "栏目页", "list": "列表页", "document": "文件页面",
            "report": "年报页面", "attachment": "附件"}


class CrawlCoverage(Rule):
    """抓取未能覆盖的内容如实报告为“无法评估”，不视为合格。

    为什么：检查结论只能以实际看到的内容为准。被拦截、超时、被 `robots.txt` 禁止、无法解析或因抓取页
    数上限而未抓取的页面，均逐一列出并注明原因，使遭到拦截的一次检查绝不会被读成全部合格。（本规则为
    扩展规则，不在领域规则清单之内。）

    栏目依据证据判断：栏目页面可见列表机制（加载列表的脚本或模板）但未读到任何条目的，在该栏目地址处
    报告为“未能读取”，并附所见线索；只读取了一部分的栏目（缺少某一列表页、其余部分由脚本动态加载、条
    目已列出但未抓取），报告其缺失部分。一次检查未发现任何栏目或任何文件的，绝不视为合格。

    依据：说明（不对应具体法条）：检查方法要求无法访问或未能读取的内容既不计为合格，也不认定为缺失。

    违规示例：—（本规则报告的是抓取覆盖缺口，而非网站的违规。）

    合规示例：检查范围内每个页面均已抓取、每个栏目均已读取的一次抓取。
    """

    code = "SCAN-01"
    name = "coverage.crawl_gaps"
    title = "抓取覆盖不完整"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("无法访问或未能读取的内容既不计为合格，也不认定为缺失（本工具的检查方法）",
                             "", note=True)
    subject = "site"

    #: Gaps of one kind reported one by one at their URL; beyond this many, the rest together.
    per_url = 50

    def check(self, ctx: SiteContext):
        by_outcome: dict[str, list] = defaultdict(list)
        for page in ctx.pages:
            gap = gap_of(page)
            if gap and gap != "offsite":  # staying on the site is the point: not a gap
                by_outcome[gap].append(page)
        for outcome, pages in by_outcome.items():
            for page in pages[:self.per_url]:
                what = _KIND_CN.get(page.reached_as or page.kind, "页面")
                detail = f"（{page.error}）" if page.error and page.error not in GAP_OUTCOMES[
                    outcome] else ""
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"{what}{GAP_OUTCOMES[outcome]}{detail}，其内容未能检查：{page.title or page.url}。",
                    url=page.url,
                    evidence={"outcome": outcome, "status": page.status, "error": page.error,
                              "linked_from": page.referer},
                    discriminator=f"gap:{outcome}")
            if len(pages) > self.per_url:
                rest = pages[self.per_url:]
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"另有{len(rest)}个页面{GAP_OUTCOMES[outcome]}，其内容未能检查："
                    f"{'、'.join(p.url for p in rest[:3])}等。",
                    evidence={"outcome": outcome, "count": len(rest),
                                                 "urls": [p.url for p in rest[:20]]},
                    discriminator=f"gaps:{outcome}")
        for page in ctx.pages:
            if page.kind == "home" and page.outcome not in ("ok", "offsite") and \
                    gap_of(page) not in by_outcome:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"起始页无法访问（{page.error or page.outcome}），站点内容未能检查。",
                    url=page.url,
                    evidence={"outcome": page.outcome, "status": page.status},
                    discriminator="home")
        yield from self._crawl_notes(ctx)
        for url, why in ctx.unparseable:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, f"年度报告无法解析：{why}", url=url,
                               evidence={"reason": why},
                               discriminator="unparseable")
        if ctx.run_status != "finished":
            from auditor.runstatus import status_label

            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"抓取未正常结束（{status_label(ctx.run_status)}），以上结果只覆盖已抓取的页面。",
                               evidence={"status": ctx.run_status},
                               discriminator="status")
        elif ctx.max_pages and len(ctx.pages) >= ctx.max_pages:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"已达到抓取页数上限（{ctx.max_pages}页），站点可能未抓取完整。",
                               evidence={"max_pages": ctx.max_pages},
                               discriminator="budget")
        if ctx.columns is not None:
            yield from self._columns(ctx)

    def _crawl_notes(self, ctx: SiteContext):
        """What the crawl stopped on its own: trap patterns and the wall-clock bound."""
        notes = ctx.crawl_notes or {}
        for pattern, info in (notes.get("trap_patterns") or {}).items():
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"网址模式“{pattern}”疑似抓取陷阱：{info.get('why')}（已抓取{info.get('fetched')}个，"
                f"跳过{info.get('skipped')}个）。被跳过的页面未能检查。",
                evidence={"pattern": pattern, **info},
                discriminator=f"trap:{pattern}")
        if notes.get("close_reason") == "closespider_timeout":
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                "已达到抓取时间上限，抓取提前结束，未抓取的页面未能检查（见各栏目的覆盖情况）。",
                evidence={"close_reason": notes.get("close_reason")},
                discriminator="time-limit")

    def _columns(self, ctx: SiteContext):
        reached = any(p.outcome == "ok" for p in ctx.pages)
        for column in ctx.columns:
            if column.state == "unread":
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"栏目“{column.label}”的列表未能读取：{'；'.join(column.reasons)}"
                    f"（识别依据：{column.cue}）。该栏目的内容未能检查，不能视为空栏目。",
                    url=column.url,
                    evidence={"state": column.state, "cue": column.cue,
                              "adapter": column.adapter, "reasons": list(column.reasons)},
                    discriminator="column")
            elif column.state == "failed":
                continue  # the page's own outcome is reported above, by kind of gap
            elif column.state == "partial" or column.gaps:
                gaps = column.gaps
                fetched = sum(i.fetched for i in column.items)
                why = "；".join(column.reasons) or f"{len(gaps)}个列出的条目未能抓取"
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"栏目“{column.label}”未完整读取：{why}（列出{len(column.items)}条，"
                    f"已抓取{fetched}条）。未读取的部分未能检查。",
                    url=column.url,
                    evidence={"state": column.state, "reasons": list(column.reasons),
                              "items_listed": len(column.items), "items_fetched": fetched,
                              "gaps": [{"url": i.url, "title": i.title, "why": i.why}
                                       for i in gaps[:20]],
                              "pages_missing": [u for u, _ in column.pages_missing[:20]]},
                    discriminator="column")
        if reached and ctx.run_status == "finished":
            if not ctx.columns:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    "未在已抓取的页面中找到政府信息公开栏目或文件列表（栏目链接文字未能识别，或列表由脚本生成），"
                    "站点内容未能检查。",
                    evidence={"pages": len(ctx.pages)},
                    discriminator="no-columns")
            elif not ctx.documents:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"找到{len(ctx.columns)}个栏目，但未抓取到任何文件页面，站点内容未能检查。",
                    evidence={"columns": [c.label for c in ctx.columns]},
                    discriminator="no-documents")


SITE_RULES = [PageTags, SiteIdCode, BrokenLinks, ReportColumn, CrawlCoverage]
