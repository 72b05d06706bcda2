"""List APIs of the CMS families, answered from a fixture folder, for local replica sites.

Real government list pages load their items from an API (docs/cms-variants.md): Guangdong
gkmlpt's ``/gkmlpt/api/all/{cat}``, UCAP's ``/common/search/{channel}``, the Fujian TRS front end's
``POST /fjdzapp/search``, TRS IRS ``POST /irs/front/list``, Hanweb JPAAS ``…/front/page/build/unit``
and the Hanweb xxgk ``POST /module/xxgk/search.jsp``. :mod:`auditor.devserver` routes a request
here when its path starts with a prefix listed under ``"apis"`` in the site's ``_server.json``::

    {"apis": {"/zqhjj/gkmlpt/api/all/": "gkmlpt", "/fjdzapp/search": "fjdzapp"}}

Each family reads its full list from ``<site>/_api/<family>-<id>.json`` (a JSON list in the
family's own item shape: articles, results, docs, HTML snippets) and answers one page of it in
the family's envelope, with the totals the real API gives. Used by tests and bench/, never by
the auditor itself.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any


def _load(root: Path, family: str, key: str) -> list[Any]:
    path = root / "_api" / f"{family}-{key}.json"
    return json.loads(path.read_text("utf-8")) if path.is_file() else []


def _one(values: dict[str, list[str]], name: str, default: str = "") -> str:
    return (values.get(name) or [default])[0]


def answer(family: str, root: Path, path: str, query: dict[str, list[str]],
           form: dict[str, list[str]], body: str) -> tuple[int, str, str]:
    """(status, content type, body) of an API request."""
    handler = _FAMILIES.get(family)
    if handler is None:
        return 404, "text/plain", f"no such API family {family}"
    return handler(root, path, query, form, body)


def _json(data: Any) -> tuple[int, str, str]:
    return 200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False)


def _gkmlpt(root, path, query, form, body):
    """GET …/gkmlpt/api/all/{cat}?page=N&sid=S: 100 articles a page (page 0 and 1 alike);
    ``post_count`` is the whole list; ``_api/gkmlpt-{cat}.window`` (a number) makes the API
    serve only that many, as real gkmlpt sites do."""
    cat = path.rstrip("/").rsplit("/", 1)[-1]
    articles = _load(root, "gkmlpt", cat)
    window_file = root / "_api" / f"gkmlpt-{cat}.window"
    served = articles[:int(window_file.read_text())] if window_file.is_file() else articles
    page = max(int(_one(query, "page", "1") or 1), 1)
    chunk = served[(page - 1) * 100:page * 100]
    return _json({"classify": {"id": int(cat) if cat.isdigit() else cat, "name": "栏目",
                               "post_count": len(articles), "theme_count": len(articles)},
                  "articles": chunk})


def _ucap(root, path, query, form, body):
    """GET /common/search/{channel}?_isJson=true&_pageSize=R&page=N."""
    channel = path.rstrip("/").rsplit("/", 1)[-1]
    results = _load(root, "ucap", channel)
    rows = int(_one(query, "_pageSize", "20") or 20)
    page = max(int(_one(query, "page", "1") or 1), 1)
    return _json({"data": {"page": page, "rows": rows, "channelId": channel,
                           "total": len(results),
                           "results": results[(page - 1) * rows:page * rows]}})


def _fjdzapp(root, path, query, form, body):
    """POST /fjdzapp/search (form channelid, classsql=chnlid=N, page, prepage)."""
    m = re.search(r"chnlid=(\d+)", _one(form, "classsql"))
    docs = _load(root, "fjdzapp", m.group(1) if m else "")
    per = int(_one(form, "prepage", "10") or 10)
    page = max(int(_one(form, "page", "1") or 1), 1)
    return _json({"data": docs[(page - 1) * per:page * per],
                  "pageCount": math.ceil(len(docs) / per) if docs else 0,
                  "total": len(docs)})


def _irs(root, path, query, form, body):
    """POST /irs/front/list with a JSON body {pageNo, pageSize, tableName, …}."""
    try:
        request = json.loads(body or "{}")
    except ValueError:
        return 400, "text/plain", "bad JSON"
    rows = _load(root, "irs", str(request.get("tableName", "")))
    size = int(request.get("pageSize") or 10)
    page = max(int(request.get("pageNo") or 1), 1)
    return _json({"code": 200, "data": {"list": rows[(page - 1) * size:page * size],
                                        "pager": {"total": len(rows),
                                                  "pageCount": math.ceil(len(rows) / size)}}})


def _jpaas(root, path, query, form, body):
    """GET …/front/page/build/unit?pageId=P&paramJson={"pageNo":N,"pageSize":M}: HTML rows
    in ``data.html``."""
    snippets = _load(root, "jpaas", _one(query, "pageId"))
    try:
        params = json.loads(_one(query, "paramJson", "{}"))
    except ValueError:
        params = {}
    size = int(params.get("pageSize") or params.get("rows") or 15)
    page = max(int(params.get("pageNo") or 1), 1)
    return _json({"success": True, "data": {"html": "".join(
        snippets[(page - 1) * size:page * size])}})


def _xxgk(root, path, query, form, body):
    """POST /module/xxgk/search.jsp (infotypeId, currpage): an HTML fragment, 15 rows a page,
    with “共N页”."""
    values = {**query, **form}
    rows = _load(root, "xxgk", _one(values, "infotypeId"))
    page = max(int(_one(values, "currpage", "1") or 1), 1)
    pages = max(math.ceil(len(rows) / 15), 1)
    html = ("<table class='xxgk_list'>" + "".join(rows[(page - 1) * 15:page * 15])
            + f"</table><div class='page'>共{len(rows)}条 第{page}/{pages}页 共{pages}页</div>")
    return 200, "text/html; charset=utf-8", html


_FAMILIES = {"gkmlpt": _gkmlpt, "ucap": _ucap, "fjdzapp": _fjdzapp, "irs": _irs,
             "jpaas": _jpaas, "xxgk": _xxgk}
