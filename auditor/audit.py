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
from .parse import parse_report

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
        "fail_on": str(config.fail_on),
    }
    return AuditResult(findings, [report.source or "<report>"], [r.code for r in rules],
                       coverage, context)


def load_report(target: str) -> AnnualReport:
    """Read and parse a report file or URL; raises :class:`FetchError` with a one-line reason."""
    report = parse_report(read_target(target), source=target)
    if report.error and report.input_kind != "image":
        raise FetchError(f"{target}: {report.error}")
    return report  # an image-only report is audited by the rules that can judge it (STR-10)


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
