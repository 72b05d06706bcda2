"""Issue 10: every CMS list family read end to end on a local replica (tests/cms_sites.py):
all the column's documents fetched, by the family's own adapter, and the column complete.
Each test fails if its adapter is removed (the generic reader cannot read these lists)."""

from __future__ import annotations

import datetime as dt

import pytest
from cms_sites import FAMILIES, gkmlpt, xxgk_host

from auditor.devserver import serve_site
from auditor.parse.lists import url_key
from auditor.scan import CrawlOptions, crawl
from auditor.site_audit import audit_run
from auditor.store import Store

TODAY = dt.date(2026, 6, 30)


def scan(root, family, db, **options):
    with serve_site(root) as base:
        port = base.rsplit(":", 1)[1]
        host = f"http://{family.host}:{port}" if family.host else base
        run_id = crawl(CrawlOptions(start_url=host + family.start, db_path=str(db), delay=0.0,
                                    timeout=5.0, extra_settings=family.settings, **options))
    with Store(db) as store:
        result = audit_run(store, run_id, today=TODAY)
        pages = store.pages(run_id)
    truth = [(t if t.startswith("http") else base + t).replace("{port}", port)
             for t in family.truth]
    return result, pages, truth


def fetched(pages):
    return {url_key(p.url) for p in pages if p.outcome == "ok"} | {
        url_key(p.final_url) for p in pages if p.outcome == "ok" and p.final_url}


@pytest.mark.parametrize("noise", [False, True], ids=["plain", "markup-noise"])
@pytest.mark.parametrize("name", list(FAMILIES))
def test_family_is_read_completely(tmp_path, name, noise):
    """With ``noise``, the same replica with its pages written as another template would
    (upper-case tags, single quotes, no whitespace, comments between items, CRLF, GBK:
    tests/markup_noise.py): still read whole, by the same adapter."""
    family = FAMILIES[name](tmp_path / "site")
    if noise:
        from markup_noise import add_noise

        assert add_noise(tmp_path / "site") > 0
    result, pages, truth = scan(tmp_path / "site", family, tmp_path / "f.db")
    got = fetched(pages)
    missing = [t for t in truth if url_key(t) not in got]
    assert not missing, (name, len(missing), missing[:3])
    column = next(c for c in result.coverage["columns"] if c["name"] == family.column)
    assert column["state"] == "complete", column
    assert column["items_listed"] == len(truth) == column["items_fetched"]
    adapters = {c["adapter"] for c in result.coverage["columns"]}
    assert family.adapter in adapters, adapters


def test_gkmlpt_window_shorter_than_the_category_is_reported(tmp_path):
    family = gkmlpt(tmp_path / "site", sizes=(130,), window=60)
    result, pages, truth = scan(tmp_path / "site", family, tmp_path / "g.db")
    column = next(c for c in result.coverage["columns"] if c["adapter"] == "gkmlpt")
    assert column["state"] == "partial" and column["items_listed"] == 60
    assert any("接口只提供了该栏目的60条，栏目共130条" in r for r in column["reasons"])
    assert result.coverage["complete"] is False


def test_gkmlpt_dates_come_from_the_api(tmp_path):
    # The detail pages carry no date (only window._CONFIG.DETAIL): 发布日期 is the API's
    # created_at (or display time), 成文日期 its ``date``; the planted late article is found.
    family = gkmlpt(tmp_path / "site", sizes=(6,))
    result, pages, _ = scan(tmp_path / "site", family, tmp_path / "g.db")
    docs = [p for p in pages if "/content/" in p.url and p.outcome == "ok"]
    assert len(docs) == 6
    assert [bool(p.list_date) for p in docs].count(False) == 2  # two articles lack created_at
    undated = [f for f in result.findings if f.rule == "TIME-07"]
    assert undated and all(str(f.status) == "not_assessable" for f in undated)
    late = [f for f in result.findings if f.rule == "TIME-05" and str(f.status) == "violation"]
    assert [f.location.url.rsplit("/", 1)[1] for f in late] == ["post_3001005.html"]


def test_discovery_follows_the_sites_own_hosts_and_nothing_else(tmp_path):
    family = xxgk_host(tmp_path / "site")
    result, pages, truth = scan(tmp_path / "site", family, tmp_path / "x.db")
    got = fetched(pages)
    assert all(url_key(t) in got for t in truth)
    hosts = {p.url.split("/")[2].split(":")[0] for p in pages if p.outcome == "ok"}
    assert hosts == {"www.yunxi.test", "xxgk.yunxi.test"}
    other = [p for p in pages if "www.other.test" in p.url]
    assert other and all(p.outcome == "offsite" for p in other)  # recorded, never fetched


@pytest.mark.parametrize("name", ["ucap", "trs-avalon-dynamic", "hanweb-jpaas", "gkmlpt"])
def test_list_api_answers_are_not_judged_as_pages(tmp_path, name):
    family = FAMILIES[name](tmp_path / "site")
    result, _, _ = scan(tmp_path / "site", family, tmp_path / "f.db")
    assert not [f for f in result.findings if f.rule == "WEB-01"
                and ("/common/search/" in str(f.evidence) or "fjdzapp" in str(f.evidence)
                     or "build/unit" in str(f.evidence) or "/api/all/" in str(f.evidence))]


@pytest.mark.parametrize("name", list(FAMILIES))
def test_a_rescan_reads_every_family_as_the_first_scan_did(tmp_path, name):
    """Scanned twice by the same server: the re-scan (pages found unchanged served from the
    store, list interfaces asked again) stores the same pages and says the same."""
    family = FAMILIES[name](tmp_path / "site")
    db = tmp_path / "f.db"
    with serve_site(tmp_path / "site") as base:
        port = base.rsplit(":", 1)[1]
        host = f"http://{family.host}:{port}" if family.host else base
        run_ids = [crawl(CrawlOptions(start_url=host + family.start, db_path=str(db),
                                      delay=0.0, timeout=5.0,
                                      extra_settings=family.settings), site=name)
                   for _ in range(2)]
    with Store(db) as store:
        results = [audit_run(store, run_id, today=TODAY) for run_id in run_ids]
        pages = [{p.url: (p.kind, p.outcome, p.hash, p.column_name, p.list_date, p.title)
                  for p in store.pages(run_id)} for run_id in run_ids]
        served = store.run(run_ids[1]).stats["crawl"]["revalidation"]["served"]
    assert pages[1] == pages[0]
    assert served > 0
    columns = [{c["url"]: (c["state"], c["items_listed"], c["items_fetched"])
                for c in result.coverage["columns"]} for result in results]
    assert columns[1] == columns[0]
    assert sorted((f.rule, str(f.status), f.fingerprint) for f in results[1].findings) == \
        sorted((f.rule, str(f.status), f.fingerprint) for f in results[0].findings)


def test_every_family_list_reading_survives_its_json(tmp_path):
    """The audit keeps list readings across runs as JSON (ListReading.to_json): every reading
    of every replica page comes back equal, items, pages, forms and all."""
    from auditor.parse.lists import ListReading
    from auditor.parse.page import read_page
    from auditor.spiders.adapters import read_list

    readings = 0
    for name, make in FAMILIES.items():
        root = tmp_path / name
        make(root)
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".html", ".json", ".xml", ".jsp") or not path.is_file():
                continue
            url = "http://www.example.test/" + str(path.relative_to(root))
            reading = read_list(read_page(path.read_bytes(), url, reached_as="list"))
            assert ListReading.from_json(reading.to_json()) == reading, (name, path)
            readings += bool(reading.items or reading.pages)
    assert readings > 20
