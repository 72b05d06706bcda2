"""The 政府信息公开 platform (条例第十二条、第二十条、第二十八条; 国办公开办函〔2019〕61号) and the
site's identity (《政府网站发展指引》): WEB-11 公开指南, WEB-12 公开目录, WEB-14 依申请渠道, WEB-15
法定主动公开栏目, WEB-17 页脚标识, WEB-03 域名规范.

Something *missing* from a site is a violation only on complete evidence: the crawl finished,
found the 政府信息公开 area, and every navigation page where the thing would be linked was read
(:func:`area_doubt`); otherwise the finding is 无法评估 with the reason. Something present is
judged on the text of its own page.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from auditor.engine import UNIT_TYPE_LABELS, UNIT_TYPES, Rule, SiteContext
from auditor.findings import LegalBasis, Severity, Status
from auditor.parse.lists import url_key
from auditor.sitefacts import CATALOGUE_LABELS, host_is_address

from .freshness import column_children, option_problem, reached

GUIDE_NAME = re.compile(r"信息公开指南|公开指南")
CATALOGUE_NAME = re.compile(r"信息公开目录|公开目录|主动公开目录")
#: Since 国办公开办函〔2019〕61号 the catalogue is the 法定主动公开内容 column of the platform.
STATUTORY_NAME = re.compile(r"法定主动公开")
APPLY_NAME = re.compile(r"依申请|申请公开")
AREA_NAME = re.compile(r"政府信息公开|信息公开|政务公开|法定主动公开")
_GAPS = ("timeout", "blocked", "robots", "network_error", "redirect_loop")


def _names(ctx: SiteContext) -> list[tuple[str, str]]:
    """Every name the crawl saw for a column or page: (name, url)."""
    out = [(c.name, c.url) for c in ctx.columns or () if c.name]
    out += [(text, target) for _, text, target in ctx.nav_links]
    out += [(p.names(), p.url) for p in ctx.site_pages if p.names()]
    return out


def area_doubt(ctx: SiteContext) -> str | None:
    """Why the crawl is not complete evidence that something is missing from the 政府信息公开
    area (``None`` when it is).

    A column of the area is found by its link on a navigation page, so what hides one is a
    navigation page whose links could not be read: a page not fetched (failed, blocked, cut
    off by the page budget or an interrupted crawl) or a menu built by script. A column whose
    *list* could not be read was still found, under its name: it hides no other column."""
    from auditor.runstatus import status_label

    if ctx.run_status != "finished":
        return f"抓取未正常结束（{status_label(ctx.run_status)}）"
    if ctx.columns is None:
        return "未记录栏目列表的读取情况"
    if ctx.max_pages and len(ctx.pages) >= ctx.max_pages:
        return f"已达到抓取页数上限（{ctx.max_pages}页）"
    if not any(AREA_NAME.search(name) for name, _ in _names(ctx)):
        return "未找到政府信息公开专栏"
    failed = [c for c in ctx.columns if c.state == "failed"]
    if failed:
        why = "；".join(failed[0].reasons) or "栏目页无法访问"
        return f"{len(failed)}个栏目页未能读取（如“{failed[0].label}”：{why}）"
    walled = [p for p in ctx.pages if p.outcome in _GAPS
              and (p.reached_as or p.kind) in ("home", "column", "list")]
    if walled:
        return f"{len(walled)}个栏目或列表页面未能抓取（如 {walled[0].url}：{walled[0].outcome}）"
    opaque = [p for p in ctx.home_pages if p.machinery and not p.links]
    if opaque:
        return "首页导航由脚本生成，未能读取"
    return None


def _document_date(ctx: SiteContext, url: str):
    key = url_key(url)
    for doc in ctx.documents:
        if url_key(doc.url) == key and doc.published is not None and \
                doc.published.strategy != "url":
            return doc.published
    return None


def missing_from_area(rule: Rule, ctx: SiteContext, what: str, also: str = ""):
    """The finding for something not found in the 政府信息公开 area: 无法评估 with the doubt,
    or a violation when every navigation page of the area was read (``also`` adds to it)."""
    doubt = area_doubt(ctx)
    if doubt:
        yield rule.finding(ctx, Status.NOT_ASSESSABLE, f"未找到{what}（{doubt}，无法断定缺失）。",
                           evidence={"doubt": doubt}, discriminator="missing")
        return
    yield rule.finding(
        ctx, Status.VIOLATION,
        f"政府信息公开专栏的栏目导航已全部读取（{len(ctx.columns or ())}个栏目），未找到{what}{also}。",
        evidence={"column_names": [c.label for c in ctx.columns or ()][:20]},
        discriminator="missing")


# ---------------------------------------------------------------- WEB-11 公开指南

#: 第十二条: what a 政府信息公开指南 contains, with the wordings guides use for each.
GUIDE_ELEMENTS: dict[str, re.Pattern[str]] = {
    # not the 主题分类 / 组配分类 label of the page's own metadata block
    "分类": re.compile(r"(?<!主题)(?<!组配)(?<!体裁)分类(?![:：号])"),
    "编排体系": re.compile(r"编排"),
    "获取方式": re.compile(r"获取方式|获取途径|获取政府信息|获取信息|公开方式|公开途径|公开形式|查阅"),
    "工作机构名称": re.compile(r"工作机构|受理机构|受理部门|受理单位|承办机构|机构名称|公开机构|负责机构"),
    "办公地址": re.compile(r"办公地址|地址|地点"),
    "办公时间": re.compile(r"办公时间|受理时间|工作时间|接待时间"),
    "联系电话": re.compile(r"电话"),
    "传真号码": re.compile(r"传真"),
    "互联网联系方式": re.compile(r"电子邮箱|电子信箱|电子邮件|邮箱|e-?mail|@|网址|互联网联系|"
                          r"在线申请|网上申请|网络申请", re.I),
}
#: Documents that change what a 指南 says: the body's name, its 机构, its address.
#: (Not 组建/挂牌/搬迁 alone: 组建工作专班, 挂牌督办, 征地搬迁 are everyday titles.)
CHANGE_PATTERN = (r"机构改革|机构调整|机构设置|职能调整|职责调整|更名|名称变更|地址变更|"
                  r"办公地点变更|迁址|搬迁办公|三定")
INSTITUTION_NAME = re.compile(r"机构职能|机构设置|机构概况|机构信息|领导信息|领导简介")


def _guide_pages(ctx: SiteContext) -> list:
    pages = [p for p in ctx.site_pages if GUIDE_NAME.search(p.names())
             and p.kind in ("document", "report", "other", "list", "home")]
    # the 指南 itself: its own title names it and it has running text
    return sorted(pages, key=lambda p: (not GUIDE_NAME.search(p.title or ""),
                                        p.kind == "list", -len(p.text)))


class DisclosureGuide(Rule):
    """应公开政府信息公开指南，内容包括分类、编排体系、获取方式和工作机构名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式，并及时更新。

    为什么：第十二条要求每个机关公开包含上述内容的政府信息公开指南并及时更新；第五十三条将不及时更新
    指南列为违法情形。按名称查找指南（名为“政府信息公开指南”的栏目或页面），并在去除页眉、页脚后的页
    面正文中，按指南通常使用的措辞查找各项内容（办公地址/地址、联系电话/电话、传真、电子邮箱/网
    址……）。未找到的内容项为违规（中）。仅以附件形式发布的指南为“无法评估”（不读取附件）。及时更新：
    在指南之后发布了机构变动文件的（按标题识别机构改革、更名、地址变更等，`change_pattern`），为违
    规；日期晚于指南的机构职能页面标为“需人工复核”（变动是否涉及指南内容，须人工阅读判断）。仅当抓取
    找到了政府信息公开专区并读取了其全部导航页时，缺少指南才判为违规（未抓取的页面或由脚本生成的菜单
    可能隐藏了指南）。

    依据：《中华人民共和国政府信息公开条例》第十二条；第五十三条第（二）项。

    违规示例：指南没有传真号码和办公时间；网站于 2024-03-01 发布了“关于县农业农村局更名的通知”，而指
    南的日期为 2023-05-10。

    合规示例：指南载明信息分类与编排体系、获取方式以及受理机构的名称、办公地址、办公时间、联系电话、
    传真、电子邮箱，且日期晚于最近一次机构变动。
    """

    code = "WEB-11"
    name = "website.disclosure_guide"
    title = "公开指南"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第十二条；第五十三条")
    subject = "site"
    config_keys = {"change_pattern": CHANGE_PATTERN}

    @classmethod
    def option_problem(cls, options):
        return option_problem(options, ("change_pattern",))

    def check(self, ctx: SiteContext):
        if not reached(ctx):
            return
        pages = _guide_pages(ctx)
        readable = [p for p in pages if p.kind != "list" and (len(p.text) >= 20 or p.attachments)]
        if not readable:
            yield from self._absent(ctx, pages)
            return
        guide = max(readable, key=lambda p: (sum(1 for pat in GUIDE_ELEMENTS.values()
                                                 if pat.search(p.text)),
                                             bool(GUIDE_NAME.search(p.title or ""))))
        text = re.sub(r"\s+", "", guide.text)
        missing = [name for name, pattern in GUIDE_ELEMENTS.items() if not pattern.search(text)]
        evidence: dict[str, Any] = {"guide": guide.url, "title": guide.title,
                                    "missing": missing,
                                    "present": [n for n in GUIDE_ELEMENTS if n not in missing]}
        if missing and guide.attachments and len(missing) >= 5:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"政府信息公开指南“{guide.label}”正文未列出{'、'.join(missing)}，其内容可能在附件中"
                f"（{guide.attachments[0]}），附件未读取，无法核对。",
                url=guide.url, evidence={**evidence, "attachments": list(guide.attachments)},
                discriminator="elements")
        elif missing:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"政府信息公开指南“{guide.label}”缺少第十二条规定的内容：{'、'.join(missing)}。",
                url=guide.url, evidence=evidence, discriminator="elements")
        yield from self._currency(ctx, guide)

    def _currency(self, ctx: SiteContext, guide):
        stated = _document_date(ctx, guide.url)
        if stated is None:
            return
        change = re.compile(str(self.options["change_pattern"]))
        later = sorted((d for d in ctx.documents if d.title and change.search(d.title)
                        and d.published is not None and d.published.strategy != "url"
                        and stated.value < d.published.value <= ctx.today),
                       key=lambda d: d.published.value)
        base = {"guide": guide.url, "guide_date": stated.value.isoformat(),
                "guide_date_raw": stated.raw}
        if later:
            doc = later[-1]
            yield self.finding(
                ctx, Status.VIOLATION,
                f"政府信息公开指南发布于{stated.value}，此后{doc.published.value}发布了《{doc.title}》"
                f"（机构变动），指南未随之更新。",
                url=guide.url, evidence={**base, "change": doc.url, "change_title": doc.title,
                                         "change_date": doc.published.value.isoformat()},
                discriminator="outdated")
            return
        institution = []
        for page in ctx.site_pages:
            if INSTITUTION_NAME.search(page.names()) and page.url != guide.url:
                dated = _document_date(ctx, page.url)
                if dated is not None and stated.value < dated.value <= ctx.today:
                    institution.append((dated.value, page))
        if institution:
            day, page = max(institution, key=lambda x: x[0])
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"政府信息公开指南发布于{stated.value}，机构信息页面“{page.label}”于{day}更新，"
                "请核对指南所列机构名称、办公地址、联系方式等是否仍然准确。",
                url=guide.url, evidence={**base, "institution_page": page.url,
                                         "institution_date": day.isoformat()},
                discriminator="outdated")

    def _absent(self, ctx: SiteContext, pages):
        linked = [(name, url) for name, url in _names(ctx) if GUIDE_NAME.search(name)]
        if pages or linked:
            where = pages[0].url if pages else linked[0][1]
            why = ("找到指南链接，但其页面未能抓取或读取" if not pages else
                   "指南栏目只有列表，指南页面未能抓取" if all(p.kind == "list" for p in pages)
                   else f"指南页面“{pages[0].label}”几乎没有文字")
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"政府信息公开指南无法核对：{why}。", url=where or None,
                               evidence={"links": [u for _, u in linked[:5]]},
                               discriminator="missing")
            return
        yield from missing_from_area(self, ctx, "政府信息公开指南")


# ---------------------------------------------------------------- WEB-12 公开目录

CATALOGUE_PARTS = ("索引", "名称", "内容概述", "生成日期")


def _subtree(ctx: SiteContext, roots: list) -> list:
    """The columns under ``roots`` (linked from them, at any depth), roots included."""
    children = column_children(ctx)
    out, todo, seen = [], list(roots), set()
    while todo:
        column = todo.pop(0)
        key = url_key(column.url)
        if key not in seen:
            seen.add(key)
            out.append(column)
            todo.extend(children.get(key, []))
    return out


class DisclosureCatalogue(Rule):
    """应编制公布政府信息公开目录，目录条目包括索引、名称、内容概述、生成日期。

    为什么：第十二条：“政府信息公开目录包括政府信息的索引、名称、内容概述、生成日期等内容”。目录即名
    为政府信息公开目录的栏目及其下设栏目。目录列表页印有某项的标签（索引号、名称/标题、内容概述/摘
    要、生成日期/成文日期/发布日期），或已读取的条目中至少一半在其元数据区显示该项（条目自身的标题即
    其名称；带日期的列表即显示了生成日期），该项即计为已显示。任何地方都未显示的项为违规（中）——但列
    表未印出字段表头时的内容概述除外：其措辞差异过大，条目页上找不到它只能作为疑问（需人工复核）。列
    表无法读取的目录为“无法评估”。没有目录栏目时，法定主动公开内容栏目可能承担目录功能（国办公开办函
    〔2019〕61号将目录置于该栏目中）：标为“需人工复核”，并列出其条目显示的内容；两者都没有的，即缺少
    目录——仅当抓取找到了政府信息公开专区并读取了其全部导航页时才判为违规。

    依据：《中华人民共和国政府信息公开条例》第十二条。

    违规示例：政府信息公开目录列表的表头为索引号、名称、发布日期（没有内容概述）；条目没有索引号；已
    完整读取的政府信息公开专区中既没有目录栏目，也没有法定主动公开内容栏目。

    合规示例：目录列表为每个条目印有索引号、名称、内容概述、生成日期。
    """

    code = "WEB-12"
    name = "website.disclosure_catalogue"
    title = "公开目录"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第十二条")
    subject = "site"

    def check(self, ctx: SiteContext):
        if not reached(ctx) or ctx.columns is None:
            return
        named = [c for c in ctx.columns if c.name and CATALOGUE_NAME.search(c.name)]
        statutory = [c for c in ctx.columns if c.name and STATUTORY_NAME.search(c.name)]
        roots = named or statutory
        if not roots:
            yield from self._absent(ctx)
            return
        columns = _subtree(ctx, roots)
        keys = {url_key(c.url) for c in columns}
        names = {c.name for c in columns if c.name}
        lists = [p for p in ctx.site_pages if url_key(p.column_url or p.url) in keys]
        listed = {url_key(i.url) for c in columns for i in c.items}
        entries = [u for u in ctx.document_fields if url_key(u) in listed]
        if not entries:  # entries known only by their column name
            entries = [d.url for d in ctx.documents if d.column in names
                       and d.url in ctx.document_fields]
        items = [i for c in columns for i in c.items]
        catalogue = roots[0]
        evidence: dict[str, Any] = {"catalogue": catalogue.label, "catalogue_url": catalogue.url,
                                    "column_names": [c.label for c in columns][:20],
                                    "items": len(items), "entries_read": len(entries)}
        unread = [c for c in columns if c.state in ("unread", "failed")]
        if not items and not entries:
            why = ("目录列表未能读取（" + "；".join(unread[0].reasons or (unread[0].state,)) + "）"
                   if unread else "目录中未读取到任何条目")
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"政府信息公开目录“{catalogue.label}”无法核对：{why}。",
                               url=catalogue.url, evidence={**evidence, "why": why},
                               discriminator="parts")
            return
        shown, where = [], {}
        listing = " ".join(p.text for p in lists if p.kind == "list" or p.items)
        for part in CATALOGUE_PARTS:
            if part in ("索引", "内容概述") and CATALOGUE_LABELS[part].search(listing):
                shown.append(part)
                where[part] = "目录列表"
                continue
            if part == "名称" and items and all(i.title for i in items):
                shown.append(part)
                where[part] = "目录条目标题"
                continue
            if part == "生成日期" and (any(i.list_date for i in items)
                                   or CATALOGUE_LABELS[part].search(listing)):
                shown.append(part)
                where[part] = "目录列表日期"
                continue
            having = sum(1 for u in entries if part in ctx.document_fields.get(u, ()))
            if entries and having * 2 >= len(entries):
                shown.append(part)
                where[part] = f"{having}/{len(entries)}个条目页面"
        missing = [p for p in CATALOGUE_PARTS if p not in shown]
        # A list that prints its fields as a header shows its layout: a field missing there is
        # certain. Read from the entries' pages, 内容概述 has too many wordings (摘要, 内容简介,
        # 主题词…) for its absence to be more than a question.
        layout = sum(1 for pattern in CATALOGUE_LABELS.values() if pattern.search(listing)) >= 2
        certain = [p for p in missing if layout or p != "内容概述"]
        evidence.update(shown=where, missing=missing, list_header=layout)
        checked = f"（核对了目录列表及{len(entries)}个条目页面）"
        if not named:
            doubt = area_doubt(ctx)
            if doubt:
                # no column named 目录 was found, but one could hide behind what was not read
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"未找到名为政府信息公开目录的栏目（{doubt}，无法断定缺失）"
                    + (f"；“{catalogue.label}”的条目未显示{'、'.join(missing)}" if missing else "")
                    + "。", url=catalogue.url, evidence={**evidence, "doubt": doubt},
                    discriminator="parts")
            else:
                yield self.finding(
                    ctx, Status.NEEDS_REVIEW,
                    f"未找到名为政府信息公开目录的栏目；“{catalogue.label}”可能即为目录（国办公开办函〔2019〕"
                    "61号），请人工确认"
                    + (f"，其条目未显示第十二条规定的{'、'.join(missing)}{checked}" if missing else "")
                    + "。", url=catalogue.url, evidence=evidence, discriminator="parts")
            return
        if certain:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"政府信息公开目录“{catalogue.label}”的条目未显示第十二条规定的{'、'.join(certain)}"
                f"{checked}。", url=catalogue.url, evidence=evidence, discriminator="parts")
        elif missing:
            yield self.finding(
                ctx, Status.NEEDS_REVIEW,
                f"政府信息公开目录“{catalogue.label}”的列表和条目页面未见内容概述（摘要）{checked}，"
                "请人工核对目录是否提供内容概述。",
                url=catalogue.url, evidence=evidence, discriminator="parts")

    def _absent(self, ctx: SiteContext):
        linked = [(n, u) for n, u in _names(ctx)
                  if CATALOGUE_NAME.search(n) or STATUTORY_NAME.search(n)]
        if linked:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"找到政府信息公开目录的链接“{linked[0][0]}”，但未能读取其列表，无法核对目录。",
                url=linked[0][1] or None, evidence={"links": [u for _, u in linked[:5]]},
                discriminator="missing")
            return
        yield from missing_from_area(self, ctx, "政府信息公开目录", "（也无法定主动公开内容栏目）")


# ---------------------------------------------------------------- WEB-14 依申请渠道

_ONLINE_LINK = re.compile(r"在线申请|网上申请|网络申请|申请平台|申请系统|申请入口|在线提交|依申请公开系统")
_OFFLINE = re.compile(r"邮寄|信函|邮政|邮编|当面|现场|窗口|来访|受理地点|书面申请|申请方式|提出申请|"
                      r"申请表")
_FORM_FIELDS = re.compile(r"申请|姓名|名称|证件|联系|内容|所需")


class ApplicationChannel(Rule):
    """应提供依申请公开渠道：在线申请，或至少当面、邮寄等申请方式的说明。

    为什么：第二十八条、第二十九条要求机关受理以书面形式（包括数据电文形式）提出的政府信息公开申请，
    因此网站须说明如何申请。可作为渠道证据的有：要求填写申请人和所需信息的在线表单，“在线申请/网上申
    请/申请平台”链接，或依申请公开页面、指南中关于当面或邮寄申请的文字（当面、邮寄、信函、受理地点、
    申请表……，或为申请提供的地址、电话）。未发现任何渠道时：依申请公开页面已读取且未提及渠道的，或专
    区全部导航页均已读取而不存在该页面（若有指南，指南也未提及）的，为违规；其他情形为“无法评估”。

    依据：《中华人民共和国政府信息公开条例》第二十七条、第二十八条、第二十九条。

    违规示例：依申请公开页面仅引用条例原文，指南也未说明任何申请渠道。

    合规示例：“申请人可以通过当面提交、邮政寄送或网上申请平台提出申请”。
    """

    code = "WEB-14"
    name = "website.application_channel"
    title = "依申请渠道"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第二十七条、第二十八条、第二十九条")
    subject = "site"

    def check(self, ctx: SiteContext):
        if not reached(ctx):
            return
        apply_pages = [p for p in ctx.site_pages if APPLY_NAME.search(p.names())]
        guides = [p for p in _guide_pages(ctx) if p.kind != "list" and len(p.text) >= 20]
        links = [(t, u) for _, t, u in ctx.nav_links] + [
            link for p in (*ctx.site_pages, *ctx.home_pages) for link in p.links]
        online = next(((t, u) for t, u in links if _ONLINE_LINK.search(t)), None)
        if online:
            return
        for page in (*apply_pages, *guides):
            if any(_FORM_FIELDS.search(form) and "申请" in (form + page.names())
                   for form in page.forms):
                return
            text = re.sub(r"\s+", "", page.text)
            if _OFFLINE.search(text):
                return
            if "申请" in text and re.search(r"地址|电话", text):
                return  # where to apply: the 受理机构's address or telephone
        read = [p.url for p in (*apply_pages, *guides)]
        evidence = {"pages_read": read}
        if apply_pages:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"依申请公开页面“{apply_pages[0].label}”"
                + ("和政府信息公开指南" if guides else "")
                + "均未提供申请渠道（无在线申请，也未说明当面、邮寄等申请方式）。",
                url=apply_pages[0].url, evidence=evidence)
            return
        doubt = area_doubt(ctx)
        if doubt:
            yield self.finding(ctx, Status.NOT_ASSESSABLE,
                               f"未找到依申请公开渠道的说明（{doubt}，无法断定缺失）。",
                               evidence={**evidence, "doubt": doubt})
            return
        yield self.finding(
            ctx, Status.VIOLATION,
            "政府信息公开专栏的栏目导航已全部读取，未找到依申请公开栏目或在线申请"
            + ("，政府信息公开指南也未说明申请方式" if guides else "，也未找到申请方式的说明") + "。",
            url=guides[0].url if guides else None, evidence=evidence)


# ---------------------------------------------------------------- WEB-15 法定主动公开栏目

#: 第二十条 items a body's 法定主动公开 columns must cover, and which bodies by default. The
#: default is deliberately narrow (what every body of that type has); set your 基层政务公开标准
#: 目录's table under [rules."WEB-15".items] (a table replaces this one whole).
DEFAULT_ITEMS: dict[str, dict[str, Any]] = {
    "20-1": {"title": "第二十条（一）规章和规范性文件",
             "pattern": r"规章|规范性文件|政策文件|政府文件|部门文件|文件",
             "applies": ["department", "government", "township"]},
    "20-2": {"title": "第二十条（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
             "pattern": r"机构|职能|领导|负责人",
             "applies": ["department", "government", "township"]},
    "20-3": {"title": "第二十条（三）规划及相关政策", "pattern": r"规划|计划",
             "applies": ["government"]},
    "20-4": {"title": "第二十条（四）统计信息", "pattern": r"统计",
             "applies": ["government"]},
    "20-7": {"title": "第二十条（七）财政预算、决算信息", "pattern": r"预算|决算|财政",
             "applies": ["department", "government", "township"]},
}


class StatutoryColumns(Rule):
    """政府信息公开专栏应设置第二十条规定的法定主动公开内容栏目（按机关类型适用，可配置）。

    为什么：第二十条列出每个机关应当主动公开的内容，国办公开办函〔2019〕61号将其置于平台的法定主动公
    开内容栏目中。适用哪些项取决于机关（乡镇没有自己的统计栏目；某个局可能不实施行政许可）：`items`
    是第二十条各项的配置表，列明显示各项的栏目名称用词，以及各项适用的机关类型（部门 `department`、
    政府 `government`、乡镇 `township`、其他 `other`）。默认配置只包含该类机关都具备的内容；请按本地
    标准目录扩充。网站任一栏目、导航链接或页面以某项用词命名的，该项即计为已设置。仅当抓取找到了政府
    信息公开专区并读取了其全部导航页时，缺少某项才判为违规（中）；存在疑问时，以一项“无法评估”列出未
    找到的内容。类型不明的机关不作判断。

    依据：《中华人民共和国政府信息公开条例》第二十条；国办公开办函〔2019〕61号（适用范围按机关类型配
    置）。

    违规示例：某县政府已完整读取的法定主动公开内容中，既没有统计信息栏目，也没有财政预决算栏目。

    合规示例：链接有机构职能、政策文件、规划计划、统计信息和财政预决算栏目。
    """

    code = "WEB-15"
    name = "website.statutory_columns"
    title = "法定主动公开栏目"
    severity = Severity.MEDIUM
    legal_basis = LegalBasis("第二十条；国办公开办函〔2019〕61号")
    subject = "site"
    config_keys = {"items": DEFAULT_ITEMS}

    @classmethod
    def option_problem(cls, options):
        items = options.get("items", {})
        if not isinstance(items, dict):
            return "items must be a table of {title, pattern, applies}"
        for key, item in items.items():
            if not isinstance(item, dict) or "pattern" not in item:
                return f"items.{key} needs a pattern (and applies)"
            problem = option_problem(item, ("pattern",))
            if problem:
                return f"items.{key}: {problem}"
            applies = item.get("applies", [])
            if not isinstance(applies, list) or set(applies) - set(UNIT_TYPES):
                return (f"items.{key}.applies must list body types among "
                        f"{', '.join(UNIT_TYPES)}")
        return None

    def check(self, ctx: SiteContext):
        if not reached(ctx) or ctx.columns is None:
            return
        unit = ctx.unit_type
        if unit not in UNIT_TYPE_LABELS or unit == "unknown":
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                "未能判断网站主办机关的类型（部门、本级人民政府或乡镇街道），无法确定应设置的法定主动公开栏目"
                "（可在配置中为站点指定单位类型）。",
                evidence={"unit_type": unit}, discriminator="unit")
            return
        names = [n for n, _ in _names(ctx)]
        missing = []
        for key, item in (self.options["items"] or {}).items():
            if unit not in (item.get("applies") or []):
                continue
            pattern = re.compile(str(item["pattern"]))
            if not any(pattern.search(n) for n in names):
                missing.append((key, item))
        if not missing:
            return
        doubt = area_doubt(ctx)
        titles = [str(item.get("title") or key) for key, item in missing]
        if doubt:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                f"未找到以下法定主动公开内容的栏目：{'；'.join(titles)}（{doubt}，无法断定缺失）。",
                evidence={"missing": titles, "doubt": doubt,
                          "unit_type": unit}, discriminator="doubt")
            return
        for (key, item), title in zip(missing, titles, strict=True):
            yield self.finding(
                ctx, Status.VIOLATION,
                f"政府信息公开专栏的栏目导航已全部读取，未找到{UNIT_TYPE_LABELS[unit]}应设置的法定主动公开内容栏目："
                f"{title}。",
                evidence={"item": key, "pattern": str(item["pattern"]), "unit_type": unit},
                discriminator=f"item:{key}")


# ---------------------------------------------------------------- WEB-17 页脚标识

FOOTER_MARKS = {
    "网站标识码": re.compile(r"网站标识码|网站识别码"),
    "ICP备案号": re.compile(r"ICP\s*(?:备|证|许可)|ICP备案", re.I),
    "公安机关备案号": re.compile(r"公网安备|公安机关备案|公安备案|网安备"),
}


class FooterIdentifiers(Rule):
    """网站页脚应标注网站标识码、ICP备案号和公安机关备案号。

    为什么：《政府网站发展指引》要求页面底部功能区标注网站标识码以及 ICP 备案号和公安机关备案号，便
    于访问者识别官方网站。从首页页脚读取（标记为页脚的元素，没有的取页面末尾）。首页无法读取，或几乎
    没有文字（由脚本生成）的，为“无法评估”。

    依据：《政府网站发展指引》（国办发〔2017〕47号）页面底部功能区（条文未核实）。

    违规示例：页脚有“网站标识码：3500000001　闽ICP备05012345号”，但没有公网安备号。

    合规示例：“网站标识码：3500000001　闽ICP备05012345号　闽公网安备 35010202000123号”。
    """

    code = "WEB-17"
    name = "website.footer_identifiers"
    title = "页脚标识"
    severity = Severity.LOW
    legal_basis = LegalBasis("页面底部功能区", "政府网站发展指引（国办发〔2017〕47号）",
                             verified=False)
    subject = "site"

    def check(self, ctx: SiteContext):
        if not reached(ctx):
            return
        homes = list(ctx.home_pages)
        if not homes:
            yield self.finding(ctx, Status.NOT_ASSESSABLE, "首页未能读取，无法核对页脚标识。",
                               discriminator="footer")
            return
        homes = [p for p in homes if len(p.footer.strip()) >= 4]
        if not homes:
            yield self.finding(
                ctx, Status.NOT_ASSESSABLE,
                "首页几乎没有可读的文字（页面可能由脚本生成），无法核对页脚标识。",
                url=ctx.home_pages[0].url, discriminator="footer")
            return
        footer = " ".join(p.footer for p in homes)
        missing = [name for name, pattern in FOOTER_MARKS.items() if not pattern.search(footer)]
        if missing:
            yield self.finding(
                ctx, Status.VIOLATION, f"首页页脚未标注{'、'.join(missing)}。",
                url=homes[0].url, evidence={"missing": missing, "footer": footer[-300:]},
                discriminator="footer")


# ---------------------------------------------------------------- WEB-03 域名规范

_GOV = re.compile(r"\.gov\.cn$|\.政务\.cn$|\.政务$|\.xn--zfr164b\.cn$|\.xn--zfr164b$")


def _host(value: str) -> str:
    value = value.strip()
    if "//" not in value:
        value = "//" + value
    return (urlsplit(value).hostname or "").lower().rstrip(".")


class DomainName(Rule):
    """政府网站应使用以.gov.cn为后缀的英文域名（或符合要求的中文“.政务”域名），页面标签 SiteDomain 应与之一致。

    为什么：《政府网站发展指引》规定：“政府网站要使用以.gov.cn为后缀的英文域名和符合要求的中文域名，
    不得使用其他后缀的英文域名”。判断对象为检查时访问的主机名；通过 IP 地址或 `localhost` 访问的网站
    （镜像、测试服务器），按其页面在 SiteDomain 中声明的域名判断，页面未声明的为“无法评估”。
    SiteDomain 标签所写主机与实际检查的主机不同的，也属违规（严重程度低）。

    依据：《政府网站发展指引》（国办发〔2017〕47号）域名规范。

    违规示例：县级门户网站使用 www.hmxzf.com；www.heming.gov.cn 的页面标注 SiteDomain
    “www.hm.gov.cn”。

    合规示例：www.heming.gov.cn，其页面标注 SiteDomain“www.heming.gov.cn”。
    """

    code = "WEB-03"
    name = "website.domain_name"
    title = "域名规范"
    severity = Severity.LOW
    legal_basis = LegalBasis("域名规范", "政府网站发展指引（国办发〔2017〕47号）")
    subject = "site"

    def check(self, ctx: SiteContext):
        if not reached(ctx):
            return
        declared = Counter(_host(d) for d in ctx.site_domains if _host(d))
        tag = declared.most_common(1)[0][0] if declared else None
        host = _host(ctx.start_url)
        if host_is_address(ctx.start_url):
            if tag is None:
                yield self.finding(
                    ctx, Status.NOT_ASSESSABLE,
                    f"站点以地址 {host} 访问，页面未声明域名（SiteDomain），无法判断域名是否规范。",
                    evidence={"host": host}, discriminator="domain")
                return
            judged, how = tag, f"页面标签 SiteDomain（站点以地址 {host} 访问）"
        else:
            judged, how = host, "访问域名"
        evidence = {"domain": judged, "from": how, "site_domain": tag}
        if not _GOV.search(judged):
            yield self.finding(
                ctx, Status.VIOLATION,
                f"网站域名 {judged}（{how}）不是以.gov.cn为后缀的政府网站域名。",
                evidence=evidence, discriminator="domain")
        if tag and not host_is_address(ctx.start_url) and tag != host:
            yield self.finding(
                ctx, Status.VIOLATION,
                f"页面标签 SiteDomain“{tag}”与网站实际域名 {host} 不一致。",
                evidence=evidence, discriminator="site-domain")


PLATFORM_RULES = [DomainName, DisclosureGuide, DisclosureCatalogue, ApplicationChannel,
                  StatutoryColumns, FooterIdentifiers]
