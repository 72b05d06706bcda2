"""Rule base class, the audit context and the engine that runs rules over a report.

Rules never do I/O: everything they need (the parsed report, last year's report, the publish
date, the unit type, the working-day calendar, their options) comes in the context.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .calendar import WorkCalendar
from .findings import Finding, LegalBasis, Location, Severity, Status, for_format
from .models import AnnualReport
from .timefmt import today as china_today
from .vocabulary import UNIT_TYPE_LABELS, location_label, unit_type_key  # noqa: F401

#: Sections every rule docstring must have (checked by a test; printed by `auditor rule`).
DOC_SECTIONS = ("为什么：", "依据：", "违规示例：", "合规示例：")

UNIT_TYPES = ("department", "government", "township", "other")


@dataclass(frozen=True)
class ReportContext:
    """Everything a report rule may look at."""

    report: AnnualReport
    previous: AnnualReport | None = None
    published: dt.date | None = None
    published_source: str | None = None
    unit_type: str = "other"
    unit_type_source: str = "inferred"
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    url: str | None = None
    today: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class DocumentContext:
    """A crawled document page: its dates with evidence and its page tags."""

    url: str
    title: str | None
    column: str | None
    issued: Any | None  # DateEvidence
    published: Any | None  # DateEvidence
    candidates: tuple[Any, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    fetched: dt.date = field(default_factory=dt.date.today)
    kind: str = "document"
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    today: dt.date = field(default_factory=dt.date.today)
    #: The page builds its content by script: a date it does not carry in its HTML may still
    #: be shown to readers, so its absence is not evidence.
    script_built: bool = False


@dataclass(frozen=True)
class SiteContext:
    """A whole crawl run: every page, every document, every annual report found."""

    start_url: str
    run_status: str
    pages: tuple[Any, ...]  # PageRecord, with the kind its own evidence gives it
    documents: tuple[DocumentContext, ...]
    reports: tuple[tuple[str, AnnualReport], ...]
    unit_type: str
    report_column_found: bool
    footer_codes: dict[str, str] = field(default_factory=dict)
    unparseable: tuple[tuple[str, str], ...] = ()  # (url, why)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    today: dt.date = field(default_factory=dt.date.today)
    max_pages: int | None = None
    #: Coverage of every column found (auditor.coverage.ColumnCoverage); ``None`` for a
    #: context built without list evidence (then absence is never a violation).
    columns: tuple[Any, ...] | None = None
    #: Page tags of every page that is not a document: (url, kind, meta).
    page_tags: tuple[tuple[str, str, dict[str, str]], ...] = ()
    #: How the unit type was decided: "configured", "inferred: <evidence>" or "unknown".
    unit_type_source: str = "configured"
    #: What the crawl decided on its own (auditor.spiders.runner): close_reason, hosts,
    #: stopped_lists, trap_patterns.
    crawl_notes: dict[str, Any] = field(default_factory=dict)
    #: The start page(s) as the website indicators read them (auditor.sitefacts.SitePage,
    #: with their dated links): 首页更新 (WEB-05), 页脚标识 (WEB-17).
    home_pages: tuple[Any, ...] = ()
    #: Pages of the 指南, 目录, 依申请公开 and 政务咨询 areas, with their text (SitePage).
    site_pages: tuple[Any, ...] = ()
    #: Link texts of the navigation pages (home, column pages): (page url, text, target url).
    nav_links: tuple[tuple[str, str, str], ...] = ()
    #: Values of the SiteDomain page tag seen on the site.
    site_domains: tuple[str, ...] = ()
    #: The 目录 parts (索引, 名称, 内容概述, 生成日期) each document page shows, by URL.
    document_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.start_url


class Rule:
    """Base class. Subclasses set the metadata and implement :meth:`check` for their
    ``subject``; a rule that also applies to another subject lists it in ``extra_subjects``
    and implements ``check_<subject>``."""

    code: ClassVar[str]
    name: ClassVar[str]
    title: ClassVar[str]  # Chinese short title
    severity: ClassVar[Severity]
    legal_basis: ClassVar[LegalBasis]
    status: ClassVar[str] = "stable"  # or "preview"
    #: Option name -> default value; set in auditor.toml under [rules.CODE].
    config_keys: ClassVar[dict[str, Any]] = {}
    #: "report" (one report), "report_pair" (a report and the previous year's), "document"
    #: (a crawled document page) or "site" (a whole crawl run).
    subject: ClassVar[str] = "report"
    extra_subjects: ClassVar[tuple[str, ...]] = ()
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Whether the rule applies to legacy (≤2018, pre-format) reports, which have no national
    #: tables or six parts.
    legacy: ClassVar[bool] = False
    #: Whether the rule can judge a report the parser could not read (image-only input).
    unreadable_input: ClassVar[bool] = False

    def __init__(self, options: dict[str, Any] | None = None,
                 severity: Severity | None = None) -> None:
        self.options = {**self.config_keys, **(options or {})}
        self.effective_severity = severity or self.severity
        self.severity_overridden = severity is not None

    @property
    def family(self) -> str:
        return self.code.split("-")[0]

    def check(self, ctx: ReportContext) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def option_problem(cls, options: dict[str, Any]) -> str | None:
        """What is wrong with configured option values (``None`` when nothing): checked when
        the config is loaded, so a bad value is a one-line config error, not a failed rule."""
        return None

    def finding(self, ctx: ReportContext, status: Status, message: str, *,
                section: str | None = None, table: str | None = None, row: str | None = None,
                column: str | None = None, line: int | None = None,
                evidence: dict[str, Any] | None = None, discriminator: str = "",
                url: str | None = None, legal_basis: LegalBasis | None = None) -> Finding:
        # One severity a rule, the same in `auditor rules`, its documentation and every finding
        # (or the one configured for it).
        sev = self.effective_severity
        report = getattr(ctx, "report", None)
        page = None
        if isinstance(report, AnnualReport) and url is None:
            found_line, page = _where_in(report, section, table, row, column)
            line = line or found_line
        label = location_label(table, row, column, report.format if isinstance(
            report, AnnualReport) else None, section=section) if (table or section) else None
        return Finding(
            rule=self.code, name=self.name, status=status, severity=sev, message=message,
            location=Location(url=url or _context_url(ctx), section=section, table=table,
                              row=row, column=column, line=line, page=page, label=label),
            evidence=evidence or {},
            legal_basis=str(for_format(legal_basis or self.legal_basis,
                                       report.format if isinstance(report, AnnualReport) else None)),
            discriminator=discriminator,
        )

    @classmethod
    def doc(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def missing_doc_sections(cls) -> list[str]:
        doc = cls.doc()
        return [s for s in DOC_SECTIONS if s not in doc]


@dataclass
class AuditResult:
    """Findings plus what was and was not looked at; every reporter renders this."""

    findings: list[Finding]
    subjects: list[str]
    rules_run: list[str]
    coverage: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"violation": 0, "needs_review": 0, "not_assessable": 0, "waived": 0}
        for f in self.findings:
            if f.waived:
                out["waived"] += 1
            else:
                out[str(f.status)] += 1
        return out

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": "zwgk-auditor", "version": _version()},
            "subjects": self.subjects,
            "context": self.context,
            "summary": self.counts(),
            "coverage": self.coverage,
            "rules_run": self.rules_run,
            "findings": [f.to_dict() for f in self.findings],
        }


_PAGE = re.compile(r"\bpage (\d+)")


def _where_in(report: AnnualReport, section: str | None, table: str | None, row: str | None,
              column: str | None) -> tuple[int | None, int | None]:
    """The line (and PDF page) of a place in the report: the cell's, else the first read cell
    of its row or table, else the section heading's line."""
    cells = []
    if table:
        prefix = f"{table}.{row}." if row else f"{table}."
        for key, cell in report.iter_cells():
            if key.startswith(prefix) and cell.line:
                if column and key == f"{prefix}{column}":
                    cells.insert(0, cell)
                else:
                    cells.append(cell)
    if cells:
        m = _PAGE.search(cells[0].where or "")
        return cells[0].line, int(m.group(1)) if m else None
    sec = report.sections.get(section or "") if section else None
    return (sec.line if sec is not None else None), None


