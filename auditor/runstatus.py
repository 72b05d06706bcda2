"""Whether a crawl run saw its site, what its status is called, and which of the site's runs
it is.

A run whose start page(s) could not be fetched (network error, DNS, refused, timeout, blocked,
robots.txt, an HTTP error or an off-site redirect on the start URL), or that fetched no page at
all, is ``failed``: it is not a clean pass, and it is never the run a later one is compared
with — that is the last run that actually saw the site. :func:`auditor.scan.crawl` stores the
status when the crawl ends; runs stored before ``failed`` existed (as ``finished``) are
recognised here from their pages.

Run statuses (``runs.status``): ``running``, ``finished``, ``failed``, ``interrupted``,
``crashed``.
"""

from __future__ import annotations

from dataclasses import replace

from .store import RunRecord, Store
from .vocabulary import FETCH_OUTCOME_LABELS, RUN_STATUS_LABELS

RUN_STATUS_CN = RUN_STATUS_LABELS
_OUTCOME_CN = FETCH_OUTCOME_LABELS


def unreachable_reason(store: Store, run_id: int) -> str | None:
    """Why the run did not reach its site (start pages not fetched, or nothing fetched at all);
    None when it did."""
    homes = store.pages(run_id, ("home",))
    if homes and not any(p.outcome == "ok" for p in homes):
        reasons = [p.error or (f"HTTP {p.status}" if p.status else
                               _OUTCOME_CN.get(p.outcome, p.outcome)) for p in homes]
        if len(homes) == 1:
            return f"起始页无法访问：{reasons[0]}"
        return "起始页均无法访问：" + "；".join(f"{p.url} {why}"
                                          for p, why in zip(homes, reasons, strict=True))
    if not store.page_counts(run_id).get("ok"):
        return "未能成功抓取任何页面" if homes else "未抓取到任何页面"
    return None


def effective(store: Store, run: RunRecord) -> RunRecord:
    """The run with the status it deserves: a run stored as ``finished`` that never reached its
    site (stored before ``failed`` existed) is ``failed``; a failed run's ``stats["failure"]``
    says why."""
    if run.status == "finished" or (run.status == "failed" and not run.stats.get("failure")):
        reason = unreachable_reason(store, run.id)
        if reason:
            return replace(run, status="failed", stats={**run.stats, "failure": reason})
    return run


def saw_site(store: Store, run: RunRecord) -> bool:
    """Did the run reach its site, so that what it did not find can be called gone?"""
    return run.status not in ("failed", "running") and unreachable_reason(store, run.id) is None


def failure_of(run: RunRecord) -> str | None:
    return run.stats.get("failure") if run.status == "failed" else None


def status_label(status: str) -> str:
    return RUN_STATUS_CN.get(status, status)


def site_run_numbers(store: Store, site: str) -> dict[int, int]:
    """Run id -> which run of the site it is (1, 2, 3 …; failed runs count)."""
    return {run_id: number for number, run_id in enumerate(store.run_ids(site), start=1)}


def site_run_number(store: Store, run_id: int) -> int | None:
    run = store.run(run_id)
    return site_run_numbers(store, run.site).get(run_id) if run else None


def run_label(number: int | None, run_id: int, *details: str) -> str:
    """“第 3 次抓取（运行编号 12）”: the site's own count, and the run id for the commands;
    ``details`` go inside the brackets."""
    inside = "，".join([f"运行编号 {run_id}", *details])
    return f"第 {number} 次抓取（{inside}）" if number is not None else inside
