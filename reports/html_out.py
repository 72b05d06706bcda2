"""A printable Chinese HTML report of scheduled audits: one section per unit.

Rendered with Jinja2 from ``templates/report.html.j2`` with autoescaping on, so scraped titles,
messages and evidence (hostile text such as ``<script>``) come out as text. The template has no
script and loads nothing from outside: the file can be opened offline or printed to A4 (each unit
starts on a new page).

What a reader must never miss is up front: the overview table has each unit's counts now, the
change since the previous run that reached the site and whether the crawl saw everything — a run
that could not see everything is marked as such, never shown as clean, and a run that could not
reach the site at all is 抓取失败, with last run's problems listed as 未能复查 (not fixed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from auditor.findings import basis_line
from auditor.history import LIFECYCLE_CN, SiteReport, TrackedFinding
from auditor.models import AnnualReport
from auditor.runstatus import run_label
from auditor.timefmt import today as china_today

from .table_picture import PICTURED, picture_of
from .xlsx_out import (
    CHANGE_CN,
    RUN_STATUS_CN,
    STATUS_SHORT,
    active,
    closed,
    column_text,
    comparison_note,
    coverage_notes,
    coverage_summary,
    finding_evidence,
    rule_title,
    run_day,
    severity_label,
    status_label,
    title_text,
    trend,
    unit_type_label,
)

TEMPLATES = Path(__file__).with_name("templates")


def pictured_urls(report: SiteReport) -> set[str]:
    """The report pages whose tables the HTML report draws for this unit's findings."""
    return {t.url for t in active(report) if t.url and t.rule.split("-")[0] in PICTURED}


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["signed"] = _signed
    return env


def _signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("±0" if value == 0 else str(value))


def _finding_view(t: TrackedFinding, report: SiteReport,
                  parsed: dict[str, AnnualReport] | None = None) -> dict[str, Any]:
    f = t.finding
    last = report.run if t.run_id == report.run.id else report.previous
    return {
        "rule": f["rule"], "rule_title": rule_title(f["rule"], f.get("name", "")),
        "status": f["status"], "status_label": status_label(f["status"]),
        "severity": f["severity"], "severity_label": severity_label(f["severity"]),
        "lifecycle": t.lifecycle, "lifecycle_label": LIFECYCLE_CN.get(t.lifecycle, t.lifecycle),
        "message": f.get("message", ""), "where": column_text(f), "title": title_text(f),
        "url": t.url or "", "legal_basis": basis_line(f.get("legal_basis", ""))[1],
        "basis_heading": basis_line(f.get("legal_basis", ""))[0],
        "evidence": finding_evidence(f), "waived": f.get("waived") or "",
        "first_seen": t.first_seen or "", "last_seen": run_day(last) if last else "",
        "picture": picture_of(f, (parsed or {}).get(t.url or "")),
    }


_SCORE_CLASS = {"合格": "pass", "不合格": "fail", "无法评估": "na", "需人工复核": "review",
                "需人工核查": "manual", "已豁免": "waived", "未运行": "na"}


def _score_view(report: SiteReport, score: dict[str, Any] | None) -> dict[str, Any]:
    """The unit's 检查指标 scorecard (auditor.score) as rows for the template."""
    from auditor.score import scorecard_of_report

    card = scorecard_of_report(report, config_score=score)
    sections = []
    for kind, title in (("veto", "单项否决指标"), ("deduct", "扣分指标"),
                        ("check", "政府信息公开专栏与网站规范")):
        rows = []
        for line in card.of(kind):
            rows.append({
                "group": line.item.group, "name": line.item.name,
                "criterion": line.item.criterion, "result": line.result,
                "css": _SCORE_CLASS.get(line.result, "na"),
                "points": (f"{line.points:g}" if kind != "veto" and line.result not in (
                    "需人工核查", "未运行") else ""),
                "note": line.note,
                "findings": [{"rule": f.rule, "status": status_label(f.status),
                              "points": f"−{f.points:g}" if f.points else "",
                              "waived": f.waived or "", "note": f.note,
                              "message": f.message, "url": f.url or ""}
                             for f in line.findings]})
        sections.append({"title": title, "kind": kind, "rows": rows})
    return {"verdict": card.verdict, "verdict_text": card.verdict_text,
            "as_of": card.as_of or "", "full_marks": f"{card.full_marks:g}",
            "deducted": f"{card.deducted:g}", "score": f"{card.score:g}",
            "pass_mark": f"{card.pass_mark:g}", "sections": sections, "notes": card.notes}