def _context_url(ctx: Any) -> str | None:
    url = getattr(ctx, "url", None)
    if url:
        return url
    report = getattr(ctx, "report", None)
    return report.source if report is not None else None


def _version() -> str:
    from . import __version__

    return __version__


# ---------------------------------------------------------------- unit type

_TOWNSHIP = re.compile(r"(乡|镇|街道|街道办事处|苏木)(人民政府|办事处)?$")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_PLACE = re.compile(r"(省|自治区|市|自治州|州|地区|盟|县|自治县|旗|区|新区|实验区|示范区|特区)$")


def infer_unit_type(report: AnnualReport) -> str:
    """部门 / 本级政府 / 乡镇街道 / 其他, from the title and issuer (overridable).

    A title naming a place ("平潭综合实验区2021年度…", "XX市2023年…") or a 人民政府 is the level's
    government report; an issuer ending in 局/委/办/中心… is a department.
    """
    from .parse.meta import _TITLE

    names = []
    if report.title:
        m = _TITLE.search(report.title)
        if m:
            names.append(m.group(1))
    if report.issuer:
        names.append(report.issuer)
    for name in names:
        if _TOWNSHIP.search(name):
            return "township"
        if _GOVERNMENT.search(name) or _PLACE.search(name):
            return "government"
    if names:
        return "department"
    return "unknown"


