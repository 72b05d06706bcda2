"""Runs over time: findings matched across runs by fingerprint, first-seen dates, trends,
and documents edited or gone after publication.

A finding of the current run (B) compared with the run before it (A) has one lifecycle:

- violations and items needing review: ``new`` 新发现, ``open`` 仍未整改, ``fixed`` 已整改 (in A;
  B looked at its place and did not find it), ``unchecked`` 未能复查 (in A; B could not look: the
  run failed, the page was not fetched, or B could not assess it), ``waived`` 已豁免;
- not-assessable items (无法评估), which are never open or fixed: ``na_new`` 新增无法评估,
  ``na_open`` 仍无法评估, ``na_assessable`` 已可评估 (B could assess what A could not).

A is the last earlier run of the site that reached it (:func:`previous_run`): a failed run
(:mod:`auditor.runstatus`) is never the baseline, so an unreachable site never makes every
problem look fixed. Fingerprints are the path within the site, not host:port
(:func:`auditor.findings.fingerprint`); rows stored with the older whole-URL fingerprint are
translated when read (:class:`Fingerprints`).

Everything here reads the SQLite store; nothing fetches or writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .findings import Location, fingerprint, legacy_fingerprint, site_path
from .runstatus import effective, failure_of, saw_site, site_run_numbers
from .store import RunRecord, Store
from .timefmt import local_day

LIFECYCLE_CN = {"new": "新发现", "open": "仍未整改", "unchecked": "未能复查", "fixed": "已整改",
                "waived": "已豁免", "na_new": "新增无法评估", "na_open": "仍无法评估",
                "na_assessable": "已可评估"}
#: Lifecycles of what is still to deal with in run B, and of what was dealt with.
ACTIVE = ("new", "open", "unchecked", "na_new", "na_open")
CLOSED = ("fixed", "na_assessable", "waived")
#: Which lifecycles count a finding as present in B ("now") or in A ("before").
_NOW = ("new", "open", "na_new", "na_open")
_BEFORE = ("open", "fixed", "unchecked", "na_open", "na_assessable")


@dataclass(frozen=True)
class TrackedFinding:
    """A stored finding with its place in the site's history."""

    finding: dict[str, Any]  # rule, name, status, severity, message, location, evidence,
    #                          legal_basis, fingerprint, waived (as Store.findings yields; the
    #                          fingerprint is the site fingerprint, recomputed if stored as v1)
    lifecycle: str  # a key of LIFECYCLE_CN
    first_seen: str  # ISO date of the first run of this site that had it (same kind of status)
    run_id: int  # the run it was last seen in (for fixed, unchecked: the earlier run)

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
    """One site's latest run compared with the last earlier run that reached the site."""

    site_id: str
    unit_name: str
    unit_type: str | None
    site_code: str | None
    run: RunRecord
    previous: RunRecord | None
    findings: list[TrackedFinding]
    coverage: dict[str, Any] = field(default_factory=dict)
    changes: list[DocumentChange] = field(default_factory=list)
    #: Which run of the site ``run`` / ``previous`` are (1, 2, 3 …); None when unknown.
    run_number: int | None = None
    previous_number: int | None = None
    #: Runs between ``previous`` and ``run`` that did not reach the site (skipped), with their
    #: numbers.
    skipped: list[tuple[int | None, RunRecord]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """The run did not reach the site: nothing in it was checked."""
        return self.run.status == "failed"

    @property
    def failure(self) -> str | None:
        return failure_of(self.run)

    def counts(self, which: str = "now") -> dict[str, int]:
        """Active findings by status in this run ('now') or the previous one ('before')."""
        out = {"violation": 0, "needs_review": 0, "not_assessable": 0}
        wanted = _NOW if which == "now" else _BEFORE
        for tracked in self.findings:
            if tracked.lifecycle in wanted:
                out[tracked.finding["status"]] += 1
        return out

    def lifecycle_counts(self) -> dict[str, int]:
        out = {k: 0 for k in LIFECYCLE_CN}
        for tracked in self.findings:
            out[tracked.lifecycle] += 1
        return out


def run_date(run: RunRecord) -> str:
    """The day the run started, in China (北京时间)."""
    return local_day(run.started_at)


def _track(finding: dict[str, Any]) -> str:
    """Not-assessable items have a lifecycle of their own, apart from assessed ones."""
    return "na" if finding["status"] == "not_assessable" else "assessed"


def _location(finding: dict[str, Any]) -> Location:
    return Location.from_dict(finding.get("location"))


class Fingerprints:
    """Site fingerprints of stored findings, and first-seen dates; one per command (caches).

    Rows stored since schema 2 keep their discriminator, so their fingerprint is recomputed
    from the row. Older rows (discriminator NULL) hold the v1 fingerprint, which hashed the whole
    URL with its host and port; the discriminator it hashed is recovered by trying the ones the
    same rule wrote in newer rows, the empty one and the row's own labels and evidence values,
    each checked against the stored hash — so a translation is exact or not made. A row that
    cannot be translated keeps its v1 fingerprint (it still matches the same finding of other
    old runs of the site on the same host and port).

    Translating on read rather than migrating the rows: the discriminators come from rows newer
    runs write, so the translation improves as runs are added, and reading commands (history,
    diff, report) never write to a database a scheduled scan may be using.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, list[str]] | None = None
        self._memo: dict[tuple[str, str, str], str] = {}
        self._first_seen: dict[str, dict[tuple[str, str], str]] = {}

    def _known_discriminators(self, rule: str) -> list[str]:
        if self._known is None:
            self._known = {}
            for r, disc in self.store.known_discriminators():
                self._known.setdefault(r, []).append(disc)
        return self._known.get(rule, [])

    def of(self, row: dict[str, Any]) -> str:
        """The site fingerprint of a stored finding row."""
        rule, location = row["rule"], _location(row)
        if row.get("discriminator") is not None:
            return fingerprint(rule, location, row["discriminator"])
        stored = row["fingerprint"]
        memo = (rule, location.key(), stored)
        if memo not in self._memo:
            self._memo[memo] = next(
                (fingerprint(rule, location, d) for d in self._candidates(row)
                 if legacy_fingerprint(rule, location, d) == stored), stored)
        return self._memo[memo]

    def _candidates(self, row: dict[str, Any]) -> Iterable[str]:
        yield ""
        yield from self._known_discriminators(row["rule"])
        loc = row.get("location") or {}
        values = [loc.get("row"), loc.get("section")]
        evidence = row.get("evidence")
        if isinstance(evidence, dict):
            values += [v for v in evidence.values() if isinstance(v, str | int)
                       and not isinstance(v, bool)]
        for value in values:
            if value not in (None, ""):
                yield str(value)

    def findings(self, run_id: int) -> list[dict[str, Any]]:
        """The run's findings as Store.findings yields them, with the site fingerprint."""
        return [{**f, "fingerprint": self.of(f)} for f in self.store.findings(run_id)]

    def first_seen(self, site: str) -> dict[tuple[str, str], str]:
        """(fingerprint, track) -> date of the first run of ``site`` in which it was found."""
        if site not in self._first_seen:
            out: dict[tuple[str, str], str] = {}
            rows = self.store.site_findings(site)
            for rule, status, location, evidence, stored, disc, started in rows:
                row = {"rule": rule, "status": status, "location": json.loads(location),
                       "fingerprint": stored, "discriminator": disc,
                       "evidence": json.loads(evidence) if disc is None else None}
                out.setdefault((self.of(row), _track(row)), local_day(started))
            self._first_seen[site] = out
        return self._first_seen[site]


@dataclass(frozen=True)
class _Sight:
    """What run B could see: whether it reached the site, whether its crawl was complete, and
    the places (paths within the site) it fetched with a definite answer."""

    reached: bool
    complete: bool
    fetched: frozenset[str]

    @classmethod
    def of(cls, store: Store, run: RunRecord) -> _Sight:
        fetched = set()
        for page in store.pages(run.id):
            # ok, or gone for good (404/410); a timeout or a 500 tells nothing about the page.
            if page.outcome == "ok" or page.status in (404, 410):
                fetched.update(site_path(u) for u in (page.url, page.final_url) if u)
        complete = (run.stats.get("coverage") or {}).get("complete") is True
        return cls(saw_site(store, run), complete, frozenset(fetched))

    def saw(self, finding: dict[str, Any]) -> bool:
        """Could run B have found this finding of run A again?"""
        if not self.reached:
            return False
        url = (finding.get("location") or {}).get("url")
        path = site_path(url)
        if not url or path == url:  # a site-wide finding, or not a web page
            return True
        return path in self.fetched or self.complete


def compare(store: Store, run_a: int | None, run_b: int, *,
            fingerprints: Fingerprints | None = None) -> list[TrackedFinding]:
    """Findings of ``run_b`` against ``run_a`` (see the module docstring for the lifecycles)."""
    fps = fingerprints or Fingerprints(store)
    run = store.run(run_b)
    if run is None:
        raise KeyError(f"no run {run_b}")
    seen = fps.first_seen(run.site)
    before = {(f["fingerprint"], _track(f)): f for f in fps.findings(run_a)} if run_a else {}
    after = {(f["fingerprint"], _track(f)): f for f in fps.findings(run_b)}
    sight = _Sight.of(store, effective(store, run))
    today = run_date(run)
    out = []
    for key, f in after.items():
        earlier = before.get(key)
        carried = earlier is not None and not earlier.get("waived")
        if f.get("waived"):
            state = "waived"
        elif key[1] == "na":
            state = "na_open" if carried else "na_new"
        else:
            state = "open" if carried else "new"
        out.append(TrackedFinding(f, state, seen.get(key, today), run_b))
    for key, f in before.items():
        if key in after or f.get("waived"):
            continue
        fp, track = key
        if track == "na":  # B could assess it, or it is still not assessable as far as B knows
            state = "na_assessable" if sight.saw(f) or (fp, "assessed") in after else "na_open"
        else:  # gone, unless B could not have seen it (or could not assess it this time)
            state = "fixed" if sight.saw(f) and (fp, "na") not in after else "unchecked"
        out.append(TrackedFinding(f, state, seen.get(key, ""), run_a))
    return out


def document_changes(store: Store, run_a: int, run_b: int) -> list[DocumentChange]:
    """Documents whose main text changed after publication, or that are gone, between runs.

    Documents are matched by their path within the site. A document of A that B did not fetch
    is "disappeared" only if the site answered 404/410 for it, or B's crawl was complete and no
    longer found it; a run that did not reach the site tells nothing about documents.
    """
    run = store.run(run_b)
    if run is None:
        return []
    sight = _Sight.of(store, effective(store, run))
    if not sight.reached:
        return []
    before = {site_path(d["url"]): d for d in store.documents(run_a)}
    after = {site_path(d["url"]): d for d in store.documents(run_b)}
    pages_b = {}
    for page in store.pages(run_b):
        for u in (page.url, page.final_url):
            if u:
                pages_b.setdefault(site_path(u), page)
    out = []
    for path, doc in before.items():
        if path in after:
            now = after[path]
            if doc["text_hash"] and now["text_hash"] and doc["text_hash"] != now["text_hash"]:
                out.append(DocumentChange(now["url"], now["title"] or doc["title"], "edited",
                                          doc["text_hash"][:12], now["text_hash"][:12]))
            continue
        page = pages_b.get(path)
        if page is None:
            if sight.complete:
                out.append(DocumentChange(doc["url"], doc["title"], "disappeared", "ok",
                                          "不再列出"))
        elif page.status in (404, 410):  # a timeout or a 500 says nothing about the document
            out.append(DocumentChange(doc["url"], doc["title"], "disappeared", "ok",
                                      f"HTTP {page.status}" if page.status else page.outcome))
    return out


def previous_run(store: Store, run_id: int) -> RunRecord | None:
    """The last earlier run of the same site that reached it: the baseline for ``run_id``."""
    run = store.run(run_id)
    if run is None:
        return None
    for earlier_id in store.run_ids(run.site, before=run_id, newest_first=True):
        earlier = effective(store, store.run(earlier_id))
        if saw_site(store, earlier):
            return earlier
    return None


def skipped_runs(store: Store, base: RunRecord | None, run: RunRecord) -> list[RunRecord]:
    """The site's runs between ``base`` and ``run``: none of them reached the site."""
    low = base.id if base else 0
    ids = store.run_ids(run.site, after=low, before=run.id, finished_only=True)
    return [effective(store, store.run(run_id)) for run_id in ids]


def latest_run(store: Store, site: str) -> RunRecord | None:
    """The site's latest run that is not still running, with its effective status."""
    ids = store.run_ids(site, finished_only=True, newest_first=True)
    return effective(store, store.run(ids[0])) if ids else None


def site_report(store: Store, run_id: int, *, site_id: str | None = None,
                unit_name: str | None = None, unit_type: str | None = None,
                site_code: str | None = None, coverage: dict[str, Any] | None = None,
                fingerprints: Fingerprints | None = None) -> SiteReport:
    run = store.run(run_id)
    if run is None:
        raise KeyError(f"no run {run_id}")
    run = effective(store, run)
    prev = previous_run(store, run_id)
    tracked = compare(store, prev.id if prev else None, run_id, fingerprints=fingerprints)
    changes = document_changes(store, prev.id, run_id) if prev else []
    numbers = site_run_numbers(store, run.site)
    skipped = [(numbers.get(r.id), r) for r in skipped_runs(store, prev, run)]
    return SiteReport(site_id or run.site, unit_name or run.site, unit_type, site_code, run, prev,
                      tracked, coverage or run.stats.get("coverage", {}), changes,
                      numbers.get(run.id), numbers.get(prev.id) if prev else None, skipped)


def rectification_deadline(notice: dt.date, days: int, calendar) -> dt.date:
    """整改期限: ``days`` working days after the notice date (day 1 = the next working day)."""
    return calendar.nth_workday_after(notice, days)
