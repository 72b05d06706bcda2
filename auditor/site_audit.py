"""Audit a stored crawl run, offline: dates of every document, the annual reports found, the
site-level rules and what the crawl could not see. ``auditor audit RUN_ID`` runs this again
with the current rules, without fetching anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from .audit import apply_waivers, check_report, instantiate, sort_findings
from .calendar import WorkCalendar
from .config import Config
from .engine import AuditResult, DocumentContext, SiteContext, infer_unit_type, run_subject
from .findings import Finding, Status
from .models import AnnualReport
from .parse import parse_report
from .parse.page import page_facts
from .store import PageRecord, Store


def _fetched(page: PageRecord) -> dt.date:
    try:
        return dt.datetime.fromisoformat(page.fetched_at).date()
    except ValueError:
        return dt.date.today()


def _has_tables(report: AnnualReport) -> bool:
    return any(c.value is not None for _, c in report.iter_cells())


def audit_run(store: Store, run_id: int, *, config: Config | None = None,
              unit_type: str | None = None, today: dt.date | None = None) -> AuditResult:
    """Findings for a stored run; also written back to the store (replacing earlier ones)."""
    from .parse.dates import extract_dates

    config = config or Config()
    run = store.run(run_id)
    if run is None:
        raise KeyError(f"no run {run_id} in {store.path}")
    today = today or dt.date.today()
    calendar = WorkCalendar()
    pages = store.pages(run_id)
    rules = instantiate(config)

    documents: list[DocumentContext] = []
    footer_codes: dict[str, str] = {}
    reports: list[tuple[str, AnnualReport]] = []
    unparseable: list[tuple[str, str]] = []
    attachments_of: dict[str, list[PageRecord]] = {}
    for page in pages:
        if page.kind == "attachment" and page.referer and page.outcome == "ok" and page.hash:
            attachments_of.setdefault(page.referer, []).append(page)

    for page in pages:
        if page.kind not in ("document", "report") or page.outcome != "ok" or not page.hash:
            continue
        body = store.blob(page.hash) or b""
        url = page.final_url or page.url
        facts = page_facts(body)
        if facts.footer_code:
            footer_codes[url] = facts.footer_code
        dates = extract_dates(body, url=url, list_date=page.list_date)
        title = page.title or dates.title or facts.title
        doc = DocumentContext(url=url, title=title, column=page.column_name, issued=dates.issued,
                              published=dates.published, candidates=tuple(dates.candidates),
                              meta=facts.meta, fetched=_fetched(page), kind=page.kind,
                              calendar=calendar, today=today)
        documents.append(doc)
        store.put_document(
            run_id, url, title=title,
            issued=dates.issued.value.isoformat() if dates.issued else None,
            issued_strategy=dates.issued.strategy if dates.issued else None,
            issued_raw=dates.issued.raw if dates.issued else None,
            published=dates.published.value.isoformat() if dates.published else None,
            published_strategy=dates.published.strategy if dates.published else None,
            published_raw=dates.published.raw if dates.published else None,
            text_hash=facts.text_hash)
        if page.kind == "report":
            report = _read_report(store, page, body, attachments_of.get(page.url, []) +
                                  attachments_of.get(url, []))
            if isinstance(report, str):
                unparseable.append((url, report))
            else:
                if report.published is None and dates.published:
                    report = _with_published(report, dates.published.value.isoformat())
                reports.append((url, report))
    store.commit()

    findings: list[Finding] = []
    for doc in documents:
        findings.extend(run_subject(rules, "document", doc))
    # Annual reports: each with the previous year's report of the site, when found.
    by_year = {r.year: r for _, r in reports if r.year}
    site_unit = unit_type
    for url, report in reports:
        kind = unit_type or infer_unit_type(report)
        site_unit = site_unit or kind
        result = check_report(report, previous=by_year.get((report.year or 0) - 1),
                              unit_type=kind, config=config, calendar=calendar, today=today)
        for f in result.findings:
            if f.location.url != url:  # a report read from an attachment: point at its page
                f = replace(f, location=replace(f.location, url=url))
            findings.append(f)
    site = SiteContext(
        start_url=run.start_url, run_status=run.status, pages=tuple(pages),
        documents=tuple(documents), reports=tuple(reports), unit_type=site_unit or "department",
        report_column_found=any(p.kind == "column" and p.column_name and (
            "年报" in p.column_name or "年度报告" in p.column_name) for p in pages),
        footer_codes=footer_codes, unparseable=tuple(unparseable), calendar=calendar,
        today=today, max_pages=run.options.get("max_pages"))
    findings.extend(run_subject(rules, "site", site))

    findings = apply_waivers(findings, config, today)
    findings = sort_findings(_dedupe(findings))
    store.replace_findings(run_id, findings)
    covered = coverage(run, pages, documents, reports, unparseable, findings)
    store.update_stats(run_id, coverage=covered)
    return AuditResult(findings, [run.start_url], [r.code for r in rules], covered,
                       {"run_id": run_id, "site": run.site, "start_url": run.start_url,
                        "run_status": run.status, "started_at": run.started_at,
                        "unit_type": site_unit or "department",
                        "fail_on": str(config.fail_on)})


def _read_report(store: Store, page: PageRecord, body: bytes,
                 attachments: list[PageRecord]) -> AnnualReport | str:
    """The report on the page, else in its attachments; a string says why none could be read."""
    report = parse_report(body, source=page.final_url or page.url)
    if report.error is None and _has_tables(report):
        return report
    reasons = [report.error or "页面中未找到年报表格"]
    for attachment in attachments:
        data = store.blob(attachment.hash)
        if not data:
            continue
        candidate = parse_report(data, source=attachment.url)
        if candidate.error is None and _has_tables(candidate):
            return candidate
        if candidate.input_kind == "image" and report.error is None and not _has_tables(report):
            return candidate  # a scanned report: STR-10 says it cannot be audited
        reasons.append(f"附件 {attachment.url}：{candidate.error or '未找到年报表格'}")
    if report.error is None and any(s.found for s in report.sections.values()):
        return report  # text without tables: the structure rules will say what is missing
    return "；".join(reasons)


def _with_published(report: AnnualReport, published: str) -> AnnualReport:
    return replace(report, published=published)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if f.fingerprint not in seen:
            seen.add(f.fingerprint)
            out.append(f)
    return out


def coverage(run, pages: list[PageRecord], documents, reports, unparseable,
             findings: list[Finding]) -> dict[str, Any]:
    by_outcome: dict[str, int] = {}
    for page in pages:
        by_outcome[page.outcome] = by_outcome.get(page.outcome, 0) + 1
    gaps = {k: v for k, v in by_outcome.items()
            if k in ("robots", "timeout", "blocked", "network_error", "redirect_loop")}
    not_assessable = sum(1 for f in findings if f.status == Status.NOT_ASSESSABLE)
    budget = run.options.get("max_pages")
    budget_reached = bool(budget) and len(pages) >= budget
    return {
        "run_status": run.status,
        "pages_total": len(pages),
        "pages_fetched": by_outcome.get("ok", 0),
        "http_errors": by_outcome.get("http_error", 0),
        "skipped_robots": by_outcome.get("robots", 0),
        "timeouts": by_outcome.get("timeout", 0),
        "blocked": by_outcome.get("blocked", 0),
        "network_errors": by_outcome.get("network_error", 0),
        "redirect_loops": by_outcome.get("redirect_loop", 0),
        "offsite_skipped": by_outcome.get("offsite", 0),
        "documents": len(documents),
        "reports": len(reports),
        "unparseable_reports": len(unparseable),
        "not_assessable_findings": not_assessable,
        "page_budget_reached": budget_reached,
        "complete": run.status == "finished" and not gaps and not unparseable
        and not budget_reached,
    }
