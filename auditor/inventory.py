"""Scheduled audits of an inventory: every ``[[sites]]`` entry crawled and audited, several at
a time while each stays polite; one site's failure never stops the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from .config import Config, SiteConfig
from .engine import AuditResult
from .runstatus import effective, failure_of, site_run_number
from .scan import CrawlError, CrawlOptions, crawl, site_name
from .site_audit import audit_run
from .store import Store


@dataclass
class SiteOutcome:
    site: SiteConfig
    run_id: int | None
    result: AuditResult | None
    error: str | None = None


def scan_site(site: SiteConfig, config: Config, db_path: str, *,
              resume_run: int | None = None, today: dt.date | None = None,
              progress: Callable[[dict[str, int]], None] | None = None,
              campaign: str | None = None,
              should_stop: Callable[[], bool] | None = None,
              conditional: bool = True, replay: bool = True) -> SiteOutcome:
    options = CrawlOptions(
        start_url=site.urls[0], extra_start_urls=site.urls[1:], db_path=db_path,
        delay=site.delay, concurrency=site.concurrency, max_pages=site.max_pages,
        max_depth=site.max_depth, max_time=site.max_time,
        domains=sorted({site_name(u) for u in site.urls}),
        resume_run=resume_run, campaign=campaign, conditional=conditional, replay=replay)
    error = None
    try:
        run_id = crawl(options, site=site.id, progress=progress, should_stop=should_stop)
    except CrawlError as exc:
        if exc.run_id is None:
            return SiteOutcome(site, None, None, str(exc))
        run_id, error = exc.run_id, str(exc)
    return audit_site(site, config, db_path, run_id, error=error, today=today)


def audit_site(site: SiteConfig, config: Config, db_path: str, run_id: int, *,
               error: str | None = None, today: dt.date | None = None) -> SiteOutcome:
    """Audit a crawled run of an inventory site (again: the findings are replaced)."""
    with Store(db_path) as store:
        result = audit_run(store, run_id, config=config.for_site(site),
                           unit_type=site.unit_type, today=today)
        run = effective(store, store.run(run_id))
        result.context["site_run"] = site_run_number(store, run_id)
    if error is None and run.status == "failed":
        error = f"{site.urls[0]}：站点无法访问（{failure_of(run)}）"
    return SiteOutcome(site, run_id, result, error)


def scan_all(config: Config, db_path: str, *, sites: list[SiteConfig] | None = None,
             parallel: int = 2, today: dt.date | None = None,
             on_done: Callable[[SiteOutcome], None] | None = None,
             conditional: bool = True, replay: bool = True) -> list[SiteOutcome]:
    """Scan ``sites`` (default: the whole inventory), ``parallel`` sites at a time."""
    chosen = sites if sites is not None else config.sites
    outcomes: list[SiteOutcome] = []
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = {pool.submit(scan_site, site, config, db_path, today=today,
                               conditional=conditional, replay=replay): site
                   for site in chosen}
        for future in as_completed(futures):
            site = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - one site must never stop the others
                outcome = SiteOutcome(site, None, None, f"{site.id}: {type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    order = {s.id: i for i, s in enumerate(chosen)}
    return sorted(outcomes, key=lambda o: order[o.site.id])
