"""The annual reports of a stored run, parsed again from their stored bytes, for the reports
that draw a report's table (the HTML report's picture of a finding): the same page view and the
same page-or-attachment choice as the audit (:mod:`auditor.site_audit`)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import AnnualReport
from .store import Store


def stored_reports(store: Store, run_id: int, urls: Iterable[str]) -> dict[str, AnnualReport]:
    """URL (as the findings name it) -> the parsed report of that page; pages that are not
    stored, or hold no readable report, are left out."""
    from .site_audit import _read_report, _view

    wanted = set(urls)
    if not wanted:
        return {}
    pages = store.pages(run_id)
    attachments: dict[str, list] = {}
    for page in pages:
        if page.kind == "attachment" and page.referer and page.outcome == "ok" and page.hash:
            attachments.setdefault(page.referer, []).append(page)
    out: dict[str, AnnualReport] = {}
    for page in pages:
        url = page.final_url or page.url
        name = url if url in wanted else page.url if page.url in wanted else None
        if name is None or name in out or page.outcome != "ok" or not page.hash:
            continue
        body = store.blob(page.hash)
        if not body:
            continue
        report = _read_report(store, _view(page, body),
                              attachments.get(page.url, []) + attachments.get(url, []))
        if isinstance(report, AnnualReport):
            out[name] = report
    return out
