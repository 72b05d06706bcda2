"""Audit a stored crawl run, offline: what kind every page is, what every list listed and what
the crawl fetched of it (coverage), the dates of every document, the annual reports found, the
site-level rules and what the crawl could not see. ``auditor audit RUN_ID`` runs this again with
the current rules, without fetching anything.

Each stored page is read once (:func:`auditor.parse.page.read_page`): one decode, one tree, shared
by the page-kind classifier, the list adapters, the date extractor, the page facts and the
report parser; only the results are kept, so memory does not grow with the size of the site.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import json
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from .audit import apply_waivers, check_report, instantiate, sort_findings
from .calendar import WorkCalendar
from .config import Config
from .coverage import ColumnCoverage, column_coverage, gap_of
from .engine import (
    AuditResult,
    DocumentContext,
    SiteContext,
    infer_site_unit,
    infer_unit_type,
    run_subject,
)
from .findings import Finding, Status
from .models import AnnualReport, DateEvidence
from .parse import no_cycle_collection, parse_page_report, parse_report
from .parse.dates import DocumentDates, extract_dates
from .parse.lists import ListItem, ListReading, url_key
from .parse.page import Page, PageKind, read_page
from .runstatus import site_run_number
from .sitefacts import SitePage, catalogue_fields, links_of, site_page, wanted
from .store import PageRecord, Store
from .timefmt import CHINA, local_day, today

#: Pages whose reached-as kind is kept whatever their bytes say (attachments are read only as
#: reports' attachments; HEAD requests have no body).
_KEEP_KIND = ("attachment",)


def crawl_date(run) -> dt.date:
    """The day (Asia/Shanghai) the run was crawled: the default 检查基准日 (as-of date) of its
    audits, so a stored run re-audits the same way whenever it is audited again."""
    try:
        started = dt.datetime.fromisoformat(run.started_at)
    except (TypeError, ValueError):
        return today()
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)
    return started.astimezone(CHINA).date()


def _fetched(page: PageRecord) -> dt.date:
    try:
        return dt.date.fromisoformat(local_day(page.fetched_at))
    except ValueError:
        return today()


def _has_tables(report: AnnualReport) -> bool:
    return any(c.value is not None for _, c in report.iter_cells())


@dataclass
class _RunReading:
    """What one pass over the run's pages found."""

    pages: list[PageRecord] = field(default_factory=list)
    documents: list[DocumentContext] = field(default_factory=list)
    reports: list[tuple[str, AnnualReport]] = field(default_factory=list)
    unparseable: list[tuple[str, str]] = field(default_factory=list)
    readings: dict[int, ListReading] = field(default_factory=dict)
    column_names: dict[int, str] = field(default_factory=dict)
    footer_codes: dict[str, str] = field(default_factory=dict)
    page_tags: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    home_titles: list[str] = field(default_factory=list)
    home_pages: list[SitePage] = field(default_factory=list)
    site_pages: list[SitePage] = field(default_factory=list)
    nav_links: list[tuple[str, str, str]] = field(default_factory=list)
    site_domains: list[str] = field(default_factory=list)
    document_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


