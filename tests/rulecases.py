"""Helpers for the rule case files under ``tests/fixtures/rules/`` (after sqlfluff's
``std_rule_cases``).

Each ``<CODE>.yaml`` holds ``rule: CODE`` and a list of ``cases``. A case describes a report as
*overrides* of :func:`base_report` — a complete, consistent 2021-format report of a county
department for 2024 that passes every rule — so it only spells out what it changes:

``name``
    Shown in the test id (``ARI-04:review total wrong``).
``report``
    Overrides deep-merged into ``base_report()`` (see :func:`merge`).
``previous``
    Overrides merged into ``base_report(2023)`` (the same body's report for 2023, published
    2024-01-20), passed as the previous year's report; ``previous: {}`` uses it unchanged.
    Without the key no previous report is given.
``context``
    ``published`` / ``unit_type`` / ``today`` passed to ``check_report``.
``options``
    Rule options (``[rules.CODE]`` in auditor.toml) for this case only.
``expect``
    The findings of *this* rule: a list of ``{status, severity?, table?, row?, column?,
    section?, message_contains?}``; ``[]`` means the rule must find nothing.

Merging: a mapping merges key by key, anything else replaces; the string ``"__delete__"``
removes the key (a table row, a section, ``published``…). A table cell may be a number, ``null``
(not read: ``method="missing"``), a printed blank such as ``"/"`` or ``"—"``, or a provenance
object such as ``{value: null, method: split, options: [12, 21]}`` (an ambiguous run-together
row, see ``auditor.models._cell_from``).

What the parser understood is said with ``row_status`` (dotted row key -> ``present``,
``absent``, ``not_understood`` or ``blank``: ``{table3.carried_out: not_understood}`` makes the
row's cells unknown, ``blank`` makes them printed blanks), ``table_status`` (``{table3:
absent}``) and ``candidates`` (joint readings of run-together cells: ``[{cells: [table2.normative
.repealed, table2.normative.in_force], readings: [[2, 1390], [21, 390]]}]``).

Document and site cases
-----------------------
A case with a ``document:`` key targets a crawled document page (rules with ``subject =
"document"``, or ``"document"`` in ``extra_subjects``); one with a ``site:`` key targets a whole
crawl run (``subject = "site"``). Such a case has no ``report``/``previous``/``context``; only
the rule under test runs, through ``auditor.engine.run_subject``, with the case's ``options``.

``document`` (built by :func:`build_document` into a ``DocumentContext``)
    ``url``, ``title``, ``column``, ``kind`` (``document``/``report``), ``meta`` (page meta
    tags, name -> content; ``"__delete__"`` drops a tag, for ``{<<: *tags, PubDate:
    __delete__}``), ``fetched`` and ``today`` (default 2025-06-30, ``fetched``
    defaulting to ``today``), ``issued`` / ``published`` and ``candidates``. A date is
    ``{date, strategy?, raw?, time?}`` or just the date (strategy ``metadata``); a candidate
    also has ``kind`` (``issued``/``published``). Without ``candidates`` the document has
    issued 2025-01-08 and published 2025-01-10 (both ``metadata``) unless given, and its
    candidates are those two dates. With ``candidates``, ``issued``/``published`` default to
    the most trusted candidate of that kind, as ``auditor.parse.dates`` chooses them. ``null``
    means the page does not give that date. The default document passes every document rule.
``site`` (built by :func:`build_site` into a ``SiteContext``)
    ``start_url``, ``run_status`` (``finished``), ``unit_type`` (``department``), ``today``
    (2025-06-30), ``max_pages`` (none), ``footer_codes`` (url -> code), ``unparseable`` (a
    list of ``[url, why]``), ``pages`` (a list of ``PageRecord`` fields: ``url``, ``kind``
    (``document``), ``outcome`` (``ok``), ``status`` (200 when ``ok``)… the rest default to
    ``None`` or a neutral value), ``documents`` (a list of ``document`` mappings),
    ``reports`` (a list of ``{url, year?, report?}``: ``build(report, year=year or 2024)``)
    and ``report_column_found`` (by default, as ``auditor.site_audit`` decides it: a
    ``column`` page whose ``column_name`` has 年报 or 年度报告). For the website indicators:
    ``columns`` (a list of :func:`build_column` mappings; by default columns are derived from
    the ``column`` pages), ``home_pages`` and ``site_pages`` (:func:`build_site_page`),
    ``nav_links`` (``[page url, link text, target url]``), ``site_domains`` (SiteDomain tag
    values) and ``document_fields`` (url -> the 目录 parts the page shows). ``today`` is the
    检查基准日 (``--as-of``).

In ``expect``, ``url`` matches the finding's ``location.url`` (a document's URL, a page's URL,
or the site's ``start_url``). Top-level keys other than ``rule`` and ``cases`` must be under
``shared:``, which holds YAML anchors (``&tags``) for cases to reuse.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from auditor.coverage import GAP_OUTCOMES, ColumnCoverage, ItemCoverage
from auditor.engine import UNIT_TYPES, DocumentContext, Rule, SiteContext
from auditor.models import TABLE3_COLUMNS, AnnualReport, DateEvidence, report_from_dict
from auditor.parse.dates import STRATEGIES
from auditor.parse.lists import ListItem
from auditor.sitefacts import SitePage
from auditor.store import PageRecord

RULE_CASES = Path(__file__).resolve().parent / "fixtures" / "rules"

DELETE = "__delete__"

CASE_KEYS = {"name", "report", "previous", "context", "options", "expect", "document", "site"}
REPORT_CASE_KEYS = {"report", "previous", "context"}
FILE_KEYS = {"rule", "cases", "shared"}
EXPECT_KEYS = {"status", "severity", "table", "row", "column", "section", "message_contains",
               "url"}
DOCUMENT_KEYS = {"url", "title", "column", "kind", "issued", "published", "candidates", "meta",
                 "fetched", "today", "script_built"}
DATE_KEYS = {"date", "strategy", "raw", "time"}
CANDIDATE_KEYS = DATE_KEYS | {"kind"}
DATE_KINDS = ("issued", "published")
SITE_KEYS = {"start_url", "run_status", "pages", "documents", "reports", "unit_type",
             "report_column_found", "footer_codes", "unparseable", "today", "max_pages",
             "columns", "page_tags", "crawl_notes", "home_pages", "site_pages", "nav_links",
             "site_domains", "document_fields"}
COLUMN_KEYS = {"url", "name", "state", "reasons", "items", "report_column", "adapter", "cue",
               "declared_items", "placeholder", "pages_missing"}
SITE_PAGE_KEYS = {"url", "kind", "reached_as", "title", "column", "column_url", "text",
                  "items", "links", "forms", "attachments", "machinery", "footer"}
SITE_ITEM_KEYS = {"url", "title", "list_date", "row"}
ITEM_KEYS = {"url", "title", "list_date", "outcome", "why"}
PAGE_KEYS = {f.name for f in dataclasses.fields(PageRecord)}
SITE_REPORT_KEYS = {"url", "year", "report"}
CONTEXT_KEYS = {"published", "unit_type", "today"}
STATUSES = {"violation", "needs_review", "not_assessable"}
SEVERITIES = {"critical", "high", "medium", "low", "info"}

ISSUER = "某某县交通运输局"


def _row(*values: int | float | None) -> dict[str, Any]:
    """A table 三 row from its seven columns (自然人 … 其他, 总计)."""
    return dict(zip(TABLE3_COLUMNS, values, strict=True))


def _zero_row() -> dict[str, Any]:
    return _row(0, 0, 0, 0, 0, 0, 0)


def _table3() -> dict[str, dict[str, Any]]:
    """12 new (自然人 10, 商业企业 2) + 1 carried in = 12 concluded + 1 carried out.

    Concluded: 予以公开 6, 部分公开 2, 不予公开（过程性信息）1, 无法提供（不掌握）2,
    不予处理（重复申请）1.
    """
    rows: dict[str, dict[str, Any]] = {
        "new_received": _row(10, 2, 0, 0, 0, 0, 12),
        "carried_in": _row(1, 0, 0, 0, 0, 0, 1),
        "open": _row(5, 1, 0, 0, 0, 0, 6),
        "partial": _row(2, 0, 0, 0, 0, 0, 2),
    }
    for key in ("state_secret", "law_prohibited", "security_stability", "third_party",
                "internal_affairs", "process_info", "enforcement_file", "admin_query"):
        rows[f"withheld.{key}"] = _zero_row()
    rows["withheld.process_info"] = _row(1, 0, 0, 0, 0, 0, 1)
    rows["unavailable.not_held"] = _row(1, 1, 0, 0, 0, 0, 2)
    rows["unavailable.needs_creation"] = _zero_row()
    rows["unavailable.still_unclear"] = _zero_row()
    for key in ("petition", "repeat", "publication", "massive", "confirm"):
        rows[f"not_processed.{key}"] = _zero_row()
    rows["not_processed.repeat"] = _row(1, 0, 0, 0, 0, 0, 1)
    for key in ("no_correction", "fee_unpaid", "other"):
        rows[f"other.{key}"] = _zero_row()
    rows["total"] = _row(10, 2, 0, 0, 0, 0, 12)
    rows["carried_out"] = _row(1, 0, 0, 0, 0, 0, 1)
    return rows


def _table4() -> dict[str, dict[str, Any]]:
    zero = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    return {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": dict(zero),
        "litigation_after_review": dict(zero),
    }


def _sections(year: int) -> dict[str, str]:
    return {
        "1": (
            f"{year}年，{ISSUER}深入贯彻落实《中华人民共和国政府信息公开条例》，"
            "围绕交通运输中心工作扎实推进政务公开。"
            "（一）主动公开。全年通过县政府门户网站主动公开政府信息286条，"
            "本年度制发行政规范性文件2件，废止行政规范性文件2件，现行有效行政规范性文件15件。"
            "（二）依申请公开。全年共收到政府信息公开申请12件，上年结转1件，办结12件，"
            "1件结转下年度继续办理。其中予以公开6件，部分公开2件，不予公开1件，无法提供2件，"
            "不予处理1件。全年发生政府信息公开行政复议1件，复议结果为维持。"
            "（三）政府信息管理。严格落实公开前保密审查和动态调整机制。"
            "（四）平台建设。持续优化政府信息公开专栏栏目设置。"
            "（五）监督保障。将政务公开工作纳入年度绩效考核，主动接受社会评议，"
            "全年未发生责任追究情况。"
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
        "2": "主动公开政府信息情况见下表。",
        "3": "收到和处理政府信息公开申请情况见下表。",
        "4": "政府信息公开行政复议、行政诉讼情况见下表。",
        "5": (
            "本年度政务公开工作仍存在一些不足：一是政策解读形式较为单一，图解、视频等解读比例不高，"
            "解读内容与群众关切结合不够紧密；二是依申请公开答复文书的规范性有待提升，个别答复"
            "告知救济途径的表述不够完整；三是基层站所政务公开工作人员业务能力参差不齐。"
            "下一步，我局将丰富政策解读形式，推出更多图文、短视频解读产品；制定依申请公开答复"
            "文书范本，完善办理流程和法律审核机制；加强业务培训，定期组织政务公开专题学习，"
            "进一步提升政务公开工作质量。"
        ),
        "6": "本年度未收取信息处理费。",
    }


def base_report(year: int = 2024) -> dict[str, Any]:
    """A complete, consistent 2021-format report of 某某县交通运输局 (a county department) for
    ``year``, published on 20 January of the next year; it passes every rule."""
    return {
        "title": f"{ISSUER}{year}年政府信息公开工作年度报告",
        "issuer": ISSUER,
        "year": year,
        "format": "2021",
        "published": f"{year + 1}-01-20",
        "sections": _sections(year),
        "table2": {
            "rules.issued": 0, "rules.repealed": 0, "rules.in_force": 0,
            "normative.issued": 2, "normative.repealed": 2, "normative.in_force": 15,
            "licensing.decisions": 120, "penalty.decisions": 35, "coercion.decisions": 3,
            "fees.amount": 0,
        },
        "table3": _table3(),
        "table4": _table4(),
        "row_labels": {},
        "page": {
            "url": f"https://www.example.gov.cn/zwgk/ndbg/{year + 1}01/t{year + 1}0120_123456.html",
            "source": ISSUER,
        },
        "source": f"case:{ISSUER}{year}",
    }


def _plain(value: Any) -> Any:
    """YAML reads ``2025-01-20`` as a date: the report model keeps dates as ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def merge(base: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``base`` with ``overrides`` deep-merged in (a new dict; neither argument is changed)."""
    out = copy.deepcopy(base)
    for key, value in (overrides or {}).items():
        key = str(key)
        if isinstance(value, str) and value == DELETE:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = _plain(copy.deepcopy(value))
    return out


def build(overrides: dict[str, Any] | None = None, *, year: int = 2024) -> AnnualReport:
    """``base_report(year)`` with ``overrides`` merged in, as an :class:`AnnualReport`."""
    return report_from_dict(merge(base_report(year), overrides))


def build_previous(overrides: dict[str, Any] | None = None) -> AnnualReport:
    """The same body's 2023 report (published 2024-01-20) with ``overrides`` merged in."""
    return build(overrides, year=2023)


# ---------------------------------------------------------------- documents and sites

DEFAULT_TODAY = dt.date(2025, 6, 30)
SITE = "https://www.example.gov.cn"
DOCUMENT_TITLE = f"{ISSUER}关于印发2025年交通运输安全生产工作要点的通知"
DEFAULT_DATES = {"issued": dt.date(2025, 1, 8), "published": dt.date(2025, 1, 10)}
_LABELS = {"issued": "成文日期", "published": "发布日期"}


def _day(value: Any) -> dt.date:
    """A date from YAML (already a date) or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def document_url(index: int = 0) -> str:
    return f"{SITE}/zwgk/zcwj/202501/t20250110_{100001 + index}.html"


def date_evidence(spec: Any, kind: str | None = None) -> DateEvidence | None:
    """A :class:`DateEvidence` from ``{date, strategy?, raw?, time?, kind?}`` or a bare date."""
    if spec is None:
        return None
    if not isinstance(spec, dict):
        spec = {"date": spec}
    kind = spec.get("kind", kind)
    value = _day(spec["date"])
    strategy = spec.get("strategy", "metadata")
    raw = spec.get("raw")
    if raw is None:
        raw = f"{_LABELS.get(kind, '日期')} {value.isoformat()}"
    time = spec.get("time")
    return DateEvidence(value=value, kind=kind, strategy=strategy, raw=str(raw),
                        time=None if time is None else str(time))


def build_document(spec: dict[str, Any] | None = None, *, index: int = 0,
                   today: dt.date | None = None) -> DocumentContext:
    """A ``DocumentContext`` from a case's ``document`` mapping (see the module docstring)."""
    spec = dict(spec or {})
    today = _day(spec["today"]) if spec.get("today") is not None else (today or DEFAULT_TODAY)
    fetched = _day(spec["fetched"]) if spec.get("fetched") is not None else today
    if "candidates" in spec:
        candidates = [date_evidence(c) for c in spec["candidates"] or []]
        ranked = sorted(candidates, key=lambda c: STRATEGIES.index(c.strategy))
        chosen = {kind: next((c for c in ranked if c.kind == kind), None) for kind in DATE_KINDS}
        dates = {kind: date_evidence(spec[kind], kind) if kind in spec else chosen[kind]
                 for kind in DATE_KINDS}
    else:
        dates = {kind: date_evidence(spec.get(kind, DEFAULT_DATES[kind]), kind)
                 for kind in DATE_KINDS}
        candidates = [d for d in dates.values() if d is not None]
    meta = {str(k): "" if v is None else str(_plain(v))
            for k, v in (spec.get("meta") or {}).items() if v != DELETE}
    return DocumentContext(
        url=spec.get("url") or document_url(index),
        title=spec.get("title", DOCUMENT_TITLE),
        column=spec.get("column", "政策文件"),
        issued=dates["issued"], published=dates["published"], candidates=tuple(candidates),
        meta=meta, fetched=fetched, kind=spec.get("kind", "document"), today=today,
        script_built=bool(spec.get("script_built")),
    )


def build_page(spec: dict[str, Any], *, index: int = 0,
               today: dt.date = DEFAULT_TODAY) -> PageRecord:
    """A ``PageRecord`` from a mapping of its fields; unspecified fields get neutral defaults."""
    outcome = spec.get("outcome", "ok")
    values: dict[str, Any] = {
        "id": index + 1, "run_id": 1, "url": f"{SITE}/page{index + 1}.html", "final_url": None,
        "kind": "document", "status": 200 if outcome == "ok" else None, "outcome": outcome,
        "error": None, "fetched_at": f"{today.isoformat()}T08:00:00+00:00", "elapsed": None,
        "content_type": "text/html", "hash": None, "column_name": None, "title": None,
        "list_date": None, "referer": None, "depth": None,
    }
    values.update({k: _plain(v) for k, v in spec.items()})
    return PageRecord(**values)


def build_site(spec: dict[str, Any] | None = None) -> SiteContext:
    """A ``SiteContext`` from a case's ``site`` mapping (see the module docstring)."""
    spec = dict(spec or {})
    today = _day(spec["today"]) if spec.get("today") is not None else DEFAULT_TODAY
    pages = tuple(build_page(p, index=i, today=today) for i, p in enumerate(spec.get("pages") or []))
    documents = tuple(build_document(d, index=i, today=today)
                      for i, d in enumerate(spec.get("documents") or []))
    reports = tuple(
        (r.get("url") or f"{SITE}/zwgk/ndbg/report{i + 1}.html",
         build(r.get("report"), year=r.get("year") or 2024))
        for i, r in enumerate(spec.get("reports") or []))
    column_found = spec.get("report_column_found")
    if column_found is None:  # as auditor.site_audit.audit_run decides it
        column_found = any(p.kind == "column" and p.column_name and (
            "年报" in p.column_name or "年度报告" in p.column_name) for p in pages)
    unparseable = tuple(
        (u["url"], u["why"]) if isinstance(u, dict) else (u[0], u[1])
        for u in spec.get("unparseable") or [])
    columns = (tuple(build_column(c) for c in spec["columns"]) if spec.get("columns") is not None
               else columns_of(pages))
    page_tags = tuple((t["url"], t["kind"], {str(k): str(v) for k, v in (t.get("meta") or {})
                                             .items()}) for t in spec.get("page_tags") or [])
    home_pages = tuple(build_site_page(p, home=True) for p in spec.get("home_pages") or [])
    site_pages = tuple(build_site_page(p) for p in spec.get("site_pages") or [])
    nav_links = tuple((str(a), str(b), str(c)) for a, b, c in spec.get("nav_links") or [])
    return SiteContext(
        start_url=spec.get("start_url", f"{SITE}/"),
        run_status=spec.get("run_status", "finished"),
        pages=pages, documents=documents, reports=reports,
        unit_type=spec.get("unit_type", "department"),
        report_column_found=bool(column_found),
        footer_codes={str(k): str(v) for k, v in (spec.get("footer_codes") or {}).items()},
        unparseable=unparseable, today=today, max_pages=spec.get("max_pages"),
        columns=columns, page_tags=page_tags, crawl_notes=dict(spec.get("crawl_notes") or {}),
        home_pages=home_pages, site_pages=site_pages,
        nav_links=nav_links, site_domains=tuple(str(d) for d in spec.get("site_domains") or []),
        document_fields={str(k): tuple(v) for k, v in (spec.get("document_fields") or {})
                         .items()},
    )


def build_site_page(spec: dict[str, Any], *, home: bool = False) -> SitePage:
    """A ``SitePage`` (what the indicator rules read of a page) from a case's ``home_pages`` /
    ``site_pages`` entry: ``url``, ``kind`` (``home`` / ``document``), ``reached_as``,
    ``title``, ``column``, ``column_url``, ``text``, ``items`` (``{url, title, list_date?,
    row?}``), ``links`` (``[text, url]``), ``forms``, ``attachments``, ``machinery``,
    ``footer`` (a home page's footer defaults to its text's end)."""
    unknown = set(spec) - SITE_PAGE_KEYS
    if unknown:
        raise ValueError(f"unknown site page keys {sorted(unknown)}")
    items = []
    for item in spec.get("items") or []:
        if set(item) - SITE_ITEM_KEYS:
            raise ValueError(f"unknown item keys {sorted(set(item) - SITE_ITEM_KEYS)}")
        items.append(ListItem(item["url"], item.get("title", ""),
                              None if item.get("list_date") is None else str(
                                  _plain(item["list_date"])),
                              (("row", str(item.get("row", ""))),)))
    text = str(spec.get("text", ""))
    return SitePage(
        url=spec.get("url", f"{SITE}/"), kind=spec.get("kind", "home" if home else "document"),
        reached_as=spec.get("reached_as", "home" if home else "column"),
        title=spec.get("title"), column=spec.get("column"), column_url=spec.get("column_url"),
        text=text, items=tuple(items),
        links=tuple((str(t), str(u)) for t, u in spec.get("links") or []),
        forms=tuple(spec.get("forms") or ()), attachments=tuple(spec.get("attachments") or ()),
        machinery=spec.get("machinery"), footer=str(spec.get("footer", text[-3000:] if home
                                                           else "")))


def build_column(spec: dict[str, Any]) -> ColumnCoverage:
    """A ``ColumnCoverage`` from a case's ``columns`` entry: ``url``, ``name``, ``state``
    (``complete``), ``reasons``, ``items`` (``{url, title, list_date?, outcome (ok), why?}``),
    ``report_column`` (by default: the name has 年报/年度报告), ``adapter``, ``cue``."""
    unknown = set(spec) - COLUMN_KEYS
    if unknown:
        raise ValueError(f"unknown column keys {sorted(unknown)}")
    items = []
    for item in spec.get("items") or []:
        if set(item) - ITEM_KEYS:
            raise ValueError(f"unknown item keys {sorted(set(item) - ITEM_KEYS)}")
        items.append(ItemCoverage(item["url"], item.get("title", ""), _plain(item.get("list_date")),
                                  item.get("outcome", "ok"), item.get("why")))
    name = spec.get("name")
    report_column = spec.get("report_column")
    if report_column is None:
        report_column = bool(name and ("年报" in name or "年度报告" in name))
    return ColumnCoverage(spec.get("url", f"{SITE}/zwgk/"), name, spec.get("adapter", "generic"),
                          spec.get("cue", "页面链接"), spec.get("state", "complete"),
                          tuple(spec.get("reasons") or ()), tuple(items), 1,
                          pages_missing=tuple(tuple(p) for p in spec.get("pages_missing") or ()),
                          declared_items=spec.get("declared_items"),
                          report_column=bool(report_column),
                          placeholder=spec.get("placeholder"))


def columns_of(pages: tuple[PageRecord, ...]) -> tuple[ColumnCoverage, ...] | None:
    """Columns as the audit would judge them when a case gives only pages: every ``column``
    page is a column (read completely when fetched, failed otherwise); a failed ``list`` page
    under a column's folder leaves that column partly read. ``None`` (no list evidence
    recorded) when the case has no column or list page."""
    if not any(p.kind in ("column", "list") for p in pages):
        return None
    out: dict[str, dict[str, Any]] = {}
    for page in pages:
        if page.kind == "column":
            state = "complete" if page.outcome == "ok" else "failed"
            out[page.url] = {"url": page.url, "name": page.column_name, "state": state,
                             "reasons": [] if state == "complete" else
                             [GAP_OUTCOMES.get(page.outcome, "未能读取")]}
    for page in pages:
        if page.kind == "list" and page.outcome != "ok":
            owner = next((c for url, c in out.items() if page.url.startswith(url)), None)
            if owner is not None and owner["state"] == "complete":
                owner["state"] = "partial"
                owner["reasons"].append(
                    f"列表分页未能读取（{GAP_OUTCOMES.get(page.outcome, '未能读取')}）")
    return tuple(build_column(c) for c in out.values())


def case_subject(case: dict[str, Any]) -> str:
    """``document``, ``site`` or ``report`` (a report or report-pair case)."""
    if "document" in case:
        return "document"
    if "site" in case:
        return "site"
    return "report"


def rule_subjects(rule: type[Rule]) -> set[str]:
    """The case subjects a rule can be tested on (``report_pair`` counts as ``report``)."""
    subjects = {rule.subject, *rule.extra_subjects}
    return {"report" if s == "report_pair" else s for s in subjects}


def load_case_files() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in sorted(RULE_CASES.glob("*.yaml"))]


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """``(code, case)`` for every case of every case file."""
    out = []
    for _path, data in load_case_files():
        for case in data.get("cases") or []:
            out.append((data["rule"], case))
    return out