_OPERATOR = re.compile(r"(?:门户网站|网站|办公室|办公厅|信息中心|大数据中心|政务公开办|政务服务中心)$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|厅|署|办|中心|院|所|站|队)$")


def unit_type_of_name(name: str) -> str | None:
    """部门 / 本级政府 / 乡镇街道 from a body's name, or ``None`` when the name does not say.

    A site run by “XX县人民政府办公室” is the county government's portal: the 办公室 operates it,
    so trailing operator words are dropped before the name is judged."""
    name = re.sub(r"\s+", "", name or "")
    core = name
    while True:
        stripped = _OPERATOR.sub("", core)
        if stripped == core or not stripped:
            break
        core = stripped
    if not core:
        return None
    if _TOWNSHIP.search(core) or re.search(r"(乡|镇)人民政府$", core):
        return "township"
    if re.search(r"人民政府$", core) or _PLACE.search(core):
        return "government"
    if _DEPARTMENT.search(core) or _DEPARTMENT.search(name):
        return "department"
    return None


_SPONSOR = re.compile(r"(?:主办单位|主办|网站主办)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})")


def infer_site_unit(site_names: Iterable[str], footers: Iterable[str],
                    titles: Iterable[str]) -> tuple[str | None, str]:
    """The body type of the site's owner from its own evidence: the SiteName tag, the 主办单位
    in the footer, the home page title. Returns (unit type or ``None``, the evidence)."""
    from collections import Counter

    candidates: list[tuple[str, str]] = []
    for name, _ in Counter(n.strip() for n in site_names if n and n.strip()).most_common(2):
        candidates.append((name, f"页面标签 SiteName“{name}”"))
    for text in footers:
        m = _SPONSOR.search(text or "")
        if m:
            candidates.append((m.group(1), f"页脚主办单位“{m.group(1)}”"))
            break
    for title in titles:
        for part in re.split(r"[_|｜\-—\s]+", title or ""):
            if part:
                candidates.append((part, f"首页标题“{title[:30]}”"))
    for name, evidence in candidates:
        unit = unit_type_of_name(name)
        if unit:
            return unit, evidence
    return None, "页面标签、页脚主办单位和首页标题均未表明网站主办机关的类型"


def parse_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    try:
        if not m:
            raise ValueError("use YYYY-MM-DD")
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


def build_context(report: AnnualReport, *, previous: AnnualReport | None = None,
                  published: str | dt.date | None = None, unit_type: str | None = None,
                  calendar: WorkCalendar | None = None, url: str | None = None,
                  today: dt.date | None = None) -> ReportContext:
    pub = parse_date(published)
    pub_source = "指定的发布日期" if pub else None
    if pub is None and report.published:
        pub, pub_source = parse_date(report.published), "页面发布日期"
    if unit_type is not None:
        unit_type = unit_type_key(unit_type)
    return ReportContext(
        report=report, previous=previous, published=pub, published_source=pub_source,
        unit_type=unit_type or infer_unit_type(report),
        unit_type_source="configured" if unit_type else "inferred",
        calendar=calendar or WorkCalendar(), url=url, today=today or china_today(),
    )


def _guarded(rule: Rule, ctx: Any, findings: Iterable[Finding]) -> Iterator[Finding]:
    """A rule that fails on odd data yields a not-assessable finding, never a traceback."""
    try:
        yield from findings
    except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the audit
        yield rule.finding(ctx, Status.NOT_ASSESSABLE,
                           "规则执行出错，未能评估（程序错误，已记录在证据中）。",
                           evidence={"error": repr(exc)[:300]},
                           discriminator="rule-error")


def run_subject(rules: Iterable[Rule], subject: str, ctx: Any) -> Iterator[Finding]:
    """Run every rule that applies to ``subject`` ("document" or "site") on ``ctx``."""
    for rule in rules:
        if rule.subject == subject:
            yield from _guarded(rule, ctx, rule.check(ctx))
        elif subject in rule.extra_subjects:
            yield from _guarded(rule, ctx, getattr(rule, f"check_{subject}")(ctx))


def run_rules(rules: Iterable[Rule], ctx: ReportContext) -> Iterator[Finding]:
    legacy = ctx.report.format == "legacy" or (ctx.report.year or 9999) <= 2018
    unreadable = ctx.report.error is not None
    for rule in rules:
        if unreadable and not rule.unreadable_input:
            continue
        if rule.subject not in ("report", "report_pair"):
            continue
        if rule.subject == "report_pair" and ctx.previous is None:
            continue
        if legacy and not rule.legacy:
            continue
        yield from _guarded(rule, ctx, rule.check(ctx))