def audit_run(store: Store, run_id: int, *, config: Config | None = None,
              unit_type: str | None = None, today: dt.date | None = None,
              warmed: ParseCacheWarmer | None = None) -> AuditResult:
    """Findings for a stored run; also written back to the store (replacing earlier ones).

    ``today`` is the 检查基准日 (as-of date) every "now"-relative rule judges against; by
    default the day the run was crawled (:func:`crawl_date`). It is recorded in the run's
    stats (``as_of``) and in the result's context. ``warmed``: the :class:`ParseCacheWarmer`
    that read the run while it was crawled (its list readings are not made again)."""
    config = config or Config()
    run = store.run(run_id)
    if run is None:
        raise KeyError(f"no run {run_id} in {store.path}")
    today = today or crawl_date(run)
    calendar = WorkCalendar()
    rules = instantiate(config)
    read = _read_run(store, run_id, calendar, today,
                     warmed.list_readings if warmed is not None else {})
    pages = read.pages

    site_unit, site_unit_source = unit_type, "configured"
    if site_unit is None:
        site_unit, evidence = infer_site_unit(read.site_names, read.footers, read.home_titles)
        site_unit_source = f"inferred: {evidence}" if site_unit else f"unknown: {evidence}"

    findings: list[Finding] = []
    for doc in read.documents:
        findings.extend(run_subject(rules, "document", doc))
    # Annual reports: each with the previous year's report of the site, when found. A report's
    # own title and issuer say whose it is (a department's report on the government portal);
    # only when they do not does the site's owner decide.
    by_year = {r.year: r for _, r in read.reports if r.year}
    for url, report in read.reports:
        kind = unit_type or infer_unit_type(report)
        if kind == "unknown" and site_unit:
            kind = site_unit
        result = check_report(report, previous=by_year.get((report.year or 0) - 1),
                              unit_type=kind, config=config, calendar=calendar, today=today)
        for f in result.findings:
            if f.location.url != url:  # a report read from an attachment: point at its page
                f = replace(f, location=replace(f.location, url=url))
            findings.append(f)
    notes = run.stats.get("crawl") or {}
    columns = column_coverage(pages, read.readings,
                              [d.url for d in read.documents if d.published],
                              read.column_names, notes.get("stopped_lists"))
    site = SiteContext(
        start_url=run.start_url, run_status=run.status, pages=tuple(pages),
        documents=tuple(read.documents), reports=tuple(read.reports),
        unit_type=site_unit or "unknown",
        report_column_found=any(c.report_column for c in columns),
        footer_codes=read.footer_codes, unparseable=tuple(read.unparseable),
        calendar=calendar, today=today, max_pages=run.options.get("max_pages"),
        columns=tuple(columns), page_tags=tuple(read.page_tags),
        unit_type_source=site_unit_source, crawl_notes=notes,
        home_pages=tuple(read.home_pages), site_pages=tuple(read.site_pages),
        nav_links=tuple(read.nav_links), site_domains=tuple(read.site_domains),
        document_fields=read.document_fields)
    findings.extend(run_subject(rules, "site", site))

    findings = apply_waivers(findings, config, today)
    findings = sort_findings(_dedupe(findings))
    store.replace_findings(run_id, findings)
    covered = coverage(run, pages, read.documents, read.reports, read.unparseable, findings,
                       columns, notes)
    rules_run = [r.code for r in rules]
    store.update_stats(run_id, coverage=covered, as_of=today.isoformat(), rules_run=rules_run)
    return AuditResult(findings, [run.start_url], rules_run, covered,
                       {"run_id": run_id, "site": run.site, "site_run": site_run_number(
                           store, run_id), "start_url": run.start_url,
                        "run_status": run.status, "started_at": run.started_at,
                        "as_of": today.isoformat(),
                        "unit_type": site_unit or "unknown",
                        "unit_type_source": site_unit_source,
                        "fail_on": str(config.fail_on)})


def _view(page: PageRecord, body: bytes) -> Page:
    post = "#" in page.url  # a POST to a list API: the store names it url#form
    return read_page(body, page.url if post else (page.final_url or page.url),
                     reached_as=page.reached_as or page.kind, base_url=page.column_url)


def _read_run(store: Store, run_id: int, calendar: WorkCalendar, today: dt.date,
              list_readings: dict[int, tuple[str, ListReading]]) -> _RunReading:
    # Reading a run keeps a million objects (50,000 documents' readings); the cyclic
    # collector, triggered by their number, walked all of them again and again: a third of the
    # audit's time. It is paused while the pages are read, collecting only the young
    # generations every _COLLECT_EVERY pages (what a page's reading leaves in cycles is freed).
    with no_cycle_collection():
        return _read_pages(store, run_id, calendar, today, list_readings)


