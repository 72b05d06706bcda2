"""The library entry points for auditing reports: :func:`check_report` (pure) and
:func:`check` (reads a file or URL first). Both return an :class:`AuditResult`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from .calendar import WorkCalendar
from .config import Config, load_config
from .engine import AuditResult, Rule, build_context, run_rules
from .fetch import FetchError, read_target
from .findings import Finding, Status
from .models import AnnualReport

STATUS_ORDER = {Status.VIOLATION: 0, Status.NEEDS_REVIEW: 1, Status.NOT_ASSESSABLE: 2}


def instantiate(config: Config) -> list[Rule]:
    from auditor.rules import select

    return [rule_cls(config.rule_options.get(rule_cls.code), config.severity.get(rule_cls.code))
            for rule_cls in select(config.select, config.ignore)]


def apply_waivers(findings: Iterable[Finding], config: Config, today: dt.date) -> list[Finding]:
    """Findings a configured waiver covers, marked waived with its reason (kept visible)."""
    out = []
    for finding in findings:
        waiver = next((w for w in config.waivers if w.covers(finding, today)), None)
        out.append(replace(finding, waived=waiver.reason) if waiver and not finding.waived
                   else finding)
    return out


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, STATUS_ORDER[f.status], f.rule,
                                           f.location.key(), f.discriminator))


def check_report(report: AnnualReport, *, previous: AnnualReport | None = None,
                 published: str | dt.date | None = None, unit_type: str | None = None,
                 config: Config | None = None, calendar: WorkCalendar | None = None,
                 today: dt.date | None = None) -> AuditResult:
    """Run the selected rules over one parsed report (and the previous year's, if given)."""
    config = config or Config()
    ctx = build_context(report, previous=previous, published=published, unit_type=unit_type,
                        calendar=calendar, today=today)
    rules = instantiate(config)
    findings = sort_findings(apply_waivers(run_rules(rules, ctx), config, ctx.today))
    unknown = sum(1 for _, c in report.iter_cells() if c.value is None)
    legacy = report.format == "legacy" or (report.year or 9999) <= 2018
    coverage = {
        "documents": 1,
        "legacy_report": legacy,
        "parse_warnings": list(report.warnings),
        "unknown_cells": unknown,
        "rules_skipped_without_previous": [r.code for r in rules
                                           if r.subject == "report_pair" and previous is None],
        "complete": report.error is None and unknown == 0 and not any(
            f.status == Status.NOT_ASSESSABLE for f in findings),
    }
    if report.error:
        coverage["unreadable"] = report.error
    context = {
        "report": {"source": report.source, "title": report.title, "issuer": report.issuer,
                   "year": report.year, "format": report.format},
        "previous": previous.source if previous else None,
        "published": ctx.published.isoformat() if ctx.published else None,
        "published_from": ctx.published_source,
        "unit_type": ctx.unit_type,
        "unit_type_source": ctx.unit_type_source,
        "as_of": ctx.today.isoformat(),
        "fail_on": str(config.fail_on),
    }
    return AuditResult(findings, [report.source or "<report>"], [r.code for r in rules],
                       coverage, context)


def load_report(target: str) -> AnnualReport:
    """Read and parse a report file or URL; raises :class:`FetchError` with a one-line reason,
    also when the input is something else than an annual report (a column list page, a home
    page, an article, an image with no text to audit): what it is, from its own evidence."""
    from .parse import parse_page_report
    from .parse.page import read_page

    page = read_page(read_target(target), target, reached_as="document")
    report = parse_page_report(page)
    if report.input_kind == "image":
        raise FetchError(f"{target}: 图片文件，没有可检查的文字（{report.error}）")
    what = not_a_report(page, report)
    if what:
        raise FetchError(f"{target}: {what}，不是政府信息公开工作年度报告，无法检查")
    if report.error:
        raise FetchError(f"{target}: {report.error}")
    return report


def not_a_report(page, report: AnnualReport) -> str | None:
    """What an HTML page is when it is not an annual report (``None`` when it is one).

    A page whose own evidence says report, or whose text has the report's parts or tables, is
    a report; a list, home, article or other page without them is named with its cue."""
    if not page.is_html or page.kind.kind == "report":
        return None
    sections = sum(1 for s in report.sections.values() if s.found)
    tables = any(c.value is not None for _, c in report.iter_cells())
    if sections >= 3 or tables:
        return None
    kind = page.kind
    if kind.kind in ("list", "home"):
        from auditor.spiders.adapters import read_list

        listed = len(read_list(page).items) or page.dated_links
        count = f"，列出{listed}条" if listed else ""
        what = "栏目列表页" if kind.kind == "list" else "网站首页"
        return f"这是{what}（{kind.cue}{count}）"
    if kind.kind == "document":
        return f"这是文章页“{(page.heading or page.title or '')[:40]}”（{kind.cue}）"
    return f"这是{kind.describe()}"


def check(target: str | AnnualReport, *, previous: str | AnnualReport | None = None,
          published: str | dt.date | None = None, unit_type: str | None = None,
          config: Config | str | None = None, today: dt.date | None = None) -> AuditResult:
    """Audit a report given as a path, a URL or an already parsed :class:`AnnualReport`."""
    report = load_report(target) if isinstance(target, str) else target
    prev = load_report(previous) if isinstance(previous, str) else previous
    if not isinstance(config, Config):
        config = load_config(config)
    return check_report(report, previous=prev, published=published, unit_type=unit_type,
                        config=config, today=today)


def exit_code(result: AuditResult, fail_on=None) -> int:
    """0 when no active violation is at or above ``fail_on``, else 1."""
    from .findings import Severity

    threshold = Severity(fail_on or result.context.get("fail_on", "high"))
    failing = [f for f in result.active()
               if f.status == Status.VIOLATION and f.severity.rank >= threshold.rank]
    return 1 if failing else 0
