"""Runs over time: findings matched across runs by fingerprint (new / still open / fixed /
waived), first-seen dates, trends, and documents edited or gone after publication.

Everything here reads the SQLite store; nothing fetches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .store import RunRecord, Store

LIFECYCLE_CN = {"new": "新发现", "open": "仍未整改", "fixed": "已整改", "waived": "已豁免"}


@dataclass(frozen=True)
class TrackedFinding:
    """A stored finding with its place in the site's history."""

    finding: dict[str, Any]  # rule, name, status, severity, message, location, evidence,
    #                          legal_basis, fingerprint, waived (as Store.findings yields)
    lifecycle: str  # new, open, fixed, waived
    first_seen: str  # ISO date of the first run of this site that had the fingerprint
    run_id: int  # the run it was last seen in (for fixed: the earlier run)

    @property
    def rule(self) -> str:
        return self.finding["rule"]

    @property
    def url(self) -> str | None:
        return (self.finding.get("location") or {}).get("url")


@dataclass(frozen=True)
class DocumentChange:
    url: str
    title: str | None
    change: str  # "edited" (same URL, different main-text hash) or "disappeared"
    before: str | None  # text hash / status in the earlier run
    after: str | None


@dataclass
class SiteReport:
    """One site's latest run compared with its previous run: what reports are rendered from."""

    site_id: str
    unit_name: str
    unit_type: str | None
    site_code: str | None
    run: RunRecord
    previous: RunRecord | None
    findings: list[TrackedFinding]
    coverage: dict[str, Any] = field(default_factory=dict)
    changes: list[DocumentChange] = field(default_factory=list)

    def counts(self, which: str = "now") -> dict[str, int]:
        """Active findings by status in this run ('now') or the previous one ('before')."""
        out = {"violation": 0, "needs_review": 0, "not_assessable": 0}
        for tracked in self.findings:
            if tracked.lifecycle == "waived":
                continue
            if which == "now" and tracked.lifecycle in ("new", "open"):
                out[tracked.finding["status"]] += 1
            if which == "before" and tracked.lifecycle in ("open", "fixed"):
                out[tracked.finding["status"]] += 1
        return out

    def lifecycle_counts(self) -> dict[str, int]:
        out = {k: 0 for k in LIFECYCLE_CN}
        for tracked in self.findings:
            out[tracked.lifecycle] += 1
        return out


def run_date(run: RunRecord) -> str:
    return run.started_at[:10]


def first_seen(store: Store, site: str) -> dict[str, str]:
    """Fingerprint -> date of the first run of ``site`` in which it was found."""
    rows = store.db.execute(
        "SELECT f.fingerprint, MIN(r.started_at) FROM findings f JOIN runs r ON r.id = f.run_id "
        "WHERE r.site = ? GROUP BY f.fingerprint", (site,))
    return {fp: started[:10] for fp, started in rows}


def compare(store: Store, run_a: int | None, run_b: int) -> list[TrackedFinding]:
    """Findings of ``run_b`` against ``run_a``: new, still open, waived, and fixed (in A only)."""
    run = store.run(run_b)
    seen = first_seen(store, run.site) if run else {}
    before = {f["fingerprint"]: f for f in store.findings(run_a)} if run_a else {}
    after = {f["fingerprint"]: f for f in store.findings(run_b)}
    out = []
    for fp, f in after.items():
        if f.get("waived"):
            state = "waived"
        else:
            state = "open" if fp in before and not before[fp].get("waived") else "new"
        out.append(TrackedFinding(f, state, seen.get(fp, run_date(run)), run_b))
    for fp, f in before.items():
        if fp not in after and not f.get("waived") and f["status"] != "not_assessable":
            out.append(TrackedFinding(f, "fixed", seen.get(fp, ""), run_a))
    return out


def document_changes(store: Store, run_a: int, run_b: int) -> list[DocumentChange]:
    """Documents whose main text changed after publication, or that are gone, between runs."""
    before = {d["url"]: d for d in store.documents(run_a)}
    after = {d["url"]: d for d in store.documents(run_b)}
    pages_b = {p.url: p for p in store.pages(run_b)}
    out = []
    for url, doc in before.items():
        if url in after:
            if doc["text_hash"] and after[url]["text_hash"] and \
                    doc["text_hash"] != after[url]["text_hash"]:
                out.append(DocumentChange(url, after[url]["title"] or doc["title"], "edited",
                                          doc["text_hash"][:12], after[url]["text_hash"][:12]))
        else:
            page = pages_b.get(url)
            status = (f"HTTP {page.status}" if page and page.status else
                      (page.outcome if page else "不再列出"))
            if page is None or page.outcome in ("http_error",) or page.status in (404, 410):
                out.append(DocumentChange(url, doc["title"], "disappeared", "ok", status))
    return out


def previous_run(store: Store, run_id: int) -> RunRecord | None:
    run = store.run(run_id)
    if run is None:
        return None
    row = store.db.execute("SELECT MAX(id) FROM runs WHERE site = ? AND id < ? AND status IN "
                           "('finished', 'interrupted', 'crashed')", (run.site, run_id)).fetchone()
    return store.run(row[0]) if row and row[0] else None


def latest_run(store: Store, site: str) -> RunRecord | None:
    row = store.db.execute("SELECT MAX(id) FROM runs WHERE site = ?", (site,)).fetchone()
    return store.run(row[0]) if row and row[0] else None


def site_report(store: Store, run_id: int, *, site_id: str | None = None,
                unit_name: str | None = None, unit_type: str | None = None,
                site_code: str | None = None, coverage: dict[str, Any] | None = None
                ) -> SiteReport:
    run = store.run(run_id)
    if run is None:
        raise KeyError(f"no run {run_id}")
    prev = previous_run(store, run_id)
    tracked = compare(store, prev.id if prev else None, run_id)
    changes = document_changes(store, prev.id, run_id) if prev else []
    return SiteReport(site_id or run.site, unit_name or run.site, unit_type, site_code, run, prev,
                      tracked, coverage or run.stats.get("coverage", {}), changes)


def rectification_deadline(notice: dt.date, days: int, calendar) -> dt.date:
    """整改期限: ``days`` working days after the notice date (day 1 = the next working day)."""
    return calendar.nth_workday_after(notice, days)