#: Pages read between two collections of the young generations (see :func:`_read_run`).
_COLLECT_EVERY = 500


def _read_pages(store: Store, run_id: int, calendar: WorkCalendar, today: dt.date,
                list_readings: dict[int, tuple[str, ListReading]]) -> _RunReading:
    out = _RunReading()
    stored = store.pages(run_id)
    attachments_of: dict[str, list[PageRecord]] = {}
    for page in stored:
        if page.kind == "attachment" and page.referer and page.outcome == "ok" and page.hash:
            attachments_of.setdefault(page.referer, []).append(page)
    changed: list[tuple[str, str, int]] = []
    # List pages first: what a list says about an item (the 成文日期 a list API gives) is known
    # when the item's own page is read. Each page is still read once.
    listed: dict[str, ListItem] = {}
    stored = sorted(stored, key=lambda p: 0 if (p.reached_as or p.kind) in
                    ("home", "column", "list") else 1)
    # Documents whose bytes were read before, by this parser, in the same circumstances: their
    # reading is taken from the store instead of parsing them again (a re-scan of an unchanged
    # site; a re-audit). The key is made when the document is reached, after its lists.
    cached: dict[str, str] = {}
    further_pages: dict[tuple, tuple] = {}
    keys: dict[int, str] = {}  # the documents' keys of the chunk, made with ``listed`` as
    listed_then = -1           # long as this (a list read since may change them)
    for index, page in enumerate(stored):
        if index % _COLLECT_EVERY == 0 and index:
            gc.collect(1)
        if index % _CACHE_CHUNK == 0:  # a chunk of readings at a time: memory stays flat
            keys = {p.id: _cache_key(p, listed) for p in stored[index:index + _CACHE_CHUNK]
                    if _cacheable(p)}
            listed_then = len(listed)
            chunk = [*keys.values(), *(_list_key(p) for p in stored[index:index + _CACHE_CHUNK]
                                       if not _cacheable(p) and _may_be_list(p))]
            cached = store.cached_parses(chunk) if chunk else {}
        if page.outcome != "ok" or not page.hash or page.kind in _KEEP_KIND:
            out.pages.append(page)
            continue
        if not _cacheable(page):
            key = None
        elif page.id in keys and len(listed) == listed_then:
            key = keys[page.id]
        else:
            key = _cache_key(page, listed)
        item = listed.get(url_key(page.url))
        if key in cached:
            body, view, reading = None, None, _DocumentReading.from_json(cached[key])
            kind = PageKind(reading.kind, reading.cue)
        else:
            body = store.blob(page.hash) or b""
            view = _view(page, body)
            kind, reading = view.kind, None
        if (kind.kind, kind.cue) != (page.kind, page.kind_cue):
            changed.append((kind.kind, kind.cue, page.id))
            page = replace(page, kind=kind.kind, kind_cue=kind.cue)
        out.pages.append(page)
        url = page.final_url or page.url
        if reading is not None:  # a cached document: not home, not a list (see _cacheable)
            if reading.site_name:
                out.site_names.append(reading.site_name)
            if reading.site_domain:
                out.site_domains.append(reading.site_domain)
        else:
            if view.is_html:
                if view.meta_value("SiteName"):
                    out.site_names.append(view.meta_value("SiteName"))
                if view.meta_value("SiteDomain"):
                    out.site_domains.append(view.meta_value("SiteDomain"))
                if kind.kind == "home" or page.reached_as == "home":
                    out.footers.append(view.visible_text[-3000:])
                    if view.title:
                        out.home_titles.append(view.title)
                indicator = _indicator_facts(out, page, view, url)
            else:
                indicator = False
            if kind.kind == "list" or page.reached_as in ("column", "list"):
                known = list_readings.get(page.id)  # (body hash, reading) read while crawling
                reading_of_list = known[1] if known and known[0] == page.hash else \
                    _list_reading(store, page, view, cached)
                out.readings[page.id] = _shared_pages(reading_of_list, further_pages)
                for listed_item in out.readings[page.id].items:
                    listed.setdefault(url_key(listed_item.url), listed_item)
                name = view.meta_value("ColumnName") or (view.title or "").split("_")[0].strip()
                if name:
                    out.column_names[page.id] = name
            if kind.kind not in ("document", "report"):
                if view.is_html and not view.is_answer:  # a list API's JSON/XML has no tags
                    out.page_tags.append((url, kind.kind, dict(view.meta)))
                continue
            reading = _document_reading(page, body, view, kind, item)
            # A page the website indicators read in full (a 指南, a 咨询 page) is read again
            # next time: the cache keeps only what document rules need.
            if key is not None and kind.kind == "document" and not indicator:
                store.cache_parse(key, reading.to_json())
        if reading.footer_code:
            out.footer_codes[url] = reading.footer_code
        out.document_fields[url] = reading.catalogue
        dates = reading.dates
        title = reading.heading or page.title or dates.title or reading.facts_title
        doc = DocumentContext(url=url, title=title, column=page.column_name,
                              issued=dates.issued, published=dates.published,
                              candidates=tuple(dates.candidates), meta=reading.meta,
                              fetched=_fetched(page), kind=kind.kind, calendar=calendar,
                              today=today, script_built=reading.script_built)
        out.documents.append(doc)
        store.put_document(
            run_id, url, title=title,
            issued=dates.issued.value.isoformat() if dates.issued else None,
            issued_strategy=dates.issued.strategy if dates.issued else None,
            issued_raw=dates.issued.raw if dates.issued else None,
            published=dates.published.value.isoformat() if dates.published else None,
            published_strategy=dates.published.strategy if dates.published else None,
            published_raw=dates.published.raw if dates.published else None,
            text_hash=reading.text_hash)
        if len(out.documents) % 200 == 0:
            store.commit()  # do not hold the write lock through a long audit (parallel scans)
        if kind.kind == "report":
            if view is None:  # never cached, but a page's kind may be read differently
                body = store.blob(page.hash) or b""
                view = _view(page, body)
            report = _read_report(store, view, attachments_of.get(page.url, [])
                                  + attachments_of.get(url, []))
            if isinstance(report, str):
                out.unparseable.append((url, report))
            else:
                if report.published is None and dates.published:
                    report = replace(report, published=dates.published.value.isoformat())
                out.reports.append((url, report))
    if changed:
        store.set_page_kinds(changed)
    store.commit()
    return out