def case_id(code: str, case: dict[str, Any]) -> str:
    return f"{code}:{case['name']}"


def check_case_shape(case: dict[str, Any]) -> list[str]:
    """Typos in a case file (unknown keys, statuses…), as messages; empty when well formed."""
    problems = []
    unknown = set(case) - CASE_KEYS
    if unknown:
        problems.append(f"unknown case keys {sorted(unknown)}")
    if "name" not in case or "expect" not in case:
        problems.append("a case needs a name and an expect list")
    if not isinstance(case.get("expect"), list):
        problems.append("expect must be a list")
        return problems
    unknown = set(case.get("context") or {}) - CONTEXT_KEYS
    if unknown:
        problems.append(f"unknown context keys {sorted(unknown)}")
    if "document" in case and "site" in case:
        problems.append("a case targets a document or a site, not both")
    if ("document" in case or "site" in case) and set(case) & REPORT_CASE_KEYS:
        problems.append(f"a document or site case has no {sorted(set(case) & REPORT_CASE_KEYS)}")
    if "document" in case:
        problems += _document_problems(case["document"])
    if "site" in case:
        problems += _site_problems(case["site"])
    for item in case["expect"]:
        if not isinstance(item, dict):
            problems.append(f"expected finding must be a mapping: {item!r}")
            continue
        unknown = set(item) - EXPECT_KEYS
        if unknown:
            problems.append(f"unknown expect keys {sorted(unknown)}")
        if item.get("status") not in STATUSES:
            problems.append(f"expect status must be one of {sorted(STATUSES)}: {item!r}")
        if "severity" in item and item["severity"] not in SEVERITIES:
            problems.append(f"unknown severity {item['severity']!r}")
    return problems