def _unit_view(report: SiteReport, index: int, score: dict[str, Any] | None = None,
               parsed: dict[str, AnnualReport] | None = None) -> dict[str, Any]:
    now, change = report.counts("now"), trend(report)
    notes = coverage_notes(report)
    return {
        "anchor": f"unit-{index}", "name": report.unit_name, "site_id": report.site_id,
        "site_code": report.site_code or "", "unit_type": unit_type_label(report.unit_type),
        "start_url": report.run.start_url, "run_id": report.run.id,
        "run_day": run_day(report.run),
        "run_status": RUN_STATUS_CN.get(report.run.status, report.run.status),
        "run_text": run_label(report.run_number, report.run.id),
        "failed": report.failed, "failure": report.failure or "",
        "previous_day": run_day(report.previous) if report.previous else "",
        "previous_id": report.previous.id if report.previous else None,
        "previous_text": run_label(report.previous_number, report.previous.id)
        if report.previous else "",
        "comparison": comparison_note(report),
        "counts": now, "change": change, "lifecycle": report.lifecycle_counts(),
        "notes": notes, "complete": not notes, "coverage_summary": coverage_summary(report),
        "columns": [{"name": c.get("name") or c.get("url"), "url": c.get("url", ""),
                     "state": c.get("state", ""), "state_label": c.get("state_label", ""),
                     "listed": c.get("items_listed", 0), "fetched": c.get("items_fetched", 0),
                     "dated": c.get("items_dated", 0), "found_by": c.get("found_by", ""),
                     "reasons": "；".join(c.get("reasons") or [])}
                    for c in (report.coverage or {}).get("columns") or []],
        "active": [_finding_view(t, report, parsed) for t in active(report)],
        "fixed": [_finding_view(t, report) for t in closed(report) if t.lifecycle == "fixed"],
        "assessable": [_finding_view(t, report) for t in closed(report)
                       if t.lifecycle == "na_assessable"],
        "waived": [_finding_view(t, report) for t in closed(report) if t.lifecycle == "waived"],
        "changes": [{"title": c.title or "", "url": c.url,
                     "change": CHANGE_CN.get(c.change, c.change), "kind": c.change,
                     "before": c.before or "", "after": c.after or ""} for c in report.changes],
        "score": _score_view(report, score),
    }


def render_html(reports: list[SiteReport], *, title: str = "政府网站政务公开检查报告",
                generated: dt.date | None = None, score: dict[str, Any] | None = None,
                parsed: dict[str, AnnualReport] | None = None) -> str:
    """The whole report as one self-contained HTML page (UTF-8, no scripts, print CSS for A4).
    ``score`` is the [score] table of the config (the 检查指标 amounts); ``parsed`` the annual
    reports the findings are about, by URL (:func:`auditor.stored_reports.stored_reports`):
    with them, a table or narrative finding shows the table as the report printed it, its
    cells marked (:mod:`.table_picture`)."""
    units = [_unit_view(r, i, score, parsed) for i, r in enumerate(reports, start=1)]
    totals = {k: sum(u["counts"][k] for u in units) for k in STATUS_SHORT}
    totals["unchecked"] = sum(u["lifecycle"]["unchecked"] for u in units)
    failed = [u["name"] for u in units if u["failed"]]
    incomplete = [u["name"] for u in units if not u["complete"] and not u["failed"]]
    template = _environment().get_template("report.html.j2")
    return template.render(title=title, generated=(generated or china_today()).isoformat(),
                           units=units, totals=totals, incomplete=incomplete, failed=failed,
                           status_short=STATUS_SHORT, lifecycle_cn=LIFECYCLE_CN)