def _document_reading(page: PageRecord, body: bytes, view: Page, kind: PageKind,
                      item: ListItem | None) -> _DocumentReading:
    dates = extract_dates(body, url=page.final_url or page.url, list_date=page.list_date,
                          root=view.root, list_issued=item.issued if item else None)
    return _DocumentReading.of(view, kind, _shared_dates(dates))


def _shared_dates(dates: DocumentDates) -> DocumentDates:
    """``dates`` with its evidence shared with equal evidence of other documents (see
    :func:`_shared_evidence`)."""
    def shared(e: DateEvidence | None) -> DateEvidence | None:
        return None if e is None else _shared_evidence(e.value.isoformat(), e.kind, e.strategy,
                                                       e.raw, e.time)
    return replace(dates, issued=shared(dates.issued), published=shared(dates.published),
                   candidates=[shared(e) for e in dates.candidates])


class ParseCacheWarmer:
    """Reads the documents a crawl has stored so far into the parse cache, while the crawl
    goes on (``auditor scan`` calls :meth:`step` between its polls), so that the audit after
    it finds them read: the same reading, under the same key, as :func:`_read_run` makes — a
    document whose key turns out different (a list read later says more about it) is simply
    read again by the audit."""

    def __init__(self, store: Store, run_id: int, *, batch: int = 100) -> None:
        self.store = store
        self.run_id = run_id
        self.batch = batch
        self.after = 0
        self.listed: dict[str, ListItem] = {}
        #: What each list page said, by page id, with its body hash (the audit takes it).
        self.list_readings: dict[int, tuple[str, ListReading]] = {}
        self._further_pages: dict[tuple, tuple] = {}

    def step(self) -> int:
        """Read up to ``batch`` newly stored pages; returns how many were read."""
        pages = self.store.pages(self.run_id, after=self.after, limit=self.batch)
        documents = []
        for page in pages:
            self.after = page.id
            if page.outcome != "ok" or not page.hash or page.kind in _KEEP_KIND:
                continue
            if (page.reached_as or page.kind) in ("home", "column", "list"):
                view = _view(page, self.store.blob(page.hash) or b"")
                if view.kind.kind == "list" or page.reached_as in ("column", "list"):
                    reading = _shared_pages(_list_reading(self.store, page, view, {}),
                                            self._further_pages)
                    self.list_readings[page.id] = (page.hash, reading)
                    for listed_item in reading.items:
                        self.listed.setdefault(url_key(listed_item.url), listed_item)
            elif _cacheable(page):
                documents.append((_cache_key(page, self.listed), page))
        known = self.store.cached_parses([key for key, _ in documents]) if documents else {}
        bodies = self.store.blobs(p.hash for key, p in documents if key not in known) \
            if len(known) < len(documents) else {}
        for key, page in documents:
            if key in known:
                continue
            body = bodies.get(page.hash) or b""
            view = _view(page, body)
            kind = view.kind
            column = page.column_name or view.meta_value("ColumnName") or None
            if kind.kind != "document" or (view.is_html and wanted(view, column,
                                                                   page.reached_as)):
                continue  # read in full by the audit, as _read_run does
            item = self.listed.get(url_key(page.url))
            self.store.cache_parse(key, _document_reading(page, body, view, kind,
                                                          item).to_json())
        self.store.commit()
        return len(pages)