def _mapping_problems(value: Any, allowed: set[str], what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{what} must be a mapping: {value!r}"]
    unknown = set(value) - allowed
    return [f"unknown {what} keys {sorted(unknown)}"] if unknown else []


def _date_problems(value: Any, what: str, *, candidate: bool = False) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        value = {"date": value}
    problems = _mapping_problems(value, CANDIDATE_KEYS if candidate else DATE_KEYS, what)
    try:
        _day(value.get("date"))
    except (TypeError, ValueError):
        problems.append(f"{what} needs a date (YYYY-MM-DD): {value!r}")
    if value.get("strategy", "metadata") not in STRATEGIES:
        problems.append(f"{what} strategy must be one of {list(STRATEGIES)}: {value!r}")
    if candidate and value.get("kind") not in DATE_KINDS:
        problems.append(f"{what} kind must be one of {list(DATE_KINDS)}: {value!r}")
    return problems


def _document_problems(doc: Any, what: str = "document") -> list[str]:
    if doc is None:
        return []
    problems = _mapping_problems(doc, DOCUMENT_KEYS, what)
    if problems and not isinstance(doc, dict):
        return problems
    for kind in DATE_KINDS:
        problems += _date_problems(doc.get(kind), f"{what} {kind}")
    for item in doc.get("candidates") or []:
        problems += _date_problems(item, f"{what} candidate", candidate=True)
    if not isinstance(doc.get("meta") or {}, dict):
        problems.append(f"{what} meta must be a mapping of tag name to content")
    return problems


def _site_problems(site: Any) -> list[str]:
    if site is None:
        return []
    problems = _mapping_problems(site, SITE_KEYS, "site")
    if problems and not isinstance(site, dict):
        return problems
    for page in site.get("pages") or []:
        problems += _mapping_problems(page, PAGE_KEYS, "page")
    for i, doc in enumerate(site.get("documents") or []):
        problems += _document_problems(doc, f"site document {i + 1}")
    for entry in site.get("reports") or []:
        problems += _mapping_problems(entry, SITE_REPORT_KEYS, "site report")
    if site.get("unit_type", "department") not in (*UNIT_TYPES, "unknown"):
        problems.append(f"unit_type must be one of {list(UNIT_TYPES) + ['unknown']}")
    for item in site.get("unparseable") or []:
        ok = (isinstance(item, dict) and set(item) == {"url", "why"}) or (
            isinstance(item, list) and len(item) == 2)
        if not ok:
            problems.append(f"unparseable entries are [url, why]: {item!r}")
    return problems


def finding_matches(expected: dict[str, Any], finding) -> bool:
    if str(finding.status) != expected["status"]:
        return False
    if "severity" in expected and str(finding.severity) != expected["severity"]:
        return False
    for key in ("table", "row", "column", "section", "url"):
        if key in expected and getattr(finding.location, key) != _plain(expected[key]):
            return False
    wanted = expected.get("message_contains")
    return wanted is None or str(wanted) in finding.message


def match_findings(expected: list[dict[str, Any]], findings: list) -> bool:
    """Whether every expected finding matches a different actual one (same count)."""
    if len(expected) != len(findings):
        return False

    def assign(i: int, used: frozenset[int]) -> bool:
        if i == len(expected):
            return True
        return any(assign(i + 1, used | {j}) for j, f in enumerate(findings)
                   if j not in used and finding_matches(expected[i], f))

    return assign(0, frozenset())


def describe(finding, *, url: bool = False) -> str:
    loc = finding.location
    keys = ("url",) * url + ("section", "table", "row", "column")
    where = ", ".join(f"{k}={getattr(loc, k)}" for k in keys if getattr(loc, k))
    return f"{finding.status}/{finding.severity} [{where}] {finding.message}"


def case_findings(code: str, case: dict[str, Any]) -> list:
    """The findings of rule ``code`` on ``case``: a report case through ``check_report`` with
    only that rule selected, a document or site case through ``run_subject``."""
    from auditor.audit import check_report
    from auditor.config import Config
    from auditor.engine import run_subject
    from auditor.rules import REGISTRY

    subject = case_subject(case)
    rule_cls = REGISTRY[code]
    if subject != "report":
        rule = rule_cls(case.get("options") or {})
        ctx = build_document(case["document"]) if subject == "document" else \
            build_site(case["site"])
        return list(run_subject([rule], subject, ctx))
    context = case.get("context") or {}
    published = context.get("published")
    today = context.get("today")
    config = Config(select=[code], rule_options={code: case["options"]} if case.get("options")
                    else {})
    result = check_report(
        build(case.get("report")),
        previous=build_previous(case["previous"]) if "previous" in case else None,
        published=published.isoformat() if isinstance(published, dt.date) else published,
        unit_type=context.get("unit_type"), config=config,
        today=today if isinstance(today, dt.date) or today is None
        else dt.date.fromisoformat(str(today)))
    assert result.rules_run == [code]
    return [f for f in result.findings if f.rule == code]