def _shared_pages(reading: ListReading, seen: dict[tuple, tuple]) -> ListReading:
    """``reading`` with the further pages its list names held once for all the list's pages:
    every page of a TRS list names all of them (1,000 pages naming 1,000 pages each in a
    50,000-document column — a million objects, the largest part of the audit's memory)."""
    if len(reading.pages) < 2:
        return reading
    pages = seen.setdefault(reading.pages, reading.pages)  # an equal tuple: the same pages
    return reading if pages is reading.pages else replace(reading, pages=pages)


def _indicator_facts(out: _RunReading, page: PageRecord, view: Page, url: str) -> bool:
    """What the website indicators read: the start page's dated links, the text of the 指南 /
    目录 / 依申请公开 / 政务咨询 pages, the link texts of navigation pages. True when the page
    was kept whole for them."""
    kind = view.kind.kind
    column = page.column_name or view.meta_value("ColumnName") or None
    if page.reached_as in ("home", "column") and kind in ("home", "list", "other"):
        out.nav_links.extend((url, text, target) for text, target in links_of(view))
    if not wanted(view, column, page.reached_as):
        return False
    facts = site_page(view, kind=kind, reached_as=page.reached_as, column=column,
                      column_url=page.column_url,
                      title=view.heading or view.title or page.title)
    (out.home_pages if page.reached_as == "home" else out.site_pages).append(facts)
    return True


# ------------------------------------------------------------------ the parse cache

def _parser_version() -> str:
    """A digest of the source of everything that reads a document page: a new parser (any
    change to it) never reuses what an older one read."""
    from pathlib import Path

    from . import models
    from .parse import page as page_module

    digest = hashlib.sha256()
    for source in sorted(Path(page_module.__file__).parent.glob("*.py")) + [
            Path(models.__file__), Path(__file__)]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


_PARSER_VERSION: str | None = None
_CACHE_CHUNK = 500


def _list_reader_version() -> str:
    """A digest of everything that reads a list page (the page reader and the CMS adapters)."""
    global _LIST_READER_VERSION
    if _LIST_READER_VERSION is None:
        from pathlib import Path

        from auditor.spiders import adapters

        digest = hashlib.sha256()
        for source in sorted(Path(adapters.__file__).parent.glob("*.py")) + sorted(
                (Path(__file__).parent / "parse").glob("*.py")):
            digest.update(source.read_bytes())
        _LIST_READER_VERSION = digest.hexdigest()[:16]
    return _LIST_READER_VERSION


_LIST_READER_VERSION: str | None = None


def _may_be_list(page: PageRecord) -> bool:
    """Pages read as lists may be (their kind is read again from the bytes)."""
    return page.outcome == "ok" and bool(page.hash) and (
        (page.reached_as or page.kind) in ("home", "column", "list") or page.kind == "list")


def _list_key(page: PageRecord) -> str:
    """What a list page's reading depends on: its bytes, the URL and column it is read as, how
    it was reached, and the code that reads lists."""
    post = "#" in page.url
    parts = ("list", _list_reader_version(), page.hash,
             page.url if post else (page.final_url or page.url), page.reached_as or page.kind,
             page.column_url or "")
    return hashlib.sha256("\x00".join(p or "" for p in parts).encode()).hexdigest()


def _list_reading(store: Store, page: PageRecord, view: Page,
                  cached: dict[str, str]) -> ListReading:
    """The list page's reading: kept from an earlier reading of the same bytes in the same
    circumstances (a re-scan, a re-audit), else read now and kept."""
    from auditor.spiders.adapters import read_list

    key = _list_key(page)
    text = cached.get(key)
    if text is None:
        found = store.cached_parses([key])
        text = found.get(key)
    if text is not None:
        try:
            return ListReading.from_json(text)
        except (ValueError, TypeError):
            pass  # not readable as a reading: read the page again
    reading = read_list(view)
    store.cache_parse(key, reading.to_json())
    return reading


def _cacheable(page: PageRecord) -> bool:
    """Document pages only: home pages and reports are read in full every time (they are few,
    and what is read from them is more than the reading below keeps); a list page's own
    reading is kept apart (:func:`_list_key`), the page itself is read every time."""
    return (page.outcome == "ok" and bool(page.hash) and page.kind == "document"
            and page.reached_as not in ("home", "column", "list"))


def _cache_key(page: PageRecord, listed: dict[str, ListItem]) -> str:
    """What a document's reading depends on: its bytes, the URL it is read as, how it was
    reached, its column, the dates its list gave, and the parser."""
    global _PARSER_VERSION
    if _PARSER_VERSION is None:
        _PARSER_VERSION = _parser_version()
    post = "#" in page.url
    item = listed.get(url_key(page.url))
    parts = (_PARSER_VERSION, page.hash, page.url if post else (page.final_url or page.url),
             page.final_url or page.url, page.reached_as or page.kind, page.list_date or "",
             page.column_url or "", page.column_name or "", (item.issued if item else "") or "")
    return hashlib.sha256("\x00".join(p or "" for p in parts).encode()).hexdigest()


@dataclass(frozen=True)
class _DocumentReading:
    """What the audit keeps of reading a document page."""

    kind: str
    cue: str
    site_name: str | None
    heading: str | None
    facts_title: str | None
    footer_code: str | None
    text_hash: str | None
    meta: dict[str, str]
    dates: DocumentDates
    site_domain: str | None = None
    script_built: bool = False
    catalogue: tuple[str, ...] = ()

    @classmethod
    def of(cls, view: Page, kind: PageKind, dates: DocumentDates) -> _DocumentReading:
        facts = view.facts
        return cls(kind.kind, kind.cue, (view.meta_value("SiteName") or None)
                   if view.is_html else None, view.heading, facts.title, facts.footer_code,
                   facts.text_hash, _shared(facts.meta), dates,
                   (view.meta_value("SiteDomain") or None) if view.is_html else None,
                   view.script_built, tuple(catalogue_fields(view)))

    def to_json(self) -> str:
        dates = self.dates
        return json.dumps({
            "kind": self.kind, "cue": self.cue, "site_name": self.site_name,
            "heading": self.heading, "facts_title": self.facts_title,
            "footer_code": self.footer_code, "text_hash": self.text_hash, "meta": self.meta,
            "site_domain": self.site_domain, "script_built": self.script_built,
            "catalogue": list(self.catalogue),
            "dates": {"title": dates.title,
                      "issued": _evidence_index(dates, dates.issued),
                      "published": _evidence_index(dates, dates.published),
                      "extra": [e.to_dict() for e in (dates.issued, dates.published)
                                if e is not None and e not in dates.candidates],
                      "candidates": [e.to_dict() for e in dates.candidates]}},
            ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> _DocumentReading:
        data = json.loads(text)
        # What every document of a site repeats (its kind and cue, the site's name, a date's
        # kind and strategy) held once, as reading the page itself gives them: a 50,000-document
        # audit keeps them all.
        for name in ("kind", "cue", "site_name", "site_domain", "footer_code"):
            if isinstance(data.get(name), str):
                data[name] = sys.intern(data[name])
        data["meta"] = _shared(data["meta"])
        data["catalogue"] = tuple(data.get("catalogue") or ())
        raw = data.pop("dates")
        # The page's title, said as its heading, its facts' title, its dates' title and its
        # ArticleTitle tag: one string, not four.
        same = {v: v for v in data["meta"].values() if isinstance(v, str)}
        for name in ("heading", "facts_title"):
            if isinstance(data.get(name), str):
                data[name] = same.setdefault(data[name], data[name])
        if isinstance(raw.get("title"), str):
            raw["title"] = same.setdefault(raw["title"], raw["title"])
        candidates = [_evidence(e) for e in raw["candidates"]]
        extra = [_evidence(e) for e in raw["extra"]]
        pool = candidates + extra

        def pick(index):
            return pool[index] if index is not None else None
        dates = DocumentDates(issued=pick(raw["issued"]), published=pick(raw["published"]),
                              candidates=candidates, title=raw["title"])
        return cls(dates=dates, **data)


def _shared(meta: dict[str, str]) -> dict[str, str]:
    """The page tags with their names and short values interned: every document of a site
    repeats them, and a 50,000-document audit keeps them all."""
    return {sys.intern(k): sys.intern(v) if isinstance(v, str) and len(v) < 80 else v
            for k, v in meta.items()}


def _evidence_index(dates: DocumentDates, evidence: DateEvidence | None) -> int | None:
    """Where ``evidence`` is among the candidates (or after them, in ``extra``)."""
    if evidence is None:
        return None
    if evidence in dates.candidates:
        return dates.candidates.index(evidence)
    extra = [e for e in (dates.issued, dates.published)
             if e is not None and e not in dates.candidates]
    return len(dates.candidates) + extra.index(evidence)


@functools.lru_cache(maxsize=8192)
def _day(iso: str) -> dt.date:
    """One date object a day (a site's documents share a few thousand days between them)."""
    return dt.date.fromisoformat(iso)


def _evidence(data: dict[str, Any]) -> DateEvidence:
    return _shared_evidence(data["value"], data["kind"], data["strategy"], data["raw"],
                            data["time"])


@functools.lru_cache(maxsize=65536)
def _shared_evidence(value: str, kind: str, strategy: str, raw: str,
                     time: str | None) -> DateEvidence:
    """One object for equal evidence (it is immutable): documents published the same day say
    the same 发布日期 the same way, and a 50,000-document audit keeps every candidate of each
    (a fifth of its memory before they were shared)."""
    return DateEvidence(value=_day(value), kind=sys.intern(kind), strategy=sys.intern(strategy),
                        raw=raw, time=sys.intern(time) if time else time)


def _read_report(store: Store, view: Page, attachments: list[PageRecord]) -> AnnualReport | str:
    """The report on the page, else in its attachments; a string says why none could be read."""
    report = parse_page_report(view)
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


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if f.fingerprint not in seen:
            seen.add(f.fingerprint)
            out.append(f)
    return out


def coverage(run, pages: list[PageRecord], documents, reports, unparseable,
             findings: list[Finding], columns: list[ColumnCoverage] | None = None,
             notes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The run's coverage: page outcomes, page kinds, every column's reading, what the crawl
    stopped on its own, and whether the audit saw everything (``complete`` is claimed only
    with evidence)."""
    columns = columns or []
    notes = notes or {}
    by_outcome: dict[str, int] = {}
    kinds: dict[str, int] = {}
    gaps: dict[str, int] = {}
    for page in pages:
        by_outcome[page.outcome] = by_outcome.get(page.outcome, 0) + 1
        if page.outcome == "ok":
            kinds[page.kind] = kinds.get(page.kind, 0) + 1
        gap = gap_of(page)
        if gap and gap != "offsite":
            gaps[gap] = gaps.get(gap, 0) + 1
    not_assessable = sum(1 for f in findings if f.status == Status.NOT_ASSESSABLE)
    budget = run.options.get("max_pages")
    budget_reached = bool(budget) and len(pages) >= budget or \
        notes.get("close_reason") == "closespider_pagecount"
    time_limit = notes.get("close_reason") == "closespider_timeout"
    traps = notes.get("trap_patterns") or {}
    incomplete_columns = [c for c in columns if not c.listed_completely and c.state != "none"
                          or c.gaps]
    listed = sum(len(c.items) for c in columns)
    fetched = sum(sum(i.fetched for i in c.items) for c in columns)
    reasons = []
    if run.status != "finished":
        reasons.append(f"抓取未正常结束（{run.status}）")
    if gaps:
        reasons.append("部分页面无法访问：" + "、".join(f"{k} {v}" for k, v in gaps.items()))
    if unparseable:
        reasons.append(f"{len(unparseable)}份年度报告无法解析")
    if budget_reached:
        reasons.append(f"达到页数上限{budget}")
    if time_limit:
        reasons.append(f"达到抓取时间上限{run.options.get('max_time', '')}秒")
    if traps:
        reasons.append(f"{len(traps)}个疑似陷阱的网址模式被停止抓取")
    if not columns:
        reasons.append("未找到任何栏目列表")
    if incomplete_columns:
        reasons.append(f"{len(incomplete_columns)}个栏目未完整读取")
    if not documents:
        reasons.append("未抓取到任何文件")
    return {
        "run_status": run.status,
        "pages_total": len(pages),
        "pages_fetched": by_outcome.get("ok", 0),
        "page_kinds": kinds,
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
        "time_limit_reached": time_limit,
        "gaps": gaps,
        "too_large": by_outcome.get("too_large", 0),
        "empty_pages": by_outcome.get("empty", 0),
        "trap_patterns": traps,
        "hosts": notes.get("hosts") or [],
        # A re-scan: how many stored pages it asked about, how many were unchanged, and the
        # run whose crawl it stood on when every one was (spiders/replay.py).
        "revalidated": {k: (notes.get("revalidation") or {}).get(k, 0)
                        for k in ("asked", "unchanged")},
        "replayed_from": notes.get("replayed_from"),
        "columns_found": len(columns),
        "columns_complete": sum(1 for c in columns if c.listed_completely and not c.gaps),
        "items_listed": listed,
        "items_fetched": fetched,
        "columns": [c.to_dict() for c in columns],
        "incomplete_reasons": reasons,
        "complete": not reasons,
    }
